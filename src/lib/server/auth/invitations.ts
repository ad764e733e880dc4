/**
 * Invitation links: how enterprises (and staff) get accounts. The link carries a 256-bit random
 * token; the database stores only its SHA-256 as `_id`. Each link is single use and expires
 * (7 days unless the sender says otherwise).
 *
 * One live link per e-mail and per enterprise: a new invitation revokes the pending ones, and so
 * does accepting one. A link never sets the password of an account that already has one: that
 * would let a spare or leaked link take over an active account (a forgotten password is a reset,
 * with its own flow). Documents written before `revokedAt` existed read as not revoked.
 */
import type { Database } from '../db/types';
import { isDuplicateKeyError } from '../db/types';
import { C, type InvitationDoc, type Role, type UserDoc } from '../db/schema';
import { MSG } from './messages';
import { hashPassword } from './password';
import { createSession, invalidateUserSessions } from './sessions';
import { hashToken, isWellFormedToken, newToken } from './tokens';
import {
	AuthInputError,
	clockOf,
	toPublicUser,
	type AuthLocale,
	type Clock,
	type Failure,
	type PublicUser
} from './types';
import { assertEmail, assertLocale, assertName, assertPasswordPolicy, assertRoleEnterprise } from './users';

const DAY_MS = 86_400_000;
export const DEFAULT_INVITATION_DAYS = 7;

/** An invitation as stored now: `revokedAt` is set when a newer link, an acceptance or an account made it moot. */
export type InvitationRecord = InvitationDoc & {
	/** 'reset': a password reset link (reset.ts), never accepted as an invitation. */
	purpose?: 'reset';
	revokedAt?: Date | null;
	/** 'revoked': withdrawn by an administrator. */
	revokedReason?: 'replaced' | 'accepted' | 'account-exists' | 'revoked';
};

function invitations(db: Database) {
	return db.collection<InvitationRecord>(C.invitations);
}

/** Pending: neither used nor revoked (a missing `revokedAt` matches `null`, as in MongoDB). */
const PENDING = { usedAt: null, revokedAt: null } as const;

/**
 * Revokes the pending invitations for `email` (and, when given, for `enterpriseId`), except `keep`.
 * Returns how many were revoked.
 */
export async function revokePendingInvitations(
	db: Database,
	target: { email: string; enterpriseId?: string },
	reason: NonNullable<InvitationRecord['revokedReason']>,
	opts: Clock & { keep?: string } = {}
): Promise<number> {
	const now = clockOf(opts)();
	const who: Record<string, unknown>[] = [{ email: target.email }];
	if (target.enterpriseId) who.push({ enterpriseId: target.enterpriseId });
	const filter: Record<string, unknown> = { ...PENDING, purpose: { $ne: 'reset' }, $or: who };
	if (opts.keep) filter._id = { $ne: opts.keep };
	const pending = await invitations(db).find(filter, { projection: { _id: 1 } });
	let n = 0;
	for (const p of pending) {
		const r = await invitations(db).updateOne(
			{ _id: p._id, ...PENDING },
			{ $set: { revokedAt: now, revokedReason: reason } }
		);
		n += r.modifiedCount;
	}
	return n;
}

export interface CreateInvitationInput {
	email: string;
	role: Role;
	enterpriseId?: string;
	campaignId?: string;
	/** The admin or analyst sending it; null for the CLI. */
	createdBy: string | null;
	ttlDays?: number;
}

export interface NewInvitation {
	/** Goes in the link `/invite/<token>`. Shown once, never stored. */
	token: string;
	invitationId: string;
	expiresAt: Date;
}

/** The path of the page that accepts a token; prefix with ORIGIN for an absolute link. */
export function invitationPath(token: string): string {
	return `/invite/${token}`;
}

/**
 * Creates a single-use invitation and revokes the pending ones for the same e-mail or enterprise,
 * so at most one link is live (a reminder that needs a link replaces the old one rather than adding
 * another). Throws AuthInputError on bad input; 'conflict' when the email belongs to an account
 * with another role or enterprise (an invitation must not quietly move an account), or to an
 * account that already has a password (an invitation would be a way to take it over).
 */
export async function createInvitation(
	db: Database,
	input: CreateInvitationInput,
	opts: Clock = {}
): Promise<NewInvitation> {
	const email = assertEmail(input.email);
	const enterpriseId = input.enterpriseId?.trim() || undefined;
	assertRoleEnterprise(input.role, enterpriseId);
	const ttlDays = input.ttlDays ?? DEFAULT_INVITATION_DAYS;
	if (!Number.isFinite(ttlDays) || ttlDays < 1 || ttlDays > 365)
		throw new AuthInputError('invalid', MSG.invitationDays, 'ttlDays');

	const existing = await db.collection<UserDoc>(C.users).findOne({ email });
	if (existing && (existing.role !== input.role || existing.enterpriseId !== enterpriseId))
		throw new AuthInputError('conflict', MSG.invitationConflict, 'email');
	if (existing?.passwordHash) throw new AuthInputError('conflict', MSG.invitationAccountExists, 'email');

	const now = clockOf(opts)();
	const token = newToken();
	const doc: InvitationRecord = {
		_id: hashToken(token),
		email,
		role: input.role,
		createdBy: input.createdBy ?? null,
		createdAt: now,
		expiresAt: new Date(now.getTime() + ttlDays * DAY_MS),
		usedAt: null,
		openedAt: null,
		revokedAt: null
	};
	if (enterpriseId) doc.enterpriseId = enterpriseId;
	if (input.campaignId) doc.campaignId = input.campaignId;
	await invitations(db).insertOne(doc);
	await revokePendingInvitations(db, { email, enterpriseId }, 'replaced', { now: () => now, keep: doc._id });
	return { token, invitationId: doc._id, expiresAt: doc.expiresAt };
}

export type InvitationStatus = 'valid' | 'expired' | 'used' | 'revoked' | 'unknown';

export interface InvitationInfo {
	status: InvitationStatus;
	email?: string;
	role?: Role;
	enterpriseId?: string;
	campaignId?: string;
	expiresAt?: Date;
	/** Bilingual explanation for every status except 'valid'. */
	message?: { vi: string; en: string };
}

function describe(inv: InvitationRecord, now: Date): InvitationInfo {
	const base = {
		email: inv.email,
		role: inv.role,
		enterpriseId: inv.enterpriseId,
		campaignId: inv.campaignId,
		expiresAt: inv.expiresAt
	};
	if (inv.usedAt) return { status: 'used', ...base, message: MSG.invitationUsed };
	if (inv.revokedAt)
		return {
			status: 'revoked',
			...base,
			message:
				inv.revokedReason === 'replaced'
					? MSG.invitationReplaced
					: inv.revokedReason === 'revoked'
						? MSG.invitationRevoked
						: MSG.invitationAccountExists
		};
	if (inv.expiresAt.getTime() <= now.getTime())
		return { status: 'expired', ...base, message: MSG.invitationExpired };
	return { status: 'valid', ...base };
}

/**
 * What the invitation page shows before the user sets a password. Records the first opening
 * of a valid link (`openedAt`) for campaign response tracking.
 */
export async function inspectInvitation(
	db: Database,
	token: string,
	opts: Clock = {}
): Promise<InvitationInfo> {
	if (!isWellFormedToken(token)) return { status: 'unknown', message: MSG.invitationUnknown };
	const now = clockOf(opts)();
	const id = hashToken(token);
	const inv = await invitations(db).findOne({ _id: id });
	if (!inv || inv.purpose === 'reset') return { status: 'unknown', message: MSG.invitationUnknown };
	const info = describe(inv, now);
	if (info.status === 'valid' && !inv.openedAt) {
		// `openedAt: null` in the filter: the first opening wins, later ones do not overwrite it.
		await invitations(db).updateOne({ _id: id, openedAt: null }, { $set: { openedAt: now } });
	}
	return info;
}

export interface AcceptInvitationInput {
	password: string;
	name: string;
	locale?: AuthLocale;
	userAgent?: string;
}

export interface AcceptedInvitation {
	ok: true;
	user: PublicUser;
	/** True when the invitation created the account, false when it set an existing account's password. */
	created: boolean;
	/** A session for the new user, so the page can sign them in straight away. */
	token: string;
	expiresAt: Date;
	campaignId?: string;
}

export type AcceptFailure = Failure<
	'unknown' | 'expired' | 'used' | 'revoked' | 'invalid' | 'conflict' | 'disabled' | 'account-exists'
>;

function statusFailure(info: InvitationInfo): AcceptFailure {
	const reason = info.status === 'valid' ? 'used' : info.status;
	return { ok: false, reason, message: info.message ?? MSG.invitationUsed };
}

/**
 * Sets the password through an invitation. The invitation is claimed with one atomic
 * findOneAndUpdate (`usedAt: null` in the filter), so two simultaneous submissions produce one
 * account and the second is told the link was used.
 */
export async function acceptInvitation(
	db: Database,
	token: string,
	input: AcceptInvitationInput,
	opts: Clock = {}
): Promise<AcceptedInvitation | AcceptFailure> {
	const clock = clockOf(opts);
	if (!isWellFormedToken(token)) return { ok: false, reason: 'unknown', message: MSG.invitationUnknown };
	const id = hashToken(token);
	const inv = await invitations(db).findOne({ _id: id });
	if (!inv || inv.purpose === 'reset')
		return { ok: false, reason: 'unknown', message: MSG.invitationUnknown };
	const info = describe(inv, clock());
	if (info.status !== 'valid') return statusFailure(info);

	let name: string;
	let locale: AuthLocale;
	try {
		name = assertName(input.name);
		assertPasswordPolicy(input.password, inv.email);
		locale = assertLocale(input.locale);
	} catch (e) {
		if (e instanceof AuthInputError) return { ok: false, reason: 'invalid', field: e.field, message: e.text };
		throw e;
	}

	const users = db.collection<UserDoc>(C.users);
	const existing = await users.findOne({ email: inv.email });
	if (existing && (existing.role !== inv.role || existing.enterpriseId !== inv.enterpriseId))
		return { ok: false, reason: 'conflict', message: MSG.invitationConflict };
	// A disabled account stays disabled: an old link must not bring it back.
	if (existing?.disabled) return { ok: false, reason: 'disabled', message: MSG.disabled };
	// An account with a password is taken: this link (and any other spare one) is dead.
	if (existing?.passwordHash) {
		await revokePendingInvitations(db, { email: inv.email }, 'account-exists', { now: clock });
		return { ok: false, reason: 'account-exists', message: MSG.invitationAccountExists };
	}

	// Hash before claiming so the claim-to-write gap is short.
	const passwordHash = await hashPassword(input.password);

	const now = clock();
	const claimed = await invitations(db).findOneAndUpdate(
		{ _id: id, ...PENDING, expiresAt: { $gt: now } },
		{ $set: { usedAt: now } },
		{ returnDocument: 'after' }
	);
	if (!claimed) {
		const again = await invitations(db).findOne({ _id: id });
		return again
			? statusFailure(describe(again, now))
			: { ok: false, reason: 'unknown', message: MSG.invitationUnknown };
	}

	let user: UserDoc | null;
	let created = false;
	try {
		if (existing) {
			// Only a pending account (no password yet): two links racing for it set one password.
			user = await users.findOneAndUpdate(
				{ _id: existing._id, passwordHash: null, disabled: false },
				{ $set: { passwordHash, name, updatedAt: now } },
				{ returnDocument: 'after' }
			);
			// A pending account has no sessions of its own; any left from an earlier life end here.
			if (user) await invalidateUserSessions(db, existing._id);
		} else {
			const doc: Omit<UserDoc, '_id'> = {
				email: inv.email,
				name,
				role: inv.role,
				passwordHash,
				locale,
				disabled: false,
				createdAt: now,
				updatedAt: now
			};
			if (inv.enterpriseId) doc.enterpriseId = inv.enterpriseId;
			const { insertedId } = await users.insertOne(doc);
			user = { ...doc, _id: insertedId };
			created = true;
		}
	} catch (e) {
		// Release the claim so the link still works once the problem is fixed.
		await invitations(db).updateOne({ _id: id, usedAt: now }, { $set: { usedAt: null } });
		if (isDuplicateKeyError(e)) return { ok: false, reason: 'conflict', message: MSG.emailTaken };
		throw e;
	}
	if (!user) {
		await invitations(db).updateOne({ _id: id, usedAt: now }, { $set: { usedAt: null } });
		return { ok: false, reason: 'account-exists', message: MSG.invitationAccountExists };
	}
	// This link made the account: every other pending link for the e-mail or enterprise is dead.
	await revokePendingInvitations(db, { email: inv.email, enterpriseId: inv.enterpriseId }, 'accepted', {
		now: clock,
		keep: id
	});

	const session = await createSession(db, user._id, { now: clock, userAgent: input.userAgent });
	const result: AcceptedInvitation = {
		ok: true,
		user: toPublicUser(user),
		created,
		token: session.token,
		expiresAt: session.expiresAt
	};
	if (inv.campaignId) result.campaignId = inv.campaignId;
	return result;
}
