import { json } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { readJsonBody } from '$lib/server/http';
import { reviewResponse } from '$lib/server/review';
import { bodyErrorJson } from '$lib/server/outcome';
import type { RequestHandler } from './$types';

/** Review before submit: `{data}` → 200 `{ok, problems, expected, warnings}`; nothing is stored. */
export const POST: RequestHandler = async ({ request, params, locals }) => {
	const body = await readJsonBody(request);
	if (!body.ok) return bodyErrorJson(body, locals.locale);
	const out = await reviewResponse(await getDatabase(), locals.user!, params.id, body.value, locals.locale);
	if (out.status === 404) return json({ message: 'Not found' }, { status: 404 });
	if (out.status === 422) return json({ message: out.message, problems: [] }, { status: 422 });
	return json({ ok: out.ok, problems: out.problems, expected: out.expected, warnings: out.warnings });
};
