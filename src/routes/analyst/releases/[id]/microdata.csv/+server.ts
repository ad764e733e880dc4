import { error } from '@sveltejs/kit';
import { Readable } from 'node:stream';
import { getDatabase } from '$lib/server/db';
import { csvHeaders, CSV_DIALECTS, ExportError, exportMicrodata } from '$lib/server/exports';
import { pick } from '$lib/i18n';
import type { RequestHandler } from './$types';

/**
 * Microdata (pseudonymised; `?identified=1` for admins only), recorded in the audit log.
 * `?dialect=excel-vi` for Vietnamese Excel; standard otherwise (scripts read this file).
 */
export const GET: RequestHandler = async ({ params, url, locals, getClientAddress }) => {
	try {
		const lines = await exportMicrodata(await getDatabase(), params.id, locals.user, {
			identified: url.searchParams.get('identified') === '1',
			ip: getClientAddress(),
			via: 'web',
			dialect: CSV_DIALECTS.find((d) => d === url.searchParams.get('dialect'))
		});
		const body = Readable.toWeb(Readable.from(lines)) as ReadableStream;
		return new Response(body, { headers: csvHeaders(`techcap-microdata-${params.id}.csv`) });
	} catch (e) {
		if (e instanceof ExportError) error(e.status, pick(locals.locale, e.text));
		throw e;
	}
};
