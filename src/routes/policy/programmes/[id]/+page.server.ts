import { error, fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import {
	canEditPolicy,
	forbid,
	getProgramme,
	programmeContext,
	programmeFromForm,
	saveProgramme,
	userErrorText
} from '$lib/server/policy';
import { listSectors } from '$lib/server/surveys';
import { pick } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	if (!canEditPolicy(locals.user))
		error(
			403,
			pick(locals.locale, {
				vi: 'Chỉ quản trị viên và lãnh đạo quản lý được sửa chương trình hỗ trợ.',
				en: 'Only administrators and policymakers may edit support programmes.'
			})
		);
	const p = await getProgramme(await getDatabase(), params.id);
	if (!p)
		error(
			404,
			pick(locals.locale, { vi: 'Không tìm thấy chương trình hỗ trợ.', en: 'Support programme not found.' })
		);
	const { revision, ...programme } = p;
	return {
		programme,
		revision,
		sectors: listSectors().map((s) => ({ id: s.id, name: s.name })),
		levels: programmeContext().levels
	};
};

export const actions: Actions = {
	save: async ({ request, params, locals, getClientAddress }) => {
		const form = await request.formData();
		try {
			if (!canEditPolicy(locals.user)) forbid();
			const input = { ...programmeFromForm(form), id: params.id };
			const p = await saveProgramme(await getDatabase(), input, locals.user, {
				expectedRevision: Number(form.get('revision')),
				ip: getClientAddress()
			});
			return { saved: p.revision };
		} catch (e) {
			const text = userErrorText(e, locals.locale);
			if (text === null) throw e;
			return fail(400, { error: text });
		}
	}
};
