/**
 * Issue 22 against the built server, with real ids (releases, campaigns and programmes of the demo
 * data, found through the app): row-level data only to those entitled, on every path that returns
 * it; invitation links that cannot take over an account; the central action check under every
 * spelling SvelteKit accepts; throttling that stops guessing without locking out the owner; and
 * clear 4xx answers (page numbers, oversized uploads and chunked bodies, a bounded fuzz).
 */
import { request as httpRequest } from 'node:http';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { decide, formActionOf } from '../../src/lib/server/authz';
import type { Role } from '../../src/lib/server/db/schema';
import { acceptInvite, cookieFrom, loginAsRole, send } from './client';
import { enterpriseA } from './fixtures';
import { discoverRoutes, fillParams } from './routes';

const base = inject('securityBaseUrl');
const PASSWORD = 'Kiem-thu-quyen-2026!';
let counter = 0;
const uniqueEmail = (what: string) => `${what}-${Date.now().toString(36)}-${++counter}@kiemthu.vn`;

/** Admin invites `email` as `role`; returns the link's token. */
async function invite(admin: string, email: string, role: Role): Promise<string | null> {
	const r = await send(base, '/admin/users?/invite', {
		method: 'POST',
		cookie: admin,
		form: { email, role }
	});
	return /\/invite\/([A-Za-z0-9_-]{20,})/.exec(r.text)?.[1] ?? null;
}

/** A new account of `role` made through the app (an analyst made this way has no microdata rights). */
async function newUser(admin: string, role: Role): Promise<{ email: string; cookie: string }> {
	const email = uniqueEmail(role);
	const token = await invite(admin, email, role);
	if (!token) throw new Error(`no invitation link for ${email}`);
	return { email, cookie: await acceptInvite(base, token, `Kiểm thử ${role}`, PASSWORD) };
}

/** A form-encoded login from a given loopback address (the server sees it as the client address). */
function loginFrom(
	localAddress: string,
	email: string,
	password: string
): Promise<{ status: number; cookie: string | null }> {
	const body = new URLSearchParams({ email, password, next: '/' }).toString();
	const url = new URL('/login', base);
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			{
				host: url.hostname,
				port: url.port,
				path: url.pathname,
				method: 'POST',
				localAddress,
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					'content-length': Buffer.byteLength(body),
					accept: 'text/html',
					origin: base
				}
			},
			(res) => {
				res.resume();
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						cookie: cookieFrom([res.headers['set-cookie'] ?? []].flat())
					})
				);
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

let admin: string;
let policymaker: string;
let analystMd: string;
let analyst: string;
let enterprise: string;
let releaseId: string;
let campaignId: string;
let pids: string[];

beforeAll(async () => {
	admin = await loginAsRole(base, 'admin');
	policymaker = await loginAsRole(base, 'policymaker');
	analystMd = await loginAsRole(base, 'analyst'); // the demo analyst has microdata rights
	enterprise = await loginAsRole(base, 'enterprise');
	analyst = (await newUser(admin, 'analyst')).cookie;
	const policy = await send(base, '/policy', { cookie: admin });
	releaseId = /value="release:([\w-]+)"/.exec(policy.text)?.[1] ?? '';
	campaignId = /value="campaign:([\w-]+)"/.exec(policy.text)?.[1] ?? '';
	const micro = await send(base, `/analyst/releases/${releaseId}/microdata.csv`, { cookie: admin });
	expect(micro.status).toBe(200);
	// The first column of the microdata file is the pseudonym.
	pids = micro.text
		.split(/\r?\n/)
		.slice(1)
		.map((l) => l.split(',')[0].replace(/"/g, ''))
		.filter((p) => /^[0-9a-f]{8,}$/.test(p));
});

describe('row-level data: one rule on every path, per role (real ids)', () => {
	it('the demo gives a release with microdata rows and an unpublished campaign source', () => {
		expect(releaseId).not.toBe('');
		expect(campaignId).not.toBe('');
		expect(pids.length).toBeGreaterThan(10);
	});

	const q = (source: string) =>
		`source=${source}&programme=chuyen-doi-so&mode=budget&amount=1000000000000&objective=points`;
	const leaks = (text: string) => pids.filter((p) => text.includes(p));

	it('microdata.csv: admin and analysts with rights only', async () => {
		const path = `/analyst/releases/${releaseId}/microdata.csv`;
		expect((await send(base, path, { cookie: analystMd })).status).toBe(200);
		for (const cookie of [analyst, policymaker, enterprise]) {
			const r = await send(base, path, { cookie });
			expect(r.status).toBe(403);
			expect(leaks(r.text)).toEqual([]);
		}
	});

	it('the row-level attack: shortlist CSV of a release → 403 for an analyst without microdata rights', async () => {
		for (const source of [`release:${releaseId}`, `campaign:${campaignId}`]) {
			const r = await send(base, `/policy/shortlist/shortlist.csv?${q(source)}`, { cookie: analyst });
			expect(r.status, source).toBe(403);
			expect(leaks(r.text)).toEqual([]);
		}
	});

	it('shortlist page and its __data.json: no rows for an analyst without microdata rights', async () => {
		for (const path of [
			`/policy/shortlist?${q(`release:${releaseId}`)}`,
			`/policy/shortlist/__data.json?${q(`release:${releaseId}`)}`
		]) {
			const r = await send(base, path, { cookie: analyst });
			expect(r.status).toBeLessThan(500);
			expect(leaks(r.text), path).toEqual([]);
			expect(r.text).toMatch(/vi dữ liệu|microdata rights/);
		}
	});

	it('policymakers: names and levels of the selection from releases, no pseudonyms or points; unpublished refused', async () => {
		const csv = await send(base, `/policy/shortlist/shortlist.csv?${q(`release:${releaseId}`)}`, {
			cookie: policymaker
		});
		expect(csv.status).toBe(200);
		const head = csv.text.split(/\r?\n/)[0];
		expect(head).toMatch(/Tên doanh nghiệp|Enterprise name/);
		expect(head).not.toMatch(/Mã ẩn danh|Pseudonym|Tiêu chí|Criteria|Điểm hiện tại|Current score|VSIC/);
		expect(leaks(csv.text)).toEqual([]);
		const page = await send(base, `/policy/shortlist?${q(`release:${releaseId}`)}`, { cookie: policymaker });
		expect(leaks(page.text)).toEqual([]);
		const unpublished = await send(base, `/policy/shortlist/shortlist.csv?${q(`campaign:${campaignId}`)}`, {
			cookie: policymaker
		});
		expect(unpublished.status).toBe(403);
	});

	it('every identified shortlist download is in the audit log', async () => {
		const audit = await send(base, '/admin/audit?action=shortlist.export', { cookie: admin });
		expect(audit.text).toContain('policy@demo.techcap.vn');
	});

	it('what-if, gap map and follow-up on unpublished scores: refused to analysts without rights and policymakers', async () => {
		const paths = [
			`/policy?source=campaign:${campaignId}&by=all`,
			`/policy/what-if?source=campaign:${campaignId}&target=T&raise=2`,
			`/policy/follow-up?before=campaign:${campaignId}&after=release:${releaseId}`
		];
		for (const cookie of [analyst, policymaker])
			for (const path of paths) {
				const r = await send(base, path, { cookie });
				expect(r.status, path).toBeLessThan(500);
				expect(r.text, path).toMatch(/chưa công bố|unpublished/);
				expect(leaks(r.text)).toEqual([]);
			}
		// Entitled viewers get figures from the same paths.
		const ok = await send(base, paths[0], { cookie: analystMd });
		expect(ok.text).not.toMatch(/chỉ quản trị viên và chuyên viên có quyền vi dữ liệu/);
	});

	it('analysts with rights get pseudonymised rows; admins names', async () => {
		const md = await send(base, `/policy/shortlist/shortlist.csv?${q(`release:${releaseId}`)}`, {
			cookie: analystMd
		});
		expect(md.status).toBe(200);
		expect(leaks(md.text).length).toBeGreaterThan(0);
		expect(md.text.split(/\r?\n/)[0]).not.toMatch(/Tên doanh nghiệp|Mã số thuế/);
		const ad = await send(base, `/policy/shortlist/shortlist.csv?${q(`release:${releaseId}`)}`, {
			cookie: admin
		});
		expect(ad.text.split(/\r?\n/)[0]).toMatch(/Tên doanh nghiệp/);
	});
});

describe('invitation links never take over an account', () => {
	it('the takeover attack: a spare link after the owner accepted is refused; the owner keeps password and session', async () => {
		const email = uniqueEmail('owner');
		const t1 = await invite(admin, email, 'analyst');
		const t2 = await invite(admin, email, 'analyst');
		expect(t1 && t2).toBeTruthy();
		// The newer link replaced the older one.
		expect((await send(base, `/invite/${t1}`)).text).toMatch(/liên kết mới hơn|newer one/);
		const owner = await acceptInvite(base, t2!, 'Owner', PASSWORD);
		for (const token of [t1!, t2!]) {
			const r = await send(base, `/invite/${token}`, {
				method: 'POST',
				form: { name: 'Mallory', password: 'Mat-khau-ke-gian-1', password2: 'Mat-khau-ke-gian-1' }
			});
			expect(r.status).not.toBe(303);
			expect(cookieFrom(r.setCookies)).toBeNull();
		}
		expect((await send(base, '/analyst', { cookie: owner })).status).toBe(200);
		expect((await loginFrom('127.0.0.1', email, PASSWORD)).status).toBe(303);
		// And no new link can be minted for an account that has a password.
		expect(await invite(admin, email, 'analyst')).toBeNull();
	});
});

describe("password reset: the owner's way in, by e-mail", () => {
	it('the same answer for any address; the mailed one-time link sets the password, ends other sessions, signs in', async () => {
		const { email, cookie: oldSession } = await newUser(admin, 'analyst');
		const ask = (e: string) => send(base, '/login/reset', { method: 'POST', form: { email: e } });
		const known = await ask(email);
		const unknown = await ask(uniqueEmail('ghost'));
		expect(known.status).toBe(200);
		const said = (t: string) => /<p class="notice"[^>]*data-testid="reset-message">([^<]*)</.exec(t)?.[1];
		expect(said(known.text)).toBeTruthy();
		expect(said(known.text)).toBe(said(unknown.text));
		// Read the message from the mail outbox as an admin would.
		const list = await send(base, '/admin/mail?page=0', { cookie: admin });
		const ids = [...list.text.matchAll(/\/admin\/mail\/([A-Za-z0-9_-]{6,})/g)].map((m) => m[1]);
		let token: string | undefined;
		for (const id of ids) {
			const m = await send(base, `/admin/mail/${id}`, { cookie: admin });
			if (m.text.includes(email)) token = /\/reset\/([A-Za-z0-9_-]{43})/.exec(m.text)?.[1];
			if (token) break;
		}
		expect(token).toBeTruthy();
		const pw = 'Mat-khau-moi-2026!';
		const done = await send(base, `/reset/${token}`, {
			method: 'POST',
			form: { password: pw, password2: pw }
		});
		expect(done.status).toBe(303);
		expect(cookieFrom(done.setCookies)).not.toBeNull();
		expect((await send(base, '/analyst', { cookie: oldSession })).status).toBe(303);
		expect((await loginFrom('127.0.0.7', email, pw)).status).toBe(303);
		// Once only; and a reset link is not an invitation.
		const again = await send(base, `/reset/${token}`, {
			method: 'POST',
			form: { password: pw, password2: pw }
		});
		expect(again.status).toBe(400);
		const asInvite = await send(base, `/invite/${token}`, {
			method: 'POST',
			form: { name: 'M', password: pw, password2: pw }
		});
		expect(asInvite.status).not.toBe(303);
	});
});

describe('the central action check reads the action SvelteKit runs', () => {
	const spellings = (name: string) => [
		`?x=1&/${name}`,
		`?%2F${name}`,
		`?%2f${name}`,
		`?/${name}=1`,
		`?a&&/${name}`
	];
	const routes = discoverRoutes().filter(
		(r) => r.page && r.id !== '/logout' && r.actions.some((a) => a !== 'default')
	);

	for (const role of ['enterprise', 'analyst', 'policymaker', 'admin'] as const)
		it(`as ${role}: every named action under every spelling → the decision of its rule`, async () => {
			const cookie = role === 'analyst' ? analyst : await loginAsRole(base, role);
			for (const route of routes) {
				const path = await fillParams(route.id);
				for (const action of route.actions.filter((a) => a !== 'default'))
					for (const s of spellings(action)) {
						expect(formActionOf('POST', s)).toBe(action);
						const expected = decide(route.id, role, action);
						const r = await send(base, path + s, { method: 'POST', cookie, form: {} });
						const what = `${role} POST ${route.id}${s}: ${r.status}`;
						if (expected === 'forbidden') expect(r.status, what).toBe(403);
						else expect([401, 403], what).not.toContain(r.status);
						expect(r.status, what).toBeLessThan(500);
					}
			}
		});

	it('two other spellings of a form action as a policymaker → 403 and audited', async () => {
		for (const s of ['?x=1&/draft', '?%2Fdraft'])
			expect(
				(await send(base, `/analyst${s}`, { method: 'POST', cookie: policymaker, form: {} })).status
			).toBe(403);
		const audit = await send(base, '/admin/audit?action=access.forbidden', { cookie: admin });
		expect(audit.text).toContain('policy@demo.techcap.vn');
	});
});

describe('throttling stops guessing without locking out the owner', () => {
	it('lock-out-the-owner: 50 wrong passwords from 127.0.0.2, the owner from 127.0.0.3 signs in', async () => {
		const { email } = await newUser(admin, 'analyst');
		const statuses: number[] = [];
		for (let i = 0; i < 50; i++)
			statuses.push((await loginFrom('127.0.0.2', email, `sai-mat-khau-${i}`)).status);
		expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(45);
		expect((await loginFrom('127.0.0.2', email, PASSWORD)).status).toBe(429);
		const owner = await loginFrom('127.0.0.3', email, PASSWORD);
		expect(owner.status).toBe(303);
		expect(owner.cookie).not.toBeNull();
	});

	it('burst: 40 simultaneous wrong attempts → at most 5 checked; the owner still gets in', async () => {
		const { email } = await newUser(admin, 'analyst');
		const rs = await Promise.all(
			Array.from({ length: 40 }, (_, i) => loginFrom('127.0.0.4', email, `sai-mat-khau-${i}`))
		);
		const checkedAndWrong = rs.filter((r) => r.status === 400).length;
		const refused = rs.filter((r) => r.status === 429).length;
		console.log(`burst of 40: ${checkedAndWrong} answered "wrong password", ${refused} refused (429)`);
		expect(checkedAndWrong).toBeLessThanOrEqual(5);
		expect(refused).toBeGreaterThanOrEqual(35);
		expect((await loginFrom('127.0.0.5', email, PASSWORD)).status).toBe(303);
	});

	it('spray: one address trying many accounts is stopped', async () => {
		const statuses: number[] = [];
		for (let i = 0; i < 36; i++)
			statuses.push((await loginFrom('127.0.0.6', uniqueEmail('spray'), 'Mat-khau-pho-bien-1')).status);
		expect(statuses.slice(-5)).toEqual([429, 429, 429, 429, 429]);
	});
});

describe('the publishing right on /admin/users', () => {
	it('only an admin may set it; each change is in the audit log', async () => {
		const target = await newUser(admin, 'analyst');
		const list = await send(base, `/admin/users?q=${encodeURIComponent(target.email)}`, { cookie: admin });
		const id = /action="\?\/publisher"[^]*?name="id" value="([^"]+)"/.exec(list.text)?.[1] ?? '';
		expect(id, 'the analyst row has a publisher toggle').not.toBe('');
		for (const [who, cookie] of [
			['analyst', analystMd],
			['policymaker', policymaker],
			['enterprise', enterprise]
		] as const) {
			const r = await send(base, '/admin/users?/publisher', {
				method: 'POST',
				cookie,
				form: { id, publisher: 'true' }
			});
			expect(r.status, who).toBe(403);
		}
		// The refusals changed nothing: no entry about this account yet (newest entries first).
		expect((await send(base, '/admin/audit', { cookie: admin })).text).not.toContain(`users/${id}`);
		const ok = await send(base, '/admin/users?/publisher', {
			method: 'POST',
			cookie: admin,
			form: { id, publisher: 'true' }
		});
		expect(ok.status).toBe(200);
		const audit = await send(base, '/admin/audit?action=user.publisher.grant', { cookie: admin });
		expect(audit.text).toContain(`users/${id}`);
		expect(audit.text).toContain('admin@demo.techcap.vn');
		// An enterprise account cannot be given the right: a 400 that says why.
		const ent = await send(base, '/admin/users?role=enterprise', { cookie: admin });
		const entId =
			/<form method="POST" action="\?\/toggle"[^]*?name="id" value="([^"]+)"/.exec(ent.text)?.[1] ?? '';
		const refused = await send(base, '/admin/users?/publisher', {
			method: 'POST',
			cookie: admin,
			form: { id: entId, publisher: 'true' }
		});
		expect(refused.status).toBe(400);
		expect(refused.text).toMatch(/chuyên viên phân tích|analyst/);
	});

	it('/admin/users?page=1e309, -1, abc → 400; past the last page → the last page', async () => {
		for (const page of ['1e309', '-1', 'abc', '1.5', '0']) {
			const r = await send(base, `/admin/users?page=${page}`, { cookie: admin });
			expect(r.status, page).toBe(400);
			expect(r.text).toMatch(/số nguyên|whole number/);
		}
		const far = await send(base, '/admin/users?role=admin&page=999', { cookie: admin });
		expect(far.status).toBe(303);
		expect(far.location).toMatch(/[?&]page=1(&|$)/);
		expect(far.location).toMatch(/role=admin/);
	});
});

describe('every bad request gets a clear 4xx', () => {
	it('/admin/mail?page=1e309, -1, abc → 400 with a message', async () => {
		for (const page of ['1e309', '-1', 'abc', '1.5']) {
			const r = await send(base, `/admin/mail?page=${page}`, { cookie: admin });
			expect(r.status, page).toBe(400);
			expect(r.text).toMatch(/số nguyên|whole number/);
		}
		expect((await send(base, '/admin/mail?page=0', { cookie: admin })).status).toBe(200);
	});

	it('an upload over the limit → 413 with a page that says the limit', async () => {
		const big = new Uint8Array(50 * 1024 * 1024).fill(0x61);
		const form = new FormData();
		form.append('file', new Blob([big], { type: 'text/csv' }), 'lon.csv');
		for (const path of ['/admin/surveys/upload', '/analyst/imports?/analyse']) {
			const r = await fetch(base + path, {
				method: 'POST',
				body: form,
				headers: { cookie: admin, origin: base, accept: 'text/html' },
				redirect: 'manual'
			}).catch((e: unknown) => e);
			if (r instanceof Error) throw new Error(`${path}: ${String(r)}`);
			const text = await (r as Response).text();
			expect((r as Response).status, path).toBe(413);
			expect(text, path).toMatch(/giới hạn là \d+|limit is \d+/);
			expect(text).not.toContain('Internal error');
		}
	});

	it('autosave: a chunked body over 512 KB without Content-Length → 413 with a JSON body', async () => {
		const a = await enterpriseA(base);
		const id = a.openIds[0] ?? a.responseIds[0];
		const chunk = new TextEncoder().encode('{"data":{"x":"' + 'a'.repeat(64 * 1024));
		let n = 0;
		const body = new ReadableStream<Uint8Array>({
			pull(ctrl) {
				if (n++ < 12) ctrl.enqueue(n === 1 ? chunk : chunk.slice(14));
				else ctrl.close();
			}
		});
		const r = await fetch(`${base}/api/v1/responses/${id}`, {
			method: 'PUT',
			body,
			duplex: 'half',
			headers: { cookie: a.cookie, 'content-type': 'application/json', origin: base }
		} as RequestInit);
		expect(r.headers.get('content-length')).not.toBe(null);
		expect(r.status).toBe(413);
		expect(await r.json()).toMatchObject({ code: 'too-large' });
	});

	it('fuzz: hostile query values on every page and endpoint, as admin → never a 5xx (bounded)', async () => {
		const started = Date.now();
		const names = [
			'page',
			'year',
			'source',
			'programme',
			'amount',
			'mode',
			'objective',
			'by',
			'order',
			'status',
			'campaign',
			'sector',
			'release',
			'compare',
			'target',
			'raise',
			'size',
			'ward',
			'vsic',
			'level',
			'ownership',
			'action',
			'before',
			'after',
			'comparison',
			'identified',
			'next'
		];
		const values = [
			'1e309',
			'-1',
			'abc',
			'[]',
			'%00',
			'release:' + 'x'.repeat(70),
			'campaign:zz',
			'9'.repeat(400)
		];
		const targets = discoverRoutes().filter(
			(r) => !['/logout', '/healthz/test'].includes(r.id) && (r.page || r.methods.includes('GET'))
		);
		let requests = 0;
		const failures: string[] = [];
		for (const route of targets) {
			const path = await fillParams(route.id);
			for (const v of values) {
				const qs = names.map((n) => `${n}=${encodeURIComponent(v)}`).join('&');
				const r = await send(base, `${path}?${qs}`, { cookie: admin });
				requests++;
				if (r.status >= 500)
					failures.push(`${r.status} GET ${path}?…=${v.slice(0, 20)}: ${r.text.slice(0, 120)}`);
			}
		}
		console.log(`fuzz: ${requests} requests in ${Date.now() - started} ms`);
		expect(failures).toEqual([]);
		expect(requests).toBeLessThan(2000);
	});

	it('fuzz: hostile form fields on every form action, as admin → never a 5xx (bounded)', async () => {
		const started = Date.now();
		const fields = [
			'id',
			'email',
			'name',
			'role',
			'year',
			'programme',
			'source',
			'amount',
			'mode',
			'objective',
			'taxCode',
			'campaign',
			'campaignId',
			'enterpriseId',
			'release',
			'days',
			'closesAt',
			'reason',
			'locale',
			'kind',
			'status',
			'revision',
			'json',
			'daysBefore',
			'max'
		];
		const values = ['1e309', '-1', 'abc', '', '{"$gt":""}', 'x'.repeat(5000), '9'.repeat(400)];
		const targets = discoverRoutes().filter((r) => r.page && r.id !== '/logout' && r.actions.length > 0);
		let requests = 0;
		const failures: string[] = [];
		for (const route of targets) {
			const path = await fillParams(route.id);
			for (const action of route.actions)
				for (const v of values) {
					const r = await send(base, action === 'default' ? path : `${path}?/${action}`, {
						method: 'POST',
						cookie: admin,
						form: Object.fromEntries(fields.map((f) => [f, v]))
					});
					requests++;
					if (r.status >= 500)
						failures.push(`${r.status} POST ${path}?/${action} …=${v.slice(0, 20)}: ${r.text.slice(0, 120)}`);
				}
		}
		console.log(`form fuzz: ${requests} requests in ${Date.now() - started} ms`);
		expect(failures).toEqual([]);
		expect(requests).toBeLessThan(2000);
	});
});
