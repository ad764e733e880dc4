import { fail, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { C, type CampaignDoc } from '$lib/server/db/schema';
import { analystDashboard, DIMENSIONS, rightsOf, type Dimension } from '$lib/server/releases';
import { campaignPhase, LifecycleError } from '$lib/server/campaign-lifecycle';
import {
	buildDraftRelease,
	canBuildReleases,
	canPublishReleases,
	listPendingReleases
} from '$lib/server/releases/review';
import { loadSurvey } from '$lib/server/surveys';
import { currentWardMap } from '$lib/server/geo/boundaries';
import { pick } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const p = url.searchParams;
	const filters: Partial<Record<Dimension, string>> = {};
	for (const d of DIMENSIONS) {
		const v = p.get(d);
		if (v) filters[d] = v.slice(0, 60);
	}
	const year = Number(p.get('year'));
	const compare = p.get('compare');
	const db = await getDatabase();
	const rights = rightsOf(locals.user);
	const dashboard = await analystDashboard(
		db,
		{
			sector: p.get('sector') ?? undefined,
			year: Number.isInteger(year) && year > 0 ? year : undefined,
			releaseId: p.get('release') ?? undefined,
			filters,
			compareBy: (DIMENSIONS as readonly string[]).includes(compare ?? '')
				? (compare as Dimension)
				: undefined
		},
		rights
	);
	const canBuild = canBuildReleases(locals.user);
	const now = new Date();
	// Closed campaigns, published ones (a new version) and open ones past their closing date.
	const closed = canBuild
		? (
				await db
					.collection<CampaignDoc>(C.campaigns)
					.find({ status: { $in: ['open', 'closed', 'published'] } }, { sort: { year: -1, sector: 1 } })
			)
				.map((c) => ({ id: c._id, name: c.name, status: c.status, phase: campaignPhase(c, now) }))
				.filter((c) => c.phase === 'closed' || c.phase === 'published')
		: [];
	const levels = dashboard.release
		? loadSurvey(dashboard.release.surveyId).rubric.levels.map((l) => ({ id: l.id, label: l.label }))
		: [];
	return {
		dashboard,
		levels,
		microdata: rights.microdata,
		isAdmin: locals.user?.role === 'admin',
		canBuild,
		canPublish: canPublishReleases(locals.user),
		closed,
		pending: canBuild ? await listPendingReleases(db) : [],
		// Boundaries only for the ward comparison (the heaviest data a page can get).
		wardMap: dashboard.compareBy === 'ward' ? await currentWardMap(db) : null
	};
};

export const actions: Actions = {
	draft: async ({ request, locals }) => {
		const form = await request.formData();
		let id: string;
		try {
			id = (await buildDraftRelease(await getDatabase(), locals.user, form.get('campaignId')))._id;
		} catch (e) {
			if (e instanceof LifecycleError)
				return fail(e.code === 'forbidden' ? 403 : e.code === 'not-found' ? 404 : 400, {
					error: pick(locals.locale, e.text)
				});
			throw e;
		}
		redirect(303, `/analyst/releases/${id}/review?done=draft`);
	}
};
