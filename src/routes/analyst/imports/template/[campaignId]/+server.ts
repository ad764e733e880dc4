import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { C, type CampaignDoc } from '$lib/server/db/schema';
import { templateFiles } from '$lib/server/imports';
import type { RequestHandler } from './$types';

/**
 * The campaign's response template (default), its codebook (`?file=codebook`) or, for a
 * questionnaire with an equipment list, the equipment file's template (`?file=equipment`).
 */
export const GET: RequestHandler = async ({ params, url, locals }) => {
	const campaign = await (
		await getDatabase()
	)
		.collection<CampaignDoc>(C.campaigns)
		.findOne({ _id: params.campaignId });
	if (!campaign) error(404, { message: 'Not found' });
	const which = url.searchParams.get('file');
	const files = templateFiles(campaign.surveyId, locals.locale);
	if (which === 'equipment' && files.equipment === null) error(404, { message: 'Not found' });
	const kind = which === 'codebook' ? 'codebook' : which === 'equipment' ? 'equipment' : 'template';
	const name = `${campaign.sector}-${campaign.year}-${kind}.csv`;
	const body =
		kind === 'codebook' ? files.codebook : kind === 'equipment' ? files.equipment! : files.template;
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`
		}
	});
};
