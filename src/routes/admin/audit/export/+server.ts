import { getDatabase } from '$lib/server/db';
import { csvLines } from '$lib/domain/csv';
import { listAudit, recordAudit } from '$lib/server/audit';
import { parseAuditFilter, stateText } from '../filter';
import type { RequestHandler } from './$types';

const COLUMNS = ['at', 'actor', 'action', 'target', 'before', 'after', 'ip'];
const BATCH = 1000;

/**
 * The audit log as CSV (UTF-8 with BOM for Excel; text cells formula-escaped, since targets and
 * states carry user-typed names). Streamed in batches so a long log never sits in memory.
 */
export const GET: RequestHandler = async ({ url, locals }) => {
	const db = await getDatabase();
	const f = await parseAuditFilter(db, url.searchParams);
	// Exporting the log is itself recorded: who took a copy of it, and when.
	await recordAudit(db, {
		actor: locals.user,
		action: 'audit.export',
		target: 'audit',
		after: { action: f.action }
	});
	async function* rows() {
		for (let skip = 0; ; skip += BATCH) {
			const batch = await listAudit(db, { action: f.action ?? undefined, limit: BATCH, skip });
			for (const e of batch)
				yield {
					at: e.at,
					actor: e.actorEmail ?? '',
					action: e.action,
					target: e.target,
					before: stateText(e.before, 32_000),
					after: stateText(e.after, 32_000),
					ip: e.ip ?? ''
				};
			if (batch.length < BATCH) return;
		}
	}
	const stamp = new Date().toISOString().slice(0, 10);
	const lines = csvLines(rows(), COLUMNS);
	const encoder = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const next = await lines.next();
			if (next.done) controller.close();
			else controller.enqueue(encoder.encode(next.value));
		}
	});
	const name = (f.action ?? 'all').replace(/[^A-Za-z0-9._-]/g, '_');
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="techcap-audit-${name}-${stamp}.csv"`,
			'cache-control': 'no-store'
		}
	});
};
