import { error, fail, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { getImport, importStatus, startImportJob } from '$lib/server/imports';
import { pick, t } from '$lib/i18n';
import { C, type CampaignDoc } from '$lib/server/db/schema';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const db = await getDatabase();
	const imp = await getImport(db, params.id);
	if (!imp) error(404, { message: 'Not found' });
	const status = await importStatus(db, imp._id);
	const campaign = imp.campaignId
		? await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: imp.campaignId })
		: null;
	return {
		id: imp._id,
		kind: imp.kind,
		fileName: imp.fileName,
		mode: imp.mode,
		status: status?.status ?? imp.status,
		message: imp.message ? pick(locals.locale, imp.message) : null,
		warnings: imp.warnings.map((w) => pick(locals.locale, w.message)),
		analysis: imp.analysis ?? null,
		problems: imp.problems.slice(0, 50).map((p) => ({ ...p, message: pick(locals.locale, p.message) })),
		problemCount: imp.problemCount,
		counts: imp.counts,
		invited: imp.invited ?? null,
		// What a register import will do with a campaign, said before confirming.
		plan:
			imp.kind === 'enterprises'
				? {
						kind: imp.campaignId ? (imp.invite ? 'invite' : 'enrol') : 'none',
						campaign: campaign ? pick(locals.locale, campaign.name) : ''
					}
				: null
	};
};

export const actions: Actions = {
	confirm: async ({ params, request, locals, url }) => {
		const db = await getDatabase();
		const imp = await getImport(db, params.id);
		if (!imp) error(404, { message: 'Not found' });
		const form = await request.formData();
		const mode = form.get('mode') === 'valid-rows-only' ? 'valid-rows-only' : 'all-or-nothing';
		const nf = form.get('numberFormat');
		const numberFormat = nf === 'dot-decimal' || nf === 'comma-decimal' ? nf : 'auto';
		if (!(await startImportJob(db, imp, { mode, numberFormat, actor: locals.user!, origin: url.origin })))
			return fail(409, { error: t(locals.locale, 'import.error.notWaiting') });
		redirect(303, `/analyst/imports/${imp._id}`);
	}
};
