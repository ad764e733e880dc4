import { fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { requestPasswordReset } from '$lib/server/auth';
import { MSG } from '$lib/server/auth/messages';
import { clientIp } from '$lib/server/session';
import { pick } from '$lib/i18n';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const email = String(form.get('email') ?? '').slice(0, 300);
		const locale = event.locals.locale;
		const r = await requestPasswordReset(await getDatabase(), {
			email,
			ip: clientIp(event),
			origin: event.url.origin
		});
		if (!r.ok)
			return fail(r.reason === 'throttled' ? 429 : 400, {
				email,
				error: true,
				message: pick(locale, r.message)
			});
		// The same answer whether or not the address has an account.
		return { email, error: false, message: pick(locale, MSG.resetSent) };
	}
};
