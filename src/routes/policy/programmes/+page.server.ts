import { fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import {
	canEditPolicy,
	listProgrammes,
	PolicyError,
	programmeContext,
	programmeFromForm,
	saveProgramme,
	userErrorText
} from '$lib/server/policy';
import { listSectors } from '$lib/server/surveys';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const ctx = programmeContext();
	return {
		programmes: await listProgrammes(await getDatabase()),
		criteria: [...ctx.rescorer.criteria].map(([id, c]) => ({
			id,
			group: c.group,
			max: c.max,
			name: ctx.criterionNames.get(id) ?? { vi: id, en: id }
		})),
		sectors: listSectors().map((s) => ({ id: s.id, name: s.name })),
		levels: ctx.levels
	};
};

export const actions: Actions = {
	create: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const values = Object.fromEntries(
			[...form.keys()].map((k) => [k, form.getAll(k).map(String).join(', ')])
		);
		try {
			if (!canEditPolicy(locals.user))
				throw new PolicyError(
					{
						vi: 'Chỉ quản trị viên và lãnh đạo quản lý được sửa chương trình hỗ trợ.',
						en: 'Only administrators and policymakers may edit support programmes.'
					},
					403
				);
			const p = await saveProgramme(await getDatabase(), programmeFromForm(form), locals.user, {
				ip: getClientAddress()
			});
			return { created: p.id };
		} catch (e) {
			const text = userErrorText(e, locals.locale);
			if (text === null) throw e;
			return fail(400, { error: text, values });
		}
	}
};
