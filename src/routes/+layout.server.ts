import { departmentTimeZone } from '$lib/server/timezone';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.user ? { name: locals.user.name, email: locals.user.email, role: locals.user.role } : null,
	locale: locals.locale,
	/** Every page formats dates in the department's zone, not the browser's. */
	timeZone: departmentTimeZone()
});
