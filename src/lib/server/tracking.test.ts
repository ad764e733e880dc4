/**
 * Response tracking on the embedded engine: stages (invited → opened → started → submitted, bounced,
 * declined), rates by segment and over time, the late list as CSV, the end-of-campaign summary,
 * response rates per stratum, and the thank-you mail queued by a first submission.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { C, type CampaignDoc, type EnterpriseDoc, type ResponseDoc } from './db/schema';
import { createCampaign, inviteEnterprises } from './campaigns';
import {
	campaignSummary,
	countStages,
	dailyProgress,
	lateCsv,
	lateParticipants,
	rates,
	ratesBy,
	responseRates,
	setDeclined,
	trackParticipants
} from './tracking';
import { inspectInvitation } from './auth/invitations';
import { saveDraft, submitResponse } from './responses';
import { loadSurvey } from './surveys';
import { mailCollection, processMailQueue, transportFromEnv } from './mail';
import { openMailTestDb, startTestSmtpServer, type TestDb } from './mail/testing';
import { generateResponses } from '$lib/domain/generator';
import type { SessionUser } from './auth/types';
import type { Database } from './db/types';

const DAY = 86_400_000;
let t: TestDb;
let db: Database;
let c: CampaignDoc;
const admin = { id: 'admin-1', email: 'admin@x.vn' };
const tokens = new Map<string, string>();
const survey = loadSurvey('mechanical/2025.1');
const [valid] = generateResponses({
	questionnaire: survey.questionnaire,
	sector: 'mechanical',
	count: 1,
	seed: 11,
	missingRate: 0
});

function enterprise(n: number, extra: Partial<EnterpriseDoc> = {}): EnterpriseDoc {
	const now = new Date();
	return {
		_id: `e${n}`,
		taxCode: `010000000${n}`,
		name: `Công ty ${n}`,
		vsic: '2592',
		ward: n % 2 ? 'hoang-mai' : 'cau-giay',
		ownership: 'private',
		employees: 40,
		revenueBn: 20,
		email: `e${n}@dn.vn`,
		createdAt: now,
		updatedAt: now,
		...extra
	};
}

const userOf = (id: string): SessionUser => ({
	id: `u-${id}`,
	email: `${id}@dn.vn`,
	name: id,
	role: 'enterprise',
	enterpriseId: id,
	locale: 'en'
});

const responseOf = async (id: string) =>
	(await db.collection<ResponseDoc>(C.responses).findOne({ campaignId: c._id, enterpriseId: id }))!;

beforeAll(async () => {
	t = await openMailTestDb();
	db = t.db;
	await db.collection<EnterpriseDoc>(C.enterprises).insertMany([
		enterprise(1), // invited
		enterprise(2), // opened the link
		enterprise(3), // started
		enterprise(4), // submitted
		enterprise(5, { email: 'bounce@dn.vn', name: '=HYPERLINK("http://x")' }), // bounced
		enterprise(6, { employees: 500, revenueBn: 900, ownership: 'fdi' }), // declined, large
		enterprise(7), // in the register, not invited
		enterprise(8, { vsic: '1010' }) // another sector
	]);
	c = await createCampaign(db, {
		sector: 'mechanical',
		year: 2026,
		opensAt: new Date(Date.now() - 5 * DAY),
		closesAt: new Date(Date.now() + 10 * DAY),
		createdBy: null
	});
	const inv = await inviteEnterprises(db, c, ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'], {
		origin: 'https://t.test',
		createdBy: null
	});
	for (const o of inv.outcomes) if (o.link) tokens.set(o.enterpriseId, o.link.split('/invite/')[1]);
	// The SMTP server refuses e5's address: a bounce.
	const smtp = await startTestSmtpServer();
	smtp.refuseRecipient('bounce@dn.vn');
	const transport = transportFromEnv(smtp.env(), { connectionTimeoutMs: 2000 });
	await processMailQueue(db, transport);
	transport.close();
	await smtp.close();

	await inspectInvitation(db, tokens.get('e2')!);
	await inspectInvitation(db, tokens.get('e3')!);
	await inspectInvitation(db, tokens.get('e4')!);
	const r3 = await responseOf('e3');
	expect(
		(await saveDraft(db, userOf('e3'), r3._id, { data: {}, currentPageNo: 0, revision: 0 })).status
	).toBe(200);
	await setDeclined(db, admin, c._id, (await responseOf('e6'))._id, { reason: 'Không có thời gian' });
});

afterAll(async () => {
	await t.cleanup();
});

describe('tracking', () => {
	test('a first submission queues one thank-you mail with the scorecard link; a retry does not', async () => {
		const r4 = await responseOf('e4');
		const body = { data: valid.answers, currentPageNo: 0, revision: r4.revision, submitKey: 'k1' };
		const first = await submitResponse(db, userOf('e4'), r4._id, body);
		expect(first).toMatchObject({ status: 200, alreadySubmitted: false });
		const again = await submitResponse(db, userOf('e4'), r4._id, body);
		expect(again).toMatchObject({ status: 200, alreadySubmitted: true });
		const thanks = await mailCollection(db).find({ template: 'thanks' });
		expect(thanks).toHaveLength(1);
		expect(thanks[0]).toMatchObject({ to: 'e4@dn.vn', locale: 'en', dedupeKey: `thanks:${r4._id}` });
		expect(thanks[0].text).toContain(`/enterprise/responses/${r4._id}/scorecard`);
	});

	test('each participant has its stage, and the counts and rates follow', async () => {
		const rows = await trackParticipants(db, c._id);
		const stage = Object.fromEntries(rows.map((r) => [r.enterpriseId, r.stage]));
		expect(stage).toEqual({
			e1: 'invited',
			e2: 'opened',
			e3: 'started',
			e4: 'submitted',
			e5: 'bounced',
			e6: 'declined'
		});
		expect(rows.find((r) => r.enterpriseId === 'e5')?.bounceReason).toMatch(/550/);
		expect(countStages(rows)).toEqual({
			total: 6,
			invited: 1,
			opened: 1,
			started: 1,
			submitted: 1,
			bounced: 1,
			declined: 1
		});
		expect(rates(rows)).toEqual({ total: 6, opened: 3, started: 2, submitted: 1, responseRate: 1 / 6 });
		const bySize = ratesBy(rows, 'size', 'en');
		expect(bySize.map((s) => [s.value, s.total, s.submitted])).toEqual([
			['small', 5, 1],
			['large', 1, 0]
		]);
		expect(ratesBy(rows, 'ownership', 'vi').find((s) => s.value === 'fdi')?.label).toContain('FDI');
		expect(
			ratesBy(rows, 'ward')
				.map((s) => s.value)
				.sort()
		).toEqual(['cau-giay', 'hoang-mai']);
	});

	test('daily progress is cumulative, from the opening day to today', async () => {
		const rows = await trackParticipants(db, c._id);
		const days = dailyProgress(rows, c);
		expect(days.length).toBeGreaterThanOrEqual(6);
		expect(days[0]).toMatchObject({ invited: 0, submitted: 0 });
		expect(days.at(-1)).toMatchObject({ invited: 6, opened: 3, started: 2, submitted: 1 });
		for (let i = 1; i < days.length; i++) expect(days[i].invited).toBeGreaterThanOrEqual(days[i - 1].invited);
	});

	test('the late list filters and exports as Excel-safe CSV', async () => {
		const rows = await trackParticipants(db, c._id);
		const late = lateParticipants(rows);
		expect(late.map((r) => r.enterpriseId)).toEqual(['e1', 'e2', 'e3', 'e5', 'e6']);
		expect(lateParticipants(rows, { stage: 'started' }).map((r) => r.enterpriseId)).toEqual(['e3']);
		expect(lateParticipants(rows, { size: 'large' }).map((r) => r.enterpriseId)).toEqual(['e6']);
		expect(lateParticipants(rows, { ward: 'cau-giay' }).map((r) => r.enterpriseId)).toEqual(['e2', 'e6']);
		expect(lateParticipants(rows, { q: '0100000001' }).map((r) => r.enterpriseId)).toEqual(['e1']);
		const csv = lateCsv(late, 'vi');
		expect(csv.startsWith('\uFEFFMã số thuế,Doanh nghiệp')).toBe(true);
		expect(csv).toContain(`'=HYPERLINK(""http://x"")`);
		expect(csv).toContain('Từ chối tham gia');
		expect(csv.trim().split('\r\n')).toHaveLength(6);
	});

	test('the end-of-campaign summary: response rate, coverage of the register, completeness', async () => {
		const s = await campaignSummary(db, c);
		expect(s.registerSize).toBe(7); // e1–e7: e8 is in another sector
		expect(s.coverage).toBeCloseTo(6 / 7);
		expect(s.rates.responseRate).toBeCloseTo(1 / 6);
		expect(s.completeness.questions).toBeGreaterThan(10);
		expect(s.completeness.submitted.responses).toBe(1);
		expect(s.completeness.submitted.answeredShare).toBeGreaterThan(0.8);
		expect(s.completeness.inProgress).toEqual({ responses: 1, answeredShare: 0 });
		expect(s.closed).toBe(false);
		expect((await campaignSummary(db, c, new Date(+c.closesAt + 1))).closed).toBe(true);
	});

	test('responseRates gives invited, submitted and coverage per sector × size stratum', async () => {
		expect(await responseRates(db, c._id)).toEqual([
			{
				sector: 'mechanical',
				size: 'small',
				register: 6,
				invited: 5,
				submitted: 1,
				responseRate: 0.2,
				coverage: 5 / 6
			},
			{
				sector: 'mechanical',
				size: 'large',
				register: 1,
				invited: 1,
				submitted: 0,
				responseRate: 0,
				coverage: 1
			}
		]);
		await expect(responseRates(db, 'nope')).rejects.toThrow(/unknown campaign/);
	});

	test('declining is undone by an admin and refused for a submitted response', async () => {
		const r6 = await responseOf('e6');
		expect(await setDeclined(db, admin, c._id, r6._id, null)).toBe(true);
		expect((await trackParticipants(db, c._id)).find((r) => r.enterpriseId === 'e6')?.stage).toBe('invited');
		expect(await setDeclined(db, admin, c._id, (await responseOf('e4'))._id, { reason: 'x' })).toBe(false);
		expect(await setDeclined(db, admin, 'other', r6._id, { reason: 'x' })).toBe(false);
	});
});
