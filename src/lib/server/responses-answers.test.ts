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
import { C, type EnterpriseDoc, type ResponseDoc } from './db/schema';
import { addParticipants, createCampaign } from './campaigns';
import { saveDraft, submitResponse } from './responses';
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
});
