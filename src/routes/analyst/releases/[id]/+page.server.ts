import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { getRelease, listReleases } from '$lib/server/releases';
import { pick } from '$lib/i18n';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const db = await getDatabase();
	const release = await getRelease(db, params.id);
	if (!release)
		error(404, pick(locals.locale, { vi: 'Không tìm thấy bản phát hành.', en: 'Release not found.' }));
	const versions = (await listReleases(db, { sector: release.sector, year: release.year })).filter(
		(r) => r.campaignId === release.campaignId
	);
	return {
		release,
		versions,
		microdata:
			locals.user?.role === 'admin' || (locals.user?.role === 'analyst' && locals.user.microdata === true)
	};
};
