/**
 * Administrators' invitations: an account invitation is always e-mailed through the mail
 * queue, an enterprise invitation always names a register entry (by tax code, which must exist),
 * and pending invitations can be listed, resent (a new link that replaces the old one) or revoked.
 * Built on `auth/invitations.ts`: one live link per e-mail and enterprise, never a password for an
 * account that has one.
 */
import type { Database } from './db/types';
import { C, ROLES, type EnterpriseDoc, type Role } from './db/schema';
import { recordAudit } from './audit';
import { createInvitation, invitationPath, type InvitationRecord } from './auth/invitations';
import { AuthInputError } from './auth/types';
import { enqueueMail, MailInputError, type MailLocale } from './mail';
import { parseTaxCode, registerEntryMatches, taxCodeChecksumValid } from '$lib/domain/enterprise';
import { t, type Bilingual } from '$lib/i18n';

export const ACCOUNT_INVITATION_DAYS = 14;

export class InvitationAdminError extends Error {
	constructor(
		readonly code: 'forbidden' | 'invalid' | 'not-found' | 'state' | 'conflict',
		readonly text: Bilingual,
		readonly field?: string
	) {
		super(text.en);
		this.name = 'InvitationAdminError';
	}
}

export interface AdminActor {
	id: string;
	email: string;
	role: Role;
}

function adminOnly(actor: AdminActor | null | undefined): AdminActor {
	if (actor?.role !== 'admin')
		throw new InvitationAdminError('forbidden', {
			vi: 'Chỉ quản trị viên được quản lý lời mời.',
			en: 'Only administrators may manage invitations.'
		});
	return actor;
}

/** The register entry an enterprise invitation is for, by tax code (it must exist). */
export async function enterpriseForInvitation(db: Database, rawTaxCode: unknown): Promise<EnterpriseDoc> {
	const parsed = parseTaxCode(typeof rawTaxCode === 'string' ? rawTaxCode : '');
	if (!parsed.ok)
		throw new InvitationAdminError(
			'invalid',
			typeof rawTaxCode === 'string' && rawTaxCode.trim()
				? parsed.error
				: {
						vi: 'Lời mời cho doanh nghiệp cần mã số thuế của doanh nghiệp trong danh bạ.',
						en: 'An enterprise invitation needs the tax code of an enterprise in the register.'
					},
			'taxCode'
		);
	const e = await db.collection<EnterpriseDoc>(C.enterprises).findOne({ taxCode: parsed.value });
	if (!e) {
		const checksum = taxCodeChecksumValid(parsed.value) === false;
		throw new InvitationAdminError(
			'not-found',
			{
				vi: `Không có doanh nghiệp nào với mã số thuế ${parsed.value} trong danh bạ${checksum ? ' (chữ số kiểm tra của mã này có vẻ sai: hãy kiểm tra lại)' : ''}. Hãy nhập doanh nghiệp vào danh bạ trước.`,
				en: `No enterprise with tax code ${parsed.value} in the register${checksum ? ' (its check digit looks wrong: please check it)' : ''}. Import the enterprise into the register first.`
			},
			'taxCode'
		);
	}
	return e;
}

export interface RegisterMatch {
	taxCode: string;
	name: string;
	ward: string;
	email: string | null;
}

/** Shortest query searched: one letter would list half the register. */
export const REGISTER_SEARCH_MIN = 2;

/**
 * Register entries an enterprise invitation may name, by name (tone marks and case ignored, words in
 * any order) or by the start of the tax code; at most `limit`, by name, and how many matched in all.
 * The register is read with a narrow projection and filtered here: accent-folding has no index on
 * either engine, and administrators search it a few times a day.
 */
export async function searchRegister(
	db: Database,
	rawQuery: unknown,
	limit = 20
): Promise<{ matches: RegisterMatch[]; total: number }> {
	const q = typeof rawQuery === 'string' ? rawQuery.trim().slice(0, 100) : '';
	if (q.length < REGISTER_SEARCH_MIN) return { matches: [], total: 0 };
	// A tax code's start is a range on its unique index; only a name needs the whole register.
	const byTaxCode = /^[\d-]+$/.test(q) ? { taxCode: { $gte: q, $lt: `${q}~` } } : {};
	const all = (
		await db
			.collection<EnterpriseDoc>(C.enterprises)
			.find(byTaxCode, { projection: { name: 1, taxCode: 1, ward: 1, email: 1 } })
	).filter((e) => registerEntryMatches(e, q));
	all.sort((a, b) => a.name.localeCompare(b.name, 'vi') || a.taxCode.localeCompare(b.taxCode));
	return {
		total: all.length,
		matches: all.slice(0, limit).map((e) => ({
			taxCode: e.taxCode,
			name: e.name,
			ward: e.ward ?? '',
			email: e.email ?? null
		}))
	};
}

function roleName(role: Role, locale: MailLocale): string {
	return t(locale, `role.${role}`);
}

async function sendInvitationMail(
	db: Database,
	inv: { email: string; role: Role; enterpriseId?: string; token: string; expiresAt: Date },
	locale: MailLocale,
	origin: string
): Promise<void> {
	const enterprise = inv.enterpriseId
		? await db.collection<EnterpriseDoc>(C.enterprises).findOne({ _id: inv.enterpriseId })
		: null;
	await enqueueMail(db, {
		to: inv.email,
		locale,
		template: 'account-invitation',
		params: {
			roleName: roleName(inv.role, locale),
			...(enterprise ? { enterpriseName: enterprise.name } : {}),
			link: `${origin}${invitationPath(inv.token)}`,
			expiresAt: inv.expiresAt
		},
		...(inv.enterpriseId ? { enterpriseId: inv.enterpriseId } : {})
	});
}

function asInputError(e: unknown): never {
	if (e instanceof AuthInputError)
		throw new InvitationAdminError(
			e.reason === 'conflict' ? 'conflict' : 'invalid',
			e.text,
			e.field === 'enterpriseId' ? 'taxCode' : e.field
		);
	if (e instanceof MailInputError) throw new InvitationAdminError('invalid', e.text, 'email');
	throw e;
}

export interface InviteAccountInput {
	email: unknown;
	role: unknown;
	/** Enterprise accounts: the register entry's tax code. */
	taxCode?: unknown;
	/** Language of the e-mail. */
	locale?: MailLocale;
}

/**
 * Invites someone to create an account and e-mails the link (mail queue). Enterprise invitations
 * name an existing register entry by tax code. Audited as `user.invite`.
 */
export async function inviteAccount(
	db: Database,
	actor: AdminActor | null | undefined,
	input: InviteAccountInput,
	opts: { origin: string; now?: () => Date }
): Promise<{
	invitationId: string;
	email: string;
	expiresAt: Date;
	enterpriseName: string | null;
	/** The mailed link's path, for an administrator who must pass it on another way. */
	path: string;
}> {
	const who = adminOnly(actor);
	const role =
		typeof input.role === 'string' && (ROLES as readonly string[]).includes(input.role)
			? (input.role as Role)
			: null;
	if (!role)
		throw new InvitationAdminError('invalid', { vi: 'Hãy chọn vai trò.', en: 'Choose a role.' }, 'role');
	const enterprise = role === 'enterprise' ? await enterpriseForInvitation(db, input.taxCode) : null;
	const locale: MailLocale = input.locale === 'en' ? 'en' : 'vi';
	let created;
	try {
		created = await createInvitation(
			db,
			{
				email: typeof input.email === 'string' ? input.email : '',
				role,
				enterpriseId: enterprise?._id,
				createdBy: who.id,
				ttlDays: ACCOUNT_INVITATION_DAYS
			},
			opts.now ? { now: opts.now } : {}
		);
	} catch (e) {
		asInputError(e);
	}
	const inv = await db.collection<InvitationRecord>(C.invitations).findOne({ _id: created.invitationId });
	const email = inv!.email;
	try {
		await sendInvitationMail(
			db,
			{ email, role, enterpriseId: enterprise?._id, token: created.token, expiresAt: created.expiresAt },
			locale,
			opts.origin
		);
	} catch (e) {
		// Nothing half-done: an invitation nobody was told about is withdrawn.
		await db
			.collection<InvitationRecord>(C.invitations)
			.updateOne(
				{ _id: created.invitationId },
				{ $set: { revokedAt: new Date(), revokedReason: 'revoked' } }
			);
		asInputError(e);
	}
	await recordAudit(db, {
		actor: who,
		action: 'user.invite',
		target: `invitations/${created.invitationId}`,
		after: { email, role, enterpriseId: enterprise?._id ?? null, expiresAt: created.expiresAt, mailed: true }
	});
	return {
		invitationId: created.invitationId,
		email,
		expiresAt: created.expiresAt,
		enterpriseName: enterprise?.name ?? null,
		path: invitationPath(created.token)
	};
}

export type InvitationState = 'pending' | 'accepted' | 'expired' | 'revoked';
export const INVITATION_STATES: readonly InvitationState[] = ['pending', 'accepted', 'expired', 'revoked'];

export function invitationState(inv: InvitationRecord, now: Date = new Date()): InvitationState {
	if (inv.usedAt) return 'accepted';
	if (inv.revokedAt) return 'revoked';
	if (+inv.expiresAt <= +now) return 'expired';
	return 'pending';
}

export interface InvitationRow {
	id: string;
	email: string;
	role: Role;
	enterpriseName: string | null;
	taxCode: string | null;
	campaignId: string | null;
	state: InvitationState;
	revokedReason: InvitationRecord['revokedReason'] | null;
	createdAt: Date;
	expiresAt: Date;
	openedAt: Date | null;
}

export const INVITATIONS_PAGE_SIZE = 50;

/**
 * Invitations (not password resets), newest first, filtered by state and e-mail/enterprise text,
 * a page at a time. `page` is already validated (a positive integer).
 */
export async function listAccountInvitations(
	db: Database,
	filter: { state?: InvitationState; q?: string; page?: number },
	now: Date = new Date()
): Promise<{ rows: InvitationRow[]; total: number; page: number; pages: number }> {
	const query: Record<string, unknown> = { purpose: { $ne: 'reset' } };
	if (filter.state === 'accepted') query.usedAt = { $ne: null };
	else if (filter.state === 'revoked') Object.assign(query, { usedAt: null, revokedAt: { $ne: null } });
	else if (filter.state === 'pending')
		Object.assign(query, { usedAt: null, revokedAt: null, expiresAt: { $gt: now } });
	else if (filter.state === 'expired')
		Object.assign(query, { usedAt: null, revokedAt: null, expiresAt: { $lte: now } });
	const all = await db
		.collection<InvitationRecord>(C.invitations)
		.find(query, { sort: { createdAt: -1 }, limit: 5000 });
	const enterprises = new Map(
		(
			await db
				.collection<EnterpriseDoc>(C.enterprises)
				.find(
					{ _id: { $in: [...new Set(all.map((i) => i.enterpriseId).filter((x): x is string => !!x))] } },
					{ projection: { name: 1, taxCode: 1 } }
				)
		).map((e) => [e._id, e])
	);
	const q = filter.q?.trim().toLocaleLowerCase('vi') ?? '';
	const rows = all
		.map((i): InvitationRow => {
			const e = i.enterpriseId ? enterprises.get(i.enterpriseId) : undefined;
			return {
				id: i._id,
				email: i.email,
				role: i.role,
				enterpriseName: e?.name ?? null,
				taxCode: e?.taxCode ?? null,
				campaignId: i.campaignId ?? null,
				state: invitationState(i, now),
				revokedReason: i.revokedReason ?? null,
				createdAt: i.createdAt,
				expiresAt: i.expiresAt,
				openedAt: i.openedAt ?? null
			};
		})
		.filter(
			(r) =>
				!q ||
				r.email.includes(q) ||
				(r.enterpriseName?.toLocaleLowerCase('vi').includes(q) ?? false) ||
				(r.taxCode?.includes(q) ?? false)
		);
	const pages = Math.max(1, Math.ceil(rows.length / INVITATIONS_PAGE_SIZE));
	const page = Math.min(Math.max(1, filter.page ?? 1), pages);
	return {
		rows: rows.slice((page - 1) * INVITATIONS_PAGE_SIZE, page * INVITATIONS_PAGE_SIZE),
		total: rows.length,
		page,
		pages
	};
}

async function loadInvitation(db: Database, id: unknown): Promise<InvitationRecord> {
	const inv =
		typeof id === 'string' && /^[0-9a-f]{64}$/.test(id)
			? await db.collection<InvitationRecord>(C.invitations).findOne({ _id: id })
			: null;
	if (!inv || inv.purpose === 'reset')
		throw new InvitationAdminError('not-found', {
			vi: 'Không tìm thấy lời mời.',
			en: 'Invitation not found.'
		});
	return inv;
}

/**
 * Sends a pending or expired invitation again: a new link (the old one stops working) e-mailed
 * through the queue. Refused for accepted or revoked invitations, and for an enterprise that left
 * the register. Audited as `user.invite.resend`.
 */
export async function resendInvitation(
	db: Database,
	actor: AdminActor | null | undefined,
	id: unknown,
	opts: { origin: string; locale?: MailLocale; now?: () => Date }
): Promise<{ invitationId: string; email: string }> {
	const who = adminOnly(actor);
	const inv = await loadInvitation(db, id);
	const now = (opts.now ?? (() => new Date()))();
	const state = invitationState(inv, now);
	if (state === 'accepted' || state === 'revoked')
		throw new InvitationAdminError('state', {
			vi:
				state === 'accepted'
					? 'Lời mời đã được chấp nhận: tài khoản đã có, không cần gửi lại.'
					: 'Lời mời đã bị thu hồi hoặc thay thế: hãy tạo lời mời mới.',
			en:
				state === 'accepted'
					? 'The invitation was accepted: the account exists, nothing to resend.'
					: 'The invitation was revoked or replaced: create a new one.'
		});
	if (inv.enterpriseId) {
		const e = await db.collection<EnterpriseDoc>(C.enterprises).findOne({ _id: inv.enterpriseId });
		if (!e)
			throw new InvitationAdminError('state', {
				vi: 'Doanh nghiệp của lời mời không còn trong danh bạ.',
				en: "The invitation's enterprise is no longer in the register."
			});
	}
	let created;
	try {
		created = await createInvitation(
			db,
			{
				email: inv.email,
				role: inv.role,
				enterpriseId: inv.enterpriseId,
				campaignId: inv.campaignId,
				createdBy: who.id,
				ttlDays: ACCOUNT_INVITATION_DAYS
			},
			{ now: () => now }
		);
	} catch (e) {
		asInputError(e);
	}
	await sendInvitationMail(
		db,
		{
			email: inv.email,
			role: inv.role,
			enterpriseId: inv.enterpriseId,
			token: created.token,
			expiresAt: created.expiresAt
		},
		opts.locale ?? 'vi',
		opts.origin
	);
	await recordAudit(db, {
		actor: who,
		action: 'user.invite.resend',
		target: `invitations/${created.invitationId}`,
		before: { invitationId: inv._id, state },
		after: { email: inv.email, role: inv.role, expiresAt: created.expiresAt }
	});
	return { invitationId: created.invitationId, email: inv.email };
}

/** Revokes a pending invitation: its link stops working at once. Audited as `user.invite.revoke`. */
export async function revokeInvitation(
	db: Database,
	actor: AdminActor | null | undefined,
	id: unknown,
	opts: { now?: () => Date } = {}
): Promise<void> {
	const who = adminOnly(actor);
	const inv = await loadInvitation(db, id);
	const now = (opts.now ?? (() => new Date()))();
	const state = invitationState(inv, now);
	if (state !== 'pending' && state !== 'expired')
		throw new InvitationAdminError('state', {
			vi: 'Chỉ thu hồi được lời mời chưa được dùng.',
			en: 'Only an unused invitation can be revoked.'
		});
	const r = await db
		.collection<InvitationRecord>(C.invitations)
		.updateOne(
			{ _id: inv._id, usedAt: null, revokedAt: null },
			{ $set: { revokedAt: now, revokedReason: 'revoked' } }
		);
	if (r.modifiedCount !== 1)
		throw new InvitationAdminError('conflict', {
			vi: 'Lời mời vừa được dùng hoặc thay đổi; hãy tải lại trang.',
			en: 'The invitation was used or changed meanwhile; reload the page.'
		});
	await recordAudit(db, {
		actor: who,
		action: 'user.invite.revoke',
		target: `invitations/${inv._id}`,
		before: { email: inv.email, role: inv.role, state },
		after: { revokedAt: now }
	});
}
