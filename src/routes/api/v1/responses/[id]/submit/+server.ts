import { json } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { readJsonBody } from '$lib/server/http';
import { submitResponse } from '$lib/server/responses';
import { bodyErrorJson, failureJson } from '$lib/server/outcome';
import type { RequestHandler } from './$types';

/** Submit: `{data, currentPageNo, revision, submitKey}` → 200 with the score summary (idempotent). */
export const POST: RequestHandler = async ({ request, params, locals }) => {
	const body = await readJsonBody(request);
	if (!body.ok) return bodyErrorJson(body, locals.locale);
	const out = await submitResponse(await getDatabase(), locals.user!, params.id, body.value);
	if (out.status !== 200) return failureJson(out, locals.locale);
	return json({
		alreadySubmitted: out.alreadySubmitted,
		score: out.score,
		scorecard: `/enterprise/responses/${params.id}/scorecard`
	});
};
