import { json } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { ByParameterError, parseBy, releaseBenchmarks } from '$lib/server/releases';
import type { RequestHandler } from './$types';

const CORS = { 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=60' };

/**
 * `GET /api/v1/releases/<id>/benchmarks?by=size,ownership`: protected aggregates only, whoever
 * calls (suppressed cells: n and every statistic null, flag ':c'). `by` is validated strictly.
 */
export const GET: RequestHandler = async ({ params, url }) => {
	let dims;
	try {
		dims = parseBy(url.searchParams.get('by'));
	} catch (e) {
		if (e instanceof ByParameterError) return json({ error: e.message }, { status: 400, headers: CORS });
		throw e;
	}
	const view = await releaseBenchmarks(await getDatabase(), params.id, dims, { microdata: false });
	if (!view)
		return json({ error: `release '${params.id.slice(0, 64)}' not found` }, { status: 404, headers: CORS });
	return json(
		{
			release: {
				id: view.release.id,
				sector: view.release.sector,
				year: view.release.year,
				version: view.release.version,
				latest: view.release.latest
			},
			by: view.dims,
			flags: {
				':c': 'confidential: withheld by disclosure control (threshold, dominance or secondary suppression)'
			},
			disclosure: view.release.disclosure,
			segments: view.segments,
			distributions: view.distributions
		},
		{ headers: CORS }
	);
};
