/**
 * The release pipeline on the embedded engine (and MongoDB when MONGODB_URI is set): snapshot,
 * exact percentiles from pipeline-grouped values, disclosure control checked by the intruder on the
 * PUBLISHED tables, immutability after publication, versions, and the public view.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attackReleasedTables } from '$lib/domain/disclosure';
import { openDatabase, type Database } from '../db';
import { C, type CampaignDoc, type EnterpriseDoc, type ResponseDoc, type ScoreDoc } from '../db/schema';
import { buildBenchmarks } from './benchmarks';
import { analystDashboard } from './dashboard';
import { publishCampaign, ReleaseError, transitionCampaign } from './publish';
import { getRelease, listReleases, releaseBenchmarks } from './read';
import { parseBy, ByParameterError } from './segments';
import { mechanicalCampaign, submission } from './testing';
import type { BenchmarkDoc, ReleaseRowDoc } from './types';

const actor = { id: 'admin-1', email: 'admin@x.vn' };
/** 12 small enterprises scoring 1..12 and 2 large ones scoring 50 and 60 (hand-computed percentiles below). */
const TOTALS = [...Array.from({ length: 12 }, (_, i) => i + 1), 50, 60];

async function seed(
	db: Database,
	campaignId: string,
	status: CampaignDoc['status'] = 'closed'
): Promise<void> {
	const now = new Date('2025-07-01T00:00:00Z');
	await db.collection<CampaignDoc>(C.campaigns).insertOne(mechanicalCampaign(campaignId, now, status));
	const enterprises: EnterpriseDoc[] = [];
	const responses: ResponseDoc[] = [];
	const scores: ScoreDoc[] = [];
	TOTALS.forEach((total, i) => {
		const large = total >= 50;
		const id = `${campaignId}-e${i}`;
		enterprises.push({
			_id: id,
			taxCode:
				`${campaignId.length}${String(i).padStart(9, '0')}`.slice(0, 10) +
				`-${String(i).padStart(3, '0')}-${campaignId}`,
			name: `Công ty ${i}`,
			vsic: '2511',
			ward: i % 2 ? 'hoan-kiem' : 'cua-nam',
			ownership: 'private',
			employees: large ? 500 : 50,
			revenueBn: large ? 100 : 20,
			capitalBn: large ? 500 : 10,
			createdAt: now,
			updatedAt: now
		});
		const { response, score } = submission({
			campaignId,
			enterpriseId: id,
			i,
			total,
			K: 0.5 + i / 100,
			level: 'trung-binh',
			ladderINT: 2,
			now
		});
		responses.push(response);
		scores.push(score);
	});
	// One invited enterprise that never answered: response rate 14/15.
	responses.push({
		...responses[0],
		_id: `${campaignId}-r-inv`,
		enterpriseId: `${campaignId}-inv`,
		status: 'invited',
		score: null
	});
	await db.collection<EnterpriseDoc>(C.enterprises).insertMany(enterprises);
	await db.collection<ResponseDoc>(C.responses).insertMany(responses);
	await db.collection<ScoreDoc>(C.scores).insertMany(scores);
}

let dir: string;
let db: Database;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'techcap-releases-'));
	db = await openDatabase({ dir });
	await seed(db, 'camp-a');
});

afterAll(async () => {
	await db.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('publishCampaign', () => {
	test('refuses an open campaign with a bilingual message, and the lifecycle rules', async () => {
		await seed(db, 'camp-open', 'open');
		const err = await publishCampaign(db, 'camp-open', actor).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(ReleaseError);
		expect((err as ReleaseError).text.vi).toContain('đã đóng');
		await expect(transitionCampaign(db, 'camp-open', 'open', actor)).rejects.toThrow(
			/cannot move from 'open' to 'open'/
		);
		expect((await transitionCampaign(db, 'camp-open', 'closed', actor)).status).toBe('closed');
	});

	test('refuses a campaign nobody submitted to with a clear message and leaves nothing behind', async () => {
		const now = new Date('2025-07-01T00:00:00Z');
		await db.collection<CampaignDoc>(C.campaigns).insertOne(mechanicalCampaign('camp-empty', now));
		const err = await publishCampaign(db, 'camp-empty', actor).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(ReleaseError);
		expect((err as ReleaseError).text.vi).toContain('chưa có gì để công bố');
		expect((err as ReleaseError).text.en).toContain('nothing to publish');
		expect(await db.collection(C.releases).countDocuments({ campaignId: 'camp-empty' })).toBe(0);
		expect((await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: 'camp-empty' }))?.status).toBe(
			'closed'
		);
	});

	test('snapshots the submitted responses with attributes, pseudonyms and coverage', async () => {
		const r = await publishCampaign(db, 'camp-a', actor);
		expect(r.version).toBe(1);
		expect(r.rowCount).toBe(14);
		expect(r.coverage.invited).toBe(15);
		expect(r.coverage.responseRate).toBeCloseTo(14 / 15, 10);
		const rows = await db.collection<ReleaseRowDoc>(C.releaseRows).find({ releaseId: r._id });
		expect(rows.filter((x) => x.size === 'large')).toHaveLength(2);
		expect(rows.filter((x) => x.size === 'small')).toHaveLength(12);
		expect(new Set(rows.map((x) => x.pid)).size).toBe(14);
		expect(rows.every((x) => !x.pid.includes(x.enterpriseId))).toBe(true);
		expect(rows[0].criteria).toEqual({ t1: 1 });
		expect(rows[0].ladders).toEqual({ design: { EXT: 3, INT: 2 } });
		expect((await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: 'camp-a' }))?.status).toBe(
			'published'
		);
		const audit = await db
			.collection<{ _id: string; action: string }>(C.audit)
			.find({ action: 'release.publish' });
		expect(audit.length).toBeGreaterThan(0);
	});

	test('percentiles equal hand-computed type 7 values', async () => {
		const [r] = await listReleases(db, { sector: 'mechanical' });
		const v = await releaseBenchmarks(db, r.id, [], { microdata: true });
		const all = v!.segments[0];
		expect(all.n).toBe(14);
		// Sorted 1..12, 50, 60: p25 h = 3.25 → 4.25; median h = 6.5 → 7.5; p75 h = 9.75 → 10.75; p90 h = 11.7 → 12 + 0.7·38.
		expect(all.total!.p25).toBeCloseTo(4.25, 10);
		expect(all.total!.median).toBeCloseTo(7.5, 10);
		expect(all.total!.p75).toBeCloseTo(10.75, 10);
		expect(all.total!.p90).toBeCloseTo(38.6, 10);
		expect(all.total!.mean).toBeCloseTo(188 / 14, 10);
		expect(all.total!.lower).toBeLessThan(all.total!.mean!);
		// Group T = 0.3 × total, so its median is 0.3 × 7.5.
		expect(all.groups!.T.median).toBeCloseTo(2.25, 10);
		// Post-stratified by size: the register has the same 12 small + 2 large, so weights are 1.
		expect(all.weighted!.mean).toBeCloseTo(188 / 14, 10);
		// Level distribution counts every row once.
		const v1 = await releaseBenchmarks(db, r.id, [], { microdata: true });
		expect(v1!.distributions.all.level.find((c) => c.value === 'trung-binh')?.n).toBe(14);
	});

	test('the intruder recovers nothing from the PUBLISHED tables of the release', async () => {
		const [r] = await listReleases(db, { sector: 'mechanical' });
		const docs = await db.collection<BenchmarkDoc>(C.benchmarks).find({ releaseId: r.id });
		expect(docs).toHaveLength(11);
		const views = [];
		for (const d of docs) {
			const v = await releaseBenchmarks(db, r.id, d.dims, { microdata: false });
			views.push(...v!.tables);
		}
		// The 2 large enterprises are below k = 5: their cell and its complement (small) are suppressed.
		const bySize = (await releaseBenchmarks(db, r.id, ['size'], { microdata: false }))!;
		const large = bySize.segments.find((s) => s.key === 'size=large')!;
		expect(large).toMatchObject({ n: null, flag: ':c', suppressed: true, total: null, revenueBn: null });
		expect(bySize.segments.find((s) => s.key === 'size=small')!.suppressed).toBe(true);
		for (const measure of ['n', 'value'] as const) {
			const attempts = attackReleasedTables(views, measure);
			expect(attempts.length).toBeGreaterThan(0);
			expect(attempts.filter((a) => a.determined)).toEqual([]);
		}
	});

	test('the public view never carries a suppressed figure (what the API returns)', async () => {
		const [r] = await listReleases(db, { sector: 'mechanical' });
		for (const by of ['size', 'ward', 'size,ward', 'ownership,vsic']) {
			const v = (await releaseBenchmarks(db, r.id, parseBy(by), { microdata: false }))!;
			for (const s of v.segments.filter((x) => x.suppressed)) {
				expect(s).toMatchObject({
					n: null,
					total: null,
					K: null,
					groups: null,
					weighted: null,
					ladders: null,
					revenueBn: null
				});
				expect(s.status).toBeUndefined();
			}
			for (const s of v.segments.filter((x) => !x.suppressed && x.n)) expect(s.total!.min).toBeNull();
			for (const t of v.tables)
				for (const c of t.cells.filter((x) => x.suppressed)) expect([c.n, c.value]).toEqual([null, null]);
		}
	});

	test('editing a response after publishing changes no release; republishing makes v2', async () => {
		const [r1] = await listReleases(db, { sector: 'mechanical' });
		const rowsBefore = await db.collection(C.releaseRows).find({ releaseId: r1.id }, { sort: { _id: 1 } });
		const benchBefore = await db.collection(C.benchmarks).find({ releaseId: r1.id }, { sort: { by: 1 } });
		await db
			.collection<ResponseDoc>(C.responses)
			.updateOne({ _id: 'camp-a-r0' }, { $set: { data: { x: 1 }, 'score.total': 99 } });
		await db
			.collection<ScoreDoc>(C.scores)
			.updateOne({ responseId: 'camp-a-r0' }, { $set: { total: 99, 'groups.T': 29.7 } });
		await db
			.collection<EnterpriseDoc>(C.enterprises)
			.updateOne({ _id: 'camp-a-e0' }, { $set: { employees: 900, ward: 'moved' } });
		expect(await db.collection(C.releaseRows).find({ releaseId: r1.id }, { sort: { _id: 1 } })).toEqual(
			rowsBefore
		);
		expect(await db.collection(C.benchmarks).find({ releaseId: r1.id }, { sort: { by: 1 } })).toEqual(
			benchBefore
		);

		// One corrected enterprise: a version 2 would give its figures away by subtraction.
		const refused = await publishCampaign(db, 'camp-a', actor).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(ReleaseError);
		expect((refused as ReleaseError).text.en).toMatch(/only 1 enterprise/);
		expect((refused as ReleaseError).text.vi).toMatch(/chỉ khác phiên bản 1 ở 1 doanh nghiệp/);
		expect((await listReleases(db, { sector: 'mechanical' })).map((r) => r.version)).toEqual([1]);
		// Four more corrections: five changed enterprises (k = 5) may be published as version 2.
		for (const i of [1, 2, 3, 4])
			await db
				.collection<ScoreDoc>(C.scores)
				.updateOne({ responseId: `camp-a-r${i}` }, { $set: { total: 40 + i, 'groups.T': 0.3 * (40 + i) } });
		const r2 = await publishCampaign(db, 'camp-a', actor);
		expect(r2.version).toBe(2);
		expect(r2.disclosure.versions?.compared).toEqual([1]);
		const v1 = await releaseBenchmarks(db, r1.id, [], { microdata: true });
		const v2 = await releaseBenchmarks(db, r2._id, [], { microdata: true });
		expect(v1!.segments[0].total!.max).toBe(60);
		expect(v2!.segments[0].total!.max).toBe(99);
		expect((await getRelease(db, r1.id))!.latest).toBe(false);
		expect((await getRelease(db, r2._id))!.latest).toBe(true);
	});

	test('the dashboard data: filters, comparison, trend and cross-sector', async () => {
		const d = await analystDashboard(
			db,
			{ sector: 'mechanical', year: 2025, filters: { ward: 'hoan-kiem' } },
			{ microdata: false }
		);
		expect(d.release?.version).toBe(2);
		expect(d.selected?.key).toBe('ward=hoan-kiem');
		expect(d.options.size).toEqual(['large', 'small']);
		expect(d.comparison.map((s) => s.key)).toEqual([
			'size=large|ward=hoan-kiem',
			'size=small|ward=hoan-kiem'
		]);
		expect(d.trend).toHaveLength(1);
		// v2 is tiny (14 rows, one enterprise alone in a ward): its total may be suppressed in public.
		const cs = d.crossSector[0];
		if (cs.flag) expect(cs).toMatchObject({ n: null, total: null, shares: { T: null } });
		const micro = await analystDashboard(db, { sector: 'mechanical', year: 2025 }, { microdata: true });
		expect(micro.crossSector[0].shares.T).toBeCloseTo((micro.crossSector[0].total! * 0.3) / 30, 10);
		const three = await analystDashboard(
			db,
			{ sector: 'mechanical', filters: { size: 'small', ward: 'x', vsic: '2511' } },
			{ microdata: false }
		);
		expect(three.problem?.en).toMatch(/at most two/);
	});
});

describe('parseBy', () => {
	test('validates strictly and normalises the order', () => {
		expect(parseBy('ownership,size')).toEqual(['size', 'ownership']);
		expect(parseBy('')).toEqual([]);
		expect(() => parseBy('size,size')).toThrow(/repeated/);
		expect(() => parseBy('size,revenue')).toThrow(ByParameterError);
		expect(() => parseBy('size,ownership,ward')).toThrow(/at most two/);
	});
});

describe('the same aggregates from the embedded engine and MongoDB', () => {
	const uri = process.env.MONGODB_URI?.trim();
	test.runIf(!!uri)('benchmark statistics and suppression agree', async () => {
		const mongo = await openDatabase({ uri });
		try {
			const [r] = await listReleases(db, { sector: 'mechanical' });
			const rows = await db.collection<ReleaseRowDoc>(C.releaseRows).find({ releaseId: r.id });
			const releaseId = `parity-${Date.now()}`;
			// The same rows under a new release id on BOTH engines, so each builds from its own copy.
			const copies = rows.map((x) => ({ ...x, _id: `${releaseId}-${x._id}`, releaseId }));
			await mongo.collection<ReleaseRowDoc>(C.releaseRows).insertMany(copies);
			await db.collection<ReleaseRowDoc>(C.releaseRows).insertMany(copies.map((x) => ({ ...x })));
			const release = {
				_id: releaseId,
				coverage: r.coverage,
				disclosure: r.disclosure,
				ladderFunctions: r.ladderFunctions
			};
			const levels = ['lac-hau', 'trung-binh', 'trung-binh-tien-tien', 'tien-tien', 'hien-dai'];
			const a = await buildBenchmarks(mongo, release, levels);
			const b = await buildBenchmarks(db, { ...release, _id: releaseId }, levels);
			const strip = (docs: BenchmarkDoc[]) =>
				docs.map((d) => ({ by: d.by, tables: d.tables, stats: d.stats }));
			expect(strip(a.docs)).toEqual(strip(b.docs));
			await mongo.collection(C.releaseRows).deleteMany({ releaseId });
			await mongo.collection(C.benchmarks).deleteMany({ releaseId });
			await db.collection(C.releaseRows).deleteMany({ releaseId });
			await db.collection(C.benchmarks).deleteMany({ releaseId });
		} finally {
			await mongo.close();
		}
	});
	if (!uri)
		test('MongoDB parity', () =>
			console.log('SKIPPED: MONGODB_URI is not set, MongoDB parity of release aggregates not run'));
});
