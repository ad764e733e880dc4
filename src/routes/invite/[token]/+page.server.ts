import { fail, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { acceptInvitation, inspectInvitation } from '$lib/server/auth';
import { setSessionCookie } from '$lib/server/session';
import { t, pick } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const info = await inspectInvitation(await getDatabase(), params.token);
	return {
		status: info.status,
		email: info.status === 'valid' ? info.email : null,
		// Why a revoked link is dead (replaced by a newer one, or the account exists), in the user's language.
		message: info.status === 'revoked' && info.message ? pick(locals.locale, info.message) : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const locale = event.locals.locale;
		const form = await event.request.formData();
		const name = String(form.get('name') ?? '').trim();
		const password = String(form.get('password') ?? '');
		const password2 = String(form.get('password2') ?? '');
		if (password !== password2) return fail(400, { name, message: t(locale, 'invite.mismatch') });
		const db = await getDatabase();
		const result = await acceptInvitation(db, event.params.token, {
			password,
			name,
			locale,
			userAgent: event.request.headers.get('user-agent') ?? undefined
		});
		if (!result.ok) return fail(400, { name, message: pick(locale, result.message) });
		// Accepting signs the new user in: the invitation token was the credential.
		setSessionCookie(event, result.token, result.expiresAt);
		redirect(303, result.campaignId ? `/enterprise` : '/');
	}
};
