/**
 * The embedded engine's SQLite file: connections, one table per collection and its indexes.
 *
 *   "c:<collection>"  (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, doc BLOB) — seq is the natural order,
 *                     doc the document as JSONB (SQLite's binary JSON; `json(doc)` shows it as text)
 *   "k:<field>"        generated column of an indexed field's key (keys.ts), "s:<field>" when sparse
 *   "x:<coll>:<name>"  the SQLite index of a declared index
 *   engine_indexes     the declared indexes (TTL and sparse options SQLite does not hold)
 *   engine_meta        the file format
 */
import Sqlite from 'better-sqlite3';
import { DuplicateKeyError, type IndexSpec } from '../types';
import {
	columnExpression,
	columnName,
	indexDef,
	keyOf,
	quote,
	valueAt,
	type IndexDef,
	type KeyColumn
} from './keys';

export const DB_FILE = 'techcap.sqlite';
export const FORMAT = '2';
/** The write-ahead log is cut back to this size once checkpointed (see docs/operations.md). */
export const WAL_LIMIT_BYTES = 64 * 1024 * 1024;

export type Connection = Sqlite.Database;

export interface ConnectionOptions {
	/** How long one SQLite call may wait for another connection's lock. */
	busyMs: number;
}

export function connect(file: string, options: ConnectionOptions): Connection {
	const conn = new Sqlite(file);
	try {
		conn.pragma(`busy_timeout = ${options.busyMs}`);
		conn.pragma('journal_mode = WAL');
		// A commit is in the WAL before COMMIT returns: a killed process loses nothing acknowledged.
		conn.pragma(process.env.TECHCAP_EMBEDDED_SYNC === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
		conn.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
		conn.pragma('wal_autocheckpoint = 1000');
		conn.pragma('foreign_keys = OFF');
		// Reading the schema here makes an unreadable or foreign file fail now, in one line.
		conn.pragma('schema_version');
	} catch (e) {
		conn.close();
		throw e;
	}
	return conn;
}

const statements = new WeakMap<Connection, Map<string, Sqlite.Statement>>();

/** A prepared statement, kept per connection (SQLite re-prepares it after schema changes). */
export function statement(conn: Connection, sql: string): Sqlite.Statement {
	let cache = statements.get(conn);
	if (!cache) statements.set(conn, (cache = new Map()));
	let stmt = cache.get(sql);
	if (!stmt) {
		// `IN (?, ?, …)` lists make many texts: a full cache starts again rather than growing.
		if (cache.size >= 500) cache.clear();
		stmt = conn.prepare(sql);
		cache.set(sql, stmt);
	}
	return stmt;
}

export function createEngineTables(conn: Connection): void {
	conn.exec(`
		CREATE TABLE IF NOT EXISTS engine_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
		CREATE TABLE IF NOT EXISTS engine_indexes (
			coll TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL, PRIMARY KEY (coll, name)
		) WITHOUT ROWID;
		INSERT INTO engine_meta (key, value) VALUES ('format', '${FORMAT}') ON CONFLICT (key) DO NOTHING;
	`);
}

export function hasEngineTables(conn: Connection): boolean {
	return !!conn.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'engine_indexes'`).get();
}

export const tableName = (coll: string): string => quote(`c:${coll}`);

/** What queries need to know of a collection's table. */
export interface TableInfo {
	readonly name: string;
	readonly table: string;
	readonly exists: boolean;
	/** Key column of each indexed field (the non-sparse one when both exist). */
	readonly columns: ReadonlyMap<string, KeyColumn>;
	readonly indexes: readonly IndexDef[];
}

export function readTableInfo(conn: Connection, coll: string): TableInfo {
	const table = tableName(coll);
	const exists = !!conn
		.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
		.get(`c:${coll}`);
	const indexes = exists
		? (conn.prepare('SELECT spec FROM engine_indexes WHERE coll = ?').pluck().all(coll) as string[]).map(
				(s) => indexDef(JSON.parse(s) as IndexSpec)
			)
		: [];
	const columns = new Map<string, KeyColumn>();
	for (const def of indexes) {
		for (const f of def.fields) {
			if (columns.get(f)?.sparse === false) continue;
			columns.set(f, { sql: quote(columnName(f, def.sparse)), sparse: def.sparse });
		}
	}
	return { name: coll, table, exists, columns, indexes };
}

export function createTable(conn: Connection, coll: string): void {
	conn.exec(
		`CREATE TABLE IF NOT EXISTS ${tableName(coll)} (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc BLOB NOT NULL)`
	);
}

/** What makes two index declarations the same index. */
function optionsOf(spec: IndexSpec): string {
	return JSON.stringify([spec.keys, !!spec.unique, !!spec.sparse, spec.expireAfterSeconds ?? null]);
}

/** The name of an index declared with the same options, or null when there is none yet. */
export function existingIndex(conn: Connection, coll: string, spec: IndexSpec): string | null {
	const def = indexDef(spec);
	const stored = conn
		.prepare('SELECT spec FROM engine_indexes WHERE coll = ? AND name = ?')
		.pluck()
		.get(coll, def.name) as string | undefined;
	return stored !== undefined && optionsOf(JSON.parse(stored) as IndexSpec) === optionsOf(spec)
		? def.name
		: null;
}

/** Creates a declared index (and the key columns it needs); returns its name. Idempotent. */
export function createIndex(conn: Connection, coll: string, spec: IndexSpec): string {
	const def = indexDef(spec);
	createTable(conn, coll);
	const table = tableName(coll);
	const existing = conn
		.prepare('SELECT spec FROM engine_indexes WHERE coll = ? AND name = ?')
		.pluck()
		.get(coll, def.name) as string | undefined;
	if (existing !== undefined) {
		if (optionsOf(JSON.parse(existing) as IndexSpec) !== optionsOf(spec)) {
			throw Object.assign(
				new Error(`an index named ${def.name} already exists on ${coll} with other options`),
				{
					code: 85
				}
			);
		}
		return def.name;
	}
	const present = new Set(
		conn.prepare(`SELECT name FROM pragma_table_xinfo(?)`).pluck().all(`c:${coll}`) as string[]
	);
	for (const f of def.fields) {
		const col = columnName(f, def.sparse);
		if (present.has(col)) continue;
		conn.exec(
			`ALTER TABLE ${table} ADD COLUMN ${quote(col)} GENERATED ALWAYS AS (${columnExpression(f, def.sparse)}) VIRTUAL`
		);
	}
	const cols = def.fields.map(
		(f) => `${quote(columnName(f, def.sparse))} ${spec.keys[f] === -1 ? 'DESC' : 'ASC'}`
	);
	try {
		conn.exec(
			`CREATE ${def.unique ? 'UNIQUE ' : ''}INDEX ${quote(`x:${coll}:${def.name}`)} ON ${table} (${cols.join(', ')})`
		);
	} catch (e) {
		if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
			throw Object.assign(
				new Error(`cannot create the unique index ${def.name} on ${coll}: duplicate keys exist`),
				{
					code: 11000
				}
			);
		}
		throw e;
	}
	conn
		.prepare('INSERT INTO engine_indexes (coll, name, spec) VALUES (?, ?, ?)')
		.run(coll, def.name, JSON.stringify(spec));
	return def.name;
}

/** The error for a write SQLite refused as a duplicate: which unique index, which key. */
export function duplicateKeyError(
	conn: Connection,
	info: TableInfo,
	doc: Record<string, unknown>,
	inserting: boolean
): DuplicateKeyError {
	const id = doc._id as string;
	const idTaken = inserting && !!conn.prepare(`SELECT 1 FROM ${info.table} WHERE id = ?`).get(id);
	for (const def of idTaken ? [] : info.indexes.filter((d) => d.unique)) {
		const keys = def.fields.map((f) => keyOf(doc, f, def.sparse));
		if (keys.some((k) => k === null)) continue;
		const where = def.fields.map((f) => `${quote(columnName(f, def.sparse))} = ?`).join(' AND ');
		const hit = conn
			.prepare(`SELECT 1 FROM ${info.table} WHERE ${where} AND id <> ? LIMIT 1`)
			.get(...keys, id);
		if (hit) {
			const key: Record<string, unknown> = {};
			for (const f of def.fields) key[f] = valueAt(doc, f) ?? null;
			return new DuplicateKeyError(info.name, def.name, key);
		}
	}
	return new DuplicateKeyError(info.name, '_id_', { _id: id });
}

export function listCollections(conn: Connection): string[] {
	return (
		conn
			.prepare(
				`SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 2) = 'c:' ORDER BY name`
			)
			.pluck()
			.all() as string[]
	).map((n) => n.slice(2));
}
