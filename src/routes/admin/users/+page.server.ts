import { error, fail, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import {
	ACCOUNT_INVITATION_DAYS,
	InvitationAdminError,
	inviteAccount,
	searchRegister
} from '$lib/server/account-invitations';
import { AuthInputError, createUser, getUser, setUserDisabled, setUserRole } from '$lib/server/auth';
import { recordAudit } from '$lib/server/audit';
import { intParam } from '$lib/server/http';
import { listUsersPage, setPublisher, UsersAdminError, USERS_PAGE_SIZE } from '$lib/server/users-admin';
import { clientIp } from '$lib/server/session';
import { wardName } from '$lib/server/tracking';
import { ROLES, type Role } from '$lib/server/db/schema';
import { pick, t, type Locale } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

function asRole(x: FormDataEntryValue | string | null): Role | null {
	return typeof x === 'string' && (ROLES as readonly string[]).includes(x) ? (x as Role) : null;
}

export const load: PageServerLoad = async ({ url, locals }) => {
	const p = intParam('page', url.searchParams.get('page'), { min: 1, max: 100_000, fallback: 1 });
	if (!p.ok) error(400, pick(locals.locale, p.message));
	const role = asRole(url.searchParams.get('role'));
	const q = url.searchParams.get('q')?.slice(0, 100) ?? '';
	const db = await getDatabase();
	let list;
	try {
		list = await listUsersPage(db, locals.user, { role, q, page: p.value });
	} catch (e) {
		if (e instanceof UsersAdminError) error(403, pick(locals.locale, e.text));
		throw e;
	}
	// Past the last page (a typed URL, or a search with fewer matches): the last page.
	if (p.value > list.last) {
		const to = new URLSearchParams(url.searchParams);
		to.set('page', String(list.last));
		redirect(303, `${url.pathname}?${to}`);
	}
	// Inviting an enterprise: find its register entry by name, then use its tax code.
	const find = url.searchParams.get('find')?.trim().slice(0, 100) ?? '';
	const found = find ? await searchRegister(db, find) : null;
	const pickRaw = url.searchParams.get('pick') ?? '';
	return {
		find,
		found: found
			? { ...found, matches: found.matches.map((m) => ({ ...m, ward: m.ward ? wardName(m.ward) : '' })) }
			: null,
		pick: /^[\d-]{1,20}$/.test(pickRaw) ? pickRaw : '',
		users: list.users,
		total: list.total,
		page: list.page,
		lastPage: list.last,
		pageSize: USERS_PAGE_SIZE,
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
	/** An invitation e-mailed through the queue; enterprise ones name a register entry by tax code. */
	invite: async (event) => {
		const { request, locals, url } = event;
		const form = await request.formData();
		const db = await getDatabase();
		let result;
		try {
			result = await inviteAccount(
				db,
				locals.user,
				{
					email: str(form, 'email'),
					role: str(form, 'role'),
					taxCode: str(form, 'taxCode'),
					locale: str(form, 'locale') === 'en' ? 'en' : 'vi'
				},
				{ origin: url.origin }
			);
		} catch (e) {
			if (e instanceof InvitationAdminError)
				return fail(e.code === 'forbidden' ? 403 : 400, {
					action: 'invite',
					error: true,
					field: e.field ?? null,
					message: pick(locals.locale, e.text)
				});
			throw e;
		}
		return {
			action: 'invite',
			message: t(locals.locale, 'ops.invite.mailed', {
				email: result.email,
				days: ACCOUNT_INVITATION_DAYS
			}),
			// E-mailed; shown as well for an address that cannot receive mail.
			link: `${url.origin}${result.path}`
		};
	},
	/** The right to publish releases, for analyst accounts; the use case checks and audits it. */
	publisher: async (event) => {
		const { request, locals } = event;
		const form = await request.formData();
		const on = str(form, 'publisher') === 'true';
		const db = await getDatabase();
		try {
			const r = await setPublisher(
				db,
				locals.user,
				{ id: str(form, 'id'), publisher: on },
				{ ip: clientIp(event) }
			);
			return {
				action: 'publisher',
				message: t(locals.locale, on ? 'admin.users.publisherGranted' : 'admin.users.publisherRevoked', {
					email: r.email
				})
			};
		} catch (e) {
			if (e instanceof UsersAdminError)
				return fail(e.code === 'forbidden' ? 403 : e.code === 'not-found' ? 404 : 400, {
					action: 'publisher',
					error: true,
					message: pick(locals.locale, e.text)
				});
			throw e;
		}
	},
	toggle: async (event) => {
		const { request, locals } = event;
		const form = await request.formData();
		const id = str(form, 'id');
		const disabled = str(form, 'disabled') === 'true';
		if (!id)
			return fail(400, { action: 'toggle', error: true, message: t(locals.locale, 'admin.users.required') });
		if (id === locals.user?.id)
			return fail(400, { action: 'toggle', error: true, message: t(locals.locale, 'admin.users.notSelf') });
		const db = await getDatabase();
		try {
			const before = await getUser(db, id);
			const { user, sessionsEnded } = await setUserDisabled(db, id, disabled);
			await recordAudit(db, {
				actor: locals.user,
				action: disabled ? 'user.disable' : 'user.enable',
				target: `users/${id}`,
				before: { email: before?.email, disabled: before?.disabled },
				after: { email: user.email, disabled: user.disabled, sessionsEnded },
				ip: clientIp(event)
			});
		} catch (e) {
			return inputError('toggle', e, locals.locale);
		}
		return { action: 'toggle' };
	},
	create: async (event) => {
		const { request, locals } = event;
		const form = await request.formData();
		const role = asRole(form.get('role'));
		const email = str(form, 'email');
		const name = str(form, 'name');
		if (!role || !email || !name)
			return fail(400, { action: 'create', error: true, message: t(locals.locale, 'admin.users.required') });
		const db = await getDatabase();
		try {
			const user = await createUser(db, {
				email,
				name,
				role,
				enterpriseId: str(form, 'enterpriseId') || undefined,
				locale: locals.locale
			});
			await recordAudit(db, {
				actor: locals.user,
				action: 'user.create',
				target: `users/${user.id}`,
				after: {
					email: user.email,
					name: user.name,
					role: user.role,
					enterpriseId: user.enterpriseId ?? null
				},
				ip: clientIp(event)
			});
		} catch (e) {
			return inputError('create', e, locals.locale);
		}
		return { action: 'create', message: t(locals.locale, 'admin.users.created', { email }) };
	},
	/** Role change (with the enterprise link for 'enterprise'); takes effect on the user's next request. */
	role: async (event) => {
		const { request, locals } = event;
		const form = await request.formData();
		const id = str(form, 'id');
		const role = asRole(form.get('role'));
		if (!id || !role)
			return fail(400, { action: 'role', error: true, message: t(locals.locale, 'admin.users.required') });
		const db = await getDatabase();
		try {
			const before = await getUser(db, id);
			const after = await setUserRole(db, id, role, { enterpriseId: str(form, 'enterpriseId') || undefined });
			await recordAudit(db, {
				actor: locals.user,
				action: 'user.role',
				target: `users/${id}`,
				before: { email: before?.email, role: before?.role, enterpriseId: before?.enterpriseId ?? null },
				after: { email: after.email, role: after.role, enterpriseId: after.enterpriseId ?? null },
				ip: clientIp(event)
			});
		} catch (e) {
			return inputError('role', e, locals.locale);
		}
		return { action: 'role' };
	}
};
