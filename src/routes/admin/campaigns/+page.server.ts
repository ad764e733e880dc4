import { fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { CampaignInputError, createCampaign, listCampaigns } from '$lib/server/campaigns';
import { listSectors } from '$lib/server/surveys';
import { recordAudit } from '$lib/server/audit';
import { pick } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const campaigns = await listCampaigns(await getDatabase());
	return {
		campaigns: campaigns.map((c) => ({
			id: c._id,
			name: c.name,
			sector: c.sector,
			year: c.year,
			surveyId: c.surveyId,
			status: c.status,
			opensAt: c.opensAt.toISOString(),
			closesAt: c.closesAt.toISOString(),
			counts: c.counts
		})),
		sectors: listSectors().map((s) => ({ id: s.id, name: s.name })),
		thisYear: new Date().getFullYear()
	};
};

export const actions: Actions = {
	create: async ({ request, locals }) => {
		const form = await request.formData();
		const sector = String(form.get('sector') ?? '');
		const year = Number(form.get('year'));
		const opensAt = new Date(`${form.get('opensAt')}T00:00:00+07:00`);
		const closesAt = new Date(`${form.get('closesAt')}T23:59:59+07:00`);
		const db = await getDatabase();
		try {
			const c = await createCampaign(db, { sector, year, opensAt, closesAt, createdBy: locals.user!.id });
			await recordAudit(db, {
				actor: locals.user!,
				action: 'campaign.create',
				target: `campaigns/${c._id}`,
				after: c
			});
			return { created: c._id };
		} catch (e) {
			if (e instanceof CampaignInputError) return fail(400, { error: pick(locals.locale, e.text) });
			throw e;
		}
	}
};
