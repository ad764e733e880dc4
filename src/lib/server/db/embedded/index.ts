/**
 * The embedded engine: zero-setup storage in one folder (`<dir>/techcap.sqlite`), MongoDB query,
 * update and aggregation semantics through mingo. See store.ts for durability and multi-process
 * behaviour, database.ts for transactions.
 */
import { DatabaseUnavailableError, type Database } from '../types';
import { EmbeddedDatabase } from './database';
import { DB_FILE, Store, type StoreOptions } from './store';

export { DB_FILE } from './store';
export { percentileOfSorted } from './mingo';

export type { StoreOptions } from './store';

export async function openEmbeddedDatabase(dir: string, options: StoreOptions = {}): Promise<Database> {
	let store: Store;
	try {
		store = new Store(dir, options);
	} catch (e) {
		const cause = e instanceof Error ? e.message : String(e);
		throw new DatabaseUnavailableError(`cannot open the embedded database ${dir}/${DB_FILE} (${cause})`, {
			cause: e
		});
	}
	return new EmbeddedDatabase(store);
}
