/**
 * The enterprise response use cases on the real embedded engine with the shipped mechanical
 * questionnaire: autosave, optimistic concurrency, validation (422 with nothing stored), idempotent
 * submission, scoring, and scoping by enterprise.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from './db';
import { C, type EnterpriseDoc, type ResponseDoc, type ScoreDoc } from './db/schema';
import { addParticipants, createCampaign, extendCampaign } from './campaigns';
import { openResponse, reopenResponse, responseForEnterprise, saveDraft, submitResponse } from './responses';
import { loadSurvey } from './surveys';
import { generateResponses } from '$lib/domain/generator';
import type { SessionUser } from './auth/types';

let dir: string;
let db: Database;
let campaignId: string;
const userA: SessionUser = {
	id: 'ua',
	email: 'a@x.vn',
	name: 'A',
	role: 'enterprise',
	enterpriseId: 'ent-a',
	locale: 'vi'
};
const userB: SessionUser = {
	id: 'ub',
	email: 'b@x.vn',
	name: 'B',
	role: 'enterprise',
	enterpriseId: 'ent-b',
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

function enterprise(id: string, taxCode: string): EnterpriseDoc {
	const now = new Date();
	return {
		_id: id,
		taxCode,
		name: `Công ty ${id}`,
		vsic: '2592',
		ward: 'hoang-mai',
		ownership: 'private',
		employees: 40,
		createdAt: now,
		updatedAt: now
	};
}

async function responseOf(user: SessionUser): Promise<ResponseDoc> {
	return (await db
		.collection<ResponseDoc>(C.responses)
		.findOne({ campaignId, enterpriseId: user.enterpriseId }))!;
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'techcap-responses-'));
	db = await openDatabase({ dir });
	await db
		.collection<EnterpriseDoc>(C.enterprises)
		.insertMany([enterprise('ent-a', '0100000001'), enterprise('ent-b', '0100000002')]);
	const c = await createCampaign(db, {
		sector: 'mechanical',
		year: 2026,
		surveyId: 'mechanical/2025.1',
		opensAt: new Date(Date.now() - 86400_000),
		closesAt: new Date(Date.now() + 86400_000),
		createdBy: null
	});
	campaignId = c._id;
	await addParticipants(db, campaignId, ['ent-a', 'ent-b']);
});

afterAll(async () => {
	await db.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('responses', () => {
	test('a first visit is prefilled from the register', async () => {
		const r = await responseOf(userA);
		const ctx = await responseForEnterprise(db, userA, r._id);
		const opened = await openResponse(db, ctx!);
		expect(opened.data.profile_tax_code).toBe('0100000001');
		expect(opened.data.profile_ward).toBe('hoang-mai');
	});

	test('inviting twice does not duplicate or reset a participation', async () => {
		const again = await addParticipants(db, campaignId, ['ent-a']);
		expect(again).toEqual({ added: [], already: ['ent-a'] });
		expect(await db.collection(C.responses).countDocuments({ campaignId, enterpriseId: 'ent-a' })).toBe(1);
	});

	test('autosave stores answers and page, bumping the revision', async () => {
		const r = await responseOf(userA);
		const out = await saveDraft(db, userA, r._id, {
			data: { t1_equipment_age: 7 },
			currentPageNo: 1,
			revision: r.revision
		});
		expect(out).toEqual({ status: 200, revision: r.revision + 1 });
		const stored = await responseOf(userA);
		expect(stored.data).toEqual({ t1_equipment_age: 7 });
		expect(stored.currentPageNo).toBe(1);
		expect(stored.status).toBe('in-progress');
		expect(stored.startedAt).toBeInstanceOf(Date);
	});

	test('two tabs: the stale save gets a conflict and nothing is overwritten', async () => {
		const r = await responseOf(userA);
		const tab1 = await saveDraft(db, userA, r._id, {
			data: { t1_equipment_age: 8 },
			currentPageNo: 1,
			revision: r.revision
		});
		expect(tab1.status).toBe(200);
		const tab2 = await saveDraft(db, userA, r._id, {
			data: { t1_equipment_age: 99 },
			currentPageNo: 1,
			revision: r.revision
		});
		expect(tab2.status).toBe(409);
		expect(tab2.status === 409 && tab2.reason).toBe('conflict');
		expect((await responseOf(userA)).data).toEqual({ t1_equipment_age: 8 });
	});

	test.each([
		['a rating outside the scale', { r22_tech_mastery: 9 }],
		['a choice not in the list', { t2_equipment_origin: 'mars' }],
		['an unknown key', { favourite_colour: 'blue' }],
		['an operator object', { profile_name: { $gt: '' } }],
		['a $-prefixed key', { $where: 'sleep(1000)' }],
		['a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}')]
	])('%s → 422 with nothing stored', async (_label, data) => {
		const before = await responseOf(userA);
		const out = await saveDraft(db, userA, before._id, { data, currentPageNo: 0, revision: before.revision });
		expect(out.status).toBe(422);
		const after = await responseOf(userA);
		expect(after.revision).toBe(before.revision);
		expect(after.data).toEqual(before.data);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	test("another enterprise asking for A's response gets 404 and no data", async () => {
		const r = await responseOf(userA);
		expect(await responseForEnterprise(db, userB, r._id)).toBeNull();
		expect(await saveDraft(db, userB, r._id, { data: {}, currentPageNo: 0, revision: r.revision })).toEqual({
			status: 404
		});
		expect(
			await submitResponse(db, userB, r._id, { data: valid.answers, currentPageNo: 0, revision: r.revision })
		).toEqual({
			status: 404
		});
		expect(await responseForEnterprise(db, userB, { $ne: '' })).toBeNull();
	});

	test('submitting an incomplete response → 422 per question, nothing locked', async () => {
		const r = await responseOf(userA);
		const out = await submitResponse(db, userA, r._id, {
			data: { t1_equipment_age: 8 },
			currentPageNo: 7,
			revision: r.revision
		});
		expect(out.status).toBe(422);
		if (out.status === 422)
			expect(out.problems.some((p) => p.question === 'profile_tax_code' && p.code === 'required')).toBe(true);
		expect((await responseOf(userA)).status).toBe('in-progress');
	});

	test('a double submit makes exactly one submission and one score', async () => {
		const r = await responseOf(userA);
		const body = { data: valid.answers, currentPageNo: 7, revision: r.revision, submitKey: 'k1' };
		const [a, b] = await Promise.all([
			submitResponse(db, userA, r._id, body),
			submitResponse(db, userA, r._id, body)
		]);
		expect(a.status).toBe(200);
		expect(b.status).toBe(200);
		const firsts = [a, b].filter((x) => x.status === 200 && !x.alreadySubmitted);
		expect(firsts).toHaveLength(1);
		expect(await db.collection<ScoreDoc>(C.scores).countDocuments({ responseId: r._id })).toBe(1);
		const stored = await responseOf(userA);
		expect(stored.status).toBe('submitted');
		const expected = survey.scorer(2026).score(stored.data);
		expect(stored.score?.total).toBe(expected.total);
		expect(stored.score?.rubricVersion).toBe('mechanical/2025.1');
		// A retry later returns the same result without another score.
		const retry = await submitResponse(db, userA, r._id, { ...body, revision: 0 });
		expect(retry.status === 200 && retry.alreadySubmitted).toBe(true);
		expect(await db.collection(C.scores).countDocuments({ responseId: r._id })).toBe(1);
	});

	test('a submitted response is locked against autosave; an admin reopen is audited', async () => {
		const r = await responseOf(userA);
		const save = await saveDraft(db, userA, r._id, { data: {}, currentPageNo: 0, revision: r.revision });
		expect(save.status === 409 && save.reason).toBe('submitted');
		expect(await reopenResponse(db, { id: 'admin1', email: 'admin@x.vn' }, r._id, 'typo in revenue')).toBe(
			true
		);
		const reopened = await responseOf(userA);
		expect(reopened.status).toBe('in-progress');
		const audit = await db
			.collection(C.audit)
			.findOne({ action: 'response.reopen', target: `responses/${r._id}` });
		expect(audit).toMatchObject({
			actorId: 'admin1',
			after: { status: 'in-progress', reason: 'typo in revenue' }
		});
	});

	test('after the closing date saves and submits are refused with a clear message; an extension reopens them', async () => {
		const r = await responseOf(userB);
		await extendCampaign(db, campaignId, new Date(Date.now() + 86400_000));
		await db
			.collection(C.campaigns)
			.updateOne({ _id: campaignId }, { $set: { closesAt: new Date(Date.now() - 1000) } });
		const late = await submitResponse(db, userB, r._id, {
			data: valid.answers,
			currentPageNo: 7,
			revision: r.revision
		});
		expect(late.status).toBe(409);
		if (late.status === 409) {
			expect(late.reason).toBe('closed');
			expect(late.message.en).toMatch(/closed on/);
		}
		await extendCampaign(db, campaignId, new Date(Date.now() + 86400_000));
		const ok = await submitResponse(db, userB, r._id, {
			data: valid.answers,
			currentPageNo: 7,
			revision: r.revision
		});
		expect(ok.status).toBe(200);
	});
});
