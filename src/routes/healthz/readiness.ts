import { json } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { isDraining } from '$lib/server/shutdown';

/** 200 with the engine when the database answers; 503 when it does not or while we are stopping. */
export async function readiness(): Promise<Response> {
	const headers = { 'cache-control': 'no-store' };
	if (isDraining()) return json({ status: 'stopping' }, { status: 503, headers });
	try {
		const db = await getDatabase();
		await db.ping();
		return json({ status: 'ok', db: db.engine }, { headers });
	} catch (e) {
		return json(
			{ status: 'unavailable', error: e instanceof Error ? e.message : 'database unavailable' },
			{ status: 503, headers }
		);
	}
}
