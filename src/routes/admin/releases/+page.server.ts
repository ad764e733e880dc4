import { getDatabase } from '$lib/server/db';
import { listPendingReleases } from '$lib/server/releases/review';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const pending = await listPendingReleases(await getDatabase());
	// Submitted ones first: they are what an administrator acts on.
	return {
		pending: [...pending].sort((a, b) => Number(b.status === 'submitted') - Number(a.status === 'submitted'))
	};
};
