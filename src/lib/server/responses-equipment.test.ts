/**
 * An equipment list answered online: a year after the campaign's year passes the form's validator
 * (its columns allow 1900–2100) but not the rubric's guard, so review and submit answer with a
 * problem naming the list, row and column (422 on submit), never a 500 and never a score; a good
 * list is submitted and scored from its rows.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from './db';
import { C, type EnterpriseDoc, type ResponseDoc, type ScoreDoc, type UserDoc } from './db/schema';
import { addParticipants, createCampaign } from './campaigns';
import { submitResponse } from './responses';
import { reviewResponse } from './review';
import { loadSurvey } from './surveys';
import { generateResponses } from '$lib/domain/generator';
import { WORKED_EXAMPLE } from '$lib/domain/rubric/equipment.test-support';
import type { SessionUser } from './auth/types';

const SURVEY = 'mechanical/2026.1';
const SINGLE = [
	't1_equipment_age',
	't2_equipment_origin',
	't3_equipment_investment_bn',
	't5_automated_share_pct'
];
let dir: string;
let db: Database;
let campaignId: string;
const user: SessionUser = {
	id: 'u1',
	email: 'one@x.vn',
	name: 'One',
	role: 'enterprise',
	enterpriseId: 'ent-1',
	locale: 'vi'
};
let answers: Record<string, unknown>;

async function response(): Promise<ResponseDoc> {
	return (await db.collection<ResponseDoc>(C.responses).findOne({ campaignId, enterpriseId: 'ent-1' }))!;
}

beforeAll(async () => {
	const survey = loadSurvey(SURVEY);
	const [valid] = generateResponses({
		questionnaire: survey.questionnaire,
		sector: 'mechanical',
		count: 1,
		seed: 'equipment-online',
		year: 2026,
		missingRate: 0,
		outlierRate: 0
	});
	answers = { ...valid.answers };
	for (const q of SINGLE) delete answers[q];
	dir = mkdtempSync(join(tmpdir(), 'techcap-eq-online-'));
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
	const c = await createCampaign(db, {
		sector: 'mechanical',
		year: 2026,
		surveyId: SURVEY,
		opensAt: new Date(Date.now() - 86400_000),
		closesAt: new Date(Date.now() + 86400_000),
		createdBy: null
	});
	campaignId = c._id;
	await addParticipants(db, campaignId, ['ent-1']);
	await db.collection<UserDoc>(C.users).insertOne({
		_id: 'u1',
		email: 'one@x.vn',
		name: 'One',
		role: 'enterprise',
		enterpriseId: 'ent-1',
		passwordHash: null,
		locale: 'en',
		disabled: false,
		createdAt: now,
		updatedAt: now
	});
});

afterAll(async () => {
	await db.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('an equipment list answered online', () => {
	const future = () =>
		WORKED_EXAMPLE.map((m, i) => (i === 1 ? { ...m, year_made: 2030, year_in_use: 2030 } : m));

	test('review: a year after the campaign year is a problem on the list, row 2, column year_made', async () => {
		const r = await reviewResponse(
			db,
			user,
			(await response())._id,
			{ data: { ...answers, equipment_list: future() } },
			'en'
		);
		expect(r.status).toBe(200);
		if (r.status !== 200) return;
		expect(r.ok).toBe(false);
		expect(r.expected).toBeNull();
		expect(r.problems).toEqual([
			{
				question: 'equipment_list',
				code: 'out-of-range',
				item: '2.year_made',
				message:
					'question "equipment_list", row 2, column "year_made": year 2030 is after the assessment year 2026.'
			}
		]);
	});

	test('submit: 422 with the same problem in both languages; nothing submitted, no score', async () => {
		const before = await response();
		const out = await submitResponse(db, user, before._id, {
			data: { ...answers, equipment_list: future() },
			currentPageNo: 0,
			revision: before.revision,
			submitKey: 'eq-future'
		});
		expect(out.status).toBe(422);
		if (out.status !== 422) return;
		expect(out.problems).toEqual([
			expect.objectContaining({ question: 'equipment_list', item: '2.year_made', code: 'out-of-range' })
		]);
		expect(out.problems[0].message.vi).toContain('sau năm đánh giá 2026');
		expect((await response()).status).not.toBe('submitted');
		expect(await db.collection<ScoreDoc>(C.scores).countDocuments({})).toBe(0);
	});

	test('a good list is submitted and scored from its rows (the worked example: T1 3, T2 3.18, T3 2, T5 4)', async () => {
		const before = await response();
		const out = await submitResponse(db, user, before._id, {
			data: { ...answers, equipment_list: WORKED_EXAMPLE },
			currentPageNo: 0,
			revision: before.revision,
			submitKey: 'eq-good'
		});
		expect(out.status).toBe(200);
		const score = await db.collection<ScoreDoc>(C.scores).findOne({ current: true });
		const p = (score!.result as { points: Record<string, number> }).points;
		expect([p.T1, p.T2, p.T3, p.T5]).toEqual([3, 3.18, 2, 4]);
	});
});
