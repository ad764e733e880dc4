import { error, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { pick } from '$lib/i18n';
import { listAudit } from '$lib/server/audit';
import { C } from '$lib/server/db/schema';
import { PAGE_SIZE, parseAuditFilter, stateText } from './filter';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const db = await getDatabase();
	const f = await parseAuditFilter(db, url.searchParams);
	if (f.problem) error(400, pick(locals.locale, f.problem));
	const [entries, total] = await Promise.all([
		listAudit(db, { action: f.action ?? undefined, limit: PAGE_SIZE, skip: (f.page - 1) * PAGE_SIZE }),
		db.collection(C.audit).countDocuments(f.action ? { action: f.action } : {})
	]);
	// Past the last page (a typed URL, or a filter with fewer entries): the last page.
	const last = Math.max(1, Math.ceil(total / PAGE_SIZE));
	if (f.page > last) {
		const to = new URLSearchParams(url.searchParams);
		to.set('page', String(last));
		redirect(303, `${url.pathname}?${to}`);
	}
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
