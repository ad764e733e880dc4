import { fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import {
	listProgrammes,
	markShortlistSupported,
	shortlistFor,
	shortlistRequestFrom,
	userErrorText,
	type ShortlistView
} from '$lib/server/policy';
import { listWards } from '$lib/server/surveys';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals, parent, getClientAddress }) => {
	const { sources } = await parent();
	const db = await getDatabase();
	const programmes = (await listProgrammes(db)).map((p) => ({
		id: p.id,
		name: p.name,
		cost: p.costPerEnterpriseVnd
	}));
	const q = url.searchParams;
	const form = {
		source: q.get('source') ?? sources[0]?.id ?? '',
		programme: q.get('programme') ?? programmes[0]?.id ?? '',
		mode: q.get('mode') === 'slots' ? 'slots' : 'budget',
		amount: q.get('amount') ?? '',
		objective: q.get('objective') === 'points' ? 'points' : 'upgrades'
	};
	let view: Omit<ShortlistView, 'selectedIds'> | null = null;
	let error: string | null = null;
	if (q.get('amount'))
		try {
			const { selectedIds: _ids, ...rest } = await shortlistFor(
				db,
				shortlistRequestFrom((n) => q.get(n)),
				locals.user,
				{ via: 'page', ip: getClientAddress() }
			);
			void _ids;
			view = rest;
		} catch (e) {
			error = userErrorText(e, locals.locale);
			if (error === null) throw e;
		}
	return {
		programmes,
		form,
		view,
		error,
		query: url.search,
		wards: Object.fromEntries(listWards().map((w) => [w.id, w.name]))
	};
};

export const actions: Actions = {
	support: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		try {
			const req = shortlistRequestFrom((n) => (form.get(n) === null ? null : String(form.get(n))));
			const r = await markShortlistSupported(
				await getDatabase(),
				req,
				Number(form.get('year')),
				locals.user!,
				getClientAddress()
			);
			return { marked: r };
		} catch (e) {
			const text = userErrorText(e, locals.locale);
			if (text === null) throw e;
			return fail(400, { error: text });
		}
	}
};
