/**
 * The campaign lifecycle as staff see it: draft → scheduled → open → closed → published.
 * The stored status says what people decided (draft, open, closed, published); the phase shown
 * everywhere also reads the dates in the department's time zone, so a campaign opening next month
 * is "scheduled", not "open", and one past its closing date is "closed" even before anyone acts.
 *
 * Closing now and reopening are use cases here, with their rules (who, when, why) and an audit
 * entry each; routes only call them. Releasing a closed campaign (draft, submit, publish) is in
 * releases/review.ts.
 */
import type { Database } from './db/types';
import { C, type CampaignDoc, type Role } from './db/schema';
import { recordAudit } from './audit';
import type { Bilingual } from '$lib/i18n';
import { endOfLocalDay, formatDate } from '$lib/time';
import { campaignPhase, type CampaignPhase } from '$lib/campaign-phase';

export { campaignPhase, CAMPAIGN_PHASES, type CampaignPhase } from '$lib/campaign-phase';

export interface LifecycleActor {
	id: string;
	email: string;
	role: Role;
}

export type LifecycleErrorCode = 'forbidden' | 'not-found' | 'invalid' | 'state' | 'conflict';

export class LifecycleError extends Error {
	constructor(
		readonly code: LifecycleErrorCode,
		readonly text: Bilingual,
		readonly field?: string
	) {
		super(text.en);
		this.name = 'LifecycleError';
	}
}

/** Who may do what: analysts run campaigns (close); reopening is an administrator's call. */
export const LIFECYCLE_RIGHTS = {
	close: ['analyst', 'admin'],
	reopen: ['admin']
} as const satisfies Record<string, readonly Role[]>;

function allowed(
	actor: LifecycleActor | null | undefined,
	what: keyof typeof LIFECYCLE_RIGHTS
): LifecycleActor {
	if (!actor || !(LIFECYCLE_RIGHTS[what] as readonly string[]).includes(actor.role))
		throw new LifecycleError('forbidden', {
			vi:
				what === 'reopen'
					? 'Chỉ quản trị viên được mở lại đợt khảo sát.'
					: 'Chỉ chuyên viên phân tích và quản trị viên được thực hiện thao tác này.',
			en:
				what === 'reopen'
					? 'Only administrators may reopen a campaign.'
					: 'Only analysts and administrators may do this.'
		});
	return actor;
}

async function load(db: Database, id: unknown): Promise<CampaignDoc> {
	const c =
		typeof id === 'string' && id ? await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: id }) : null;
	if (!c)
		throw new LifecycleError('not-found', {
			vi: 'Không tìm thấy đợt khảo sát.',
			en: 'Campaign not found.'
		});
	return c;
}

const MAX_REASON = 500;

function reasonOf(raw: unknown): string {
	const reason = typeof raw === 'string' ? raw.trim() : '';
	if (reason.length < 3)
		throw new LifecycleError(
			'invalid',
			{ vi: 'Hãy ghi lý do đóng đợt khảo sát.', en: 'Give a reason for closing the campaign.' },
			'reason'
		);
	if (reason.length > MAX_REASON)
		throw new LifecycleError(
			'invalid',
			{
				vi: `Lý do dài quá ${MAX_REASON} ký tự.`,
				en: `The reason is longer than ${MAX_REASON} characters.`
			},
			'reason'
		);
	return reason;
}

const phaseName: Record<CampaignPhase, Bilingual> = {
	draft: { vi: 'bản nháp', en: 'draft' },
	scheduled: { vi: 'chưa đến ngày mở', en: 'scheduled' },
	open: { vi: 'đang mở', en: 'open' },
	closed: { vi: 'đã đóng', en: 'closed' },
	published: { vi: 'đã công bố', en: 'published' }
};

/**
 * Closes a running campaign now (analysts and administrators, with a reason): answers are no
 * longer accepted, the closing date becomes now (or stays, if it has passed), and the campaign can
 * be published. A campaign past its closing date that nobody closed yet can be closed too.
 */
export async function closeCampaignNow(
	db: Database,
	actor: LifecycleActor | null | undefined,
	campaignId: unknown,
	rawReason: unknown,
	opts: { now?: Date } = {}
): Promise<CampaignDoc> {
	const who = allowed(actor, 'close');
	const reason = reasonOf(rawReason);
	const c = await load(db, campaignId);
	const now = opts.now ?? new Date();
	const phase = campaignPhase(c, now);
	if (c.status !== 'open' || phase === 'scheduled')
		throw new LifecycleError('state', {
			vi: `Không thể đóng: đợt khảo sát đang ở trạng thái “${phaseName[phase].vi}”.`,
			en: `Cannot close: the campaign is ${phaseName[phase].en}.`
		});
	const closesAt = +c.closesAt < +now ? c.closesAt : now;
	const after = await db
		.collection<CampaignDoc>(C.campaigns)
		.findOneAndUpdate(
			{ _id: c._id, status: 'open' },
			{ $set: { status: 'closed', closesAt, updatedAt: now } },
			{ returnDocument: 'after' }
		);
	if (!after)
		throw new LifecycleError('conflict', {
			vi: 'Đợt khảo sát vừa được người khác thay đổi; hãy tải lại trang.',
			en: 'Someone else changed the campaign meanwhile; reload the page.'
		});
	await recordAudit(db, {
		actor: who,
		action: 'campaign.close',
		target: `campaigns/${c._id}`,
		before: { status: c.status, closesAt: c.closesAt },
		after: { status: after.status, closesAt: after.closesAt, reason }
	});
	return after;
}

/**
 * Reopens a closed (not yet published) campaign until the end of `closesOn` (a calendar date in
 * the department's zone, in the future). Administrators only.
 */
export async function reopenCampaign(
	db: Database,
	actor: LifecycleActor | null | undefined,
	campaignId: unknown,
	closesOn: unknown,
	opts: { now?: Date; timeZone: string }
): Promise<CampaignDoc> {
	const who = allowed(actor, 'reopen');
	const c = await load(db, campaignId);
	const now = opts.now ?? new Date();
	const phase = campaignPhase(c, now);
	if (phase !== 'closed')
		throw new LifecycleError('state', {
			vi: `Chỉ mở lại được đợt khảo sát đã đóng (hiện: “${phaseName[phase].vi}”).`,
			en: `Only a closed campaign can be reopened (it is ${phaseName[phase].en}).`
		});
	const closesAt = typeof closesOn === 'string' ? endOfLocalDay(closesOn, opts.timeZone) : null;
	if (!closesAt || +closesAt <= +now)
		throw new LifecycleError(
			'invalid',
			{
				vi: `Hãy chọn ngày đóng mới sau hôm nay (${formatDate(now, 'vi', opts.timeZone)}).`,
				en: `Choose a new closing date after today (${formatDate(now, 'en', opts.timeZone)}).`
			},
			'closesAt'
		);
	const after = await db
		.collection<CampaignDoc>(C.campaigns)
		.findOneAndUpdate(
			{ _id: c._id, status: c.status },
			{ $set: { status: 'open', closesAt, updatedAt: now } },
			{ returnDocument: 'after' }
		);
	if (!after)
		throw new LifecycleError('conflict', {
			vi: 'Đợt khảo sát vừa được người khác thay đổi; hãy tải lại trang.',
			en: 'Someone else changed the campaign meanwhile; reload the page.'
		});
	await recordAudit(db, {
		actor: who,
		action: 'campaign.reopen',
		target: `campaigns/${c._id}`,
		before: { status: c.status, closesAt: c.closesAt },
		after: { status: after.status, closesAt: after.closesAt }
	});
	return after;
}
