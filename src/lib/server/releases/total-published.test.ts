/**
 * The release publishes its row count (coverage.submitted, rowCount), which is the total cell's n. Secondary
 * suppression must therefore never hide the total as a complement (review finding: in a demo release the
 * total was the complement of size=micro with n = 1, so micro's count was the row count minus the
 * published sizes).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	applyRole,
	attackReleasedTables,
	oneWayTable,
	protectTables,
	type Cell,
	type TableSpec
} from '$lib/domain/disclosure';
import { openDatabase, type Database } from '../db';
import { C, type CampaignDoc, type EnterpriseDoc, type ResponseDoc, type ScoreDoc } from '../db/schema';
import { protectRelease } from './benchmarks';
import { publishCampaign } from './publish';
import { releaseBenchmarks } from './read';
import { ALL_KEY, allSegmentations, byString } from './segments';
import { mechanicalCampaign, submission } from './testing';
import type { BenchmarkDoc, ReleaseDoc } from './types';

interface Row {
	size: 'micro' | 'small' | 'medium';
	total: number;
	level: string;
	ownership: EnterpriseDoc['ownership'];
	ward: string;
	vsic: string;
	ladder: number;
}

/** Register attributes that classify as each size (Decree 80/2021, industry). */
const SIZE_INPUT = {
	micro: { employees: 5, revenueBn: 1, capitalBn: 1 },
	small: { employees: 50, revenueBn: 20, capitalBn: 10 },
	medium: { employees: 150, revenueBn: 100, capitalBn: 50 }
} as const;

/**
 * The review case: one micro enterprise, and in every other dimension and distribution one small group
 * (two state-owned, two in another ward, three in another VSIC code, two at the top level, three in the
 * top score bin, two at ladder step 5). The total closes all those relations at once, which makes it the
 * cheapest complement when nothing says that its n is public.
 */
const ROWS: Row[] = Array.from({ length: 30 }, (_, i): Row => ({
	size: i === 0 ? 'micro' : i % 2 ? 'small' : 'medium',
	total: [5, 12, 25].includes(i) ? 92 : 50 + (i % 5),
	level: [3, 20].includes(i) ? 'hien-dai' : 'trung-binh',
	ownership: [7, 16].includes(i) ? 'state' : 'private',
	ward: [9, 22].includes(i) ? 'ba-dinh' : 'hoan-kiem',
	vsic: [11, 18, 27].includes(i) ? '2512' : '2511',
	ladder: [13, 24].includes(i) ? 5 : 3
}));

async function seed(db: Database, campaignId: string): Promise<void> {
	const now = new Date('2025-07-01T00:00:00Z');
	await db.collection<CampaignDoc>(C.campaigns).insertOne(mechanicalCampaign(campaignId, now));
	const enterprises: EnterpriseDoc[] = [];
	const responses: ResponseDoc[] = [];
	const scores: ScoreDoc[] = [];
	ROWS.forEach((row, i) => {
		const id = `${campaignId}-e${i}`;
		enterprises.push({
			_id: id,
			taxCode: `01${String(i).padStart(8, '0')}`,
			name: `Công ty ${i}`,
			vsic: row.vsic,
			ward: row.ward,
			ownership: row.ownership,
			...SIZE_INPUT[row.size],
			createdAt: now,
			updatedAt: now
		});
		const { response, score } = submission({
			campaignId,
			enterpriseId: id,
			i,
			total: row.total,
			K: 0.8,
			level: row.level,
			ladderINT: row.ladder,
			now
		});
		responses.push(response);
		scores.push(score);
	});
	await db.collection<EnterpriseDoc>(C.enterprises).insertMany(enterprises);
	await db.collection<ResponseDoc>(C.responses).insertMany(responses);
	await db.collection<ScoreDoc>(C.scores).insertMany(scores);
}

/** The release's tables as stored (unsuppressed figures), in build order: the input protectTables had. */
function storedSpecs(docs: readonly BenchmarkDoc[]): TableSpec[] {
	const order = allSegmentations().map(byString);
	return [...docs]
		.sort((a, b) => order.indexOf(a.by) - order.indexOf(b.by))
		.flatMap((d) =>
			d.tables.map((t) => ({
				id: t.id,
				cells: t.cells.map((c) => ({ key: c.key, n: c.n, ...(c.value === null ? {} : { value: c.value }) })),
				constraints: t.constraints
			}))
		);
}

let dir: string;
let db: Database;
let release: ReleaseDoc;
let docs: BenchmarkDoc[];

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'techcap-total-published-'));
	db = await openDatabase({ dir });
	await seed(db, 'camp-micro');
	// No dominance rule: revenues are not the point here, and the comparison below re-protects without them.
	release = await publishCampaign(db, 'camp-micro', null, { dominance: null });
	docs = await db.collection<BenchmarkDoc>(C.benchmarks).find({ releaseId: release._id });
});

afterAll(async () => {
	await db.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('the total cell is published (its n is the public row count)', () => {
	test('the campaign reproduces the review case: without the rule the total would be the complement', () => {
		const bySize = docs.find((d) => d.by === 'size')!;
		const sizes = bySize.tables.find((t) => t.id === 'size')!.cells;
		expect(sizes.find((c) => c.key === 'size=micro')).toMatchObject({ n: 1, status: 'suppressed-primary' });
		const old = protectTables(storedSpecs(docs), { k: release.disclosure.k, dominance: null });
		expect(old.cells.get(ALL_KEY)?.status).toBe('suppressed-secondary');
	});

	test('every stored total cell is published, and it equals the published row count', () => {
		expect(release.rowCount).toBe(ROWS.length);
		const totals = docs.flatMap((d) => d.tables.flatMap((t) => t.cells.filter((c) => c.key === ALL_KEY)));
		expect(totals.length).toBeGreaterThan(0);
		for (const c of totals) expect(c).toMatchObject({ n: release.rowCount, status: 'published' });
	});

	test('knowing the row count, the intruder recovers nothing from the public tables', async () => {
		const views = [];
		for (const d of docs)
			views.push(...(await releaseBenchmarks(db, release._id, d.dims, { microdata: false }))!.tables);
		const attempts = attackReleasedTables(views, 'n', { [ALL_KEY]: release.coverage.submitted });
		expect(attempts.map((a) => a.key)).toContain('size=micro');
		expect(attempts.filter((a) => a.determined)).toEqual([]);
	});
});

describe('protectRelease when the total itself fails a primary rule', () => {
	const cell = (key: string, n: number, revenue: number[]): Cell => ({
		key,
		n,
		value: revenue.reduce((a, b) => a + b, 0),
		contributions: revenue
	});
	const views = (p: ReturnType<typeof protectRelease>) =>
		p.tables.map((t) => applyRole(t, { microdata: false }));

	test('a total dominated by revenue is withheld, yet protection still assumes its n is known', () => {
		// Two enterprises hold ~95 % of the revenue: the total fails dominance, its n (20) is public anyway.
		const big = [5000, 4000];
		const smallRevenue = (n: number) => Array.from({ length: n }, () => 20);
		const specs = [
			oneWayTable('size', cell('all', 20, [...big, ...smallRevenue(18)]), [
				cell('size=micro', 1, smallRevenue(1)),
				cell('size=small', 9, smallRevenue(9)),
				cell('size=large', 10, [...big, ...smallRevenue(8)])
			]),
			oneWayTable('level', cell('all', 20, [...big, ...smallRevenue(18)]), [
				cell('level=a', 10, [...big, ...smallRevenue(8)]),
				cell('level=b', 10, smallRevenue(10))
			])
		];
		const p = protectRelease(specs, { k: 5 });
		const status = new Map(p.tables.flatMap((t) => t.cells.map((c) => [c.key, c])));
		expect(status.get('all')).toMatchObject({ status: 'suppressed-primary', reasons: ['dominance'] });
		expect(status.get('size=micro')?.status).toBe('suppressed-primary');
		// Counts: the intruder who reads the row count still cannot get micro; sums: the total stays hidden.
		expect(attackReleasedTables(views(p), 'n', { all: 20 }).filter((a) => a.determined)).toEqual([]);
		expect(attackReleasedTables(views(p), 'value').filter((a) => a.determined)).toEqual([]);
		expect(p.primary).toBe([...status.values()].filter((c) => c.status === 'suppressed-primary').length);
	});

	test('a release of fewer than k rows is protected like any cell (its size is public by design)', () => {
		const specs = [
			oneWayTable('size', { key: 'all', n: 3 }, [
				{ key: 'size=small', n: 3 },
				{ key: 'size=large', n: 0 }
			])
		];
		const p = protectRelease(specs, { k: 5, dominance: null });
		expect(p.tables[0].cells.find((c) => c.key === 'all')).toMatchObject({
			status: 'suppressed-primary',
			reasons: ['threshold']
		});
		expect(p.tables).toEqual(protectTables(specs, { k: 5, dominance: null }).tables);
	});
});
