import { fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { C, type CampaignDoc } from '$lib/server/db/schema';
import { analystDashboard, DIMENSIONS, rightsOf, type Dimension } from '$lib/server/releases';
import {
	campaignPhase,
	LIFECYCLE_RIGHTS,
	LifecycleError,
	publishRelease
} from '$lib/server/campaign-lifecycle';
import { loadSurvey } from '$lib/server/surveys';
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
	const canPublish = (LIFECYCLE_RIGHTS.publish as readonly string[]).includes(locals.user?.role ?? '');
	const now = new Date();
	// Closed campaigns, published ones (a new version) and open ones past their closing date.
	const closed = canPublish
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
		canPublish,
		closed
	};
};

export const actions: Actions = {
	publish: async ({ request, locals }) => {
		const form = await request.formData();
		try {
			const r = await publishRelease(await getDatabase(), locals.user, form.get('campaignId'));
			return { published: r.version };
		} catch (e) {
			if (e instanceof LifecycleError)
				return fail(e.code === 'forbidden' ? 403 : 400, { error: pick(locals.locale, e.text) });
			throw e;
		}
	}
};
