/**
 * The authorisation matrix: which roles may reach which part of the app. Enforced for every
 * request in one place (`hooks.server.ts`), deny-by-default: a route with no rule here is refused,
 * so a new page is never public by accident. Data-level scoping (an enterprise sees only its own
 * responses) is enforced again in each use case's queries.
 */
import type { Role } from './db/schema';

export type Audience = 'public' | 'authenticated' | readonly Role[];

export interface AccessRule {
	/** Route id prefix as SvelteKit reports it (`event.route.id`), e.g. '/admin'. */
	prefix: string;
	audience: Audience;
	/** What the area is for: shown in docs/authorisation.md and the generated tests. */
	resource: string;
	/** Form actions (`?/name`, 'default' for an unnamed one) open to fewer roles than the page. */
	actions?: Readonly<Record<string, readonly Role[]>>;
}

/** Longest matching prefix wins. */
export const ACCESS_RULES: readonly AccessRule[] = [
	{ prefix: '/', audience: 'public', resource: 'home page' },
	{ prefix: '/login', audience: 'public', resource: 'login' },
	{ prefix: '/logout', audience: 'authenticated', resource: 'logout' },
	{ prefix: '/locale', audience: 'public', resource: 'language switch' },
	{ prefix: '/invite', audience: 'public', resource: 'invitation acceptance (token is the credential)' },
	{
		prefix: '/reset',
		audience: 'public',
		resource:
			'password reset by an e-mailed one-time link (token is the credential; asked for at /login/reset)'
	},
	{ prefix: '/healthz', audience: 'public', resource: 'health check' },
	{ prefix: '/admin', audience: ['admin'], resource: 'administration' },
	{
		prefix: '/admin/campaigns',
		audience: ['analyst', 'admin'],
		actions: { create: ['admin'] },
		resource: 'campaign list and phases (analysts read; creating a campaign: admins)'
	},
	{
		prefix: '/admin/campaigns/[id]',
		audience: ['admin'],
		resource: 'a campaign: participants, invitations, reopening answers, extension (admins)'
	},
	{
		prefix: '/admin/campaigns/[id]/tracking',
		audience: ['analyst', 'admin'],
		actions: { remind: ['admin'], settings: ['admin'], decline: ['admin'], reopen: ['admin'] },
		resource:
			'response tracking and closing a campaign now (analysts run campaigns: read and close; reminders, declines and reopening: admins)'
	},
	{
		prefix: '/forbidden',
		audience: 'public',
		resource: 'the styled "not allowed" page the central check shows instead of a refused page'
	},
	{
		prefix: '/enterprise',
		audience: ['enterprise'],
		resource: "an enterprise's own campaigns, responses and scorecards"
	},
	{
		prefix: '/analyst/imports',
		audience: ['analyst', 'admin'],
		resource: 'CSV import of the register and of responses'
	},
	{
		prefix: '/api/v1/imports',
		audience: ['analyst', 'admin'],
		resource: 'import job progress (polled by the import page)'
	},
	{
		prefix: '/analyst/releases/[id]/microdata.csv',
		audience: ['analyst', 'admin'],
		resource: 'release microdata export (analysts with microdata rights and admins; audited)'
	},
	{
		prefix: '/analyst/releases/[id]/review',
		audience: ['analyst', 'admin'],
		resource:
			'an unpublished release under review: its protected tables and disclosure report; submit or discard a draft (analysts, admins); publish or return it (admins and analysts with the publish right, checked by the use case)'
	},
	{
		prefix: '/analyst',
		audience: ['analyst', 'policymaker', 'admin'],
		actions: { draft: ['analyst', 'admin'] },
		resource:
			'sector database dashboards and exports (policymakers: protected aggregates only; microdata: analysts with microdata rights, admins)'
	},
	{
		prefix: '/policy/programmes/[id]',
		audience: ['policymaker', 'admin'],
		resource: 'editing a support programme (policymakers and admins)'
	},
	{
		prefix: '/policy',
		audience: ['policymaker', 'admin', 'analyst'],
		resource:
			'support policy: gap map, programmes, shortlists, follow-up, what-if (analysts read-only with pseudonyms; edits: policymakers and admins)'
	},
	{
		prefix: '/api/v1/releases',
		audience: 'public',
		resource: 'read-only JSON API of published releases (protected aggregates only)'
	},
	{
		prefix: '/api/v1/responses',
		audience: ['enterprise'],
		resource: "autosave and submit of the caller's own responses"
	}
];

function matches(prefix: string, routeId: string): boolean {
	if (prefix === '/') return routeId === '/';
	return routeId === prefix || routeId.startsWith(prefix + '/');
}

/** Strip route groups `(name)` so rules speak in URL terms. */
export function normaliseRouteId(routeId: string): string {
	const s = routeId.replace(/\/\([^)]+\)/g, '');
	return s === '' ? '/' : s;
}

export function ruleFor(routeId: string): AccessRule | null {
	const id = normaliseRouteId(routeId);
	let best: AccessRule | null = null;
	for (const r of ACCESS_RULES) {
		if (matches(r.prefix, id) && (!best || r.prefix.length > best.prefix.length)) best = r;
	}
	return best;
}

export type AccessDecision = 'allow' | 'login' | 'forbidden';

/**
 * The decision for a request. `action` is the form action of a POST to a page (`?/name`, or
 * 'default'); a rule may narrow some actions to fewer roles than may read the page.
 */
export function decide(routeId: string | null, role: Role | null, action?: string): AccessDecision {
	if (routeId === null) return 'allow'; // no route: SvelteKit answers 404 itself
	const rule = ruleFor(routeId);
	if (!rule) return role ? 'forbidden' : 'login';
	if (rule.audience === 'public') return 'allow';
	if (!role) return 'login';
	if (rule.audience !== 'authenticated' && !rule.audience.includes(role)) return 'forbidden';
	// Own keys only: an action named `constructor` or `__proto__` must not reach Object.prototype.
	const narrowed =
		action !== undefined && rule.actions && Object.hasOwn(rule.actions, action)
			? rule.actions[action]
			: undefined;
	if (narrowed && !narrowed.includes(role)) return 'forbidden';
	return 'allow';
}

/**
 * The form action SvelteKit will run for a request, derived exactly as SvelteKit 2 does
 * (`call_action` in its runtime): the first query parameter whose decoded *name* starts with `/`
 * names the action, anywhere in the query string (`?x=1&/publish`, `?%2Fpublish`, `?/publish=1`);
 * none → 'default'. Reading only the start of the raw query string let those spellings through.
 */
export function formActionOf(method: string, search: string): string | undefined {
	if (method !== 'POST') return undefined;
	for (const [name] of new URLSearchParams(search)) if (name.startsWith('/')) return name.slice(1);
	return 'default';
}

/**
 * What per-enterprise (row-level) data a user may receive, whatever the path: microdata, the policy
 * shortlist page and CSV, what-if, follow-up, the gap map and their JSON (`__data.json`). Checked
 * by the use cases (`src/lib/server/policy`, `src/lib/server/exports`), never only by routes.
 *
 * - `identified`: every field, names and tax codes included (admins);
 * - `pseudonymised`: every field under pseudonyms, unpublished (campaign) scores too (analysts
 *   with microdata rights);
 * - `targets`: the enterprises a support programme would select, by name and tax code, with their
 *   current and expected level only (no points, scores or attributes), from published releases
 *   only; every view and download is audited (policymakers: choosing whom to support is their job);
 * - `none`: protected aggregates only (disclosure-controlled, suppressed cells withheld).
 */
export type RowAccess = 'identified' | 'pseudonymised' | 'targets' | 'none';

export interface RowEntitlement {
	who: string;
	access: RowAccess;
	sees: string;
}

/** The table of row-level entitlements, in the order of `rowAccessOf` (also in docs/authorisation.md). */
export const ROW_ENTITLEMENTS: readonly RowEntitlement[] = [
	{
		who: 'admin',
		access: 'identified',
		sees: 'every row and field, names and tax codes; identified microdata export; unpublished (campaign) sources'
	},
	{
		who: 'analyst with microdata rights',
		access: 'pseudonymised',
		sees: 'every row under pseudonyms (microdata, shortlist rows with points, what-if and follow-up below k); unpublished (campaign) sources'
	},
	{
		who: 'policymaker',
		access: 'targets',
		sees: 'published releases only: protected aggregates, and the enterprises a programme shortlist selects (rank, name, tax code, cost, current and expected level; no points, scores, size, ownership, ward or VSIC); each shortlist view and CSV download is audited'
	},
	{
		who: 'analyst without microdata rights',
		access: 'none',
		sees: 'published releases only: protected aggregates (cells below k withheld, `:c`); no shortlist rows'
	},
	{ who: 'enterprise, anonymous', access: 'none', sees: 'no policy data (only its own responses)' }
];

/** The row-level entitlement of a user (see {@link ROW_ENTITLEMENTS}). */
export function rowAccessOf(user: { role: string; microdata?: boolean } | null | undefined): RowAccess {
	if (!user) return 'none';
	if (user.role === 'admin') return 'identified';
	if (user.role === 'analyst') return user.microdata === true ? 'pseudonymised' : 'none';
	if (user.role === 'policymaker') return 'targets';
	return 'none';
}

/** Every field of every row (under pseudonyms unless `identified`), suppressed cells included. */
export function seesAllRows(access: RowAccess): boolean {
	return access === 'identified' || access === 'pseudonymised';
}

/** Names and tax codes of enterprises. */
export function seesIdentities(access: RowAccess): boolean {
	return access === 'identified' || access === 'targets';
}

/** Unpublished sources (a campaign's current scores): only those who may see every row anyway. */
export function seesUnpublished(access: RowAccess): boolean {
	return seesAllRows(access);
}

/**
 * A same-site path to return to after login; anything else (other hosts, `//x`, `\\x`) → '/'.
 * Control characters are refused outright: browsers drop tabs and newlines from URLs, so
 * `/\t/evil.example` would otherwise become the protocol-relative `//evil.example`.
 */
export function safeNext(next: string | null | undefined): string {
	if (!next || typeof next !== 'string' || next.length > 2000) return '/';
	// eslint-disable-next-line no-control-regex
	if (!next.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(next)) return '/';
	const base = 'http://techcap.invalid';
	let url: URL;
	try {
		url = new URL(next, base);
	} catch {
		return '/';
	}
	return url.origin === base ? url.pathname + url.search + url.hash : '/';
}
