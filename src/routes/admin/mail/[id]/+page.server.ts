import { error, fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { getMail, requeueMail } from '$lib/server/mail';
import { recordAudit } from '$lib/server/audit';
import { t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const m = await getMail(await getDatabase(), params.id);
	if (!m) error(404, { message: 'Not found' });
	return {
		mail: {
			id: m._id,
			to: m.to,
			subject: m.subject,
			html: m.html,
			text: m.text,
			template: m.template,
			locale: m.locale,
			status: m.status,
			attempts: m.attempts,
			lastError: m.lastError,
			permanentFailure: m.permanentFailure ?? false,
			errors: m.errors.map((e) => ({ at: e.at.toISOString(), attempt: e.attempt, error: e.error })),
			createdAt: m.createdAt.toISOString(),
			sentAt: m.sentAt?.toISOString() ?? null,
			nextAttemptAt: m.nextAttemptAt?.toISOString() ?? null,
			campaignId: m.campaignId ?? null
		}
	};
};

export const actions: Actions = {
	requeue: async ({ params, locals }) => {
		const db = await getDatabase();
		const m = await requeueMail(db, params.id);
		if (!m) return fail(400, { error: t(locals.locale, 'mailAdmin.requeueFailed') });
		await recordAudit(db, { actor: locals.user!, action: 'mail.requeue', target: `mail/${params.id}` });
		return { requeued: true };
	}
};
