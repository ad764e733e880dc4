/**
 * The embedded engine: zero-setup storage in one folder (`<dir>/techcap.sqlite`), one SQLite
 * table per collection, MongoDB query, update and aggregation semantics through mingo.
 * See database.ts for connections and transactions, keys.ts for indexes, docs/operations.md.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseUnavailableError, type Database } from '../types';
import { EmbeddedDatabase, type EmbeddedOptions } from './database';
import { DB_FILE } from './schema';

export { DB_FILE } from './schema';
export { percentileOfSorted } from './mingo';
export type { EmbeddedOptions } from './database';

export async function openEmbeddedDatabase(dir: string, options: EmbeddedOptions = {}): Promise<Database> {
	try {
		mkdirSync(dir, { recursive: true });
		return EmbeddedDatabase.open(dir, options);
	} catch (e) {
		if (e instanceof DatabaseUnavailableError) throw e;
		const cause = writable(dir)
			? e instanceof Error
				? e.message
				: String(e)
			: 'the data folder is read-only';
		throw new DatabaseUnavailableError(`cannot open the embedded database ${join(dir, DB_FILE)} (${cause})`, {
			cause: e
		});
	}
}

function writable(dir: string): boolean {
	try {
		accessSync(dir, constants.W_OK);
		return true;
	} catch {
		return false;
	}
}
