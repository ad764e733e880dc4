import { fail, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import {
	campaignDatesFromForm,
	CampaignInputError,
	createCampaign,
	listCampaigns
} from '$lib/server/campaigns';
import { campaignPhase } from '$lib/campaign-phase';
import { listSectors, listSurveyVersions } from '$lib/server/surveys';
import { departmentTimeZone } from '$lib/server/timezone';
import { recordAudit } from '$lib/server/audit';
import { listPendingReleases } from '$lib/server/releases/review';
import { pick } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const db = await getDatabase();
	const campaigns = await listCampaigns(db);
	const isAdmin = locals.user?.role === 'admin';
	const now = new Date();
	const versions = isAdmin ? await listSurveyVersions(db) : [];
	return {
		isAdmin,
		releasesWaiting: isAdmin
			? (await listPendingReleases(db)).filter((r) => r.status === 'submitted').length
			: 0,
		campaigns: campaigns.map((c) => ({
			id: c._id,
			name: c.name,
			sector: c.sector,
			year: c.year,
			surveyId: c.surveyId,
			phase: campaignPhase(c, now),
			opensAt: c.opensAt.toISOString(),
			closesAt: c.closesAt.toISOString(),
			counts: c.counts
		})),
		sectors: listSectors().map((s) => ({
			id: s.id,
			name: s.name,
			versions: versions
				.filter((v) => v.sector === s.id)
				.map((v) => ({ id: v.id, version: v.version, title: v.title, provisional: v.provisional }))
		})),
		thisYear: Number(now.toLocaleString('en-US', { timeZone: departmentTimeZone(), year: 'numeric' }))
	};
};

export const actions: Actions = {
	create: async ({ request, locals }) => {
		const form = await request.formData();
		const sector = String(form.get('sector') ?? '');
		const year = Number(form.get('year'));
		const surveyId = String(form.get('surveyId') ?? '') || undefined;
		const db = await getDatabase();
		let id: string;
		try {
			const { opensAt, closesAt } = campaignDatesFromForm(form.get('opensAt'), form.get('closesAt'));
			const c = await createCampaign(db, {
				sector,
				year,
				surveyId,
				opensAt,
				closesAt,
				createdBy: locals.user!.id
			});
			await recordAudit(db, {
				actor: locals.user!,
				action: 'campaign.create',
				target: `campaigns/${c._id}`,
				after: c
			});
			id = c._id;
		} catch (e) {
			if (e instanceof CampaignInputError)
				return fail(400, { error: pick(locals.locale, e.text), field: e.field ?? null });
			throw e;
		}
		// To the new campaign, which says it was created (no `?/create` left in the address).
		redirect(303, `/admin/campaigns/${id}?created=1`);
	}
};
