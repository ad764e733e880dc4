/**
 * Reminders: manual (an admin's button, `techcap remind`) and scheduled (so many days
 * before closing, per campaign), only to participants that have not submitted, have not declined
 * and whose address has not bounced, at most `maxPerEnterprise` per enterprise.
 *
 * No duplicates: the n-th reminder to an enterprise has the dedupe key
 * `remind:<campaignId>:<enterpriseId>:<n>`, so two admins clicking at once (or a click during a
 * scheduled run) queue one message. A scheduled slot (e.g. "7 days before the closing date") is
 * claimed on the campaign document with one atomic update before anything is sent, so with several
 * app instances exactly one of them sends it; an extension moves the closing date and re-arms the
 * slots for the new date.
 */
import type { Database } from './db/types';
import { C, type CampaignDoc, type EnterpriseDoc, type ReminderSettings } from './db/schema';
import {
	acceptingAnswers,
	campaignRecipients,
	CampaignInputError,
	getCampaign,
	loginLink,
	type Recipient
} from './campaigns';
import { trackParticipants, type TrackedParticipant } from './tracking';
import { createInvitation, invitationPath } from './auth/invitations';
import { AuthInputError } from './auth/types';
import { enqueueMail, mailCollection, MailInputError } from './mail';
import type { Bilingual } from '$lib/i18n';

export const DEFAULT_REMINDERS: ReminderSettings = { daysBefore: [7, 2], maxPerEnterprise: 3 };
const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;

export function reminderSettings(c: Pick<CampaignDoc, 'reminders'>): ReminderSettings {
	return c.reminders ?? DEFAULT_REMINDERS;
}

/**
 * Checks settings from a form or the CLI: days as a list ("7, 2" or [7, 2]) of whole numbers 1–90,
 * at most 5 of them; a limit of 1–10 reminders per enterprise.
 */
export function parseReminderSettings(daysBefore: unknown, maxPerEnterprise: unknown): ReminderSettings {
	const raw =
		typeof daysBefore === 'string'
			? daysBefore.split(/[\s,;]+/).filter(Boolean)
			: Array.isArray(daysBefore)
				? daysBefore
				: null;
	if (!raw)
		throw new CampaignInputError(
			{
				vi: 'Số ngày nhắc phải là danh sách số, ví dụ "7, 2".',
				en: 'Reminder days must be a list such as "7, 2".'
			},
			'daysBefore'
		);
	const days = raw.map((d) => Number(d));
	const bad = raw.find((d, i) => !Number.isInteger(days[i]) || days[i] < 1 || days[i] > 90);
	if (bad !== undefined)
		throw new CampaignInputError(
			{
				vi: `Số ngày nhắc "${String(bad)}" không hợp lệ: cần số nguyên từ 1 đến 90.`,
				en: `Reminder day "${String(bad)}" is not valid: expected a whole number from 1 to 90.`
			},
			'daysBefore'
		);
	const unique = [...new Set(days)].sort((a, b) => b - a);
	if (unique.length > 5)
		throw new CampaignInputError(
			{ vi: 'Tối đa 5 lần nhắc theo lịch.', en: 'At most 5 scheduled reminders.' },
			'daysBefore'
		);
	const max = Number(maxPerEnterprise);
	if (!Number.isInteger(max) || max < 1 || max > 10)
		throw new CampaignInputError(
			{
				vi: 'Số lần nhắc tối đa cho mỗi doanh nghiệp phải từ 1 đến 10.',
				en: 'The limit of reminders per enterprise must be from 1 to 10.'
			},
			'maxPerEnterprise'
		);
	return { daysBefore: unique, maxPerEnterprise: max };
}

export async function setReminderSettings(
	db: Database,
	campaignId: string,
	settings: ReminderSettings
): Promise<boolean> {
	const r = await db
		.collection<CampaignDoc>(C.campaigns)
		.updateOne({ _id: campaignId }, { $set: { reminders: settings, updatedAt: new Date() } });
	return r.matchedCount > 0;
}

/** Whole calendar days (Vietnam time) from `now` to the closing day; 0 on the closing day. */
export function daysLeft(closesAt: Date, now: Date): number {
	const day = (d: Date) => Math.floor((+d + VN_OFFSET_MS) / DAY_MS);
	return Math.max(0, day(closesAt) - day(now));
}

export type ReminderSkip = 'limit' | 'declined' | 'bounced' | 'no-email';

export interface ReminderTarget {
	participant: TrackedParticipant;
	recipient: Recipient;
	/** This reminder's number for the enterprise (1 = first). */
	n: number;
	dedupeKey: string;
}

export interface ReminderPlan {
	targets: ReminderTarget[];
	skipped: Array<{ participant: TrackedParticipant; reason: ReminderSkip }>;
	/** Participants that already submitted (never reminded). */
	submitted: number;
}

export const reminderKey = (campaignId: string, enterpriseId: string, n: number) =>
	`remind:${campaignId}:${enterpriseId}:${n}`;

/** Who would be reminded now, and who not and why. Sends nothing. */
export async function planReminders(
	db: Database,
	campaign: CampaignDoc,
	options: { enterpriseIds?: string[] } = {}
): Promise<ReminderPlan> {
	const settings = reminderSettings(campaign);
	const only = options.enterpriseIds ? new Set(options.enterpriseIds) : null;
	const rows = (await trackParticipants(db, campaign._id)).filter((p) => !only || only.has(p.enterpriseId));
	const open = rows.filter((p) => p.stage !== 'submitted');
	const enterprises = await db
		.collection<EnterpriseDoc>(C.enterprises)
		.find({ _id: { $in: open.map((p) => p.enterpriseId) } });
	const recipients = new Map((await campaignRecipients(db, enterprises)).map((r) => [r.enterpriseId, r]));
	const plan: ReminderPlan = { targets: [], skipped: [], submitted: rows.length - open.length };
	for (const p of open) {
		const r = recipients.get(p.enterpriseId);
		const skip: ReminderSkip | null =
			p.stage === 'declined'
				? 'declined'
				: p.stage === 'bounced'
					? 'bounced'
					: !r?.email
						? 'no-email'
						: p.reminders >= settings.maxPerEnterprise
							? 'limit'
							: null;
		if (skip || !r) plan.skipped.push({ participant: p, reason: skip ?? 'no-email' });
		else {
			const n = p.reminders + 1;
			plan.targets.push({
				participant: p,
				recipient: r,
				n,
				dedupeKey: reminderKey(campaign._id, p.enterpriseId, n)
			});
		}
	}
	return plan;
}

export interface SendRemindersOptions {
	origin: string;
	now?: () => Date;
	dryRun?: boolean;
	/** Remind only these enterprises (default: every participant that qualifies). */
	enterpriseIds?: string[];
	createdBy?: string | null;
}

export interface SendRemindersResult {
	plan: ReminderPlan;
	/** New reminder messages queued (0 in a dry run). */
	queued: number;
	/** Already queued by someone else at the same moment (same dedupe key). */
	duplicates: number;
	errors: Array<{ enterpriseId: string; message: Bilingual }>;
	dryRun: boolean;
}

/**
 * Queues one reminder per qualifying participant. Refuses (CampaignInputError) when the campaign
 * does not accept answers any more: a reminder could only frustrate. An enterprise without an
 * account gets a fresh invitation link (the first one's token is not stored, only its hash).
 */
export async function sendReminders(
	db: Database,
	campaign: CampaignDoc,
	options: SendRemindersOptions
): Promise<SendRemindersResult> {
	const now = (options.now ?? (() => new Date()))();
	const open = acceptingAnswers(campaign, now);
	if (!open.ok) throw new CampaignInputError(open.message, 'campaign');
	const plan = await planReminders(db, campaign, { enterpriseIds: options.enterpriseIds });
	const result: SendRemindersResult = {
		plan,
		queued: 0,
		duplicates: 0,
		errors: [],
		dryRun: Boolean(options.dryRun)
	};
	if (options.dryRun) return result;
	const left = daysLeft(campaign.closesAt, now);
	for (const t of plan.targets) {
		const r = t.recipient;
		if (await mailCollection(db).findOne({ dedupeKey: t.dedupeKey }, { projection: { _id: 1 } })) {
			result.duplicates++;
			continue;
		}
		try {
			let link = loginLink(options.origin);
			if (!r.hasAccount) {
				const inv = await createInvitation(
					db,
					{
						email: r.email!,
						role: 'enterprise',
						enterpriseId: r.enterpriseId,
						campaignId: campaign._id,
						createdBy: options.createdBy ?? null,
						ttlDays: Math.min(365, Math.max(14, left + 7))
					},
					{ now: () => now }
				);
				link = `${options.origin}${invitationPath(inv.token)}`;
			}
			const { created } = await enqueueMail(db, {
				to: r.email!,
				locale: r.locale,
				template: 'reminder',
				params: {
					enterpriseName: r.enterpriseName,
					campaignName: campaign.name[r.locale],
					closingDate: campaign.closesAt,
					daysLeft: left,
					link
				},
				dedupeKey: t.dedupeKey,
				campaignId: campaign._id,
				enterpriseId: r.enterpriseId
			});
			result[created ? 'queued' : 'duplicates']++;
		} catch (e) {
			if (e instanceof AuthInputError || e instanceof MailInputError)
				result.errors.push({ enterpriseId: r.enterpriseId, message: e.text });
			else throw e;
		}
	}
	return result;
}

/** The slot key of "d days before this closing date": an extension gives new keys. */
export const slotKey = (days: number, closesAt: Date) => `d${days}@${closesAt.toISOString()}`;

/** Slots of the campaign that are due at `now` and not yet sent. */
export function dueSlots(campaign: CampaignDoc, now: Date): string[] {
	if (+now >= +campaign.closesAt) return [];
	const done = new Set(campaign.remindersDone ?? []);
	return reminderSettings(campaign)
		.daysBefore.filter((d) => +now >= +campaign.closesAt - d * DAY_MS)
		.map((d) => slotKey(d, campaign.closesAt))
		.filter((k) => !done.has(k));
}

export interface ScheduledRun {
	campaignId: string;
	slots: string[];
	result: SendRemindersResult | null;
	/** Another instance (or an earlier tick) claimed the slots first. */
	claimedElsewhere: boolean;
}

/**
 * One scheduler tick: for every open campaign with due slots, claim them atomically and send one
 * reminder round. Several due slots at once (the server was down) give one round, not several.
 * Safe to run concurrently on any number of instances.
 */
export async function runScheduledReminders(
	db: Database,
	options: { origin: string; now?: () => Date }
): Promise<ScheduledRun[]> {
	const now = (options.now ?? (() => new Date()))();
	const campaigns = db.collection<CampaignDoc>(C.campaigns);
	const open = await campaigns.find({ status: 'open', opensAt: { $lte: now }, closesAt: { $gt: now } });
	const runs: ScheduledRun[] = [];
	for (const c of open) {
		const slots = dueSlots(c, now);
		if (!slots.length) continue;
		// The claim: only a tick that finds none of the slots recorded may record them and send.
		const claimed = await campaigns.findOneAndUpdate(
			{ _id: c._id, status: 'open', closesAt: c.closesAt, remindersDone: { $nin: slots } },
			{ $push: { remindersDone: { $each: slots } } },
			{ returnDocument: 'after' }
		);
		if (!claimed) {
			runs.push({ campaignId: c._id, slots, result: null, claimedElsewhere: true });
			continue;
		}
		try {
			const result = await sendReminders(db, claimed, { origin: options.origin, now: () => now });
			runs.push({ campaignId: c._id, slots, result, claimedElsewhere: false });
		} catch (e) {
			console.error(
				`TechCap: scheduled reminders for campaign ${c._id} failed: ${e instanceof Error ? e.message : String(e)}`
			);
			runs.push({ campaignId: c._id, slots, result: null, claimedElsewhere: false });
		}
	}
	return runs;
}

export interface ReminderScheduler {
	stop(): void;
	/** Runs a tick now (tests, admin "run now"); concurrent calls in one process share the run. */
	tick(): Promise<ScheduledRun[]>;
}

/**
 * Runs `runScheduledReminders` every `intervalMs` (default 15 min) with an unref'd timer, so it never
 * keeps the process alive. Overlapping ticks within the process are skipped.
 */
export function startReminderScheduler(
	db: Database,
	options: { origin: string; intervalMs?: number; firstDelayMs?: number }
): ReminderScheduler {
	let running: Promise<ScheduledRun[]> | null = null;
	const tick = () =>
		(running ??= runScheduledReminders(db, { origin: options.origin })
			.catch((e) => {
				console.error(`TechCap: reminder tick failed: ${e instanceof Error ? e.message : String(e)}`);
				return [];
			})
			.finally(() => (running = null)));
	const first = setTimeout(() => void tick(), options.firstDelayMs ?? 30_000);
	first.unref();
	const timer = setInterval(() => void tick(), options.intervalMs ?? 15 * 60_000);
	timer.unref();
	return {
		stop() {
			clearTimeout(first);
			clearInterval(timer);
		},
		tick
	};
}

/** For the CLI and routes: the campaign, or a clear error. */
export async function campaignOrThrow(db: Database, id: string): Promise<CampaignDoc> {
	const c = await getCampaign(db, id);
	if (!c)
		throw new CampaignInputError(
			{ vi: `Không có đợt khảo sát '${id}'.`, en: `No campaign with id '${id}'.` },
			'campaign'
		);
	return c;
}
