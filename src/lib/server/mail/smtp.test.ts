/**
 * Real delivery: a `smtp-server` on 127.0.0.1 receives what the queue worker sends through
 * nodemailer. Checks recipients, language, links, escaping, retries with backoff, and that a
 * worker restart sends nothing twice (counted at the SMTP server).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testClock } from '../auth/testing';
import { enqueueMail, getMail, mailCollection } from './queue';
import { openMailTestDb, startTestSmtpServer, type TestDb, type TestSmtpServer } from './testing';
import { transportFromEnv, type MailTransport } from './transport';
import { claimNextMail, processMailQueue } from './worker';
import type { MailLocale } from './types';

let t: TestDb;
let smtp: TestSmtpServer;
let transport: MailTransport;
const transports: MailTransport[] = [];

function smtpTransport(): MailTransport {
	const tr = transportFromEnv(smtp.env(), {
		connectionTimeoutMs: 2000,
		greetingTimeoutMs: 2000,
		socketTimeoutMs: 5000
	});
	transports.push(tr);
	return tr;
}

beforeEach(async () => {
	t = await openMailTestDb();
	smtp = await startTestSmtpServer();
	transport = smtpTransport();
});
afterEach(async () => {
	for (const tr of transports.splice(0)) tr.close();
	await smtp.close();
	await t.cleanup();
});

const EVIL = 'Công ty <script>alert("x")</script> & Co';

async function enqueueAll(locale: MailLocale, to: string, clock = testClock()) {
	const now = clock.now;
	await enqueueMail(
		t.db,
		{
			to,
			locale,
			template: 'invitation',
			params: {
				enterpriseName: EVIL,
				campaignName: 'Cơ khí 2026',
				sector: locale === 'vi' ? 'cơ khí' : 'mechanical engineering',
				closingDate: '2026-09-30',
				link: `https://techcap.test/invite/tok-${locale}`
			},
			dedupeKey: `invite:c1:${to}`
		},
		{ now }
	);
	await enqueueMail(
		t.db,
		{
			to,
			locale,
			template: 'reminder',
			params: {
				enterpriseName: EVIL,
				campaignName: 'Cơ khí 2026',
				closingDate: '2026-09-30',
				daysLeft: 2,
				link: `https://techcap.test/invite/tok-${locale}`
			}
		},
		{ now }
	);
	await enqueueMail(
		t.db,
		{
			to,
			locale,
			template: 'thanks',
			params: {
				enterpriseName: EVIL,
				campaignName: 'Cơ khí 2026',
				scorecardLink: `https://techcap.test/scorecard/${locale}`
			}
		},
		{ now }
	);
}

describe('mail over SMTP', () => {
	it('delivers invitation, reminder and thanks in the recipient language with links in HTML and text', async () => {
		const clock = testClock();
		await enqueueAll('vi', 'giamdoc@cokhi.vn', clock);
		await enqueueAll('en', 'ceo@fdi.example.com', clock);
		const r = await processMailQueue(t.db, transport, { workerId: 'w1', now: clock.now });
		expect(r).toMatchObject({ claimed: 6, sent: 6, retried: 0, failed: 0, lost: 0 });
		expect(smtp.received).toHaveLength(6);

		const vi = smtp.received.filter((m) => m.envelopeTo[0] === 'giamdoc@cokhi.vn');
		const en = smtp.received.filter((m) => m.envelopeTo[0] === 'ceo@fdi.example.com');
		expect(vi.map((m) => m.subject)).toEqual([
			'Thư mời tham gia khảo sát trình độ công nghệ: Cơ khí 2026',
			'Nhắc nhở: còn 2 ngày để hoàn thành khảo sát Cơ khí 2026',
			'Cảm ơn Quý doanh nghiệp đã hoàn thành khảo sát Cơ khí 2026'
		]);
		expect(en.map((m) => m.subject)).toEqual([
			'Invitation: technology capability survey – Cơ khí 2026',
			'Reminder: 2 days left to complete the Cơ khí 2026 survey',
			'Thank you – your technology scorecard for Cơ khí 2026'
		]);
		for (const m of smtp.received) {
			expect(m.envelopeTo).toHaveLength(1);
			expect(m.headers['to']).toBe(m.envelopeTo[0]);
			expect(m.envelopeFrom).toBe('khaosat@dost.test');
			expect(m.headers['auto-submitted']).toBe('auto-generated');
			const locale = m.envelopeTo[0] === 'giamdoc@cokhi.vn' ? 'vi' : 'en';
			const link = m.subject.match(/Thank|Cảm ơn/)
				? `https://techcap.test/scorecard/${locale}`
				: `https://techcap.test/invite/tok-${locale}`;
			expect(m.text).toContain(link);
			expect(m.html).toContain(`href="${link}"`);
			expect(m.html).toContain(`<html lang="${locale}">`);
			expect(m.html).not.toContain('<script>');
			expect(m.html).toContain('Công ty &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
			expect(m.text).toContain(EVIL);
		}
		expect(vi[0].text).toContain('Kính gửi');
		expect(en[0].text).toContain('Dear');

		// The queue records the delivery with the Message-ID the server saw.
		const sentDoc = (await mailCollection(t.db).find({ dedupeKey: 'invite:c1:giamdoc@cokhi.vn' }))[0];
		const stored = await getMail(t.db, sentDoc._id);
		expect(stored).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
		expect(stored?.smtpResponse).toContain('250');
		expect(vi[0].messageId).toBe(stored?.messageId);
		expect(stored?.messageId).toMatch(/^<[0-9a-f]{32}@dost\.test>$/);
	});

	it('retries a 4xx refusal with backoff and sends once the server accepts', async () => {
		const clock = testClock();
		await enqueueMail(
			t.db,
			{
				to: 'a@x.vn',
				locale: 'en',
				template: 'thanks',
				params: { enterpriseName: 'A', campaignName: 'C', scorecardLink: 'https://t.vn/s' }
			},
			{ now: clock.now }
		);
		smtp.failNext(2, 451, 'mail', '4.3.0 mailbox busy');

		let r = await processMailQueue(t.db, transport, { workerId: 'w1', now: clock.now });
		expect(r).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
		let doc = (await mailCollection(t.db).findOne({}))!;
		expect(doc).toMatchObject({ status: 'queued', attempts: 1 });
		expect(doc.lastError).toContain('451 4.3.0 mailbox busy');
		expect(doc.nextAttemptAt!.getTime() - clock.now().getTime()).toBe(60_000);

		// Not due yet: nothing is claimed.
		clock.advance({ seconds: 59 });
		r = await processMailQueue(t.db, transport, { workerId: 'w1', now: clock.now });
		expect(r.claimed).toBe(0);

		clock.advance({ seconds: 1 });
		r = await processMailQueue(t.db, transport, { workerId: 'w1', now: clock.now });
		expect(r).toMatchObject({ claimed: 1, retried: 1 });
		doc = (await mailCollection(t.db).findOne({}))!;
		expect(doc.attempts).toBe(2);
		expect(doc.nextAttemptAt!.getTime() - clock.now().getTime()).toBe(120_000); // doubled

		clock.advance({ minutes: 2 });
		r = await processMailQueue(t.db, transport, { workerId: 'w1', now: clock.now });
		expect(r).toMatchObject({ claimed: 1, sent: 1 });
		expect(smtp.received).toHaveLength(1);
		doc = (await mailCollection(t.db).findOne({}))!;
		expect(doc).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
		expect(doc.errors).toHaveLength(2);
	});

	it('retries while the server is down, without spending other messages’ attempts, and sends once it is up', async () => {
		const clock = testClock();
		for (const to of ['a@x.vn', 'b@x.vn', 'c@x.vn'])
			await enqueueMail(
				t.db,
				{
					to,
					locale: 'vi',
					template: 'thanks',
					params: { enterpriseName: 'A', campaignName: 'C', scorecardLink: 'https://t.vn/s' }
				},
				{ now: clock.now }
			);
		const port = smtp.port;
		await smtp.close();

		const r = await processMailQueue(t.db, transport, { workerId: 'w1', now: clock.now });
		expect(r).toMatchObject({ claimed: 1, retried: 1 });
		expect(r.stoppedBecause).toMatch(/ECONNREFUSED|ECONNECTION|connect/i);
		const docs = await mailCollection(t.db).find({}, { sort: { attempts: -1 } });
		expect(docs.map((d) => d.attempts)).toEqual([1, 0, 0]);
		expect(docs[0].lastError).toMatch(/ECONNREFUSED|ECONNECTION|connect/i);

		smtp = await startTestSmtpServer({ port });
		clock.advance({ minutes: 1 });
		const r2 = await processMailQueue(t.db, transport, { workerId: 'w1', now: clock.now });
		expect(r2).toMatchObject({ claimed: 3, sent: 3 });
		expect(smtp.received.map((m) => m.envelopeTo[0]).sort()).toEqual(['a@x.vn', 'b@x.vn', 'c@x.vn']);
	});

	it('marks a message failed with the reason after maxAttempts, and a refused recipient at once', async () => {
		const clock = testClock();
		const p = { enterpriseName: 'A', campaignName: 'C', scorecardLink: 'https://t.vn/s' };
		const { mail: flaky } = await enqueueMail(
			t.db,
			{ to: 'flaky@x.vn', locale: 'en', template: 'thanks', params: p },
			{ now: clock.now }
		);
		smtp.failNext(3, 554, 'data', '5.6.0 content rejected');
		for (let i = 0; i < 3; i++) {
			await processMailQueue(t.db, transport, { workerId: 'w1', now: clock.now, maxAttempts: 3 });
			clock.advance({ hours: 1 });
		}
		const failed = await getMail(t.db, flaky._id);
		expect(failed).toMatchObject({
			status: 'failed',
			attempts: 3,
			nextAttemptAt: null,
			permanentFailure: false
		});
		expect(failed?.lastError).toContain('554 5.6.0 content rejected');
		expect(failed?.errors.map((e) => e.attempt)).toEqual([1, 2, 3]);
		// Nothing more happens to it.
		expect((await processMailQueue(t.db, transport, { workerId: 'w1', now: clock.now })).claimed).toBe(0);

		smtp.refuseRecipient('nobody@x.vn');
		const { mail: bounce } = await enqueueMail(
			t.db,
			{ to: 'nobody@x.vn', locale: 'en', template: 'thanks', params: p },
			{ now: clock.now }
		);
		const r = await processMailQueue(t.db, transport, { workerId: 'w1', now: clock.now });
		expect(r).toMatchObject({ claimed: 1, failed: 1 });
		const bounced = await getMail(t.db, bounce._id);
		expect(bounced).toMatchObject({ status: 'failed', attempts: 1, permanentFailure: true });
		expect(bounced?.lastError).toMatch(/^recipient refused: .*550 5\.1\.1 mailbox unavailable/);
		expect(smtp.received).toHaveLength(0);
	});

	it('a worker that died after claiming is taken over after its lease; nothing is sent twice', async () => {
		const clock = testClock();
		const p = { enterpriseName: 'A', campaignName: 'C', scorecardLink: 'https://t.vn/s' };
		for (let i = 0; i < 6; i++)
			await enqueueMail(
				t.db,
				{ to: `e${i}@x.vn`, locale: 'vi', template: 'thanks', params: p, dedupeKey: `thanks:c1:e${i}` },
				{ now: clock.now }
			);

		// Worker A claims two messages, then "crashes" (never sends, never records anything).
		const a1 = await claimNextMail(t.db, { workerId: 'A', now: clock.now, leaseMs: 60_000 });
		const a2 = await claimNextMail(t.db, { workerId: 'A', now: clock.now, leaseMs: 60_000 });
		expect(a1 && a2).toBeTruthy();

		// Worker B starts while A's leases are still valid: it sends only the other four.
		let rb = await processMailQueue(t.db, transport, { workerId: 'B', now: clock.now, leaseMs: 60_000 });
		expect(rb).toMatchObject({ claimed: 4, sent: 4 });

		// After the lease, B takes over A's two messages.
		clock.advance({ seconds: 61 });
		rb = await processMailQueue(t.db, transport, { workerId: 'B', now: clock.now });
		expect(rb).toMatchObject({ claimed: 2, sent: 2 });

		// A comes back and runs again: nothing left for it.
		const ra = await processMailQueue(t.db, smtpTransport(), { workerId: 'A', now: clock.now });
		expect(ra.claimed).toBe(0);

		expect(smtp.received).toHaveLength(6);
		expect(new Set(smtp.received.map((m) => m.envelopeTo[0])).size).toBe(6);
		const taken = await getMail(t.db, a1!._id);
		expect(taken).toMatchObject({ status: 'sent', attempts: 2, workerId: 'B' });
		expect(taken?.errors[0]).toMatchObject({ workerId: 'A', attempt: 1 });
		expect(taken?.errors[0].error).toContain('taken over by B');
	});

	it('gives up on a message whose workers keep dying, saying delivery is unknown', async () => {
		const clock = testClock();
		const p = { enterpriseName: 'A', campaignName: 'C', scorecardLink: 'https://t.vn/s' };
		const { mail } = await enqueueMail(
			t.db,
			{ to: 'poison@x.vn', locale: 'en', template: 'thanks', params: p },
			{ now: clock.now }
		);
		for (const w of ['A', 'B']) {
			expect(await claimNextMail(t.db, { workerId: w, now: clock.now, leaseMs: 1000 })).toBeTruthy();
			clock.advance({ seconds: 2 });
		}
		const r = await processMailQueue(t.db, transport, { workerId: 'C', now: clock.now, maxAttempts: 2 });
		expect(r).toMatchObject({ claimed: 1, failed: 1, sent: 0 });
		const doc = await getMail(t.db, mail._id);
		expect(doc).toMatchObject({ status: 'failed', attempts: 3 });
		expect(doc?.lastError).toContain('delivery is unknown');
		expect(smtp.received).toHaveLength(0);
	});

	it('two workers draining the same queue at once send every message exactly once', async () => {
		const clock = testClock();
		const p = { enterpriseName: 'A', campaignName: 'C', scorecardLink: 'https://t.vn/s' };
		for (let i = 0; i < 12; i++)
			await enqueueMail(
				t.db,
				{ to: `p${i}@x.vn`, locale: 'en', template: 'thanks', params: p },
				{ now: clock.now }
			);
		const [r1, r2] = await Promise.all([
			processMailQueue(t.db, transport, { workerId: 'W1', now: clock.now }),
			processMailQueue(t.db, smtpTransport(), { workerId: 'W2', now: clock.now })
		]);
		expect(r1.sent + r2.sent).toBe(12);
		expect(r1.lost + r2.lost).toBe(0);
		expect(smtp.received).toHaveLength(12);
		expect(new Set(smtp.received.map((m) => m.envelopeTo[0])).size).toBe(12);
	});

	it('a late worker whose claim was taken over cannot overwrite the outcome', async () => {
		const clock = testClock();
		const p = { enterpriseName: 'A', campaignName: 'C', scorecardLink: 'https://t.vn/s' };
		const { mail } = await enqueueMail(
			t.db,
			{ to: 'z@x.vn', locale: 'en', template: 'thanks', params: p },
			{ now: clock.now }
		);
		// A slow transport: A's lease expires while it is still "sending".
		let release: () => void = () => {};
		const gate = new Promise<void>((r) => (release = r));
		let calls = 0;
		const slow: MailTransport = {
			...transport,
			async send(m) {
				calls++;
				await gate;
				return transport.send(m);
			}
		};
		const runA = processMailQueue(t.db, slow, { workerId: 'A', now: clock.now, leaseMs: 1000 });
		await new Promise((r) => setTimeout(r, 50));
		clock.advance({ seconds: 2 });
		const rb = await processMailQueue(t.db, transport, { workerId: 'B', now: clock.now });
		expect(rb.sent).toBe(1);
		release();
		const ra = await runA;
		expect(calls).toBe(1);
		// A really did send (the documented at-least-once window), but it knows it lost its claim
		// and the record stays B's; both copies carry the same Message-ID.
		expect(ra).toMatchObject({ claimed: 1, sent: 0, lost: 1 });
		expect(await getMail(t.db, mail._id)).toMatchObject({ status: 'sent', workerId: 'B' });
		expect(smtp.received).toHaveLength(2);
		expect(smtp.received[0].messageId).toBe(smtp.received[1].messageId);
	});
});
