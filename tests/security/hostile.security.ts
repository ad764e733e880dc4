/**
 * Hostile input against the built server: every JSON and form endpoint must answer bad input with
 * a clear 4xx and change nothing. Form actions and endpoints are discovered from src/routes, so new
 * ones get the generic injections too; the known ones get targeted cases.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { decide } from '../../src/lib/server/authz';
import { shippedRoutes as discoverRoutes, requestsFor, type RouteRequest } from './routes';
import { ROLES, cookieFrom, demoEmail, loginAsRole, send, type Sent } from './client';
import { enterpriseA, newEnterprise, type EnterpriseActor } from './fixtures';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/accounts';

const base = inject('securityBaseUrl');
const EVIL = 'http://evil.example';
const XSS = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
const RAW_XSS = /<script>alert\(1\)|<img src=x onerror/;

function is4xx(r: Sent, what: string): void {
	expect(r.status, `${what}: ${r.status} ${r.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
	expect(r.status, `${what}: ${r.status} ${r.text.slice(0, 200)}`).toBeLessThan(500);
}

function noSession(r: Sent): void {
	expect(cookieFrom(r.setCookies)).toBeNull();
}

describe('login form', () => {
	const admin = demoEmail('admin');
	const cases: Array<[string, string]> = [
		['operator objects in brackets', `email[$ne]=x&password[$ne]=x`],
		['$regex password', `email=${encodeURIComponent(admin)}&password[$regex]=.*`],
		[
			'$ne as a JSON string',
			`email=${encodeURIComponent('{"$ne":null}')}&password=${encodeURIComponent('{"$ne":null}')}`
		],
		[
			'$where',
			`email=${encodeURIComponent(admin)}&password=${encodeURIComponent("';return true;//")}&$where=1`
		],
		['__proto__ fields', `__proto__[role]=admin&constructor[prototype][role]=admin&email=x@y.vn&password=x`],
		['repeated email', `email=${encodeURIComponent(admin)}&email=x@y.vn&password=wrong`]
	];
	for (const [name, body] of cases)
		it(`${name} → 4xx, no session`, async () => {
			const r = await send(base, '/login', {
				method: 'POST',
				body,
				headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }
			});
			is4xx(r, name);
			noSession(r);
		});

	it('a JSON body with operators → 4xx, no session', async () => {
		const r = await send(base, '/login', {
			method: 'POST',
			json: { email: { $ne: null }, password: { $ne: null } },
			headers: { accept: 'text/html' }
		});
		is4xx(r, 'json login');
		noSession(r);
	});

	it('a 2 MB body → 4xx', async () => {
		const r = await send(base, '/login', {
			method: 'POST',
			body: `email=${'a'.repeat(2 * 1024 * 1024)}&password=x`,
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }
		});
		is4xx(r, 'oversized');
	});

	it('invalid UTF-8 → 4xx, no session', async () => {
		const bytes = Buffer.concat([
			Buffer.from('email='),
			Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
			Buffer.from('&password=x')
		]);
		const r = await send(base, '/login', {
			method: 'POST',
			body: bytes,
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }
		});
		is4xx(r, 'utf8');
		noSession(r);
	});

	it('cross-origin post (CSRF) → 403, even with the right password', async () => {
		const r = await send(base, '/login', {
			method: 'POST',
			origin: EVIL,
			form: { email: admin, password: DEMO_PASSWORD }
		});
		expect(r.status).toBe(403);
		noSession(r);
	});

	const nexts = [
		'//evil.example',
		'/\t/evil.example',
		'/\\evil.example',
		'https://evil.example/',
		'/\r\n/evil.example',
		'javascript:alert(1)',
		'/%09/evil.example'
	];
	for (const next of nexts)
		it(`next=${JSON.stringify(next)} never leaves the site`, async () => {
			const r = await send(base, '/login', {
				method: 'POST',
				form: { email: admin, password: DEMO_PASSWORD, next }
			});
			expect(r.status).toBe(303);
			expect(new URL(r.location ?? '', base).origin).toBe(base);
			// The same check when an already signed-in user opens /login?next=...
			const again = await send(base, `/login?next=${encodeURIComponent(next)}`, {
				cookie: cookieFrom(r.setCookies)
			});
			expect(again.status).toBe(303);
			expect(new URL(again.location ?? '', base).origin).toBe(base);
		});

	it('next is rendered escaped in the login form', async () => {
		const r = await send(base, `/login?next=${encodeURIComponent('/"><script>alert(1)</script>')}`);
		expect(r.status).toBe(200);
		expect(r.text).not.toMatch(RAW_XSS);
	});
});

describe('state-changing form actions reject cross-origin posts (CSRF)', () => {
	const actions: RouteRequest[] = [];
	beforeAll(async () => {
		for (const route of discoverRoutes())
			for (const r of await requestsFor(route)) if (r.kind === 'action') actions.push(r);
	});

	it('every discovered form action, as a role allowed to use it, answers 403 to Origin: evil.example', async () => {
		expect(actions.length).toBeGreaterThan(3);
		const cookies = new Map<string, string>();
		for (const role of ROLES) cookies.set(role, await loginAsRole(base, role));
		for (const a of actions) {
			if (a.route.id === '/logout') continue; // checked last below
			const role = ROLES.find((x) => decide(a.route.id, x) === 'allow') ?? null;
			const r = await send(base, a.path, {
				method: 'POST',
				origin: EVIL,
				cookie: role ? cookies.get(role) : null,
				form: { email: 'csrf@evil.example', name: 'CSRF', role: 'admin', id: 'x' }
			});
			expect(r.status, `${a.path} as ${role}`).toBe(403);
		}
		const out = await send(base, '/logout', {
			method: 'POST',
			origin: EVIL,
			cookie: cookies.get('admin'),
			form: {}
		});
		expect(out.status).toBe(403);
		const still = await send(base, '/admin/users', { cookie: cookies.get('admin') });
		expect(still.status, 'the cross-site logout did not end the session').toBe(200);
		const users = await send(base, '/admin/users?q=csrf%40evil.example', { cookie: cookies.get('admin') });
		expect(users.text).not.toMatch(/<td>csrf@evil\.example<\/td>/);
	});
});

describe('admin user actions', () => {
	let admin: string;
	const count = async () => (await send(base, '/admin/users', { cookie: admin })).text.split('<tr').length;
	beforeAll(async () => {
		admin = await loginAsRole(base, 'admin');
	});

	const bodies: Array<[string, string]> = [
		['create', 'email[$ne]=x&name=x&role=admin'],
		['create', `email=${encodeURIComponent('{"$gt":""}')}&name=x&role=admin`],
		['create', 'email=a@b.vn&name=x&role=__proto__'],
		['create', 'email=a@b.vn&name=x&role[$in][]=admin'],
		['create', `email=a@b.vn&name=${'x'.repeat(100_000)}&role=analyst`],
		['create', 'email=proto@b.vn&name=x&role=enterprise&enterpriseId[$ne]=1'],
		['invite', 'email[$regex]=.*&role=admin'],
		['invite', 'email=z@b.vn&role=constructor'],
		['toggle', 'id[$ne]=x&disabled=true'],
		['toggle', `id=${encodeURIComponent('{"$ne":null}')}&disabled=true`],
		['role', `id=${encodeURIComponent('{"$ne":null}')}&role=admin`],
		['role', 'id[$gt]=&role=admin']
	];
	for (const [action, body] of bodies)
		it(`?/${action} ${body.slice(0, 60)} → 4xx, nothing created or changed`, async () => {
			const before = await count();
			const r = await send(base, `/admin/users?/${action}`, {
				method: 'POST',
				cookie: admin,
				body,
				headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }
			});
			is4xx(r, action);
			expect(await count()).toBe(before);
			// Nobody was disabled by an operator id: the demo enterprise can still sign in.
			await loginAsRole(base, 'enterprise');
		});
});

describe('autosave and submit API', () => {
	let a: EnterpriseActor;
	let id: string;
	let revision: number;
	const put = (json: unknown, extra: { body?: BodyInit; headers?: Record<string, string> } = {}) =>
		send(base, `/api/v1/responses/${id}`, {
			method: 'PUT',
			cookie: a.cookie,
			...(extra.body ? extra : { json })
		});

	beforeAll(async () => {
		a = await enterpriseA(base);
		id = a.openIds[0];
		expect(id, 'the demo enterprise has an open response').toBeTruthy();
		// A current revision: a stale one answers 409 with it.
		const probe = await put({ data: {}, currentPageNo: 0, revision: 999_999 });
		expect(probe.status, probe.text).toBe(409);
		revision = (JSON.parse(probe.text) as { revision: number }).revision;
		const saved = await put({ data: {}, currentPageNo: 0, revision });
		expect(saved.status, saved.text).toBe(200);
		revision = (JSON.parse(saved.text) as { revision: number }).revision;
	});

	const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
	const payloads: Array<[string, () => unknown, { body?: BodyInit; headers?: Record<string, string> }?]> = [
		[
			'operator object as an answer',
			() => ({ data: { respondent_comment: { $gt: '' } }, currentPageNo: 0, revision })
		],
		['$where key', () => ({ data: { $where: 'sleep(1000)' }, currentPageNo: 0, revision })],
		['$regex answer', () => ({ data: { respondent_comment: { $regex: '.*' } }, currentPageNo: 0, revision })],
		['$ne revision', () => ({ data: {}, currentPageNo: 0, revision: { $ne: -1 } })],
		[
			'__proto__ in data',
			() => JSON.parse(`{"data":{"__proto__":{"polluted":true}},"currentPageNo":0,"revision":${revision}}`)
		],
		[
			'__proto__ at top level',
			() => JSON.parse(`{"__proto__":{"role":"admin"},"data":{},"currentPageNo":0,"revision":"x"}`)
		],
		[
			'constructor.prototype',
			() => ({ data: { constructor: { prototype: { role: 'admin' } } }, currentPageNo: 0, revision })
		],
		['unknown question key', () => ({ data: { no_such_question: 'x' }, currentPageNo: 0, revision })],
		['data as an array', () => ({ data: ['x'], currentPageNo: 0, revision })],
		['page as an object', () => ({ data: {}, currentPageNo: { $gt: 0 }, revision })],
		[
			'deep nesting in an answer',
			() => null,
			{
				body: `{"data":{"respondent_comment":${deep(50_000)}},"currentPageNo":0,"revision":0}`,
				headers: { 'content-type': 'application/json' }
			}
		],
		[
			'deep nesting at the top',
			() => null,
			{ body: deep(200_000), headers: { 'content-type': 'application/json' } }
		],
		[
			'10 MB body',
			() => null,
			{
				body: `{"data":{"respondent_comment":"${'x'.repeat(10 * 1024 * 1024)}"},"revision":0}`,
				headers: { 'content-type': 'application/json' }
			}
		],
		[
			'invalid UTF-8',
			() => null,
			{
				body: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
				headers: { 'content-type': 'application/json' }
			}
		],
		['not JSON', () => null, { body: '{data:', headers: { 'content-type': 'application/json' } }],
		[
			'form content type',
			() => null,
			{ body: 'data[$ne]=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }
		]
	];
	for (const [name, make, extra] of payloads)
		it(`autosave: ${name} → 4xx`, async () => {
			is4xx(await put(make(), extra ?? {}), name);
		});
	for (const [name, make, extra] of payloads.slice(0, 8))
		it(`submit: ${name} → 4xx`, async () => {
			const body = { ...(make() as object), submitKey: { $ne: null } };
			const r = await send(base, `/api/v1/responses/${id}/submit`, {
				method: 'POST',
				cookie: a.cookie,
				...(extra?.body ? extra : { json: body })
			});
			is4xx(r, name);
		});

	it('nothing above changed the response: the last good revision still saves', async () => {
		const r = await put({ data: {}, currentPageNo: 0, revision });
		expect(r.status, r.text).toBe(200);
		revision = (JSON.parse(r.text) as { revision: number }).revision;
	});

	it('prototype pollution did not reach the server: authorisation still holds', async () => {
		expect((await send(base, '/admin/users')).status).toBe(303);
		expect((await send(base, '/admin/users', { cookie: a.cookie })).status).toBe(403);
		expect((await send(base, '/healthz')).status).toBe(200);
	});

	it('a free-text answer with markup is stored but rendered escaped on the questionnaire page', async () => {
		const r = await put({ data: { respondent_comment: XSS }, currentPageNo: 0, revision });
		expect(r.status, r.text).toBe(200);
		revision = (JSON.parse(r.text) as { revision: number }).revision;
		const page = await send(base, `/enterprise/responses/${id}`, { cookie: a.cookie });
		expect(page.status).toBe(200);
		expect(page.text).toContain('alert(1)'); // it is there (as data)...
		expect(page.text).not.toMatch(RAW_XSS); // ...but never as markup
		await put({ data: {}, currentPageNo: 0, revision });
	});
});

describe('XSS in names shown to others', () => {
	it('a user name with markup is escaped on every page that shows it', async () => {
		const b = await newEnterprise(base, { name: `Công ty ${XSS}` });
		expect(b.dashboard).not.toMatch(RAW_XSS);
		const admin = await loginAsRole(base, 'admin');
		const users = await send(base, '/admin/users', { cookie: admin });
		expect(users.text).toContain('alert(1)');
		expect(users.text).not.toMatch(RAW_XSS);
		const audit = await send(base, '/admin/audit', { cookie: admin });
		expect(audit.text).not.toMatch(RAW_XSS);
		for (const campaign of (await send(base, '/admin/campaigns', { cookie: admin })).text.match(
			/\/admin\/campaigns\/[A-Za-z0-9]+/g
		) ?? []) {
			const page = await send(base, campaign, { cookie: admin });
			expect(page.text, campaign).not.toMatch(RAW_XSS);
		}
	});
});

describe('path traversal', () => {
	it('encoded ../ in route parameters never reaches another route or file', async () => {
		const ent = await loginAsRole(base, 'enterprise');
		for (const p of [
			'/enterprise/responses/..%2f..%2fadmin%2fusers',
			'/enterprise/responses/..%2F..%2F..%2Fetc%2Fpasswd/scorecard',
			'/enterprise/responses/%2e%2e%2f%2e%2e%2fhealthz',
			'/_app/..%2f..%2f..%2fpackage.json',
			'/_app/immutable/..%2F..%2F..%2F.env',
			'/..%2f..%2fpackage.json'
		]) {
			const r = await send(base, p, { cookie: ent });
			expect([400, 403, 404], `${p}: ${r.status}`).toContain(r.status);
			expect(r.text).not.toContain('"devDependencies"');
		}
		const put = await send(base, '/api/v1/responses/..%2F..%2Fhealthz', {
			method: 'PUT',
			cookie: ent,
			json: { data: {}, revision: 0 }
		});
		expect(put.status).toBe(404);
	});

	it('upload handlers (if any) refuse traversal in file names', async () => {
		const uploads = discoverRoutes().filter((r) =>
			['+page.server.ts', '+server.ts'].some((f) => {
				const p = join(r.dir, f);
				return existsSync(p) && /instanceof File|\.arrayBuffer\(\)|multipart/.test(readFileSync(p, 'utf8'));
			})
		);
		const admin = await loginAsRole(base, 'admin');
		for (const route of uploads) {
			for (const req of await requestsFor(route)) {
				if (req.method !== 'POST') continue;
				const fd = new FormData();
				fd.append(
					'file',
					new Blob(['a,b\n1,2\n'], { type: 'text/csv' }),
					'../../../../tmp/techcap-traversal.csv'
				);
				const r = await send(base, req.path, {
					method: 'POST',
					cookie: admin,
					body: fd,
					headers: { accept: 'text/html' }
				});
				expect(r.status, req.path).toBeLessThan(500);
				expect(existsSync('/tmp/techcap-traversal.csv'), req.path).toBe(false);
			}
		}
	});
});

describe('CSV exports are formula-safe', () => {
	it('every cell of every discovered CSV export is text-safe and the file starts with a BOM', async () => {
		const admin = await loginAsRole(base, 'admin');
		// A value an attacker controls that starts like a formula, recorded in the audit log.
		await newEnterprise(base, { name: '=HYPERLINK("http://evil.example","x")' });
		const exports = discoverRoutes().filter((r) => r.methods.includes('GET') && /export|csv/i.test(r.id));
		expect(exports.length).toBeGreaterThan(0);
		for (const route of exports) {
			if (decide(route.id, 'admin') !== 'allow') continue;
			const req = (await requestsFor(route)).find((x) => x.method === 'GET')!;
			const r = await fetch(base + req.path, { headers: { cookie: admin } });
			if (!/text\/csv/.test(r.headers.get('content-type') ?? '')) continue;
			const bytes = new Uint8Array(await r.arrayBuffer());
			expect([...bytes.slice(0, 3)], `${req.path} BOM`).toEqual([0xef, 0xbb, 0xbf]);
			const text = new TextDecoder().decode(bytes.slice(3));
			for (const cell of text.split(/[\r\n,]+/)) {
				const v = cell.replace(/^"/, '');
				expect(
					/^[=+@\t\r]/.test(v) || (/^-/.test(v) && !/^-\d/.test(v)),
					`${req.path}: ${v.slice(0, 80)}`
				).toBe(false);
			}
		}
	});
});
