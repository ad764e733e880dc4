import { fail, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { login } from '$lib/server/auth';
import { safeNext } from '$lib/server/authz';
import { clientIp, setSessionCookie } from '$lib/server/session';
import { t, pick } from '$lib/i18n';
import { landingAfterLogin } from '$lib/landing';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: safeNext(url.searchParams.get('next')) };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const email = form.get('email');
		const password = form.get('password');
		const next = safeNext(typeof form.get('next') === 'string' ? (form.get('next') as string) : null);
		const locale = event.locals.locale;
		if (typeof email !== 'string' || typeof password !== 'string' || !email.trim() || !password) {
			return fail(400, {
				email: typeof email === 'string' ? email : '',
				message: t(locale, 'login.missing')
			});
		}
		const db = await getDatabase();
		const result = await login(db, { email, password, ip: clientIp(event) });
		if (!result.ok) {
			return fail(result.reason === 'throttled' ? 429 : 400, {
				email,
				message: pick(locale, result.message)
			});
		}
		setSessionCookie(event, result.token, result.expiresAt);
		redirect(303, landingAfterLogin(result.user.role, next));
	}
};
