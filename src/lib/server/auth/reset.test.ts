import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { C, type AuditDoc } from '../db/schema';
import type { MailDoc } from '../mail/types';
import { acceptInvitation, createInvitation, inspectInvitation } from './invitations';
import { login } from './login';
import { completePasswordReset, inspectPasswordReset, requestPasswordReset, RESET_EMAIL_RULE } from './reset';
import { createSession, validateSession } from './sessions';
import { accountKey } from './throttle';
import { createUser, setUserDisabled } from './users';
import { GOOD_PASSWORD, openTestDb, testClock, type TestDb } from './testing';

let t: TestDb;
const EMAIL = 'owner@congty.vn';
const ORIGIN = 'http://techcap.invalid';
const NEW_PASSWORD = 'a brand new passphrase';

beforeEach(async () => {
	t = await openTestDb();
	await createUser(t.db, { email: EMAIL, name: 'Chủ', role: 'analyst', password: GOOD_PASSWORD });
});
afterEach(() => t.cleanup());

async function mailedToken(): Promise<string> {
	const mails = await t.db
		.collection<MailDoc>(C.mail)
		.find({ template: 'password-reset' }, { sort: { createdAt: -1 } });
	const m = /\/reset\/([A-Za-z0-9_-]{43})/.exec(mails[0]?.text ?? '');
	if (!m) throw new Error('no reset e-mail');
	return m[1];
}

describe('password reset by e-mail', () => {
	it('mails a one-time link to the owner; it sets the password, ends other sessions and signs in', async () => {
		const clock = testClock();
		const old = await createSession(
			t.db,
			(await t.db.collection(C.users).findOne({ email: EMAIL }))!._id as string,
			clock
		);
		expect(
			await requestPasswordReset(t.db, { email: 'Owner@CongTy.vn', ip: '1.2.3.4', origin: ORIGIN }, clock)
		).toEqual({
			ok: true
		});
		const token = await mailedToken();
		const mail = (await t.db.collection<MailDoc>(C.mail).findOne({ template: 'password-reset' }))!;
		expect(mail.to).toBe(EMAIL);
		expect(mail.subject).toMatch(/mật khẩu/);
		expect((await inspectPasswordReset(t.db, token, clock)).status).toBe('valid');
		const r = await completePasswordReset(t.db, token, { password: NEW_PASSWORD }, clock);
		if (!r.ok) throw new Error(r.message.en);
		expect(await validateSession(t.db, old.token, clock)).toBeNull();
		expect((await validateSession(t.db, r.token, clock))?.user.email).toBe(EMAIL);
		expect((await login(t.db, { email: EMAIL, password: NEW_PASSWORD, ip: '1.2.3.4' }, clock)).ok).toBe(true);
		// Once only.
		expect(
			await completePasswordReset(t.db, token, { password: 'yet another passphrase' }, clock)
		).toMatchObject({
			ok: false,
			reason: 'used'
		});
		const actions = (await t.db.collection<AuditDoc>(C.audit).find({})).map((a) => a.action);
		expect(actions).toEqual(expect.arrayContaining(['password.reset-request', 'password.reset']));
	});

	it('answers the same for unknown, pending and disabled accounts, and mails nothing', async () => {
		await createUser(t.db, { email: 'pending@congty.vn', name: 'P', role: 'analyst' });
		const off = await createUser(t.db, {
			email: 'off@congty.vn',
			name: 'O',
			role: 'analyst',
			password: GOOD_PASSWORD
		});
		await setUserDisabled(t.db, off.id, true);
		for (const email of ['ghost@congty.vn', 'pending@congty.vn', 'off@congty.vn'])
			expect(await requestPasswordReset(t.db, { email, ip: '1.2.3.4', origin: ORIGIN })).toEqual({
				ok: true
			});
		expect(await t.db.collection(C.mail).countDocuments({})).toBe(0);
	});

	it('expires after 30 minutes; a newer link replaces the older', async () => {
		const clock = testClock();
		await requestPasswordReset(t.db, { email: EMAIL, ip: '1.2.3.4', origin: ORIGIN }, clock);
		const first = await mailedToken();
		clock.advance({ minutes: 1 });
		await requestPasswordReset(t.db, { email: EMAIL, ip: '1.2.3.4', origin: ORIGIN }, clock);
		const second = await mailedToken();
		expect((await inspectPasswordReset(t.db, first, clock)).status).toBe('revoked');
		clock.advance({ minutes: 31 });
		expect((await inspectPasswordReset(t.db, second, clock)).status).toBe('expired');
		expect(await completePasswordReset(t.db, second, { password: NEW_PASSWORD }, clock)).toMatchObject({
			ok: false
		});
	});

	it('asking is throttled per address, so a mailbox is not flooded', async () => {
		const clock = testClock();
		for (let i = 0; i < RESET_EMAIL_RULE.maxFailures; i++)
			expect(
				(await requestPasswordReset(t.db, { email: EMAIL, ip: `1.2.3.${i}`, origin: ORIGIN }, clock)).ok
			).toBe(true);
		expect(
			await requestPasswordReset(t.db, { email: EMAIL, ip: '1.2.3.99', origin: ORIGIN }, clock)
		).toMatchObject({
			ok: false,
			reason: 'throttled'
		});
	});

	it('the owner slowed down by distributed guessing gets in through the link, and the delay starts over', async () => {
		const clock = testClock();
		for (let a = 0; a < 12; a++)
			for (let i = 0; i < 4; i++)
				await login(t.db, { email: EMAIL, password: `wrong ${a}-${i}`, ip: `10.8.0.${a}` }, clock);
		await requestPasswordReset(t.db, { email: EMAIL, ip: '10.9.0.1', origin: ORIGIN }, clock);
		const r = await completePasswordReset(t.db, await mailedToken(), { password: NEW_PASSWORD }, clock);
		expect(r.ok).toBe(true);
		expect(await t.db.collection(C.throttle).findOne({ _id: accountKey(EMAIL) })).toBeNull();
	});

	it('reset links and invitation links are not interchangeable', async () => {
		await requestPasswordReset(t.db, { email: EMAIL, ip: '1.2.3.4', origin: ORIGIN });
		const reset = await mailedToken();
		expect((await inspectInvitation(t.db, reset)).status).toBe('unknown');
		expect(await acceptInvitation(t.db, reset, { password: NEW_PASSWORD, name: 'M' })).toMatchObject({
			ok: false,
			reason: 'unknown'
		});
		const inv = await createInvitation(t.db, { email: 'new@congty.vn', role: 'analyst', createdBy: null });
		expect((await inspectPasswordReset(t.db, inv.token)).status).toBe('unknown');
		// A new invitation does not revoke the reset link (nor the other way round).
		expect((await inspectPasswordReset(t.db, reset)).status).toBe('valid');
	});
});
