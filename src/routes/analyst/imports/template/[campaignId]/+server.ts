import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { C, type CampaignDoc } from '$lib/server/db/schema';
import { templateFiles } from '$lib/server/imports';
import type { RequestHandler } from './$types';

/** The campaign's response template (default) or its codebook (`?file=codebook`). */
export const GET: RequestHandler = async ({ params, url, locals }) => {
	const campaign = await (
		await getDatabase()
	)
		.collection<CampaignDoc>(C.campaigns)
		.findOne({ _id: params.campaignId });
	if (!campaign) error(404, { message: 'Not found' });
	const codebook = url.searchParams.get('file') === 'codebook';
	const files = templateFiles(campaign.surveyId, locals.locale);
	const name = `${campaign.sector}-${campaign.year}-${codebook ? 'codebook' : 'template'}.csv`;
	return new Response(codebook ? files.codebook : files.template, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`
		}
	});
};
