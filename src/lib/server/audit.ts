/**
 * The audit log: append-only (no update or delete is ever issued on it), recording who did what,
 * when, and the state before and after, for admin actions, reopened submissions, microdata exports
 * and rubric changes.
 */
import type { Database } from './db/types';
import { C, type AuditDoc } from './db/schema';
import { newId } from './db/ids';

export interface Actor {
	id: string;
	email: string;
}

export async function recordAudit(
	db: Database,
	entry: {
		actor: Actor | null;
		action: string;
		target: string;
		before?: unknown;
		after?: unknown;
		ip?: string;
	}
): Promise<void> {
	await db.collection<AuditDoc>(C.audit).insertOne({
		_id: newId(),
		at: new Date(),
		actorId: entry.actor?.id ?? null,
		actorEmail: entry.actor?.email ?? null,
		action: entry.action,
		target: entry.target,
		before: entry.before,
		after: entry.after,
		ip: entry.ip
	});
}

export async function listAudit(
	db: Database,
	filter: { action?: string; limit?: number; skip?: number } = {}
): Promise<AuditDoc[]> {
	return db.collection<AuditDoc>(C.audit).find(filter.action ? { action: String(filter.action) } : {}, {
		sort: { at: -1 },
		limit: Math.min(filter.limit ?? 200, 5000),
		skip: filter.skip ?? 0
	});
}
