import { error } from '@sveltejs/kit';
import { t } from '$lib/i18n';
import type { PageServerLoad } from './$types';

/**
 * The page the central check (hooks.server.ts) renders when it refuses a page: the app's own error
 * page with its layout and navigation, in the user's language, status 403.
 */
export const load: PageServerLoad = ({ locals }) => {
	error(403, { message: t(locals.locale, 'error.forbidden') });
};
