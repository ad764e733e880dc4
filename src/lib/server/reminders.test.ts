/**
 * Bulk invitations and reminders on the embedded engine, delivered over real SMTP to a local
 * smtp-server: recipients, language, working links, no duplicate invitations, reminders only to
 * those who have not submitted and within the limit, and scheduled ticks that are idempotent when
 * two run at once.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { C, type CampaignDoc, type EnterpriseDoc, type ResponseDoc, type UserDoc } from './db/schema';
import { createCampaign, extendCampaign, inviteEnterprises, previewInvitations } from './campaigns';
import {
	dueSlots,
	parseReminderSettings,
	planReminders,
	runScheduledReminders,
	sendReminders,
	setReminderSettings,
	slotKey
} from './reminders';
import { setDeclined } from './tracking';
import { inspectInvitation } from './auth/invitations';
import { mailCollection, processMailQueue, transportFromEnv, type MailTransport } from './mail';
import { openMailTestDb, startTestSmtpServer, type TestDb, type TestSmtpServer } from './mail/testing';
import type { Database } from './db/types';

const ORIGIN = 'https://techcap.test';
const DAY = 86_400_000;
const admin = { id: 'admin-1', email: 'admin@x.vn' };
let t: TestDb;
let db: Database;
let smtp: TestSmtpServer;
let transport: MailTransport;

function enterprise(
	id: string,
	email: string | undefined,
	extra: Partial<EnterpriseDoc> = {}
): EnterpriseDoc {
	const now = new Date();
	return {
		_id: id,
		taxCode: `01000000${id.slice(-2).padStart(2, '0')}`,
		name: `Công ty ${id}`,
		vsic: '2592',
		ward: 'hoang-mai',
		ownership: 'private',
		employees: 40,
		revenueBn: 20,
		...(email ? { email } : {}),
		createdAt: now,
		updatedAt: now,
		...extra
	};
}

async function campaign(now = new Date(), closesInDays = 20): Promise<CampaignDoc> {
	return createCampaign(db, {
		sector: 'mechanical',
		year: 2026,
		opensAt: new Date(+now - 10 * DAY),
		closesAt: new Date(+now + closesInDays * DAY),
		createdBy: null
	});
}

async function deliver() {
	return processMailQueue(db, transport, { batch: 100 });
}

beforeEach(async () => {
	t = await openMailTestDb();
	db = t.db;
	smtp = await startTestSmtpServer();
	transport = transportFromEnv(smtp.env(), {
		connectionTimeoutMs: 2000,
		greetingTimeoutMs: 2000,
		socketTimeoutMs: 5000
	});
	await db
		.collection<EnterpriseDoc>(C.enterprises)
		.insertMany([
			enterprise('ent-01', 'one@dn.vn'),
			enterprise('ent-02', 'register-two@dn.vn'),
			enterprise('ent-03', 'three@dn.vn'),
			enterprise('ent-04', undefined)
		]);
	// ent-02 already has an account, in English: it gets the login link in English.
	await db.collection<UserDoc>(C.users).insertOne({
		_id: 'user-02',
		email: 'account-two@dn.vn',
		name: 'Two',
		role: 'enterprise',
		enterpriseId: 'ent-02',
		passwordHash: null,
		locale: 'en',
		disabled: false,
		createdAt: new Date(),
		updatedAt: new Date()
	});
});
afterEach(async () => {
	transport.close();
	await smtp.close();
	await t.cleanup();
});

describe('bulk invitations', () => {
	test('each enterprise gets one e-mail in its language with a working link; inviting again sends nothing', async () => {
		const c = await campaign();
		const ids = ['ent-01', 'ent-02', 'ent-03', 'ent-04'];
		const preview = await previewInvitations(
			db,
			c,
			await db.collection<EnterpriseDoc>(C.enterprises).find({ _id: { $in: ['ent-02'] } }),
			{ origin: ORIGIN }
		);
		expect(preview.sample?.to).toBe('account-two@dn.vn');
		expect(preview.sample?.locale).toBe('en');
		expect(preview.sample?.subject).toContain('Mechanical engineering survey 2026');
		expect(await mailCollection(db).countDocuments({})).toBe(0); // a preview sends nothing

		const first = await inviteEnterprises(db, c, ids, { origin: ORIGIN, createdBy: admin.id });
		const byId = new Map(first.outcomes.map((o) => [o.enterpriseId, o]));
		expect(byId.get('ent-01')?.result).toBe('queued');
		expect(byId.get('ent-02')?.result).toBe('queued');
		expect(byId.get('ent-03')?.result).toBe('queued');
		expect(byId.get('ent-04')?.result).toBe('no-email');
		expect(first.added.sort()).toEqual(ids);
		expect(await db.collection<ResponseDoc>(C.responses).countDocuments({ campaignId: c._id })).toBe(4);

		expect((await deliver()).sent).toBe(3);
		const got = new Map(smtp.received.map((m) => [m.envelopeTo[0], m]));
		expect([...got.keys()].sort()).toEqual(['account-two@dn.vn', 'one@dn.vn', 'three@dn.vn']);
		// Language: the account's locale for ent-02, Vietnamese (the default) for the others.
		expect(got.get('one@dn.vn')!.subject).toContain('Khảo sát Cơ khí chế tạo năm 2026');
		expect(got.get('account-two@dn.vn')!.subject).toContain('Mechanical engineering survey 2026');
		expect(got.get('account-two@dn.vn')!.text).toContain(`${ORIGIN}/login?next=%2Fenterprise`);
		// The invitation link in the mail works: a valid single-use invitation for this enterprise and campaign.
		const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(got.get('one@dn.vn')!.text)![1];
		const info = await inspectInvitation(db, token);
		expect(info).toMatchObject({
			status: 'valid',
			enterpriseId: 'ent-01',
			campaignId: c._id,
			role: 'enterprise'
		});
		expect(got.get('one@dn.vn')!.html).toContain(`${ORIGIN}/invite/${token}`);

		const again = await inviteEnterprises(db, c, ids, { origin: ORIGIN, createdBy: admin.id });
		expect(
			again.outcomes
				.filter((o) => o.result === 'already')
				.map((o) => o.enterpriseId)
				.sort()
		).toEqual(['ent-01', 'ent-02', 'ent-03']);
		expect(again.added).toEqual([]);
		await deliver();
		expect(smtp.received).toHaveLength(3);
		expect(await mailCollection(db).countDocuments({ template: 'invitation' })).toBe(3);
		const p2 = await previewInvitations(db, c, await db.collection<EnterpriseDoc>(C.enterprises).find({}), {
			origin: ORIGIN
		});
		expect(p2.recipients.filter((r) => r.alreadyInvited)).toHaveLength(3);
	});

	test('two admins inviting the same enterprise at once queue one e-mail', async () => {
		const c = await campaign();
		const [a, b] = await Promise.all([
			inviteEnterprises(db, c, ['ent-01'], { origin: ORIGIN, createdBy: 'a' }),
			inviteEnterprises(db, c, ['ent-01'], { origin: ORIGIN, createdBy: 'b' })
		]);
		expect([a.outcomes[0].result, b.outcomes[0].result].sort()).toEqual(['already', 'queued']);
		expect(await mailCollection(db).countDocuments({ dedupeKey: `invite:${c._id}:ent-01` })).toBe(1);
	});
});

describe('reminders', () => {
	test('only to participants that have not submitted, not declined, and within the limit', async () => {
		const c = await campaign();
		await inviteEnterprises(db, c, ['ent-01', 'ent-02', 'ent-03', 'ent-04'], {
			origin: ORIGIN,
			createdBy: null
		});
		await deliver();
		smtp.received.length = 0;
		await db
			.collection<ResponseDoc>(C.responses)
			.updateOne(
				{ campaignId: c._id, enterpriseId: 'ent-02' },
				{ $set: { status: 'submitted', submittedAt: new Date() } }
			);
		const r3 = await db
			.collection<ResponseDoc>(C.responses)
			.findOne({ campaignId: c._id, enterpriseId: 'ent-03' });
		expect(await setDeclined(db, admin, c._id, r3!._id, { reason: 'Gọi điện: không tham gia' })).toBe(true);
		await setReminderSettings(db, c._id, parseReminderSettings('7, 2', 2));
		const limited = (await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: c._id }))!;

		const plan = await planReminders(db, limited);
		expect(plan.targets.map((x) => x.participant.enterpriseId)).toEqual(['ent-01']);
		expect(Object.fromEntries(plan.skipped.map((s) => [s.participant.enterpriseId, s.reason]))).toEqual({
			'ent-03': 'declined',
			'ent-04': 'no-email'
		});
		expect(plan.submitted).toBe(1);

		const dry = await sendReminders(db, limited, { origin: ORIGIN, dryRun: true });
		expect(dry.queued).toBe(0);
		expect(await mailCollection(db).countDocuments({ template: 'reminder' })).toBe(0);

		expect((await sendReminders(db, limited, { origin: ORIGIN })).queued).toBe(1);
		expect((await sendReminders(db, limited, { origin: ORIGIN })).queued).toBe(1);
		const third = await sendReminders(db, limited, { origin: ORIGIN });
		expect(third.queued).toBe(0);
		expect(third.plan.skipped.find((s) => s.participant.enterpriseId === 'ent-01')?.reason).toBe('limit');
		const keys = (await mailCollection(db).find({ template: 'reminder' })).map((m) => m.dedupeKey).sort();
		expect(keys).toEqual([`remind:${c._id}:ent-01:1`, `remind:${c._id}:ent-01:2`]);

		await deliver();
		expect(smtp.received.map((m) => m.envelopeTo[0])).toEqual(['one@dn.vn', 'one@dn.vn']);
		expect(smtp.received[0].subject).toMatch(/nhắc|Nhắc/);
		// A reminder carries a working invitation link (the first token is not stored, so a new one),
		// which replaces the earlier one: one live link per enterprise, however many reminders.
		const link = (i: number) => /\/invite\/([A-Za-z0-9_-]+)/.exec(smtp.received[i].text)![1];
		expect((await inspectInvitation(db, link(0))).status).toBe('revoked');
		expect((await inspectInvitation(db, link(1))).status).toBe('valid');
		expect(
			await db
				.collection(C.invitations)
				.countDocuments({ enterpriseId: 'ent-01', usedAt: null, revokedAt: null })
		).toBe(1);
	});

	test('no reminders once the campaign has closed', async () => {
		const c = await campaign();
		await inviteEnterprises(db, c, ['ent-01'], { origin: ORIGIN, createdBy: null });
		await expect(
			sendReminders(db, c, { origin: ORIGIN, now: () => new Date(+c.closesAt + DAY) })
		).rejects.toThrow(/closed/);
	});

	test('bad settings are refused with the field and value', () => {
		expect(() => parseReminderSettings('7, x', 3)).toThrow(/Reminder day "x"/);
		expect(() => parseReminderSettings('7', 0)).toThrow(/from 1 to 10/);
		expect(parseReminderSettings('2;7 7', '3')).toEqual({ daysBefore: [7, 2], maxPerEnterprise: 3 });
	});
});

describe('scheduled reminders', () => {
	test('two concurrent ticks send one round; a later tick waits for the next slot; an extension re-arms', async () => {
		const start = new Date();
		const c = await campaign(start, 30);
		await inviteEnterprises(db, c, ['ent-01', 'ent-02', 'ent-03'], { origin: ORIGIN, createdBy: null });
		const reminders = () => mailCollection(db).countDocuments({ template: 'reminder' });

		// 20 days before closing: nothing due.
		expect(
			await runScheduledReminders(db, { origin: ORIGIN, now: () => new Date(+start + 10 * DAY) })
		).toEqual([]);

		// 6 days before closing: the 7-day slot is due. Two instances tick at the same moment.
		const at6 = new Date(+c.closesAt - 6 * DAY);
		const [a, b] = await Promise.all([
			runScheduledReminders(db, { origin: ORIGIN, now: () => at6 }),
			runScheduledReminders(db, { origin: ORIGIN, now: () => at6 })
		]);
		const runs = [...a, ...b];
		expect(runs.filter((r) => r.result && !r.claimedElsewhere)).toHaveLength(1);
		expect(await reminders()).toBe(3);
		// Ticks later the same day send nothing more.
		await runScheduledReminders(db, { origin: ORIGIN, now: () => new Date(+at6 + 3_600_000) });
		expect(await reminders()).toBe(3);

		// ent-02 submits; at 1 day before closing the 2-day slot reminds only the other two.
		await db
			.collection<ResponseDoc>(C.responses)
			.updateOne(
				{ campaignId: c._id, enterpriseId: 'ent-02' },
				{ $set: { status: 'submitted', submittedAt: at6 } }
			);
		const at1 = new Date(+c.closesAt - DAY);
		await Promise.all([
			runScheduledReminders(db, { origin: ORIGIN, now: () => at1 }),
			runScheduledReminders(db, { origin: ORIGIN, now: () => at1 })
		]);
		expect(await reminders()).toBe(5);
		expect(await mailCollection(db).countDocuments({ template: 'reminder', enterpriseId: 'ent-02' })).toBe(1);
		const after = (await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: c._id }))!;
		expect(after.remindersDone?.sort()).toEqual([slotKey(2, c.closesAt), slotKey(7, c.closesAt)].sort());

		// Extended by 10 days: the slots count from the new date, and the limit (3) still holds.
		const extended = (await extendCampaign(db, c._id, new Date(+c.closesAt + 10 * DAY)))!;
		expect(dueSlots(extended, at1)).toEqual([]);
		const newAt1 = new Date(+extended.closesAt - DAY);
		expect(dueSlots(extended, newAt1)).toEqual([
			slotKey(7, extended.closesAt),
			slotKey(2, extended.closesAt)
		]);
		await runScheduledReminders(db, { origin: ORIGIN, now: () => newAt1 });
		expect(await reminders()).toBe(7);
		await runScheduledReminders(db, { origin: ORIGIN, now: () => new Date(+newAt1 + 1000) });
		expect(await reminders()).toBe(7);
		await deliver();
		expect(smtp.received.filter((m) => /remind|nhắc/i.test(m.subject))).toHaveLength(7);
	});
});
