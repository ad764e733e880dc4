import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { codebookCsv, csvHeaders, dialectFor } from '$lib/server/exports';
import { getRelease } from '$lib/server/releases';
import { pick } from '$lib/i18n';
import type { RequestHandler } from './$types';

/** `?dialect=excel-vi|standard`; by default the page language's (Vietnamese: Excel's ';' and decimal comma). */
export const GET: RequestHandler = async ({ params, url, locals }) => {
	const release = await getRelease(await getDatabase(), params.id);
	if (!release)
		error(404, pick(locals.locale, { vi: 'Không tìm thấy bản phát hành.', en: 'Release not found.' }));
	return new Response(
		codebookCsv(release.surveyId, locals.locale, dialectFor(url.searchParams.get('dialect'), locals.locale)),
		{
			headers: csvHeaders(`techcap-codebook-${release.surveyId.replace('/', '-')}.csv`)
		}
	);
};
