import { error, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { openResponse, responseForEnterprise } from '$lib/server/responses';
import { plausibilityBasis } from '$lib/server/plausibility';
import { acceptingAnswers } from '$lib/server/campaigns';
import { loadSurvey } from '$lib/server/surveys';
import { pick } from '$lib/i18n';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const db = await getDatabase();
	const ctx = await responseForEnterprise(db, locals.user!, params.id);
	if (!ctx) error(404, { message: 'Not found' });
	if (ctx.response.status === 'submitted') redirect(303, `/enterprise/responses/${params.id}/scorecard`);
	const response = await openResponse(db, ctx);
	const open = acceptingAnswers(ctx.campaign);
	return {
		responseId: response._id,
		campaignName: pick(locals.locale, ctx.campaign.name),
		questionnaire: loadSurvey(ctx.campaign.surveyId).questionnaire,
		answers: response.data,
		currentPageNo: response.currentPageNo,
		revision: response.revision,
		// Last year's own numbers and the sector's usual ranges, for soft plausibility warnings.
		plausibility: await plausibilityBasis(db, ctx),
		closedMessage: open.ok ? null : pick(locals.locale, open.message)
	};
};
