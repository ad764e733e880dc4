/**
 * Several writes as one, on every engine TechCap runs on. The embedded engine and MongoDB replica
 * sets and clusters run `fn` in a transaction; a standalone MongoDB server has none, so there `fn`
 * runs without one (`consistent: false`) and callers rely on their own repair path.
 */
import type { Database, TxSession } from './types';

export async function maybeTransaction<R>(
	db: Database,
	fn: (session: TxSession | undefined) => Promise<R>
): Promise<{ result: R; consistent: boolean }> {
	try {
		return { result: await db.withTransaction((s) => fn(s)), consistent: true };
	} catch (e) {
		// Raised before anything was written: the server refused to start the transaction.
		if (db.engine === 'mongodb' && /replica set/.test(e instanceof Error ? e.message : '')) {
			return { result: await fn(undefined), consistent: false };
		}
		throw e;
	}
}
