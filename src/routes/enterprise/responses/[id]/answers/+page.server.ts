import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { responseForEnterprise } from '$lib/server/responses';
import { loadSurvey } from '$lib/server/surveys';
import { answerRows } from '$lib/domain/answers/sheet';
import { C, type EnterpriseDoc } from '$lib/server/db/schema';
import { pick } from '$lib/i18n';
import type { PageServerLoad } from './$types';

/**
 * The enterprise's answers laid out for paper: every page of the questionnaire with question
 * titles and answers as the form shows them (choice texts, not codes); the browser prints it to
 * PDF. Another enterprise's id is a 404, like every enterprise route.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
	const db = await getDatabase();
	const ctx = await responseForEnterprise(db, locals.user!, params.id);
	if (!ctx) error(404, { message: 'Not found' });
	const { response, campaign } = ctx;
	const rows = answerRows(loadSurvey(campaign.surveyId).questionnaire, response.data, locals.locale);
	const pages: Array<{ title: string; rows: typeof rows }> = [];
	for (const r of rows) {
		const last = pages.at(-1);
		if (last && last.title === r.page) last.rows.push(r);
		else pages.push({ title: r.page, rows: [r] });
	}
	const enterprise = await db
		.collection<EnterpriseDoc>(C.enterprises)
		.findOne({ _id: response.enterpriseId }, { projection: { name: 1, taxCode: 1 } });
	return {
		campaignName: pick(locals.locale, campaign.name),
		enterprise: enterprise ? { name: enterprise.name, taxCode: enterprise.taxCode } : null,
		submitted: response.status === 'submitted',
		submittedAt: response.submittedAt?.toISOString() ?? null,
		printedAt: new Date().toISOString(),
		pages
	};
};
