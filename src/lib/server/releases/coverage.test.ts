/**
 * Response rates per stratum frozen into a release (coverage.byStratum): hand-counted strata on the
 * embedded engine, withheld strata matching the benchmark's protected one-way tables, and releases
 * published before the field existed still reading.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../db';
import { C, type CampaignDoc, type EnterpriseDoc, type ResponseDoc, type ScoreDoc } from '../db/schema';
import { responseRates } from '../tracking';
import { coverageByStratum, publishCampaign } from './publish';
import { getRelease, listReleases } from './read';
import { mechanicalCampaign } from './testing';
import type { BenchmarkDoc, ReleaseDoc, StratumCoverage } from './types';

const actor = { id: 'admin-1', email: 'admin@x.vn' };
const CAMPAIGN = 'camp-cov';
const NOW = new Date('2025-07-01T00:00:00Z');

type Status = ResponseDoc['status'] | 'submitted-unscored' | 'not-invited';
interface Spec {
	id: string;
	employees: number;
	revenueBn: number;
	capitalBn: number;
	ownership: EnterpriseDoc['ownership'];
	status: Status;
	vsic?: string;
}

const small = { employees: 50, revenueBn: 20, capitalBn: 10 };
const medium = { employees: 150, revenueBn: 100, capitalBn: 50 };
const large = { employees: 500, revenueBn: 300, capitalBn: 500 };
const micro = { employees: 5, revenueBn: 2, capitalBn: 2 };

/**
 * Hand counts (sector 'mechanical', VSIC 2511):
 * - small private: 6 submitted + 1 submitted without a score (not a release row) + 1 invited
 * - small FDI: 1 submitted + 1 in progress
 * - medium private: 3 submitted + 1 invited
 * - large state: 3 invited, none answered
 * - micro private: 5 in the register, not invited
 * - one participant whose enterprise is missing from the register (size/ownership unknown)
 * - one trade enterprise (VSIC 4711) outside the sector: neither register nor invited
 */
const SPECS: Spec[] = [
	...Array.from({ length: 6 }, (_, i): Spec => ({
		id: `sp${i}`,
		...small,
		ownership: 'private',
		status: 'submitted'
	})),
	{ id: 'sp6', ...small, ownership: 'private', status: 'submitted-unscored' },
	{ id: 'sp7', ...small, ownership: 'private', status: 'invited' },
	{ id: 'sf0', ...small, ownership: 'fdi', status: 'submitted' },
	{ id: 'sf1', ...small, ownership: 'fdi', status: 'in-progress' },
	...Array.from({ length: 3 }, (_, i): Spec => ({
		id: `mp${i}`,
		...medium,
		ownership: 'private',
		status: 'submitted'
	})),
	{ id: 'mp3', ...medium, ownership: 'private', status: 'invited' },
	...Array.from({ length: 3 }, (_, i): Spec => ({
		id: `ls${i}`,
		...large,
		ownership: 'state',
		status: 'invited'
	})),
	...Array.from({ length: 5 }, (_, i): Spec => ({
		id: `xp${i}`,
		...micro,
		ownership: 'private',
		status: 'not-invited'
	})),
	{ id: 'tr0', ...small, ownership: 'private', status: 'not-invited', vsic: '4711' }
];

async function seed(db: Database): Promise<void> {
	await db.collection<CampaignDoc>(C.campaigns).insertOne(mechanicalCampaign(CAMPAIGN, NOW));
	const enterprises: EnterpriseDoc[] = [];
	const responses: ResponseDoc[] = [];
	const scores: ScoreDoc[] = [];
	SPECS.forEach((s, i) => {
		enterprises.push({
			_id: s.id,
			taxCode: `01${String(i).padStart(8, '0')}`,
			name: `Công ty ${s.id}`,
			vsic: s.vsic ?? '2511',
			ward: 'cua-nam',
			ownership: s.ownership,
			employees: s.employees,
			revenueBn: s.revenueBn,
			capitalBn: s.capitalBn,
			createdAt: NOW,
			updatedAt: NOW
		});
		if (s.status === 'not-invited') return;
		const status: ResponseDoc['status'] = s.status === 'submitted-unscored' ? 'submitted' : s.status;
		const scored = s.status === 'submitted';
		responses.push({
			_id: `r-${s.id}`,
			campaignId: CAMPAIGN,
			enterpriseId: s.id,
			status,
			data: {},
			currentPageNo: 0,
			revision: 1,
			source: 'online',
			createdAt: NOW,
			updatedAt: NOW,
			startedAt: status === 'invited' ? null : NOW,
			submittedAt: status === 'submitted' ? NOW : null,
			submitKey: null,
			score: null,
			reopened: []
		});
		// Scores within one histogram bin and one level, so only the size/ownership cells decide suppression.
		if (scored)
			scores.push({
				_id: `s-${s.id}`,
				responseId: `r-${s.id}`,
				campaignId: CAMPAIGN,
				enterpriseId: s.id,
				rubricVersion: 'mechanical/2025.1',
				referenceYear: 2025,
				total: 40 + (i % 10) / 2,
				K: 0.5,
				level: 'trung-binh',
				groups: { T: 12, E: 8, O: 8, R: 8, I: 4 },
				result: { criteria: [], ladders: { functions: {} } },
				current: true,
				reason: 'submit',
				scoredAt: NOW
			});
	});
	// A participant whose enterprise is not in the register at all.
	responses.push({
		...responses[responses.length - 1],
		_id: 'r-ghost',
		enterpriseId: 'ghost',
		status: 'invited'
	});
	await db.collection<EnterpriseDoc>(C.enterprises).insertMany(enterprises);
	await db.collection<ResponseDoc>(C.responses).insertMany(responses);
	await db.collection<ScoreDoc>(C.scores).insertMany(scores);
}

const row = (
	value: string,
	register: number | null,
	invited: number,
	submitted: number
): StratumCoverage => ({
	value,
	register,
	invited,
	submitted,
	responseRate: invited ? submitted / invited : null,
	registerCoverage: register ? submitted / register : null,
	flag: null
});

/** The hand counts above, every stratum published. */
const HAND = {
	size: [
		row('micro', 5, 0, 0),
		row('small', 10, 10, 7),
		row('medium', 4, 4, 3),
		row('large', 3, 3, 0),
		row('unknown', 0, 1, 0)
	],
	ownership: [row('state', 3, 3, 0), row('private', 17, 12, 9), row('fdi', 2, 2, 1), row('unknown', 0, 1, 0)]
};

let dir: string;
let db: Database;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'techcap-coverage-'));
	db = await openDatabase({ dir });
	await seed(db);
});

afterAll(async () => {
	await db.close();
	rmSync(dir, { recursive: true, force: true });
});

async function oneWayStatus(releaseId: string, dim: string, value: string): Promise<string | undefined> {
	const doc = await db.collection<BenchmarkDoc>(C.benchmarks).findOne({ releaseId, by: dim });
	return doc?.tables.find((t) => t.id === dim)?.cells.find((c) => c.key === `${dim}=${value}`)?.status;
}

describe('coverageByStratum (pure)', () => {
	test('counts per stratum, canonical order; a withheld stratum keeps only its register count', () => {
		const t = coverageByStratum({
			invited: [
				{ size: 'small', ownership: 'fdi' },
				{ size: 'large', ownership: 'private' },
				{ size: 'small', ownership: 'private' },
				{ size: 'small', ownership: 'private' }
			],
			submitted: [
				{ size: 'small', ownership: 'private' },
				{ size: 'small', ownership: 'fdi' }
			],
			register: { size: {}, ownership: {} },
			withheld: (d, v) => d === 'ownership' && v === 'fdi'
		});
		expect(t.size).toEqual([
			{
				value: 'small',
				register: null,
				invited: 3,
				submitted: 2,
				responseRate: 2 / 3,
				registerCoverage: null,
				flag: null
			},
			{
				value: 'large',
				register: null,
				invited: 1,
				submitted: 0,
				responseRate: 0,
				registerCoverage: null,
				flag: null
			}
		]);
		expect(t.ownership.map((s) => s.value)).toEqual(['private', 'fdi']);
		expect(t.ownership[1]).toEqual({
			value: 'fdi',
			register: null,
			invited: null,
			submitted: null,
			responseRate: null,
			registerCoverage: null,
			flag: ':c'
		});
	});
});

describe('publishCampaign: coverage.byStratum', () => {
	test('k = 5: hand counts; medium (3 < k) withheld and small withheld with it (secondary), as in the benchmarks', async () => {
		const r = await publishCampaign(db, CAMPAIGN, actor);
		expect(r.coverage).toMatchObject({ invited: 18, submitted: 10, registerTotal: 22 });
		const by = r.coverage.byStratum!;
		expect(by.size.map((s) => s.value)).toEqual(HAND.size.map((s) => s.value));
		for (const [i, s] of by.size.entries()) {
			expect(s.register).toBe(HAND.size[i].register);
			if (!s.flag) expect(s).toEqual(HAND.size[i]);
		}
		const medium = by.size.find((s) => s.value === 'medium')!;
		const smallS = by.size.find((s) => s.value === 'small')!;
		expect(medium).toEqual({
			value: 'medium',
			register: 4,
			invited: null,
			submitted: null,
			responseRate: null,
			registerCoverage: null,
			flag: ':c'
		});
		// 7 ≥ k, but the sector total minus it would reveal medium's count: withheld like its benchmark cell.
		expect(smallS).toMatchObject({ flag: ':c', invited: null, submitted: null, responseRate: null });
		expect(await oneWayStatus(r._id, 'size', 'small')).toBe('suppressed-secondary');
		// Strata nobody answered in are no cell of any table and stay published.
		expect(by.size.find((s) => s.value === 'large')).toEqual(HAND.size[3]);
		expect(by.size.find((s) => s.value === 'micro')).toEqual(HAND.size[0]);
		// FDI has one respondent (primary); private is its complement.
		expect(by.ownership.find((s) => s.value === 'fdi')?.flag).toBe(':c');
		expect(by.ownership.find((s) => s.value === 'private')?.flag).toBe(':c');
		expect(by.ownership.find((s) => s.value === 'state')).toEqual(HAND.ownership[0]);
	});

	test('k = 3 (version 2): published strata equal the hand counts; flags follow the benchmark cells', async () => {
		const r = await publishCampaign(db, CAMPAIGN, actor, { k: 3 });
		expect(r.version).toBe(2);
		const stored = await db.collection<ReleaseDoc>(C.releases).findOne({ _id: r._id });
		const by = stored!.coverage.byStratum!;
		expect(by.size).toEqual(HAND.size);
		expect(by.ownership.find((s) => s.value === 'fdi')?.flag).toBe(':c');
		for (const d of ['size', 'ownership'] as const) {
			for (const s of by[d]) {
				const status = await oneWayStatus(r._id, d, s.value);
				expect(s.flag === ':c', `${d}=${s.value}`).toBe(status !== undefined && status !== 'published');
				const hand = HAND[d].find((h) => h.value === s.value)!;
				expect(s.register).toBe(hand.register);
				if (s.flag) expect(s.invited ?? s.submitted ?? s.responseRate ?? s.registerCoverage).toBeNull();
				else expect(s).toEqual(hand);
			}
		}
		expect(by.size.reduce((a, s) => a + (s.invited ?? 0), 0)).toBe(r.coverage.invited);
		// Published size counts are the benchmark's n of the same cell.
		const sizeDoc = await db.collection<BenchmarkDoc>(C.benchmarks).findOne({ releaseId: r._id, by: 'size' });
		expect(sizeDoc!.stats['size=small'].n).toBe(7);
		expect(sizeDoc!.stats['size=medium'].n).toBe(3);
	});

	test('invitations and register per size agree with the tracking view (which counts every submission)', async () => {
		const tracked = await responseRates(db, CAMPAIGN);
		const r = (await listReleases(db, { sector: 'mechanical', year: 2025 })).find((x) => x.latest)!;
		for (const t of tracked) {
			const s = r.coverage.byStratum!.size.find((x) => x.value === t.size)!;
			expect(s.flag).toBeNull();
			expect(s.invited, t.size).toBe(t.invited);
			expect(s.register ?? 0, t.size).toBe(t.register);
		}
		// The submission without a score is a tracking 'submitted' but no release row.
		expect(tracked.find((t) => t.size === 'small')?.submitted).toBe(8);
	});

	test('a release published before byStratum existed still reads', async () => {
		const latest = (await listReleases(db, { sector: 'mechanical' }))[0];
		const doc = (await db.collection<ReleaseDoc>(C.releases).findOne({ _id: latest.id }))!;
		const old: ReleaseDoc = {
			...doc,
			_id: 'old-shape',
			version: 99,
			coverage: {
				invited: 18,
				submitted: 10,
				responseRate: 10 / 18,
				registerTotal: 22,
				registerBySize: { small: 10 },
				registerCoverage: 10 / 22
			}
		};
		await db.collection<ReleaseDoc>(C.releases).insertOne(old);
		const read = await getRelease(db, 'old-shape');
		expect(read?.coverage.byStratum).toBeUndefined();
		expect(read?.coverage.responseRate).toBeCloseTo(10 / 18, 12);
		expect(read?.latest).toBe(true);
	});
});
