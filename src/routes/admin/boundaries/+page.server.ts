import { fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { boundaryVersions, saveBoundaries } from '$lib/server/geo/boundaries';
import { MAX_BOUNDARY_BYTES, tooLarge } from '$lib/domain/geo/boundaries';
import { pick, t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

function tooLargeText() {
	const r = tooLarge(null);
	return r.ok ? { vi: '', en: '' } : r.problems[0];
}

export const load: PageServerLoad = async () => {
	const db = await getDatabase();
	return { versions: await boundaryVersions(db), maxMb: MAX_BOUNDARY_BYTES / 1024 / 1024 };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		let form: FormData;
		try {
			form = await request.formData();
		} catch (e) {
			// The server's body limit (above ours) or a body that is not a form: a clear refusal, not a 500.
			const status = (e as { status?: number }).status === 413 ? 413 : 400;
			return fail(status, {
				problems: [status === 413 ? pick(locals.locale, tooLargeText()) : t(locals.locale, 'geo.missingFile')]
			});
		}
		const entry = form.get('file');
		if (!(entry instanceof File) || entry.size === 0)
			return fail(400, { problems: [t(locals.locale, 'geo.missingFile')] });
		const db = await getDatabase();
		const out = await saveBoundaries(db, locals.user, {
			name: entry.name || 'boundaries.geojson',
			size: entry.size,
			text: () => entry.text()
		});
		if (!out.ok) return fail(out.status, { problems: out.problems.map((p) => pick(locals.locale, p)) });
		return {
			saved: { version: out.version, matched: out.matched, unmatched: out.unmatched, missing: out.missing }
		};
	}
};
