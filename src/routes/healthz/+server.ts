import { json } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** Liveness and readiness in one: 200 with the engine when the database answers, 503 otherwise. */
export const GET: RequestHandler = async () => {
	try {
		const db = await getDatabase();
		await db.ping();
		return json({ status: 'ok', db: db.engine }, { headers: { 'cache-control': 'no-store' } });
	} catch (e) {
		return json(
			{ status: 'unavailable', error: e instanceof Error ? e.message : 'database unavailable' },
			{ status: 503, headers: { 'cache-control': 'no-store' } }
		);
	}
};
