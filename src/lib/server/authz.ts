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
}

/** Longest matching prefix wins. */
export const ACCESS_RULES: readonly AccessRule[] = [
	{ prefix: '/', audience: 'public', resource: 'home page' },
	{ prefix: '/login', audience: 'public', resource: 'login' },
	{ prefix: '/logout', audience: 'authenticated', resource: 'logout' },
	{ prefix: '/locale', audience: 'public', resource: 'language switch' },
	{ prefix: '/invite', audience: 'public', resource: 'invitation acceptance (token is the credential)' },
	{ prefix: '/healthz', audience: 'public', resource: 'health check' },
	{ prefix: '/admin', audience: ['admin'], resource: 'administration' },
	{
		prefix: '/enterprise',
		audience: ['enterprise'],
		resource: "an enterprise's own campaigns, responses and scorecards"
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

export function decide(routeId: string | null, role: Role | null): AccessDecision {
	if (routeId === null) return 'allow'; // no route: SvelteKit answers 404 itself
	const rule = ruleFor(routeId);
	if (!rule) return role ? 'forbidden' : 'login';
	if (rule.audience === 'public') return 'allow';
	if (!role) return 'login';
	if (rule.audience === 'authenticated') return 'allow';
	return rule.audience.includes(role) ? 'allow' : 'forbidden';
}

/** A same-site path to return to after login; anything else (other hosts, `//x`, `\\x`) → '/'. */
export function safeNext(next: string | null | undefined): string {
	if (!next || typeof next !== 'string') return '/';
	if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\r\n]/.test(next))
		return '/';
	return next;
}
