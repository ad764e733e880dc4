import { fail, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { completePasswordReset, inspectPasswordReset } from '$lib/server/auth';
import { MSG } from '$lib/server/auth/messages';
import { clientIp, setSessionCookie } from '$lib/server/session';
import { pick, t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const info = await inspectPasswordReset(await getDatabase(), params.token);
	return {
		status: info.status,
		email: info.email ?? null,
		message: info.status === 'valid' ? null : pick(locals.locale, MSG.resetInvalid)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const locale = event.locals.locale;
		const form = await event.request.formData();
		const password = String(form.get('password') ?? '');
		if (password !== String(form.get('password2') ?? ''))
			return fail(400, { message: t(locale, 'invite.mismatch') });
		const r = await completePasswordReset(await getDatabase(), event.params.token, {
			password,
			userAgent: event.request.headers.get('user-agent') ?? undefined,
			ip: clientIp(event)
		});
		if (!r.ok) return fail(400, { message: pick(locale, r.message) });
		setSessionCookie(event, r.token, r.expiresAt);
		redirect(303, '/');
	}
};
