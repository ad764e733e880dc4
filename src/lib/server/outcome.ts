/** Turns a use case's outcome into the JSON API's response, in the caller's language. */
import { json } from '@sveltejs/kit';
import { pick, type Locale } from '$lib/i18n';
import type { BodyResult } from './http';
import type { SaveOutcome } from './responses';

export function bodyErrorJson(body: Extract<BodyResult, { ok: false }>, locale: Locale): Response {
	return json(
		{ code: body.code, message: pick(locale, body.message), problems: [] },
		{ status: body.status }
	);
}

export function failureJson(out: Exclude<SaveOutcome, { status: 200 }>, locale: Locale): Response {
	switch (out.status) {
		case 404:
			return json({ message: 'Not found' }, { status: 404 });
		case 409:
			return json(
				{
					reason: out.reason,
					closed: out.reason !== 'conflict',
					revision: out.revision,
					message: pick(locale, out.message)
				},
				{ status: 409 }
			);
		case 422:
			return json(
				{
					message: pick(locale, out.message),
					problems: out.problems.map((p) => ({
						question: p.question,
						code: p.code,
						message: pick(locale, p.message)
					}))
				},
				{ status: 422 }
			);
	}
}
