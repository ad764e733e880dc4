/**
 * Response headers and cookie flags on the built server, over plain http (the shared server) and
 * behind TLS (a second server whose ORIGIN is https, as behind a TLS-terminating proxy).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../e2e/server';
import { loginAsRole, send, cookieFrom, demoEmail } from './client';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/accounts';

const base = inject('securityBaseUrl');

function directives(csp: string | null): Map<string, string[]> {
	const m = new Map<string, string[]>();
	for (const d of (csp ?? '').split(';')) {
		const [name, ...values] = d.trim().split(/\s+/);
		if (name) m.set(name, values);
	}
	return m;
}

describe('security headers (http)', () => {
	it('pages carry a strict CSP from kit.csp: nonce scripts only, no inline or eval, no framing', async () => {
		for (const path of ['/', '/login']) {
			const r = await send(base, path);
			const csp = directives(r.headers.get('content-security-policy'));
			expect(csp.get('default-src')).toEqual(["'self'"]);
			const script = csp.get('script-src') ?? [];
			expect(script).toContain("'self'");
			expect(script.some((s) => s.startsWith("'nonce-"))).toBe(true);
			expect(script).not.toContain("'unsafe-inline'");
			expect(script).not.toContain("'unsafe-eval'");
			expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
			expect(csp.get('object-src')).toEqual(["'none'"]);
			expect(csp.get('base-uri')).toEqual(["'self'"]);
			expect(csp.get('form-action')).toEqual(["'self'"]);
			expect(csp.get('connect-src')).toEqual(["'self'"]);
		}
	});

	it('the nonce changes per response', async () => {
		const a = (await send(base, '/')).headers.get('content-security-policy');
		const b = (await send(base, '/')).headers.get('content-security-policy');
		expect(a).not.toBe(b);
	});

	it('every kind of response (page, JSON, redirect, 401, 403, 404) has the baseline headers', async () => {
		const enterprise = await loginAsRole(base, 'enterprise');
		const cases = [
			await send(base, '/'),
			await send(base, '/healthz'),
			await send(base, '/admin/users'), // 303 to login
			await send(base, '/api/v1/responses/x', { method: 'PUT', json: {} }), // 401
			await send(base, '/admin/users', { cookie: enterprise }), // 403
			await send(base, '/no-such-page')
		];
		expect(cases.map((r) => r.status)).toEqual([200, 200, 303, 401, 403, 404]);
		for (const r of cases) {
			const what = `status ${r.status}`;
			expect(r.headers.get('x-content-type-options'), what).toBe('nosniff');
			expect(r.headers.get('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
			expect(r.headers.get('x-frame-options'), what).toBe('DENY');
			expect(directives(r.headers.get('content-security-policy')).get('frame-ancestors'), what).toEqual([
				"'none'"
			]);
			expect(r.headers.get('strict-transport-security'), `${what}: no HSTS over http`).toBeNull();
		}
	});

	it('the session cookie is HttpOnly, SameSite=Lax, Path=/ and not Secure over http', async () => {
		const r = await send(base, '/login', {
			method: 'POST',
			form: { email: demoEmail('analyst'), password: DEMO_PASSWORD }
		});
		const c = r.setCookies.find((x) => x.startsWith('techcap_session='));
		expect(c).toBeTruthy();
		expect(c).toMatch(/;\s*HttpOnly/i);
		expect(c).toMatch(/;\s*SameSite=Lax/i);
		expect(c).toMatch(/;\s*Path=\/(;|$)/i);
		expect(c).not.toMatch(/;\s*Secure/i);
		expect(c).toMatch(/;\s*(Max-Age=\d+|Expires=)/i);
		// The token is long and opaque.
		expect(cookieFrom(r.setCookies)!.split('=')[1].length).toBeGreaterThanOrEqual(40);
	});

	it('logging out clears the cookie and the session stops working', async () => {
		const cookie = await loginAsRole(base, 'policymaker');
		const out = await send(base, '/logout', { method: 'POST', cookie, form: {} });
		expect(out.status).toBe(303);
		expect(out.setCookies.find((x) => x.startsWith('techcap_session='))).toMatch(
			/Max-Age=0|Expires=Thu, 01 Jan 1970/i
		);
		const again = await send(base, '/enterprise', { cookie });
		expect(again.status).toBe(303);
		expect(again.location).toMatch(/^\/login/);
	});
});

describe('behind TLS (ORIGIN=https://…)', () => {
	let server: RunningServer;
	const origin = 'https://techcap.test';
	beforeAll(async () => {
		server = await startServer({ ORIGIN: origin });
	});
	afterAll(async () => {
		await server?.stop();
	});

	it('sends HSTS on every response', async () => {
		for (const p of ['/', '/healthz', '/admin/users']) {
			const r = await send(server.url, p);
			expect(r.headers.get('strict-transport-security'), p).toBe('max-age=31536000; includeSubDomains');
		}
	});

	it('marks the session cookie Secure', async () => {
		const r = await send(server.url, '/login', {
			method: 'POST',
			origin,
			form: { email: demoEmail('admin'), password: DEMO_PASSWORD }
		});
		expect(r.status).toBe(303);
		const c = r.setCookies.find((x) => x.startsWith('techcap_session='));
		expect(c).toMatch(/;\s*Secure/i);
		expect(c).toMatch(/;\s*HttpOnly/i);
		expect(c).toMatch(/;\s*SameSite=Lax/i);
	});

	it('still refuses a post from another origin', async () => {
		const r = await send(server.url, '/login', {
			method: 'POST',
			origin: 'https://evil.example',
			form: { email: demoEmail('admin'), password: DEMO_PASSWORD }
		});
		expect(r.status).toBe(403);
	});
});
