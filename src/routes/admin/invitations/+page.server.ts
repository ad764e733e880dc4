import { error, fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { intParam } from '$lib/server/http';
import {
	INVITATION_STATES,
	InvitationAdminError,
	listAccountInvitations,
	resendInvitation,
	revokeInvitation,
	type InvitationState
} from '$lib/server/account-invitations';
import { pick, type Locale } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const s = url.searchParams.get('state');
	const state = (INVITATION_STATES as readonly string[]).includes(s ?? '')
		? (s as InvitationState)
		: s === 'all'
			? undefined
			: 'pending';
	const q = url.searchParams.get('q')?.trim().slice(0, 100) ?? '';
	const p = intParam('page', url.searchParams.get('page'), { min: 1, max: 100_000, fallback: 1 });
	if (!p.ok) error(400, pick(locals.locale, p.message));
	const list = await listAccountInvitations(await getDatabase(), { state, q, page: p.value });
	return {
		state: state ?? 'all',
		q,
		page: list.page,
		pages: list.pages,
		total: list.total,
		rows: list.rows.map((r) => ({
			...r,
			createdAt: r.createdAt.toISOString(),
			expiresAt: r.expiresAt.toISOString(),
			openedAt: r.openedAt?.toISOString() ?? null
		}))
	};
};

function failure(e: unknown, locale: Locale) {
	if (e instanceof InvitationAdminError)
		return fail(e.code === 'forbidden' ? 403 : e.code === 'not-found' ? 404 : 400, {
			error: pick(locale, e.text)
		});
	throw e;
}

export const actions: Actions = {
	resend: async ({ request, locals, url }) => {
		const form = await request.formData();
		try {
			const r = await resendInvitation(await getDatabase(), locals.user, form.get('id'), {
				origin: url.origin,
				locale: form.get('locale') === 'en' ? 'en' : 'vi'
			});
			return { resent: r.email };
		} catch (e) {
			return failure(e, locals.locale);
		}
	},
	revoke: async ({ request, locals }) => {
		const form = await request.formData();
		try {
			await revokeInvitation(await getDatabase(), locals.user, form.get('id'));
			return { revoked: true };
		} catch (e) {
			return failure(e, locals.locale);
		}
	}
};
