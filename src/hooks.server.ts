import { error, redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { DEFAULT_LOCALE, LOCALE_COOKIE, isLocale } from '$lib/i18n';
import { decide } from '$lib/server/authz';
import { startup } from '$lib/server/startup';
import { resolveSession } from '$lib/server/session';

export const init: ServerInit = async () => {
	await startup();
};

export const handle: Handle = async ({ event, resolve }) => {
	const user = await resolveSession(event);
	event.locals.user = user;
	const cookieLocale = event.cookies.get(LOCALE_COOKIE);
	event.locals.locale = isLocale(cookieLocale) ? cookieLocale : (user?.locale ?? DEFAULT_LOCALE);

	const decision = decide(event.route.id, user?.role ?? null);
	if (decision === 'login') {
		if (event.url.pathname.startsWith('/api/')) error(401, { message: 'Authentication required' });
		redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	}
	if (decision === 'forbidden') error(403, { message: 'Forbidden' });

	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (event.url.protocol === 'https:') {
		response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	}
	return response;
};

export const handleError: HandleServerError = ({ error: e, event, status }) => {
	// Errors we cause are logged with context; users get a message without internals.
	if (status >= 500) console.error(`[${event.request.method} ${event.url.pathname}]`, e);
	return { message: status === 404 ? 'Not found' : 'Internal error' };
};
