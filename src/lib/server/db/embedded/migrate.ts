/**
 * Moves a data folder written by the earlier embedded engine (format 1: every document as a V8
 * serialization in one `docs` table, read into memory at start) to one table per collection.
 *
 * Runs at start-up when the old tables are there. A copy of the old file is kept beside it
 * first; then everything happens in one SQLite transaction, so a migration that fails or is
 * killed leaves the old file as it was and simply runs again at the next start.
 */
import { existsSync } from 'node:fs';
import { deserialize } from 'node:v8';
import type { IndexSpec } from '../types';
import { encodeValue } from './codec';
import { checkIndexedField, indexDef } from './keys';
import { createEngineTables, createIndex, createTable, tableName, type Connection } from './schema';

const PAGE = 2000;
const FORMAT1_TABLES = ['docs', 'changelog', 'indexes', 'collections', 'meta'];

function hasTable(conn: Connection, name: string): boolean {
	return !!conn.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name);
}

/** The path of the copy kept of a format-1 file (a new name each run, never overwritten). */
function backupPath(file: string): string {
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	let path = `${file}.format1-${stamp}.bak`;
	for (let i = 2; existsSync(path); i++) path = `${file}.format1-${stamp}-${i}.bak`;
	return path;
}

/** Migrates `conn`'s file if it is in format 1; returns whether it did. */
export function migrateFormat1(conn: Connection, file: string, log: (line: string) => void): boolean {
	if (!hasTable(conn, 'docs')) return false;
	const total = conn.prepare('SELECT count(*) FROM docs').pluck().get() as number;
	const copy = backupPath(file);
	log(
		`TechCap: moving ${file} to the table-per-collection format (${total.toLocaleString('en')} documents).`
	);
	conn.prepare('VACUUM INTO ?').run(copy);
	log(`TechCap: a copy of the old file is kept as ${copy}`);

	conn.transaction(() => {
		createEngineTables(conn);
		const names = new Set<string>([
			...(hasTable(conn, 'collections')
				? (conn.prepare('SELECT name FROM collections').pluck().all() as string[])
				: []),
			...(conn.prepare('SELECT DISTINCT coll FROM docs').pluck().all() as string[])
		]);
		for (const name of names) createTable(conn, name);

		const specs = hasTable(conn, 'indexes')
			? (conn.prepare('SELECT coll, spec FROM indexes ORDER BY rowid').all() as Array<{
					coll: string;
					spec: string;
				}>)
			: [];
		const indexed = new Map<string, string[]>();
		for (const { coll, spec } of specs) {
			const def = indexDef(JSON.parse(spec) as IndexSpec);
			indexed.set(coll, [...(indexed.get(coll) ?? []), ...def.fields]);
		}

		// In the old natural order (rowid), page by page.
		const page = conn.prepare('SELECT rowid, coll, id, doc FROM docs WHERE rowid > ? ORDER BY rowid LIMIT ?');
		let last = 0;
		let done = 0;
		let nextReport = 50_000;
		for (;;) {
			const rows = page.all(last, PAGE) as Array<{ rowid: number; coll: string; id: string; doc: Buffer }>;
			if (rows.length === 0) break;
			for (const row of rows) {
				const doc = deserialize(row.doc) as Record<string, unknown>;
				for (const field of indexed.get(row.coll) ?? []) checkIndexedField(row.coll, doc, field);
				conn
					.prepare(`INSERT INTO ${tableName(row.coll)} (id, doc) VALUES (?, jsonb(?))`)
					.run(row.id, encodeValue({ _id: row.id, ...doc }));
			}
			last = rows[rows.length - 1].rowid;
			done += rows.length;
			if (done >= nextReport) {
				log(`TechCap: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} documents moved`);
				nextReport += 50_000;
			}
		}
		// Indexes last: built once over the moved documents (unique ones check them again).
		for (const { coll, spec } of specs) createIndex(conn, coll, JSON.parse(spec) as IndexSpec);
		for (const t of FORMAT1_TABLES) conn.exec(`DROP TABLE IF EXISTS ${t}`);
	})();
	conn.exec('VACUUM');
	log(`TechCap: migration finished (${total.toLocaleString('en')} documents).`);
	return true;
}
