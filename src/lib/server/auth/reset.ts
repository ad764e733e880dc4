/**
 * Password reset by e-mail: the owner's way in when they forgot the password, or while someone
 * else's failures slow their account down. Its own flow, not an invitation's: only for an active
 * account that has a password, a one-time link sent to the account's own address, valid
 * {@link RESET_MINUTES} minutes, the newest link the only live one. Setting the new password ends
 * every session of the account and signs the owner in.
 *
 * Links live in the invitations collection (`purpose: 'reset'`, token hashed as `_id`), which the
 * invitation flow ignores, and vice versa. Asking always gets the same answer, so the form does
 * not tell which e-mails have accounts; asking is throttled per client and per address.
 */
import { recordAudit } from '../audit';
import { C, type UserDoc } from '../db/schema';
import type { Database } from '../db/types';
import { enqueueMail } from '../mail';
import type { InvitationRecord } from './invitations';
import { MSG } from './messages';
import { hashPassword } from './password';
import { createSession, invalidateUserSessions } from './sessions';
import { accountKey, reserveAttempt, resetThrottle, type ThrottleRule } from './throttle';
import { hashToken, isWellFormedToken, newToken } from './tokens';
import { AuthInputError, clockOf, toPublicUser, type Clock, type Failure, type PublicUser } from './types';
import { assertPasswordPolicy, normaliseEmail } from './users';

export const RESET_MINUTES = 30;
/** Requests per client address. */
export const RESET_IP_RULE: ThrottleRule = { maxFailures: 10, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
/** Requests per e-mail address: a mailbox is not flooded. */
export const RESET_EMAIL_RULE: ThrottleRule = {
	maxFailures: 3,
	windowSeconds: 60 * 60,
	lockSeconds: 60 * 60
};

type ResetRecord = InvitationRecord & { purpose: 'reset'; userId: string };

function links(db: Database) {
	return db.collection<ResetRecord>(C.invitations);
}

export function resetPath(token: string): string {
	return `/reset/${token}`;
}

export type ResetRequestResult = { ok: true } | Failure<'throttled' | 'invalid'>;

/**
 * Queues a reset e-mail when `email` belongs to an active account with a password; answers the
 * same otherwise. `origin` makes the absolute link.
 */
export async function requestPasswordReset(
	db: Database,
	input: { email: string; ip: string; origin: string },
	opts: Clock = {}
): Promise<ResetRequestResult> {
	const clock = clockOf(opts);
	const email = normaliseEmail(input.email);
	if (!email || email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email))
		return { ok: false, reason: 'invalid', field: 'email', message: MSG.emailInvalid };
	for (const [key, rule] of [
		[`reset-ip:${input.ip || 'unknown'}`, RESET_IP_RULE],
		[`reset:${email}`, RESET_EMAIL_RULE]
	] as const) {
		const r = await reserveAttempt(db, key, rule, { now: clock });
		if (!r.ok)
			return {
				ok: false,
				reason: 'throttled',
				retryAfterSeconds: r.retryAfterSeconds,
				message: MSG.resetThrottled
			};
	}
	const user = await db.collection<UserDoc>(C.users).findOne({ email });
	if (!user || user.disabled || !user.passwordHash) return { ok: true };

	const now = clock();
	// The newest link is the only live one.
	await links(db).updateMany(
		{ email, purpose: 'reset', usedAt: null, revokedAt: null },
		{ $set: { revokedAt: now, revokedReason: 'replaced' } }
	);
	const token = newToken();
	const doc: ResetRecord = {
		_id: hashToken(token),
		purpose: 'reset',
		userId: user._id,
		email,
		role: user.role,
		createdBy: null,
		createdAt: now,
		expiresAt: new Date(now.getTime() + RESET_MINUTES * 60_000),
		usedAt: null,
		openedAt: null,
		revokedAt: null
	};
	await links(db).insertOne(doc);
	await enqueueMail(
		db,
		{
			to: email,
			locale: user.locale,
			template: 'password-reset',
			params: { name: user.name, link: `${input.origin}${resetPath(token)}`, minutes: RESET_MINUTES }
		},
		{ now: clock }
	);
	await recordAudit(db, {
		actor: { id: user._id, email },
		action: 'password.reset-request',
		target: `users/${user._id}`,
		after: { expiresAt: doc.expiresAt },
		ip: input.ip
	});
	return { ok: true };
}

export type ResetStatus = 'valid' | 'expired' | 'used' | 'revoked' | 'unknown';

async function findLink(db: Database, token: string): Promise<ResetRecord | null> {
	if (!isWellFormedToken(token)) return null;
	const doc = await links(db).findOne({ _id: hashToken(token) });
	// An invitation token is not a reset link (and a reset token is not an invitation).
	return doc?.purpose === 'reset' ? doc : null;
}

function statusOf(doc: ResetRecord | null, now: Date): ResetStatus {
	if (!doc) return 'unknown';
	if (doc.usedAt) return 'used';
	if (doc.revokedAt) return 'revoked';
	if (doc.expiresAt.getTime() <= now.getTime()) return 'expired';
	return 'valid';
}

const STATUS_MESSAGE = {
	unknown: MSG.resetInvalid,
	expired: MSG.resetInvalid,
	used: MSG.resetInvalid,
	revoked: MSG.resetInvalid
} as const;

export async function inspectPasswordReset(
	db: Database,
	token: string,
	opts: Clock = {}
): Promise<{ status: ResetStatus; email?: string }> {
	const doc = await findLink(db, token);
	const status = statusOf(doc, clockOf(opts)());
	return status === 'valid' ? { status, email: doc!.email } : { status };
}

export interface CompletedReset {
	ok: true;
	user: PublicUser;
	/** A session for the owner (every other session ended). */
	token: string;
	expiresAt: Date;
}

/** Sets the new password through a valid link, once (the link is claimed atomically). */
export async function completePasswordReset(
	db: Database,
	token: string,
	input: { password: string; userAgent?: string; ip?: string },
	opts: Clock = {}
): Promise<CompletedReset | Failure<ResetStatus | 'invalid' | 'disabled'>> {
	const clock = clockOf(opts);
	const doc = await findLink(db, token);
	const status = statusOf(doc, clock());
	if (!doc || status !== 'valid')
		return { ok: false, reason: status, message: STATUS_MESSAGE[status as keyof typeof STATUS_MESSAGE] };
	try {
		assertPasswordPolicy(input.password, doc.email);
	} catch (e) {
		if (e instanceof AuthInputError) return { ok: false, reason: 'invalid', field: e.field, message: e.text };
		throw e;
	}
	const users = db.collection<UserDoc>(C.users);
	const user = await users.findOne({ _id: doc.userId });
	if (!user || user.disabled || user.email !== doc.email)
		return { ok: false, reason: 'disabled', message: MSG.disabled };
	const passwordHash = await hashPassword(input.password);
	const now = clock();
	const claimed = await links(db).findOneAndUpdate(
		{ _id: doc._id, purpose: 'reset', usedAt: null, revokedAt: null, expiresAt: { $gt: now } },
		{ $set: { usedAt: now } },
		{ returnDocument: 'after' }
	);
	if (!claimed) return { ok: false, reason: 'used', message: MSG.resetInvalid };
	const updated = await users.findOneAndUpdate(
		{ _id: user._id },
		{ $set: { passwordHash, updatedAt: now } },
		{ returnDocument: 'after' }
	);
	await invalidateUserSessions(db, user._id);
	// The owner proved they hold the mailbox: the account's cross-client delay starts over.
	await resetThrottle(db, accountKey(user.email));
	const session = await createSession(db, user._id, { now: clock, userAgent: input.userAgent });
	await recordAudit(db, {
		actor: { id: user._id, email: user.email },
		action: 'password.reset',
		target: `users/${user._id}`,
		ip: input.ip
	});
	return {
		ok: true,
		user: toPublicUser(updated ?? user),
		token: session.token,
		expiresAt: session.expiresAt
	};
}
