/**
 * One behavioural contract, run against every engine: the embedded engine always (temp folder),
 * MongoDB when MONGODB_URI is set (a fresh database per run, dropped afterwards).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase } from './embedded/index';
import { openMongoDatabase } from './mongo';
import {
	BulkWriteError,
	DuplicateKeyError,
	isDuplicateKeyError,
	type BaseDoc,
	type Collection,
	type Database
} from './types';

const MONGODB_URI = process.env.MONGODB_URI?.trim();
if (!MONGODB_URI) console.log('[contract] MongoDB pass SKIPPED: MONGODB_URI is not set');

interface Doc extends BaseDoc {
	[k: string]: unknown;
}

/** The connection string with its database name replaced by `name`. */
function withDbName(uri: string, name: string): string {
	const q = uri.indexOf('?');
	const base = q >= 0 ? uri.slice(0, q) : uri;
	const query = q >= 0 ? uri.slice(q) : '';
	const m = /^([a-z+]+:\/\/[^/]*)/i.exec(base);
	if (!m) throw new Error('MONGODB_URI is not a mongodb:// connection string');
	return `${m[1]}/${name}${query}`;
}

interface EngineCase {
	name: string;
	skip: boolean;
	/** How long a TTL deletion may take (MongoDB's TTL monitor runs every 60 s). */
	ttlWaitMs: number;
	open(): Promise<{ db: Database; cleanup(): Promise<void> }>;
}

const engines: EngineCase[] = [
	{
		name: 'embedded',
		skip: false,
		ttlWaitMs: 2000,
		async open() {
			const dir = await mkdtemp(join(tmpdir(), 'techcap-contract-'));
			const db = await openEmbeddedDatabase(dir);
			return {
				db,
				async cleanup() {
					await db.close();
					await rm(dir, { recursive: true, force: true });
				}
			};
		}
	},
	{
		name: 'mongodb',
		skip: !MONGODB_URI,
		ttlWaitMs: 90_000,
		async open() {
			const name = `techcap_contract_${Date.now().toString(36)}_${process.pid}`;
			const db = await openMongoDatabase(withDbName(MONGODB_URI!, name));
			return {
				db,
				async cleanup() {
					await (db as unknown as { drop(): Promise<void> }).drop();
					await db.close();
				}
			};
		}
	}
];

const sortNums = (xs: unknown[]) => [...(xs as number[])].sort((a, b) => a - b);

for (const engine of engines) {
	describe.skipIf(engine.skip)(`data contract: ${engine.name}`, () => {
		let db: Database;
		let cleanup: () => Promise<void>;
		let n = 0;
		/** A fresh collection per test keeps tests independent. */
		const fresh = (): Collection<Doc> => db.collection<Doc>(`t${++n}_${Date.now().toString(36)}`);

		beforeAll(async () => {
			({ db, cleanup } = await engine.open());
		});
		afterAll(async () => {
			await cleanup?.();
		});

		it('inserts with generated string ids and finds by _id and by field', async () => {
			const c = fresh();
			const input = { name: 'An', at: new Date('2024-05-01T00:00:00Z'), tags: ['x'] };
			const { insertedId } = await c.insertOne(input);
			expect(insertedId).toMatch(/^[0-9a-f]{24}$/);
			expect(input).not.toHaveProperty('_id');
			const got = await c.findOne({ _id: insertedId });
			expect(got).toEqual({ _id: insertedId, ...input });
			expect(got?.at).toBeInstanceOf(Date);
			await c.insertOne({ _id: 'custom-1', name: 'Bình' });
			expect((await c.find({ name: 'Bình' })).map((d) => d._id)).toEqual(['custom-1']);
			expect(await c.findOne({ name: 'nobody' })).toBeNull();
			const many = await c.insertMany([{ name: 'C' }, { name: 'D' }]);
			expect(many.insertedCount).toBe(2);
			expect(await c.countDocuments()).toBe(4);
			await expect(c.insertOne({ _id: 'custom-1', name: 'again' })).rejects.toSatisfy(isDuplicateKeyError);
		});

		it('returns copies: changing a result does not change the stored document', async () => {
			const c = fresh();
			await c.insertOne({ _id: 'a', nested: { v: 1 }, list: [1] });
			const d = (await c.findOne({ _id: 'a' }))!;
			(d.nested as { v: number }).v = 99;
			(d.list as number[]).push(2);
			expect(await c.findOne({ _id: 'a' })).toEqual({ _id: 'a', nested: { v: 1 }, list: [1] });
		});

		it('enforces a unique index, writing nothing on violation (insert and update)', async () => {
			const c = fresh();
			expect(await c.createIndex({ keys: { email: 1 }, unique: true })).toBe('email_1');
			await c.insertOne({ _id: 'u1', email: 'a@x.vn' });
			await c.insertOne({ _id: 'u2', email: 'b@x.vn' });
			const err = await c.insertOne({ _id: 'u3', email: 'a@x.vn' }).catch((e: unknown) => e);
			expect(err).toBeInstanceOf(DuplicateKeyError);
			expect((err as DuplicateKeyError).code).toBe(11000);
			expect((err as DuplicateKeyError).index).toBe('email_1');
			expect(await c.countDocuments()).toBe(2);
			await expect(c.updateOne({ _id: 'u2' }, { $set: { email: 'a@x.vn' } })).rejects.toSatisfy(
				isDuplicateKeyError
			);
			expect((await c.findOne({ _id: 'u2' }))?.email).toBe('b@x.vn');
			// The freed value can be taken once its holder moves away.
			await c.updateOne({ _id: 'u1' }, { $set: { email: 'c@x.vn' } });
			await c.insertOne({ _id: 'u3', email: 'a@x.vn' });
			expect(await c.countDocuments({ email: 'a@x.vn' })).toBe(1);
		});

		it('enforces a compound unique index', async () => {
			const c = fresh();
			await c.createIndex({ keys: { campaignId: 1, enterpriseId: 1 }, unique: true });
			await c.insertOne({ campaignId: 'k1', enterpriseId: 'e1' });
			await c.insertOne({ campaignId: 'k1', enterpriseId: 'e2' });
			await c.insertOne({ campaignId: 'k2', enterpriseId: 'e1' });
			const err = await c.insertOne({ campaignId: 'k1', enterpriseId: 'e1' }).catch((e: unknown) => e);
			expect(isDuplicateKeyError(err)).toBe(true);
			expect((err as DuplicateKeyError).index).toBe('campaignId_1_enterpriseId_1');
			expect(await c.countDocuments()).toBe(3);
			// Parts are kept apart whatever characters they hold: ('k1,e1', 'x') is not ('k1', 'e1,x').
			await c.insertOne({ campaignId: 'k1,e1', enterpriseId: 'x' });
			await c.insertOne({ campaignId: 'k1', enterpriseId: 'e1,x' });
			await c.insertOne({ campaignId: '["k1","e1"]', enterpriseId: 'x' });
			expect(await c.countDocuments()).toBe(6);
		});

		it('sparse unique ignores documents without the field; non-sparse treats missing as null', async () => {
			const sparse = fresh();
			await sparse.createIndex({ keys: { dedupeKey: 1 }, unique: true, sparse: true });
			await sparse.insertOne({ n: 1 });
			await sparse.insertOne({ n: 2 });
			await sparse.insertOne({ dedupeKey: 'k' });
			await expect(sparse.insertOne({ dedupeKey: 'k' })).rejects.toSatisfy(isDuplicateKeyError);
			expect(await sparse.countDocuments()).toBe(3);

			const dense = fresh();
			await dense.createIndex({ keys: { code: 1 }, unique: true });
			await dense.insertOne({ n: 1 });
			await expect(dense.insertOne({ n: 2 })).rejects.toSatisfy(isDuplicateKeyError);
		});

		it('refuses a unique index over existing duplicates', async () => {
			const c = fresh();
			await c.insertMany([{ v: 1 }, { v: 1 }]);
			await expect(c.createIndex({ keys: { v: 1 }, unique: true })).rejects.toSatisfy(isDuplicateKeyError);
			await c.insertOne({ v: 1 }); // the failed index is not left behind
			expect(await c.countDocuments({ v: 1 })).toBe(3);
		});

		it('upserts like MongoDB: filter equalities seed the document, $setOnInsert only on insert', async () => {
			const c = fresh();
			const filter = { key: 'acct:a@x.vn', kind: { $eq: 'login' }, failures: { $gte: 0 } };
			const r1 = await c.updateOne(
				filter,
				{ $inc: { failures: 1 }, $setOnInsert: { createdAt: new Date(1000) } },
				{ upsert: true }
			);
			expect(r1).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1 });
			expect(r1.upsertedId).toMatch(/^[0-9a-f]{24}$/);
			const doc = await c.findOne({ _id: r1.upsertedId });
			expect(doc).toEqual({
				_id: r1.upsertedId,
				key: 'acct:a@x.vn',
				kind: 'login',
				failures: 1,
				createdAt: new Date(1000)
			});
			const r2 = await c.updateOne(
				filter,
				{ $inc: { failures: 1 }, $setOnInsert: { createdAt: new Date(2000) } },
				{ upsert: true }
			);
			expect(r2).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
			expect(await c.findOne({ key: 'acct:a@x.vn' })).toMatchObject({
				failures: 2,
				createdAt: new Date(1000)
			});
			const r3 = await c.updateOne({ _id: 'given' }, { $set: { v: 1 } }, { upsert: true });
			expect(r3.upsertedId).toBe('given');
			const r4 = await c.replaceOne({ code: 'R' }, { code: 'R', v: 2 }, { upsert: true });
			expect(r4.upsertedId).toMatch(/^[0-9a-f]{24}$/);
			expect(await c.findOne({ code: 'R' })).toEqual({ _id: r4.upsertedId, code: 'R', v: 2 });
		});

		it('applies $set, $inc, $push, $addToSet, $unset and reports modifications', async () => {
			const c = fresh();
			await c.insertOne({ _id: 'd', n: 1, tags: ['a'], gone: true, obj: { x: 1 } });
			const r = await c.updateOne(
				{ _id: 'd' },
				{
					$set: { 'obj.y': 2, name: 'x' },
					$inc: { n: 4 },
					$push: { log: { at: 1 } },
					$addToSet: { tags: { $each: ['a', 'b'] } },
					$unset: { gone: '' }
				}
			);
			expect(r).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
			expect(await c.findOne({ _id: 'd' })).toEqual({
				_id: 'd',
				n: 5,
				tags: ['a', 'b'],
				obj: { x: 1, y: 2 },
				name: 'x',
				log: [{ at: 1 }]
			});
			const same = await c.updateOne({ _id: 'd' }, { $set: { n: 5 } });
			expect(same).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
			const none = await c.updateOne({ _id: 'missing' }, { $set: { n: 1 } });
			expect(none).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedId: null });
			await expect(c.updateOne({ _id: 'd' }, { $set: { _id: 'other' } })).rejects.toThrow(/_id/);
			await expect(c.updateOne({ _id: 'd' }, { n: 1 })).rejects.toThrow();
		});

		it('updates positional array elements and runs pipeline updates', async () => {
			const c = fresh();
			await c.insertOne({
				_id: 'p',
				a: 2,
				b: 3,
				items: [
					{ id: 'x', q: 1 },
					{ id: 'y', q: 1 }
				]
			});
			await c.updateOne({ _id: 'p', 'items.id': 'y' }, { $inc: { 'items.$.q': 5 } });
			await c.updateOne({ _id: 'p' }, [{ $set: { total: { $add: ['$a', '$b'] } } }, { $unset: 'b' }]);
			expect(await c.findOne({ _id: 'p' })).toEqual({
				_id: 'p',
				a: 2,
				total: 5,
				items: [
					{ id: 'x', q: 1 },
					{ id: 'y', q: 6 }
				]
			});
		});

		it('updateMany, replaceOne, deleteOne, deleteMany, distinct', async () => {
			const c = fresh();
			await c.insertMany([
				{ _id: '1', g: 'a', v: 1, tags: ['p', 'q'] },
				{ _id: '2', g: 'a', v: 2, tags: ['q'] },
				{ _id: '3', g: 'b', v: 3 }
			]);
			expect(await c.updateMany({ g: 'a' }, { $set: { seen: true } })).toMatchObject({
				matchedCount: 2,
				modifiedCount: 2
			});
			expect(await c.replaceOne({ _id: '3' }, { g: 'c', v: 30 })).toMatchObject({
				matchedCount: 1,
				modifiedCount: 1
			});
			expect(await c.findOne({ _id: '3' })).toEqual({ _id: '3', g: 'c', v: 30 });
			expect(((await c.distinct('g')) as string[]).sort()).toEqual(['a', 'c']);
			expect(((await c.distinct('tags', { g: 'a' })) as string[]).sort()).toEqual(['p', 'q']);
			expect(await c.deleteOne({ g: 'a' })).toEqual({ deletedCount: 1 });
			expect(await c.deleteMany({ v: { $gte: 0 } })).toEqual({ deletedCount: 2 });
			expect(await c.countDocuments()).toBe(0);
		});

		it('finds with sort, skip, limit and projection', async () => {
			const c = fresh();
			await c.insertMany(
				[5, 3, 9, 1, 7].map((v, i) => ({ _id: `d${i}`, v, grp: v % 2 === 0 ? 'even' : 'odd', extra: 'x' }))
			);
			const page = await c.find(
				{ v: { $gte: 2 } },
				{ sort: { v: -1 }, skip: 1, limit: 2, projection: { v: 1 } }
			);
			expect(page).toEqual([
				{ _id: 'd4', v: 7 },
				{ _id: 'd0', v: 5 }
			]);
			const noId = await c.find({}, { sort: { v: 1 }, limit: 2, projection: { _id: 0, extra: 0 } });
			expect(noId).toEqual([
				{ v: 1, grp: 'odd' },
				{ v: 3, grp: 'odd' }
			]);
			expect(await c.countDocuments({ v: { $in: [1, 9, 4] } })).toBe(2);
			expect((await c.findOne({}, { sort: { v: -1 } }))?.v).toBe(9);
		});

		it('aggregates with $group, $facet, $bucket and $lookup', async () => {
			const c = fresh();
			await c.insertMany([
				{ sector: 'food', score: 40, ent: 'e1' },
				{ sector: 'food', score: 60, ent: 'e2' },
				{ sector: 'textile', score: 75, ent: 'e3' },
				{ sector: 'textile', score: 85, ent: 'e4' },
				{ sector: 'textile', score: 20, ent: 'e5' }
			]);
			const grouped = await c.aggregate([
				{ $match: { score: { $gte: 30 } } },
				{ $group: { _id: '$sector', n: { $sum: 1 }, avg: { $avg: '$score' }, max: { $max: '$score' } } },
				{ $sort: { _id: 1 } }
			]);
			expect(grouped).toEqual([
				{ _id: 'food', n: 2, avg: 50, max: 60 },
				{ _id: 'textile', n: 2, avg: 80, max: 85 }
			]);
			const [facet] = await c.aggregate([
				{
					$facet: {
						total: [{ $count: 'n' }],
						top: [{ $sort: { score: -1 } }, { $limit: 1 }, { $project: { _id: 0, ent: 1 } }]
					}
				}
			]);
			expect(facet).toEqual({ total: [{ n: 5 }], top: [{ ent: 'e4' }] });
			const buckets = await c.aggregate([
				{
					$bucket: {
						groupBy: '$score',
						boundaries: [0, 50, 80, 101],
						default: 'other',
						output: { n: { $sum: 1 } }
					}
				}
			]);
			expect(buckets).toEqual([
				{ _id: 0, n: 2 },
				{ _id: 50, n: 2 },
				{ _id: 80, n: 1 }
			]);
			const names = fresh();
			await names.insertMany([
				{ _id: 'e1', name: 'Công ty A' },
				{ _id: 'e4', name: 'Công ty D' }
			]);
			const joined = await c.aggregate([
				{ $match: { ent: { $in: ['e1', 'e4'] } } },
				{ $lookup: { from: names.name, localField: 'ent', foreignField: '_id', as: 'e' } },
				{ $project: { _id: 0, ent: 1, name: { $first: '$e.name' } } },
				{ $sort: { ent: 1 } }
			]);
			expect(joined).toEqual([
				{ ent: 'e1', name: 'Công ty A' },
				{ ent: 'e4', name: 'Công ty D' }
			]);
		});

		it('computes $percentile and $median as MongoDB does (numeric order, rank ceil(p·n))', async () => {
			const c = fresh();
			// Sorted: 1 3 5 7 9 11 13 15 (n = 8); 10 > 9 numerically but not as text.
			await c.insertMany([15, 1, 9, 3, 7, 11, 5, 13].map((v) => ({ g: 'all', v })));
			await c.insertOne({ g: 'all', v: 'not a number' });
			const [r] = await c.aggregate([
				{
					$group: {
						_id: '$g',
						p: { $percentile: { input: '$v', p: [0, 0.25, 0.5, 0.9, 1], method: 'approximate' } },
						m: { $median: { input: '$v', method: 'approximate' } }
					}
				}
			]);
			// ranks ceil(p·8): 1, 2, 4, 8 (7.2 → 8), 8
			expect(r).toEqual({ _id: 'all', p: [1, 3, 7, 15, 15], m: 7 });
			const tens = fresh();
			await tens.insertMany(Array.from({ length: 10 }, (_, i) => ({ v: i + 1 })));
			const [t] = await tens.aggregate([
				{ $group: { _id: null, m: { $median: { input: '$v', method: 'approximate' } } } }
			]);
			expect(t.m).toBe(5); // mingo 7.2.7 unpatched gives 4 (text order)
			const arr = fresh();
			await arr.insertOne({ _id: 'a', scores: [10, 2, 33, 4, 100] });
			const [e] = await arr.aggregate([
				{
					$project: {
						med: { $median: { input: '$scores', method: 'approximate' } },
						p: { $percentile: { input: '$scores', p: [0.2, 0.8], method: 'approximate' } }
					}
				}
			]);
			expect(e).toEqual({ _id: 'a', med: 10, p: [2, 33] });
		});

		it('commits a transaction as a whole and rolls back on error', async () => {
			const c = fresh();
			await c.insertOne({ _id: 'acct', balance: 100 });
			const result = await db.withTransaction(async (session) => {
				await c.updateOne({ _id: 'acct' }, { $inc: { balance: -30 } }, { session });
				await c.insertOne({ _id: 'tx1', amount: 30 }, { session });
				const inside = await c.findOne({ _id: 'acct' }, { session });
				return inside?.balance;
			});
			expect(result).toBe(70);
			expect(await c.countDocuments()).toBe(2);

			await expect(
				db.withTransaction(async (session) => {
					await c.updateOne({ _id: 'acct' }, { $inc: { balance: -50 } }, { session });
					await c.insertOne({ _id: 'tx2', amount: 50 }, { session });
					throw new Error('boom');
				})
			).rejects.toThrow('boom');
			expect((await c.findOne({ _id: 'acct' }))?.balance).toBe(70);
			expect(await c.findOne({ _id: 'tx2' })).toBeNull();

			await expect(
				db.withTransaction(async (session) => {
					await c.insertOne({ _id: 'tx3' }, { session });
					await c.insertOne({ _id: 'acct' }, { session }); // duplicate _id
				})
			).rejects.toSatisfy(isDuplicateKeyError);
			expect(await c.findOne({ _id: 'tx3' })).toBeNull();
		});

		it('bulkWrite: mixed operations, ordered stops at the first error, unordered continues', async () => {
			const c = fresh();
			await c.createIndex({ keys: { k: 1 }, unique: true });
			const ok = await c.bulkWrite([
				{ insertOne: { document: { _id: 'a', k: 1, v: 0 } } },
				{ insertOne: { document: { _id: 'b', k: 2, v: 0 } } },
				{ updateOne: { filter: { _id: 'a' }, update: { $inc: { v: 1 } } } },
				{ updateMany: { filter: {}, update: { $set: { s: true } } } },
				{ updateOne: { filter: { k: 3 }, update: { $set: { v: 9 } }, upsert: true } },
				{ replaceOne: { filter: { _id: 'b' }, replacement: { k: 2, v: 5 } } },
				{ deleteOne: { filter: { k: 3 } } }
			]);
			expect(ok).toEqual({
				insertedCount: 2,
				matchedCount: 4,
				modifiedCount: 4,
				deletedCount: 1,
				upsertedCount: 1
			});

			const ordered = await c
				.bulkWrite([
					{ insertOne: { document: { _id: 'c', k: 10 } } },
					{ insertOne: { document: { _id: 'd', k: 1 } } },
					{ insertOne: { document: { _id: 'e', k: 11 } } }
				])
				.catch((e: unknown) => e);
			expect(ordered).toBeInstanceOf(BulkWriteError);
			expect(isDuplicateKeyError(ordered)).toBe(true);
			const oe = ordered as BulkWriteError;
			expect(oe.result.insertedCount).toBe(1);
			expect(oe.writeErrors.map((w) => [w.index, w.code])).toEqual([[1, 11000]]);
			expect(await c.findOne({ _id: 'c' })).not.toBeNull();
			expect(await c.findOne({ _id: 'e' })).toBeNull();

			const unordered = (await c
				.bulkWrite(
					[
						{ insertOne: { document: { _id: 'f', k: 1 } } },
						{ insertOne: { document: { _id: 'g', k: 12 } } },
						{ insertOne: { document: { _id: 'h', k: 2 } } }
					],
					{ ordered: false }
				)
				.catch((e: unknown) => e)) as BulkWriteError;
			expect(unordered).toBeInstanceOf(BulkWriteError);
			expect(unordered.result.insertedCount).toBe(1);
			expect(unordered.writeErrors.map((w) => w.index)).toEqual([0, 2]);
			expect(await c.findOne({ _id: 'g' })).not.toBeNull();

			const im = (await c
				.insertMany([{ k: 20 }, { k: 1 }, { k: 21 }])
				.catch((e: unknown) => e)) as BulkWriteError;
			expect(isDuplicateKeyError(im)).toBe(true);
			expect(im.result.insertedCount).toBe(1);
			expect(await c.countDocuments({ k: 21 })).toBe(0);
		});

		it('findOneAndUpdate returns the document before or after, honours sort and upsert', async () => {
			const c = fresh();
			await c.insertMany([
				{ _id: 'j1', status: 'queued', prio: 1, tries: 0 },
				{ _id: 'j2', status: 'queued', prio: 5, tries: 0 },
				{ _id: 'j3', status: 'done', prio: 9, tries: 0 }
			]);
			const before = await c.findOneAndUpdate(
				{ status: 'queued' },
				{ $set: { status: 'running' }, $inc: { tries: 1 } },
				{ sort: { prio: -1 }, returnDocument: 'before' }
			);
			expect(before).toEqual({ _id: 'j2', status: 'queued', prio: 5, tries: 0 });
			const after = await c.findOneAndUpdate(
				{ status: 'queued' },
				{ $set: { status: 'running' }, $inc: { tries: 1 } },
				{ returnDocument: 'after', projection: { status: 1, tries: 1 } }
			);
			expect(after).toEqual({ _id: 'j1', status: 'running', tries: 1 });
			expect(await c.findOneAndUpdate({ status: 'queued' }, { $set: { status: 'x' } })).toBeNull();
			const up = await c.findOneAndUpdate(
				{ key: 'new' },
				{ $set: { n: 1 } },
				{ upsert: true, returnDocument: 'after' }
			);
			expect(up).toMatchObject({ key: 'new', n: 1 });
			expect(up?._id).toMatch(/^[0-9a-f]{24}$/);
		});

		it('findOneAndUpdate claims are atomic: concurrent claimers never take the same document', async () => {
			const c = fresh();
			await c.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: `job${i}`, status: 'queued' })));
			const claims = await Promise.all(
				Array.from({ length: 15 }, (_, w) =>
					c.findOneAndUpdate(
						{ status: 'queued' },
						{ $set: { status: 'running', worker: w } },
						{ returnDocument: 'after' }
					)
				)
			);
			const ids = claims.filter((d) => d !== null).map((d) => d!._id);
			expect(ids).toHaveLength(10);
			expect(new Set(ids).size).toBe(10);
		});

		it(
			'removes documents past their TTL',
			async () => {
				const c = fresh();
				await c.createIndex({ keys: { expiresAt: 1 }, expireAfterSeconds: 0 });
				await c.insertMany([
					{ _id: 'old', expiresAt: new Date(Date.now() - 60_000) },
					{ _id: 'soon', expiresAt: new Date(Date.now() + 300) },
					{ _id: 'later', expiresAt: new Date(Date.now() + 3_600_000) },
					{ _id: 'no-date', expiresAt: 'not a date' }
				]);
				const deadline = Date.now() + engine.ttlWaitMs;
				let ids: string[] = [];
				while (Date.now() < deadline) {
					ids = (await c.find({}, { sort: { _id: 1 } })).map((d) => d._id);
					if (ids.length === 2) break;
					await new Promise((r) => setTimeout(r, engine.name === 'embedded' ? 50 : 1000));
				}
				expect(ids).toEqual(['later', 'no-date']);
			},
			engine.ttlWaitMs + 30_000
		);

		it('pings and lists collections', async () => {
			const c = fresh();
			await c.insertOne({ v: 1 });
			await db.ping();
			expect(await db.listCollections()).toContain(c.name);
		});

		it('sorts numbers numerically and dates chronologically', async () => {
			const c = fresh();
			await c.insertMany([10, 9, 100, -1].map((v) => ({ v, at: new Date(2020, 0, v > 0 ? v : 1) })));
			expect((await c.find({}, { sort: { v: 1 } })).map((d) => d.v)).toEqual([-1, 9, 10, 100]);
			expect(sortNums((await c.distinct('v')) as number[])).toEqual([-1, 9, 10, 100]);
			const latest = await c.findOne({}, { sort: { at: -1 } });
			expect(latest?.v).toBe(100);
		});
	});
}
