import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { aggregatesCsv, csvHeaders, dialectFor } from '$lib/server/exports';
import { ByParameterError, DIMENSIONS, parseBy, releaseBenchmarks, rightsOf } from '$lib/server/releases';
import { pick } from '$lib/i18n';
import type { RequestHandler } from './$types';

/** Aggregates of one segmentation (`by`), optionally restricted to segments matching dimension filters. */
export const GET: RequestHandler = async ({ params, url, locals }) => {
	let dims;
	try {
		dims = parseBy(url.searchParams.get('by'));
	} catch (e) {
		if (e instanceof ByParameterError) error(400, pick(locals.locale, e.text));
		throw e;
	}
	const view = await releaseBenchmarks(await getDatabase(), params.id, dims, rightsOf(locals.user));
	if (!view)
		error(404, pick(locals.locale, { vi: 'Không tìm thấy bản phát hành.', en: 'Release not found.' }));
	for (const d of DIMENSIONS) {
		const v = url.searchParams.get(d);
		if (v && dims.includes(d)) view.segments = view.segments.filter((s) => s.segment[d] === v);
	}
	const name = `techcap-${view.release.sector}-${view.release.year}-v${view.release.version}-${dims.join('-') || 'total'}.csv`;
	const dialect = dialectFor(url.searchParams.get('dialect'), locals.locale);
	return new Response(aggregatesCsv(view, locals.locale, dialect), { headers: csvHeaders(name) });
};
