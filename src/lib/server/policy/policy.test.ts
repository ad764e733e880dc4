/**
 * Policy tools through the server module on real demo rows (embedded engine): programmes as data,
 * shortlists that respect budget and eligibility deterministically on both sources, the what-if
 * scenario against rescoring stored responses, the gap map's disclosure control, follow-up and the
 * CSV export's identity rules.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attackReleasedTables } from '$lib/domain/disclosure';
import { classify, GROUP_IDS, type GroupId, type ScoreResult } from '$lib/domain/rubric';
import { inSegment, TargetingInputError } from '$lib/domain/targeting';
import { differenceInDifferences } from '$lib/domain/statistics';
import { openDatabase, type Database } from '../db';
import {
	C,
	type AuditDoc,
	type CampaignDoc,
	type EnterpriseDoc,
	type ResponseDoc,
	type ScoreDoc
} from '../db/schema';
import { seedDemo } from '../demo/seed';
import { publishCampaign } from '../releases';
import { loadSurvey } from '../surveys';
import {
	candidateOf,
	followUpFor,
	gapMap,
	gapMapFor,
	getProgramme,
	listSources,
	loadSource,
	markShortlistSupported,
	parseAmount,
	PolicyError,
	recordSupportByTaxCode,
	recordSupports,
	saveProgramme,
	shortlistCsv,
	shortlistFor,
	whatIfFor,
	type SupportDoc
} from '.';

let dir: string;
let db: Database;
let early: CampaignDoc;
let middle: CampaignDoc;
const admin = { id: 'u-admin', email: 'admin@x.vn', role: 'admin' };
const policymaker = { id: 'u-pol', email: 'pol@x.vn', role: 'policymaker' };
const analyst = { id: 'u-an', email: 'an@x.vn', role: 'analyst' };
const analystMd = { id: 'u-md', email: 'md@x.vn', role: 'analyst', microdata: true };
let foodRelease: { _id: string; campaignId: string };

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'techcap-policy-'));
	db = await openDatabase({ dir });
	await seedDemo(db, { scale: 0.2, year: 2025 });
	const camps = await db
		.collection<CampaignDoc>(C.campaigns)
		.find({ sector: 'mechanical' }, { sort: { year: 1 } });
	[early, middle] = camps;
}, 120_000);

afterAll(async () => {
	await db.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('programmes', () => {
	test('the demo seeds five valid programmes; edits are validated, versioned and audited', async () => {
		const p = await getProgramme(db, 'dao-tao-nhan-luc');
		expect(p?.costPerEnterpriseVnd).toBe(60_000_000);
		const bad = await saveProgramme(
			db,
			{ ...p, id: 'x', improves: [{ criterion: 'Z9', points: -1 }], revision: undefined },
			policymaker
		).catch((e: unknown) => e);
		expect(bad).toBeInstanceOf(TargetingInputError);
		const paths = (bad as TargetingInputError).issues.map((i) => i.path);
		expect(paths).toEqual(
			expect.arrayContaining(['$.revision', '$.improves[0].criterion', '$.improves[0].points'])
		);
		const { revision, ...body } = p!;
		const saved = await saveProgramme(db, { ...body, costPerEnterpriseVnd: 70_000_000 }, policymaker, {
			expectedRevision: revision
		});
		expect(saved.revision).toBe(revision + 1);
		const stale = await saveProgramme(db, body, policymaker, { expectedRevision: revision }).catch(
			(e: unknown) => e
		);
		expect((stale as PolicyError).status).toBe(409);
		const audit = await db.collection<AuditDoc>(C.audit).find({ action: 'programme.update' });
		expect(audit).toHaveLength(1);
		expect(audit[0].actorEmail).toBe(policymaker.email);
		expect((audit[0].after as { costPerEnterpriseVnd: number }).costPerEnterpriseVnd).toBe(70_000_000);
		await expect(saveProgramme(db, body, analyst, { expectedRevision: saved.revision })).rejects.toThrow(
			/administrators and policymakers/
		);
		await saveProgramme(db, body, admin, { expectedRevision: saved.revision });
	});
});

describe('shortlist through the server', () => {
	test('respects the budget and eligibility, and is deterministic', async () => {
		const src = `campaign:${early._id}`;
		const budgetVnd = 7 * 500_000_000 + 123;
		const a = await shortlistFor(
			db,
			{ sourceId: src, programmeId: 'doi-moi-thiet-bi', budgetVnd },
			analystMd
		);
		const b = await shortlistFor(
			db,
			{ sourceId: src, programmeId: 'doi-moi-thiet-bi', budgetVnd },
			analystMd
		);
		expect(a).toEqual(b);
		expect(a.rows.length).toBe(7);
		expect(a.shortlist.summary.spentVnd).toBeLessThanOrEqual(budgetVnd);
		const loaded = await loadSource(db, src, 'identified');
		const byId = new Map(loaded.rows.map((r) => [r.enterpriseId, r]));
		for (const id of a.selectedIds) {
			const r = byId.get(id)!;
			expect(['micro', 'small', 'medium']).toContain(r.size);
			expect(['state', 'private']).toContain(r.ownership);
			expect(['lac-hau', 'trung-binh', 'trung-binh-tien-tien']).toContain(r.level);
		}
		// Every eligible enterprise is either selected or lost to the budget; none of the ineligible is chosen.
		const eligible = loaded.rows.filter((r) => inSegment(a.programme.eligibility, candidateOf(r)));
		expect(a.shortlist.eligible).toBe(eligible.length);
		expect(a.shortlist.excluded.ineligible).toBe(loaded.rows.length - eligible.length);
		// Explanations name the level, the gap and each improved criterion.
		expect(a.rows[0].explanation.vi).toMatch(/Hiện tại: .*Chương trình nâng: T1 .*Dự kiến:/);
		expect(a.rows[0].criteria.map((c) => c.criterion)).toEqual(['T1', 'T3', 'T5', 'T7']);
		expect(a.shortlist.summary.upgraded).toBeGreaterThanOrEqual(a.shortlist.baseline.summary.upgraded);
	});

	test('slots give that many places; a release of the same campaign gives the same shortlist', async () => {
		const closed = await db
			.collection<CampaignDoc>(C.campaigns)
			.findOne({ sector: 'food', status: { $in: ['closed', 'published'] } }, { sort: { year: 1 } });
		const release = await publishCampaign(db, closed!._id, admin);
		foodRelease = release;
		const sources = await listSources(db, admin);
		expect(sources.map((s) => s.id)).toContain(`release:${release._id}`);
		const req = { programmeId: 'chuyen-doi-so', slots: 5, objective: 'points' as const };
		const fromRelease = await shortlistFor(db, { ...req, sourceId: `release:${release._id}` }, admin);
		const fromCampaign = await shortlistFor(db, { ...req, sourceId: `campaign:${closed!._id}` }, admin);
		expect(fromRelease.rows).toHaveLength(5);
		expect(fromRelease.selectedIds).toEqual(fromCampaign.selectedIds);
		expect(fromRelease.shortlist.summary).toEqual(fromCampaign.shortlist.summary);
		const rows = await db.collection(C.releaseRows).countDocuments({ releaseId: release._id });
		expect(fromRelease.shortlist.candidates).toBe(rows);
	});

	test('a closed campaign nobody submitted to is not offered as a source (it would be an empty default)', async () => {
		const now = new Date();
		await db.collection<CampaignDoc>(C.campaigns).insertOne({
			_id: 'empty-2099',
			sector: 'food',
			year: 2099,
			surveyId: 'food/2025.1',
			name: { vi: 'Trống', en: 'Empty' },
			opensAt: now,
			closesAt: now,
			status: 'closed',
			peerThreshold: 5,
			createdBy: null,
			createdAt: now,
			updatedAt: now
		});
		try {
			const ids = (await listSources(db, admin)).map((s) => s.id);
			expect(ids).not.toContain('campaign:empty-2099');
			expect(ids[0]).toMatch(/^(release|campaign):/);
		} finally {
			await db.collection<CampaignDoc>(C.campaigns).deleteOne({ _id: 'empty-2099' });
		}
	});

	test('bad input gives specific errors', async () => {
		expect(() => parseAmount('12abc', 'budget')).toThrow(/digits only/);
		expect(parseAmount('1.500.000.000', 'budget')).toBe(1_500_000_000);
		await expect(
			shortlistFor(db, { sourceId: `campaign:${early._id}`, programmeId: 'doi-moi-thiet-bi' }, admin)
		).rejects.toThrow(/exactly one/);
		await expect(
			shortlistFor(db, { sourceId: 'nope', programmeId: 'doi-moi-thiet-bi', slots: 2 }, admin)
		).rejects.toThrow(/Invalid data source/);
		await expect(
			shortlistFor(db, { sourceId: `campaign:${early._id}`, programmeId: 'missing', slots: 2 }, admin)
		).rejects.toThrow(/not found/);
	});
});

describe('CSV export', () => {
	test('identities for policymakers only; BOM and formula escaping', async () => {
		const src = `campaign:${early._id}`;
		const req = { sourceId: src, programmeId: 'ap-dung-iso', slots: 3 };
		const first = await shortlistFor(db, req, admin);
		const target = first.selectedIds[0];
		const ent = await db.collection<EnterpriseDoc>(C.enterprises).findOne({ _id: target });
		await db
			.collection<EnterpriseDoc>(C.enterprises)
			.updateOne({ _id: target }, { $set: { name: '=HYPERLINK("http://x")' } });
		const pol = shortlistCsv(await shortlistFor(db, req, admin), 'vi');
		expect(pol.startsWith('\uFEFF')).toBe(true);
		expect(pol.split('\r\n')[0]).toContain('Tên doanh nghiệp,Mã số thuế');
		expect(pol).toContain(`"'=HYPERLINK(""http://x"")"`);
		expect(pol).toContain(ent!.taxCode);
		const an = await shortlistFor(db, req, analystMd);
		const csv = shortlistCsv(an, 'en');
		expect(an.identities).toBe(false);
		expect(
			an.rows.every((r) => r.name === undefined && r.taxCode === undefined && r.enterpriseId === undefined)
		).toBe(true);
		expect(csv.split('\r\n')[0]).not.toMatch(/name|Tax code/i);
		expect(csv).not.toContain('HYPERLINK');
		expect(csv).not.toContain(ent!.taxCode);
		expect(csv).not.toContain(target);
		expect(csv).toContain(an.rows[0].pseudonym);
		await db
			.collection<EnterpriseDoc>(C.enterprises)
			.updateOne({ _id: target }, { $set: { name: ent!.name } });
	});
});

describe('what-if', () => {
	test('equals rescoring the stored responses with the raised criterion', async () => {
		const src = `campaign:${early._id}`;
		const survey = loadSurvey(early.surveyId);
		const segment = { sizes: ['small' as const, 'micro' as const] };
		const view = await whatIfFor(
			db,
			{ sourceId: src, segment, change: { criterion: 'O13', raise: 2 } },
			analystMd
		);
		const loaded = await loadSource(db, src, 'identified');
		const inSeg = new Set(
			loaded.rows.filter((r) => inSegment(segment, candidateOf(r))).map((r) => r.enterpriseId)
		);
		const responses = await db
			.collection<ResponseDoc>(C.responses)
			.find({ campaignId: early._id, status: 'submitted' });
		const scorer = survey.scorer(early.year);
		const before: Record<string, number> = {};
		const after: Record<string, number> = {};
		for (const r of responses) {
			if (!inSeg.has(r.enterpriseId)) continue;
			const s: ScoreResult = scorer.score(r.data);
			before[s.level] = (before[s.level] ?? 0) + 1;
			const groups = Object.fromEntries(GROUP_IDS.map((g) => [g, 0])) as Record<GroupId, number>;
			for (const c of s.criteria)
				groups[c.group] += c.id === 'O13' ? Math.min(c.max, c.points + 2) : c.points;
			for (const g of GROUP_IDS) groups[g] = Math.round(groups[g] * 100) / 100;
			const level = classify(survey.rubric, groups).level;
			after[level] = (after[level] ?? 0) + 1;
		}
		expect(view.withheld).toBe(false);
		expect(view.result!.n).toBe(inSeg.size);
		const nonzero = (o: Record<string, number>) =>
			Object.fromEntries(Object.entries(o).filter(([, v]) => v > 0));
		expect(nonzero(view.result!.before)).toEqual(before);
		expect(nonzero(view.result!.after)).toEqual(after);
		const stored = await db
			.collection<ScoreDoc>(C.scores)
			.countDocuments({ campaignId: early._id, current: true });
		expect(stored).toBeGreaterThan(inSeg.size);
	});

	test('a segment smaller than k is withheld without microdata rights', async () => {
		const loaded = await loadSource(db, `campaign:${early._id}`, 'identified');
		const ward = loaded.rows
			.map((r) => r.ward)
			.find((w) => loaded.rows.filter((r) => r.ward === w).length < 5)!;
		const input = {
			sourceId: `campaign:${early._id}`,
			segment: { wards: [ward] },
			change: { group: 'T' as const, raise: 'max' as const }
		};
		// Unpublished scores are refused outright to viewers without microdata rights.
		await expect(whatIfFor(db, input, policymaker)).rejects.toMatchObject({ status: 403 });
		await expect(whatIfFor(db, input, analyst)).rejects.toMatchObject({ status: 403 });
		expect((await whatIfFor(db, input, analystMd)).result?.n).toBeGreaterThan(0);
	});
});

describe('gap map', () => {
	test('ranks by need, withholds small segments (:c) and resists the intruder', async () => {
		const loaded = await loadSource(db, `campaign:${middle._id}`, 'identified');
		const levels = loaded.rescorer.levels;
		for (const dims of [['size'], ['size', 'ownership', 'ward', 'vsic']] as const) {
			const map = gapMap(loaded.rows, { levels, dims: [...dims], k: 5, rights: { microdata: false } });
			expect(map.total.n).toBe(loaded.rows.length);
			const shown = map.segments.filter((s) => s.n !== null);
			for (let i = 1; i < shown.length; i++)
				expect(shown[i - 1].shareBelow!).toBeGreaterThanOrEqual(shown[i].shareBelow!);
			for (const s of map.segments.filter((x) => x.suppressed)) {
				expect(s).toMatchObject({ n: null, below: null, shareBelow: null, meanGap: null, flag: ':c' });
			}
			for (const s of shown) expect(s.n!).toBeGreaterThanOrEqual(5);
			const attempts = attackReleasedTables(map.tables, 'n');
			expect(attempts.length).toBe(map.tables[0].cells.filter((c) => c.suppressed).length);
			expect(attempts.filter((a) => a.determined)).toEqual([]);
			expect(attackReleasedTables(map.tables, 'value').filter((a) => a.determined)).toEqual([]);
		}
		const full = gapMap(loaded.rows, {
			levels,
			dims: ['size', 'ownership', 'ward', 'vsic'],
			k: 5,
			rights: { microdata: false }
		});
		expect(full.suppressed).toBeGreaterThan(0);
		const micro = gapMap(loaded.rows, { levels, dims: ['size'], k: 5, rights: { microdata: true } });
		const small = micro.segments.find((s) => s.suppressed);
		if (small) expect(small.n).not.toBeNull();
		// Need figures checked by hand on one segment.
		const seg = micro.segments[0];
		const rows = loaded.rows.filter((r) => (r.size ?? 'unknown') === seg.segment.size);
		const below = rows.filter((r) => r.level === 'lac-hau' || r.level === 'trung-binh').length;
		expect(seg.shareBelow).toBeCloseTo(below / rows.length, 12);
	});
});

describe('follow-up', () => {
	test('DiD of supported vs eligible unsupported enterprises, with n and a CI', async () => {
		const supports = await db
			.collection<SupportDoc>(C.supports)
			.find({ programmeId: 'doi-moi-thiet-bi', year: early.year });
		expect(supports.length).toBeGreaterThan(0);
		const f = await followUpFor(
			db,
			{
				programmeId: 'doi-moi-thiet-bi',
				beforeSourceId: `campaign:${early._id}`,
				afterSourceId: `campaign:${middle._id}`
			},
			admin
		);
		const before = await loadSource(db, `campaign:${early._id}`, 'identified');
		const after = await loadSource(db, `campaign:${middle._id}`, 'identified');
		const a = new Map(after.rows.map((r) => [r.enterpriseId, r.total]));
		const prog = (await getProgramme(db, 'doi-moi-thiet-bi'))!;
		const sup = new Set(supports.map((s) => s.enterpriseId));
		const obs = before.rows
			.filter(
				(r) =>
					a.has(r.enterpriseId) && (sup.has(r.enterpriseId) || inSegment(prog.eligibility, candidateOf(r)))
			)
			.map((r) => ({ before: r.total, after: a.get(r.enterpriseId)!, treated: sup.has(r.enterpriseId) }));
		const expected = differenceInDifferences(obs);
		expect(f.result.nTreated).toBe(expected.nTreated);
		expect(f.result.nControl).toBe(expected.nControl);
		expect(f.result.estimate).toBeCloseTo(expected.estimate!, 9);
		expect(f.result.lower).not.toBeNull();
		await expect(
			followUpFor(
				db,
				{
					programmeId: 'doi-moi-thiet-bi',
					beforeSourceId: `campaign:${middle._id}`,
					afterSourceId: `campaign:${early._id}`
				},
				admin
			)
		).rejects.toThrow(/later year/);
	});

	test('marking a shortlist as supported records exactly its enterprises; analysts may not', async () => {
		const req = { sourceId: `campaign:${middle._id}`, programmeId: 'dao-tao-nhan-luc', slots: 4 };
		const r = await markShortlistSupported(db, req, middle.year, admin);
		expect(r).toEqual({ added: 4, already: 0 });
		expect(await markShortlistSupported(db, req, middle.year, admin)).toEqual({ added: 0, already: 4 });
		// Policymakers act on published releases only: unpublished scores are refused to them.
		await expect(markShortlistSupported(db, req, middle.year, policymaker)).rejects.toMatchObject({
			status: 403
		});
		const view = await shortlistFor(db, req, admin);
		const stored = await db
			.collection<SupportDoc>(C.supports)
			.find({ programmeId: 'dao-tao-nhan-luc', year: middle.year });
		expect(stored.map((s) => s.enterpriseId).sort()).toEqual([...view.selectedIds].sort());
		await expect(markShortlistSupported(db, req, middle.year, analyst)).rejects.toThrow(/may record support/);
		const e = await db.collection<EnterpriseDoc>(C.enterprises).findOne({});
		expect(
			await recordSupportByTaxCode(db, { programmeId: 'ap-dung-iso', year: 2024, taxCode: e!.taxCode }, admin)
		).toEqual({ added: 1, already: 0 });
		await expect(
			recordSupportByTaxCode(db, { programmeId: 'ap-dung-iso', year: 2024, taxCode: '000' }, admin)
		).rejects.toThrow(/No enterprise/);
	});
});

describe('one row-level rule for every policy path', () => {
	const noRows = { role: 'analyst' } as const;
	const req = () => ({
		sourceId: `release:${foodRelease._id}`,
		programmeId: 'chuyen-doi-so',
		budgetVnd: 1_000_000_000_000,
		objective: 'points' as const
	});

	test('sources: unpublished campaign scores only for those who see every row', async () => {
		for (const v of [analyst, policymaker]) {
			const ids = (await listSources(db, v)).map((s) => s.id);
			expect(ids.length).toBeGreaterThan(0);
			expect(ids.every((id) => id.startsWith('release:'))).toBe(true);
			await expect(loadSource(db, `campaign:${early._id}`, 'none')).rejects.toMatchObject({ status: 403 });
			await expect(loadSource(db, `campaign:${early._id}`, 'targets')).rejects.toMatchObject({
				status: 403
			});
		}
		for (const v of [admin, analystMd])
			expect((await listSources(db, v)).some((s) => s.id.startsWith('campaign:'))).toBe(true);
		// A refused campaign id tells nothing about whether it exists.
		const missing = await loadSource(db, 'campaign:does-not-exist', 'none').catch((e: unknown) => e);
		const real = await loadSource(db, `campaign:${early._id}`, 'none').catch((e: unknown) => e);
		expect((missing as PolicyError).status).toBe((real as PolicyError).status);
	});

	test('the row-level attack: an analyst without microdata rights gets no shortlist rows, page or CSV', async () => {
		for (const sourceId of [`release:${foodRelease._id}`, `campaign:${early._id}`]) {
			const e = await shortlistFor(db, { ...req(), sourceId }, analyst).catch((x: unknown) => x);
			expect(e).toBeInstanceOf(PolicyError);
			expect((e as PolicyError).status).toBe(403);
			expect((e as PolicyError).text.vi).toMatch(/vi dữ liệu/);
		}
		const refused = await db
			.collection<AuditDoc>(C.audit)
			.find({ action: 'access.rows-refused', actorEmail: analyst.email });
		expect(refused.filter((r) => r.target === 'policy/shortlist').length).toBeGreaterThanOrEqual(2);
		expect(refused.some((r) => r.target === 'policy/what-if')).toBe(true);
		await expect(shortlistFor(db, req(), noRows)).rejects.toMatchObject({ status: 403 });
		await expect(shortlistFor(db, req(), null)).rejects.toMatchObject({ status: 403 });
		await expect(shortlistFor(db, req(), { role: 'enterprise' })).rejects.toMatchObject({ status: 403 });
	});

	test('policymakers: the selection by name and level, no points or attributes; every view audited', async () => {
		const auditBefore = await db.collection<AuditDoc>(C.audit).countDocuments({ action: 'shortlist.view' });
		const view = await shortlistFor(db, req(), policymaker, { via: 'page', ip: '10.0.0.9' });
		expect(view.detail).toBe('targets');
		expect(view.rows).toEqual([]);
		expect(view.targets.length).toBeGreaterThan(0);
		for (const t of view.targets)
			expect(Object.keys(t).sort()).toEqual(
				['costVnd', 'levelAfter', 'levelBefore', 'levelsUp', 'name', 'rank', 'taxCode'].sort()
			);
		const csv = shortlistCsv(view, 'en');
		const head = csv.split('\r\n')[0];
		expect(head).toContain('Enterprise name');
		expect(head).not.toMatch(/Pseudonym|score|Criteria|Ward|VSIC|Size|Ownership|Explanation/i);
		const pids = (
			await db.collection<{ _id: string; pid: string }>(C.releaseRows).find({ releaseId: foodRelease._id })
		).map((r) => r.pid);
		for (const pid of pids.slice(0, 50)) expect(csv).not.toContain(pid);
		const audits = await db
			.collection<AuditDoc>(C.audit)
			.find({ action: 'shortlist.view' }, { sort: { at: -1 } });
		expect(audits.length).toBe(auditBefore + 1);
		expect(audits[0]).toMatchObject({ actorEmail: policymaker.email, ip: '10.0.0.9' });
		await shortlistFor(db, req(), policymaker, { via: 'csv' });
		expect(await db.collection<AuditDoc>(C.audit).countDocuments({ action: 'shortlist.export' })).toBe(1);
	});

	test('analysts with microdata rights: rows under pseudonyms; admins: rows with names', async () => {
		const md = await shortlistFor(db, req(), analystMd);
		expect(md.detail).toBe('rows');
		expect(md.rows.length).toBeGreaterThan(0);
		expect(md.rows.every((r) => r.name === undefined && r.taxCode === undefined)).toBe(true);
		const ad = await shortlistFor(db, req(), admin);
		expect(ad.rows.every((r) => typeof r.name === 'string' && typeof r.taxCode === 'string')).toBe(true);
	});

	test('what-if and gap map: aggregates only below k, unpublished refused; follow-up refused too', async () => {
		const loaded = await loadSource(db, `release:${foodRelease._id}`, 'none');
		const ward = loaded.rows
			.map((r) => r.ward)
			.find((w) => loaded.rows.filter((r) => r.ward === w).length < 5)!;
		const input = {
			sourceId: `release:${foodRelease._id}`,
			segment: { wards: [ward] },
			change: { group: 'T' as const, raise: 'max' as const }
		};
		for (const v of [analyst, policymaker]) {
			const w = await whatIfFor(db, input, v);
			expect(w.withheld).toBe(true);
			expect(w.result).toBeNull();
			const g = await gapMapFor(db, { sourceId: input.sourceId, dims: ['ward'] }, v);
			expect(g.map.view).toBe('public');
			for (const s of g.map.segments.filter((x) => x.suppressed)) expect(s.n).toBeNull();
			await expect(
				gapMapFor(db, { sourceId: `campaign:${early._id}`, dims: ['size'] }, v)
			).rejects.toMatchObject({ status: 403 });
			await expect(
				followUpFor(
					db,
					{
						programmeId: 'doi-moi-thiet-bi',
						beforeSourceId: `campaign:${early._id}`,
						afterSourceId: `campaign:${middle._id}`
					},
					v
				)
			).rejects.toMatchObject({ status: 403 });
		}
		expect((await whatIfFor(db, input, analystMd)).result?.n).toBeGreaterThan(0);
		expect((await gapMapFor(db, { sourceId: input.sourceId, dims: ['ward'] }, admin)).map.view).toBe(
			'microdata'
		);
	});

	test('microdata export, release rights and the policy tools follow the same rule', async () => {
		const { mayExportMicrodata } = await import('../exports');
		const { rightsOf } = await import('../releases');
		const { rowAccessOf, seesAllRows } = await import('../authz');
		for (const role of ['enterprise', 'analyst', 'policymaker', 'admin'])
			for (const microdata of [undefined, false, true]) {
				const u = { role, microdata };
				const all = seesAllRows(rowAccessOf(u));
				expect(mayExportMicrodata(u), `${role} ${microdata}`).toBe(all);
				expect(rightsOf(u).microdata, `${role} ${microdata}`).toBe(all);
			}
	});
});

describe('follow-up for viewers who do not see every row', () => {
	test('an estimate over 1 to k − 1 supported enterprises is refused; an empty group is shown (it reveals nothing)', async () => {
		const rel = await db
			.collection<{ _id: string; sector: string; year: number }>(C.releases)
			.find({ sector: 'food' }, { sort: { year: 1 } });
		const later = rel.find((r) => r.year > rel[0].year);
		expect(later).toBeDefined();
		const input = {
			programmeId: 'ap-dung-iso',
			beforeSourceId: `release:${rel[0]._id}`,
			afterSourceId: `release:${later!._id}`
		};
		const empty = await followUpFor(db, input, policymaker);
		expect(empty.result.nTreated).toBe(0);
		const before = await loadSource(db, input.beforeSourceId, 'identified');
		const after = new Set(
			(await loadSource(db, input.afterSourceId, 'identified')).rows.map((r) => r.enterpriseId)
		);
		const both = before.rows.find((r) => after.has(r.enterpriseId))!;
		await recordSupports(
			db,
			{ programmeId: 'ap-dung-iso', year: rel[0].year, enterpriseIds: [both.enterpriseId], origin: 'manual' },
			admin
		);
		await expect(followUpFor(db, input, policymaker)).rejects.toMatchObject({ status: 403 });
		expect((await followUpFor(db, input, analystMd)).result.nTreated).toBe(1);
	});
});
