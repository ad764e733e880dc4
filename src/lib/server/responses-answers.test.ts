/**
 * Issue 18 on the real embedded engine: numeric answers are numbers, computed answers are the
 * server's (autosave and submit alike), a reopened response can be continued and its enterprise
 * is told why.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from './db';
import { C, type EnterpriseDoc, type ResponseDoc, type ScoreDoc, type UserDoc } from './db/schema';
import { addParticipants, createCampaign } from './campaigns';
import { reopenResponse, responseForEnterprise, saveDraft, submitResponse } from './responses';
import { reviewResponse } from './review';
import { enqueueReopenedMail } from './reopen-mail';
import { enterpriseDashboard } from './dashboard';
import type { MailDoc } from './mail';
import { lastYearNumbers } from './last-year';
import { loadSurvey } from './surveys';
import { generateResponses } from '$lib/domain/generator';
import { compileQuestionnaire, validateForSubmit } from '$lib/domain/survey';
import type { SessionUser } from './auth/types';

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
const survey = loadSurvey('mechanical/2025.1');
const [valid] = generateResponses({
	questionnaire: survey.questionnaire,
	sector: 'mechanical',
	count: 1,
	seed: 18,
	missingRate: 0
});

async function response(): Promise<ResponseDoc> {
	return (await db.collection<ResponseDoc>(C.responses).findOne({ campaignId, enterpriseId: 'ent-1' }))!;
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'techcap-answers-'));
	db = await openDatabase({ dir });
	const now = new Date();
	await db.collection<EnterpriseDoc>(C.enterprises).insertOne({
		_id: 'ent-1',
		taxCode: '0100000018',
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

describe('answers as the server keeps them', () => {
	test.each(['35', '3,5', ' 12 ', '1e3'])(
		'autosave refuses the string %j for a numeric question',
		async (v) => {
			const r = await response();
			const out = await saveDraft(db, user, r._id, {
				data: { profile_equipment_value_bn: v },
				currentPageNo: 0,
				revision: r.revision
			});
			expect(out.status).toBe(422);
			expect((await response()).revision).toBe(r.revision);
		}
	);

	test.each([' 2818 ', '2818', '2.818e3', 'abc', 9999])(
		'autosave stores the computed revenue per employee, not the posted %j',
		async (posted) => {
			const r = await response();
			const out = await saveDraft(db, user, r._id, {
				data: { profile_employees: 80, profile_revenue_bn: 225.4, e8_revenue_per_employee: posted },
				currentPageNo: 0,
				revision: r.revision
			});
			expect(out.status).toBe(200);
			expect((await response()).data.e8_revenue_per_employee).toBe(2818);
		}
	);

	test('review: problems and no level for incomplete answers; the expected level, nothing stored, for complete ones', async () => {
		const before = await response();
		const partial = await reviewResponse(db, user, before._id, { data: { t1_equipment_age: 7 } }, 'en');
		expect(partial.status === 200 && partial.ok).toBe(false);
		expect(partial.status === 200 && partial.expected).toBeNull();
		expect(partial.status === 200 && partial.problems.some((p) => p.code === 'required')).toBe(true);
		const full = await reviewResponse(db, user, before._id, { data: valid.answers }, 'vi');
		expect(full.status).toBe(200);
		if (full.status !== 200) return;
		expect(full.ok).toBe(true);
		expect(full.expected?.level).toMatch(/\w/);
		expect(full.expected?.total).toBeGreaterThan(0);
		const after = await response();
		expect(after.revision).toBe(before.revision);
		expect(after.status).not.toBe('submitted');
		expect((await reviewResponse(db, user, 'nope', { data: {} }, 'vi')).status).toBe(404);
		expect((await reviewResponse(db, user, before._id, { data: 'x' }, 'vi')).status).toBe(422);
	});

	test('submit stores the computed value whatever near miss was posted', async () => {
		const r = await response();
		const compiled = compileQuestionnaire(survey.questionnaire);
		const expected = validateForSubmit(compiled, valid.answers).cleaned.e8_revenue_per_employee;
		expect(typeof expected).toBe('number');
		const out = await submitResponse(db, user, r._id, {
			data: { ...valid.answers, e8_revenue_per_employee: ` ${String(expected)} ` },
			currentPageNo: 0,
			revision: r.revision,
			submitKey: 'k1'
		});
		expect(out.status).toBe(200);
		expect((await response()).data.e8_revenue_per_employee).toBe(expected);
	});

	test('a reopened response offers to continue, and its enterprise is e-mailed the reason', async () => {
		const r = await response();
		expect(r.status).toBe('submitted');
		const [before] = await enterpriseDashboard(db, user);
		expect(before.score).not.toBeNull();
		const admin = {
			id: 'admin',
			email: 'admin@x.vn',
			name: 'Admin',
			role: 'admin' as const,
			locale: 'vi' as const
		};
		expect(await db.collection<ScoreDoc>(C.scores).countDocuments({ responseId: r._id, current: true })).toBe(
			1
		);
		expect(await reopenResponse(db, admin, r._id, 'Doanh thu thiếu một số 0')).toBe(true);
		// The withdrawn submission's score is neither on the response nor current any more.
		expect((await response()).score).toBeNull();
		expect(await db.collection<ScoreDoc>(C.scores).countDocuments({ responseId: r._id, current: true })).toBe(
			0
		);
		expect(await db.collection<ScoreDoc>(C.scores).countDocuments({ responseId: r._id })).toBe(1);
		expect(
			await enqueueReopenedMail(db, {
				responseId: r._id,
				reason: 'Doanh thu thiếu một số 0',
				origin: 'http://app.test'
			})
		).toBe(1);
		const [item] = await enterpriseDashboard(db, user);
		expect(item.status).toBe('in-progress');
		expect(item.open).toBe(true);
		// The campaign's phase as staff see it, for the same label on the enterprise's page.
		expect(item.campaign.phase).toBe('open');
		expect(item.score).toBeNull();
		expect(item.reopenedReason).toBe('Doanh thu thiếu một số 0');
		const mail = (await db.collection<MailDoc>(C.mail).findOne({ template: 'reopened' }))!;
		expect(mail.to).toBe('one@x.vn');
		expect(mail.locale).toBe('en');
		expect(mail.subject).toContain('reopened');
		expect(mail.text).toContain('Doanh thu thiếu một số 0');
		expect(mail.text).toContain(`http://app.test/enterprise/responses/${r._id}`);
		// Queuing again for the same reopening sends nothing new.
		await enqueueReopenedMail(db, {
			responseId: r._id,
			reason: 'Doanh thu thiếu một số 0',
			origin: 'http://app.test'
		});
		expect(await db.collection(C.mail).countDocuments({ template: 'reopened' })).toBe(1);
	});

	test("last year's numbers: the latest earlier submission of the same sector, numeric answers only", async () => {
		const r = await response();
		const ctx = (await responseForEnterprise(db, user, r._id))!;
		expect(await lastYearNumbers(db, ctx)).toEqual({});
		const old = await createCampaign(db, {
			sector: 'mechanical',
			year: 2025,
			opensAt: new Date(Date.now() - 400 * 86400_000),
			closesAt: new Date(Date.now() - 300 * 86400_000),
			createdBy: null
		});
		await addParticipants(db, old._id, ['ent-1']);
		await db.collection<ResponseDoc>(C.responses).updateOne(
			{ campaignId: old._id, enterpriseId: 'ent-1' },
			{
				$set: {
					status: 'submitted',
					data: { profile_revenue_bn: 225.4, profile_name: 'Công ty Một', t1_equipment_age: 6 }
				}
			}
		);
		expect(await lastYearNumbers(db, ctx)).toEqual({ profile_revenue_bn: 225.4, t1_equipment_age: 6 });
	});
});
