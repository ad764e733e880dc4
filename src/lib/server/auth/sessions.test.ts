import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { C, type SessionDoc } from '../db/schema';
import {
	createSession,
	invalidateSession,
	invalidateUserSessions,
	sessionConfig,
	sessionCookieOptions,
	validateSession
} from './sessions';
import { hashToken } from './tokens';
import { createUser, setUserDisabled } from './users';
import { GOOD_PASSWORD, openTestDb, testClock, type TestDb } from './testing';

let t: TestDb;
let userId: string;

beforeEach(async () => {
	t = await openTestDb();
	const u = await createUser(t.db, {
		email: 'Analyst@Example.vn',
		name: 'Nguyễn Văn A',
		role: 'analyst',
		password: GOOD_PASSWORD
	});
	userId = u.id;
});
afterEach(async () => {
	delete process.env.TECHCAP_SESSION_TTL_HOURS;
	delete process.env.TECHCAP_SESSION_IDLE_HOURS;
	await t.cleanup();
});

describe('sessions', () => {
	it('resolves a fresh session to its user, storing only the token hash', async () => {
		const clock = testClock();
		const s = await createSession(t.db, userId, { now: clock.now, userAgent: 'test' });
		const stored = await t.db.collection<SessionDoc>(C.sessions).find({});
		expect(stored).toHaveLength(1);
		expect(stored[0]._id).toBe(hashToken(s.token));
		expect(JSON.stringify(stored[0])).not.toContain(s.token);

		const v = await validateSession(t.db, s.token, { now: clock.now });
		expect(v?.user).toEqual({
			id: userId,
			email: 'analyst@example.vn',
			name: 'Nguyễn Văn A',
			role: 'analyst',
			locale: 'vi'
		});
		expect(JSON.stringify(v)).not.toContain('argon2');
	});

	it('rejects unknown and malformed tokens', async () => {
		expect(await validateSession(t.db, 'x'.repeat(43))).toBeNull();
		expect(await validateSession(t.db, 'not a token')).toBeNull();
		expect(await validateSession(t.db, undefined)).toBeNull();
	});

	it('expires after the absolute lifetime even when used every hour', async () => {
		const clock = testClock();
		const s = await createSession(t.db, userId, { now: clock.now });
		expect(s.expiresAt.getTime() - clock.now().getTime()).toBe(7 * 24 * 3_600_000);
		// Used every 6 hours (never idle) up to one minute before the 7-day limit...
		for (let i = 0; i < 27; i++) {
			clock.advance({ hours: 6 });
			expect(await validateSession(t.db, s.token, { now: clock.now })).not.toBeNull();
		}
		clock.advance({ hours: 5, minutes: 59 });
		expect(await validateSession(t.db, s.token, { now: clock.now })).not.toBeNull();
		// ...and refused from the limit on.
		clock.advance({ minutes: 1 });
		expect(await validateSession(t.db, s.token, { now: clock.now })).toBeNull();
		// The dead session is gone, so moving the clock back cannot revive it.
		expect(await t.db.collection(C.sessions).countDocuments({})).toBe(0);
	});

	it('expires after 12 idle hours', async () => {
		const clock = testClock();
		const s = await createSession(t.db, userId, { now: clock.now });
		clock.advance({ hours: 11, minutes: 59 });
		expect(await validateSession(t.db, s.token, { now: clock.now })).not.toBeNull();
		clock.advance({ hours: 12, minutes: 1 });
		expect(await validateSession(t.db, s.token, { now: clock.now })).toBeNull();
	});

	it('takes its lifetimes from the environment', async () => {
		process.env.TECHCAP_SESSION_TTL_HOURS = '2';
		expect(sessionConfig()).toEqual({ ttlHours: 2, idleHours: 2 });
		const clock = testClock();
		const s = await createSession(t.db, userId, { now: clock.now });
		clock.advance({ hours: 2, seconds: 1 });
		expect(await validateSession(t.db, s.token, { now: clock.now })).toBeNull();
		process.env.TECHCAP_SESSION_TTL_HOURS = 'soon';
		expect(() => sessionConfig()).toThrow(/TECHCAP_SESSION_TTL_HOURS must be a positive number/);
	});

	it('writes lastSeenAt at most once a minute', async () => {
		const clock = testClock();
		const s = await createSession(t.db, userId, { now: clock.now });
		const sessions = t.db.collection<SessionDoc>(C.sessions);
		clock.advance({ seconds: 30 });
		await validateSession(t.db, s.token, { now: clock.now });
		expect((await sessions.findOne({}))?.lastSeenAt.toISOString()).toBe('2036-03-02T08:00:00.000Z');
		clock.advance({ seconds: 31 });
		await validateSession(t.db, s.token, { now: clock.now });
		expect((await sessions.findOne({}))?.lastSeenAt.toISOString()).toBe('2036-03-02T08:01:01.000Z');
	});

	it("rejects a disabled user's session and deletes it", async () => {
		const s = await createSession(t.db, userId);
		await t.db.collection(C.users).updateOne({ _id: userId }, { $set: { disabled: true } });
		expect(await validateSession(t.db, s.token)).toBeNull();
		expect(await t.db.collection(C.sessions).countDocuments({})).toBe(0);
	});

	it('setUserDisabled ends every session of the user at once', async () => {
		const a = await createSession(t.db, userId);
		const b = await createSession(t.db, userId);
		const r = await setUserDisabled(t.db, userId, true);
		expect(r.sessionsEnded).toBe(2);
		expect(await validateSession(t.db, a.token)).toBeNull();
		expect(await validateSession(t.db, b.token)).toBeNull();
	});

	it('logout ends only that session', async () => {
		const a = await createSession(t.db, userId);
		const b = await createSession(t.db, userId);
		expect(await invalidateSession(t.db, a.token)).toBe(true);
		expect(await invalidateSession(t.db, a.token)).toBe(false);
		expect(await validateSession(t.db, a.token)).toBeNull();
		expect(await validateSession(t.db, b.token)).not.toBeNull();
	});

	it('invalidateUserSessions can keep the current session', async () => {
		const a = await createSession(t.db, userId);
		const b = await createSession(t.db, userId);
		expect(await invalidateUserSessions(t.db, userId, { exceptSessionId: a.sessionId })).toBe(1);
		expect(await validateSession(t.db, a.token)).not.toBeNull();
		expect(await validateSession(t.db, b.token)).toBeNull();
	});
});

describe('session cookie', () => {
	it('is httpOnly, SameSite=Lax, path /, Secure only under https, with the session lifetime', () => {
		expect(sessionCookieOptions(true)).toEqual({
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: true,
			maxAge: 7 * 24 * 3600
		});
		expect(sessionCookieOptions(false).secure).toBe(false);
		expect(sessionCookieOptions(false, 90.7).maxAge).toBe(90);
	});
});
