/**
 * Refusals of row-level data are audited like the central check's (`access.forbidden` in hooks):
 * who asked for what, and why it was refused.
 */
import { recordAudit } from '../audit';
import type { Database } from '../db/types';
import { PolicyError, type Viewer } from './types';

/** Runs `work`; a 403 PolicyError it throws is written to the audit log before it is rethrown. */
export async function auditingRefusals<T>(
	db: Database,
	viewer: Partial<Viewer> | null,
	what: { path: string; sourceIds: readonly string[]; ip?: string },
	work: () => Promise<T>
): Promise<T> {
	try {
		return await work();
	} catch (e) {
		if (e instanceof PolicyError && e.status === 403)
			await recordAudit(db, {
				actor: viewer?.id && viewer.email ? { id: viewer.id, email: viewer.email } : null,
				action: 'access.rows-refused',
				target: what.path,
				after: { role: viewer?.role ?? null, sources: what.sourceIds, reason: e.text.en },
				ip: what.ip
			}).catch(() => {});
		throw e;
	}
}
