/**
 * Failed-login throttling, stored in the database so every app instance shares the counters.
 *
 * Fixed windows per key: an account key (`acct:<email>`) is locked for 15 minutes after 5
 * failures within 15 minutes; an IP key (`ip:<addr>`) after 30 (offices and schools share an
 * address, so the IP limit is looser). The account key is derived from the typed email, whether
 * or not such an account exists, so a lock tells an attacker nothing about which emails exist.
 *
 * Counting uses `$inc` with upsert, so concurrent failures from several requests or instances
 * are all counted.
 */
import type { Database } from '../db/types';
import { isDuplicateKeyError } from '../db/types';
import { C, type ThrottleDoc } from '../db/schema';
import { clockOf, type Clock } from './types';

export interface ThrottleRule {
	/** Failures within `windowSeconds` that trigger a lock. */
	maxFailures: number;
	windowSeconds: number;
	lockSeconds: number;
}

export const ACCOUNT_RULE: ThrottleRule = { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
export const IP_RULE: ThrottleRule = { maxFailures: 30, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

export function accountKey(email: string): string {
	return `acct:${email.trim().toLowerCase()}`;
}

export function ipKey(ip: string): string {
	return `ip:${ip}`;
}

function throttleCollection(db: Database) {
	return db.collection<ThrottleDoc>(C.throttle);
}

/** Seconds until the key unlocks, or 0 when it is not locked. */
export async function lockedFor(db: Database, key: string, opts: Clock = {}): Promise<number> {
	const now = clockOf(opts)();
	const doc = await throttleCollection(db).findOne({ _id: key });
	if (!doc?.lockedUntil) return 0;
	const ms = doc.lockedUntil.getTime() - now.getTime();
	return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

export interface FailureCount {
	failures: number;
	/** Seconds until the key unlocks when this failure (or an earlier one) locked it, else 0. */
	lockedForSeconds: number;
}

/** Counts one failure against `key` and locks it when the rule's limit is reached. */
export async function recordFailure(
	db: Database,
	key: string,
	rule: ThrottleRule,
	opts: Clock = {}
): Promise<FailureCount> {
	const now = clockOf(opts)();
	const coll = throttleCollection(db);
	const windowStartCutoff = new Date(now.getTime() - rule.windowSeconds * 1000);
	// The document may outlive its window by a lock; keep it until both are over.
	const expiresAt = new Date(now.getTime() + Math.max(rule.windowSeconds, rule.lockSeconds) * 1000);

	// Start a fresh window when the old one is over (and no lock is running) or a lock has
	// ended. The filter makes this safe under concurrency: once one request has reset the
	// window, the others no longer match and simply increment.
	await coll.updateOne(
		{
			_id: key,
			$or: [{ windowStart: { $lt: windowStartCutoff }, lockedUntil: null }, { lockedUntil: { $lte: now } }]
		},
		{ $set: { failures: 0, windowStart: now, lockedUntil: null } }
	);

	const increment = () =>
		coll.findOneAndUpdate(
			{ _id: key },
			{
				$inc: { failures: 1 },
				$set: { expiresAt },
				$setOnInsert: { windowStart: now, lockedUntil: null }
			},
			{ upsert: true, returnDocument: 'after' }
		);
	let doc: ThrottleDoc | null;
	try {
		doc = await increment();
	} catch (e) {
		// Two first failures racing to insert the same key: one wins, the other retries as an update.
		if (!isDuplicateKeyError(e)) throw e;
		doc = await increment();
	}
	if (!doc) throw new Error(`throttle counter ${key} was not written`);

	if (doc.lockedUntil && doc.lockedUntil.getTime() > now.getTime()) {
		return {
			failures: doc.failures,
			lockedForSeconds: Math.ceil((doc.lockedUntil.getTime() - now.getTime()) / 1000)
		};
	}
	if (doc.failures >= rule.maxFailures) {
		const lockedUntil = new Date(now.getTime() + rule.lockSeconds * 1000);
		// Only the first request over the limit sets the lock, so concurrent ones cannot extend it.
		await coll.updateOne(
			{ _id: key, lockedUntil: null },
			{ $set: { lockedUntil, expiresAt: new Date(Math.max(expiresAt.getTime(), lockedUntil.getTime())) } }
		);
		const locked = await lockedFor(db, key, { now: () => now });
		return { failures: doc.failures, lockedForSeconds: locked };
	}
	return { failures: doc.failures, lockedForSeconds: 0 };
}

/** Clears a key's counter (an account after a successful sign-in, or an admin unlocking). */
export async function resetThrottle(db: Database, key: string): Promise<void> {
	await throttleCollection(db).deleteOne({ _id: key });
}
