import { fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import {
	followUpFor,
	listProgrammes,
	listSupports,
	recordSupportByTaxCode,
	removeSupport,
	userErrorText,
	type FollowUpView
} from '$lib/server/policy';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals, parent }) => {
	const { sources } = await parent();
	const db = await getDatabase();
	const programmes = (await listProgrammes(db)).map((p) => ({ id: p.id, name: p.name }));
	const q = url.searchParams;
	const form = {
		programme: q.get('programme') ?? programmes[0]?.id ?? '',
		before: q.get('before') ?? '',
		after: q.get('after') ?? '',
		comparison: q.get('comparison') === 'all' ? 'all' : 'eligible'
	};
	// Defaults: the two most recent sources of one sector, earlier first.
	if (!form.before && sources.length) {
		const s0 = sources.find((s) => sources.some((t) => t.sector === s.sector && t.year > s.year));
		const later = s0 && sources.find((t) => t.sector === s0.sector && t.year > s0.year);
		if (s0 && later) {
			form.before = s0.id;
			form.after = later.id;
		}
	}
	let result: FollowUpView | null = null;
	let error: string | null = null;
	if (form.before && form.after)
		try {
			result = await followUpFor(
				db,
				{
					programmeId: form.programme,
					beforeSourceId: form.before,
					afterSourceId: form.after,
					comparison: form.comparison as 'eligible' | 'all'
				},
				locals.user
			);
		} catch (e) {
			error = userErrorText(e, locals.locale);
			if (error === null) throw e;
		}
	return { programmes, form, result, error, supports: await listSupports(db, locals.user) };
};

export const actions: Actions = {
	add: async ({ request, locals, getClientAddress }) => {
		const f = await request.formData();
		try {
			await recordSupportByTaxCode(
				await getDatabase(),
				{
					programmeId: String(f.get('programme') ?? ''),
					year: Number(f.get('year')),
					taxCode: String(f.get('taxCode') ?? '')
				},
				locals.user!,
				getClientAddress()
			);
			return { added: true };
		} catch (e) {
			const text = userErrorText(e, locals.locale);
			if (text === null) throw e;
			return fail(400, { error: text });
		}
	},
	remove: async ({ request, locals, getClientAddress }) => {
		const f = await request.formData();
		try {
			await removeSupport(await getDatabase(), String(f.get('id') ?? ''), locals.user!, getClientAddress());
			return { removed: true };
		} catch (e) {
			const text = userErrorText(e, locals.locale);
			if (text === null) throw e;
			return fail(400, { error: text });
		}
	}
};
