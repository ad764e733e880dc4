import { error, fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { acceptingAnswers, CampaignInputError, getCampaign } from '$lib/server/campaigns';
import {
	campaignSummary,
	dailyProgress,
	lateParticipants,
	parseLateFilters,
	ratesBy,
	setDeclined,
	trackParticipants,
	wardName
} from '$lib/server/tracking';
import {
	parseReminderSettings,
	reminderSettings,
	sendReminders,
	setReminderSettings
} from '$lib/server/reminders';
import { recordAudit } from '$lib/server/audit';
import {
	campaignPhase,
	closeCampaignNow,
	LifecycleError,
	reopenCampaign
} from '$lib/server/campaign-lifecycle';
import { departmentTimeZone } from '$lib/server/timezone';
import { campaignWarnings } from '$lib/server/plausibility';
import { pick, t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const db = await getDatabase();
	const campaign = await getCampaign(db, params.id);
	if (!campaign) error(404, { message: 'Not found' });
	const rows = await trackParticipants(db, campaign._id);
	const summary = await campaignSummary(db, campaign, new Date(), rows);
	const filters = parseLateFilters(url.searchParams);
	const late = lateParticipants(rows, filters);
	const iso = (d: Date | null) => d?.toISOString() ?? null;
	const open = acceptingAnswers(campaign);
	const phase = campaignPhase(campaign);
	const role = locals.user?.role;
	return {
		canAdmin: role === 'admin',
		campaign: {
			id: campaign._id,
			name: pick(locals.locale, campaign.name),
			phase,
			/** Answers can still arrive: closing now is possible (a campaign past its date is closed for good by it). */
			closable: campaign.status === 'open' && phase !== 'scheduled',
			opensAt: campaign.opensAt.toISOString(),
			closesAt: campaign.closesAt.toISOString(),
			accepting: open.ok,
			closedMessage: open.ok ? null : pick(locals.locale, open.message)
		},
		summary,
		segments: {
			size: ratesBy(rows, 'size', locals.locale),
			ownership: ratesBy(rows, 'ownership', locals.locale),
			ward: ratesBy(rows, 'ward', locals.locale)
		},
		daily: dailyProgress(rows, campaign),
		filters,
		query: url.searchParams.toString(),
		wards: [...new Set(rows.map((r) => r.ward).filter(Boolean))]
			.map((id) => ({ id, name: wardName(id) }))
			.sort((a, b) => a.name.localeCompare(b.name, 'vi')),
		late: late.slice(0, 500).map((r) => ({
			responseId: r.responseId,
			name: r.enterpriseName,
			taxCode: r.taxCode,
			email: r.email,
			stage: r.stage,
			size: r.size,
			ward: r.ward ? wardName(r.ward) : '',
			invitedAt: iso(r.invitedAt),
			reminders: r.reminders,
			lastReminderAt: iso(r.lastReminderAt),
			note: r.declineReason ?? r.bounceReason
		})),
		lateTotal: late.length,
		// Plausibility warnings confirmed at submit (or raised by imported rows).
		warnings: await campaignWarnings(db, campaign, locals.locale),
		reminders: reminderSettings(campaign)
	};
};

/** A lifecycle refusal as the form shows it (403 for a role the use case refuses). */
function lifecycleFailure(e: unknown, locale: Parameters<typeof pick>[0]) {
	if (e instanceof LifecycleError)
		return fail(e.code === 'forbidden' ? 403 : e.code === 'not-found' ? 404 : 400, {
			error: pick(locale, e.text),
			field: e.field ?? null
		});
	throw e;
}

export const actions: Actions = {
	close: async ({ request, params, locals }) => {
		const form = await request.formData();
		try {
			await closeCampaignNow(await getDatabase(), locals.user, params.id, form.get('reason'));
			return { closed: true };
		} catch (e) {
			return lifecycleFailure(e, locals.locale);
		}
	},
	reopen: async ({ request, params, locals }) => {
		const form = await request.formData();
		try {
			await reopenCampaign(await getDatabase(), locals.user, params.id, form.get('closesAt'), {
				timeZone: departmentTimeZone()
			});
			return { reopened: true };
		} catch (e) {
			return lifecycleFailure(e, locals.locale);
		}
	},
	remind: async ({ request, params, locals, url }) => {
		const db = await getDatabase();
		const campaign = await getCampaign(db, params.id);
		if (!campaign) error(404, { message: 'Not found' });
		const dryRun = (await request.formData()).get('dryRun') === '1';
		try {
			const r = await sendReminders(db, campaign, { origin: url.origin, dryRun, createdBy: locals.user!.id });
			if (!dryRun)
				await recordAudit(db, {
					actor: locals.user!,
					action: 'campaign.remind',
					target: `campaigns/${campaign._id}`,
					after: { queued: r.queued, skipped: r.plan.skipped.length }
				});
			return {
				reminded: {
					dryRun,
					queued: r.queued,
					targets: r.plan.targets.map((x) => `${x.participant.enterpriseName} <${x.recipient.email}>`),
					skipped: r.plan.skipped.length,
					errors: r.errors.map((e) => pick(locals.locale, e.message))
				}
			};
		} catch (e) {
			if (e instanceof CampaignInputError) return fail(400, { error: pick(locals.locale, e.text) });
			throw e;
		}
	},
	settings: async ({ request, params, locals }) => {
		const form = await request.formData();
		try {
			const settings = parseReminderSettings(
				String(form.get('daysBefore') ?? ''),
				form.get('maxPerEnterprise')
			);
			const db = await getDatabase();
			if (!(await setReminderSettings(db, params.id, settings))) error(404, { message: 'Not found' });
			await recordAudit(db, {
				actor: locals.user!,
				action: 'campaign.reminders',
				target: `campaigns/${params.id}`,
				after: settings
			});
			return { saved: true };
		} catch (e) {
			if (e instanceof CampaignInputError) return fail(400, { error: pick(locals.locale, e.text) });
			throw e;
		}
	},
	decline: async ({ request, params, locals }) => {
		const form = await request.formData();
		const responseId = String(form.get('responseId') ?? '');
		const undo = form.get('undo') === '1';
		const reason = String(form.get('reason') ?? '').trim();
		if (!undo && !reason) return fail(400, { error: t(locals.locale, 'campaign.declineReasonRequired') });
		const ok = await setDeclined(
			await getDatabase(),
			locals.user!,
			params.id,
			responseId,
			undo ? null : { reason }
		);
		if (!ok) return fail(400, { error: t(locals.locale, 'campaign.declineFailed') });
		return { declined: !undo };
	}
};
