import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { C, type InvitationDoc, type UserDoc } from '../db/schema';
import { acceptInvitation, createInvitation, inspectInvitation, invitationPath } from './invitations';
import { login } from './login';
import { validateSession } from './sessions';
import { hashToken, newToken } from './tokens';
import { AuthInputError } from './types';
import { createUser, setUserDisabled } from './users';
import { GOOD_PASSWORD, openTestDb, testClock, type TestDb } from './testing';

let t: TestDb;
beforeEach(async () => {
	t = await openTestDb();
});
afterEach(() => t.cleanup());

const ENTERPRISE_INVITE = {
	email: 'GiamDoc@CoKhi.vn',
	role: 'enterprise' as const,
	enterpriseId: 'ent-42',
	campaignId: 'camp-2026',
	createdBy: 'admin-1'
};

async function userCount(): Promise<number> {
	return t.db.collection(C.users).countDocuments({});
}

describe('invitations', () => {
	it('stores only the token hash and expires after 7 days by default', async () => {
		const clock = testClock();
		const inv = await createInvitation(t.db, ENTERPRISE_INVITE, clock);
		expect(inv.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(invitationPath(inv.token)).toBe(`/invite/${inv.token}`);
		expect(inv.invitationId).toBe(hashToken(inv.token));
		expect(inv.expiresAt.getTime() - clock.now().getTime()).toBe(7 * 86_400_000);
		const stored = await t.db.collection<InvitationDoc>(C.invitations).find({});
		expect(stored).toHaveLength(1);
		expect(JSON.stringify(stored)).not.toContain(inv.token);
		expect(stored[0]).toMatchObject({ email: 'giamdoc@cokhi.vn', role: 'enterprise', usedAt: null });
	});

	it('reports a valid link and records the first opening only', async () => {
		const clock = testClock();
		const inv = await createInvitation(t.db, ENTERPRISE_INVITE, clock);
		clock.advance({ hours: 3 });
		const info = await inspectInvitation(t.db, inv.token, clock);
		expect(info).toMatchObject({ status: 'valid', email: 'giamdoc@cokhi.vn', role: 'enterprise' });
		clock.advance({ hours: 1 });
		await inspectInvitation(t.db, inv.token, clock);
		const stored = await t.db.collection<InvitationDoc>(C.invitations).findOne({});
		expect(stored?.openedAt?.toISOString()).toBe('2036-03-02T11:00:00.000Z');
	});

	it('reports unknown tokens without touching anything', async () => {
		expect((await inspectInvitation(t.db, 'A'.repeat(43))).status).toBe('unknown');
		expect((await inspectInvitation(t.db, '../../etc')).status).toBe('unknown');
		const r = await acceptInvitation(t.db, 'A'.repeat(43), { password: GOOD_PASSWORD, name: 'X' });
		expect(r).toMatchObject({ ok: false, reason: 'unknown' });
	});

	it('creates the enterprise user, linked to its enterprise, and signs them in', async () => {
		const inv = await createInvitation(t.db, ENTERPRISE_INVITE);
		const r = await acceptInvitation(t.db, inv.token, { password: GOOD_PASSWORD, name: 'Trần Thị B' });
		if (!r.ok) throw new Error(r.message.en);
		expect(r.created).toBe(true);
		expect(r.campaignId).toBe('camp-2026');
		expect(r.user).toMatchObject({
			email: 'giamdoc@cokhi.vn',
			role: 'enterprise',
			enterpriseId: 'ent-42',
			name: 'Trần Thị B',
			hasPassword: true
		});
		expect((await validateSession(t.db, r.token))?.user.enterpriseId).toBe('ent-42');
		expect(
			(await login(t.db, { email: 'giamdoc@cokhi.vn', password: GOOD_PASSWORD, ip: '1.1.1.1' })).ok
		).toBe(true);
		const stored = await t.db.collection<UserDoc>(C.users).findOne({ email: 'giamdoc@cokhi.vn' });
		expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
	});

	it('refuses an expired link', async () => {
		const clock = testClock();
		const inv = await createInvitation(t.db, { ...ENTERPRISE_INVITE, ttlDays: 2 }, clock);
		clock.advance({ days: 2, seconds: 1 });
		expect((await inspectInvitation(t.db, inv.token, clock)).status).toBe('expired');
		const r = await acceptInvitation(t.db, inv.token, { password: GOOD_PASSWORD, name: 'Late' }, clock);
		expect(r).toMatchObject({ ok: false, reason: 'expired' });
		if (!r.ok) expect(r.message.en).toMatch(/expired/);
		expect(await userCount()).toBe(0);
	});

	it('refuses a link that was already used', async () => {
		const inv = await createInvitation(t.db, ENTERPRISE_INVITE);
		expect((await acceptInvitation(t.db, inv.token, { password: GOOD_PASSWORD, name: 'First' })).ok).toBe(
			true
		);
		const again = await acceptInvitation(t.db, inv.token, { password: 'another password', name: 'Second' });
		expect(again).toMatchObject({ ok: false, reason: 'used' });
		expect((await inspectInvitation(t.db, inv.token)).status).toBe('used');
		// The first password still works: the reuse changed nothing.
		expect(
			(await login(t.db, { email: 'giamdoc@cokhi.vn', password: GOOD_PASSWORD, ip: '1.1.1.1' })).ok
		).toBe(true);
	});

	it('makes exactly one user when the same link is submitted twice at once', async () => {
		const inv = await createInvitation(t.db, ENTERPRISE_INVITE);
		const results = await Promise.all(
			Array.from({ length: 4 }, (_, i) =>
				acceptInvitation(t.db, inv.token, { password: `${GOOD_PASSWORD} ${i}`, name: `Tab ${i}` })
			)
		);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.reason))).toEqual(['used', 'used', 'used']);
		expect(await userCount()).toBe(1);
	});

	it('keeps the link usable when the password is rejected', async () => {
		const inv = await createInvitation(t.db, ENTERPRISE_INVITE);
		const bad = await acceptInvitation(t.db, inv.token, { password: 'short', name: 'X' });
		expect(bad).toMatchObject({ ok: false, reason: 'invalid', field: 'password' });
		if (!bad.ok) expect(bad.message.vi).toMatch(/ít nhất 10 ký tự/);
		const noName = await acceptInvitation(t.db, inv.token, { password: GOOD_PASSWORD, name: '  ' });
		expect(noName).toMatchObject({ ok: false, reason: 'invalid', field: 'name' });
		expect((await inspectInvitation(t.db, inv.token)).status).toBe('valid');
		expect((await acceptInvitation(t.db, inv.token, { password: GOOD_PASSWORD, name: 'OK' })).ok).toBe(true);
	});

	it('activates a pending account created by an admin, ending any old sessions', async () => {
		const pending = await createUser(t.db, { email: 'analyst@so-khcn.vn', name: 'Pending', role: 'analyst' });
		expect(pending.hasPassword).toBe(false);
		const inv = await createInvitation(t.db, {
			email: 'analyst@so-khcn.vn',
			role: 'analyst',
			createdBy: null
		});
		const r = await acceptInvitation(t.db, inv.token, { password: GOOD_PASSWORD, name: 'Lê Văn C' });
		if (!r.ok) throw new Error(r.message.en);
		expect(r.created).toBe(false);
		expect(r.user.id).toBe(pending.id);
		expect(r.user.hasPassword).toBe(true);
		expect(await userCount()).toBe(1);
	});

	it('will not move an existing account to another role or enterprise', async () => {
		await createUser(t.db, { email: 'x@ent.vn', name: 'X', role: 'enterprise', enterpriseId: 'ent-1' });
		await expect(
			createInvitation(t.db, {
				email: 'x@ent.vn',
				role: 'enterprise',
				enterpriseId: 'ent-2',
				createdBy: null
			})
		).rejects.toMatchObject({ reason: 'conflict', field: 'email' });
		await expect(
			createInvitation(t.db, { email: 'x@ent.vn', role: 'admin', createdBy: null })
		).rejects.toThrow(/different role or enterprise/);
	});

	it('does not re-enable a disabled account', async () => {
		const u = await createUser(t.db, { email: 'gone@ent.vn', name: 'G', role: 'analyst' });
		const inv = await createInvitation(t.db, { email: 'gone@ent.vn', role: 'analyst', createdBy: null });
		await setUserDisabled(t.db, u.id, true);
		const r = await acceptInvitation(t.db, inv.token, { password: GOOD_PASSWORD, name: 'G' });
		expect(r).toMatchObject({ ok: false, reason: 'disabled' });
		expect((await inspectInvitation(t.db, inv.token)).status).toBe('valid');
	});

	it('validates what it is given', async () => {
		const bad = (input: Partial<typeof ENTERPRISE_INVITE> & { ttlDays?: number }) =>
			createInvitation(t.db, { ...ENTERPRISE_INVITE, ...input });
		await expect(bad({ email: 'not-an-email' })).rejects.toMatchObject({ field: 'email' });
		await expect(bad({ enterpriseId: undefined })).rejects.toMatchObject({ field: 'enterpriseId' });
		await expect(bad({ ttlDays: 0 })).rejects.toMatchObject({ field: 'ttlDays' });
		await expect(bad({ role: 'owner' as never })).rejects.toBeInstanceOf(AuthInputError);
		await expect(
			createInvitation(t.db, { email: 'a@b.vn', role: 'analyst', enterpriseId: 'ent-1', createdBy: null })
		).rejects.toMatchObject({ field: 'enterpriseId' });
	});
});

describe('invitations never take over an account', () => {
	/** A pending invitation as written before `revokedAt` existed (the migration case). */
	async function legacyInvitation(email: string, extra: Partial<InvitationDoc> = {}): Promise<string> {
		const token = newToken();
		const now = new Date('2036-03-02T08:00:00Z');
		await t.db.collection<InvitationDoc>(C.invitations).insertOne({
			_id: hashToken(token),
			email,
			role: 'enterprise',
			enterpriseId: 'ent-42',
			createdBy: null,
			createdAt: now,
			expiresAt: new Date(now.getTime() + 14 * 86_400_000),
			usedAt: null,
			openedAt: null,
			...extra
		});
		return token;
	}

	it('a new invitation revokes the pending one for the same e-mail or enterprise: one live link', async () => {
		const clock = testClock();
		const t1 = await createInvitation(t.db, ENTERPRISE_INVITE, clock);
		const t2 = await createInvitation(t.db, ENTERPRISE_INVITE, clock);
		const other = await createInvitation(t.db, { ...ENTERPRISE_INVITE, email: 'ke-toan@cokhi.vn' }, clock);
		expect((await inspectInvitation(t.db, t1.token, clock)).status).toBe('revoked');
		expect((await inspectInvitation(t.db, t1.token, clock)).message?.en).toMatch(/replaced by a newer one/);
		// Same enterprise, other address: still one live link for the enterprise.
		expect((await inspectInvitation(t.db, t2.token, clock)).status).toBe('revoked');
		expect((await inspectInvitation(t.db, other.token, clock)).status).toBe('valid');
		const r = await acceptInvitation(t.db, t1.token, { password: GOOD_PASSWORD, name: 'X' }, clock);
		expect(r).toMatchObject({ ok: false, reason: 'revoked' });
		expect(await userCount()).toBe(0);
		const live = await t.db
			.collection(C.invitations)
			.countDocuments({ usedAt: null, revokedAt: null, enterpriseId: 'ent-42' });
		expect(live).toBe(1);
	});

	it('the takeover attack: a spare link after the owner accepted is refused; password and session stay', async () => {
		const clock = testClock();
		// Two links for one address, as before this change (neither revoked the other).
		const t1 = await legacyInvitation('owner@cokhi.vn');
		const t2 = await legacyInvitation('owner@cokhi.vn');
		const owner = await acceptInvitation(t.db, t1, { password: GOOD_PASSWORD, name: 'Owner' }, clock);
		if (!owner.ok) throw new Error(owner.message.en);
		expect((await inspectInvitation(t.db, t2, clock)).status).toBe('revoked');
		const attack = await acceptInvitation(
			t.db,
			t2,
			{ password: 'attacker password 123', name: 'Mallory' },
			clock
		);
		expect(attack).toMatchObject({ ok: false });
		expect((await validateSession(t.db, owner.token, clock))?.user.name).toBe('Owner');
		expect(
			(await login(t.db, { email: 'owner@cokhi.vn', password: GOOD_PASSWORD, ip: '1.1.1.1' }, clock)).ok
		).toBe(true);
		expect(
			(
				await login(
					t.db,
					{ email: 'owner@cokhi.vn', password: 'attacker password 123', ip: '1.1.1.1' },
					clock
				)
			).ok
		).toBe(false);
	});

	it('a pending link for an account that already has a password never sets it, and is revoked', async () => {
		const clock = testClock();
		const spare = await legacyInvitation('active@cokhi.vn');
		const u = await createUser(t.db, {
			email: 'active@cokhi.vn',
			name: 'Active',
			role: 'enterprise',
			enterpriseId: 'ent-42',
			password: GOOD_PASSWORD
		});
		expect(u.hasPassword).toBe(true);
		const r = await acceptInvitation(t.db, spare, { password: 'taken over 12345', name: 'M' }, clock);
		expect(r).toMatchObject({ ok: false, reason: 'account-exists' });
		expect((await inspectInvitation(t.db, spare, clock)).status).toBe('revoked');
		expect(
			(await login(t.db, { email: 'active@cokhi.vn', password: GOOD_PASSWORD, ip: '1.1.1.1' }, clock)).ok
		).toBe(true);
		// And no new link can be made for it.
		await expect(
			createInvitation(t.db, { ...ENTERPRISE_INVITE, email: 'active@cokhi.vn' }, clock)
		).rejects.toMatchObject({ reason: 'conflict', field: 'email' });
	});

	it('two links racing for one pending account set one password', async () => {
		await createUser(t.db, {
			email: 'pending@cokhi.vn',
			name: 'P',
			role: 'enterprise',
			enterpriseId: 'ent-7'
		});
		const a = await legacyInvitation('pending@cokhi.vn', { enterpriseId: 'ent-7' });
		const b = await legacyInvitation('pending@cokhi.vn', { enterpriseId: 'ent-7' });
		const [ra, rb] = await Promise.all([
			acceptInvitation(t.db, a, { password: 'first password 123', name: 'A' }),
			acceptInvitation(t.db, b, { password: 'second password 123', name: 'B' })
		]);
		expect([ra.ok, rb.ok].filter(Boolean)).toHaveLength(1);
		const winner = ra.ok ? 'first password 123' : 'second password 123';
		expect((await login(t.db, { email: 'pending@cokhi.vn', password: winner, ip: '1.1.1.1' })).ok).toBe(true);
	});
});
