import { fail, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { MAX_UPLOAD_BYTES, saveUploadedVersion, type UploadedFile } from '$lib/server/surveys';
import { t } from '$lib/i18n';
import { presentIssue } from '$lib/issue-location';
import type { Actions } from './$types';

async function read(entry: FormDataEntryValue | null): Promise<UploadedFile | null> {
	if (!(entry instanceof File) || entry.size === 0) return null;
	// Oversized files are reported by the use case without reading them whole.
	if (entry.size > MAX_UPLOAD_BYTES) return { name: entry.name, text: ' '.repeat(MAX_UPLOAD_BYTES + 1) };
	return { name: entry.name || 'upload.json', text: await entry.text() };
}

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const form = await request.formData();
		const questionnaire = await read(form.get('questionnaire'));
		const rubric = await read(form.get('rubric'));
		if (!questionnaire || !rubric)
			return fail(400, { error: t(locals.locale, 'surveys.upload.missing'), issues: [] });
		const references: UploadedFile[] = [];
		for (const entry of form.getAll('references')) {
			const f = await read(entry);
			if (f) references.push(f);
		}
		const db = await getDatabase();
		const out = await saveUploadedVersion(db, locals.user, {
			questionnaire,
			rubric,
			references,
			note: String(form.get('note') ?? '')
		});
		if (!out.ok)
			return fail(422, {
				error: t(locals.locale, 'surveys.upload.rejected', { n: out.issues.length }),
				// Said in the admin's language; file, JSON path and the English wording are the detail.
				issues: out.issues.slice(0, 200).map((i) => presentIssue(i, locals.locale))
			});
		redirect(303, `/admin/surveys?created=${encodeURIComponent(out.id)}`);
	}
};
