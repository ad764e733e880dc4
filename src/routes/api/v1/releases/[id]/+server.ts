import { json } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { getRelease } from '$lib/server/releases';
import type { RequestHandler } from './$types';

const CORS = { 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=60' };

/** `GET /api/v1/releases/<id>`: one release's metadata (coverage, method, rubric, confidentiality rule). */
export const GET: RequestHandler = async ({ params }) => {
	const release = await getRelease(await getDatabase(), params.id);
	if (!release)
		return json({ error: `release '${params.id.slice(0, 64)}' not found` }, { status: 404, headers: CORS });
	return json({ release }, { headers: CORS });
};
