/**
 * Sign-in: throttling, constant-time password check, session creation.
 */
import type { Database } from '../db/types';
import { C, type UserDoc } from '../db/schema';
import { MSG } from './messages';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './password';
import { createSession } from './sessions';
import {
	ACCOUNT_RULE,
	IP_RULE,
	accountKey,
	ipKey,
	lockedFor,
	recordFailure,
	resetThrottle
} from './throttle';
import { clockOf, toPublicUser, type Clock, type Failure, type PublicUser } from './types';
import { normaliseEmail } from './users';

export interface LoginInput {
	email: string;
	password: string;
	/** Client address (`event.getClientAddress()`), the key of the per-IP limit. */
	ip: string;
	userAgent?: string;
}

export interface LoginSuccess {
	ok: true;
	user: PublicUser;
	/** Cookie value for SESSION_COOKIE. */
	token: string;
	expiresAt: Date;
}

export type LoginFailure = Failure<'invalid' | 'throttled' | 'disabled'>;

function throttled(seconds: number): LoginFailure {
	return { ok: false, reason: 'throttled', retryAfterSeconds: seconds, message: MSG.throttled(seconds) };
}

export async function login(
	db: Database,
	input: LoginInput,
	opts: Clock = {}
): Promise<LoginSuccess | LoginFailure> {
	const now = clockOf(opts);
	const email = normaliseEmail(input.email);
	const password = typeof input.password === 'string' ? input.password : '';
	const acct = accountKey(email);
	const ip = ipKey(input.ip || 'unknown');

	// Locked keys are refused before any hashing: an attacker cannot keep the CPU busy either.
	const wait = Math.max(await lockedFor(db, acct, { now }), await lockedFor(db, ip, { now }));
	if (wait > 0) return throttled(wait);

	const user = email ? await db.collection<UserDoc>(C.users).findOne({ email }) : null;
	const ok = user?.passwordHash
		? await verifyPassword(user.passwordHash, password)
		: await verifyAgainstDummy(password);

	if (!ok || !user) {
		const [a, i] = await Promise.all([
			recordFailure(db, acct, ACCOUNT_RULE, { now }),
			recordFailure(db, ip, IP_RULE, { now })
		]);
		const locked = Math.max(a.lockedForSeconds, i.lockedForSeconds);
		if (locked > 0) return throttled(locked);
		return { ok: false, reason: 'invalid', message: MSG.invalidCredentials };
	}

	// Checked only after the password matched, so "disabled" reveals nothing to a guesser.
	if (user.disabled) return { ok: false, reason: 'disabled', message: MSG.disabled };

	await resetThrottle(db, acct);
	if (needsRehash(user.passwordHash as string)) {
		// Upgrade hashes made under older parameters while we still hold the plain password.
		await db
			.collection<UserDoc>(C.users)
			.updateOne({ _id: user._id }, { $set: { passwordHash: await hashPassword(password) } });
	}
	const session = await createSession(db, user._id, { now, userAgent: input.userAgent });
	return { ok: true, user: toPublicUser(user), token: session.token, expiresAt: session.expiresAt };
}
