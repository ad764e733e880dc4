import { fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { AuthInputError, createInvitation, createUser, listUsers, setUserDisabled } from '$lib/server/auth';
import { ROLES, type Role } from '$lib/server/db/schema';
import { pick, t, type Locale } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

const INVITE_DAYS = 14;

function asRole(x: FormDataEntryValue | string | null): Role | null {
	return typeof x === 'string' && (ROLES as readonly string[]).includes(x) ? (x as Role) : null;
}

export const load: PageServerLoad = async ({ url }) => {
	const role = asRole(url.searchParams.get('role'));
	const q = url.searchParams.get('q')?.slice(0, 100) ?? '';
	const users = await listUsers(await getDatabase(), { role: role ?? undefined, q: q || undefined });
	return {
		users: users.map((u) => ({
			id: u.id,
			email: u.email,
			name: u.name,
			role: u.role,
			enterpriseId: u.enterpriseId ?? null,
			disabled: u.disabled,
			pending: !u.hasPassword
		})),
		filter: { role, q },
		roles: ROLES
	};
};

/** Errors users can cause come back as a 400 in their language; anything else is ours (500). */
function inputError(action: string, e: unknown, locale: Locale) {
	if (e instanceof AuthInputError) return fail(400, { action, error: true, message: pick(locale, e.text) });
	throw e;
}

function str(form: FormData, key: string): string {
	const v = form.get(key);
	return typeof v === 'string' ? v.trim() : '';
}

export const actions: Actions = {
	invite: async ({ request, locals, url }) => {
		const form = await request.formData();
		const role = asRole(form.get('role'));
		const email = str(form, 'email');
		const enterpriseId = str(form, 'enterpriseId') || undefined;
		if (!role || !email)
			return fail(400, { action: 'invite', error: true, message: t(locals.locale, 'admin.users.required') });
		let result;
		try {
			result = await createInvitation(await getDatabase(), {
				email,
				role,
				enterpriseId,
				createdBy: locals.user?.id ?? null,
				ttlDays: INVITE_DAYS
			});
		} catch (e) {
			return inputError('invite', e, locals.locale);
		}
		return {
			action: 'invite',
			message: t(locals.locale, 'admin.users.invited', { days: INVITE_DAYS }),
			link: `${url.origin}/invite/${result.token}`
		};
	},
	toggle: async ({ request, locals }) => {
		const form = await request.formData();
		const id = str(form, 'id');
		const disabled = str(form, 'disabled') === 'true';
		if (!id)
			return fail(400, { action: 'toggle', error: true, message: t(locals.locale, 'admin.users.required') });
		if (id === locals.user?.id)
			return fail(400, { action: 'toggle', error: true, message: t(locals.locale, 'admin.users.notSelf') });
		try {
			await setUserDisabled(await getDatabase(), id, disabled);
		} catch (e) {
			return inputError('toggle', e, locals.locale);
		}
		return { action: 'toggle' };
	},
	create: async ({ request, locals }) => {
		const form = await request.formData();
		const role = asRole(form.get('role'));
		const email = str(form, 'email');
		const name = str(form, 'name');
		if (!role || !email || !name)
			return fail(400, { action: 'create', error: true, message: t(locals.locale, 'admin.users.required') });
		try {
			await createUser(await getDatabase(), {
				email,
				name,
				role,
				enterpriseId: str(form, 'enterpriseId') || undefined,
				locale: locals.locale
			});
		} catch (e) {
			return inputError('create', e, locals.locale);
		}
		return { action: 'create', message: t(locals.locale, 'admin.users.created', { email }) };
	}
};
