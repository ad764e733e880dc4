import { error, fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { intParam } from '$lib/server/http';
import {
	acceptingAnswers,
	campaignParticipants,
	eligibleEnterprises,
	extendCampaign,
	getCampaign,
	inviteEnterprises
} from '$lib/server/campaigns';
import { reopenResponse } from '$lib/server/responses';
import { enqueueReopenedMail } from '$lib/server/reopen-mail';
import { recordAudit } from '$lib/server/audit';
import { pick, t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

/** Rows per page of the participants list (a campaign has hundreds). */
const PAGE_SIZE = 50;

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const db = await getDatabase();
	const campaign = await getCampaign(db, params.id);
	if (!campaign) error(404, { message: 'Not found' });
	const p = intParam('page', url.searchParams.get('page'), { min: 1, max: 100_000, fallback: 1 });
	if (!p.ok) error(400, pick(locals.locale, p.message));
	const q = url.searchParams.get('q')?.trim().slice(0, 100).toLocaleLowerCase('vi') ?? '';
	const [all, eligible] = await Promise.all([
		campaignParticipants(db, campaign._id),
		eligibleEnterprises(db, campaign, PAGE_SIZE)
	]);
	const matching = q
		? all.filter((x) => x.enterpriseName.toLocaleLowerCase('vi').includes(q) || x.taxCode.includes(q))
		: all;
	const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
	const page = Math.min(p.value, pages);
	const participants = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
	const open = acceptingAnswers(campaign);
	return {
		campaign: {
			id: campaign._id,
			name: pick(locals.locale, campaign.name),
			surveyId: campaign.surveyId,
			status: campaign.status,
			year: campaign.year,
			opensAt: campaign.opensAt.toISOString(),
			closesAt: campaign.closesAt.toISOString(),
			acceptingMessage: open.ok ? null : pick(locals.locale, open.message)
		},
		list: { page, pages, total: all.length, matching: matching.length, q },
		participants: participants.map((p) => ({
			...p,
			submittedAt: p.submittedAt?.toISOString() ?? null,
			updatedAt: p.updatedAt.toISOString()
		})),
		eligible: eligible.map((e) => ({ id: e._id, name: e.name, taxCode: e.taxCode, email: e.email ?? null }))
	};
};

export const actions: Actions = {
	invite: async ({ request, params, locals, url }) => {
		const db = await getDatabase();
		const campaign = await getCampaign(db, params.id);
		if (!campaign) error(404, { message: 'Not found' });
		const ids = (await request.formData())
			.getAll('enterpriseId')
			.filter((x): x is string => typeof x === 'string');
		if (!ids.length) return fail(400, { error: t(locals.locale, 'campaign.pickEnterprises') });
		// The same use case as the bulk page: participation, one e-mail each (deduplicated), links.
		const { added, already, outcomes } = await inviteEnterprises(db, campaign, ids, {
			origin: url.origin,
			createdBy: locals.user!.id
		});
		const links = outcomes
			.filter((o) => o.link && o.email)
			.map((o) => ({ enterprise: o.enterpriseName, email: o.email!, link: o.link! }));
		await recordAudit(db, {
			actor: locals.user!,
			action: 'campaign.invite',
			target: `campaigns/${campaign._id}`,
			after: { added, already }
		});
		return { invited: added.length, already: already.length, links };
	},
	reopen: async ({ request, locals }) => {
		const form = await request.formData();
		const id = String(form.get('responseId') ?? '');
		const reason = String(form.get('reason') ?? '').trim();
		if (!reason) return fail(400, { error: t(locals.locale, 'campaign.reasonRequired') });
		const db = await getDatabase();
		const ok = await reopenResponse(db, locals.user!, id, reason);
		if (!ok) return fail(400, { error: t(locals.locale, 'campaign.reopenFailed') });
		// The enterprise is told why and until when, with a link to continue.
		await enqueueReopenedMail(db, { responseId: id, reason });
		return { reopened: id };
	},
	extend: async ({ request, params, locals }) => {
		const db = await getDatabase();
		const before = await getCampaign(db, params.id);
		if (!before) error(404, { message: 'Not found' });
		const date = String((await request.formData()).get('closesAt') ?? '');
		const closesAt = new Date(`${date}T23:59:59+07:00`);
		if (isNaN(+closesAt) || +closesAt <= Date.now())
			return fail(400, { error: t(locals.locale, 'campaign.extendInvalid') });
		const after = await extendCampaign(db, params.id, closesAt);
		await recordAudit(db, {
			actor: locals.user!,
			action: 'campaign.extend',
			target: `campaigns/${params.id}`,
			before: { closesAt: before.closesAt, status: before.status },
			after: { closesAt: after?.closesAt, status: after?.status }
		});
		return { extended: true };
	}
};
