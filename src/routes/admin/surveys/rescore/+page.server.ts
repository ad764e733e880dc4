import { fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { listCampaigns } from '$lib/server/campaigns';
import { listSurveyVersions } from '$lib/server/surveys';
import { listRescoreJobs, RescoreError, startRescoreJob } from '$lib/server/rescore';
import { campaignPhase } from '$lib/campaign-phase';
import { jobView } from './job';
import { pick, t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const db = await getDatabase();
	const [campaigns, versions, jobs] = await Promise.all([
		listCampaigns(db),
		listSurveyVersions(db),
		listRescoreJobs(db)
	]);
	const now = new Date();
	return {
		campaigns: campaigns.map((c) => ({
			id: c._id,
			name: c.name,
			sector: c.sector,
			year: c.year,
			phase: campaignPhase(c, now),
			surveyId: c.surveyId,
			submitted: c.counts.submitted
		})),
		versions: versions.map((v) => ({ id: v.id, sector: v.sector })),
		jobs: jobs.map(jobView)
	};
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const form = await request.formData();
		const campaignId = String(form.get('campaign') ?? '');
		const surveyId = String(form.get('surveyId') ?? '');
		const db = await getDatabase();
		try {
			const jobId = await startRescoreJob(db, locals.user, campaignId, surveyId || undefined);
			return { started: jobId, message: t(locals.locale, 'surveys.rescore.started') };
		} catch (e) {
			if (e instanceof RescoreError) return fail(400, { error: pick(locals.locale, e.text) });
			throw e;
		}
	}
};
