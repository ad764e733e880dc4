import { getDatabase } from '$lib/server/db';
import { enterpriseDashboard } from '$lib/server/dashboard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	return { items: await enterpriseDashboard(await getDatabase(), locals.user!) };
};
