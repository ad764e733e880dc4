/**
 * Failed-login throttling, stored in the database so every app instance shares the counters.
 *
 * Three counters, chosen so guessing is slow while the owner of an account is never locked out
 * by someone else's failures:
 * - per (account, client) `pair:<email>|<ip>`: 5 attempts within 15 minutes, then that client is
 *   locked out of that account for 15 minutes (the only hard lock on an account, and it binds only
 *   the client that failed);
 * - per client `ip:<addr>`: 30 attempts within 15 minutes across all accounts (password spraying;
 *   offices and schools share an address, so it is looser);
 * - per account `acct:<email>`, across clients: after 10 failures within an hour, an increasing
 *   delay between checks (1 s, 2 s, 4 s … at most 60 s) instead of a lock, so a distributed guesser
 *   gets at most one guess a minute and the owner waits a minute at most.
 *
 * The account key is derived from the typed email, whether or not such an account exists, so the
 * throttle tells an attacker nothing about which emails exist.
 *
 * Atomic: an attempt *reserves* its place with one `$inc` (findOneAndUpdate, upsert) before the
 * password is checked, and only reservations within the limit are checked; a success gives the
 * place back. So a burst of 40 simultaneous attempts gets at most the limit checked, on one
 * instance or several.
 */
import type { Database } from '../db/types';
import { isDuplicateKeyError } from '../db/types';
import { C, type ThrottleDoc } from '../db/schema';
import { clockOf, type Clock } from './types';

export interface ThrottleRule {
	/** Attempts within `windowSeconds` allowed; the one that reaches it and fails locks the key. */
	maxFailures: number;
	windowSeconds: number;
	lockSeconds: number;
}

/** Per (account, client). */
export const PAIR_RULE: ThrottleRule = { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
/** Per client, across accounts. */
export const IP_RULE: ThrottleRule = { maxFailures: 30, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

export interface DelayRule {
	/** Failures within the window before delays start. */
	freeFailures: number;
	windowSeconds: number;
	baseSeconds: number;
	maxSeconds: number;
}

/** Per account, across clients: delays, never a lock. */
export const ACCOUNT_DELAY: DelayRule = {
	freeFailures: 10,
	windowSeconds: 60 * 60,
	baseSeconds: 1,
	maxSeconds: 60
};

/** @deprecated the per-account hard lock is gone; kept for callers that unlock by account key. */
export const ACCOUNT_RULE = PAIR_RULE;

export function accountKey(email: string): string {
	return `acct:${email.trim().toLowerCase()}`;
}

export function pairKey(email: string, ip: string): string {
	return `pair:${email.trim().toLowerCase()}|${ip}`;
}

export function ipKey(ip: string): string {
	return `ip:${ip}`;
}

/** The account-wide counter also carries when the next check may run. */
type ThrottleRecord = ThrottleDoc & { nextAt?: Date | null };

function throttleCollection(db: Database) {
	return db.collection<ThrottleRecord>(C.throttle);
}

const secondsUntil = (d: Date, now: Date) => Math.max(1, Math.ceil((d.getTime() - now.getTime()) / 1000));

/** Seconds until the key unlocks, or 0 when it is not locked. */
export async function lockedFor(db: Database, key: string, opts: Clock = {}): Promise<number> {
	const now = clockOf(opts)();
	const doc = await throttleCollection(db).findOne({ _id: key });
	if (!doc?.lockedUntil) return 0;
	const ms = doc.lockedUntil.getTime() - now.getTime();
	return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/** Starts a fresh window when the old one is over (and no lock runs) or a lock has ended. */
async function renewWindow(db: Database, key: string, windowSeconds: number, now: Date): Promise<void> {
	// Safe under concurrency: once one request has reset the window, the others no longer match.
	await throttleCollection(db).updateOne(
		{
			_id: key,
			$or: [
				{ windowStart: { $lt: new Date(now.getTime() - windowSeconds * 1000) }, lockedUntil: null },
				{ lockedUntil: { $lte: now } }
			]
		},
		{ $set: { failures: 0, windowStart: now, lockedUntil: null, nextAt: null } }
	);
}

/** `$inc` of `failures` with upsert, returning the document after: one atomic step. */
async function increment(db: Database, key: string, by: number, expiresAt: Date, now: Date) {
	const run = () =>
		throttleCollection(db).findOneAndUpdate(
			{ _id: key },
			{ $inc: { failures: by }, $set: { expiresAt }, $setOnInsert: { windowStart: now, lockedUntil: null } },
			{ upsert: true, returnDocument: 'after' }
		);
	let doc: ThrottleRecord | null;
	try {
		doc = await run();
	} catch (e) {
		// Two first attempts racing to insert the same key: one wins, the other retries as an update.
		if (!isDuplicateKeyError(e)) throw e;
		doc = await run();
	}
	if (!doc) throw new Error(`throttle counter ${key} was not written`);
	return doc;
}

/** How often, and how far apart, an attempt over the limit looks again while others are checked. */
const OVER_LIMIT_TRIES = 40;
const OVER_LIMIT_WAIT_MS = 250;

export type Reservation =
	{ ok: true; key: string; rule: ThrottleRule; count: number } | { ok: false; retryAfterSeconds: number };

/**
 * Reserves one attempt against `key`. Refused while the key is locked, or when the limit's worth
 * of attempts is already reserved (running or failed). A granted reservation must be settled with
 * {@link settleReservation}.
 */
export async function reserveAttempt(
	db: Database,
	key: string,
	rule: ThrottleRule,
	opts: Clock = {}
): Promise<Reservation> {
	const now = clockOf(opts)();
	await renewWindow(db, key, rule.windowSeconds, now);
	const expiresAt = new Date(now.getTime() + Math.max(rule.windowSeconds, rule.lockSeconds) * 1000);
	for (let tries = 1; ; tries++) {
		const doc = await increment(db, key, 1, expiresAt, now);
		if (doc.lockedUntil && doc.lockedUntil.getTime() > now.getTime())
			return { ok: false, retryAfterSeconds: secondsUntil(doc.lockedUntil, now) };
		if (doc.failures <= rule.maxFailures) return { ok: true, key, rule, count: doc.failures };
		// Over the limit while earlier attempts are still being checked: their outcome decides. Give
		// the place back and wait for it, so an office signing in at once from one address queues
		// instead of being refused, while failures still lock the key before anyone else is checked.
		await throttleCollection(db).updateOne({ _id: key, failures: { $gt: 0 } }, { $inc: { failures: -1 } });
		if (tries >= OVER_LIMIT_TRIES)
			return { ok: false, retryAfterSeconds: Math.ceil(OVER_LIMIT_WAIT_MS / 1000) };
		await new Promise((r) => setTimeout(r, OVER_LIMIT_WAIT_MS));
	}
}

/**
 * Settles a reservation: 'failed' keeps it as a failure and locks the key when it was the last one
 * allowed; 'release' gives the place back (the password was never checked); 'succeeded' clears the
 * key when `clear` (the client proved it knows the account's password) or gives the place back.
 * Returns the seconds of a lock this settlement set, else 0.
 */
export async function settleReservation(
	db: Database,
	r: Extract<Reservation, { ok: true }>,
	outcome: 'failed' | 'release' | 'succeeded',
	opts: Clock & { clear?: boolean } = {}
): Promise<number> {
	const now = clockOf(opts)();
	const coll = throttleCollection(db);
	if (outcome === 'succeeded' && opts.clear) {
		await coll.deleteOne({ _id: r.key });
		return 0;
	}
	if (outcome !== 'failed') {
		await coll.updateOne({ _id: r.key, failures: { $gt: 0 } }, { $inc: { failures: -1 } });
		return 0;
	}
	if (r.count < r.rule.maxFailures) return 0;
	const lockedUntil = new Date(now.getTime() + r.rule.lockSeconds * 1000);
	// Only the first failure at the limit sets the lock, so concurrent ones cannot extend it.
	const set = await coll.updateOne(
		{ _id: r.key, lockedUntil: null },
		{ $set: { lockedUntil, expiresAt: lockedUntil } }
	);
	return set.modifiedCount > 0 ? r.rule.lockSeconds : await lockedFor(db, r.key, { now: () => now });
}

/** The delay before the next check of an account with `failures` failures. */
export function accountDelaySeconds(failures: number, rule: DelayRule = ACCOUNT_DELAY): number {
	if (failures < rule.freeFailures) return 0;
	return Math.min(rule.maxSeconds, rule.baseSeconds * 2 ** Math.min(30, failures - rule.freeFailures));
}

/**
 * Claims the account's next check slot: free below the threshold; above it, one check per delay,
 * claimed atomically (the filter on `nextAt`), so parallel attempts cannot share a slot.
 */
export async function claimAccountSlot(
	db: Database,
	key: string,
	rule: DelayRule = ACCOUNT_DELAY,
	opts: Clock = {}
): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
	const now = clockOf(opts)();
	await renewWindow(db, key, rule.windowSeconds, now);
	const coll = throttleCollection(db);
	const doc = await coll.findOne({ _id: key });
	if (!doc || doc.failures < rule.freeFailures) return { ok: true };
	const nextAt = new Date(now.getTime() + accountDelaySeconds(doc.failures, rule) * 1000);
	const claimed = await coll.updateOne(
		{ _id: key, $or: [{ nextAt: null }, { nextAt: { $lte: now } }] },
		{ $set: { nextAt } }
	);
	if (claimed.modifiedCount > 0) return { ok: true };
	const again = await coll.findOne({ _id: key });
	return again?.nextAt && again.nextAt.getTime() > now.getTime()
		? { ok: false, retryAfterSeconds: secondsUntil(again.nextAt, now) }
		: { ok: true };
}

/** Counts one failure against an account (across clients). */
export async function recordAccountFailure(
	db: Database,
	key: string,
	rule: DelayRule = ACCOUNT_DELAY,
	opts: Clock = {}
): Promise<number> {
	const now = clockOf(opts)();
	const doc = await increment(db, key, 1, new Date(now.getTime() + rule.windowSeconds * 1000), now);
	return doc.failures;
}

/**
 * Counts one failure against `key` and locks it when the rule's limit is reached (kept for
 * callers outside sign-in; sign-in reserves first, see {@link reserveAttempt}).
 */
export async function recordFailure(
	db: Database,
	key: string,
	rule: ThrottleRule,
	opts: Clock = {}
): Promise<{ failures: number; lockedForSeconds: number }> {
	const r = await reserveAttempt(db, key, rule, opts);
	if (!r.ok) return { failures: rule.maxFailures, lockedForSeconds: r.retryAfterSeconds };
	const locked = await settleReservation(db, r, 'failed', opts);
	return { failures: r.count, lockedForSeconds: locked };
}

/** Clears a key's counter (an account after a successful sign-in, or an admin unlocking). */
export async function resetThrottle(db: Database, key: string): Promise<void> {
	await throttleCollection(db).deleteOne({ _id: key });
}
