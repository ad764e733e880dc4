import { json } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { readJsonBody } from '$lib/server/http';
import { saveDraft } from '$lib/server/responses';
import { bodyErrorJson, failureJson } from '$lib/server/outcome';
import type { RequestHandler } from './$types';

/** Autosave: `{data, currentPageNo, revision}` → 200 `{revision}`, 409 conflict/closed, 422 problems. */
export const PUT: RequestHandler = async ({ request, params, locals }) => {
	const body = await readJsonBody(request);
	if (!body.ok) return bodyErrorJson(body, locals.locale);
	const out = await saveDraft(await getDatabase(), locals.user!, params.id, body.value);
	return out.status === 200 ? json({ revision: out.revision }) : failureJson(out, locals.locale);
};
