/** A tiny HTTP client for the security suites: cookies by hand, no redirects followed, real logins. */
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../src/lib/server/demo/accounts';
import type { Role } from '../../src/lib/server/db/schema';

export const ROLES: readonly Role[] = ['enterprise', 'analyst', 'policymaker', 'admin'];

export interface Sent {
	status: number;
	headers: Headers;
	text: string;
	location: string | null;
	setCookies: string[];
}

export interface SendOptions {
	method?: string;
	cookie?: string | null;
	headers?: Record<string, string>;
	body?: BodyInit | null;
	/** Send as application/x-www-form-urlencoded. */
	form?: Record<string, string | string[]> | URLSearchParams;
	json?: unknown;
	/** Origin header for POSTs (default: the server's own, as a browser sends it). */
	origin?: string | null;
}

export async function send(base: string, path: string, o: SendOptions = {}): Promise<Sent> {
	const method = o.method ?? 'GET';
	const headers: Record<string, string> = { ...o.headers };
	if (o.cookie) headers.cookie = o.cookie;
	let body: BodyInit | null | undefined = o.body;
	if (o.form) {
		const params = o.form instanceof URLSearchParams ? o.form : new URLSearchParams();
		if (!(o.form instanceof URLSearchParams))
			for (const [k, v] of Object.entries(o.form)) for (const x of [v].flat()) params.append(k, x);
		body = params.toString();
		headers['content-type'] ??= 'application/x-www-form-urlencoded';
		// As a browser without JavaScript: otherwise SvelteKit answers an action with JSON.
		headers.accept ??= 'text/html,application/xhtml+xml';
	} else if (o.json !== undefined) {
		body = JSON.stringify(o.json);
		headers['content-type'] ??= 'application/json';
	}
	if (method !== 'GET' && method !== 'HEAD' && o.origin !== null) headers.origin ??= o.origin ?? base;
	const r = await fetch(base + path, { method, headers, body: body ?? undefined, redirect: 'manual' });
	return {
		status: r.status,
		headers: r.headers,
		text: await r.text(),
		location: r.headers.get('location'),
		setCookies: r.headers.getSetCookie()
	};
}

/** `name=value` of a Set-Cookie list, for the Cookie header. */
export function cookieFrom(setCookies: string[], name = 'techcap_session'): string | null {
	for (const c of setCookies) {
		const [pair] = c.split(';');
		if (pair.startsWith(`${name}=`) && pair.length > name.length + 1) return pair;
	}
	return null;
}

export function demoEmail(role: Role): string {
	const l = DEMO_LOGINS.find((x) => x.role === role);
	if (!l) throw new Error(`no demo login for ${role}`);
	return l.email;
}

/** Logs in through the real form action; returns the session cookie. */
export async function login(base: string, email: string, password = DEMO_PASSWORD): Promise<string> {
	const r = await send(base, '/login', { method: 'POST', form: { email, password, next: '/' } });
	const cookie = cookieFrom(r.setCookies);
	if (r.status !== 303 || !cookie)
		throw new Error(`login as ${email} failed: ${r.status} ${r.text.slice(0, 300)}`);
	return cookie;
}

export const loginAsRole = (base: string, role: Role) => login(base, demoEmail(role));

/** Ids in links of a page, e.g. `/enterprise/responses/<id>`. */
export function idsIn(html: string, prefix: string): string[] {
	const re = new RegExp(`${prefix.replace(/[/.]/g, '\\$&')}/([A-Za-z0-9_-]{6,})`, 'g');
	return [...new Set([...html.matchAll(re)].map((m) => m[1]))];
}

/** Accepts an invitation link's token with a password; returns the new user's session cookie. */
export async function acceptInvite(
	base: string,
	token: string,
	name: string,
	password: string
): Promise<string> {
	const r = await send(base, `/invite/${token}`, {
		method: 'POST',
		form: { name, password, password2: password }
	});
	const cookie = cookieFrom(r.setCookies);
	if (r.status !== 303 || !cookie)
		throw new Error(`accepting invitation failed: ${r.status} ${r.text.slice(0, 300)}`);
	return cookie;
}
