/** Behaviour specific to the embedded engine (the shared contract is in ../contract.test.ts). */
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isDuplicateKeyError, type BaseDoc, type Database, type Projection } from '../types';
import { openEmbeddedDatabase, percentileOfSorted } from './index';

interface Doc extends BaseDoc {
	[k: string]: unknown;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
	while (cleanups.length) await cleanups.pop()!();
});

async function tempDir(): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), 'techcap-emb-'));
	cleanups.push(() => rm(dir, { recursive: true, force: true }));
	return dir;
}

async function open(dir: string, options?: Parameters<typeof openEmbeddedDatabase>[1]): Promise<Database> {
	const db = await openEmbeddedDatabase(dir, options);
	cleanups.unshift(() => db.close()); // closed before the folder is removed
	return db;
}

describe('percentileOfSorted', () => {
	const xs = [1, 3, 5, 7, 9, 11, 13, 15];
	it('discrete/approximate returns the value at rank ceil(p·n)', () => {
		expect([0, 0.1, 0.125, 0.126, 0.5, 0.51, 1].map((p) => percentileOfSorted(xs, p, 'approximate'))).toEqual(
			[1, 1, 1, 3, 7, 9, 15]
		);
		expect(percentileOfSorted(xs, 0.5, 'discrete')).toBe(7);
	});
	it('continuous interpolates at rank p·(n − 1)', () => {
		expect(percentileOfSorted(xs, 0.5, 'continuous')).toBe(8);
		expect(percentileOfSorted([10, 20, 30, 40], 0.25, 'continuous')).toBe(17.5);
		expect(percentileOfSorted([4], 0.7, 'continuous')).toBe(4);
	});
	it('returns null for no data', () => {
		expect(percentileOfSorted([], 0.5, 'approximate')).toBeNull();
	});
});

describe('embedded engine', () => {
	it('keeps no caller string alive through its index keys (slices of a CSV chunk)', async () => {
		setFlagsFromString('--expose-gc');
		const gc = runInNewContext('gc') as () => void;
		const db = await open(await tempDir());
		const c = db.collection<Doc>('k');
		await c.createIndex({ keys: { code: 1 } });
		gc();
		const before = process.memoryUsage().heapUsed;
		// One ~16 MB string and 2,000 keys sliced out of it (V8 slices strings of 13+ characters).
		let chunk: string | null = Array.from({ length: 400_000 }, (_, i) =>
			i.toString(36).padStart(40, '-')
		).join('');
		const slice = (i: number) => chunk!.slice(i * 40 + 16, i * 40 + 40);
		const docs: Doc[] = [];
		for (let i = 0; i < 2000; i++) docs.push({ _id: slice(i), code: slice(i * 7) });
		await c.insertMany(docs);
		docs.length = 0;
		chunk = null;
		gc();
		// Were a key the caller's slice, the whole chunk would still be in the heap.
		expect(process.memoryUsage().heapUsed - before).toBeLessThan(4 << 20);
		expect(await c.countDocuments({ code: (70).toString(36).padStart(24, '-') })).toBe(1);
	});

	it('supports continuous percentiles in $group and refuses unknown methods', async () => {
		const db = await open(await tempDir());
		const c = db.collection<Doc>('p');
		await c.insertMany([1, 2, 3, 4, 10].map((v) => ({ v })));
		const [r] = await c.aggregate([
			{
				$group: {
					_id: null,
					p: { $percentile: { input: '$v', p: [0.25, 0.9], method: 'continuous' } },
					m: { $median: { input: '$v', method: 'continuous' } }
				}
			}
		]);
		// ranks 0.25·4 = 1 → 2; 0.9·4 = 3.6 → 4 + 0.6·(10 − 4) = 7.6
		expect(r.m).toBe(3);
		expect((r.p as number[])[0]).toBe(2);
		expect((r.p as number[])[1]).toBeCloseTo(7.6, 12);
		await expect(
			c.aggregate([{ $group: { _id: null, m: { $median: { input: '$v', method: 'exact' } } } }])
		).rejects.toThrow(/method/);
	});

	it('keeps documents, Dates and indexes across reopen', async () => {
		const dir = await tempDir();
		const db1 = await openEmbeddedDatabase(dir);
		const c1 = db1.collection<Doc>('users');
		await c1.createIndex({ keys: { email: 1 }, unique: true });
		await c1.insertOne({ _id: 'u', email: 'a@x.vn', at: new Date(5), deep: { list: [1, { x: null }] } });
		await db1.close();
		const db2 = await open(dir);
		const c2 = db2.collection<Doc>('users');
		expect(await c2.findOne({ email: 'a@x.vn' })).toEqual({
			_id: 'u',
			email: 'a@x.vn',
			at: new Date(5),
			deep: { list: [1, { x: null }] }
		});
		await expect(c2.insertOne({ email: 'a@x.vn' })).rejects.toSatisfy(isDuplicateKeyError);
	});

	it('makes other callers wait while a transaction runs, then shows them its result', async () => {
		const db = await open(await tempDir());
		const c = db.collection<Doc>('t');
		const events: string[] = [];
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		const tx = db.withTransaction(async (session) => {
			await c.insertOne({ _id: 'in-tx' }, { session });
			events.push('tx wrote');
			await gate;
			events.push('tx ends');
		});
		await new Promise((r) => setTimeout(r, 10));
		const outside = c.find({}).then((docs) => {
			events.push(`outside saw ${docs.length}`);
		});
		await new Promise((r) => setTimeout(r, 30));
		expect(events).toEqual(['tx wrote']);
		release();
		await Promise.all([tx, outside]);
		expect(events).toEqual(['tx wrote', 'tx ends', 'outside saw 1']);
	});

	it('refuses an operation without the session inside withTransaction (instead of deadlocking)', async () => {
		const db = await open(await tempDir());
		const c = db.collection<Doc>('t');
		await expect(
			db.withTransaction(async (session) => {
				await c.insertOne({ _id: 'a' }, { session });
				await c.insertOne({ _id: 'b' });
			})
		).rejects.toThrow(/without \{ session \}/);
		expect(await c.countDocuments()).toBe(0);
		await expect(db.withTransaction(async () => db.withTransaction(async () => 1))).rejects.toThrow(/nested/);
		await expect(c.find({}, { session: { __tx: true } })).rejects.toThrow(/session/);
	});

	it('a failed write dooms the transaction even if the callback catches it (as on MongoDB)', async () => {
		const db = await open(await tempDir());
		const c = db.collection<Doc>('t');
		await c.insertOne({ _id: 'x' });
		await expect(
			db.withTransaction(async (session) => {
				await c.insertOne({ _id: 'y' }, { session });
				await c.insertOne({ _id: 'x' }, { session }).catch(() => undefined);
				return 'ignored the error';
			})
		).rejects.toSatisfy(isDuplicateKeyError);
		expect(await c.findOne({ _id: 'y' })).toBeNull();
	});

	it('refuses server-side JavaScript and $out', async () => {
		const db = await open(await tempDir());
		const c = db.collection<Doc>('t');
		await expect(c.find({ $where: 'true' })).rejects.toThrow(/\$where is not allowed/);
		await expect(c.aggregate([{ $out: 'x' }])).rejects.toThrow(/\$out/);
	});

	it('refuses values it cannot store faithfully, naming the field', async () => {
		const db = await open(await tempDir());
		const c = db.collection<Doc>('t');
		await expect(c.insertOne({ a: { b: new Map() } })).rejects.toThrow(/Map at 'a\.b'/);
		await expect(c.insertOne({ a: 1n })).rejects.toThrow(/bigint at 'a'/);
		await c.insertOne({ _id: 'u', a: undefined, b: [undefined] });
		expect(await c.findOne({ _id: 'u' })).toEqual({ _id: 'u', b: [null] });
	});

	it('index lookups give the same answers as a full scan (property test)', async () => {
		const db = await open(await tempDir());
		const indexed = db.collection<Doc>('indexed');
		const plain = db.collection<Doc>('plain');
		await indexed.createIndex({ keys: { k: 1 } });
		await indexed.createIndex({ keys: { 'sub.s': 1, other: 1 } });
		const value = fc.oneof(
			fc.integer({ min: 0, max: 4 }),
			fc.constantFrom('a', 'b', '1'),
			fc.constant(null),
			fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 })
		);
		const doc = fc.record(
			{
				k: value,
				sub: fc.oneof(fc.record({ s: value }), fc.array(fc.record({ s: value }), { maxLength: 2 }))
			},
			{ requiredKeys: [] }
		);
		const query = fc.oneof(
			value.map((v) => ({ k: v })),
			value.map((v) => ({ 'sub.s': v })),
			fc
				.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom('a', '1')), { maxLength: 3 })
				.map((vs) => ({
					k: { $in: vs }
				})),
			fc.integer({ min: 0, max: 4 }).map((v) => ({ k: { $eq: v }, 'sub.s': { $gte: 0 } })),
			// Several equalities, all answered by indexes: the engine then skips reading documents.
			fc.tuple(value, value).map(([a, b]) => ({ k: a, 'sub.s': b })),
			fc.tuple(value, value).map(([a, b]) => ({ k: a, other: b })),
			fc.tuple(fc.integer({ min: 0, max: 30 }), value).map(([i, v]) => ({ _id: `d${i}`, k: v }))
		);
		await fc.assert(
			fc.asyncProperty(
				fc.array(doc, { maxLength: 25 }),
				fc.array(query, { minLength: 1, maxLength: 5 }),
				async (docs, qs) => {
					await indexed.deleteMany({});
					await plain.deleteMany({});
					const withIds = docs.map((d, i) => ({ _id: `d${i}`, ...d }));
					if (withIds.length) {
						await indexed.insertMany(withIds);
						await plain.insertMany(withIds);
					}
					// Update a few so index entries move.
					await indexed.updateMany({ k: 1 }, { $set: { k: 2 } });
					await plain.updateMany({ k: 1 }, { $set: { k: 2 } });
					for (const q of qs) {
						const a = (await indexed.find(q)).map((d) => d._id);
						const b = (await plain.find(q)).map((d) => d._id);
						expect(a).toEqual(b);
						expect(await indexed.countDocuments(q)).toBe(b.length);
					}
				}
			),
			{ numRuns: 60 }
		);
	});

	it('a find the indexes cover gives what reading the documents gives (property test)', async () => {
		const dir = await tempDir();
		const db = await open(dir, { hotBytes: 0 });
		const str = fc.constantFrom('a', 'b', '1', 'tax-0101234567-001');
		const value = fc.oneof(str, fc.integer({ min: 0, max: 2 }), fc.constant(null));
		const doc = fc.record(
			{
				k: fc.oneof(
					{ weight: 6, arbitrary: value },
					{ weight: 1, arbitrary: fc.array(str, { maxLength: 2 }) }
				),
				g: fc.integer({ min: 0, max: 2 }),
				x: fc.string({ maxLength: 3 })
			},
			{ requiredKeys: [] }
		);
		const query = fc.oneof(
			str.map((v) => ({ k: v })),
			fc.array(str, { maxLength: 3 }).map((vs) => ({ k: { $in: vs } })),
			fc.tuple(str, fc.integer({ min: 0, max: 2 })).map(([v, g]) => ({ k: { $eq: v }, g })),
			fc.tuple(str, fc.integer({ min: 0, max: 9 })).map(([v, i]) => ({ _id: `d${i}`, k: v })),
			// Not covered: a range, a number, a field the projection does not keep.
			str.map((v) => ({ k: v, g: { $gte: 1 } })),
			fc.integer({ min: 0, max: 2 }).map((v) => ({ k: v })),
			fc.integer({ min: 0, max: 2 }).map((g) => ({ g }))
		);
		const projection = fc.constantFrom<Projection[]>(
			{ k: 1 },
			{ _id: 1, k: 1 },
			{ _id: 0, k: 1 },
			{ k: true, _id: false }
		);
		let run = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.array(doc, { maxLength: 12 }),
				fc.array(fc.tuple(query, projection, fc.option(fc.integer({ min: 1, max: 3 }))), {
					minLength: 1,
					maxLength: 4
				}),
				async (docs, qs) => {
					// A new collection per run: a field that once held an array stays multikey.
					const indexed = db.collection<Doc>(`covered${++run}`);
					const plain = db.collection<Doc>(`scanned${run}`);
					await indexed.createIndex({ keys: { k: 1 } });
					await indexed.createIndex({ keys: { g: 1 } });
					const withIds = docs.map((d, i) => ({ _id: `d${i}`, ...d }));
					if (withIds.length) {
						await indexed.insertMany(withIds);
						await plain.insertMany(withIds);
					}
					await indexed.updateMany({ g: 2 }, { $set: { k: 'b' } });
					await plain.updateMany({ g: 2 }, { $set: { k: 'b' } });
					for (const [q, p, limit] of qs) {
						const options = limit ? { projection: p, limit } : { projection: p };
						const a = await indexed.find(q, options);
						const b = await plain.find(q, options);
						expect(JSON.stringify(a)).toBe(JSON.stringify(b));
					}
				}
			),
			{ numRuns: 80 }
		);
	});

	it('two handles on one folder share data and unique indexes', async () => {
		const dir = await tempDir();
		const a = await open(dir);
		const b = await open(dir);
		const ca = a.collection<Doc>('users');
		const cb = b.collection<Doc>('users');
		await ca.createIndex({ keys: { email: 1 }, unique: true });
		await ca.insertOne({ _id: '1', email: 'x@x.vn' });
		expect(await cb.findOne({ email: 'x@x.vn' })).toMatchObject({ _id: '1' });
		await expect(cb.insertOne({ email: 'x@x.vn' })).rejects.toSatisfy(isDuplicateKeyError);
		await cb.updateOne({ _id: '1' }, { $set: { name: 'B' } });
		await cb.deleteMany({ nothing: true });
		expect(await ca.findOne({ _id: '1' })).toMatchObject({ name: 'B' });
		await ca.deleteOne({ _id: '1' });
		expect(await cb.countDocuments()).toBe(0);
	});

	it('another handle sees a transaction that changed more documents than the changelog lists one by one', async () => {
		const dir = await tempDir();
		const a = await open(dir);
		const b = await open(dir);
		const ca = a.collection<Doc>('bulk');
		const cb = b.collection<Doc>('bulk');
		const other = a.collection<Doc>('other');
		await ca.createIndex({ keys: { k: 1 }, unique: true });
		await ca.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: `old${i}`, k: -i - 1, v: 0 })));
		expect(await cb.countDocuments()).toBe(10);
		await a
			.withTransaction(async (session) => {
				await ca.insertMany(
					Array.from({ length: 2500 }, (_, i) => ({ _id: `n${i}`, k: i, v: 1 })),
					{ session }
				);
				// A failing write after the marker dooms the transaction: b must see none of it.
				await ca
					.insertMany(
						Array.from({ length: 1200 }, (_, i) => ({ _id: `f${i}`, k: 5000 + i, v: 2 })).concat([
							{ _id: 'dup', k: 0, v: 2 }
						]),
						{ session }
					)
					.catch(() => {});
			})
			.catch(() => {}); // the failed write dooms the transaction: nothing of it remains
		expect(await cb.countDocuments()).toBe(10);
		await a.withTransaction(async (session) => {
			await ca.insertMany(
				Array.from({ length: 2500 }, (_, i) => ({ _id: `n${i}`, k: i, v: 1 })),
				{ session }
			);
			await ca.updateOne({ _id: 'old1' }, { $set: { v: 7 } }, { session });
			await ca.deleteOne({ _id: 'old2' }, { session });
			await other.insertOne({ _id: 'o1' }, { session });
		});
		expect(await cb.countDocuments()).toBe(2509);
		expect(await cb.findOne({ k: 2499 })).toMatchObject({ _id: 'n2499', v: 1 });
		expect(await cb.findOne({ _id: 'old1' })).toMatchObject({ v: 7 });
		expect(await cb.findOne({ _id: 'old2' })).toBeNull();
		expect(await b.collection<Doc>('other').countDocuments()).toBe(1);
		await expect(cb.insertOne({ k: 1234 })).rejects.toSatisfy(isDuplicateKeyError);
		// Natural order survives the reload.
		expect((await cb.find({}, { limit: 12 })).map((d) => d._id)).toEqual([
			'old0',
			'old1',
			...Array.from({ length: 7 }, (_, i) => `old${i + 3}`),
			'n0',
			'n1',
			'n2'
		]);
		// And changes after the marker by b reach a.
		await cb.updateMany({ v: 1 }, { $set: { v: 3 } });
		expect(await ca.countDocuments({ v: 3 })).toBe(2500);
	});

	it('a handle that fell behind the pruned changelog reloads everything', async () => {
		const dir = await tempDir();
		const a = await open(dir);
		const b = await open(dir);
		const ca = a.collection<Doc>('c');
		const cb = b.collection<Doc>('c');
		await ca.insertOne({ _id: 'first' });
		expect(await cb.countDocuments()).toBe(1);
		for (let i = 0; i < 5600; i++) await ca.insertOne({ i });
		await ca.deleteOne({ _id: 'first' });
		expect(await cb.countDocuments()).toBe(5600);
		expect(await cb.findOne({ _id: 'first' })).toBeNull();
	}, 60_000);
});

describe('large documents (cached compactly) and bulk inserts', () => {
	const big = (n: number) => ({
		groups: Object.fromEntries(
			Array.from({ length: 40 }, (_, i) => [`g${i}`, { score: n + i, label: 'x'.repeat(20) }])
		)
	});

	it('drops on disk, too, what a failed operation of an unordered bulk write changed before failing', async () => {
		const dir = await tempDir();
		let db = await open(dir);
		const coll = db.collection<Doc>('codes');
		await coll.createIndex({ keys: { code: 1 }, unique: true });
		await coll.insertMany([
			{ _id: 'a', code: 'A' },
			{ _id: 'b', code: 'B' }
		]);
		// The updateMany changes the first document, then breaks the unique index on the second:
		// it must leave no trace, while the next operation runs and the write commits.
		await expect(
			coll.bulkWrite(
				[
					{ updateMany: { filter: {}, update: { $set: { code: 'same' } } } },
					{ insertOne: { document: { _id: 'c', code: 'C' } } }
				],
				{ ordered: false }
			)
		).rejects.toThrow();
		expect(await coll.find({}, { sort: { _id: 1 } })).toEqual([
			{ _id: 'a', code: 'A' },
			{ _id: 'b', code: 'B' },
			{ _id: 'c', code: 'C' }
		]);
		// Read back from SQLite, not from this process's cache.
		await db.close();
		db = await open(dir);
		expect(await db.collection<Doc>('codes').find({}, { sort: { _id: 1 } })).toEqual([
			{ _id: 'a', code: 'A' },
			{ _id: 'b', code: 'B' },
			{ _id: 'c', code: 'C' }
		]);
		await db.close();
	});

	it('keeps its own copy of small inserted documents, _id first or not, whichever write inserts them', async () => {
		const dir = await tempDir();
		const db = await open(dir);
		const coll = db.collection<Doc>('small');
		await coll.createIndex({ keys: { tag: 1 } });
		const one = { _id: 'a', tag: 'x', nested: { n: 1 }, list: [1] };
		const many = [{ _id: 'b', tag: 'x', nested: { n: 2 }, list: [2] }];
		const bulk = { tag: 'x', _id: 'c', nested: { n: 3 }, list: [3] };
		await coll.insertOne(one);
		await coll.insertMany(many);
		await coll.bulkWrite([{ insertOne: { document: bulk } }]);
		for (const d of [one, many[0], bulk]) {
			d.tag = 'changed';
			d.nested.n = -1;
			d.list.push(99);
		}
		const found = await coll.find({ tag: 'x' });
		expect(found).toEqual([
			{ _id: 'a', tag: 'x', nested: { n: 1 }, list: [1] },
			{ _id: 'b', tag: 'x', nested: { n: 2 }, list: [2] },
			{ _id: 'c', tag: 'x', nested: { n: 3 }, list: [3] }
		]);
		// MongoDB stores _id first, whatever order the caller wrote.
		expect(Object.keys(found[2])[0]).toBe('_id');
		await db.close();
	});

	it('stores, reads, updates and indexes large documents; copies are private; rollback restores', async () => {
		const dir = await tempDir();
		const db = await open(dir);
		const coll = db.collection<Doc>('big');
		await coll.createIndex({ keys: { campaignId: 1, current: 1 } });
		const docs = [1, 2, 3].map((n) => ({
			_id: `d${n}`,
			campaignId: n === 3 ? 'b' : 'a',
			current: true,
			result: big(n)
		}));
		await coll.insertMany(docs);
		// The caller's nested values are not shared with the stored documents.
		(docs[0].result.groups.g0 as { score: number }).score = -1;
		const found = await coll.find({ campaignId: 'a', current: true });
		expect(found.map((d) => d._id)).toEqual(['d1', 'd2']);
		expect((found[0].result as ReturnType<typeof big>).groups.g0).toEqual({
			score: 1,
			label: 'x'.repeat(20)
		});
		(found[0].result as ReturnType<typeof big>).groups.g0.score = -2;
		expect(((await coll.findOne({ _id: 'd1' }))!.result as ReturnType<typeof big>).groups.g0.score).toBe(1);

		await expect(
			db.withTransaction(async (session) => {
				await coll.updateOne(
					{ _id: 'd2' },
					{ $set: { campaignId: 'b', 'result.groups.g1.score': 99 } },
					{ session }
				);
				expect((await coll.find({ campaignId: 'b' }, { session })).map((d) => d._id)).toEqual(['d2', 'd3']);
				await coll.insertMany(
					[
						{ _id: 'd4', campaignId: 'a', result: big(4) },
						{ _id: 'd1', result: big(5) }
					],
					{
						session
					}
				);
			})
		).rejects.toThrow(/duplicate key/);
		expect((await coll.find({ campaignId: 'b' })).map((d) => d._id)).toEqual(['d3']);
		expect(await coll.findOne({ _id: 'd4' })).toBeNull();
		expect(((await coll.findOne({ _id: 'd2' }))!.result as ReturnType<typeof big>).groups.g1.score).toBe(3);
		const agg = await coll.aggregate<{ _id: string; n: number }>([
			{ $match: { current: true } },
			{ $group: { _id: '$campaignId', n: { $sum: 1 } } },
			{ $sort: { _id: 1 } }
		]);
		expect(agg).toEqual([
			{ _id: 'a', n: 2 },
			{ _id: 'b', n: 1 }
		]);

		// A second handle (another process's view) reads the same documents from the file.
		await db.close();
		const again = await open(dir);
		expect((await again.collection<Doc>('big').find({ campaignId: 'a' })).map((d) => d._id)).toEqual([
			'd1',
			'd2'
		]);
	});

	it('cold documents keep their index keys through updates, deletes, rollbacks and new indexes', async () => {
		const dir = await tempDir();
		const db = await open(dir);
		const other = await open(dir);
		const coll = db.collection<Doc>('cold');
		await coll.createIndex({ keys: { code: 1 }, unique: true });
		await coll.createIndex({ keys: { tag: 1 } });
		await coll.insertMany(
			[1, 2, 3].map((n) => ({ _id: `c${n}`, code: `k${n}`, tag: n === 3 ? 'y' : 'x', result: big(n) }))
		);
		// A failed transaction that re-tagged, deleted and re-coded cold documents leaves every key as it was.
		await expect(
			db.withTransaction(async (session) => {
				await coll.updateOne({ _id: 'c1' }, { $set: { tag: 'y', code: 'k9' } }, { session });
				await coll.deleteOne({ _id: 'c2' }, { session });
				expect((await coll.find({ tag: 'y' }, { session })).map((d) => d._id).sort()).toEqual(['c1', 'c3']);
				await coll.insertOne({ _id: 'c4', code: 'k3', result: big(4) }, { session });
			})
		).rejects.toThrow(/duplicate key/);
		expect((await coll.find({ tag: 'x' })).map((d) => d._id)).toEqual(['c1', 'c2']);
		expect((await coll.find({ tag: 'y' })).map((d) => d._id)).toEqual(['c3']);
		expect(await coll.findOne({ code: 'k9' })).toBeNull();
		expect((await coll.findOne({ code: 'k1' }))?._id).toBe('c1');
		// The unique key of the restored c1 still guards: reusing it fails, a free one works.
		await expect(coll.insertOne({ _id: 'c5', code: 'k1', result: big(5) })).rejects.toThrow(/duplicate key/);
		await coll.updateOne({ _id: 'c2' }, { $set: { code: 'k7', 'result.groups.g0.score': 70 } });
		await coll.deleteOne({ _id: 'c3' });
		// The codes they gave up are free again.
		await coll.insertMany([
			{ _id: 'c6', code: 'k2', tag: 'z', result: big(6) },
			{ _id: 'c7', code: 'k3', tag: 'z', result: big(7) }
		]);
		expect((await coll.find({ tag: 'y' })).map((d) => d._id)).toEqual([]);
		// Another handle (process) catches up with changes to cold documents.
		const seen = other.collection<Doc>('cold');
		expect((await seen.findOne({ code: 'k7' }))?._id).toBe('c2');
		expect(((await seen.findOne({ _id: 'c2' }))!.result as ReturnType<typeof big>).groups.g0.score).toBe(70);
		expect(await seen.findOne({ _id: 'c3' })).toBeNull();
		// An index created after the documents went cold covers them, and its unique check reads their bodies.
		await coll.createIndex({ keys: { 'result.groups.g1.score': 1 } });
		expect((await coll.find({ 'result.groups.g1.score': 2 })).map((d) => d._id)).toEqual(['c1']);
		await expect(coll.createIndex({ keys: { tag: 1, extra: 1 }, unique: true })).rejects.toThrow(
			/duplicate key/
		);
		expect((await coll.find({ tag: 'x' })).map((d) => d._id)).toEqual(['c1', 'c2']);
		await other.close();
		await db.close();
	});

	it('reads many cold documents in batches, seeing the open transaction and not a rolled-back one', async () => {
		const dir = await tempDir();
		const db = await open(dir, { hotBytes: 0 });
		const coll = db.collection<Doc>('batch');
		await coll.createIndex({ keys: { g: 1 } });
		await coll.insertMany(Array.from({ length: 1503 }, (_, i) => ({ _id: `b${i}`, g: i % 3, v: i })));
		const g1 = await coll.find({ g: 1 });
		expect(g1.map((d) => d.v)).toEqual(Array.from({ length: 501 }, (_, i) => 3 * i + 1));
		expect((await coll.find({})).length).toBe(1503);
		expect(await coll.countDocuments({ g: 2, v: { $gte: 600 } })).toBe(301);
		await expect(
			db.withTransaction(async (session) => {
				await coll.updateMany({ g: 1 }, { $inc: { v: 10_000 } }, { session });
				const inside = await coll.find({ g: 1 }, { session });
				expect(inside.every((d) => (d.v as number) >= 10_000)).toBe(true);
				expect((await coll.find({}, { session })).filter((d) => (d.v as number) >= 10_000).length).toBe(501);
				throw new Error('roll back');
			})
		).rejects.toThrow('roll back');
		expect((await coll.find({ g: 1 })).map((d) => d.v)).toEqual(g1.map((d) => d.v));
		// Documents read in a batch are private copies.
		const [first] = await coll.find({ g: 0 });
		first.v = -1;
		expect((await coll.find({ g: 0 }))[0].v).toBe(0);
	});

	it('insertMany keeps the documents before a duplicate and reports its index', async () => {
		const db = await open(await tempDir());
		const coll = db.collection<Doc>('many');
		await coll.insertOne({ _id: 'x2', v: 0 });
		const err = await coll
			.insertMany([
				{ _id: 'x1', v: 1 },
				{ _id: 'x2', v: 2 },
				{ _id: 'x3', v: 3 }
			])
			.catch((e: unknown) => e);
		expect(isDuplicateKeyError(err)).toBe(true);
		expect((err as { writeErrors: { index: number }[] }).writeErrors[0].index).toBe(1);
		expect((await coll.find({})).map((d) => [d._id, d.v])).toEqual([
			['x2', 0],
			['x1', 1]
		]);
	});

	it('keeps values apart whose key strings could collide (strings are their own keys)', async () => {
		for (const hotBytes of [undefined, 0]) {
			const dir = await tempDir();
			const db = await open(dir, { hotBytes });
			const coll = db.collection<Doc>('keys');
			await coll.createIndex({ keys: { v: 1 } });
			await coll.createIndex({ keys: { a: 1, b: 1 }, unique: true });
			// Each value against the string that spells its tagged encoding, and arrays whose elements
			// joined by a comma read the same.
			const values: [string, unknown][] = [
				['null', null],
				['n', 'n'],
				['one', 1],
				['d:1', 'd:1'],
				['true', true],
				['b:1', 'b:1'],
				['nul', '\u0000n'],
				['nul-s', '\u0000s:x'],
				['x', 'x'],
				['arr2', ['a', 'b']],
				['arr1', ['a,s:b']],
				['arr1b', ['a","s:b']],
				['empty', []],
				['u', 'u'],
				['date', new Date(5)],
				['t:5', 't:5']
			];
			await coll.insertMany(values.map(([id, v], i) => ({ _id: id, v, a: `p${i}`, b: v })));
			for (const [id, v] of values) {
				expect((await coll.find({ v: { $eq: v } })).map((d) => d._id)).toContain(id);
				const hits = (await coll.find({ v: { $eq: v } })).map((d) => d._id);
				// An array value also matches documents holding it as an element; nothing else may match.
				const expected = values
					.filter(([, w]) => JSON.stringify(w) === JSON.stringify(v) || (Array.isArray(w) && w.includes(v)))
					.map(([i]) => i);
				expect(hits.sort()).toEqual(expected.sort());
			}
			// Compound unique keys: parts holding the separator cannot combine into another key.
			await coll.insertOne({ _id: 'c1', a: 'x\u0000', b: 'y' });
			await coll.insertOne({ _id: 'c2', a: 'x', b: '\u0000y' });
			await expect(coll.insertOne({ _id: 'c3', a: 'x', b: '\u0000y' })).rejects.toThrow(/duplicate key/);
			// Arrays inside arrays are keyed whole (distinct flattens one level only).
			const nested = db.collection<Doc>('nested');
			await nested.insertMany([
				{ _id: 'w1', w: [['a', 'b']] },
				{ _id: 'w2', w: [['a,s:b']] },
				{ _id: 'w3', w: [['a', 'b']] }
			]);
			expect(await nested.distinct('w')).toEqual([['a', 'b'], ['a,s:b']]);
			expect((await coll.find({ _id: { $in: ['\u0000n', 'x', 'n'] } })).map((d) => d._id).sort()).toEqual([
				'n',
				'x'
			]);
		}
	});
});
