import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { intParam } from '$lib/server/http';
import { pick } from '$lib/i18n';
import { countMail, isMailStatus, isMailTemplate, listMail, MAIL_TEMPLATES } from '$lib/server/mail';
import type { PageServerLoad } from './$types';

const PAGE = 100;

export const load: PageServerLoad = async ({ url, locals }) => {
	const db = await getDatabase();
	const s = url.searchParams.get('status');
	const status = isMailStatus(s) ? s : undefined;
	const campaignId = url.searchParams.get('campaign')?.slice(0, 100) || undefined;
	const k = url.searchParams.get('template');
	if (k && !isMailTemplate(k))
		error(
			400,
			pick(locals.locale, {
				vi: `Loại thư "${k.slice(0, 40)}" không tồn tại.`,
				en: `There is no kind of message "${k.slice(0, 40)}".`
			})
		);
	const template = k && isMailTemplate(k) ? k : undefined;
	const p = intParam('page', url.searchParams.get('page'), { min: 0, max: 100_000, fallback: 0 });
	if (!p.ok) error(400, pick(locals.locale, p.message));
	const page = p.value;
	const rows = await listMail(db, { status, campaignId, template, limit: PAGE + 1, skip: page * PAGE });
	return {
		status: status ?? null,
		campaignId: campaignId ?? null,
		template: template ?? null,
		templates: MAIL_TEMPLATES,
		page,
		more: rows.length > PAGE,
		counts: await countMail(db, { campaignId, template }),
		mail: rows.slice(0, PAGE).map((m) => ({
			id: m._id,
			to: m.to,
			subject: m.subject,
			template: m.template,
			locale: m.locale,
			status: m.status,
			attempts: m.attempts,
			lastError: m.lastError,
			permanentFailure: m.permanentFailure ?? false,
			createdAt: m.createdAt.toISOString(),
			sentAt: m.sentAt?.toISOString() ?? null
		}))
	};
};
