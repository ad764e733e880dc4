/**
 * The embedded engine's Database and Collection: documents live in SQLite (schema.ts), MongoDB's
 * query, update and aggregation semantics come from mingo for what SQL does not express.
 *
 * Two connections per process. Reads outside a transaction use the reader: in WAL mode they see
 * the last commit and never wait for a writer, so a scorecard is served while an import commits.
 * Writes use the writer, one at a time: an async lock in this process (a transaction holds it
 * until it ends) and SQLite's write lock between processes (`BEGIN IMMEDIATE`, retried without
 * blocking the event loop while a CLI import beside the server holds it). Long writes yield to
 * the event loop every few hundred documents.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import { newId } from '../ids';
import {
	BulkWriteError,
	DatabaseUnavailableError,
	DuplicateKeyError,
	type BaseDoc,
	type BulkWriteOp,
	type BulkWriteOptions,
	type BulkWriteResult,
	type Collection,
	type Database,
	type DeleteResult,
	type Filter,
	type FindOneAndUpdateOptions,
	type FindOptions,
	type IndexSpec,
	type InsertManyResult,
	type InsertOneResult,
	type SessionOption,
	type TxSession,
	type Update,
	type UpdateOptions,
	type UpdateResult,
	type WriteErrorInfo
} from '../types';
import { decodeDocument, encodeValue, type Doc } from './codec';
import {
	checkIndexedField,
	columnName,
	dateKey,
	isFieldPath,
	quote,
	sqlFilter,
	sqlOrder,
	type SqlValue
} from './keys';
import { documentSql, filterFields, projectionNeeds, stageNeeds, widen, type Needs } from './fields';
import { applyUpdate, compileFilter, cursor, refuseScripts, runPipeline } from './mingo';
import {
	connect,
	createEngineTables,
	createIndex,
	createTable,
	existingIndex,
	hasEngineTables,
	DB_FILE,
	duplicateKeyError,
	listCollections,
	readTableInfo,
	statement,
	type Connection,
	type TableInfo
} from './schema';
import { migrateFormat1 } from './migrate';
import { upsertSeed } from './upsert';

type AnyObject = Record<string, unknown>;

export interface EmbeddedOptions {
	/** How long a write waits for another process's write lock (default 30 s). */
	writeWaitMs?: number;
	/** How often documents past a TTL index's expiry are deleted (default every second). */
	ttlSweepMs?: number;
	/** Where migration progress goes (default the console). */
	log?: (line: string) => void;
}

/** Documents written or changed between two pauses that let other requests run. */
const YIELD_EVERY = 250;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs async functions one after another. */
class Mutex {
	private last: Promise<unknown> = Promise.resolve();
	busy = 0;
	run<R>(fn: () => Promise<R>): Promise<R> {
		this.busy++;
		const result = this.last.then(fn).finally(() => this.busy--);
		this.last = result.catch(() => {});
		return result;
	}
}

interface TxState {
	readonly session: TxSession;
	readonly db: EmbeddedDatabase;
	/** Operations of one transaction run one at a time (each in its own savepoint). */
	readonly ops: Mutex;
	/** First write error inside the transaction: like MongoDB, it dooms the transaction. */
	failed: unknown;
}

interface Row {
	seq: number;
	doc: string;
}

function codedError(message: string, code: number): Error {
	return Object.assign(new Error(message), { code });
}

function sqliteCode(e: unknown): string {
	const code = (e as { code?: unknown })?.code;
	return typeof code === 'string' ? code : '';
}

/** SQLite failures no caller can fix (disk full, read-only folder, corrupt file) as one clear line. */
function unavailable(file: string, e: unknown): unknown {
	const code = sqliteCode(e);
	const what: Record<string, string> = {
		SQLITE_FULL: 'the disk is full',
		SQLITE_READONLY: 'the data folder is read-only',
		SQLITE_CORRUPT: 'the file is corrupted (restore a backup)',
		SQLITE_NOTADB: 'the file is not a TechCap database (restore a backup)',
		SQLITE_CANTOPEN: 'the file cannot be opened',
		SQLITE_IOERR: 'the disk reported an I/O error'
	};
	const reason = Object.entries(what).find(([k]) => code.startsWith(k))?.[1];
	if (!reason) return e;
	return new DatabaseUnavailableError(`embedded database ${file}: ${reason}`, { cause: e });
}

export class EmbeddedDatabase implements Database {
	readonly engine = 'embedded' as const;
	private readonly als = new AsyncLocalStorage<TxState>();
	private readonly writeLock = new Mutex();
	private active: TxState | null = null;
	private closed = false;
	private readonly sweeper: NodeJS.Timeout;
	private readonly infos = new Map<string, { version: number; info: TableInfo }>();

	private constructor(
		readonly file: string,
		private readonly writer: Connection,
		private readonly reader: Connection,
		private readonly writeWaitMs: number,
		ttlSweepMs: number
	) {
		this.sweeper = setInterval(() => void this.sweepExpired().catch(() => {}), ttlSweepMs);
		this.sweeper.unref();
	}

	static open(dir: string, options: EmbeddedOptions = {}): EmbeddedDatabase {
		const file = join(dir, DB_FILE);
		const writer = connect(file, { busyMs: 5000 });
		let reader: Connection | undefined;
		try {
			migrateFormat1(writer, file, options.log ?? ((line) => console.log(line)));
			if (!hasEngineTables(writer)) {
				writer.exec('BEGIN IMMEDIATE');
				createEngineTables(writer);
				writer.exec('COMMIT');
			}
			// Short: a busy writer is retried without blocking the event loop (see begin()).
			writer.pragma('busy_timeout = 50');
			reader = connect(file, { busyMs: 5000 });
		} catch (e) {
			if (writer.inTransaction) writer.exec('ROLLBACK');
			writer.close();
			reader?.close();
			throw e;
		}
		const waitMs = options.writeWaitMs ?? Number(process.env.TECHCAP_EMBEDDED_WRITE_WAIT_MS ?? 30_000);
		return new EmbeddedDatabase(file, writer, reader, waitMs, options.ttlSweepMs ?? 1000);
	}

	collection<T extends BaseDoc>(name: string): Collection<T> {
		if (typeof name !== 'string' || !name || name.startsWith('$') || name.includes('\u0000')) {
			throw new TypeError(`invalid collection name ${JSON.stringify(name)}`);
		}
		return new EmbeddedCollection<T>(this, name);
	}

	async withTransaction<R>(fn: (session: TxSession) => Promise<R>): Promise<R> {
		if (this.als.getStore()?.db === this && this.active) {
			throw new Error('withTransaction cannot be nested: use the session you already have');
		}
		return this.writeLock.run(async () => {
			this.ensureOpen();
			await this.begin();
			const tx: TxState = {
				session: Object.freeze({ __tx: true as const }),
				db: this,
				ops: new Mutex(),
				failed: null
			};
			this.active = tx;
			try {
				const result = await this.als.run(tx, () => fn(tx.session));
				// Operations the callback started and did not await still belong to it.
				await tx.ops.run(async () => {});
				if (tx.failed) throw tx.failed;
				statement(this.writer, 'COMMIT').run();
				return result;
			} catch (e) {
				this.rollback();
				throw unavailable(this.file, e);
			} finally {
				this.active = null;
			}
		});
	}

	async ping(): Promise<void> {
		this.ensureOpen();
		this.reader.pragma('schema_version');
	}

	async close(): Promise<void> {
		if (this.closed) return;
		clearInterval(this.sweeper);
		await this.writeLock.run(async () => {
			if (this.closed) return;
			this.closed = true;
			try {
				// Leaves no log behind: the folder is one file again (backups, copies).
				this.writer.pragma('wal_checkpoint(TRUNCATE)');
			} catch {
				// another process is still using the file: it checkpoints later
			}
			this.reader.close();
			this.writer.close();
		});
	}

	async listCollections(): Promise<string[]> {
		this.ensureOpen();
		return listCollections(this.reader);
	}

	private ensureOpen(): void {
		if (this.closed) throw new Error('the embedded database is closed');
	}

	/** The table of `coll` as `conn` sees it now (cached until the schema changes). */
	info(conn: Connection, coll: string): TableInfo {
		const version = (statement(conn, 'PRAGMA schema_version').get() as { schema_version: number })
			.schema_version;
		const key = `${conn === this.writer ? 'w' : 'r'}:${coll}`;
		const cached = this.infos.get(key);
		if (cached && cached.version === version) return cached.info;
		const info = readTableInfo(conn, coll);
		this.infos.set(key, { version, info });
		return info;
	}

	private txOf(session: TxSession): TxState {
		const tx = this.active;
		if (!tx || tx.session !== session) {
			throw new Error('this session does not belong to an open transaction of this database');
		}
		return tx;
	}

	/** Opens the write transaction, waiting for another process's write lock without blocking. */
	private async begin(): Promise<void> {
		const deadline = Date.now() + this.writeWaitMs;
		for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
			try {
				statement(this.writer, 'BEGIN IMMEDIATE').run();
				return;
			} catch (e) {
				if (!sqliteCode(e).startsWith('SQLITE_BUSY')) throw unavailable(this.file, e);
				if (Date.now() >= deadline) {
					throw new DatabaseUnavailableError(
						`embedded database ${this.file}: another process has held the write lock for more than ${Math.round(this.writeWaitMs / 1000)} s`,
						{ cause: e }
					);
				}
			}
			await new Promise((r) => setTimeout(r, pause));
			this.ensureOpen();
		}
	}

	/** Runs a read: in the session's transaction, or on the reader (one consistent snapshot). */
	async read<R>(session: TxSession | undefined, op: string, fn: (conn: Connection) => R): Promise<R> {
		if (session) {
			const tx = this.txOf(session);
			return tx.ops.run(async () => {
				if (tx.failed) throw new Error(`${op}: the transaction was aborted by an earlier error`);
				return fn(this.writer);
			});
		}
		this.ensureOpen();
		try {
			return this.reader.transaction(() => fn(this.reader))();
		} catch (e) {
			throw unavailable(this.file, e);
		}
	}

	/** Runs a write atomically: its own SQLite transaction, or a savepoint of the session's. */
	async write<R>(
		session: TxSession | undefined,
		op: string,
		fn: (conn: Connection) => Promise<R>
	): Promise<R> {
		if (session) {
			const tx = this.txOf(session);
			return tx.ops.run(async () => {
				if (tx.failed) throw new Error(`${op}: the transaction was aborted by an earlier error`);
				try {
					return await inSavepoint(this.writer, () => fn(this.writer));
				} catch (e) {
					this.infos.clear();
					tx.failed ??= e;
					throw unavailable(this.file, e);
				}
			});
		}
		const tx = this.als.getStore();
		if (tx && tx === this.active) {
			// It would wait for the transaction that is waiting for it.
			throw new Error(`${op} was called inside withTransaction without { session }: pass the session`);
		}
		return this.writeLock.run(async () => {
			this.ensureOpen();
			await this.begin();
			try {
				const r = await fn(this.writer);
				statement(this.writer, 'COMMIT').run();
				return r;
			} catch (e) {
				this.rollback();
				throw unavailable(this.file, e);
			}
		});
	}

	private rollback(): void {
		// SQLite may already have rolled back (disk full, I/O error).
		if (this.writer.inTransaction) statement(this.writer, 'ROLLBACK').run();
		// A table or index created by the rolled-back transaction no longer exists.
		this.infos.clear();
	}

	markFailed(session: TxSession | undefined, e: unknown): void {
		if (!session || !this.active || this.active.session !== session) return;
		this.active.failed ??= e;
	}

	/** Deletes documents past the expiry of TTL indexes (only writes when there are some). */
	private async sweepExpired(): Promise<void> {
		if (this.closed || this.writeLock.busy) return;
		const now = Date.now();
		const due: Array<{ table: string; column: string; before: Buffer }> = [];
		for (const coll of listCollections(this.reader)) {
			const info = this.info(this.reader, coll);
			for (const def of info.indexes) {
				if (def.expireAfterSeconds === undefined) continue;
				const column = quote(columnName(def.fields[0], def.sparse));
				const before = dateKey(new Date(now - def.expireAfterSeconds * 1000));
				const where = `${column} >= X'03' AND ${column} < ?`;
				if (statement(this.reader, `SELECT 1 FROM ${info.table} WHERE ${where} LIMIT 1`).get(before)) {
					due.push({ table: info.table, column: where, before });
				}
			}
		}
		if (!due.length || this.closed) return;
		await this.write(undefined, 'expire', async (conn) => {
			for (const d of due) statement(conn, `DELETE FROM ${d.table} WHERE ${d.column}`).run(d.before);
		});
	}
}

/**
 * Rows of `info` that match `filter`, in natural order or the order SQL can give. With `needs`,
 * the documents hold only what the caller and the filter and sort read (see fields.ts); writes
 * never pass it, as they store the whole document back.
 */
function matchingRows(
	conn: Connection,
	info: TableInfo,
	filter: Filter,
	options: { sort?: Record<string, 1 | -1>; skip?: number; limit?: number; needs?: Needs } = {}
): { rows: Row[]; docs: Doc[]; ordered: boolean } {
	if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
		throw new TypeError('a filter must be an object');
	}
	const sql = sqlFilter(filter, info.columns);
	const query = sql.exact ? null : compileFilter(filter);
	if (!info.exists) return { rows: [], docs: [], ordered: true };
	const sort = options.sort && Object.keys(options.sort).length ? options.sort : null;
	const order = sort ? sqlOrder(sort, info.columns) : 'seq';
	const skip = order ? (options.skip ?? 0) : 0;
	const limit = order && options.limit ? options.limit : Infinity;
	const residual = query ? filterFields(filter) : [];
	const sortFields = sort ? Object.keys(sort) : [];
	const needs = widen(options.needs ?? null, residual && [...residual, ...sortFields]);
	const select = `SELECT seq, ${documentSql(needs)} AS doc FROM ${info.table} WHERE ${sql.where} ORDER BY ${order ?? 'seq'}`;
	const rows: Row[] = [];
	const docs: Doc[] = [];
	if (!query) {
		const page =
			limit === Infinity && !skip ? '' : ` LIMIT ${limit === Infinity ? -1 : limit} OFFSET ${skip}`;
		for (const row of statement(conn, select + page).all(...sql.params) as Row[]) {
			rows.push(row);
			docs.push(decodeDocument(row.doc));
		}
		return { rows, docs, ordered: order !== null };
	}
	let skipped = 0;
	for (const row of statement(conn, select).iterate(...(sql.params as SqlValue[])) as IterableIterator<Row>) {
		const doc = decodeDocument(row.doc);
		if (!query.test(doc)) continue;
		if (skipped < skip) {
			skipped++;
			continue;
		}
		rows.push(row);
		docs.push(doc);
		if (rows.length >= limit) break;
	}
	return { rows, docs, ordered: order !== null };
}

class EmbeddedCollection<T extends BaseDoc> implements Collection<T> {
	constructor(
		private readonly db: EmbeddedDatabase,
		readonly name: string
	) {}

	async find(filter: Filter = {}, options: FindOptions = {}): Promise<T[]> {
		checkNonNegInt('skip', options.skip);
		checkNonNegInt('limit', options.limit);
		return this.db.read(options.session, 'find', (conn) => {
			const needs = options.projection ? projectionNeeds(options.projection) : null;
			const { docs, ordered } = matchingRows(conn, this.db.info(conn, this.name), filter, {
				...options,
				needs
			});
			if (ordered)
				return (options.projection ? cursor(docs, { projection: options.projection }) : docs) as T[];
			return cursor(docs, options) as T[];
		});
	}

	async findOne(filter: Filter = {}, options: FindOptions = {}): Promise<T | null> {
		const [doc] = await this.find(filter, { ...options, limit: 1 });
		return doc ?? null;
	}

	async countDocuments(filter: Filter = {}, options: SessionOption = {}): Promise<number> {
		return this.db.read(options.session, 'countDocuments', (conn) => {
			const info = this.db.info(conn, this.name);
			if (!info.exists) return 0;
			const sql = sqlFilter(filter, info.columns);
			if (sql.exact) {
				const count = statement(conn, `SELECT count(*) AS n FROM ${info.table} WHERE ${sql.where}`);
				return (count.get(...sql.params) as { n: number }).n;
			}
			return matchingRows(conn, info, filter, { needs: { include: [] } }).docs.length;
		});
	}

	async distinct(field: string, filter: Filter = {}, options: SessionOption = {}): Promise<unknown[]> {
		return this.db.read(options.session, 'distinct', (conn) => {
			const needs = isFieldPath(field) ? { include: [field] } : null;
			const { docs } = matchingRows(conn, this.db.info(conn, this.name), filter, { needs });
			const seen = new Map<string, unknown>();
			for (const d of docs) {
				for (const v of pathValues(d, field)) {
					for (const x of Array.isArray(v) ? v : [v]) {
						if (x === undefined) continue;
						const k = encodeValue(x);
						if (!seen.has(k)) seen.set(k, x);
					}
				}
			}
			return [...seen.values()];
		});
	}

	async aggregate<R = Record<string, unknown>>(
		pipeline: Record<string, unknown>[],
		options: SessionOption = {}
	): Promise<R[]> {
		if (!Array.isArray(pipeline)) throw new TypeError('aggregate expects a pipeline array');
		pipeline.forEach((stage, i) => {
			const keys = stage && typeof stage === 'object' ? Object.keys(stage) : [];
			if (keys.length !== 1 || !keys[0].startsWith('$')) {
				throw new TypeError(`pipeline stage #${i} must be an object with exactly one $stage key`);
			}
			if (keys[0] === '$out' || keys[0] === '$merge') {
				throw new Error(`${keys[0]} is not supported by the embedded engine: write results with insertMany`);
			}
		});
		refuseScripts(pipeline, 'a pipeline');
		return this.db.read(options.session, 'aggregate', (conn) => {
			const first = pipeline[0] && '$match' in pipeline[0] ? (pipeline[0].$match as Filter) : {};
			const stages = pipeline[0] && '$match' in pipeline[0] ? pipeline.slice(1) : pipeline;
			const needs = stageNeeds(stages[0]);
			const { docs } = matchingRows(conn, this.db.info(conn, this.name), first, { needs });
			if (stages.length === 0) return docs as R[];
			// $lookup and $graphLookup read the other collection in the same snapshot.
			const resolve = (name: string) => matchingRows(conn, this.db.info(conn, name), {}).docs;
			return runPipeline(docs, stages, resolve) as R[];
		});
	}

	async insertOne(doc: T | Omit<T, '_id'>, options: SessionOption = {}): Promise<InsertOneResult> {
		const prepared = prepareNew(doc, 'insertOne document');
		return this.db.write(options.session, 'insertOne', async (conn) => {
			this.insert(conn, this.table(conn), prepared);
			return { insertedId: prepared.doc._id };
		});
	}

	async insertMany(docs: Array<T | Omit<T, '_id'>>, options: SessionOption = {}): Promise<InsertManyResult> {
		if (!Array.isArray(docs)) throw new TypeError('insertMany expects an array of documents');
		const prepared = docs.map((d, i) => prepareNew(d, `insertMany document #${i}`));
		const { ids, errors } = await this.db.write(options.session, 'insertMany', async (conn) => {
			const info = this.table(conn);
			const ids: string[] = [];
			const errors: WriteErrorInfo[] = [];
			for (let i = 0; i < prepared.length; i++) {
				if (i && i % YIELD_EVERY === 0) await yieldToEventLoop();
				try {
					this.insert(conn, info, prepared[i]);
					ids.push(prepared[i].doc._id);
				} catch (e) {
					if (!(e instanceof DuplicateKeyError)) throw e;
					errors.push(writeError(i, e));
					break; // ordered, as the driver's default: what came before stays
				}
			}
			return { ids, errors };
		});
		if (errors.length) {
			const err = new BulkWriteError(this.name, errors, { ...emptyBulkResult(), insertedCount: ids.length });
			this.db.markFailed(options.session, err);
			throw err;
		}
		return { insertedCount: ids.length, insertedIds: ids };
	}

	async updateOne(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
		checkUpdate(update);
		const r = await this.db.write(options.session, 'updateOne', async (conn) =>
			this.update(conn, filter, update, { multi: false, upsert: !!options.upsert })
		);
		return toUpdateResult(r);
	}

	async updateMany(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
		checkUpdate(update);
		const r = await this.db.write(options.session, 'updateMany', async (conn) =>
			this.update(conn, filter, update, { multi: true, upsert: !!options.upsert })
		);
		return toUpdateResult(r);
	}

	async replaceOne(
		filter: Filter,
		replacement: Omit<T, '_id'> | T,
		options: UpdateOptions = {}
	): Promise<UpdateResult> {
		checkReplacement(replacement);
		const r = await this.db.write(options.session, 'replaceOne', async (conn) =>
			this.update(conn, filter, replacement as AnyObject, {
				multi: false,
				upsert: !!options.upsert,
				replace: true
			})
		);
		return toUpdateResult(r);
	}

	async findOneAndUpdate(
		filter: Filter,
		update: Update,
		options: FindOneAndUpdateOptions = {}
	): Promise<T | null> {
		checkUpdate(update);
		return this.db.write(options.session, 'findOneAndUpdate', async (conn) => {
			const r = await this.update(conn, filter, update, {
				multi: false,
				upsert: !!options.upsert,
				sort: options.sort
			});
			const doc = options.returnDocument === 'after' ? r.after : r.before;
			if (!doc) return null;
			const [out] = options.projection ? cursor([doc], { projection: options.projection }) : [doc];
			return out as unknown as T;
		});
	}

	async deleteOne(filter: Filter, options: SessionOption = {}): Promise<DeleteResult> {
		return this.db.write(options.session, 'deleteOne', async (conn) => this.remove(conn, filter, false));
	}

	async deleteMany(filter: Filter, options: SessionOption = {}): Promise<DeleteResult> {
		return this.db.write(options.session, 'deleteMany', async (conn) => this.remove(conn, filter, true));
	}

	async bulkWrite(ops: BulkWriteOp<T>[], options: BulkWriteOptions = {}): Promise<BulkWriteResult> {
		if (!Array.isArray(ops)) throw new TypeError('bulkWrite expects an array of operations');
		const ordered = options.ordered ?? true;
		const prepared = ops.map((op, i) => prepareBulkOp(op as BulkWriteOp<BaseDoc>, i));
		const { result, errors } = await this.db.write(options.session, 'bulkWrite', async (conn) => {
			const result = emptyBulkResult();
			const errors: WriteErrorInfo[] = [];
			for (let i = 0; i < prepared.length; i++) {
				if (i && i % YIELD_EVERY === 0) await yieldToEventLoop();
				const op = prepared[i];
				try {
					// An insert fails before it changes anything; other operations may change
					// several documents before failing, so they run in a savepoint.
					if (op.kind === 'insertOne') {
						this.insert(conn, this.table(conn), op.prepared);
						result.insertedCount++;
					} else await inSavepoint(conn, () => this.runBulkOp(conn, op, result));
				} catch (e) {
					if (op.kind === 'insertOne' && !(e instanceof DuplicateKeyError)) throw e;
					errors.push(writeError(i, e));
					if (ordered) break;
				}
			}
			return { result, errors };
		});
		if (errors.length) {
			const err = new BulkWriteError(this.name, errors, result);
			this.db.markFailed(options.session, err);
			throw err;
		}
		return result;
	}

	async createIndex(spec: IndexSpec): Promise<string> {
		// Declared at every start: only an index that is not there yet needs the write lock.
		const existing = await this.db.read(undefined, 'createIndex', (conn) =>
			existingIndex(conn, this.name, spec)
		);
		if (existing) return existing;
		return this.db.write(undefined, 'createIndex', async (conn) => createIndex(conn, this.name, spec));
	}

	// ---- inside a write ----

	/** The collection's table, created on its first write. */
	private table(conn: Connection): TableInfo {
		const info = this.db.info(conn, this.name);
		if (info.exists) return info;
		createTable(conn, this.name);
		return this.db.info(conn, this.name);
	}

	private checkKeys(info: TableInfo, doc: AnyObject): void {
		for (const field of info.columns.keys()) checkIndexedField(this.name, doc, field);
	}

	private insert(conn: Connection, info: TableInfo, prepared: { doc: Doc; text: string }): void {
		this.checkKeys(info, prepared.doc);
		try {
			statement(conn, `INSERT INTO ${info.table} (id, doc) VALUES (?, jsonb(?))`).run(
				prepared.doc._id,
				prepared.text
			);
		} catch (e) {
			if (sqliteCode(e) !== 'SQLITE_CONSTRAINT_UNIQUE') throw e;
			throw duplicateKeyError(conn, info, prepared.doc, true);
		}
	}

	private replace(conn: Connection, info: TableInfo, seq: number, doc: Doc, text: string): void {
		this.checkKeys(info, doc);
		try {
			statement(conn, `UPDATE ${info.table} SET doc = jsonb(?) WHERE seq = ?`).run(text, seq);
		} catch (e) {
			if (sqliteCode(e) !== 'SQLITE_CONSTRAINT_UNIQUE') throw e;
			throw duplicateKeyError(conn, info, doc, false);
		}
	}

	private remove(conn: Connection, filter: Filter, multi: boolean): DeleteResult {
		const info = this.db.info(conn, this.name);
		const { rows } = matchingRows(conn, info, filter, multi ? {} : { limit: 1 });
		if (rows.length === 0) return { deletedCount: 0 };
		const del = statement(conn, `DELETE FROM ${info.table} WHERE seq = ?`);
		for (const row of rows) del.run(row.seq);
		return { deletedCount: rows.length };
	}

	private async update(
		conn: Connection,
		filter: Filter,
		update: Update,
		opts: { multi: boolean; upsert: boolean; replace?: boolean; sort?: Record<string, 1 | -1> }
	): Promise<WriteOutcome> {
		const info = this.table(conn);
		let { rows, docs } = matchingRows(conn, info, filter, opts.multi ? {} : { sort: opts.sort, limit: 1 });
		if (!opts.multi && rows.length > 1) {
			// SQL could not sort, so every match came back: mingo picks the first in sort order.
			const wrapped = docs.map((d, i) => ({ d, i }));
			const sort = Object.fromEntries(Object.entries(opts.sort ?? {}).map(([k, v]) => [`d.${k}`, v]));
			const [top] = cursor(wrapped, { sort, limit: 1 }) as Array<{ i: number }>;
			rows = [rows[top.i]];
			docs = [docs[top.i]];
		}
		if (rows.length === 0) {
			if (!opts.upsert) return { matched: 0, modified: 0, upsertedId: null, before: null, after: null };
			const prepared = upsertDoc(filter, update, !!opts.replace);
			this.insert(conn, info, prepared);
			const after = decodeDocument(prepared.text);
			return { matched: 0, modified: 0, upsertedId: after._id, before: null, after };
		}
		const { ops } = opts.replace ? { ops: update } : splitSetOnInsert(update);
		const condition = ops && needsFilter(ops) ? filter : {};
		let modified = 0;
		let first: { before: Doc; after: Doc } | null = null;
		for (let i = 0; i < rows.length; i++) {
			if (i && i % YIELD_EVERY === 0) await yieldToEventLoop();
			const before = docs[i];
			let next: AnyObject;
			if (opts.replace) {
				const replacement = update as AnyObject;
				if (replacement._id !== undefined) mustKeepId(before, replacement);
				next = { _id: before._id, ...replacement };
			} else {
				next = applyUpdate(decodeDocument(rows[i].doc), condition, ops as AnyObject | AnyObject[]).doc;
				mustKeepId(before, next);
			}
			const text = encodeValue(next);
			const after = decodeDocument(text);
			if (text !== encodeValue(before)) {
				this.replace(conn, info, rows[i].seq, after, text);
				modified++;
			}
			first ??= { before, after };
		}
		return { matched: rows.length, modified, upsertedId: null, before: first!.before, after: first!.after };
	}

	private async runBulkOp(conn: Connection, op: PreparedBulkOp, result: BulkWriteResult): Promise<void> {
		switch (op.kind) {
			case 'insertOne':
				throw new Error('inserts are run by bulkWrite itself');
			case 'deleteOne':
			case 'deleteMany':
				result.deletedCount += this.remove(conn, op.filter, op.kind === 'deleteMany').deletedCount;
				return;
			default: {
				const r = await this.update(conn, op.filter, op.update, {
					multi: op.kind === 'updateMany',
					upsert: op.upsert,
					replace: op.kind === 'replaceOne'
				});
				result.matchedCount += r.matched;
				result.modifiedCount += r.modified;
				if (r.upsertedId) result.upsertedCount++;
			}
		}
	}
}

/** Values a dotted path reaches, traversing arrays as MongoDB's distinct does. */
function pathValues(doc: unknown, path: string): unknown[] {
	let current: unknown[] = [doc];
	for (const part of path.split('.')) {
		const next: unknown[] = [];
		for (const c of current) {
			if (Array.isArray(c)) {
				for (const el of c) {
					if (el !== null && typeof el === 'object') next.push((el as AnyObject)[part]);
				}
			} else if (c !== null && typeof c === 'object') next.push((c as AnyObject)[part]);
		}
		current = next;
	}
	return current;
}

interface WriteOutcome {
	matched: number;
	modified: number;
	upsertedId: string | null;
	before: Doc | null;
	after: Doc | null;
}

type PreparedBulkOp =
	| { kind: 'insertOne'; prepared: { doc: Doc; text: string } }
	| { kind: 'updateOne' | 'updateMany' | 'replaceOne'; filter: Filter; update: Update; upsert: boolean }
	| { kind: 'deleteOne' | 'deleteMany'; filter: Filter };

/** A new document with its `_id` first (MongoDB's order), and its stored text. */
function prepareNew(doc: unknown, what: string): { doc: Doc; text: string } {
	if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
		throw new TypeError(`${what} must be an object`);
	}
	const source = doc as AnyObject;
	const id = source._id === undefined || source._id === null ? newId() : source._id;
	if (typeof id !== 'string' || id === '') {
		throw new TypeError(`${what}: _id must be a non-empty string, got ${JSON.stringify(id)}`);
	}
	const { _id, ...rest } = source;
	// The caller's values are only read (to check index keys); what is stored is the text.
	const stored = { _id: id, ...rest } as Doc;
	return { doc: stored, text: encodeValue(stored) };
}

/** Runs `fn` so that, if it throws, nothing it wrote remains (the enclosing transaction goes on). */
async function inSavepoint<R>(conn: Connection, fn: () => Promise<R> | R): Promise<R> {
	statement(conn, 'SAVEPOINT op').run();
	try {
		const r = await fn();
		statement(conn, 'RELEASE op').run();
		return r;
	} catch (e) {
		if (conn.inTransaction) {
			statement(conn, 'ROLLBACK TO op').run();
			statement(conn, 'RELEASE op').run();
		}
		throw e;
	}
}

function prepareBulkOp(op: BulkWriteOp<BaseDoc>, i: number): PreparedBulkOp {
	const keys = op && typeof op === 'object' ? Object.keys(op) : [];
	if (keys.length !== 1) throw new TypeError(`bulkWrite operation #${i} must have exactly one key`);
	if ('insertOne' in op)
		return { kind: 'insertOne', prepared: prepareNew(op.insertOne.document, `bulkWrite #${i}`) };
	if ('updateOne' in op || 'updateMany' in op) {
		const kind = 'updateOne' in op ? 'updateOne' : 'updateMany';
		const spec = 'updateOne' in op ? op.updateOne : op.updateMany;
		checkUpdate(spec.update);
		return { kind, filter: spec.filter, update: spec.update, upsert: !!spec.upsert };
	}
	if ('replaceOne' in op) {
		checkReplacement(op.replaceOne.replacement);
		return {
			kind: 'replaceOne',
			filter: op.replaceOne.filter,
			update: op.replaceOne.replacement as AnyObject,
			upsert: !!op.replaceOne.upsert
		};
	}
	if ('deleteOne' in op) return { kind: 'deleteOne', filter: op.deleteOne.filter };
	if ('deleteMany' in op) return { kind: 'deleteMany', filter: op.deleteMany.filter };
	throw new TypeError(`bulkWrite operation #${i}: unknown operation '${keys[0]}'`);
}

/** The document an upsert inserts, built as MongoDB does (filter equalities, then update). */
function upsertDoc(filter: Filter, update: Update, replace: boolean): { doc: Doc; text: string } {
	const seed = upsertSeed(filter);
	let doc: AnyObject;
	if (replace) {
		doc = { ...(seed._id !== undefined ? { _id: seed._id } : {}), ...(update as AnyObject) };
	} else {
		const { ops, onInsert } = splitSetOnInsert(update);
		doc = seed;
		if (ops) doc = applyUpdate(doc, {}, ops as AnyObject | AnyObject[]).doc;
		if (onInsert) doc = applyUpdate(doc, {}, { $set: onInsert }).doc;
		if (seed._id !== undefined && doc._id !== seed._id) {
			throw codedError('an upsert must not change the _id given by the filter', 66);
		}
	}
	return prepareNew(doc, 'upserted document');
}

function checkUpdate(update: Update): void {
	if (Array.isArray(update)) {
		if (!update.every((s) => s !== null && typeof s === 'object' && !Array.isArray(s))) {
			throw new TypeError('an update pipeline must be an array of stage objects');
		}
		return;
	}
	if (update === null || typeof update !== 'object') throw new TypeError('an update must be an object');
	const keys = Object.keys(update);
	if (keys.length === 0) throw codedError('an update document must not be empty', 9);
	const plain = keys.find((k) => !k.startsWith('$'));
	if (plain) {
		throw codedError(
			`an update must use operators ($set, $inc, ...); field '${plain}' found (use replaceOne to replace a document)`,
			9
		);
	}
}

function checkReplacement(doc: unknown): asserts doc is AnyObject {
	if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
		throw new TypeError('a replacement must be an object');
	}
	const op = Object.keys(doc).find((k) => k.startsWith('$'));
	if (op) throw codedError(`a replacement document must not contain operators ('${op}')`, 9);
}

function mustKeepId(before: Doc, after: AnyObject): void {
	if (after._id !== before._id) {
		throw codedError(
			`Performing an update on the path '_id' would modify the immutable field '_id' (document ${before._id})`,
			66
		);
	}
}

function splitSetOnInsert(update: Update): { ops: Update | null; onInsert: AnyObject | null } {
	if (Array.isArray(update)) return { ops: update, onInsert: null };
	const { $setOnInsert, ...rest } = update as AnyObject;
	return {
		ops: Object.keys(rest).length ? rest : null,
		onInsert: ($setOnInsert as AnyObject | undefined) ?? null
	};
}

/** Positional `$` paths need the filter to find the array element; other updates don't. */
function needsFilter(update: Update): boolean {
	return !Array.isArray(update) && JSON.stringify(update).includes('.$');
}

function emptyBulkResult(): BulkWriteResult {
	return { insertedCount: 0, matchedCount: 0, modifiedCount: 0, deletedCount: 0, upsertedCount: 0 };
}

function writeError(index: number, e: unknown): WriteErrorInfo {
	const code = (e as { code?: unknown }).code;
	return {
		index,
		code: typeof code === 'number' ? code : undefined,
		message: e instanceof Error ? e.message : String(e)
	};
}

function toUpdateResult(r: WriteOutcome): UpdateResult {
	return {
		matchedCount: r.matched,
		modifiedCount: r.modified,
		upsertedCount: r.upsertedId ? 1 : 0,
		upsertedId: r.upsertedId
	};
}

function checkNonNegInt(name: string, v: number | undefined): void {
	if (v !== undefined && !(Number.isInteger(v) && v >= 0)) {
		throw new TypeError(`${name} must be a non-negative integer, got ${v}`);
	}
}
