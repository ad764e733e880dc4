import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { C, type UserDoc } from '../db/schema';
import { login } from './login';
import { createSession, validateSession } from './sessions';
import { AuthInputError } from './types';
import { changePassword, createUser, getUser, listUsers, setUserDisabled, setUserRole } from './users';
import { GOOD_PASSWORD, openTestDb, type TestDb } from './testing';

let t: TestDb;
beforeEach(async () => {
	t = await openTestDb();
});
afterEach(() => t.cleanup());

function seed() {
	return Promise.all([
		createUser(t.db, { email: 'admin@so.vn', name: 'Admin', role: 'admin', password: GOOD_PASSWORD }),
		createUser(t.db, {
			email: 'an.nguyen@so.vn',
			name: 'Nguyễn An',
			role: 'analyst',
			password: GOOD_PASSWORD
		}),
		createUser(t.db, { email: 'lead@ubnd.vn', name: 'Lãnh đạo', role: 'policymaker', locale: 'en' }),
		createUser(t.db, { email: 'ceo@cokhi.vn', name: 'CEO', role: 'enterprise', enterpriseId: 'ent-1' })
	]);
}

describe('createUser', () => {
	it('normalises the email, hashes with argon2id and never returns the hash', async () => {
		const u = await createUser(t.db, {
			email: ' Mixed@Case.VN ',
			name: ' Tên ',
			role: 'analyst',
			password: GOOD_PASSWORD
		});
		expect(u).toMatchObject({
			email: 'mixed@case.vn',
			name: 'Tên',
			role: 'analyst',
			locale: 'vi',
			disabled: false
		});
		expect(u.hasPassword).toBe(true);
		expect(Object.keys(u)).not.toContain('passwordHash');
		expect(Object.keys(u)).not.toContain('_id');
		const stored = await t.db.collection<UserDoc>(C.users).findOne({ _id: u.id });
		expect(stored?.passwordHash?.startsWith('$argon2id$')).toBe(true);
	});

	it('refuses a duplicate email, whatever its case', async () => {
		await createUser(t.db, { email: 'dup@so.vn', name: 'A', role: 'analyst' });
		const err = await createUser(t.db, { email: 'DUP@so.vn', name: 'B', role: 'admin' }).catch((e) => e);
		expect(err).toBeInstanceOf(AuthInputError);
		expect(err).toMatchObject({ reason: 'duplicate', field: 'email' });
		expect(err.text.en).toBe('A user with this email address already exists.');
		expect(err.text.vi).toMatch(/Đã có người dùng/);
		expect(await t.db.collection(C.users).countDocuments({})).toBe(1);
	});

	it('lets the unique index decide between concurrent creations', async () => {
		const results = await Promise.allSettled(
			Array.from({ length: 3 }, () => createUser(t.db, { email: 'race@so.vn', name: 'R', role: 'analyst' }))
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(await t.db.collection(C.users).countDocuments({})).toBe(1);
	});

	it('requires an enterprise for the enterprise role, and only for it', async () => {
		await expect(createUser(t.db, { email: 'e@x.vn', name: 'E', role: 'enterprise' })).rejects.toMatchObject({
			field: 'enterpriseId',
			text: { en: 'An enterprise account must be linked to an enterprise.' }
		});
		await expect(
			createUser(t.db, { email: 'a@x.vn', name: 'A', role: 'analyst', enterpriseId: 'ent-1' })
		).rejects.toMatchObject({ field: 'enterpriseId' });
	});

	it('names the field at fault', async () => {
		const field = (p: Promise<unknown>) => p.catch((e: AuthInputError) => e.field);
		expect(await field(createUser(t.db, { email: 'nope', name: 'A', role: 'analyst' }))).toBe('email');
		expect(await field(createUser(t.db, { email: 'a@x.vn', name: '', role: 'analyst' }))).toBe('name');
		expect(await field(createUser(t.db, { email: 'a@x.vn', name: 'A', role: 'boss' as never }))).toBe('role');
		expect(
			await field(createUser(t.db, { email: 'a@x.vn', name: 'A', role: 'analyst', password: 'x' }))
		).toBe('password');
		expect(
			await field(createUser(t.db, { email: 'a@x.vn', name: 'A', role: 'analyst', locale: 'fr' as never }))
		).toBe('locale');
	});
});

describe('listUsers', () => {
	it('filters by role and by part of the email or name, sorted by email', async () => {
		await seed();
		expect((await listUsers(t.db)).map((u) => u.email)).toEqual([
			'admin@so.vn',
			'an.nguyen@so.vn',
			'ceo@cokhi.vn',
			'lead@ubnd.vn'
		]);
		expect((await listUsers(t.db, { role: 'enterprise' })).map((u) => u.email)).toEqual(['ceo@cokhi.vn']);
		expect((await listUsers(t.db, { q: 'NGUYỄN' })).map((u) => u.email)).toEqual(['an.nguyen@so.vn']);
		expect((await listUsers(t.db, { q: 'so.vn' })).map((u) => u.email)).toEqual([
			'admin@so.vn',
			'an.nguyen@so.vn'
		]);
		// The query is text, not a pattern.
		expect(await listUsers(t.db, { q: '.*' })).toEqual([]);
		const all = await listUsers(t.db);
		expect(all.every((u) => !('passwordHash' in u))).toBe(true);
		expect(all.find((u) => u.email === 'lead@ubnd.vn')?.hasPassword).toBe(false);
	});
});

describe('setUserDisabled / setUserRole', () => {
	it('disables and re-enables, refusing to disable the last admin', async () => {
		const [admin, analyst] = await seed();
		await expect(setUserDisabled(t.db, admin.id, true)).rejects.toMatchObject({ reason: 'last_admin' });
		const r = await setUserDisabled(t.db, analyst.id, true);
		expect(r.user.disabled).toBe(true);
		expect((await login(t.db, { email: analyst.email, password: GOOD_PASSWORD, ip: '1.1.1.1' })).ok).toBe(
			false
		);
		await setUserDisabled(t.db, analyst.id, false);
		expect((await login(t.db, { email: analyst.email, password: GOOD_PASSWORD, ip: '1.1.1.1' })).ok).toBe(
			true
		);
		await expect(setUserDisabled(t.db, 'missing', true)).rejects.toMatchObject({ reason: 'not_found' });
	});

	it('changes roles, keeping the enterprise link consistent', async () => {
		const [admin, analyst, , ceo] = await seed();
		const s = await createSession(t.db, analyst.id);
		const promoted = await setUserRole(t.db, analyst.id, 'admin');
		expect(promoted.role).toBe('admin');
		// Takes effect on the next request of a live session.
		expect((await validateSession(t.db, s.token))?.user.role).toBe('admin');
		const moved = await setUserRole(t.db, ceo.id, 'analyst');
		expect(moved.enterpriseId).toBeUndefined();
		await expect(setUserRole(t.db, analyst.id, 'enterprise')).rejects.toMatchObject({
			field: 'enterpriseId'
		});
		await setUserRole(t.db, admin.id, 'policymaker'); // another admin remains
		await expect(setUserRole(t.db, analyst.id, 'analyst')).rejects.toMatchObject({ reason: 'last_admin' });
	});
});

describe('changePassword', () => {
	it('checks the current password, applies the policy and ends other sessions', async () => {
		const [, analyst] = await seed();
		const keep = await createSession(t.db, analyst.id);
		const other = await createSession(t.db, analyst.id);
		await expect(
			changePassword(t.db, analyst.id, { currentPassword: 'wrong one!!', newPassword: 'new password 1' })
		).rejects.toMatchObject({ reason: 'wrong_password', field: 'currentPassword' });
		await expect(
			changePassword(t.db, analyst.id, { currentPassword: GOOD_PASSWORD, newPassword: 'zzzzzzzzzzzz' })
		).rejects.toMatchObject({ field: 'newPassword' });
		const r = await changePassword(t.db, analyst.id, {
			currentPassword: GOOD_PASSWORD,
			newPassword: 'new password 1',
			keepSessionId: keep.sessionId
		});
		expect(r.sessionsEnded).toBe(1);
		expect(await validateSession(t.db, keep.token)).not.toBeNull();
		expect(await validateSession(t.db, other.token)).toBeNull();
		expect((await login(t.db, { email: analyst.email, password: GOOD_PASSWORD, ip: '1.1.1.1' })).ok).toBe(
			false
		);
		expect((await login(t.db, { email: analyst.email, password: 'new password 1', ip: '1.1.1.1' })).ok).toBe(
			true
		);
		expect((await getUser(t.db, analyst.id))?.hasPassword).toBe(true);
	});
});
