import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { getCampaign } from '$lib/server/campaigns';
import { lateCsv, lateParticipants, parseLateFilters, trackParticipants } from '$lib/server/tracking';
import type { RequestHandler } from './$types';

/** The late list (same filters as the page) as CSV for Excel: BOM, formula-escaped cells. */
export const GET: RequestHandler = async ({ params, url, locals }) => {
	const db = await getDatabase();
	const campaign = await getCampaign(db, params.id);
	if (!campaign) error(404, { message: 'Not found' });
	const rows = lateParticipants(
		await trackParticipants(db, campaign._id),
		parseLateFilters(url.searchParams)
	);
	return new Response(lateCsv(rows, locals.locale), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="late-${campaign.sector}-${campaign.year}.csv"`,
			'cache-control': 'no-store'
		}
	});
};
