import { error, json } from '@sveltejs/kit';
import { closeDatabase, getDatabase } from '$lib/server/db';
import { recordAudit } from '$lib/server/audit';
import type { RequestHandler } from './$types';

/**
 * Fault injection for the resilience tests (tests/security/resilience.security.ts), and nothing
 * else: it answers 404 unless the server was started with TECHCAP_TEST_HOOKS=1, which no
 * deployment sets (docs/operations.md says so).
 *   POST ?action=db-down  closes the live database handle, so every query fails as in an outage
 *   POST ?action=db-up    reopens it (what a reconnecting driver does)
 *   GET  ?action=slow&ms= holds the request, then writes an audit entry (a slow in-flight write)
 */
function enabled(): void {
	if (process.env.TECHCAP_TEST_HOOKS !== '1') error(404, { message: 'Not found' });
}

export const POST: RequestHandler = async ({ url }) => {
	enabled();
	const action = url.searchParams.get('action');
	if (action === 'db-down') {
		await (await getDatabase()).close();
		return json({ db: 'down' });
	}
	if (action === 'db-up') {
		await closeDatabase();
		await (await getDatabase()).ping();
		return json({ db: 'up' });
	}
	return json({ message: 'action must be db-down or db-up' }, { status: 400 });
};

export const GET: RequestHandler = async ({ url }) => {
	enabled();
	if (url.searchParams.get('action') !== 'slow')
		return json({ message: 'action must be slow' }, { status: 400 });
	const ms = Math.min(Math.max(Number(url.searchParams.get('ms')) || 0, 0), 20_000);
	await new Promise((r) => setTimeout(r, ms));
	const marker = url.searchParams.get('marker')?.slice(0, 64) ?? 'slow';
	await recordAudit(await getDatabase(), { actor: null, action: 'test.slow-request', target: marker });
	return json({ waited: ms, marker });
};
