/**
 * The authorisation matrix, tested from ACCESS_RULES against the built server: every route found in
 * src/routes (each page, each form action, each method a +server.ts exports; parameters filled
 * with random ids) × anonymous and each role, logged in for real with the demo accounts.
 * Expected: `decide()` of src/lib/server/authz.ts. Allowed → anything but a refusal (and never a
 * 5xx, even with an empty body); forbidden → 403; anonymous → 303 to /login (pages) or 401 (API).
 * Then data-level scoping: enterprise A asking for B's responses and scorecards gets 404.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ACCESS_RULES, decide, ruleFor } from '../../src/lib/server/authz';
import type { Role } from '../../src/lib/server/db/schema';
import { builtRouteIds, discoverRoutes, requestsFor, type RouteRequest } from './routes';
import { ROLES, loginAsRole, send } from './client';
import { enterpriseA, newEnterprise, type EnterpriseActor } from './fixtures';

const base = inject('securityBaseUrl');
const sourceRoutes = discoverRoutes();
const built = builtRouteIds();
// Only what the build serves is requested; a build older than src/routes fails the first test.
const routes = sourceRoutes.filter((r) => built.has(r.id));
// Logging out ends the session the rest of the cases use, so it goes last.
const requests = (await Promise.all(routes.map(requestsFor)))
	.flat()
	.sort((a, b) => Number(a.route.id === '/logout') - Number(b.route.id === '/logout'));

function label(r: RouteRequest): string {
	return `${r.method} ${r.route.id}${r.action && r.action !== 'default' ? ` ?/${r.action}` : ''}`;
}

describe('route discovery', () => {
	it('the build under test is current: it serves every route in src/routes', () => {
		const missing = sourceRoutes.filter((r) => !built.has(r.id)).map((r) => r.id);
		expect(missing, 'rebuild (unset TECHCAP_E2E_NO_BUILD) to test these routes').toEqual([]);
	});

	it('finds the known routes, pages and endpoints alike', () => {
		const ids = routes.map((r) => r.id);
		for (const id of [
			'/',
			'/login',
			'/admin/users',
			'/api/v1/responses/[id]',
			'/enterprise/responses/[id]/scorecard'
		])
			expect(ids).toContain(id);
		expect(requests.length).toBeGreaterThan(routes.length);
	});

	it('every route has an explicit rule in ACCESS_RULES (deny-by-default would otherwise hide it)', () => {
		const missing = routes.filter((r) => !ruleFor(r.id)).map((r) => r.id);
		expect(missing, `add ACCESS_RULES entries for: ${missing.join(', ')}`).toEqual([]);
	});

	it('every rule covers at least one existing route (no stale rules)', () => {
		const unused = ACCESS_RULES.filter((rule) => !routes.some((r) => ruleFor(r.id) === rule)).map(
			(r) => r.prefix
		);
		expect(unused).toEqual([]);
	});
});

for (const role of [null, ...ROLES] as (Role | null)[]) {
	describe(`as ${role ?? 'anonymous'}`, () => {
		let cookie: string | null = null;
		beforeAll(async () => {
			if (role) cookie = await loginAsRole(base, role);
		});

		for (const r of requests) {
			const expected = decide(r.route.id, role, r.kind === 'action' ? r.action : undefined);
			it(`${label(r)} → ${expected}`, async () => {
				const res = await send(base, r.path, {
					method: r.method,
					cookie,
					// Endpoints get an empty JSON object: a missing body must not turn into a crash.
					...(r.kind === 'action'
						? { form: {} }
						: r.method === 'GET' || r.method === 'HEAD'
							? {}
							: { json: {} })
				});
				const toLogin = res.status === 303 && (res.location ?? '').startsWith('/login?next=');
				const what = `${res.status} ${res.location ?? ''} ${res.text.slice(0, 200)}`;
				// The page the central check shows for a refusal answers 403 to everyone, by design.
				if (r.route.id === '/forbidden') expect(res.status, what).toBe(403);
				else if (expected === 'forbidden') expect(res.status, what).toBe(403);
				else if (expected === 'login') {
					if (r.path.startsWith('/api/')) expect(res.status, what).toBe(401);
					else expect(toLogin, what).toBe(true);
				} else {
					expect([401, 403], what).not.toContain(res.status);
					expect(toLogin, what).toBe(false);
					expect(res.status, what).toBeLessThan(500);
				}
			});
		}
	});
}

/** 404, or for SvelteKit's data endpoint (always 200) an error node with status 404. */
function expectNotFound(r: { status: number; text: string }, path: string): void {
	if (path.endsWith('/__data.json')) expect(r.text, path).toMatch(/"type":"error".*"status":404/);
	else expect(r.status, `${path}: ${r.text.slice(0, 200)}`).toBe(404);
}

describe('data-level scoping between enterprises', () => {
	let a: EnterpriseActor;
	let b: EnterpriseActor & { name: string };
	beforeAll(async () => {
		a = await enterpriseA(base);
		b = await newEnterprise(base);
	});

	it('both enterprises have responses of their own to steal', () => {
		expect(a.responseIds.length).toBeGreaterThan(0);
		expect(b.responseIds.length).toBeGreaterThan(0);
		expect(a.responseIds.filter((id) => b.responseIds.includes(id))).toEqual([]);
	});

	const cases = (id: string) => [
		{ method: 'GET', path: `/enterprise/responses/${id}` },
		{ method: 'GET', path: `/enterprise/responses/${id}/scorecard` },
		{ method: 'GET', path: `/enterprise/responses/${id}/__data.json` },
		{ method: 'PUT', path: `/api/v1/responses/${id}`, json: { data: {}, currentPageNo: 0, revision: 0 } },
		{
			method: 'POST',
			path: `/api/v1/responses/${id}/submit`,
			json: { data: {}, currentPageNo: 0, revision: 0, submitKey: 'x' }
		}
	];

	it("A asking for each of B's responses and scorecards → 404, no data", async () => {
		for (const id of b.responseIds)
			for (const c of cases(id)) {
				const r = await send(base, c.path, { method: c.method, cookie: a.cookie, json: c.json });
				expectNotFound(r, c.path);
				expect(r.text).not.toContain(b.name);
				expect(r.text).not.toMatch(/"revision"|"answers"|"currentPageNo"/);
			}
	});

	it("B asking for each of A's responses and scorecards → 404", async () => {
		for (const id of a.responseIds)
			for (const c of cases(id)) {
				const r = await send(base, c.path, { method: c.method, cookie: b.cookie, json: c.json });
				expectNotFound(r, c.path);
			}
	});

	it("A's own responses still open for A (the 404s are scoping, not breakage)", async () => {
		for (const id of a.submittedIds) {
			const r = await send(base, `/enterprise/responses/${id}/scorecard`, { cookie: a.cookie });
			expect(r.status).toBe(200);
		}
	});
});
