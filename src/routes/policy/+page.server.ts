import { getDatabase } from '$lib/server/db';
import { gapMap, loadSource, parseGapDims, userErrorText, type GapMap } from '$lib/server/policy';
import { rightsOf } from '$lib/server/releases';
import { listWards } from '$lib/server/surveys';
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
			const loaded = await loadSource(await getDatabase(), sourceId);
			skipped = loaded.skipped;
			const { tables: _t, ...rest } = gapMap(loaded.rows, {
				levels: loaded.rescorer.levels,
				dims: parseGapDims(byRaw === 'all' ? 'size,ownership,ward,vsic' : byRaw),
				k: loaded.source.k,
				rights: rightsOf(locals.user),
				order
			});
			void _t;
			map = rest;
		} catch (e) {
			error = userErrorText(e, locals.locale);
			if (error === null) throw e;
		}
	return { sourceId, by: byRaw, order, map, error, skipped, wards };
};
