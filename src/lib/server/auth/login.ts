/**
 * Sign-in: throttling, constant-time password check, session creation.
 */
import type { Database } from '../db/types';
import { C, type UserDoc } from '../db/schema';
import { MSG } from './messages';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './password';
import { createSession } from './sessions';
import {
	ACCOUNT_DELAY,
	IP_RULE,
	PAIR_RULE,
	accountKey,
	claimAccountSlot,
	ipKey,
	pairKey,
	recordAccountFailure,
	reserveAttempt,
	resetThrottle,
	settleReservation
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
	const client = input.ip || 'unknown';
	const acct = accountKey(email);

	// Places are reserved before any hashing (see throttle.ts): a burst gets at most the limit
	// checked, and a locked client cannot keep the CPU busy either.
	const pair = await reserveAttempt(db, pairKey(email, client), PAIR_RULE, { now });
	if (!pair.ok) return throttled(pair.retryAfterSeconds);
	const ip = await reserveAttempt(db, ipKey(client), IP_RULE, { now });
	if (!ip.ok) {
		await settleReservation(db, pair, 'release', { now });
		return throttled(ip.retryAfterSeconds);
	}
	// Across clients the account is slowed down, never locked: someone else's failures cost the
	// owner a delay of a minute at most.
	const slot = await claimAccountSlot(db, acct, ACCOUNT_DELAY, { now });
	if (!slot.ok) {
		await Promise.all([
			settleReservation(db, pair, 'release', { now }),
			settleReservation(db, ip, 'release', { now })
		]);
		return throttled(slot.retryAfterSeconds);
	}

	const user = email ? await db.collection<UserDoc>(C.users).findOne({ email }) : null;
	const ok = user?.passwordHash
		? await verifyPassword(user.passwordHash, password)
		: await verifyAgainstDummy(password);

	if (!ok || !user) {
		const [a, i] = await Promise.all([
			settleReservation(db, pair, 'failed', { now }),
			settleReservation(db, ip, 'failed', { now }),
			recordAccountFailure(db, acct, ACCOUNT_DELAY, { now })
		]);
		const locked = Math.max(a, i);
		if (locked > 0) return throttled(locked);
		return { ok: false, reason: 'invalid', message: MSG.invalidCredentials };
	}

	// The password was right: this client's counter for the account and the account's delay are
	// cleared; the client's place on the shared per-address counter is given back.
	await Promise.all([
		settleReservation(db, pair, 'succeeded', { now, clear: true }),
		settleReservation(db, ip, 'succeeded', { now }),
		resetThrottle(db, acct)
	]);

	// Checked only after the password matched, so "disabled" reveals nothing to a guesser.
	if (user.disabled) return { ok: false, reason: 'disabled', message: MSG.disabled };

	if (needsRehash(user.passwordHash as string)) {
		// Upgrade hashes made under older parameters while we still hold the plain password.
		await db
			.collection<UserDoc>(C.users)
			.updateOne({ _id: user._id }, { $set: { passwordHash: await hashPassword(password) } });
	}
	const session = await createSession(db, user._id, { now, userAgent: input.userAgent });
	return { ok: true, user: toPublicUser(user), token: session.token, expiresAt: session.expiresAt };
}
