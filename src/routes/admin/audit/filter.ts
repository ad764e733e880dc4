/** The audit page's query string: an action filter (one of the recorded actions) and a page number. */
import type { Database } from '$lib/server/db';
import { C } from '$lib/server/db/schema';
import { intParam } from '$lib/server/http';
import type { Bilingual } from '$lib/i18n';

export const PAGE_SIZE = 100;

export interface AuditFilter {
	action: string | null;
	page: number;
	/** A page number that is not one (`1e309`, `-1`, `abc`): said, not silently replaced. */
	problem: Bilingual | null;
}

/** Only an action that exists is used as a filter, so the value never reaches a query unchecked. */
export async function parseAuditFilter(
	db: Database,
	params: URLSearchParams
): Promise<AuditFilter & { actions: string[] }> {
	const actions = (await db.collection(C.audit).distinct('action'))
		.filter((a): a is string => typeof a === 'string')
		.sort();
	const raw = params.get('action');
	const action = raw && actions.includes(raw) ? raw : null;
	const p = intParam('page', params.get('page'), { min: 1, max: 100_000, fallback: 1 });
	return { action, page: p.ok ? p.value : 1, problem: p.ok ? null : p.message, actions };
}

/** Before/after states as compact JSON for display and export (long ones cut, with a marker). */
export function stateText(v: unknown, max = 2000): string {
	if (v === undefined || v === null) return '';
	const s = JSON.stringify(v);
	return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}
