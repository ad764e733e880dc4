/**
 * Issue 20: administrators' invitations. An enterprise invitation names an existing register entry
 * by tax code; every invitation is e-mailed through the queue; pending ones are listed, resent
 * (the old link dies) and revoked (the link dies). Every refusal is proven and leaves nothing behind.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { C, type AuditDoc, type EnterpriseDoc, type UserDoc } from './db/schema';
import type { Database } from './db/types';
import { mailCollection } from './mail';
import { openMailTestDb, type TestDb } from './mail/testing';
import {
	InvitationAdminError,
	inviteAccount,
	listAccountInvitations,
	resendInvitation,
	revokeInvitation,
	searchRegister,
	type AdminActor
} from './account-invitations';
import { acceptInvitation, inspectInvitation, type InvitationRecord } from './auth/invitations';

const admin: AdminActor = { id: 'admin-1', email: 'admin@so.vn', role: 'admin' };
const analyst: AdminActor = { id: 'an-1', email: 'an@so.vn', role: 'analyst' };
const ORIGIN = 'http://techcap.test';
let t: TestDb;
let db: Database;

beforeAll(async () => {
	t = await openMailTestDb();
	db = t.db;
	const now = new Date();
	await db.collection<EnterpriseDoc>(C.enterprises).insertOne({
		_id: 'ent-1',
		taxCode: '0100109106',
		name: 'Công ty Cơ khí Hà Nội',
		vsic: '2592',
		ward: 'hoan-kiem',
		ownership: 'private',
		employees: 40,
		createdAt: now,
		updatedAt: now
	});
});
afterAll(async () => t.cleanup());

async function refused(p: Promise<unknown>, code: InvitationAdminError['code'], field?: string) {
	const e = await p.then(
		() => null,
		(x: unknown) => x
	);
	expect(e).toBeInstanceOf(InvitationAdminError);
	expect((e as InvitationAdminError).code).toBe(code);
	if (field) expect((e as InvitationAdminError).field).toBe(field);
	return e as InvitationAdminError;
}

const tokenOf = (text: string) => /\/invite\/([A-Za-z0-9_-]+)/.exec(text)![1];

describe('inviteAccount', () => {
	test('an enterprise invitation by tax code is linked to the register entry and e-mailed', async () => {
		const r = await inviteAccount(
			db,
			admin,
			{ email: 'GiamDoc@cokhi.vn', role: 'enterprise', taxCode: ' 0100 109 106 ' },
			{ origin: ORIGIN }
		);
		expect(r.enterpriseName).toBe('Công ty Cơ khí Hà Nội');
		const inv = await db.collection<InvitationRecord>(C.invitations).findOne({ _id: r.invitationId });
		expect(inv?.enterpriseId).toBe('ent-1');
		const [mail] = await mailCollection(db).find({ template: 'account-invitation', to: 'giamdoc@cokhi.vn' });
		expect(mail.subject).toMatch(/TechCap/);
		expect(mail.text).toContain('Công ty Cơ khí Hà Nội');
		// The mailed link works and makes an account linked to the enterprise.
		const accepted = await acceptInvitation(db, tokenOf(mail.text), {
			name: 'Giám đốc',
			password: 'mat-khau-rat-dai-2027'
		});
		expect(accepted.ok).toBe(true);
		const user = await db.collection<UserDoc>(C.users).findOne({ email: 'giamdoc@cokhi.vn' });
		expect(user?.enterpriseId).toBe('ent-1');
		const audit = await db.collection<AuditDoc>(C.audit).find({ action: 'user.invite' });
		expect(audit.length).toBeGreaterThan(0);
	});

	test('a staff invitation is e-mailed in the chosen language', async () => {
		await inviteAccount(
			db,
			admin,
			{ email: 'analyst2@so.vn', role: 'analyst', locale: 'en' },
			{ origin: ORIGIN }
		);
		const [mail] = await mailCollection(db).find({ to: 'analyst2@so.vn' });
		expect(mail.locale).toBe('en');
		expect(mail.text).toContain('Analyst');
	});

	test('refused: a missing, malformed or unknown tax code (checksum hinted), with nothing created', async () => {
		const before = await db.collection(C.invitations).countDocuments({});
		const mailsBefore = await mailCollection(db).countDocuments({});
		await refused(
			inviteAccount(db, admin, { email: 'a@b.vn', role: 'enterprise' }, { origin: ORIGIN }),
			'invalid',
			'taxCode'
		);
		await refused(
			inviteAccount(db, admin, { email: 'a@b.vn', role: 'enterprise', taxCode: 'ABC' }, { origin: ORIGIN }),
			'invalid',
			'taxCode'
		);
		const e = await refused(
			inviteAccount(
				db,
				admin,
				{ email: 'a@b.vn', role: 'enterprise', taxCode: '0100109107' },
				{ origin: ORIGIN }
			),
			'not-found',
			'taxCode'
		);
		expect(e.text.vi).toMatch(/chữ số kiểm tra/);
		expect(e.text.en).toMatch(/not|No enterprise/);
		expect(await db.collection(C.invitations).countDocuments({})).toBe(before);
		expect(await mailCollection(db).countDocuments({})).toBe(mailsBefore);
	});

	test('refused: a bad e-mail, an e-mail of an account with a password, no role, a non-admin', async () => {
		await refused(
			inviteAccount(db, admin, { email: 'not-an-email', role: 'analyst' }, { origin: ORIGIN }),
			'invalid',
			'email'
		);
		await refused(
			inviteAccount(
				db,
				admin,
				{ email: 'giamdoc@cokhi.vn', role: 'enterprise', taxCode: '0100109106' },
				{ origin: ORIGIN }
			),
			'conflict'
		);
		await refused(
			inviteAccount(db, admin, { email: 'x@so.vn', role: 'boss' }, { origin: ORIGIN }),
			'invalid',
			'role'
		);
		await refused(
			inviteAccount(db, analyst, { email: 'x@so.vn', role: 'analyst' }, { origin: ORIGIN }),
			'forbidden'
		);
		await refused(
			inviteAccount(db, null, { email: 'x@so.vn', role: 'analyst' }, { origin: ORIGIN }),
			'forbidden'
		);
	});
});

describe('pending invitations: list, resend, revoke', () => {
	test('listed by state; resend replaces the link (old one dead, new one mailed); revoke kills it', async () => {
		const r = await inviteAccount(db, admin, { email: 'pm@so.vn', role: 'policymaker' }, { origin: ORIGIN });
		const firstMail = (await mailCollection(db).find({ to: 'pm@so.vn' }))[0];
		const pending = await listAccountInvitations(db, { state: 'pending', q: 'pm@' });
		expect(pending.rows.map((x) => x.id)).toContain(r.invitationId);
		expect(pending.rows[0].state).toBe('pending');

		const again = await resendInvitation(db, admin, r.invitationId, { origin: ORIGIN });
		expect(again.invitationId).not.toBe(r.invitationId);
		expect((await inspectInvitation(db, tokenOf(firstMail.text))).status).toBe('revoked');
		const mails = await mailCollection(db).find({ to: 'pm@so.vn' }, { sort: { createdAt: 1 } });
		expect(mails).toHaveLength(2);
		const newToken = tokenOf(mails[1].text);
		expect((await inspectInvitation(db, newToken)).status).toBe('valid');

		await revokeInvitation(db, admin, again.invitationId);
		const info = await inspectInvitation(db, newToken);
		expect(info.status).toBe('revoked');
		expect(info.message?.en).toMatch(/administrator revoked/);
		expect((await listAccountInvitations(db, { state: 'revoked', q: 'pm@' })).total).toBe(2);
		const audit = await db
			.collection<AuditDoc>(C.audit)
			.find({ action: { $in: ['user.invite.resend', 'user.invite.revoke'] } });
		expect(audit).toHaveLength(2);
	});

	test('refused: resend or revoke an accepted, revoked or unknown invitation; non-admins', async () => {
		const accepted = (await listAccountInvitations(db, { state: 'accepted' })).rows[0];
		await refused(resendInvitation(db, admin, accepted.id, { origin: ORIGIN }), 'state');
		await refused(revokeInvitation(db, admin, accepted.id), 'state');
		const revoked = (await listAccountInvitations(db, { state: 'revoked' })).rows[0];
		await refused(resendInvitation(db, admin, revoked.id, { origin: ORIGIN }), 'state');
		await refused(revokeInvitation(db, admin, revoked.id), 'state');
		for (const id of ['nope', 'f'.repeat(64), { $ne: null }]) {
			await refused(resendInvitation(db, admin, id, { origin: ORIGIN }), 'not-found');
			await refused(revokeInvitation(db, admin, id), 'not-found');
		}
		const r = await inviteAccount(db, admin, { email: 'later@so.vn', role: 'analyst' }, { origin: ORIGIN });
		await refused(revokeInvitation(db, analyst, r.invitationId), 'forbidden');
		await refused(resendInvitation(db, analyst, r.invitationId, { origin: ORIGIN }), 'forbidden');
	});

	test('an expired invitation is listed as expired and can be resent', async () => {
		const past = new Date(Date.now() - 30 * 86_400_000);
		const r = await inviteAccount(
			db,
			admin,
			{ email: 'old@so.vn', role: 'analyst' },
			{ origin: ORIGIN, now: () => past }
		);
		expect((await listAccountInvitations(db, { state: 'expired', q: 'old@' })).rows[0].id).toBe(
			r.invitationId
		);
		await resendInvitation(db, admin, r.invitationId, { origin: ORIGIN });
		expect((await listAccountInvitations(db, { state: 'pending', q: 'old@' })).total).toBe(1);
	});
});

describe('searchRegister (an enterprise invitation by name)', () => {
	test('"co khi" finds "Cơ khí" (tone marks and case ignored); a tax code prefix finds it too', async () => {
		const now = new Date();
		await db.collection<EnterpriseDoc>(C.enterprises).insertMany(
			['Công ty Dệt may Láng', 'Công ty CƠ KHÍ Đông Anh', 'Xưởng cơ khí chính xác'].map((name, i) => ({
				_id: `srch-${i}`,
				taxCode: `020000000${i}`,
				name,
				vsic: '2592',
				ward: 'lang',
				ownership: 'private' as const,
				createdAt: now,
				updatedAt: now
			}))
		);
		const r = await searchRegister(db, 'co khi');
		expect(r.matches.map((m) => m.name)).toEqual([
			'Công ty CƠ KHÍ Đông Anh',
			'Công ty Cơ khí Hà Nội',
			'Xưởng cơ khí chính xác'
		]);
		expect(r.total).toBe(3);
		expect((await searchRegister(db, 'lang det')).matches.map((m) => m.taxCode)).toEqual(['0200000000']);
		expect((await searchRegister(db, '010010')).matches.map((m) => m.name)).toEqual([
			'Công ty Cơ khí Hà Nội'
		]);
		const capped = await searchRegister(db, 'cong ty', 1);
		expect(capped.matches).toHaveLength(1);
		expect(capped.total).toBe(3);
	});

	test('too short, not text, or nothing matching: an empty list, never an error', async () => {
		for (const q of ['', ' c ', 42, null, { $ne: null }, 'khong co ten nay'])
			expect(await searchRegister(db, q)).toEqual({ matches: [], total: 0 });
	});
});
