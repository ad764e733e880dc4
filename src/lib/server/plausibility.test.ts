/**
 * Plausibility on the real embedded engine: a release stores the usual range of each numeric
 * question only from the disclosure minimum on; the next year's review lists the warnings (last
 * year, with the rubric's ratio, and the sector's range) and submitting stores them as confirmed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from './db';
import { C, type EnterpriseDoc, type ResponseDoc } from './db/schema';
import type { ReleaseDoc } from './releases/types';
import { addParticipants, createCampaign } from './campaigns';
import { responseForEnterprise, submitResponse } from './responses';
import { reviewResponse } from './review';
import { campaignWarnings, plausibilityBasis, publishedUsualRanges, sectorUsualRanges } from './plausibility';
import { loadSurvey } from './surveys';
import { generateResponses } from '$lib/domain/generator';
import type { SessionUser } from './auth/types';

let dir: string;
let db: Database;
const user: SessionUser = {
	id: 'u1',
	email: 'one@x.vn',
	name: 'One',
	role: 'enterprise',
	enterpriseId: 'ent-1',
	locale: 'vi'
};
const survey = loadSurvey('mechanical/2025.1');
const [valid] = generateResponses({
	questionnaire: survey.questionnaire,
	sector: 'mechanical',
	count: 1,
	seed: 7,
	missingRate: 0
});
const day = 86400_000;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'techcap-plausibility-'));
	db = await openDatabase({ dir });
	const now = new Date();
	await db.collection<EnterpriseDoc>(C.enterprises).insertOne({
		_id: 'ent-1',
		taxCode: '0100000019',
		name: 'Công ty Một',
		vsic: '2592',
		ward: 'hoang-mai',
		ownership: 'private',
		employees: 40,
		createdAt: now,
		updatedAt: now
	});
});

afterAll(async () => {
	await db.close();
	rmSync(dir, { recursive: true, force: true });
});

async function insertResponses(campaignId: string, values: number[]): Promise<string[]> {
	const now = new Date();
	const ids = values.map((_, i) => `${campaignId}-r${i}`);
	await db.collection<ResponseDoc>(C.responses).insertMany(
		values.map((v, i) => ({
			_id: ids[i],
			campaignId,
			enterpriseId: `other-${i}`,
			status: 'submitted' as const,
			// t1_equipment_age is answered by only a few: no range may be published for it.
			data: { profile_revenue_bn: v, ...(i < 5 ? { t1_equipment_age: 30 } : {}), profile_name: 'x' },
			currentPageNo: 0,
			revision: 1,
			source: 'online' as const,
			createdAt: now,
			updatedAt: now,
			startedAt: now,
			submittedAt: now,
			submitKey: null,
			score: null,
			reopened: []
		}))
	);
	return ids;
}

describe('usual ranges', () => {
	test('a release publishes a range only for questions answered by the minimum', async () => {
		const ids = await insertResponses(
			'c-2024',
			Array.from({ length: 21 }, (_, i) => (i + 1) * 10)
		);
		const ranges = await publishedUsualRanges(db, 'mechanical/2025.1', ids, 20);
		expect(ranges).toEqual({ profile_revenue_bn: { n: 21, low: 30, high: 190 } });
		expect(await publishedUsualRanges(db, 'mechanical/2025.1', ids.slice(2), 20)).toEqual({});
	});

	test("the form uses the sector's latest ready release, and only this questionnaire's questions", async () => {
		const release = (year: number, status: string, high: number) =>
			({
				_id: `rel-${year}-${status}`,
				campaignId: `c-${year}-${status}`,
				sector: 'mechanical',
				year,
				version: 1,
				status,
				usualRanges: {
					profile_revenue_bn: { n: 30, low: 10, high },
					gone_question: { n: 30, low: 1, high: 2 }
				}
			}) as unknown as ReleaseDoc;
		const releases = db.collection<ReleaseDoc>(C.releases);
		expect(await sectorUsualRanges(db, 'mechanical', ['profile_revenue_bn'])).toBeNull();
		await releases.insertOne(release(2024, 'ready', 500));
		await releases.insertOne(release(2025, 'draft', 900));
		await releases.insertOne({ ...release(2023, 'ready', 700), sector: 'food' });
		expect(await sectorUsualRanges(db, 'mechanical', ['profile_revenue_bn'])).toEqual({
			year: 2024,
			ranges: { profile_revenue_bn: { n: 30, low: 10, high: 500 } }
		});
	});
});

describe('warnings the enterprise confirms', () => {
	test('review lists them, submit stores them with what was compared and when', async () => {
		const old = await createCampaign(db, {
			sector: 'mechanical',
			year: 2025,
			opensAt: new Date(Date.now() - 400 * day),
			closesAt: new Date(Date.now() - 300 * day),
			createdBy: null
		});
		await addParticipants(db, old._id, ['ent-1']);
		await db
			.collection<ResponseDoc>(C.responses)
			.updateOne(
				{ campaignId: old._id, enterpriseId: 'ent-1' },
				{ $set: { status: 'submitted', data: { profile_revenue_bn: 60, t1_equipment_age: 6 } } }
			);
		const c = await createCampaign(db, {
			sector: 'mechanical',
			year: 2026,
			opensAt: new Date(Date.now() - day),
			closesAt: new Date(Date.now() + day),
			createdBy: null
		});
		await addParticipants(db, c._id, ['ent-1']);
		const r = (await db.collection<ResponseDoc>(C.responses).findOne({ campaignId: c._id }))!;
		const ctx = (await responseForEnterprise(db, user, r._id))!;
		const basis = await plausibilityBasis(db, ctx);
		expect(basis.lastYear).toEqual({ profile_revenue_bn: 60, t1_equipment_age: 6 });
		expect(basis.usual?.ranges.profile_revenue_bn).toEqual({ n: 30, low: 10, high: 500 });

		// 600 bn: ten times last year and above the sector's usual 10–500.
		const answers = { ...valid.answers, profile_revenue_bn: 600 };
		const review = await reviewResponse(db, user, r._id, { data: answers }, 'vi');
		expect(review.status).toBe(200);
		if (review.status !== 200) return;
		expect(review.ok).toBe(true);
		expect(review.warnings.map((w) => `${w.question}:${w.advice.kind}:${w.advice.direction}`)).toEqual([
			'profile_revenue_bn:last-year:higher',
			'profile_revenue_bn:usual-range:higher'
		]);
		expect(
			(await reviewResponse(db, user, r._id, { data: { ...answers, profile_revenue_bn: 70 } }, 'vi'))
				.status === 200
		).toBe(true);

		const before = Date.now();
		const out = await submitResponse(db, user, r._id, {
			data: answers,
			currentPageNo: 0,
			revision: r.revision,
			submitKey: 'pl-1'
		});
		expect(out.status).toBe(200);
		const stored = (await db.collection<ResponseDoc>(C.responses).findOne({ _id: r._id }))!;
		expect(stored.plausibility).toHaveLength(2);
		const [last, usual] = stored.plausibility!;
		expect(last.question).toBe('profile_revenue_bn');
		expect(last.advice).toEqual({
			kind: 'last-year',
			value: 600,
			previous: 60,
			factor: 10,
			direction: 'higher',
			ratio: 10
		});
		expect(usual.advice).toEqual({
			kind: 'usual-range',
			value: 600,
			low: 10,
			high: 500,
			direction: 'higher',
			year: 2024
		});
		expect(+last.confirmedAt).toBeGreaterThanOrEqual(before);
	});

	test('an answer within both comparisons stores no warning', async () => {
		const c = await createCampaign(db, {
			sector: 'mechanical',
			year: 2027,
			opensAt: new Date(Date.now() - day),
			closesAt: new Date(Date.now() + day),
			createdBy: null
		});
		await addParticipants(db, c._id, ['ent-1']);
		const r = (await db.collection<ResponseDoc>(C.responses).findOne({ campaignId: c._id }))!;
		// Last year is now the 2026 submission (600): 450 is within ×10 and within 10–500.
		const out = await submitResponse(db, user, r._id, {
			data: { ...valid.answers, profile_revenue_bn: 450 },
			currentPageNo: 0,
			revision: r.revision,
			submitKey: 'pl-2'
		});
		expect(out.status).toBe(200);
		expect((await db.collection<ResponseDoc>(C.responses).findOne({ _id: r._id }))!.plausibility).toEqual([]);
	});
});

describe('analysts see them', () => {
	test('campaign tracking lists each stored warning with its enterprise and question title', async () => {
		const c = (await db.collection<ResponseDoc>(C.responses).findOne({ submitKey: 'pl-1' }))!;
		const rows = await campaignWarnings(db, { _id: c.campaignId, surveyId: 'mechanical/2025.1' }, 'vi');
		expect(rows.map((w) => [w.enterpriseName, w.question, w.value, w.advice.kind])).toEqual([
			['Công ty Một', 'profile_revenue_bn', 600, 'last-year'],
			['Công ty Một', 'profile_revenue_bn', 600, 'usual-range']
		]);
		expect(rows[0].title).toBe('Doanh thu thuần (tỷ đồng)');
		expect(rows[0].confirmedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
		const calm = (await db.collection<ResponseDoc>(C.responses).findOne({ submitKey: 'pl-2' }))!;
		expect(await campaignWarnings(db, { _id: calm.campaignId, surveyId: 'mechanical/2025.1' }, 'en')).toEqual(
			[]
		);
	});
});
