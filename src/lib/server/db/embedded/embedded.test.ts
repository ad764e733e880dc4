/** Behaviour specific to the embedded engine (the shared contract is in ../contract.test.ts). */
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, isDuplicateKeyError, type BaseDoc, type Database } from '../types';
import { openEmbeddedDatabase, percentileOfSorted } from './index';
import { WAL_LIMIT_BYTES } from './schema';

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

	it('keeps its own copy of inserted documents, _id first or not, whichever write inserts them', async () => {
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

	it('keeps documents, Dates, bytes, special numbers and indexes across reopen', async () => {
		const dir = await tempDir();
		const db1 = await openEmbeddedDatabase(dir);
		const c1 = db1.collection<Doc>('users');
		await c1.createIndex({ keys: { email: 1 }, unique: true });
		const doc = {
			_id: 'u',
			email: 'a@x.vn',
			at: new Date(5),
			bytes: new Uint8Array([0, 255, 7]),
			odd: [Number.NaN, Infinity, -Infinity],
			re: /ngân hàng/i,
			deep: { list: [1, { x: null }], name: 'Nguyễn "Văn" A\n' }
		};
		await c1.insertOne(doc);
		await db1.close();
		const db2 = await open(dir);
		const c2 = db2.collection<Doc>('users');
		expect(await c2.findOne({ email: 'a@x.vn' })).toEqual(doc);
		await expect(c2.insertOne({ email: 'a@x.vn' })).rejects.toSatisfy(isDuplicateKeyError);
	});

	it('gives back any JSON value it stored, strings of any Unicode included (property test)', async () => {
		const db = await open(await tempDir());
		const c = db.collection<Doc>('roundtrip');
		let n = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.dictionary(
					fc
						.string({ unit: 'grapheme' })
						.filter((k) => !k.startsWith('$') && k !== '_id' && k !== '__proto__'),
					fc.jsonValue({ maxDepth: 3 }),
					{
						maxKeys: 6
					}
				),
				async (value) => {
					const _id = `r${++n}`;
					await c.insertOne({ _id, ...value });
					expect(await c.findOne({ _id })).toEqual(JSON.parse(JSON.stringify({ _id, ...value })));
				}
			),
			{ numRuns: 150 }
		);
	});

	it('other writers wait for a transaction; readers see the last commit without waiting', async () => {
		const db = await open(await tempDir());
		const c = db.collection<Doc>('t');
		await c.insertOne({ _id: 'before' });
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
		const read = await c.find({});
		events.push(`reader saw ${read.length}`);
		const write = c.insertOne({ _id: 'after' }).then(() => events.push('writer done'));
		await new Promise((r) => setTimeout(r, 30));
		expect(events).toEqual(['tx wrote', 'reader saw 1']);
		release();
		await Promise.all([tx, write]);
		expect(events).toEqual(['tx wrote', 'reader saw 1', 'tx ends', 'writer done']);
		expect((await c.find({})).map((d) => d._id)).toEqual(['before', 'in-tx', 'after']);
	});

	it('refuses a write without the session inside withTransaction (instead of deadlocking)', async () => {
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

	it('refuses values it cannot store faithfully, naming the field', async () => {
		const db = await open(await tempDir());
		const c = db.collection<Doc>('t');
		await expect(c.insertOne({ a: { b: new Map() } })).rejects.toThrow(/Map at 'a\.b'/);
		await expect(c.insertOne({ a: 1n })).rejects.toThrow(/bigint at 'a'/);
		await expect(c.insertOne({ a: { $date: 'x' } })).rejects.toThrow(/reserved/);
		await expect(c.insertOne({ a: new Date(Number.NaN) })).rejects.toThrow(/invalid Date at 'a'/);
		await c.insertOne({ _id: 'u', a: undefined, b: [undefined] });
		expect(await c.findOne({ _id: 'u' })).toEqual({ _id: 'u', b: [null] });
	});

	it('refuses what an index key cannot hold, on insert and on update, naming the field', async () => {
		const db = await open(await tempDir());
		const c = db.collection<Doc>('t');
		await c.createIndex({ keys: { k: 1 } });
		await expect(c.insertOne({ k: [1, 2] })).rejects.toThrow(/t\.k is indexed and cannot hold an array/);
		await expect(c.insertOne({ k: { a: 1 } })).rejects.toThrow(/an object/);
		await expect(c.insertOne({ k: Number.NaN })).rejects.toThrow(/NaN/);
		await c.insertOne({ _id: 'ok', k: 1 });
		await expect(c.updateOne({ _id: 'ok' }, { $set: { k: ['x'] } })).rejects.toThrow(/array/);
		expect(await c.findOne({ _id: 'ok' })).toEqual({ _id: 'ok', k: 1 });
	});

	it('answers filters and sorts through SQL exactly as mingo does over every document (property test)', async () => {
		const db = await open(await tempDir());
		const indexed = db.collection<Doc>('indexed');
		const plain = db.collection<Doc>('plain');
		await indexed.createIndex({ keys: { k: 1 } });
		await indexed.createIndex({ keys: { 'sub.s': 1, other: -1 } });
		await indexed.createIndex({ keys: { u: 1 }, unique: true, sparse: true });
		const when = (d: number) => new Date(Date.UTC(2026, 0, d));
		const value = fc.oneof(
			fc.integer({ min: -2, max: 4 }),
			fc.constantFrom(0.5, 'a', 'b', '1', '', 'ă', true, false),
			fc.constant(null),
			fc.integer({ min: 1, max: 4 }).map(when)
		);
		const doc = fc.record(
			{
				k: value,
				sub: fc.record({ s: value }, { requiredKeys: [] }),
				other: value,
				x: fc.array(value, { maxLength: 2 })
			},
			{ requiredKeys: [] }
		);
		const bound = fc.oneof(
			fc.integer({ min: -2, max: 4 }),
			fc.constantFrom('a', '1', ''),
			fc.integer({ min: 1, max: 4 }).map(when)
		);
		const field = fc.constantFrom('k', 'sub.s', 'other', 'x', '_id');
		const condition = fc.oneof(
			value,
			value.map((v) => ({ $eq: v })),
			fc.array(value, { maxLength: 3 }).map((vs) => ({ $in: vs })),
			fc.tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), bound).map(([op, b]) => ({ [op]: b })),
			fc.tuple(bound, bound).map(([a, b]) => ({ $gte: a, $lt: b })),
			value.map((v) => ({ $ne: v })),
			fc.constantFrom('d1', 'd3', { $in: ['d2', 'd5'] }, { $gt: 'd4' })
		);
		const query = fc.dictionary(field, condition, { maxKeys: 2 });
		const sort = fc.option(
			fc.dictionary(fc.constantFrom('k', 'other', '_id', 'x'), fc.constantFrom<1 | -1>(1, -1), {
				minKeys: 1,
				maxKeys: 2
			})
		);
		await fc.assert(
			fc.asyncProperty(
				fc.array(doc, { maxLength: 20 }),
				fc.array(fc.tuple(query, sort, fc.nat(3), fc.nat(4)), { minLength: 1, maxLength: 4 }),
				async (docs, qs) => {
					await indexed.deleteMany({});
					await plain.deleteMany({});
					const withIds = docs.map((d, i) => ({ _id: `d${i}`, ...d }));
					if (withIds.length) {
						await indexed.insertMany(withIds);
						await plain.insertMany(withIds);
					}
					await indexed.updateMany({ k: 1 }, { $set: { k: 2 } });
					await plain.updateMany({ k: 1 }, { $set: { k: 2 } });
					for (const [q, s, skip, limit] of qs) {
						const options = { ...(s ? { sort: s } : {}), skip, limit };
						const a = await indexed.find(q, options);
						const b = await plain.find(q, options);
						if (s) {
							// Ties may come in any order: compare the sort keys, then the sets.
							expect(a.length).toBe(b.length);
						} else expect(a.map((d) => d._id)).toEqual(b.map((d) => d._id));
						expect(await indexed.countDocuments(q)).toBe(await plain.countDocuments(q));
						expect((await indexed.find(q)).map((d) => d._id)).toEqual(
							(await plain.find(q)).map((d) => d._id)
						);
						if (s && !('x' in s)) {
							const keys = (ds: Doc[]) =>
								ds.map((d) =>
									JSON.stringify(Object.keys(s).map((f) => (f === '_id' ? d._id : d[f]) ?? null))
								);
							expect(keys(a)).toEqual(keys(b));
						}
					}
				}
			),
			{ numRuns: 120 }
		);
	});

	it('reads are not held up by a long write transaction in the same process', async () => {
		const db = await open(await tempDir());
		const c = db.collection<Doc>('responses');
		await c.createIndex({ keys: { campaignId: 1 } });
		await c.insertOne({ _id: 'seen', campaignId: 'c0' });
		const docs = Array.from({ length: 20_000 }, (_, i) => ({ campaignId: 'c1', i, data: 'x'.repeat(300) }));
		let writing = true;
		const tx = db
			.withTransaction(async (session) => {
				for (let i = 0; i < docs.length; i += 2000) await c.insertMany(docs.slice(i, i + 2000), { session });
			})
			.finally(() => (writing = false));
		const latencies: number[] = [];
		while (writing) {
			const t = performance.now();
			const found = await c.find({ campaignId: 'c0' });
			latencies.push(performance.now() - t);
			expect(found.map((d) => d._id)).toEqual(['seen']);
			await new Promise((r) => setTimeout(r, 1));
		}
		await tx;
		// The reads ran while the transaction was open (not after it) and saw the last commit.
		expect(latencies.length).toBeGreaterThan(5);
		expect(await c.countDocuments({ campaignId: 'c1' })).toBe(20_000);
	});

	it('keeps the write-ahead log under its bound under sustained writes with concurrent reads', async () => {
		const dir = await tempDir();
		const db = await open(dir);
		const c = db.collection<Doc>('responses');
		const wal = join(dir, 'techcap.sqlite-wal');
		const body = 'ô'.repeat(20_000);
		for (let i = 0; i < 20; i++) await c.insertOne({ _id: `r${i}`, revision: 0, body });
		let peak = 0;
		let reads = 0;
		// ~6,000 saves of 40 KB documents write far more than the bound into the log.
		for (let n = 0; n < 6000; n++) {
			await c.updateOne({ _id: `r${n % 20}` }, { $inc: { revision: 1 }, $set: { body: body + n } });
			if (n % 10 === 0) {
				reads += (await c.find({ _id: { $in: ['r1', 'r2'] } })).length;
				peak = Math.max(peak, statSync(wal).size);
			}
		}
		expect(reads).toBe(1200);
		expect(peak).toBeLessThanOrEqual(WAL_LIMIT_BYTES);
		// The same 20 documents rewritten: the file reuses its pages instead of growing.
		expect(statSync(join(dir, 'techcap.sqlite')).size).toBeLessThan(8 * 1024 * 1024);
	}, 120_000);

	it('says in one line that a file is not a database, and that another process holds the lock', async () => {
		const dir = await tempDir();
		writeFileSync(
			join(dir, 'techcap.sqlite'),
			'this is not a database, but it is long enough to look like a header'.repeat(100)
		);
		await expect(openEmbeddedDatabase(dir)).rejects.toThrow(
			/^cannot open the embedded database .*techcap\.sqlite \(file is not a database\)$/
		);

		const dir2 = await tempDir();
		const db = await open(dir2);
		await db.collection<Doc>('t').insertOne({ _id: 'a' });
		const stuck = new Sqlite(join(dir2, 'techcap.sqlite'));
		stuck.exec('BEGIN IMMEDIATE');
		try {
			const impatient = await openEmbeddedDatabase(dir2, { writeWaitMs: 300 });
			cleanups.unshift(() => impatient.close());
			await expect(impatient.collection<Doc>('t').insertOne({ _id: 'b' })).rejects.toThrow(
				/another process has held the write lock for more than 0 s/
			);
			// Reading still works while the lock is held.
			expect(await impatient.collection<Doc>('t').countDocuments()).toBe(1);
		} finally {
			stuck.exec('ROLLBACK');
			stuck.close();
		}
	});
});

/** A 2 MB tmpfs, when this process may mount one (root on Linux); null elsewhere. */
function smallDisk(): { dir: string; release(): void } | null {
	if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
	const dir = mkdtempSync(join(tmpdir(), 'techcap-full-'));
	const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir]).status === 0;
	if (!mounted) {
		rmSync(dir, { recursive: true, force: true });
		return null;
	}
	return {
		dir,
		release() {
			spawnSync('umount', [dir]);
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

describe('a full disk and a read-only folder', () => {
	const probe = smallDisk();
	probe?.release();
	if (!probe)
		console.log('[embedded] full-disk and read-only tests SKIPPED: cannot mount a small tmpfs here');
	it.skipIf(!probe)('answers with one clear line and keeps what was committed', async () => {
		const disk = smallDisk()!;
		try {
			const db = await openEmbeddedDatabase(join(disk.dir, 'data'));
			const c = db.collection<Doc>('t');
			let failure: unknown = null;
			let acknowledged = 0;
			try {
				for (let i = 0; i < 1000; i++) {
					await c.insertOne({ _id: `d${i}`, body: 'x'.repeat(20_000) });
					acknowledged++;
				}
			} catch (e) {
				failure = e;
			}
			expect(failure).toBeInstanceOf(DatabaseUnavailableError);
			expect((failure as Error).message).toMatch(/^embedded database .*techcap\.sqlite: the disk is full$/);
			expect(await c.countDocuments()).toBe(acknowledged);
			await db.close();
		} finally {
			disk.release();
		}
	});

	it.skipIf(!probe)('a read-only data folder ends start-up with one clear line', async () => {
		const ro = smallDisk()!;
		try {
			const db = await openEmbeddedDatabase(join(ro.dir, 'data'));
			await db.collection<Doc>('t').insertOne({ _id: 'a' });
			await db.close();
			expect(spawnSync('mount', ['-o', 'remount,ro', ro.dir]).status).toBe(0);
			await expect(openEmbeddedDatabase(join(ro.dir, 'data'))).rejects.toThrow(
				/^cannot open the embedded database .*techcap\.sqlite \(the data folder is read-only\)$/
			);
		} finally {
			ro.release();
		}
	});
});

describe('moving a format-1 data folder (the in-memory engine) to tables', () => {
	const FIXTURE = fileURLToPath(new URL('../../../../../tests/fixtures/embedded-v1', import.meta.url));

	async function fixtureCopy(): Promise<string> {
		const dir = await tempDir();
		cpSync(FIXTURE, dir, { recursive: true });
		return dir;
	}

	it('moves every document with its types and indexes, keeps a copy, and is done once', async () => {
		const dir = await fixtureCopy();
		const lines: string[] = [];
		const db = await open(dir, { log: (l) => lines.push(l) });
		expect(lines[0]).toMatch(/moving .* \(307 documents\)/);
		expect(lines.at(-1)).toMatch(/migration finished/);
		const copies = readdirSync(dir).filter((f) => f.includes('.format1-'));
		expect(copies).toHaveLength(1);

		const users = db.collection<Doc>('users');
		expect(await users.countDocuments()).toBe(2);
		await expect(users.insertOne({ email: 'admin@example.vn' })).rejects.toSatisfy(isDuplicateKeyError);
		const response = await db.collection<Doc>('responses').findOne({ _id: 'r1' });
		expect(response?.data).toEqual({
			t1_equipment_age: 7,
			note: 'máy tiện CNC, "Nhật"',
			list: [1, 2.5, null],
			nested: { when: new Date('2026-02-01T03:04:05.678Z') }
		});
		expect(response?.createdAt).toEqual(new Date('2026-11-30T08:00:00.000Z'));
		const chunk = await db.collection<Doc>('upload_chunks').findOne({ _id: 'k1' });
		expect(chunk?.bytes).toEqual(new Uint8Array([0, 1, 2, 254, 255]));
		// Natural order and index-backed sort survive.
		const audit = db.collection<Doc>('audit');
		expect((await audit.find({}, { limit: 2 })).map((d) => d._id)).toEqual(['a000', 'a001']);
		expect((await audit.find({}, { sort: { at: -1 }, limit: 1 }))[0]._id).toBe('a299');
		expect(await db.listCollections()).toContain('campaigns');
		await db.close();

		const again: string[] = [];
		const reopened = await open(dir, { log: (l) => again.push(l) });
		expect(again).toEqual([]);
		expect(await reopened.collection<Doc>('audit').countDocuments()).toBe(300);
	});

	it('a migration that fails leaves the old file as it was, and runs again at the next start', async () => {
		const dir = await fixtureCopy();
		const file = join(dir, 'techcap.sqlite');
		const raw = new Sqlite(file);
		raw.prepare(`UPDATE docs SET doc = ? WHERE id = 'a150'`).run(Buffer.from('not v8'));
		raw.close();
		await expect(openEmbeddedDatabase(dir, { log: () => {} })).rejects.toThrow();
		const check = new Sqlite(file);
		expect(check.prepare(`SELECT count(*) FROM docs`).pluck().get()).toBe(307);
		expect(check.prepare(`SELECT count(*) FROM sqlite_master WHERE name LIKE 'c:%'`).pluck().get()).toBe(0);
		// Repaired (here: the broken document removed), the next start migrates.
		check.prepare(`DELETE FROM docs WHERE id = 'a150'`).run();
		check.close();
		const db = await open(dir, { log: () => {} });
		expect(await db.collection<Doc>('audit').countDocuments()).toBe(299);
	});
});
