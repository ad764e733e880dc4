/**
 * Route discovery: reads src/routes at test time, so routes added by anyone are covered without
 * editing these tests. Each route yields the requests it can answer: GET for a page, POST for each
 * form action, and every HTTP method a +server.ts exports.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';

export const ROUTES_DIR = join(import.meta.dirname, '..', '..', 'src', 'routes');
const PARAMS_DIR = join(import.meta.dirname, '..', '..', 'src', 'params');

export interface RouteInfo {
	/** SvelteKit route id, e.g. '/admin/campaigns/[id]'. */
	id: string;
	page: boolean;
	/** Form actions of the page ('default' for an unnamed one). */
	actions: string[];
	/** HTTP methods exported by +server.ts. */
	methods: string[];
	dir: string;
}

export interface RouteRequest {
	route: RouteInfo;
	method: string;
	/** Concrete path with parameters filled in, plus `?/<action>` for a named action. */
	path: string;
	kind: 'page' | 'action' | 'endpoint';
	action?: string;
}

const METHOD_RE =
	/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD|fallback)\b/g;

function walk(dir: string, out: string[]): void {
	out.push(dir);
	for (const name of readdirSync(dir).sort()) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) walk(p, out);
	}
}

/** Top-level keys of `export const actions = { ... }` (enough for the object-literal style used here). */
export function actionNames(raw: string): string[] {
	const source = raw.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
	const start = source.search(/export\s+const\s+actions\b/);
	if (start < 0) return [];
	const open = source.indexOf('{', source.indexOf('=', start));
	const names: string[] = [];
	let depth = 0;
	for (let i = open; i < source.length; i++) {
		const c = source[i];
		if (c === '{') depth++;
		else if (c === '}') {
			depth--;
			if (depth === 0) break;
		} else if (depth === 1) {
			const m = /^\s*(?:'([^']+)'|"([^"]+)"|([A-Za-z_$][\w$]*))\s*(?::|\()/.exec(source.slice(i));
			const prev = source[i - 1];
			if (m && (prev === '{' || prev === ',' || prev === '\n' || prev === '\t' || prev === ' ')) {
				const name = m[1] ?? m[2] ?? m[3];
				if (!names.includes(name)) names.push(name);
				i += m[0].length - 1;
				// Skip to the end of this property's value (next comma at depth 1).
			}
		}
	}
	return names.filter((n) => !['async', 'function', 'return', 'await', 'const', 'let', 'if'].includes(n));
}

export function discoverRoutes(root = ROUTES_DIR): RouteInfo[] {
	const dirs: string[] = [];
	walk(root, dirs);
	const routes: RouteInfo[] = [];
	for (const dir of dirs) {
		const rel = relative(root, dir).split(sep).join('/');
		const id = '/' + rel;
		const file = (n: string) => join(dir, n);
		const page = ['+page.svelte', '+page.server.ts', '+page.ts', '+page.server.js', '+page.js'].some((n) =>
			existsSync(file(n))
		);
		const server = ['+server.ts', '+server.js'].map(file).find((p) => existsSync(p));
		const pageServer = ['+page.server.ts', '+page.server.js'].map(file).find((p) => existsSync(p));
		if (!page && !server) continue;
		const methods = server ? [...readFileSync(server, 'utf8').matchAll(METHOD_RE)].map((m) => m[1]) : [];
		const actions = pageServer ? actionNames(readFileSync(pageServer, 'utf8')) : [];
		routes.push({
			id: id === '/' ? '/' : id.replace(/\/$/, ''),
			page,
			actions,
			methods: [...new Set(methods)],
			dir
		});
	}
	return routes;
}

export function randomId(): string {
	return randomBytes(12).toString('hex');
}

const matcherCache = new Map<string, ((p: string) => boolean) | null>();

async function matcher(name: string): Promise<((p: string) => boolean) | null> {
	if (!matcherCache.has(name)) {
		const file = ['.ts', '.js'].map((e) => join(PARAMS_DIR, name + e)).find((p) => existsSync(p));
		const mod = file ? ((await import(file)) as { match?: (p: string) => boolean }) : null;
		matcherCache.set(name, mod?.match ?? null);
	}
	return matcherCache.get(name) ?? null;
}

const CANDIDATES = () => [randomId(), '1', '2025', 'vi', 'food', 'a'];

/** A concrete path for a route id: groups dropped, parameters filled with random values their matchers accept. */
export async function fillParams(
	id: string,
	fill: (name: string) => string | undefined = () => undefined
): Promise<string> {
	const parts: string[] = [];
	for (const seg of id.split('/').filter(Boolean)) {
		if (/^\(.*\)$/.test(seg)) continue;
		let out = '';
		for (const piece of seg.split(/(\[\[?[^\]]+\]\]?)/).filter(Boolean)) {
			const m = /^\[\[?(\.\.\.)?([\w]+)(?:=(\w+))?\]\]?$/.exec(piece);
			if (!m) {
				out += piece;
				continue;
			}
			const given = fill(m[2]);
			if (given !== undefined) {
				out += given;
				continue;
			}
			const check = m[3] ? await matcher(m[3]) : null;
			out += check
				? (CANDIDATES().find((c) => check(c)) ?? randomId())
				: m[1]
					? `${randomId()}/${randomId()}`
					: randomId();
		}
		if (out) parts.push(out);
	}
	return '/' + parts.join('/');
}

/** Every request the matrix exercises for one route. */
export async function requestsFor(route: RouteInfo): Promise<RouteRequest[]> {
	const path = await fillParams(route.id);
	const out: RouteRequest[] = [];
	if (route.page) {
		out.push({ route, method: 'GET', path, kind: 'page' });
		for (const a of route.actions)
			out.push({
				route,
				method: 'POST',
				path: a === 'default' ? path : `${path}?/${a}`,
				kind: 'action',
				action: a
			});
	}
	for (const m of route.methods) {
		if (m === 'fallback') continue;
		out.push({ route, method: m, path, kind: 'endpoint' });
	}
	return out;
}

/** Route ids in the adapter-node build under test (its server manifest). */
export function builtRouteIds(
	buildDir = join(import.meta.dirname, '..', '..', process.env.TECHCAP_BUILD_DIR ?? 'build')
): Set<string> {
	const chunks = join(buildDir, 'server', 'chunks');
	const ids = new Set<string>();
	if (!existsSync(chunks)) return ids;
	for (const f of readdirSync(chunks).filter((n) => n.startsWith('manifest') && n.endsWith('.js')))
		for (const m of readFileSync(join(chunks, f), 'utf8').matchAll(/\bid:\s*"(\/[^"]*)"/g)) ids.add(m[1]);
	return ids;
}

/** The routes of src/routes that the build under test serves (a stale build is reported by the matrix). */
export function shippedRoutes(): RouteInfo[] {
	const built = builtRouteIds();
	return discoverRoutes().filter((r) => built.has(r.id));
}
