import { json } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { listReleases } from '$lib/server/releases';
import type { RequestHandler } from './$types';

const CORS = { 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=60' };

/** `GET /api/v1/releases[?sector=&year=]`: published releases (every version, `latest` flagged). */
export const GET: RequestHandler = async ({ url }) => {
	const sector = url.searchParams.get('sector') ?? undefined;
	const yearRaw = url.searchParams.get('year');
	const year = yearRaw === null ? undefined : Number(yearRaw);
	if (year !== undefined && !(Number.isInteger(year) && year >= 2000 && year <= 2100))
		return json({ error: 'year must be an integer between 2000 and 2100' }, { status: 400, headers: CORS });
	if (sector !== undefined && !/^[a-z0-9-]{1,40}$/.test(sector))
		return json({ error: 'sector must be a sector id such as "mechanical"' }, { status: 400, headers: CORS });
	const releases = await listReleases(await getDatabase(), { sector, year });
	return json({ releases }, { headers: CORS });
};
