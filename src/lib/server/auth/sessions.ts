/**
 * Database-stored sessions. The cookie holds an opaque 256-bit token; the database holds only its
 * SHA-256 as `_id`, so reading the sessions collection does not let anyone sign in.
 *
 * Expiry (chosen for a survey tool used on shared office computers):
 * - absolute: a session ends `TECHCAP_SESSION_TTL_HOURS` after sign-in (default 168 h = 7 days);
 *   `expiresAt` carries this and the TTL index removes the document;
 * - idle: it also ends after `TECHCAP_SESSION_IDLE_HOURS` without a request (default 12 h), so a
 *   browser left signed in overnight is signed out. `lastSeenAt` is written at most once a
 *   minute to keep reads from turning into writes.
 */
import type { Database } from '../db/types';
import { C, type SessionDoc, type UserDoc } from '../db/schema';
import { hashToken, isWellFormedToken, newToken } from './tokens';
import { clockOf, toSessionUser, type Clock, type SessionUser } from './types';

export const SESSION_COOKIE = 'techcap_session';

const HOUR_MS = 3_600_000;
const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface SessionConfig {
	ttlHours: number;
	idleHours: number;
}

function hoursFromEnv(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const n = Number(raw);
	if (!Number.isFinite(n) || n <= 0) {
		throw new Error(`${name} must be a positive number of hours, got ${JSON.stringify(raw)}`);
	}
	return n;
}

/** Read on each call so a changed environment (tests, restarts) takes effect without reloading. */
export function sessionConfig(): SessionConfig {
	const ttlHours = hoursFromEnv('TECHCAP_SESSION_TTL_HOURS', 168);
	const idleHours = Math.min(hoursFromEnv('TECHCAP_SESSION_IDLE_HOURS', 12), ttlHours);
	return { ttlHours, idleHours };
}

export interface SessionCookieOptions {
	path: '/';
	httpOnly: true;
	sameSite: 'lax';
	secure: boolean;
	maxAge: number;
}

/**
 * Options for `cookies.set(SESSION_COOKIE, token, ...)`. SameSite=Lax keeps the cookie on
 * top-level navigation from an emailed link while blocking cross-site form posts.
 * `maxAgeSeconds` defaults to the absolute session lifetime; pass the time left for a session.
 */
export function sessionCookieOptions(secure: boolean, maxAgeSeconds?: number): SessionCookieOptions {
	const maxAge = maxAgeSeconds ?? Math.round(sessionConfig().ttlHours * 3600);
	return { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: Math.max(0, Math.floor(maxAge)) };
}

export interface NewSession {
	/** The cookie value. Shown once, never stored. */
	token: string;
	sessionId: string;
	expiresAt: Date;
}

export async function createSession(
	db: Database,
	userId: string,
	opts: Clock & { userAgent?: string } = {}
): Promise<NewSession> {
	const now = clockOf(opts)();
	const token = newToken();
	const doc: SessionDoc = {
		_id: hashToken(token),
		userId,
		createdAt: now,
		expiresAt: new Date(now.getTime() + sessionConfig().ttlHours * HOUR_MS),
		lastSeenAt: now
	};
	// User agents are free text from the client: keep enough to recognise a device, no more.
	if (opts.userAgent) doc.userAgent = opts.userAgent.slice(0, 300);
	await db.collection<SessionDoc>(C.sessions).insertOne(doc);
	return { token, sessionId: doc._id, expiresAt: doc.expiresAt };
}

export interface ValidSession {
	user: SessionUser;
	session: SessionDoc;
}

/**
 * Resolves a cookie value to its user, or null when the token is malformed or unknown, the
 * session has expired (absolute or idle), or the user is gone or disabled. Dead sessions are
 * deleted on the way so they cannot be revived.
 */
export async function validateSession(
	db: Database,
	token: string | null | undefined,
	opts: Clock = {}
): Promise<ValidSession | null> {
	if (!isWellFormedToken(token)) return null;
	const now = clockOf(opts)();
	const sessions = db.collection<SessionDoc>(C.sessions);
	const id = hashToken(token);
	const session = await sessions.findOne({ _id: id });
	if (!session) return null;

	const idleMs = sessionConfig().idleHours * HOUR_MS;
	const expired =
		session.expiresAt.getTime() <= now.getTime() || now.getTime() - session.lastSeenAt.getTime() > idleMs;
	if (expired) {
		await sessions.deleteOne({ _id: id });
		return null;
	}

	const user = await db.collection<UserDoc>(C.users).findOne({ _id: session.userId });
	if (!user || user.disabled) {
		await sessions.deleteOne({ _id: id });
		return null;
	}

	if (now.getTime() - session.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
		await sessions.updateOne({ _id: id }, { $set: { lastSeenAt: now } });
		session.lastSeenAt = now;
	}
	return { user: toSessionUser(user), session };
}

/** Logout. Returns true when a session was actually ended. */
export async function invalidateSession(db: Database, token: string | null | undefined): Promise<boolean> {
	if (!isWellFormedToken(token)) return false;
	const r = await db.collection<SessionDoc>(C.sessions).deleteOne({ _id: hashToken(token) });
	return r.deletedCount > 0;
}

/**
 * Ends every session of a user (disabled account, password changed), optionally keeping the
 * one the change was made from. Returns how many were ended.
 */
export async function invalidateUserSessions(
	db: Database,
	userId: string,
	opts: { exceptSessionId?: string } = {}
): Promise<number> {
	const filter: Record<string, unknown> = { userId };
	if (opts.exceptSessionId) filter._id = { $ne: opts.exceptSessionId };
	const r = await db.collection<SessionDoc>(C.sessions).deleteMany(filter);
	return r.deletedCount;
}
