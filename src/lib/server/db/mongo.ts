/**
 * The MongoDB engine: a thin adapter from the official driver to the shared Collection API.
 * Differences it irons out: string `_id`s (made by `newId()`, also for upserts), plain arrays
 * instead of cursors, our DuplicateKeyError/BulkWriteError, and a one-line, credential-free
 * error when the server cannot be reached.
 */
import {
	MongoBulkWriteError,
	MongoClient,
	MongoServerError,
	type AnyBulkWriteOperation,
	type ClientSession,
	type Document,
	type Db,
	type Collection as MongoCollection
} from 'mongodb';
import { newId } from './ids';
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
	type UpdateResult
} from './types';

type AnyObject = Record<string, unknown>;

/** Host list of a connection string, without scheme, credentials, path or options. */
export function uriHosts(uri: string): string {
	const m = /^[a-z+]+:\/\/(?:[^@/]*@)?([^/?]*)/i.exec(uri);
	return m?.[1] || '(no host)';
}

function secretsOf(uri: string): string[] {
	const m = /^[a-z+]+:\/\/([^@/]*)@/i.exec(uri);
	if (!m) return [];
	const [user, pass] = m[1].split(':');
	const out = [m[1]];
	if (pass) out.push(pass, decodeURIComponent(pass));
	if (user) out.push(user);
	return out.filter((s) => s.length >= 3);
}

function scrub(text: string, uri: string): string {
	let out = text.replace(/\/\/[^@/\s]*@/g, '//***@');
	for (const s of secretsOf(uri)) out = out.split(s).join('***');
	return out.replace(/\s+/g, ' ').trim();
}

function describeCause(e: unknown): string {
	const err = e as {
		message?: string;
		code?: unknown;
		codeName?: string;
		reason?: { servers?: Map<string, { error?: { message?: string; cause?: { code?: string } } | null }> };
	};
	const causes = new Set<string>();
	for (const s of err.reason?.servers?.values() ?? []) {
		const code = s.error?.cause?.code ?? '';
		const msg = s.error?.message ?? '';
		if (code === 'ECONNREFUSED' || msg.includes('ECONNREFUSED')) causes.add('connection refused');
		else if (code === 'ENOTFOUND' || msg.includes('ENOTFOUND')) causes.add('host not found');
		else if (/timed? ?out|ETIMEDOUT/i.test(msg)) causes.add('connection timed out');
		else if (/auth/i.test(msg)) causes.add('authentication failed');
		else if (/certificate|tls|ssl/i.test(msg)) causes.add('TLS error');
		else if (msg) causes.add(msg);
	}
	if (causes.size) return [...causes].join('; ');
	if (err.code === 18 || err.codeName === 'AuthenticationFailed') return 'authentication failed';
	if (/ECONNREFUSED/.test(err.message ?? '')) return 'connection refused';
	if (/ENOTFOUND/.test(err.message ?? '')) return 'host not found';
	if (/Server selection timed out/i.test(err.message ?? '')) return 'no suitable server answered within 8 s';
	return err.message ?? String(e);
}

/**
 * Connects and checks the server answers. Writes use `w: 'majority'` (an acknowledged write
 * survives a primary failover instead of being rolled back) and retryable writes (a write
 * interrupted by a failover or network blip is retried once, exactly-once on the server).
 */
export async function openMongoDatabase(uri: string): Promise<Database> {
	let client: MongoClient;
	try {
		client = new MongoClient(uri, {
			serverSelectionTimeoutMS: 8000,
			writeConcern: { w: 'majority' },
			retryWrites: true,
			ignoreUndefined: true,
			appName: 'techcap'
		});
	} catch (e) {
		throw new DatabaseUnavailableError(
			`invalid MongoDB connection string for ${uriHosts(uri)} (${scrub(e instanceof Error ? e.message : String(e), uri)})`
		);
	}
	try {
		await client.connect();
		const db = client.db();
		await db.command({ ping: 1 });
		return new MongoDatabase(client, db);
	} catch (e) {
		await client.close().catch(() => {});
		throw new DatabaseUnavailableError(
			`cannot reach MongoDB at ${uriHosts(uri)} (${scrub(describeCause(e), uri)})`
		);
	}
}

/** Our opaque TxSession → the driver's ClientSession of the running transaction. */
const sessions = new WeakMap<TxSession, ClientSession>();

function sessionOf(opts: { session?: TxSession } | undefined): ClientSession | undefined {
	if (!opts?.session) return undefined;
	const s = sessions.get(opts.session);
	if (!s) throw new Error('this session does not belong to an open MongoDB transaction');
	return s;
}

function mapError(e: unknown, collection: string): unknown {
	// Keep errors the driver's withTransaction retries on exactly as they are.
	const labelled = e as { hasErrorLabel?: (label: string) => boolean };
	if (labelled.hasErrorLabel?.('TransientTransactionError')) return e;
	if (e instanceof MongoBulkWriteError) {
		const writeErrors = (Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors]).map((w) => ({
			index: w.index,
			code: typeof w.code === 'number' ? w.code : undefined,
			message: w.errmsg ?? w.message ?? 'write error'
		}));
		const r = e.result;
		return new BulkWriteError(collection, writeErrors, {
			insertedCount: r?.insertedCount ?? 0,
			matchedCount: r?.matchedCount ?? 0,
			modifiedCount: r?.modifiedCount ?? 0,
			deletedCount: r?.deletedCount ?? 0,
			upsertedCount: r?.upsertedCount ?? 0
		});
	}
	if (e instanceof MongoServerError && e.code === 11000) {
		const index = /index: (\S+)/.exec(e.message)?.[1] ?? 'unknown';
		const err = new DuplicateKeyError(collection, index, (e.keyValue as AnyObject | undefined) ?? {});
		return Object.assign(err, { cause: e });
	}
	if (e instanceof MongoServerError && e.code === 20 && /Transaction numbers/i.test(e.message)) {
		return new Error(
			'MongoDB transactions need a replica set or sharded cluster (this server is standalone)',
			{
				cause: e
			}
		);
	}
	return e;
}

/** True when a filter pins `_id` to one value, which MongoDB then uses for an upserted document. */
function filterPinsId(filter: Filter): boolean {
	const id = filter._id;
	return id !== undefined && (typeof id !== 'object' || id === null || '$eq' in (id as AnyObject));
}

/** Makes upserts insert a string `_id` (the driver would otherwise create an ObjectId). */
function withUpsertId(filter: Filter, update: Update): Update {
	if (filterPinsId(filter)) return update;
	if (Array.isArray(update)) {
		return [...update, { $set: { _id: { $ifNull: ['$_id', newId()] } } }];
	}
	const u = update as AnyObject;
	if ((u.$set as AnyObject | undefined)?._id !== undefined) return update;
	return { ...u, $setOnInsert: { ...((u.$setOnInsert as AnyObject | undefined) ?? {}), _id: newId() } };
}

/** A replacement upsert as a pipeline, so the new document's `_id` is a string too. */
function replacementPipeline(replacement: AnyObject): AnyObject[] {
	return [
		{
			$replaceWith: {
				$mergeObjects: [{ _id: { $ifNull: ['$_id', newId()] } }, { $literal: replacement }]
			}
		}
	];
}

function withId<T extends BaseDoc>(doc: T | Omit<T, '_id'>): AnyObject {
	const d = doc as AnyObject;
	return d._id === undefined || d._id === null ? { ...d, _id: newId() } : { ...d };
}

class MongoDatabase implements Database {
	readonly engine = 'mongodb' as const;
	constructor(
		private readonly client: MongoClient,
		private readonly db: Db
	) {}

	collection<T extends BaseDoc>(name: string): Collection<T> {
		return new MongoColl<T>(this.db.collection<Document>(name), name);
	}

	/**
	 * A driver transaction. The driver retries `fn` on transient errors (failover, write
	 * conflict), so `fn` must be safe to run again: only database work inside, no e-mails.
	 */
	async withTransaction<R>(fn: (session: TxSession) => Promise<R>): Promise<R> {
		const session = this.client.startSession();
		const tx: TxSession = Object.freeze({ __tx: true as const });
		sessions.set(tx, session);
		try {
			return await session.withTransaction(() => fn(tx), {
				readConcern: { level: 'snapshot' },
				writeConcern: { w: 'majority' }
			});
		} catch (e) {
			throw mapError(e, 'transaction');
		} finally {
			sessions.delete(tx);
			await session.endSession();
		}
	}

	async ping(): Promise<void> {
		await this.db.command({ ping: 1 });
	}

	async close(): Promise<void> {
		await this.client.close();
	}

	async listCollections(): Promise<string[]> {
		const list = await this.db.listCollections({}, { nameOnly: true }).toArray();
		return list.map((c) => c.name).sort();
	}

	/** The database name (tests drop it). */
	get name(): string {
		return this.db.databaseName;
	}

	async drop(): Promise<void> {
		await this.db.dropDatabase();
	}
}

class MongoColl<T extends BaseDoc> implements Collection<T> {
	constructor(
		private readonly c: MongoCollection<Document>,
		readonly name: string
	) {}

	private async run<R>(fn: () => Promise<R>): Promise<R> {
		try {
			return await fn();
		} catch (e) {
			throw mapError(e, this.name);
		}
	}

	find(filter: Filter = {}, options: FindOptions = {}): Promise<T[]> {
		return this.run(async () => {
			const cur = this.c.find(filter, {
				projection: options.projection,
				sort: options.sort,
				skip: options.skip,
				limit: options.limit,
				session: sessionOf(options)
			});
			return (await cur.toArray()) as unknown as T[];
		});
	}

	findOne(filter: Filter = {}, options: FindOptions = {}): Promise<T | null> {
		return this.run(async () => {
			const doc = await this.c.findOne(filter, {
				projection: options.projection,
				sort: options.sort,
				skip: options.skip,
				session: sessionOf(options)
			});
			return doc as unknown as T | null;
		});
	}

	insertOne(doc: T | Omit<T, '_id'>, options: SessionOption = {}): Promise<InsertOneResult> {
		return this.run(async () => {
			const d = withId(doc);
			await this.c.insertOne(d, { session: sessionOf(options) });
			return { insertedId: d._id as string };
		});
	}

	insertMany(docs: Array<T | Omit<T, '_id'>>, options: SessionOption = {}): Promise<InsertManyResult> {
		return this.run(async () => {
			const ds = docs.map(withId);
			const r = await this.c.insertMany(ds, { session: sessionOf(options), ordered: true });
			return { insertedCount: r.insertedCount, insertedIds: ds.map((d) => d._id as string) };
		});
	}

	updateOne(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
		return this.run(async () => {
			const u = options.upsert ? withUpsertId(filter, update) : update;
			const r = await this.c.updateOne(filter, u as Document, {
				upsert: options.upsert,
				session: sessionOf(options)
			});
			return toUpdateResult(r);
		});
	}

	updateMany(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
		return this.run(async () => {
			const u = options.upsert ? withUpsertId(filter, update) : update;
			const r = await this.c.updateMany(filter, u as Document, {
				upsert: options.upsert,
				session: sessionOf(options)
			});
			return toUpdateResult(r);
		});
	}

	replaceOne(
		filter: Filter,
		replacement: Omit<T, '_id'> | T,
		options: UpdateOptions = {}
	): Promise<UpdateResult> {
		return this.run(async () => {
			const rep = replacement as AnyObject;
			if (options.upsert && rep._id === undefined && !filterPinsId(filter)) {
				const r = await this.c.updateOne(filter, replacementPipeline(rep), {
					upsert: true,
					session: sessionOf(options)
				});
				return toUpdateResult(r);
			}
			const r = await this.c.replaceOne(filter, rep, { upsert: options.upsert, session: sessionOf(options) });
			return toUpdateResult(r);
		});
	}

	findOneAndUpdate(filter: Filter, update: Update, options: FindOneAndUpdateOptions = {}): Promise<T | null> {
		return this.run(async () => {
			const u = options.upsert ? withUpsertId(filter, update) : update;
			const doc = await this.c.findOneAndUpdate(filter, u as Document, {
				upsert: options.upsert,
				returnDocument: options.returnDocument ?? 'before',
				projection: options.projection,
				sort: options.sort,
				session: sessionOf(options),
				includeResultMetadata: false
			});
			return doc as unknown as T | null;
		});
	}

	deleteOne(filter: Filter, options: SessionOption = {}): Promise<DeleteResult> {
		return this.run(async () => {
			const r = await this.c.deleteOne(filter, { session: sessionOf(options) });
			return { deletedCount: r.deletedCount };
		});
	}

	deleteMany(filter: Filter, options: SessionOption = {}): Promise<DeleteResult> {
		return this.run(async () => {
			const r = await this.c.deleteMany(filter, { session: sessionOf(options) });
			return { deletedCount: r.deletedCount };
		});
	}

	countDocuments(filter: Filter = {}, options: SessionOption = {}): Promise<number> {
		return this.run(() => this.c.countDocuments(filter, { session: sessionOf(options) }));
	}

	aggregate<R = Record<string, unknown>>(
		pipeline: Record<string, unknown>[],
		options: SessionOption = {}
	): Promise<R[]> {
		return this.run(async () => {
			const docs = await this.c.aggregate(pipeline, { session: sessionOf(options) }).toArray();
			return docs as R[];
		});
	}

	bulkWrite(ops: BulkWriteOp<T>[], options: BulkWriteOptions = {}): Promise<BulkWriteResult> {
		return this.run(async () => {
			const mapped = ops.map((op) => toDriverOp(op as BulkWriteOp<BaseDoc>));
			const r = await this.c.bulkWrite(mapped, {
				ordered: options.ordered ?? true,
				session: sessionOf(options)
			});
			return {
				insertedCount: r.insertedCount,
				matchedCount: r.matchedCount,
				modifiedCount: r.modifiedCount,
				deletedCount: r.deletedCount,
				upsertedCount: r.upsertedCount
			};
		});
	}

	createIndex(spec: IndexSpec): Promise<string> {
		return this.run(() =>
			this.c.createIndex(spec.keys, {
				unique: spec.unique,
				sparse: spec.sparse,
				expireAfterSeconds: spec.expireAfterSeconds,
				name: spec.name
			})
		);
	}

	distinct(field: string, filter: Filter = {}, options: SessionOption = {}): Promise<unknown[]> {
		return this.run(() => this.c.distinct(field, filter, { session: sessionOf(options) }));
	}
}

function toDriverOp(op: BulkWriteOp<BaseDoc>): AnyBulkWriteOperation<Document> {
	if ('insertOne' in op) return { insertOne: { document: withId(op.insertOne.document) } };
	if ('updateOne' in op) {
		const { filter, update, upsert } = op.updateOne;
		return {
			updateOne: { filter, update: (upsert ? withUpsertId(filter, update) : update) as Document, upsert }
		};
	}
	if ('updateMany' in op) {
		const { filter, update, upsert } = op.updateMany;
		return {
			updateMany: { filter, update: (upsert ? withUpsertId(filter, update) : update) as Document, upsert }
		};
	}
	if ('replaceOne' in op) {
		const { filter, replacement, upsert } = op.replaceOne;
		const rep = replacement as AnyObject;
		if (upsert && rep._id === undefined && !filterPinsId(filter)) {
			return { updateOne: { filter, update: replacementPipeline(rep), upsert: true } };
		}
		return { replaceOne: { filter, replacement: rep, upsert } };
	}
	if ('deleteOne' in op) return { deleteOne: { filter: op.deleteOne.filter } };
	return { deleteMany: { filter: op.deleteMany.filter } };
}

function toUpdateResult(r: {
	matchedCount: number;
	modifiedCount: number;
	upsertedCount: number;
	upsertedId: unknown;
}): UpdateResult {
	return {
		matchedCount: r.matchedCount,
		modifiedCount: r.modifiedCount,
		upsertedCount: r.upsertedCount,
		upsertedId: r.upsertedId === null || r.upsertedId === undefined ? null : String(r.upsertedId)
	};
}
