import { redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { invalidateSession, SESSION_COOKIE } from '$lib/server/auth';
import { clearSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ cookies }) => {
		const token = cookies.get(SESSION_COOKIE);
		if (token) await invalidateSession(await getDatabase(), token);
		clearSessionCookie(cookies);
		redirect(303, '/');
	}
};
