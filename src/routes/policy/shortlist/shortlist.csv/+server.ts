import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { csvHeaders } from '$lib/server/exports';
import {
	PolicyError,
	shortlistCsv,
	shortlistFilename,
	shortlistFor,
	shortlistRequestFrom,
	userErrorText
} from '$lib/server/policy';
import type { RequestHandler } from './$types';

/**
 * The shortlist as CSV. What it holds is decided by `shortlistFor` (row-level rule, authz.ts):
 * refused to viewers entitled to aggregates only, names for admins and policymakers, each
 * download with names audited there.
 */
export const GET: RequestHandler = async ({ url, locals, getClientAddress }) => {
	const db = await getDatabase();
	try {
		const req = shortlistRequestFrom((n) => url.searchParams.get(n));
		const view = await shortlistFor(db, req, locals.user, { via: 'csv', ip: getClientAddress() });
		return new Response(shortlistCsv(view, locals.locale), { headers: csvHeaders(shortlistFilename(view)) });
	} catch (e) {
		const text = userErrorText(e, locals.locale);
		if (text === null) throw e;
		error(e instanceof PolicyError ? e.status : 400, text);
	}
};
