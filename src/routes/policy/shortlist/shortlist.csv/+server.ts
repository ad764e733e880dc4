import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { recordAudit } from '$lib/server/audit';
import { csvHeaders } from '$lib/server/exports';
import {
	shortlistCsv,
	shortlistFilename,
	shortlistFor,
	shortlistRequestFrom,
	userErrorText
} from '$lib/server/policy';
import type { RequestHandler } from './$types';

/** The shortlist as CSV; identities only for admins and policymakers. Identified exports are audited. */
export const GET: RequestHandler = async ({ url, locals, getClientAddress }) => {
	const db = await getDatabase();
	try {
		const req = shortlistRequestFrom((n) => url.searchParams.get(n));
		const view = await shortlistFor(db, req, locals.user);
		if (view.identities)
			await recordAudit(db, {
				actor: locals.user,
				action: 'shortlist.export',
				target: `programmes/${req.programmeId}`,
				after: { ...req, rows: view.rows.length },
				ip: getClientAddress()
			});
		return new Response(shortlistCsv(view, locals.locale), { headers: csvHeaders(shortlistFilename(view)) });
	} catch (e) {
		const text = userErrorText(e, locals.locale);
		if (text === null) throw e;
		error(400, text);
	}
};
