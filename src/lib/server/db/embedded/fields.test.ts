/** Reads that trim documents in SQL give what mingo gives over whole documents, and do trim. */
import fc from 'fast-check';
import Sqlite from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BaseDoc, Database, Projection } from '../types';
import { decodeDocument, encodeValue } from './codec';
import { documentSql, filterFields, projectionNeeds, stageNeeds, widen } from './fields';
import { openEmbeddedDatabase } from './index';
import { compileFilter, cursor, runPipeline } from './mingo';

interface Doc extends BaseDoc {
	[k: string]: unknown;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
	while (cleanups.length) await cleanups.pop()!();
});

async function open(): Promise<Database> {
	const dir = await mkdtemp(join(tmpdir(), 'techcap-fields-'));
	const db = await openEmbeddedDatabase(dir);
	cleanups.push(async () => {
		await db.close();
		await rm(dir, { recursive: true, force: true });
	});
	return db;
}

/** A document as SQLite trims it for `needs` (the engine's own SQL on one stored row). */
function trimmed(doc: Doc, needs: Parameters<typeof documentSql>[0]): unknown {
	const sqlite = new Sqlite(':memory:');
	try {
		sqlite.exec('CREATE TABLE t (doc BLOB)');
		sqlite.prepare('INSERT INTO t VALUES (jsonb(?))').run(encodeValue(doc));
		return decodeDocument(
			sqlite
				.prepare(`SELECT ${documentSql(needs)} FROM t`)
				.pluck()
				.get() as string
		);
	} finally {
		sqlite.close();
	}
}

describe('what a read needs', () => {
	it('reads the fields a projection names, or drops those it excludes', () => {
		expect(projectionNeeds({ total: 1, 'result.points': 1, _id: 0 })).toEqual({
			include: ['total', 'result.points']
		});
		expect(projectionNeeds({ data: 0, _id: 0 })).toEqual({ exclude: ['data'] });
		expect(projectionNeeds({ n: { $size: '$items' }, s: '$a.b' })).toEqual({ include: ['items', 'a.b'] });
		expect(projectionNeeds({ _id: 0 })).toBeNull();
	});

	it('reads whole documents when a read may depend on fields it does not name', () => {
		expect(projectionNeeds({ all: '$$ROOT' })).toBeNull();
		expect(projectionNeeds({ v: { $getField: 'odd name' } })).toBeNull();
		expect(projectionNeeds({ items: { $slice: 2 } })).toBeNull();
		expect(projectionNeeds({ 'a b': 1 })).toBeNull();
		expect(projectionNeeds({ groups: { T: 1 } })).toBeNull();
		expect(stageNeeds({ $group: { _id: null, first: { $first: '$$CURRENT' } } })).toBeNull();
		expect(stageNeeds({ $sort: { a: 1 } })).toBeNull();
		expect(filterFields({ $expr: { $gt: ['$a', 1] } })).toBeNull();
		expect(widen({ include: ['a'] }, null)).toBeNull();
	});

	it('keeps what the filter and sort still read, even when the projection drops it', () => {
		expect(stageNeeds({ $group: { _id: { c: '$campaignId', s: '$status' }, n: { $sum: 1 } } })).toEqual({
			include: ['campaignId', 'status']
		});
		expect(filterFields({ a: 1, $or: [{ 'b.c': 2 }, { d: { $exists: false } }] })).toEqual(['a', 'b.c', 'd']);
		expect(widen({ include: ['a'] }, ['b'])).toEqual({ include: ['a', 'b'] });
		expect(widen({ exclude: ['data', 'big.part', 'other'] }, ['data.x', 'big'])).toEqual({
			exclude: ['other']
		});
	});

	it('trims in SQL to the needed paths, in stored order, keeping arrays and tagged values whole', () => {
		const at = new Date(Date.UTC(2026, 4, 1));
		const doc: Doc = {
			_id: 's1',
			campaignId: 'c1',
			total: 71.5,
			result: { criteria: [{ id: 'T1', points: 3 }], points: { T1: 3 }, priorities: ['long text'] },
			list: [{ a: 1, b: 2 }],
			at,
			empty: null,
			data: { q1: 'answer' }
		};
		expect(
			trimmed(doc, { include: ['total', 'result.points', 'list.a', 'at.x', 'empty', 'absent.x'] })
		).toEqual({
			_id: 's1',
			total: 71.5,
			result: { points: { T1: 3 } },
			list: [{ a: 1, b: 2 }],
			at,
			empty: null
		});
		expect(Object.keys(trimmed(doc, { include: ['data', 'campaignId'] }) as object)).toEqual([
			'_id',
			'campaignId',
			'data'
		]);
		expect(trimmed(doc, { exclude: ['data', 'result.priorities'] })).toEqual({
			...doc,
			data: undefined,
			result: { criteria: [{ id: 'T1', points: 3 }], points: { T1: 3 } }
		});
		expect(trimmed(doc, null)).toEqual(doc);
	});
});

/** A read's result, or the message it was refused with. */
async function settle(read: () => unknown): Promise<{ value: unknown } | { error: string }> {
	try {
		return { value: await read() };
	} catch (e) {
		return { error: e instanceof Error ? e.message : String(e) };
	}
}

describe('reads that trim documents', () => {
	const when = (d: number) => new Date(Date.UTC(2026, 0, d));
	const scalar = fc.oneof(
		fc.integer({ min: -2, max: 3 }),
		fc.constantFrom(0.1, 1 / 3, 'a', 'b', '', 'ă"\\', true, false),
		fc.constant(null),
		fc.integer({ min: 1, max: 3 }).map(when)
	);
	const inner = fc.record(
		{ x: scalar, y: fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })) },
		{ requiredKeys: [] }
	);
	const value = fc.oneof(scalar, inner, fc.array(fc.oneof(scalar, inner), { maxLength: 2 }));
	const doc = fc.record(
		{ a: value, b: value, c: fc.record({ x: value, y: value }, { requiredKeys: [] }) },
		{
			requiredKeys: []
		}
	);
	const path = fc.constantFrom('a', 'b', 'c', 'a.x', 'c.x', 'c.y', 'c.x.y', 'b.y', 'missing', 'c.missing');
	const inclusion = fc.dictionary(path, fc.constantFrom<1 | true>(1, true), { minKeys: 1, maxKeys: 3 });
	const exclusion = fc.dictionary(path, fc.constantFrom<0 | false>(0, false), { minKeys: 1, maxKeys: 2 });
	const withoutId = <P extends Record<string, unknown>>(p: P, noId: boolean): P =>
		noId ? { ...p, _id: 0 } : p;
	const findProjection: fc.Arbitrary<Projection> = fc
		.tuple(fc.oneof(inclusion, exclusion), fc.boolean())
		.map(([p, noId]) => withoutId<Projection>(p, noId));
	const computed = fc.tuple(path, path).map(([p, q]) => ({ p: `$${p}`, q: { $ifNull: [`$${q}`, 'none'] } }));
	const projection = fc
		.tuple(fc.oneof(inclusion, exclusion, computed), fc.boolean())
		.map(([p, noId]) => withoutId<Record<string, unknown>>(p, noId));
	const filter = fc.oneof(
		fc.constant({}),
		fc.tuple(path, scalar).map(([p, v]) => ({ [p]: v })),
		fc.tuple(path, path).map(([p, q]) => ({ $or: [{ [p]: { $exists: true } }, { [q]: null }] }))
	);
	const group = fc.tuple(path, path).map(([p, q]) => ({
		$group: { _id: `$${p}`, n: { $sum: 1 }, values: { $push: `$${q}` } }
	}));

	it('find, aggregate, distinct and count give what mingo gives over whole documents (property test)', async () => {
		const db = await open();
		const c = db.collection<Doc>('docs');
		await c.createIndex({ keys: { k: 1 } });
		await fc.assert(
			fc.asyncProperty(
				fc.array(doc, { maxLength: 8 }),
				fc.array(fc.tuple(filter, findProjection, projection, group, path, fc.option(path)), {
					minLength: 1,
					maxLength: 3
				}),
				async (docs, reads) => {
					await c.deleteMany({});
					const stored = docs.map((d, i) => ({ _id: `d${i}`, k: i % 3, ...d }));
					if (stored.length) await c.insertMany(stored);
					const whole = await c.find({});
					for (const [f, fp, p, g, field, sortBy] of reads) {
						// mingo may change the documents it is given: each reference read gets its own copies.
						const where = (q: Record<string, unknown>) =>
							structuredClone(whole.filter((d) => compileFilter(q).test(d)));
						const matching = where(f);
						const sort = sortBy ? { [sortBy]: 1 as const, _id: 1 as const } : undefined;
						// A projection mingo refuses (a path collision) must be refused the same way.
						expect(await settle(() => c.find(f, { projection: fp, sort }))).toEqual(
							await settle(() => cursor(where(f), { projection: fp, sort }))
						);
						expect(await settle(() => c.find({ ...f, k: 1 }, { projection: fp }))).toEqual(
							await settle(() => cursor(where({ ...f, k: 1 }), { projection: fp }))
						);
						const projected = [{ $match: f }, { $project: p }];
						expect(await settle(() => c.aggregate(projected))).toEqual(
							await settle(() => runPipeline(where(f), projected.slice(1), () => []))
						);
						const grouped = [{ $match: f }, g, { $sort: { _id: 1 } }];
						expect(await c.aggregate(grouped)).toEqual(runPipeline(where(f), grouped.slice(1), () => []));
						expect(new Set(await c.distinct(field, f))).toEqual(
							new Set(await c.distinct(field, { _id: { $in: matching.map((d) => d._id) } }))
						);
						expect(await c.countDocuments(f)).toBe(matching.length);
					}
				}
			),
			{ numRuns: 150 }
		);
	});
});
