import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testClock } from '../auth/testing';
import { C } from '../db/schema';
import { countMail, enqueueMail, getMail, listMail, requeueMail } from './queue';
import { openMailTestDb, startTestSmtpServer, waitFor, type TestDb } from './testing';
import { outboxTransport, transportFromEnv } from './transport';
import { MailInputError, type InvitationParams } from './types';
import { processMailQueue, startMailWorker } from './worker';

let t: TestDb;
beforeEach(async () => {
	t = await openMailTestDb();
});
afterEach(() => t.cleanup());

const INVITE: InvitationParams = {
	enterpriseName: 'Công ty Cơ khí Đông Anh',
	campaignName: 'Cơ khí 2026',
	sector: 'cơ khí',
	closingDate: '2026-09-30',
	link: 'https://techcap.test/invite/tok1'
};

describe('enqueueMail', () => {
	it('renders and stores a queued message', async () => {
		const clock = testClock();
		const { mail, created } = await enqueueMail(
			t.db,
			{
				to: ' GiamDoc@CoKhi.vn ',
				locale: 'vi',
				template: 'invitation',
				params: INVITE,
				campaignId: 'c1',
				enterpriseId: 'e1'
			},
			{ now: clock.now }
		);
		expect(created).toBe(true);
		expect(mail).toMatchObject({
			to: 'GiamDoc@CoKhi.vn',
			status: 'queued',
			attempts: 0,
			nextAttemptAt: clock.now(),
			campaignId: 'c1',
			enterpriseId: 'e1',
			subject: 'Thư mời tham gia khảo sát trình độ công nghệ: Cơ khí 2026'
		});
		expect('dedupeKey' in mail).toBe(false);
		expect(mail.html).toContain('https://techcap.test/invite/tok1');
		expect(await getMail(t.db, mail._id)).toEqual(mail);
	});

	it('is idempotent with a dedupe key: the existing message comes back, nothing is added', async () => {
		const input = {
			to: 'a@x.vn',
			locale: 'vi' as const,
			template: 'invitation' as const,
			params: INVITE,
			dedupeKey: 'invite:c1:e1'
		};
		const first = await enqueueMail(t.db, input);
		const again = await enqueueMail(t.db, {
			...input,
			params: { ...INVITE, link: 'https://techcap.test/invite/OTHER' }
		});
		expect(again.created).toBe(false);
		expect(again.mail._id).toBe(first.mail._id);
		expect(again.mail.text).toContain('tok1');
		// Concurrent enqueues race on the unique index; still one message.
		const racing = await Promise.all(
			[1, 2, 3, 4].map(() => enqueueMail(t.db, { ...input, dedupeKey: 'invite:c1:e2' }))
		);
		expect(racing.filter((r) => r.created)).toHaveLength(1);
		expect(new Set(racing.map((r) => r.mail._id)).size).toBe(1);
		// Messages without a key never collide (the unique index is sparse).
		await enqueueMail(t.db, { ...input, dedupeKey: undefined });
		await enqueueMail(t.db, { ...input, dedupeKey: undefined });
		expect(await t.db.collection(C.mail).countDocuments({})).toBe(4);
	});

	it('rejects a bad address or parameter with the field named', async () => {
		await expect(
			enqueueMail(t.db, { to: 'a@x.vn\r\nBcc: b@y.vn', locale: 'vi', template: 'invitation', params: INVITE })
		).rejects.toMatchObject({ field: 'to' });
		await expect(
			enqueueMail(t.db, { to: 'not-an-address', locale: 'vi', template: 'invitation', params: INVITE })
		).rejects.toThrow("to: is not a valid e-mail address: 'not-an-address'");
		await expect(
			enqueueMail(t.db, {
				to: 'a@x.vn',
				locale: 'vi',
				template: 'invitation',
				params: { ...INVITE, link: '' }
			})
		).rejects.toBeInstanceOf(MailInputError);
		expect(await t.db.collection(C.mail).countDocuments({})).toBe(0);
	});

	it('holds a message scheduled with notBefore until it is due', async () => {
		const clock = testClock();
		const later = new Date(clock.now().getTime() + 3_600_000);
		await enqueueMail(
			t.db,
			{ to: 'a@x.vn', locale: 'en', template: 'invitation', params: INVITE, notBefore: later },
			{ now: clock.now }
		);
		expect((await processMailQueue(t.db, outboxTransport(), { now: clock.now })).claimed).toBe(0);
		clock.advance({ hours: 1 });
		expect((await processMailQueue(t.db, outboxTransport(), { now: clock.now })).outbox).toBe(1);
	});
});

describe('outbox mode (no SMTP configured)', () => {
	it('files messages as outbox, readable with their rendered content, and never sends', async () => {
		const transport = transportFromEnv({});
		expect(transport.kind).toBe('outbox');
		const clock = testClock();
		await enqueueMail(
			t.db,
			{ to: 'a@x.vn', locale: 'vi', template: 'invitation', params: INVITE, campaignId: 'c1' },
			{ now: clock.now }
		);
		await enqueueMail(
			t.db,
			{ to: 'b@x.vn', locale: 'en', template: 'invitation', params: INVITE, campaignId: 'c2' },
			{ now: clock.now }
		);
		const r = await processMailQueue(t.db, transport, { workerId: 'w', now: clock.now });
		expect(r).toMatchObject({ claimed: 2, outbox: 2, sent: 0 });

		const list = await listMail(t.db, { status: 'outbox', campaignId: 'c1', limit: 10 });
		expect(list).toHaveLength(1);
		expect(list[0]).toMatchObject({ to: 'a@x.vn', status: 'outbox', sentAt: null, attempts: 0 });
		expect(list[0]).not.toHaveProperty('html');
		const full = await getMail(t.db, list[0]._id);
		expect(full?.subject).toBe('Thư mời tham gia khảo sát trình độ công nghệ: Cơ khí 2026');
		expect(full?.text).toContain('https://techcap.test/invite/tok1');
		expect(full?.html).toContain('href="https://techcap.test/invite/tok1"');
		expect(full?.messageId).toMatch(/^<[0-9a-f]{32}@techcap\.invalid>$/);
		expect(await countMail(t.db)).toEqual({ queued: 0, sending: 0, sent: 0, failed: 0, outbox: 2 });
		expect(await countMail(t.db, { campaignId: 'c2' })).toMatchObject({ outbox: 1 });
	});

	it('an admin can re-queue an outbox message once SMTP is configured, and it is sent', async () => {
		const smtp = await startTestSmtpServer();
		try {
			const { mail } = await enqueueMail(t.db, {
				to: 'a@x.vn',
				locale: 'en',
				template: 'invitation',
				params: INVITE
			});
			await processMailQueue(t.db, outboxTransport());
			// A sent or queued message cannot be re-queued (that would send it again).
			const requeued = await requeueMail(t.db, mail._id);
			expect(requeued).toMatchObject({ status: 'queued', attempts: 0 });
			expect(await requeueMail(t.db, mail._id)).toBeNull();
			const transport = transportFromEnv(smtp.env());
			try {
				expect((await processMailQueue(t.db, transport)).sent).toBe(1);
			} finally {
				transport.close();
			}
			expect(await requeueMail(t.db, mail._id)).toBeNull();
			expect(smtp.received).toHaveLength(1);
			expect(smtp.received[0].subject).toBe('Invitation: technology capability survey – Cơ khí 2026');
		} finally {
			await smtp.close();
		}
	});
});

describe('listMail', () => {
	it('lists newest first with a limit, and rejects an unknown status', async () => {
		const clock = testClock();
		for (const to of ['a@x.vn', 'b@x.vn', 'c@x.vn']) {
			await enqueueMail(
				t.db,
				{ to, locale: 'en', template: 'invitation', params: INVITE },
				{ now: clock.now }
			);
			clock.advance({ minutes: 1 });
		}
		expect((await listMail(t.db, { limit: 2 })).map((m) => m.to)).toEqual(['c@x.vn', 'b@x.vn']);
		expect(await listMail(t.db, { status: 'sent' })).toEqual([]);
		// @ts-expect-error an invalid status from a query string
		await expect(listMail(t.db, { status: 'bogus' })).rejects.toThrow(
			'status: must be one of queued, sending, sent, failed, outbox'
		);
		expect(await getMail(t.db, 'missing')).toBeNull();
	});

	it('filters by kind of message, in the list and the counts; an unknown kind is refused', async () => {
		await enqueueMail(t.db, { to: 'a@x.vn', locale: 'vi', template: 'invitation', params: INVITE });
		await enqueueMail(t.db, {
			to: 'b@x.vn',
			locale: 'vi',
			template: 'password-reset',
			params: { name: 'B', link: 'https://techcap.test/reset/t', minutes: 30 }
		});
		expect((await listMail(t.db, { template: 'password-reset' })).map((m) => m.to)).toEqual(['b@x.vn']);
		expect((await listMail(t.db, { template: 'invitation' })).map((m) => m.to)).toEqual(['a@x.vn']);
		expect(await listMail(t.db, { template: 'reminder' })).toEqual([]);
		const counts = await countMail(t.db, { template: 'invitation' });
		expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
		// @ts-expect-error an invalid kind from a query string
		await expect(listMail(t.db, { template: 'thanks · vi' })).rejects.toThrow('template: must be one of');
	});
});

describe('startMailWorker', () => {
	it('processes on its interval and on demand, and stops cleanly', async () => {
		const smtp = await startTestSmtpServer();
		const transport = transportFromEnv(smtp.env());
		const sent: number[] = [];
		// A long interval: only runNow sends.
		const manual = startMailWorker(t.db, {
			transport,
			intervalMs: 600_000,
			onResult: (r) => sent.push(r.sent)
		});
		const ticking = startMailWorker(t.db, { transport, intervalMs: 1000 });
		try {
			await ticking.stop();
			await enqueueMail(t.db, { to: 'a@x.vn', locale: 'vi', template: 'invitation', params: INVITE });
			expect((await manual.runNow()).sent).toBe(1);
			expect(sent).toEqual([1]);
			await manual.stop();
			expect((await manual.runNow()).claimed).toBe(0); // stopped: nothing runs any more

			// The interval picks a message up without being asked.
			await enqueueMail(t.db, { to: 'b@x.vn', locale: 'vi', template: 'invitation', params: INVITE });
			const auto = startMailWorker(t.db, { transport, intervalMs: 1000 });
			try {
				await waitFor(() => smtp.received.length === 2, 4000);
			} finally {
				await auto.stop();
			}
			expect(smtp.received.map((m) => m.envelopeTo[0])).toEqual(['a@x.vn', 'b@x.vn']);
			expect(await countMail(t.db)).toMatchObject({ sent: 2, queued: 0, sending: 0 });
		} finally {
			await manual.stop();
			transport.close();
			await smtp.close();
		}
	});
});
