import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { C, type ThrottleDoc, type UserDoc } from '../db/schema';
import { login, type LoginFailure } from './login';
import { validateSession } from './sessions';
import {
	ACCOUNT_DELAY,
	ACCOUNT_RULE,
	IP_RULE,
	PAIR_RULE,
	accountDelaySeconds,
	accountKey,
	ipKey,
	pairKey,
	recordFailure
} from './throttle';
import { hashPassword } from './password';
import { createUser, setUserDisabled } from './users';
import { GOOD_PASSWORD, openTestDb, testClock, type TestDb } from './testing';

let t: TestDb;
const EMAIL = 'owner@congty.vn';

beforeEach(async () => {
	t = await openTestDb();
	await createUser(t.db, {
		email: EMAIL,
		name: 'Chủ doanh nghiệp',
		role: 'enterprise',
		enterpriseId: 'ent-1',
		password: GOOD_PASSWORD
	});
	// A second account, to show a lock on one account leaves the others alone.
	await createUser(t.db, {
		email: 'other@congty.vn',
		name: 'Other',
		role: 'analyst',
		password: GOOD_PASSWORD
	});
});
afterEach(() => t.cleanup());

function failure(r: Awaited<ReturnType<typeof login>>): LoginFailure {
	if (r.ok) throw new Error('expected the login to fail');
	return r;
}

async function counter(key: string): Promise<ThrottleDoc | null> {
	return t.db.collection<ThrottleDoc>(C.throttle).findOne({ _id: key });
}

describe('login', () => {
	it('signs in with the right password, case-insensitively on the email, and returns a working session', async () => {
		const r = await login(t.db, { email: '  Owner@CongTy.VN ', password: GOOD_PASSWORD, ip: '10.0.0.1' });
		if (!r.ok) throw new Error(r.message.en);
		expect(r.user.email).toBe(EMAIL);
		expect(r.user.enterpriseId).toBe('ent-1');
		expect('passwordHash' in r.user).toBe(false);
		expect(r.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const v = await validateSession(t.db, r.token);
		expect(v?.user.role).toBe('enterprise');
	});

	it('refuses a wrong password with a message that does not reveal whether the account exists', async () => {
		const wrong = failure(await login(t.db, { email: EMAIL, password: 'not the password', ip: '10.0.0.1' }));
		const unknown = failure(
			await login(t.db, { email: 'nobody@congty.vn', password: 'not the password', ip: '10.0.0.1' })
		);
		expect(wrong.reason).toBe('invalid');
		expect(wrong.message).toEqual({
			vi: 'Email hoặc mật khẩu không đúng.',
			en: 'Email or password is incorrect.'
		});
		expect(unknown).toEqual(wrong);
		expect(await t.db.collection(C.sessions).countDocuments({})).toBe(0);
	});

	it('treats an invited user without a password like an unknown one', async () => {
		await createUser(t.db, { email: 'pending@congty.vn', name: 'P', role: 'analyst' });
		const r = failure(await login(t.db, { email: 'pending@congty.vn', password: '', ip: '10.0.0.1' }));
		expect(r.reason).toBe('invalid');
	});

	it('locks an account for the client that failed 5 times, for 15 minutes, and says when to retry', async () => {
		const clock = testClock();
		for (let i = 1; i <= 4; i++) {
			const r = failure(
				await login(t.db, { email: EMAIL, password: `wrong ${i}xxxxxx`, ip: '10.0.0.1' }, clock)
			);
			expect(r.reason).toBe('invalid');
		}
		const fifth = failure(
			await login(t.db, { email: EMAIL, password: 'wrong 5xxxxxx', ip: '10.0.0.1' }, clock)
		);
		expect(fifth.reason).toBe('throttled');
		expect(fifth.retryAfterSeconds).toBe(15 * 60);
		expect(fifth.message.en).toBe('Too many failed sign-in attempts. Please try again in 15 minutes.');
		expect(fifth.message.vi).toBe('Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.');

		// Even the right password is refused to that client while locked.
		clock.advance({ minutes: 10 });
		const locked = failure(
			await login(t.db, { email: EMAIL, password: GOOD_PASSWORD, ip: '10.0.0.1' }, clock)
		);
		expect(locked.reason).toBe('throttled');
		expect(locked.retryAfterSeconds).toBe(5 * 60);
		expect(locked.message.en).toMatch(/try again in 5 minutes/);

		// The owner from another address is not locked out by someone else's failures.
		expect((await login(t.db, { email: EMAIL, password: GOOD_PASSWORD, ip: '10.9.9.9' }, clock)).ok).toBe(
			true
		);
		// Other accounts from the locked client are unaffected.
		expect(
			(await login(t.db, { email: 'other@congty.vn', password: GOOD_PASSWORD, ip: '10.0.0.1' }, clock)).ok
		).toBe(true);

		clock.advance({ minutes: 5 });
		const after = await login(t.db, { email: EMAIL, password: GOOD_PASSWORD, ip: '10.0.0.1' }, clock);
		expect(after.ok).toBe(true);
		// Success resets the counters of the account and of that client for it.
		expect(await counter(accountKey(EMAIL))).toBeNull();
		expect(await counter(pairKey(EMAIL, '10.0.0.1'))).toBeNull();
	});

	it('locks an unknown email the same way (no account enumeration through the lock)', async () => {
		const clock = testClock();
		let last: LoginFailure | null = null;
		for (let i = 0; i < PAIR_RULE.maxFailures; i++)
			last = failure(
				await login(t.db, { email: 'ghost@congty.vn', password: 'whatever123', ip: '10.1.0.1' }, clock)
			);
		expect(last?.reason).toBe('throttled');
	});

	it('forgets failures older than the window', async () => {
		const clock = testClock();
		for (let i = 0; i < 4; i++)
			await login(t.db, { email: EMAIL, password: 'wrong password', ip: '10.0.0.1' }, clock);
		clock.advance({ minutes: 16 });
		const r = failure(await login(t.db, { email: EMAIL, password: 'wrong password', ip: '10.0.0.1' }, clock));
		expect(r.reason).toBe('invalid');
		expect((await counter(pairKey(EMAIL, '10.0.0.1')))?.failures).toBe(1);
	});

	it('success resets the account counter but not the IP counter', async () => {
		const clock = testClock();
		for (let i = 0; i < 3; i++)
			await login(t.db, { email: EMAIL, password: 'wrong password', ip: '10.0.0.7' }, clock);
		expect((await login(t.db, { email: EMAIL, password: GOOD_PASSWORD, ip: '10.0.0.7' }, clock)).ok).toBe(
			true
		);
		expect(await counter(accountKey(EMAIL))).toBeNull();
		expect((await counter(ipKey('10.0.0.7')))?.failures).toBe(3);
	});

	it('locks an IP address after 30 failures across many emails', async () => {
		const clock = testClock();
		const ip = '203.0.113.9';
		for (let i = 0; i < IP_RULE.maxFailures - 1; i++) {
			const r = failure(
				await login(t.db, { email: `user${i}@spray.vn`, password: 'password123', ip }, clock)
			);
			expect(r.reason).toBe('invalid');
		}
		const last = failure(
			await login(t.db, { email: 'user-last@spray.vn', password: 'password123', ip }, clock)
		);
		expect(last.reason).toBe('throttled');
		expect(last.message.en).toMatch(/try again in 15 minutes/);
		// A real user behind the locked address is refused too; elsewhere they are fine.
		expect(failure(await login(t.db, { email: EMAIL, password: GOOD_PASSWORD, ip }, clock)).reason).toBe(
			'throttled'
		);
		expect((await login(t.db, { email: EMAIL, password: GOOD_PASSWORD, ip: '198.51.100.1' }, clock)).ok).toBe(
			true
		);
	});

	it('counts concurrent failures exactly', async () => {
		const clock = testClock();
		const results = await Promise.all(
			Array.from({ length: 10 }, () => recordFailure(t.db, 'acct:race@congty.vn', IP_RULE, clock))
		);
		expect((await counter('acct:race@congty.vn'))?.failures).toBe(10);
		expect(results.map((r) => r.failures).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
	});

	it('many people signing in at once from one address (an office) all get in: over the limit they wait', async () => {
		const ip = '192.0.2.80';
		const people = Array.from({ length: IP_RULE.maxFailures + 15 }, (_, i) => `office${i}@congty.vn`);
		const hash = await hashPassword(GOOD_PASSWORD);
		const now = new Date();
		await t.db.collection<UserDoc>(C.users).insertMany(
			people.map((email) => ({
				email,
				name: email,
				role: 'analyst' as const,
				passwordHash: hash,
				locale: 'vi' as const,
				disabled: false,
				createdAt: now,
				updatedAt: now
			}))
		);
		const results = await Promise.all(
			people.map((email) => login(t.db, { email, password: GOOD_PASSWORD, ip }))
		);
		expect(results.filter((r) => !r.ok)).toEqual([]);
		expect((await counter(ipKey(ip)))?.failures ?? 0).toBe(0);
	}, 60_000);

	it('counts concurrent failed logins from one address exactly', async () => {
		const ip = '192.0.2.44';
		const results = await Promise.all(
			Array.from({ length: 10 }, (_, i) =>
				login(t.db, { email: `c${i}@congty.vn`, password: 'password123', ip })
			)
		);
		expect(results.every((r) => !r.ok && r.reason === 'invalid')).toBe(true);
		expect((await counter(ipKey(ip)))?.failures).toBe(10);
	});

	it('concurrent failures beyond the limit lock once and keep the first lock time', async () => {
		const clock = testClock();
		const results = await Promise.all(
			Array.from({ length: 8 }, () => recordFailure(t.db, accountKey('burst@congty.vn'), ACCOUNT_RULE, clock))
		);
		const doc = await counter(accountKey('burst@congty.vn'));
		expect(doc?.failures).toBe(8);
		expect(doc?.lockedUntil?.getTime()).toBe(clock.now().getTime() + 15 * 60_000);
		expect(results.filter((r) => r.lockedForSeconds > 0).length).toBe(4);
	});

	it('tells a disabled user with the right password that the account is disabled', async () => {
		const user = await t.db.collection<UserDoc>(C.users).findOne({ email: EMAIL });
		await setUserDisabled(t.db, user!._id, true);
		const r = failure(await login(t.db, { email: EMAIL, password: GOOD_PASSWORD, ip: '10.0.0.1' }));
		expect(r.reason).toBe('disabled');
		expect(r.message.vi).toMatch(/vô hiệu hoá/);
		// With a wrong password it is an ordinary failure: nothing is revealed to a guesser.
		expect(
			failure(await login(t.db, { email: EMAIL, password: 'bad password', ip: '10.0.0.1' })).reason
		).toBe('invalid');
	});

	it('rehashes a password stored under weaker parameters on a successful sign-in', async () => {
		const { hash } = await import('@node-rs/argon2');
		const weak = await hash(GOOD_PASSWORD, { memoryCost: 4096, timeCost: 1, parallelism: 1 });
		await t.db.collection<UserDoc>(C.users).updateOne({ email: EMAIL }, { $set: { passwordHash: weak } });
		expect((await login(t.db, { email: EMAIL, password: GOOD_PASSWORD, ip: '10.0.0.1' })).ok).toBe(true);
		const stored = await t.db.collection<UserDoc>(C.users).findOne({ email: EMAIL });
		expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
	});

	describe('guessing without locking out owners', () => {
		it('burst: of 40 simultaneous wrong attempts from one client, at most the limit are checked', async () => {
			const clock = testClock();
			const rs = await Promise.all(
				Array.from({ length: 40 }, (_, i) =>
					login(t.db, { email: EMAIL, password: `wrong guess ${i}`, ip: '10.5.5.5' }, clock)
				)
			);
			// Checked failures are the only thing the account-wide counter counts.
			const checked = (await counter(accountKey(EMAIL)))?.failures ?? 0;
			expect(checked).toBeLessThanOrEqual(PAIR_RULE.maxFailures);
			expect(checked).toBeGreaterThan(0);
			expect(rs.filter((r) => !r.ok && r.reason === 'throttled').length).toBeGreaterThanOrEqual(40 - checked);
			// And the right password from that client is now refused too; from another, accepted.
			expect(
				failure(await login(t.db, { email: EMAIL, password: GOOD_PASSWORD, ip: '10.5.5.5' }, clock)).reason
			).toBe('throttled');
			expect((await login(t.db, { email: EMAIL, password: GOOD_PASSWORD, ip: '10.5.5.6' }, clock)).ok).toBe(
				true
			);
		});

		it('lock-out-the-owner: 50 wrong passwords from one address do not stop the owner at another', async () => {
			const clock = testClock();
			for (let i = 0; i < 50; i++)
				await login(t.db, { email: EMAIL, password: `wrong guess ${i}`, ip: '127.0.0.2' }, clock);
			expect((await login(t.db, { email: EMAIL, password: GOOD_PASSWORD, ip: '127.0.0.3' }, clock)).ok).toBe(
				true
			);
		});

		it('spray: one address trying many accounts is stopped at the per-client limit', async () => {
			const clock = testClock();
			const rs = [];
			for (let i = 0; i < IP_RULE.maxFailures + 5; i++)
				rs.push(
					await login(t.db, { email: `user${i}@congty.vn`, password: 'Spring2026!', ip: '10.6.6.6' }, clock)
				);
			expect(rs.slice(0, IP_RULE.maxFailures - 1).every((r) => !r.ok && r.reason === 'invalid')).toBe(true);
			expect(rs.slice(IP_RULE.maxFailures).every((r) => !r.ok && r.reason === 'throttled')).toBe(true);
			// A successful sign-in gives its place back: an office's good logins never lock it.
			const c2 = testClock('2036-05-01T08:00:00Z');
			for (let i = 0; i < IP_RULE.maxFailures + 5; i++)
				expect((await login(t.db, { email: EMAIL, password: GOOD_PASSWORD, ip: '10.7.7.7' }, c2)).ok).toBe(
					true
				);
		});

		it('distributed guessing: the account is slowed down, never locked; the owner waits a minute at most', async () => {
			const clock = testClock();
			// 12 addresses, 4 wrong guesses each: no client reaches its own limit.
			for (let a = 0; a < 12; a++)
				for (let i = 0; i < 4; i++)
					await login(t.db, { email: EMAIL, password: `wrong guess ${a}-${i}`, ip: `10.8.0.${a}` }, clock);
			const fails = (await counter(accountKey(EMAIL)))?.failures ?? 0;
			expect(fails).toBeGreaterThan(ACCOUNT_DELAY.freeFailures);
			const r = await login(t.db, { email: EMAIL, password: GOOD_PASSWORD, ip: '10.9.0.1' }, clock);
			if (!r.ok) {
				expect(r.reason).toBe('throttled');
				expect(r.retryAfterSeconds).toBeLessThanOrEqual(ACCOUNT_DELAY.maxSeconds);
				clock.advance({ seconds: r.retryAfterSeconds! });
				expect((await login(t.db, { email: EMAIL, password: GOOD_PASSWORD, ip: '10.9.0.1' }, clock)).ok).toBe(
					true
				);
			}
			expect(accountDelaySeconds(ACCOUNT_DELAY.freeFailures - 1)).toBe(0);
			expect(accountDelaySeconds(ACCOUNT_DELAY.freeFailures)).toBe(1);
			expect(accountDelaySeconds(1000)).toBe(ACCOUNT_DELAY.maxSeconds);
		});

		it('parallel attempts cannot share one delayed slot', async () => {
			const clock = testClock();
			for (let a = 0; a < 3; a++)
				for (let i = 0; i < 4; i++)
					await login(t.db, { email: EMAIL, password: `wrong guess ${a}-${i}`, ip: `10.10.0.${a}` }, clock);
			clock.advance({ seconds: ACCOUNT_DELAY.maxSeconds });
			const rs = await Promise.all(
				Array.from({ length: 10 }, (_, i) =>
					login(t.db, { email: EMAIL, password: `wrong again ${i}`, ip: `10.11.0.${i}` }, clock)
				)
			);
			expect(rs.filter((r) => !r.ok && r.reason === 'invalid').length).toBeLessThanOrEqual(1);
		});
	});
});
