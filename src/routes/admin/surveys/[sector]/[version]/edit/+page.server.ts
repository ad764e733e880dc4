import { error, fail, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { deriveVersion, loadSurveyAsync, UnknownSurveyError, type VersionEdit } from '$lib/server/surveys';
import { pick, t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

async function surveyOf(params: { sector: string; version: string }) {
	const db = await getDatabase();
	const id = `${params.sector}/${params.version}`;
	const survey = await loadSurveyAsync(db, id).catch((e) => {
		if (e instanceof UnknownSurveyError || (e instanceof Error && e.message.startsWith('survey id')))
			error(404, { message: 'Not found' });
		throw e;
	});
	return { db, survey };
}

export const load: PageServerLoad = async ({ params }) => {
	const { survey } = await surveyOf(params);
	return {
		id: survey.id,
		levels: survey.rubric.levels.map((l) => ({
			id: l.id,
			label: l.label,
			minTotal: l.minTotal,
			minK: l.minK
		})),
		references: [...survey.referenceValues.values()]
			.sort((a, b) => a.year - b.year)
			.map((r) => ({
				year: r.year,
				provisional: r.provisional,
				values: Object.entries(r.values).map(([key, v]) => ({
					key,
					label: v.label,
					unit: v.unit,
					value: v.value
				}))
			}))
	};
};

/** Accepts "1,5" as well as "1.5": Vietnamese keyboards type a decimal comma. */
function num(raw: FormDataEntryValue | null): number | null {
	const s = String(raw ?? '')
		.trim()
		.replace(',', '.');
	if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
	return Number(s);
}

export const actions: Actions = {
	default: async ({ params, request, locals }) => {
		const { db, survey } = await surveyOf(params);
		const form = await request.formData();
		const edit: VersionEdit = { levels: {}, references: {}, note: String(form.get('note') ?? '') };
		const bad: string[] = [];
		for (const l of survey.rubric.levels) {
			const minTotal = num(form.get(`level.${l.id}.minTotal`));
			const minK = num(form.get(`level.${l.id}.minK`));
			if (minTotal === null)
				bad.push(`${pick(locals.locale, l.label)} · ${t(locals.locale, 'surveys.edit.minTotal')}`);
			if (minK === null)
				bad.push(`${pick(locals.locale, l.label)} · ${t(locals.locale, 'surveys.edit.minK')}`);
			if (minTotal !== null && minK !== null) edit.levels![l.id] = { minTotal, minK };
		}
		for (const r of survey.referenceValues.values())
			for (const [key, v] of Object.entries(r.values)) {
				const value = num(form.get(`ref.${r.year}.${key}`));
				if (value === null) bad.push(`${r.year} · ${pick(locals.locale, v.label)}`);
				else (edit.references![String(r.year)] ??= {})[key] = value;
			}
		if (bad.length)
			return fail(400, {
				error: t(locals.locale, 'surveys.edit.badNumber', { field: bad.join('; ') }),
				issues: [] as string[]
			});
		const out = await deriveVersion(db, locals.user, survey.id, edit);
		if (!out.ok)
			return fail(422, {
				error: out.message
					? pick(locals.locale, out.message)
					: t(locals.locale, 'surveys.edit.rejected', { n: out.issues.length }),
				issues: out.issues.map((i) => `${i.file}: ${i.path}: ${i.message}`)
			});
		redirect(303, `/admin/surveys?created=${encodeURIComponent(out.id)}`);
	}
};
