import { getDatabase } from '$lib/server/db';
import { gapMapFor, parseGapDims, userErrorText, type GapMap } from '$lib/server/policy';
import { listWards } from '$lib/server/surveys';
import { currentWardMap } from '$lib/server/geo/boundaries';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals, parent }) => {
	const { sources } = await parent();
	const sourceId = url.searchParams.get('source') ?? sources[0]?.id ?? '';
	const byRaw = url.searchParams.get('by') ?? 'size';
	const order = url.searchParams.get('order') === 'reach' ? 'reach' : 'need';
	const wards = Object.fromEntries(listWards().map((w) => [w.id, w.name]));
	let map: Omit<GapMap, 'tables'> | null = null;
	let error: string | null = null;
	let skipped = 0;
	if (sourceId)
		try {
			const out = await gapMapFor(
				await getDatabase(),
				{ sourceId, dims: parseGapDims(byRaw === 'all' ? 'size,ownership,ward,vsic' : byRaw), order },
				locals.user
			);
			map = out.map;
			skipped = out.skipped;
		} catch (e) {
			error = userErrorText(e, locals.locale);
			if (error === null) throw e;
		}
	// Boundaries are sent only for the ward breakdown (they are the page's heaviest data).
	const wardMap = byRaw === 'ward' ? await currentWardMap(await getDatabase()) : null;
	const canUploadBoundaries = locals.user?.role === 'admin';
	return { sourceId, by: byRaw, order, map, error, skipped, wards, wardMap, canUploadBoundaries };
};
