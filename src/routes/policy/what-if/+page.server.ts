import { getDatabase } from '$lib/server/db';
import {
	parseChange,
	programmeContext,
	segmentFromFields,
	userErrorText,
	whatIfFor,
	type WhatIfView
} from '$lib/server/policy';
import { listWards } from '$lib/server/surveys';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals, parent }) => {
	const { sources } = await parent();
	const q = url.searchParams;
	const form = {
		source: q.get('source') ?? sources[0]?.id ?? '',
		size: q.get('size') ?? '',
		ownership: q.get('ownership') ?? '',
		ward: q.get('ward') ?? '',
		vsic: q.get('vsic') ?? '',
		level: q.get('level') ?? '',
		target: q.get('target') ?? 'T',
		raise: q.get('raise') ?? '2'
	};
	let view: WhatIfView | null = null;
	let error: string | null = null;
	if (q.get('target'))
		try {
			view = await whatIfFor(
				await getDatabase(),
				{
					sourceId: form.source,
					segment: segmentFromFields(form),
					change: parseChange(form.target, form.raise)
				},
				locals.user
			);
		} catch (e) {
			error = userErrorText(e, locals.locale);
			if (error === null) throw e;
		}
	const ctx = programmeContext();
	return {
		form,
		view,
		error,
		criteria: [...ctx.rescorer.criteria].map(([id, c]) => ({
			id,
			group: c.group,
			name: ctx.criterionNames.get(id) ?? { vi: id, en: id }
		})),
		levels: ctx.levels,
		wards: listWards().map((w) => ({ id: w.id, name: w.name }))
	};
};
