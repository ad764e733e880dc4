import { json, type Handle, type HandleServerError, type RequestEvent, type ServerInit } from '@sveltejs/kit';
import { compressHtml } from '$lib/server/compress';
import { DEFAULT_LOCALE, LOCALE_COOKIE, isLocale, t, type Locale } from '$lib/i18n';
import { decide, formActionOf } from '$lib/server/authz';
import { recordAudit } from '$lib/server/audit';
import { getDatabase } from '$lib/server/db';
import { bodySizeLimit, formatBytes } from '$lib/server/http';
import { startup } from '$lib/server/startup';
import { resolveSession } from '$lib/server/session';
import { isDatabaseUnavailable } from '$lib/server/shutdown';

export const init: ServerInit = async () => {
	await startup();
};

/** Requests whose error was a database outage: answered 503 instead of 500 (see handleError). */
const outage = new WeakSet<Request>();

export const handle: Handle = async ({ event, resolve }) => {
	let user;
	try {
		user = await resolveSession(event);
	} catch (e) {
		if (!isDatabaseUnavailable(e)) throw e;
		console.error(`[${event.request.method} ${event.url.pathname}] database unavailable: ${String(e)}`);
		return securityHeaders(event, unavailable(event, localeOf(event, null)));
	}
	event.locals.user = user;
	event.locals.locale = localeOf(event, user?.locale ?? null);

	// Refusals are built here rather than thrown, so they carry the security headers too.
	const decision = decide(
		event.route.id,
		user?.role ?? null,
		formActionOf(event.request.method, event.url.search)
	);
	if (decision === 'login') {
		if (event.url.pathname.startsWith('/api/'))
			return securityHeaders(event, json({ message: 'Authentication required' }, { status: 401 }));
		const location = `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`;
		return securityHeaders(event, new Response(null, { status: 303, headers: { location } }));
	}
	if (decision === 'forbidden') {
		await auditRefusal(event);
		return securityHeaders(event, await forbiddenPage(event));
	}

	let response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
	if (response.status === 500 && outage.has(event.request)) {
		// The error page (or JSON error) was rendered already; only its status changes.
		response = new Response(response.body, { status: 503, headers: response.headers });
		response.headers.set('Retry-After', '5');
		response.headers.set('Cache-Control', 'no-store');
	}
	return securityHeaders(event, await compressHtml(event.request, response));
};

/** Every refusal by the central check is written to the audit log (who, what, which action). */
async function auditRefusal(event: RequestEvent): Promise<void> {
	const user = event.locals.user;
	try {
		await recordAudit(await getDatabase(), {
			actor: user ? { id: user.id, email: user.email } : null,
			action: 'access.forbidden',
			target: event.route.id ?? event.url.pathname,
			after: {
				method: event.request.method,
				role: user?.role ?? null,
				action: formActionOf(event.request.method, event.url.search) ?? null,
				path: event.url.pathname.slice(0, 300)
			},
			ip: clientAddress(event)
		});
	} catch (e) {
		// The refusal stands whether or not it could be recorded.
		console.error(`[audit] refusal of ${event.url.pathname} not recorded: ${String(e)}`);
	}
}

function clientAddress(event: RequestEvent): string | undefined {
	try {
		return event.getClientAddress();
	} catch {
		return undefined;
	}
}

function localeOf(event: RequestEvent, fallback: Locale | null): Locale {
	const cookieLocale = event.cookies.get(LOCALE_COOKIE);
	return isLocale(cookieLocale) ? cookieLocale : (fallback ?? DEFAULT_LOCALE);
}

/** Headers every response carries; the page CSP itself comes from `kit.csp` in svelte.config.js. */
function securityHeaders(event: RequestEvent, response: Response): Response {
	const h = response.headers;
	h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	h.set('X-Content-Type-Options', 'nosniff');
	h.set('X-Frame-Options', 'DENY');
	h.set('Cross-Origin-Opener-Policy', 'same-origin');
	h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	// Responses SvelteKit does not render as pages (JSON, CSV, redirects) get a locked-down policy.
	if (!h.has('Content-Security-Policy'))
		h.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
	// The protocol comes from ORIGIN or PROTOCOL_HEADER (adapter-node): HSTS only over https.
	if (event.url.protocol === 'https:')
		h.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	return response;
}

/** 503 when the database cannot be reached before any route ran (session lookup). */
function unavailable(event: RequestEvent, locale: Locale): Response {
	event.locals.locale = locale;
	return refusal(event, 503, 'security.unavailable', { 'Retry-After': '5', 'Cache-Control': 'no-store' });
}

/**
 * A refused page is the app's own error page (layout, navigation, the user's language), rendered
 * by the public `/forbidden` route, which only throws 403: no code of the refused route runs.
 * API callers, `__data.json` and anything that does not ask for HTML get the short answer.
 */
async function forbiddenPage(event: RequestEvent): Promise<Response> {
	const html =
		!event.url.pathname.startsWith('/api/') &&
		!event.url.pathname.endsWith('/__data.json') &&
		/text\/html|^\s*$/.test(event.request.headers.get('accept') ?? '') &&
		!/application\/json/.test(event.request.headers.get('accept') ?? '');
	if (html) {
		try {
			const page = await event.fetch('/forbidden', {
				headers: {
					accept: 'text/html',
					'accept-language': event.request.headers.get('accept-language') ?? ''
				}
			});
			if (page.status === 403 && (page.headers.get('content-type') ?? '').includes('text/html'))
				return new Response(await page.text(), {
					status: 403,
					headers: {
						'Content-Type': 'text/html; charset=utf-8',
						// The page's own policy (its inline script's nonce or hash).
						...(page.headers.get('content-security-policy')
							? { 'Content-Security-Policy': page.headers.get('content-security-policy')! }
							: {})
					}
				});
		} catch (e) {
			console.error(`[403] styled page unavailable: ${String(e)}`);
		}
	}
	return refusal(event, 403, 'security.forbidden');
}

/** A short page (or JSON for API callers) in the user's language, for answers given before any route runs. */
function refusal(
	event: RequestEvent,
	status: 403 | 503,
	key: 'security.forbidden' | 'security.unavailable',
	headers: Record<string, string> = {}
): Response {
	const locale = event.locals.locale;
	const message = t(locale, `${key}.body`);
	const wantsJson =
		event.url.pathname.startsWith('/api/') ||
		/application\/json/.test(event.request.headers.get('accept') ?? '');
	const code = status === 403 ? 'forbidden' : 'database-unavailable';
	if (wantsJson) return json({ code, message }, { status, headers });
	const title = t(locale, `${key}.title`);
	const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
	const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title></head><body><main><h1>${esc(title)}</h1><p>${esc(message)}</p><p><a href="/">TechCap</a></p></main></body></html>`;
	return new Response(html, {
		status,
		headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' }
	});
}

export const handleError: HandleServerError = ({ error: e, event, status }) => {
	if (isDatabaseUnavailable(e)) {
		outage.add(event.request);
		console.error(`[${event.request.method} ${event.url.pathname}] database unavailable: ${String(e)}`);
		return {
			message: t(event.locals.locale ?? DEFAULT_LOCALE, 'security.unavailable.body'),
			code: 'database-unavailable'
		};
	}
	// Errors we cause are logged with context; users get a message without internals.
	if (status >= 500) console.error(`[${event.request.method} ${event.url.pathname}]`, e);
	const locale = event.locals.locale ?? DEFAULT_LOCALE;
	// A body over the server's limit (BODY_SIZE_LIMIT): say what the limit is, not "Internal error".
	if (status === 413)
		return { message: t(locale, 'security.tooLarge', { limit: formatBytes(bodySizeLimit()) }) };
	if (status === 404) return { message: 'Not found' };
	if (status >= 400 && status < 500) return { message: t(locale, 'security.badRequest', { status }) };
	return { message: 'Internal error' };
};
