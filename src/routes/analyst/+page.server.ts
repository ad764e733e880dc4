import { fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { C, type CampaignDoc } from '$lib/server/db/schema';
import {
	analystDashboard,
	DIMENSIONS,
	publishCampaign,
	ReleaseError,
	rightsOf,
	type Dimension
} from '$lib/server/releases';
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
	const closed =
		locals.user?.role === 'admin'
			? (
					await db
						.collection<CampaignDoc>(C.campaigns)
						.find({ status: { $in: ['closed', 'published'] } }, { sort: { year: -1, sector: 1 } })
				).map((c) => ({
					id: c._id,
					name: c.name,
					status: c.status
				}))
			: [];
	const levels = dashboard.release
		? loadSurvey(dashboard.release.surveyId).rubric.levels.map((l) => ({ id: l.id, label: l.label }))
		: [];
	return { dashboard, levels, microdata: rights.microdata, isAdmin: locals.user?.role === 'admin', closed };
};

export const actions: Actions = {
	publish: async ({ request, locals }) => {
		if (locals.user?.role !== 'admin')
			return fail(403, {
				error: pick(locals.locale, {
					vi: 'Chỉ quản trị viên được công bố.',
					en: 'Only administrators may publish.'
				})
			});
		const form = await request.formData();
		try {
			const r = await publishCampaign(await getDatabase(), String(form.get('campaignId') ?? ''), locals.user);
			return { published: r.version };
		} catch (e) {
			if (e instanceof ReleaseError) return fail(400, { error: pick(locals.locale, e.text) });
			throw e;
		}
	}
};
