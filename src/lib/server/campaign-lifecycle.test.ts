/**
 * Issue 20: the lifecycle as staff see it. Phases from status and dates in the department's zone;
 * closing now (analysts and admins, with a reason, audited); reopening (admins). Every refusal is
 * proven. Releasing (draft, submit, publish) is tested in releases/review.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { C, type AuditDoc, type CampaignDoc } from './db/schema';
import { openMailTestDb, type TestDb } from './mail/testing';
import type { Database } from './db/types';
import {
	campaignPhase,
	closeCampaignNow,
	LifecycleError,
	reopenCampaign,
	type LifecycleActor
} from './campaign-lifecycle';
import { mechanicalCampaign } from './releases/testing';

const ZONE = 'Asia/Ho_Chi_Minh';
const analyst: LifecycleActor = { id: 'an-1', email: 'an@x.vn', role: 'analyst' };
const admin: LifecycleActor = { id: 'ad-1', email: 'ad@x.vn', role: 'admin' };
const policymaker: LifecycleActor = { id: 'pm-1', email: 'pm@x.vn', role: 'policymaker' };
const enterpriseUser: LifecycleActor = { id: 'en-1', email: 'en@x.vn', role: 'enterprise' };

let t: TestDb;
let db: Database;
const NOW = new Date('2025-05-10T03:00:00Z');

async function campaign(id: string, patch: Partial<CampaignDoc> = {}): Promise<CampaignDoc> {
	const c = { ...mechanicalCampaign(id, NOW, 'open'), ...patch };
	await db.collection<CampaignDoc>(C.campaigns).insertOne(c);
	return c;
}

async function refused(p: Promise<unknown>, code: LifecycleError['code']): Promise<LifecycleError> {
	const e = await p.then(
		() => null,
		(x: unknown) => x
	);
	expect(e).toBeInstanceOf(LifecycleError);
	expect((e as LifecycleError).code).toBe(code);
	expect((e as LifecycleError).text.vi).toBeTruthy();
	return e as LifecycleError;
}

async function audits(action: string, target: string) {
	return db.collection<AuditDoc>(C.audit).find({ action, target });
}

beforeAll(async () => {
	t = await openMailTestDb();
	db = t.db;
});
afterAll(async () => t.cleanup());

describe('campaignPhase', () => {
	const c = mechanicalCampaign('p', NOW, 'open');
	test('open campaign before, during and after its dates', () => {
		expect(campaignPhase(c, new Date('2025-02-28T00:00:00Z'))).toBe('scheduled');
		expect(campaignPhase(c, NOW)).toBe('open');
		expect(campaignPhase(c, new Date('2025-07-01T00:00:00Z'))).toBe('closed');
	});
	test('decided statuses win over dates', () => {
		expect(campaignPhase({ ...c, status: 'draft' }, NOW)).toBe('draft');
		expect(campaignPhase({ ...c, status: 'closed' }, NOW)).toBe('closed');
		expect(campaignPhase({ ...c, status: 'published' }, NOW)).toBe('published');
	});
});

describe('closeCampaignNow', () => {
	test('an analyst closes a running campaign now: status, closing date and audit with the reason', async () => {
		await campaign('close-1');
		const after = await closeCampaignNow(db, analyst, 'close-1', '  Đủ số phiếu  ', { now: NOW });
		expect(after.status).toBe('closed');
		expect(+after.closesAt).toBe(+NOW);
		const [a] = await audits('campaign.close', 'campaigns/close-1');
		expect(a.actorEmail).toBe('an@x.vn');
		expect(a.after).toMatchObject({ status: 'closed', reason: 'Đủ số phiếu' });
		expect(a.before).toMatchObject({ status: 'open' });
		expect(campaignPhase(after, NOW)).toBe('closed');
	});

	test('a campaign past its closing date keeps that date when closed', async () => {
		const c = await campaign('close-2', { closesAt: new Date('2025-05-01T00:00:00Z') });
		const after = await closeCampaignNow(db, admin, 'close-2', 'hết hạn', { now: NOW });
		expect(+after.closesAt).toBe(+c.closesAt);
	});

	test('refused: policymaker, enterprise and anonymous (nothing changes, nothing audited)', async () => {
		await campaign('close-3');
		for (const who of [policymaker, enterpriseUser, null])
			await refused(closeCampaignNow(db, who, 'close-3', 'lý do', { now: NOW }), 'forbidden');
		expect((await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: 'close-3' }))?.status).toBe('open');
		expect(await audits('campaign.close', 'campaigns/close-3')).toHaveLength(0);
	});

	test('refused: no reason, a reason too long, unknown campaign', async () => {
		await campaign('close-4');
		const e = await refused(closeCampaignNow(db, analyst, 'close-4', '  ', { now: NOW }), 'invalid');
		expect(e.field).toBe('reason');
		await refused(closeCampaignNow(db, analyst, 'close-4', 'x'.repeat(501), { now: NOW }), 'invalid');
		await refused(closeCampaignNow(db, analyst, 'nope', 'lý do', { now: NOW }), 'not-found');
		await refused(closeCampaignNow(db, analyst, { $ne: null }, 'lý do', { now: NOW }), 'not-found');
	});

	test('refused: already closed, published, draft, not yet opened', async () => {
		await campaign('close-5', { status: 'closed' });
		await campaign('close-6', { status: 'published' });
		await campaign('close-7', { status: 'draft' });
		await campaign('close-8', { opensAt: new Date('2025-06-01T00:00:00Z') });
		for (const id of ['close-5', 'close-6', 'close-7', 'close-8'])
			await refused(closeCampaignNow(db, admin, id, 'lý do', { now: NOW }), 'state');
	});
});

describe('reopenCampaign', () => {
	test('an admin reopens a closed campaign until the end of a local day (audited)', async () => {
		await campaign('re-1', { status: 'closed' });
		const after = await reopenCampaign(db, admin, 're-1', '2025-05-20', { now: NOW, timeZone: ZONE });
		expect(after.status).toBe('open');
		// 23:59:59 on 20 May in Hanoi is 16:59:59 UTC.
		expect(after.closesAt.toISOString()).toBe('2025-05-20T16:59:59.000Z');
		expect(await audits('campaign.reopen', 'campaigns/re-1')).toHaveLength(1);
	});

	test('refused: analysts, a past or malformed date, a campaign that is not closed', async () => {
		await campaign('re-2', { status: 'closed' });
		await refused(
			reopenCampaign(db, analyst, 're-2', '2025-05-20', { now: NOW, timeZone: ZONE }),
			'forbidden'
		);
		for (const d of ['2025-05-09', '2025-02-30', '20/05/2025', '', 5])
			await refused(reopenCampaign(db, admin, 're-2', d, { now: NOW, timeZone: ZONE }), 'invalid');
		await campaign('re-3');
		await refused(reopenCampaign(db, admin, 're-3', '2025-05-20', { now: NOW, timeZone: ZONE }), 'state');
		await campaign('re-4', { status: 'published' });
		await refused(reopenCampaign(db, admin, 're-4', '2025-05-20', { now: NOW, timeZone: ZONE }), 'state');
	});
});
