/**
 * Invitation links: how enterprises (and staff) get accounts. The link carries a 256-bit random
 * token; the database stores only its SHA-256 as `_id`. Each link is single use and expires.
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

function invitations(db: Database) {
	return db.collection<InvitationDoc>(C.invitations);
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
 * Creates a single-use invitation. Throws AuthInputError on bad input, or 'conflict' when the
 * email already belongs to an account with another role or enterprise (an invitation must not
 * quietly move an account).
 */
export async function createInvitation(
	db: Database,
	input: CreateInvitationInput,
	opts: Clock = {}
): Promise<NewInvitation> {
	const email = assertEmail(input.email);
	const enterpriseId = input.enterpriseId?.trim() || undefined;
	assertRoleEnterprise(input.role, enterpriseId);
	const ttlDays = input.ttlDays ?? 14;
	if (!Number.isFinite(ttlDays) || ttlDays < 1 || ttlDays > 365)
		throw new AuthInputError('invalid', MSG.invitationDays, 'ttlDays');

	const existing = await db.collection<UserDoc>(C.users).findOne({ email });
	if (existing && (existing.role !== input.role || existing.enterpriseId !== enterpriseId))
		throw new AuthInputError('conflict', MSG.invitationConflict, 'email');

	const now = clockOf(opts)();
	const token = newToken();
	const doc: InvitationDoc = {
		_id: hashToken(token),
		email,
		role: input.role,
		createdBy: input.createdBy ?? null,
		createdAt: now,
		expiresAt: new Date(now.getTime() + ttlDays * DAY_MS),
		usedAt: null,
		openedAt: null
	};
	if (enterpriseId) doc.enterpriseId = enterpriseId;
	if (input.campaignId) doc.campaignId = input.campaignId;
	await invitations(db).insertOne(doc);
	return { token, invitationId: doc._id, expiresAt: doc.expiresAt };
}

export type InvitationStatus = 'valid' | 'expired' | 'used' | 'unknown';

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

function describe(inv: InvitationDoc, now: Date): InvitationInfo {
	const base = {
		email: inv.email,
		role: inv.role,
		enterpriseId: inv.enterpriseId,
		campaignId: inv.campaignId,
		expiresAt: inv.expiresAt
	};
	if (inv.usedAt) return { status: 'used', ...base, message: MSG.invitationUsed };
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
	if (!inv) return { status: 'unknown', message: MSG.invitationUnknown };
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

export type AcceptFailure = Failure<'unknown' | 'expired' | 'used' | 'invalid' | 'conflict' | 'disabled'>;

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
	if (!inv) return { ok: false, reason: 'unknown', message: MSG.invitationUnknown };
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

	// Hash before claiming so the claim-to-write gap is short.
	const passwordHash = await hashPassword(input.password);

	const now = clock();
	const claimed = await invitations(db).findOneAndUpdate(
		{ _id: id, usedAt: null, expiresAt: { $gt: now } },
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
			user = await users.findOneAndUpdate(
				{ _id: existing._id },
				{ $set: { passwordHash, name, updatedAt: now } },
				{ returnDocument: 'after' }
			);
			// Whoever held the old password (or its sessions) is signed out.
			await invalidateUserSessions(db, existing._id);
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
		return { ok: false, reason: 'conflict', message: MSG.userNotFound };
	}

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
