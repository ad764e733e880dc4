/**
 * The embedded engine's Database and Collection: MongoDB semantics (through mingo) over the
 * Store's cache, every write committed to SQLite before it is acknowledged.
 *
 * In this process, operations are serialised by an async mutex; `withTransaction` holds it for
 * the whole callback, so other callers wait until the transaction ends. Each operation itself is
 * synchronous (better-sqlite3), which is what makes "check unique, then write" atomic.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { newId } from '../ids';
import {
	BulkWriteError,
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
import { applyUpdate, compileFilter, cursor, refuseScripts, runPipeline } from './mingo';
import { CollState, isFresh, Store, WriteLockBusy } from './store';
import { serialize } from 'node:v8';
import {
	clone,
	encodeKey,
	stringOfKey,
	isOperatorObject,
	isStorable,
	pathValues,
	toStored,
	upsertSeed,
	type Doc
} from './values';

type AnyObject = Record<string, unknown>;

interface TxState {
	readonly session: TxSession;
	readonly db: EmbeddedDatabase;
	/** First write error inside the transaction: like MongoDB, it dooms the transaction. */
	failed: unknown;
}

/** A copy the caller may own: materialised compact documents already are one. */
function own<T>(doc: Doc): T {
	return (isFresh(doc) ? doc : clone(doc)) as unknown as T;
}

function codedError(message: string, code: number): Error {
	return Object.assign(new Error(message), { code });
}

function scalarKey(v: unknown): string | null {
	if (typeof v === 'string' || typeof v === 'boolean') return encodeKey(v);
	if (typeof v === 'number') return Number.isNaN(v) ? null : encodeKey(v);
	if (v instanceof Date) return encodeKey(v);
	return null;
}

/** Encoded keys an equality condition can only match, or null when it is not a plain equality. */
function equalityKeys(cond: unknown): string[] | null {
	const k = scalarKey(cond);
	if (k !== null) return [k];
	if (!isOperatorObject(cond)) return null;
	const ops = Object.keys(cond);
	if (ops.length !== 1) return null;
	if (ops[0] === '$eq') {
		const e = scalarKey(cond.$eq);
		return e === null ? null : [e];
	}
	if (ops[0] === '$in' && Array.isArray(cond.$in)) {
		const keys = cond.$in.map(scalarKey);
		return keys.every((x): x is string => x !== null) ? keys : null;
	}
	return null;
}

/**
 * Ids that can match `filter`, in natural order, from _id and index lookups; null when no
 * condition is answered by them (a full scan is needed). `exact` when every condition of the
 * filter was such an equality, so the ids ARE the result and no document needs reading.
 */
function candidateIds(c: CollState, filter: Filter): { ids: string[] | null; exact: boolean } {
	if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
		throw new TypeError('a filter must be an object');
	}
	const idCond = filter._id;
	if (typeof idCond === 'string') {
		return { ids: c.has(idCond) ? [idCond] : [], exact: Object.keys(filter).length === 1 };
	}
	// Each equality answered by an index gives the exact set of ids it matches (the lookup applies
	// MongoDB's equality, array elements included); the filter can only match their intersection.
	// Each condition is a list of id sets (one per $in value), read in place.
	const conds: { sets: Set<string>[]; size: number }[] = [];
	const add = (sets: Set<string>[]) => conds.push({ sets, size: sets.reduce((n, x) => n + x.size, 0) });
	let answered = 0;
	if (idCond !== undefined) {
		const keys = equalityKeys(idCond);
		const strings = keys?.map(stringOfKey);
		if (strings && strings.every((id) => id !== null)) {
			add([new Set(strings.filter((id) => c.has(id)))]);
			answered++;
		}
	}
	for (const [field, cond] of Object.entries(filter)) {
		if (field.startsWith('$') || field === '_id') continue;
		const keys = equalityKeys(cond);
		if (!keys) continue;
		const sets = c.lookup(field, keys);
		if (!sets) continue;
		add(sets);
		answered++;
	}
	if (!conds.length) return { ids: null, exact: false };
	conds.sort((a, b) => a.size - b.size);
	const first = conds[0].sets;
	let ids = first.length === 1 ? [...first[0]] : [...new Set(first.flatMap((x) => [...x]))];
	for (let i = 1; i < conds.length && ids.length; i++) {
		const { sets } = conds[i];
		ids = ids.filter((id) => sets.some((x) => x.has(id)));
	}
	if (ids.length > 1) ids.sort((a, b) => c.ordOf(a) - c.ordOf(b));
	return { ids, exact: answered === Object.keys(filter).length };
}

/** Documents matching `filter`, in natural order; uses _id and index lookups when it can. */
function match(c: CollState, filter: Filter): Doc[] {
	const { ids, exact } = candidateIds(c, filter);
	if (ids) {
		const docs = c.getMany(ids);
		if (exact) return docs;
		const q = compileFilter(filter);
		return docs.filter((d) => q.test(d));
	}
	const all = c.docs();
	if (Object.keys(filter).length === 0) return all.slice();
	const q = compileFilter(filter);
	return all.filter((d) => q.test(d));
}

/**
 * A find answered by the indexes alone ("covered"): the filter is exact on lookups, the
 * projection keeps `_id` and one field that the filter pins to strings, and that field never
 * held an array (its value is then the key the document was found under). Cold bodies are not
 * read: resolving 100,000 tax codes to enterprise ids spent ~0.6 s reading them. Null when the
 * query is not of that shape.
 */
function coveredFind(c: CollState, filter: Filter, options: FindOptions): Doc[] | null {
	const projection = options.projection;
	if (!projection || options.sort || options.skip) return null;
	let field: string | null = null;
	let withId = true;
	for (const [k, v] of Object.entries(projection)) {
		const on = v === 1 || v === true;
		if (k === '_id') {
			if (!on && v !== 0 && v !== false) return null;
			withId = on;
		} else if (!on || field !== null || k.includes('.') || k.startsWith('$')) return null;
		else field = k;
	}
	if (field === null || filter === null || typeof filter !== 'object') return null;
	const keys = filter[field] === undefined ? null : equalityKeys(filter[field]);
	if (!keys || !keys.every((k) => stringOfKey(k) !== null)) return null;
	const { ids, exact } = candidateIds(c, filter);
	if (!ids || !exact) return null;
	const keyOf = c.keyOfIds(field, keys, ids.length * 4 + 1000);
	if (!keyOf) return null;
	const f = field;
	const hits = options.limit ? ids.slice(0, options.limit) : ids;
	return hits.map((id) => {
		const value = stringOfKey(keyOf.get(id)!)!;
		return (withId ? { _id: id, [f]: value } : { [f]: value }) as Doc;
	});
}

/** How many documents match, reading none when indexes answer the whole filter. */
function count(c: CollState, filter: Filter): number {
	const { ids, exact } = candidateIds(c, filter);
	if (ids && exact) return ids.length;
	if (!ids && Object.keys(filter).length === 0) return c.entries.size;
	return match(c, filter).length;
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

/**
 * Serialized form of a prepared document whose nested values are still the caller's: the
 * serialization is the private copy (taken before the call returns), see Store.put.
 */
const serializedNew = new WeakMap<Doc, Buffer>();

/** How long a write waits for another process's write lock before failing. */
const WRITE_WAIT_MS = Number(process.env.TECHCAP_EMBEDDED_WRITE_WAIT_MS ?? 30_000);

function firstKey(o: object): string | undefined {
	for (const k in o) return k;
	return undefined;
}

function prepareNew(doc: unknown, what: string): Doc {
	if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
		throw new TypeError(`${what} must be an object`);
	}
	// Already storable (the usual case): serialize it as it is instead of deep-copying it first;
	// large documents are then cached as that Buffer and never copied as objects at all.
	const direct = isStorable(doc);
	const source = (direct ? doc : toStored(doc, '')) as AnyObject;
	const id = source._id === undefined || source._id === null ? newId() : source._id;
	if (typeof id !== 'string' || id === '') {
		throw new TypeError(`${what}: _id must be a non-empty string, got ${JSON.stringify(id)}`);
	}
	// MongoDB stores _id as the first field. A document already in that form (what TechCap's own
	// code writes) is kept as it is: the two shallow copies cost ~1 us per document, and for a
	// storable one the serialization is the private copy anyway.
	let out: Doc;
	if (source._id === id && firstKey(source) === '_id') out = source as Doc;
	else {
		const { _id, ...rest } = source;
		out = { _id: id, ...rest };
	}
	if (direct) serializedNew.set(out, serialize(out));
	return out;
}

function mustKeepId(before: Doc, after: AnyObject): void {
	if (after._id !== before._id) {
		throw codedError(
			`Performing an update on the path '_id' would modify the immutable field '_id' (document ${before._id})`,
			66
		);
	}
}

function sameDoc(a: unknown, b: unknown): boolean {
	return encodeKey(a) === encodeKey(b);
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

interface WriteOutcome {
	matched: number;
	modified: number;
	upsertedId: string | null;
	before: Doc | null;
	after: Doc | null;
}

function checkNonNegInt(name: string, v: number | undefined): void {
	if (v !== undefined && !(Number.isInteger(v) && v >= 0)) {
		throw new TypeError(`${name} must be a non-negative integer, got ${v}`);
	}
}

export class EmbeddedDatabase implements Database {
	readonly engine = 'embedded' as const;
	private readonly als = new AsyncLocalStorage<TxState>();
	private locked = false;
	private readonly waiters: (() => void)[] = [];
	private active: TxState | null = null;
	private closed = false;

	constructor(readonly store: Store) {}

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
		await this.lock();
		const tx: TxState = { session: Object.freeze({ __tx: true as const }), db: this, failed: null };
		try {
			this.ensureOpen();
			await this.beginWrite();
		} catch (e) {
			this.unlock();
			throw e;
		}
		this.active = tx;
		try {
			const result = await this.als.run(tx, () => fn(tx.session));
			if (tx.failed) throw tx.failed;
			this.store.commit();
			return result;
		} catch (e) {
			if (this.store.inWrite) this.store.rollback();
			throw e;
		} finally {
			this.active = null;
			this.unlock();
		}
	}

	async ping(): Promise<void> {
		await this.read(undefined, null, 'ping', () => undefined);
	}

	async close(): Promise<void> {
		if (this.closed) return;
		await this.lock();
		try {
			this.closed = true;
			await this.store.close();
		} finally {
			this.unlock();
		}
	}

	async listCollections(): Promise<string[]> {
		return this.read(undefined, null, 'listCollections', () => this.store.listCollections());
	}

	// ---- serialisation of operations ----

	private lock(): Promise<void> {
		if (!this.locked) {
			this.locked = true;
			return Promise.resolve();
		}
		return new Promise((resolve) => this.waiters.push(resolve));
	}

	private unlock(): void {
		const next = this.waiters.shift();
		if (next) next();
		else this.locked = false;
	}

	private ensureOpen(): void {
		if (this.closed || !this.store.open) throw new Error('the embedded database is closed');
	}

	private txOf(session: TxSession): TxState {
		const tx = this.active;
		if (!tx || tx.session !== session) {
			throw new Error('this session does not belong to an open transaction of this database');
		}
		return tx;
	}

	/** Operations without a session inside the transaction's callback would wait for it forever. */
	private refuseInsideTx(coll: string | null, op: string): void {
		const tx = this.als.getStore();
		if (tx && tx === this.active) {
			throw new Error(
				`${coll ? `${coll}.` : ''}${op} was called inside withTransaction without { session }: pass the session`
			);
		}
	}

	private expire(c: CollState): void {
		if (Date.now() < c.nextExpiry) return;
		const now = Date.now();
		for (const d of c.docs().slice()) if (c.expiryOf(d) <= now) this.store.remove(c, d._id);
		c.recomputeExpiry();
	}

	/** Runs a read: inside the transaction with a session, otherwise after catching up. */
	async read<R>(
		session: TxSession | undefined,
		coll: string | null,
		op: string,
		fn: (c: CollState | null) => R
	): Promise<R> {
		if (session) {
			const tx = this.txOf(session);
			if (tx.failed) throw new Error(`${op}: the transaction was aborted by an earlier error`);
			return fn(coll ? this.store.coll(coll) : null);
		}
		this.refuseInsideTx(coll, op);
		await this.lock();
		try {
			this.ensureOpen();
			this.store.sync();
			let c = coll ? this.store.coll(coll) : null;
			if (c && Date.now() >= c.nextExpiry) {
				await this.beginWrite();
				try {
					this.expire(this.store.coll(c.name));
					this.store.commit();
				} catch (e) {
					this.store.rollback();
					throw e;
				}
				c = this.store.coll(c.name);
			}
			return fn(c);
		} finally {
			this.unlock();
		}
	}

	/**
	 * Opens a write transaction, waiting up to WRITE_WAIT_MS for another process's write lock
	 * (a CLI import commits ~200,000 documents in one transaction) without blocking the event loop:
	 * each try blocks the thread for at most the store's short busy timeout.
	 */
	private async beginWrite(): Promise<void> {
		const deadline = Date.now() + WRITE_WAIT_MS;
		for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
			try {
				this.store.begin();
				return;
			} catch (e) {
				if (!(e instanceof WriteLockBusy)) throw e;
				if (Date.now() >= deadline)
					throw new Error(
						`${e.message} for more than ${WRITE_WAIT_MS / 1000} s (TECHCAP_EMBEDDED_WRITE_WAIT_MS)`,
						{ cause: e }
					);
			}
			await new Promise((r) => setTimeout(r, pause));
			this.ensureOpen();
		}
	}

	/** Runs a write atomically: its own SQLite transaction, or a savepoint of the session's. */
	async write<R>(
		session: TxSession | undefined,
		coll: string,
		op: string,
		fn: (c: CollState) => R
	): Promise<R> {
		if (session) {
			const tx = this.txOf(session);
			if (tx.failed) throw new Error(`${op}: the transaction was aborted by an earlier error`);
			try {
				return this.store.atomic(() => fn(this.store.coll(coll)));
			} catch (e) {
				tx.failed = e;
				throw e;
			}
		}
		this.refuseInsideTx(coll, op);
		await this.lock();
		try {
			this.ensureOpen();
			await this.beginWrite();
			try {
				const c = this.store.coll(coll);
				this.expire(c);
				const r = fn(c);
				this.store.commit();
				return r;
			} catch (e) {
				this.store.rollback();
				throw e;
			}
		} finally {
			this.unlock();
		}
	}

	/** Documents of another collection for $lookup/$graphLookup (copies: stages may change them). */
	resolver(): (name: string) => AnyObject[] {
		return (name) => this.store.coll(name).docs().map(clone);
	}

	markFailed(session: TxSession | undefined, e: unknown): void {
		if (!session || !this.active || this.active.session !== session) return;
		this.active.failed ??= e;
	}
}

class EmbeddedCollection<T extends BaseDoc> implements Collection<T> {
	constructor(
		private readonly db: EmbeddedDatabase,
		readonly name: string
	) {}

	private get store(): Store {
		return this.db.store;
	}

	async find(filter: Filter = {}, options: FindOptions = {}): Promise<T[]> {
		checkNonNegInt('skip', options.skip);
		checkNonNegInt('limit', options.limit);
		return this.db.read(options.session, this.name, 'find', (c) => {
			const covered = coveredFind(c!, filter, options);
			if (covered) return covered as unknown as T[];
			const docs = match(c!, filter);
			const out =
				options.sort || options.skip || options.projection
					? cursor(docs, options)
					: options.limit
						? docs.slice(0, options.limit)
						: docs;
			// Projected documents made from private copies (cold bodies) share nothing with the cache.
			if (options.projection && docs.every((d) => isFresh(d))) return out as unknown as T[];
			return out.map((d) => own<T>(d as Doc));
		});
	}

	async findOne(filter: Filter = {}, options: FindOptions = {}): Promise<T | null> {
		const [doc] = await this.find(filter, { ...options, limit: 1 });
		return doc ?? null;
	}

	async insertOne(doc: T | Omit<T, '_id'>, options: SessionOption = {}): Promise<InsertOneResult> {
		const prepared = prepareNew(doc, 'insertOne document');
		return this.db.write(options.session, this.name, 'insertOne', (c) => {
			this.insertPrepared(c, prepared);
			return { insertedId: prepared._id };
		});
	}

	async insertMany(docs: Array<T | Omit<T, '_id'>>, options: SessionOption = {}): Promise<InsertManyResult> {
		if (!Array.isArray(docs)) throw new TypeError('insertMany expects an array of documents');
		const prepared = docs.map((d, i) => prepareNew(d, `insertMany document #${i}`));
		const { ids, errors } = await this.db.write(options.session, this.name, 'insertMany', (c) => {
			const ids: string[] = [];
			const errors: WriteErrorInfo[] = [];
			// No savepoint per document: an insert fails only on a duplicate key, detected before it
			// changes anything, so the documents before it stay and nothing of it needs undoing.
			// Any other error escapes and the enclosing write undoes the whole call.
			for (let i = 0; i < prepared.length; i++) {
				try {
					this.insertPrepared(c, prepared[i]);
					ids.push(prepared[i]._id);
				} catch (e) {
					if (!(e instanceof DuplicateKeyError)) throw e;
					errors.push(writeError(i, e));
					break; // insertMany is ordered, as the driver's default
				}
			}
			return { ids, errors };
		});
		if (errors.length) {
			const err = new BulkWriteError(this.name, errors, {
				...emptyBulkResult(),
				insertedCount: ids.length
			});
			this.db.markFailed(options.session, err);
			throw err;
		}
		return { insertedCount: ids.length, insertedIds: ids };
	}

	async updateOne(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
		checkUpdate(update);
		const r = await this.db.write(options.session, this.name, 'updateOne', (c) =>
			this.updateIn(c, filter, update, { multi: false, upsert: !!options.upsert })
		);
		return toUpdateResult(r);
	}

	async updateMany(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
		checkUpdate(update);
		const r = await this.db.write(options.session, this.name, 'updateMany', (c) =>
			this.updateIn(c, filter, update, { multi: true, upsert: !!options.upsert })
		);
		return toUpdateResult(r);
	}

	async replaceOne(
		filter: Filter,
		replacement: Omit<T, '_id'> | T,
		options: UpdateOptions = {}
	): Promise<UpdateResult> {
		checkReplacement(replacement);
		const r = await this.db.write(options.session, this.name, 'replaceOne', (c) =>
			this.updateIn(c, filter, replacement as AnyObject, {
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
		return this.db.write(options.session, this.name, 'findOneAndUpdate', (c) => {
			const r = this.updateIn(c, filter, update, {
				multi: false,
				upsert: !!options.upsert,
				sort: options.sort
			});
			const doc = options.returnDocument === 'after' ? r.after : r.before;
			if (!doc) return null;
			const [out] = options.projection ? cursor([doc], { projection: options.projection }) : [doc];
			return clone(out) as unknown as T;
		});
	}

	async deleteOne(filter: Filter, options: SessionOption = {}): Promise<DeleteResult> {
		return this.db.write(options.session, this.name, 'deleteOne', (c) => {
			const [doc] = match(c, filter);
			if (!doc) return { deletedCount: 0 };
			this.store.remove(c, doc._id);
			return { deletedCount: 1 };
		});
	}

	async deleteMany(filter: Filter, options: SessionOption = {}): Promise<DeleteResult> {
		return this.db.write(options.session, this.name, 'deleteMany', (c) => {
			const docs = match(c, filter);
			for (const d of docs) this.store.remove(c, d._id);
			return { deletedCount: docs.length };
		});
	}

	async countDocuments(filter: Filter = {}, options: SessionOption = {}): Promise<number> {
		return this.db.read(options.session, this.name, 'countDocuments', (c) => count(c!, filter));
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
		return this.db.read(options.session, this.name, 'aggregate', (c) => {
			let stages = pipeline;
			let docs: Doc[];
			if (stages.length && '$match' in stages[0]) {
				docs = match(c!, stages[0].$match as Filter);
				stages = stages.slice(1);
			} else docs = c!.docs();
			// Stages may change their inputs: give them private copies (compact documents already are).
			const input = docs.map((d) => own<Doc>(d));
			if (stages.length === 0) return input as unknown as R[];
			// The input is private (copies) and $lookup reads copies too, so the output shares nothing
			// with the cache and needs no second copy.
			return runPipeline(input, stages, this.db.resolver()) as R[];
		});
	}

	async bulkWrite(ops: BulkWriteOp<T>[], options: BulkWriteOptions = {}): Promise<BulkWriteResult> {
		if (!Array.isArray(ops)) throw new TypeError('bulkWrite expects an array of operations');
		const ordered = options.ordered ?? true;
		const prepared = ops.map((op, i) => prepareBulkOp(op as BulkWriteOp<BaseDoc>, i));
		const { result, errors } = await this.db.write(options.session, this.name, 'bulkWrite', (c) => {
			const result = emptyBulkResult();
			const errors: WriteErrorInfo[] = [];
			for (let i = 0; i < prepared.length; i++) {
				const op = prepared[i];
				try {
					// Inserts need no savepoint (see insertMany); updates may change several
					// documents before failing, so they run atomically.
					if (op.kind === 'insertOne') {
						this.insertPrepared(c, op.doc);
						result.insertedCount++;
					} else this.store.atomic(() => this.runBulkOp(c, op, result));
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
		return this.db.write(undefined, this.name, 'createIndex', (c) => this.store.createIndex(c, spec));
	}

	async distinct(field: string, filter: Filter = {}, options: SessionOption = {}): Promise<unknown[]> {
		return this.db.read(options.session, this.name, 'distinct', (c) => {
			const seen = new Map<string, unknown>();
			for (const d of match(c!, filter)) {
				for (const v of pathValues(d, field)) {
					for (const x of Array.isArray(v) ? v : [v]) {
						if (x === undefined) continue;
						const k = encodeKey(x);
						if (!seen.has(k)) seen.set(k, clone(x));
					}
				}
			}
			return [...seen.values()];
		});
	}

	// ---- helpers running inside a write ----

	private insertPrepared(c: CollState, doc: Doc): void {
		if (c.has(doc._id)) throw new DuplicateKeyError(this.name, '_id_', { _id: doc._id });
		// `doc` is a private copy or comes with its serialization (prepareNew). Dropping the
		// serialization once written lets its (malloc'd) memory go at the next scavenge instead of
		// staying until the caller's whole batch is garbage.
		const buf = serializedNew.get(doc);
		serializedNew.delete(doc);
		this.store.put(c, doc, buf);
	}

	private updateIn(
		c: CollState,
		filter: Filter,
		update: Update,
		opts: { multi: boolean; upsert: boolean; replace?: boolean; sort?: Record<string, 1 | -1> }
	): WriteOutcome {
		let targets = match(c, filter);
		if (!opts.multi)
			targets = opts.sort ? (cursor(targets, { sort: opts.sort, limit: 1 }) as Doc[]) : targets.slice(0, 1);
		if (targets.length === 0) {
			if (!opts.upsert) return { matched: 0, modified: 0, upsertedId: null, before: null, after: null };
			const doc = this.upsertDoc(filter, update, !!opts.replace);
			this.insertPrepared(c, doc);
			return { matched: 0, modified: 0, upsertedId: doc._id, before: null, after: doc };
		}
		const { ops } = opts.replace ? { ops: update } : splitSetOnInsert(update);
		const condition = ops && needsFilter(ops) ? filter : {};
		let modified = 0;
		let first: { before: Doc; after: Doc } | null = null;
		for (const before of targets) {
			let after: Doc = before;
			if (opts.replace) {
				const next = toStored(update, '') as AnyObject;
				if (next._id !== undefined) mustKeepId(before, next);
				const withId = { _id: before._id, ...next } as Doc;
				if (!sameDoc(withId, before)) after = withId;
			} else if (ops) {
				const r = applyUpdate(clone(before), condition, ops as AnyObject | AnyObject[]);
				if (r.modified) {
					mustKeepId(before, r.doc);
					after = toStored(r.doc, '') as Doc;
				}
			}
			if (after !== before) {
				this.store.put(c, after);
				modified++;
			}
			first ??= { before, after };
		}
		return {
			matched: targets.length,
			modified,
			upsertedId: null,
			before: first?.before ?? null,
			after: first?.after ?? null
		};
	}

	/** The document an upsert inserts, built as MongoDB does (filter equalities, then update). */
	private upsertDoc(filter: Filter, update: Update, replace: boolean): Doc {
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
				throw codedError(`an upsert must not change the _id given by the filter`, 66);
			}
		}
		return prepareNew(doc, 'upserted document');
	}

	private runBulkOp(c: CollState, op: PreparedBulkOp, result: BulkWriteResult): void {
		switch (op.kind) {
			case 'insertOne':
				this.insertPrepared(c, op.doc);
				result.insertedCount++;
				return;
			case 'deleteOne':
			case 'deleteMany': {
				const docs = match(c, op.filter);
				const victims = op.kind === 'deleteOne' ? docs.slice(0, 1) : docs;
				for (const d of victims) this.store.remove(c, d._id);
				result.deletedCount += victims.length;
				return;
			}
			default: {
				const r = this.updateIn(c, op.filter, op.update, {
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

type PreparedBulkOp =
	| { kind: 'insertOne'; doc: Doc }
	| { kind: 'updateOne' | 'updateMany' | 'replaceOne'; filter: Filter; update: Update; upsert: boolean }
	| { kind: 'deleteOne' | 'deleteMany'; filter: Filter };

function prepareBulkOp(op: BulkWriteOp<BaseDoc>, i: number): PreparedBulkOp {
	const keys = op && typeof op === 'object' ? Object.keys(op) : [];
	if (keys.length !== 1) throw new TypeError(`bulkWrite operation #${i} must have exactly one key`);
	if ('insertOne' in op)
		return { kind: 'insertOne', doc: prepareNew(op.insertOne.document, `bulkWrite #${i}`) };
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
