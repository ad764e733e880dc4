import { getDatabase } from '$lib/server/db';
import { countMail, isMailStatus, listMail } from '$lib/server/mail';
import type { PageServerLoad } from './$types';

const PAGE = 100;

export const load: PageServerLoad = async ({ url }) => {
	const db = await getDatabase();
	const s = url.searchParams.get('status');
	const status = isMailStatus(s) ? s : undefined;
	const campaignId = url.searchParams.get('campaign')?.slice(0, 100) || undefined;
	const page = Math.max(0, Math.floor(Number(url.searchParams.get('page')) || 0));
	const rows = await listMail(db, { status, campaignId, limit: PAGE + 1, skip: page * PAGE });
	return {
		status: status ?? null,
		campaignId: campaignId ?? null,
		page,
		more: rows.length > PAGE,
		counts: await countMail(db, campaignId ? { campaignId } : {}),
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
