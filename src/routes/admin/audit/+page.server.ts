import { getDatabase } from '$lib/server/db';
import { listAudit } from '$lib/server/audit';
import { C } from '$lib/server/db/schema';
import { PAGE_SIZE, parseAuditFilter, stateText } from './filter';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const db = await getDatabase();
	const f = await parseAuditFilter(db, url.searchParams);
	const [entries, total] = await Promise.all([
		listAudit(db, { action: f.action ?? undefined, limit: PAGE_SIZE, skip: (f.page - 1) * PAGE_SIZE }),
		db.collection(C.audit).countDocuments(f.action ? { action: f.action } : {})
	]);
	return {
		actions: f.actions,
		filter: { action: f.action, page: f.page },
		total,
		pageSize: PAGE_SIZE,
		entries: entries.map((e) => ({
			id: e._id,
			at: e.at.toISOString(),
			actor: e.actorEmail,
			action: e.action,
			target: e.target,
			before: stateText(e.before),
			after: stateText(e.after),
			ip: e.ip ?? ''
		}))
	};
};
