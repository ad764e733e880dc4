/**
 * Issue 21 on a whole release (embedded engine): the intruder reads only what the public API returns
 * (benchmark views of every `by`, across versions) and tries the attacks measured on main: rebuilding
 * small cells from their statistics, and subtracting two versions of a release.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	attackReleasedTables,
	changedMembers,
	reconstructSmallCell,
	type Membership,
	type ReleasedTable
} from '$lib/domain/disclosure';
import { postStratifiedMean } from '$lib/domain/statistics';
import { openDatabase, type Database } from '../db';
import { C, type CampaignDoc, type EnterpriseDoc, type ResponseDoc, type ScoreDoc } from '../db/schema';
import { addRowToMembership } from './benchmarks';
import { publishCampaign, ReleaseError } from './publish';
import { releaseBenchmarks, type BenchmarkView } from './read';
import { allSegmentations } from './segments';
import { mechanicalCampaign, submission } from './testing';
import type { ReleaseRowDoc } from './types';

const actor = { id: 'admin-1', email: 'admin@x.vn' };
const NOW = new Date('2025-07-01T00:00:00Z');
const CAMPAIGN = 'camp-21';
const WARDS = ['w1', 'w2', 'w3', 'w4'];

let dir: string;
let db: Database;

/** 34 enterprises: 24 small, 10 medium; four wards; scores spread over 20–90. */
async function seed(): Promise<void> {
	await db.collection<CampaignDoc>(C.campaigns).insertOne(mechanicalCampaign(CAMPAIGN, NOW));
	const enterprises: EnterpriseDoc[] = [];
	// Register: 120 small and 30 medium enterprises of the sector besides the respondents.
	for (let i = 0; i < 150; i++)
		enterprises.push({
			_id: `reg-${i}`,
			taxCode: `9${String(i).padStart(9, '0')}`,
			name: `Đăng ký ${i}`,
			vsic: '2511',
			ward: 'w1',
			ownership: 'private',
			employees: i < 120 ? 50 : 150,
			revenueBn: i < 120 ? 20 : 100,
			capitalBn: i < 120 ? 10 : 50,
			createdAt: NOW,
			updatedAt: NOW
		});
	for (let i = 0; i < 34; i++) {
		const medium = i >= 24;
		enterprises.push({
			_id: `e${i}`,
			taxCode: `1${String(i).padStart(9, '0')}`,
			name: `Công ty ${i}`,
			vsic: '2511',
			ward: WARDS[i % 4],
			ownership: i % 3 ? 'private' : 'state',
			employees: medium ? 150 : 50,
			revenueBn: medium ? 100 + i : 20 + i,
			capitalBn: medium ? 50 : 10,
			createdAt: NOW,
			updatedAt: NOW
		});
		const { response, score } = submission({
			campaignId: CAMPAIGN,
			enterpriseId: `e${i}`,
			i,
			total: 20 + ((i * 37) % 71),
			K: 0.3 + ((i * 13) % 50) / 100,
			level: 'trung-binh',
			ladderINT: 1 + (i % 4),
			now: NOW
		});
		await db.collection<ResponseDoc>(C.responses).insertOne(response);
		await db.collection<ScoreDoc>(C.scores).insertOne(score);
	}
	await db.collection<EnterpriseDoc>(C.enterprises).insertMany(enterprises);
}

async function publicViews(releaseId: string): Promise<BenchmarkView[]> {
	const out: BenchmarkView[] = [];
	for (const dims of allSegmentations()) {
		const v = await releaseBenchmarks(db, releaseId, dims, { microdata: false });
		if (v) out.push(v);
	}
	return out;
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'techcap-issue21-'));
	db = await openDatabase({ dir });
	await seed();
});
afterAll(async () => {
	await db.close();
	rmSync(dir, { recursive: true, force: true });
});

let v1Id = '';

describe('statistics of published cells', () => {
	test('no public block of any segmentation rebuilds its members; small cells show n and mean only', async () => {
		const r = await publishCampaign(db, CAMPAIGN, actor);
		v1Id = r._id;
		let blocks = 0;
		let small = 0;
		for (const view of await publicViews(r._id))
			for (const s of view.segments) {
				if (s.suppressed || !s.total) continue;
				for (const b of [s.total, s.K!, ...Object.values(s.groups!)]) {
					blocks++;
					expect(b.min).toBeNull();
					expect(b.max).toBeNull();
					expect(reconstructSmallCell(b)).toBeNull();
					if (b.n < 10) {
						small++;
						expect([b.sd, b.lower, b.upper, b.p25, b.median, b.p75, b.p90]).toEqual(Array(7).fill(null));
					}
					if (b.n < 20) expect(b.p90).toBeNull();
				}
			}
		expect(blocks).toBeGreaterThan(50);
		expect(small).toBeGreaterThan(10); // the release does publish cells of 5 … 9
	});

	test('the weighted total equals an independent post-stratified estimate; weights are documented', async () => {
		const rows = await db.collection<ReleaseRowDoc>(C.releaseRows).find({ releaseId: v1Id });
		const register = { small: 120 + 24, medium: 30 + 10 };
		const est = postStratifiedMean(
			rows.map((x) => ({ stratum: x.size, value: x.total })),
			register
		);
		const [view] = await publicViews(v1Id);
		const w = view.segments[0].weighted!;
		expect(w.mean).toBeCloseTo(est.mean!, 1); // public: rounded to 0.1
		expect(w.lower! <= est.lower! + 1e-9 && w.upper! >= est.upper! - 1e-9).toBe(true); // rounded outward
		expect(w.n).toBe(34);
		expect(view.release.weighting?.strata.map((s) => s.key)).toEqual(['small', 'medium']);
		// Weighted means differ from the unweighted ones (medium firms answer more often here).
		const raw = await releaseBenchmarks(db, v1Id, [], { microdata: true });
		expect(raw!.segments[0].weighted!.mean).not.toBeCloseTo(raw!.segments[0].total!.mean!, 3);
		expect(raw!.segments[0].weightedMeasures?.groups.T.mean).not.toBeNull();
	});
});

describe('versions', () => {
	test('one reopened response: the republish is refused and nothing is published', async () => {
		await db
			.collection<ScoreDoc>(C.scores)
			.updateOne({ responseId: `${CAMPAIGN}-r3` }, { $set: { total: 88 } });
		const e = await publishCampaign(db, CAMPAIGN, actor).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(ReleaseError);
		expect(await db.collection(C.releases).countDocuments({ campaignId: CAMPAIGN })).toBe(1);
	});

	test('six changes, one alone in its cells: subtracting the public versions recovers nothing', async () => {
		for (const i of [5, 9, 13, 17, 21])
			await db
				.collection<ScoreDoc>(C.scores)
				.updateOne({ responseId: `${CAMPAIGN}-r${i}` }, { $set: { total: 30 + i } });
		const r2 = await publishCampaign(db, CAMPAIGN, actor);
		expect(r2.version).toBe(2);
		const [a, b] = [await publicViews(v1Id), await publicViews(r2._id)];
		const members = async (id: string) => {
			const m: Membership = new Map();
			for (const row of await db.collection<ReleaseRowDoc>(C.releaseRows).find({ releaseId: id }))
				addRowToMembership(m, row, ['design']);
			return m;
		};
		const changes = changedMembers(await members(v1Id), await members(r2._id));
		const sensitive = [...changes].filter(([, c]) => c > 0 && c < 5).map(([k]) => k);
		expect(sensitive.length).toBeGreaterThan(0);
		// The difference tables an intruder can form from the two public versions.
		const diffTables: ReleasedTable[] = [];
		const cellsOf = (views: BenchmarkView[]) =>
			new Map(views.flatMap((v) => v.tables.flatMap((t) => t.cells.map((c) => [c.key, c] as const))));
		const c1 = cellsOf(a);
		for (const t of b.flatMap((v) => v.tables)) {
			diffTables.push({
				id: t.id,
				view: 'public',
				constraints: t.constraints,
				cells: t.cells.map((c) => {
					const old = c1.get(c.key);
					const both = !c.suppressed && old && !old.suppressed;
					const zero = changes.get(c.key) === 0;
					const n = zero ? 0 : both ? (c.n as number) - (old.n as number) : null;
					const value = zero
						? 0
						: both && c.value !== null && old.value !== null
							? c.value - old.value
							: null;
					return { key: c.key, n, value, flag: n === null ? ':c' : null, suppressed: n === null };
				})
			});
			// Every cell published in both versions differs by 0 or ≥ k enterprises.
			for (const c of t.cells) {
				const old = c1.get(c.key);
				if (!c.suppressed && old && !old.suppressed) {
					const ch = changes.get(c.key) ?? 0;
					expect(ch === 0 || ch >= 5, `${c.key}: ${ch}`).toBe(true);
				}
			}
		}
		for (const measure of ['n', 'value'] as const) {
			const hits = attackReleasedTables(diffTables, measure).filter(
				(x) => x.determined && sensitive.includes(x.key)
			);
			expect(hits).toEqual([]);
		}
		// Statistics follow the cell: a withheld sensitive segment shows no mean in version 2.
		const seg = b.flatMap((v) => v.segments).find((s) => sensitive.includes(s.key));
		if (seg) expect(seg.total).toBeNull();
	});
});
