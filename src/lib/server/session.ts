/** Glue between SvelteKit's request event and the auth module: the session cookie in and out. */
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { getDatabase } from './db';
import { SESSION_COOKIE, sessionCookieOptions, validateSession } from './auth/sessions';
import type { SessionUser } from './auth/types';

export async function resolveSession(event: RequestEvent): Promise<SessionUser | null> {
	const token = event.cookies.get(SESSION_COOKIE);
	if (!token) return null;
	const db = await getDatabase();
	const found = await validateSession(db, token);
	if (!found) {
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
		return null;
	}
	return found.user;
}

export function setSessionCookie(event: RequestEvent, token: string, expiresAt: Date): void {
	event.cookies.set(SESSION_COOKIE, token, {
		...sessionCookieOptions(event.url.protocol === 'https:'),
		expires: expiresAt
	});
}

export function clearSessionCookie(cookies: Cookies): void {
	cookies.delete(SESSION_COOKIE, { path: '/' });
}

/** The client address, honouring adapter-node's ADDRESS_HEADER when set behind a proxy. */
export function clientIp(event: RequestEvent): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}
