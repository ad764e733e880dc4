import { getDatabase } from '$lib/server/db';
import { listCampaigns } from '$lib/server/campaigns';
import { listSectors, listSurveyVersions } from '$lib/server/surveys';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const db = await getDatabase();
	const [versions, campaigns] = await Promise.all([listSurveyVersions(db), listCampaigns(db)]);
	const usedBy = new Map<string, number>();
	for (const c of campaigns) usedBy.set(c.surveyId, (usedBy.get(c.surveyId) ?? 0) + 1);
	return {
		created: url.searchParams.get('created'),
		sectors: listSectors().map((s) => ({ id: s.id, name: s.name, vsic: s.vsicDivisions })),
		versions: versions.map((v) => ({
			...v,
			createdAt: v.createdAt?.toISOString() ?? null,
			campaigns: usedBy.get(v.id) ?? 0
		}))
	};
};
