/**
 * The administrators' user list (pages of 50, accent-free search on name and e-mail, role filter)
 * and the publishing right: admins only, analysts only, audited with the old and new value.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { C, type AuditDoc, type UserDoc } from './db/schema';
import type { Database } from './db/types';
import { openTestDb, type TestDb } from './auth/testing';
import { listUsersPage, setPublisher, userMatches, USERS_PAGE_SIZE, UsersAdminError } from './users-admin';

const admin = { id: 'admin-1', email: 'admin@so.vn', role: 'admin' as const };
const analyst = { id: 'an-1', email: 'an@so.vn', role: 'analyst' as const };
let t: TestDb;
let db: Database;

function user(
	id: string,
	email: string,
	name: string,
	role: UserDoc['role'],
	extra: Partial<UserDoc> = {}
): UserDoc {
	const now = new Date();
	return {
		_id: id,
		email,
		name,
		role,
		passwordHash: 'x',
		disabled: false,
		locale: 'vi',
		createdAt: now,
		updatedAt: now,
		...(role === 'enterprise' ? { enterpriseId: `ent-${id}` } : {}),
		...extra
	} as UserDoc;
}

beforeAll(async () => {
	t = await openTestDb();
	db = t.db;
	const docs: UserDoc[] = [
		user('admin-1', 'admin@so.vn', 'Quản trị', 'admin'),
		user('an-1', 'an@so.vn', 'Nguyễn Văn An', 'analyst'),
		user('an-2', 'binh@so.vn', 'Trần Thị Bình', 'analyst', { publisher: true }),
		user('lead-1', 'lead@so.vn', 'Lãnh đạo Sở (xem báo cáo)', 'policymaker')
	];
	// 120 enterprise accounts: three pages of 50, 50 and 20.
	for (let i = 0; i < 120; i++)
		docs.push(
			user(`e-${i}`, `dn${String(i).padStart(3, '0')}@firm.vn`, `Doanh nghiệp Đông Á ${i}`, 'enterprise')
		);
	await db.collection<UserDoc>(C.users).insertMany(docs);
});

afterAll(async () => {
	await t.cleanup();
});

describe('listUsersPage', () => {
	test('pages hold 50 accounts, sorted by e-mail, with the total and the last page', async () => {
		const p1 = await listUsersPage(db, admin, { page: 1 });
		expect(USERS_PAGE_SIZE).toBe(50);
		expect(p1.total).toBe(124);
		expect(p1.last).toBe(3);
		expect(p1.users).toHaveLength(50);
		const emails = p1.users.map((u) => u.email);
		expect(emails).toEqual([...emails].sort((a, b) => a.localeCompare(b)));
		const p3 = await listUsersPage(db, admin, { page: 3 });
		expect(p3.users).toHaveLength(24);
		// No account on two pages.
		const p2 = await listUsersPage(db, admin, { page: 2 });
		const ids = new Set([...p1.users, ...p2.users, ...p3.users].map((u) => u.id));
		expect(ids.size).toBe(124);
	});

	test('a page past the last is empty and says which page is last', async () => {
		const r = await listUsersPage(db, admin, { page: 9 });
		expect(r.users).toEqual([]);
		expect(r.last).toBe(3);
	});

	test('search ignores tone marks and case, on name and e-mail', async () => {
		const r = await listUsersPage(db, admin, { q: 'nguyen van', page: 1 });
		expect(r.users.map((u) => u.id)).toEqual(['an-1']);
		expect((await listUsersPage(db, admin, { q: 'TRẦN', page: 1 })).users.map((u) => u.id)).toEqual(['an-2']);
		expect((await listUsersPage(db, admin, { q: 'binh@so', page: 1 })).users.map((u) => u.id)).toEqual([
			'an-2'
		]);
		const dong = await listUsersPage(db, admin, { q: 'dong a', page: 1 });
		expect(dong.total).toBe(120);
		expect(dong.last).toBe(3);
		expect((await listUsersPage(db, admin, { q: 'không có ai', page: 1 })).total).toBe(0);
	});

	test('filters by role and reports the publishing right', async () => {
		const r = await listUsersPage(db, admin, { role: 'analyst', page: 1 });
		expect(r.users.map((u) => [u.id, u.publisher])).toEqual([
			['an-1', false],
			['an-2', true]
		]);
		expect(r.last).toBe(1);
	});

	test('refuses anyone but an administrator', async () => {
		for (const actor of [analyst, { id: 'l', email: 'l@so.vn', role: 'policymaker' as const }, null]) {
			await expect(listUsersPage(db, actor, { page: 1 })).rejects.toMatchObject({ code: 'forbidden' });
		}
	});

	test('userMatches needs every word of the query', () => {
		expect(userMatches({ name: 'Nguyễn Văn An', email: 'an@so.vn' }, 'an nguyen')).toBe(true);
		expect(userMatches({ name: 'Nguyễn Văn An', email: 'an@so.vn' }, 'an tran')).toBe(false);
		expect(userMatches({ name: 'Đỗ Đức', email: 'x@y.vn' }, 'do duc')).toBe(true);
	});
});

describe('setPublisher', () => {
	async function auditFor(id: string): Promise<AuditDoc[]> {
		return db.collection<AuditDoc>(C.audit).find({ target: `users/${id}` });
	}

	test('an admin grants and withdraws the right, audited with who, old and new', async () => {
		const r = await setPublisher(db, admin, { id: 'an-1', publisher: true }, { ip: '10.0.0.1' });
		expect(r).toEqual({ changed: true, email: 'an@so.vn' });
		expect((await db.collection<UserDoc>(C.users).findOne({ _id: 'an-1' }))?.publisher).toBe(true);
		let audit = await auditFor('an-1');
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({
			actorId: 'admin-1',
			actorEmail: 'admin@so.vn',
			action: 'user.publisher.grant',
			before: { email: 'an@so.vn', publisher: false },
			after: { email: 'an@so.vn', publisher: true },
			ip: '10.0.0.1'
		});
		expect(audit[0].at).toBeInstanceOf(Date);

		await setPublisher(db, admin, { id: 'an-1', publisher: false });
		expect((await db.collection<UserDoc>(C.users).findOne({ _id: 'an-1' }))?.publisher).toBeUndefined();
		audit = await auditFor('an-1');
		expect(audit.map((a) => a.action).sort()).toEqual(['user.publisher.grant', 'user.publisher.revoke']);
		expect(audit.find((a) => a.action === 'user.publisher.revoke')).toMatchObject({
			before: { publisher: true },
			after: { publisher: false }
		});
	});

	test('setting the value it already has records nothing', async () => {
		const before = (await auditFor('an-2')).length;
		const r = await setPublisher(db, admin, { id: 'an-2', publisher: true });
		expect(r.changed).toBe(false);
		expect(await auditFor('an-2')).toHaveLength(before);
	});

	test('refused for accounts that are not analysts, with a message naming the account', async () => {
		for (const id of ['lead-1', 'e-1', 'admin-1']) {
			const e = await setPublisher(db, admin, { id, publisher: true }).catch((x) => x);
			expect(e).toBeInstanceOf(UsersAdminError);
			expect(e.code).toBe('invalid');
			expect(e.text.vi).toMatch(/chuyên viên phân tích/);
			expect(e.text.en).toMatch(/analyst/);
			expect((await db.collection<UserDoc>(C.users).findOne({ _id: id }))?.publisher).toBeUndefined();
			expect(await auditFor(id)).toHaveLength(0);
		}
	});

	test('refused for a non-admin, and for an unknown account', async () => {
		for (const actor of [analyst, { id: 'an-2', email: 'binh@so.vn', role: 'analyst' as const }, null]) {
			await expect(setPublisher(db, actor, { id: 'an-1', publisher: true })).rejects.toMatchObject({
				code: 'forbidden'
			});
		}
		expect((await db.collection<UserDoc>(C.users).findOne({ _id: 'an-1' }))?.publisher).toBeUndefined();
		await expect(setPublisher(db, admin, { id: 'nobody', publisher: true })).rejects.toMatchObject({
			code: 'not-found'
		});
		await expect(setPublisher(db, admin, { id: '', publisher: true })).rejects.toMatchObject({
			code: 'not-found'
		});
	});
});
