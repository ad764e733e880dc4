/**
 * Response tracking for a campaign: each participant's stage, rates overall, by segment
 * and over time, the late list, the end-of-campaign summary and response rates per stratum.
 *
 * A participant's stage is derived, never stored, from what already exists: the response
 * (invited / in-progress / submitted, `declined` set by an admin), the invitation link's first
 * opening (`openedAt`) and the mail queue (a recipient refused by the SMTP server is a bounce).
 * Precedence: submitted > declined > started > opened > bounced > invited — opening the link or
 * starting proves the enterprise was reached even when one message bounced.
 */
import type { Database } from './db/types';
import {
	C,
	type CampaignDoc,
	type EnterpriseDoc,
	type InvitationDoc,
	type Ownership,
	type ResponseDoc,
	type SizeClass
} from './db/schema';
import { enterpriseSize, getCampaign, parseRegisterFilters, sectorVsicCodes } from './campaigns';
import { compiledQuestionnaire } from './responses';
import { mailCollection } from './mail';
import { recordAudit, type Actor } from './audit';
import { toCsvString, type CsvCell } from '$lib/domain/csv';
import { OWNERSHIP_LABELS, SIZE_CLASSES, SIZE_CLASS_LABELS } from '$lib/domain/enterprise';
import { listWards } from './surveys';
import { departmentTimeZone } from './timezone';
import { localDateOf } from '$lib/time';
import type { Locale } from '$lib/i18n';

export type TrackingStage = 'invited' | 'opened' | 'started' | 'submitted' | 'bounced' | 'declined';
export const TRACKING_STAGES: readonly TrackingStage[] = [
	'invited',
	'opened',
	'started',
	'submitted',
	'bounced',
	'declined'
] as const;

export function isTrackingStage(v: unknown): v is TrackingStage {
	return typeof v === 'string' && (TRACKING_STAGES as readonly string[]).includes(v);
}

export interface TrackedParticipant {
	responseId: string;
	enterpriseId: string;
	enterpriseName: string;
	taxCode: string;
	email: string | null;
	ward: string;
	ownership: Ownership | null;
	size: SizeClass | null;
	stage: TrackingStage;
	invitedAt: Date;
	openedAt: Date | null;
	startedAt: Date | null;
	submittedAt: Date | null;
	declinedAt: Date | null;
	declineReason: string | null;
	bouncedAt: Date | null;
	bounceReason: string | null;
	reminders: number;
	lastReminderAt: Date | null;
}

/** Every participant of the campaign with its stage (one query per collection). */
export async function trackParticipants(db: Database, campaignId: string): Promise<TrackedParticipant[]> {
	const responses = await db
		.collection<ResponseDoc>(C.responses)
		.find({ campaignId }, { projection: { data: 0 }, sort: { createdAt: 1, _id: 1 } });
	const ids = responses.map((r) => r.enterpriseId);
	const [enterprises, invitations, mails] = await Promise.all([
		db.collection<EnterpriseDoc>(C.enterprises).find({ _id: { $in: ids } }),
		db
			.collection<InvitationDoc>(C.invitations)
			.find({ campaignId, openedAt: { $ne: null } }, { projection: { enterpriseId: 1, openedAt: 1 } }),
		mailCollection(db).find(
			{ campaignId },
			{
				projection: {
					enterpriseId: 1,
					template: 1,
					status: 1,
					permanentFailure: 1,
					lastError: 1,
					updatedAt: 1,
					createdAt: 1
				}
			}
		)
	]);
	const byId = new Map(enterprises.map((e) => [e._id, e]));
	const opened = new Map<string, Date>();
	for (const inv of invitations) {
		if (!inv.enterpriseId || !inv.openedAt) continue;
		const prev = opened.get(inv.enterpriseId);
		if (!prev || +inv.openedAt < +prev) opened.set(inv.enterpriseId, inv.openedAt);
	}
	const bounce = new Map<string, { at: Date; reason: string }>();
	const reminders = new Map<string, { n: number; last: Date }>();
	for (const m of mails) {
		if (!m.enterpriseId) continue;
		if (m.status === 'failed' && m.permanentFailure && m.template !== 'thanks')
			bounce.set(m.enterpriseId, { at: m.updatedAt, reason: m.lastError ?? '' });
		if (m.template === 'reminder') {
			const r = reminders.get(m.enterpriseId);
			reminders.set(m.enterpriseId, {
				n: (r?.n ?? 0) + 1,
				last: r && +r.last > +m.createdAt ? r.last : m.createdAt
			});
		}
	}
	return responses.map((r) => {
		const e = byId.get(r.enterpriseId);
		const b = bounce.get(r.enterpriseId);
		const o = opened.get(r.enterpriseId) ?? null;
		const stage: TrackingStage =
			r.status === 'submitted'
				? 'submitted'
				: r.declined
					? 'declined'
					: r.status === 'in-progress'
						? 'started'
						: o
							? 'opened'
							: b
								? 'bounced'
								: 'invited';
		return {
			responseId: r._id,
			enterpriseId: r.enterpriseId,
			enterpriseName: e?.name ?? r.enterpriseId,
			taxCode: e?.taxCode ?? '',
			email: e?.email ?? null,
			ward: e?.ward ?? '',
			ownership: e?.ownership ?? null,
			size: e ? enterpriseSize(e) : null,
			stage,
			invitedAt: r.createdAt,
			openedAt: o,
			// `$min` never replaces a null startedAt (null sorts before dates), so the last change stands in.
			startedAt: r.startedAt ?? (r.status === 'invited' ? null : (r.submittedAt ?? r.updatedAt)),
			submittedAt: r.submittedAt,
			declinedAt: r.declined?.at ?? null,
			declineReason: r.declined?.reason ?? null,
			bouncedAt: b?.at ?? null,
			bounceReason: b?.reason ?? null,
			reminders: reminders.get(r.enterpriseId)?.n ?? 0,
			lastReminderAt: reminders.get(r.enterpriseId)?.last ?? null
		};
	});
}

export type StageCounts = Record<TrackingStage, number> & { total: number };

export interface Rates {
	total: number;
	/** Reached the questionnaire or further (opened, started or submitted). */
	opened: number;
	started: number;
	submitted: number;
	/** submitted / total (all invited, bounced and declined included: the AAPOR RR1 convention). */
	responseRate: number | null;
}

export function countStages(rows: readonly TrackedParticipant[]): StageCounts {
	const c = { total: rows.length } as StageCounts;
	for (const s of TRACKING_STAGES) c[s] = 0;
	for (const r of rows) c[r.stage]++;
	return c;
}

export function rates(rows: readonly TrackedParticipant[]): Rates {
	const total = rows.length;
	const submitted = rows.filter((r) => r.stage === 'submitted').length;
	const started = rows.filter((r) => r.startedAt || r.stage === 'submitted').length;
	const opened = rows.filter((r) => r.openedAt || r.startedAt || r.stage === 'submitted').length;
	return { total, opened, started, submitted, responseRate: total ? submitted / total : null };
}

export type SegmentDimension = 'size' | 'ownership' | 'ward';

export interface SegmentRates extends Rates {
	/** The segment's value ('unknown' when the register lacks it). */
	value: string;
	label: string;
}

function segmentValue(r: TrackedParticipant, d: SegmentDimension): string {
	if (d === 'size') return r.size ?? 'unknown';
	if (d === 'ownership') return r.ownership ?? 'unknown';
	return r.ward || 'unknown';
}

function segmentLabel(d: SegmentDimension, v: string, locale: Locale): string {
	if (v === 'unknown') return locale === 'vi' ? 'Không rõ' : 'Unknown';
	if (d === 'size') return SIZE_CLASS_LABELS[v as SizeClass]?.[locale] ?? v;
	if (d === 'ownership') return OWNERSHIP_LABELS[v as Ownership]?.[locale] ?? v;
	return wardName(v);
}

let wardNames: Map<string, string> | null = null;
/** A ward's or commune's name for its register id (the id itself when it is not in the list). */
export function wardName(id: string): string {
	wardNames ??= new Map(listWards().map((w) => [w.id, w.name]));
	return wardNames.get(id) ?? id;
}

/** Size classes in size order (micro → large, unknown last); other dimensions largest segment first. */
function segmentOrder(d: SegmentDimension, locale: Locale) {
	const rank = (v: string) => {
		const i = (SIZE_CLASSES as readonly string[]).indexOf(v);
		return i < 0 ? SIZE_CLASSES.length : i;
	};
	return (a: SegmentRates, b: SegmentRates) =>
		d === 'size'
			? rank(a.value) - rank(b.value)
			: b.total - a.total || a.label.localeCompare(b.label, locale);
}

/** Rates per segment of one dimension: size classes in size order, others largest segment first. */
export function ratesBy(
	rows: readonly TrackedParticipant[],
	d: SegmentDimension,
	locale: Locale = 'vi'
): SegmentRates[] {
	const groups = new Map<string, TrackedParticipant[]>();
	for (const r of rows) {
		const v = segmentValue(r, d);
		groups.set(v, [...(groups.get(v) ?? []), r]);
	}
	return [...groups.entries()]
		.map(([value, g]) => ({ value, label: segmentLabel(d, value, locale), ...rates(g) }))
		.sort(segmentOrder(d, locale));
}

export interface DailyPoint {
	/** Calendar day in the department's zone, YYYY-MM-DD. */
	day: string;
	invited: number;
	opened: number;
	started: number;
	submitted: number;
}

const DAY_MS = 86_400_000;
/** The calendar day of `d` in the department's zone. */
const vnDay = (d: Date) => localDateOf(d, departmentTimeZone());

/**
 * Cumulative counts per day (Vietnam time) from the first invitation to today or the closing day,
 * whichever is earlier (at most `maxDays`, the latest kept).
 */
export function dailyProgress(
	rows: readonly TrackedParticipant[],
	campaign: Pick<CampaignDoc, 'opensAt' | 'closesAt'>,
	now = new Date(),
	maxDays = 366
): DailyPoint[] {
	if (!rows.length) return [];
	const firstMs = Math.min(+campaign.opensAt, ...rows.map((r) => +r.invitedAt));
	const lastMs = Math.max(firstMs, Math.min(+now, +campaign.closesAt));
	const start = Date.parse(vnDay(new Date(firstMs)));
	const end = Date.parse(vnDay(new Date(lastMs)));
	const days: string[] = [];
	for (let t = Math.max(start, end - (maxDays - 1) * DAY_MS); t <= end; t += DAY_MS)
		days.push(new Date(t).toISOString().slice(0, 10));
	const series = (pick: (r: TrackedParticipant) => Date | null) => {
		const sorted = rows
			.map(pick)
			.filter((d): d is Date => d !== null)
			.map(vnDay)
			.sort();
		let i = 0;
		return days.map((day) => {
			while (i < sorted.length && sorted[i] <= day) i++;
			return i;
		});
	};
	const inv = series((r) => r.invitedAt);
	const op = series((r) => r.openedAt ?? r.startedAt ?? r.submittedAt);
	const st = series((r) => r.startedAt ?? r.submittedAt);
	const sub = series((r) => r.submittedAt);
	return days.map((day, k) => ({ day, invited: inv[k], opened: op[k], started: st[k], submitted: sub[k] }));
}

export interface LateFilters {
	stage?: TrackingStage;
	size?: SizeClass | 'unknown';
	ownership?: Ownership;
	ward?: string;
	q?: string;
}

/** The late list's filters from query parameters: the register filters plus the stage. */
export function parseLateFilters(params: URLSearchParams): LateFilters {
	const { size, ownership, ward, q } = parseRegisterFilters(params);
	const stage = params.get('stage');
	return {
		...(size ? { size } : {}),
		...(ownership ? { ownership } : {}),
		...(ward ? { ward } : {}),
		...(q ? { q } : {}),
		...(isTrackingStage(stage) ? { stage } : {})
	};
}

/** Participants that have not submitted, matching the filters, earliest invited first. */
export function lateParticipants(
	rows: readonly TrackedParticipant[],
	f: LateFilters = {}
): TrackedParticipant[] {
	const q = f.q?.toLocaleLowerCase('vi');
	return rows.filter(
		(r) =>
			r.stage !== 'submitted' &&
			(!f.stage || r.stage === f.stage) &&
			(!f.size || (r.size ?? 'unknown') === f.size) &&
			(!f.ownership || r.ownership === f.ownership) &&
			(!f.ward || r.ward === f.ward) &&
			(!q || r.enterpriseName.toLocaleLowerCase('vi').includes(q) || r.taxCode.includes(q))
	);
}

const STAGE_LABELS: Record<TrackingStage, { vi: string; en: string }> = {
	invited: { vi: 'Đã mời', en: 'Invited' },
	opened: { vi: 'Đã mở liên kết', en: 'Opened the link' },
	started: { vi: 'Đang trả lời', en: 'Started' },
	submitted: { vi: 'Đã nộp', en: 'Submitted' },
	bounced: { vi: 'Thư bị trả lại', en: 'Bounced' },
	declined: { vi: 'Từ chối tham gia', en: 'Declined' }
};

export function stageLabel(s: TrackingStage, locale: Locale): string {
	return STAGE_LABELS[s][locale];
}

/** The late list as CSV for Excel: UTF-8 BOM, text cells formula-escaped (by toCsvString). */
export function lateCsv(rows: readonly TrackedParticipant[], locale: Locale): string {
	const vi = locale === 'vi';
	const columns = [
		{ key: 'taxCode', header: vi ? 'Mã số thuế' : 'Tax code' },
		{ key: 'name', header: vi ? 'Doanh nghiệp' : 'Enterprise' },
		{ key: 'email', header: 'E-mail' },
		{ key: 'stage', header: vi ? 'Trạng thái' : 'Status' },
		{ key: 'size', header: vi ? 'Quy mô' : 'Size' },
		{ key: 'ownership', header: vi ? 'Loại hình sở hữu' : 'Ownership' },
		{ key: 'ward', header: vi ? 'Phường/xã' : 'Ward/commune' },
		{ key: 'invitedAt', header: vi ? 'Ngày mời' : 'Invited at' },
		{ key: 'openedAt', header: vi ? 'Mở liên kết' : 'Opened at' },
		{ key: 'startedAt', header: vi ? 'Bắt đầu' : 'Started at' },
		{ key: 'reminders', header: vi ? 'Số lần nhắc' : 'Reminders' },
		{ key: 'note', header: vi ? 'Ghi chú' : 'Note' }
	];
	const out: Record<string, CsvCell>[] = rows.map((r) => ({
		taxCode: r.taxCode,
		name: r.enterpriseName,
		email: r.email,
		stage: stageLabel(r.stage, locale),
		size: segmentLabel('size', r.size ?? 'unknown', locale),
		ownership: segmentLabel('ownership', r.ownership ?? 'unknown', locale),
		ward: r.ward ? wardName(r.ward) : '',
		invitedAt: r.invitedAt,
		openedAt: r.openedAt,
		startedAt: r.startedAt,
		reminders: r.reminders,
		note: r.declineReason ?? r.bounceReason ?? ''
	}));
	return toCsvString(out, columns);
}

export interface Completeness {
	/** Unconditional questions of the questionnaire (conditional ones have no fixed denominator). */
	questions: number;
	submitted: { responses: number; answeredShare: number | null };
	inProgress: { responses: number; answeredShare: number | null };
}

const NOT_ANSWERABLE = new Set(['html', 'expression', 'image']);

function answered(v: unknown): boolean {
	if (v === undefined || v === null || v === '') return false;
	if (Array.isArray(v)) return v.length > 0;
	if (typeof v === 'object') return Object.keys(v).length > 0;
	return true;
}

/**
 * Completeness of answers: the mean share of the questionnaire's unconditional questions answered,
 * among submitted and among in-progress responses.
 */
export async function campaignCompleteness(db: Database, campaign: CampaignDoc): Promise<Completeness> {
	const compiled = compiledQuestionnaire(campaign.surveyId);
	const names = compiled.questions
		.filter((q) => q.visible && !q.visibleIf && !NOT_ANSWERABLE.has(q.type))
		.map((q) => q.name);
	const responses = await db
		.collection<ResponseDoc>(C.responses)
		.find(
			{ campaignId: campaign._id, status: { $in: ['submitted', 'in-progress'] } },
			{ projection: { status: 1, data: 1 } }
		);
	const acc = { submitted: [0, 0], 'in-progress': [0, 0] } as Record<
		'submitted' | 'in-progress',
		[number, number]
	>;
	for (const r of responses) {
		if (r.status === 'invited') continue;
		const share = names.length ? names.filter((n) => answered(r.data?.[n])).length / names.length : 0;
		acc[r.status][0]++;
		acc[r.status][1] += share;
	}
	const mean = ([n, s]: [number, number]) => (n ? s / n : null);
	return {
		questions: names.length,
		submitted: { responses: acc.submitted[0], answeredShare: mean(acc.submitted) },
		inProgress: { responses: acc['in-progress'][0], answeredShare: mean(acc['in-progress']) }
	};
}

export interface CampaignSummaryReport {
	campaignId: string;
	stages: StageCounts;
	rates: Rates;
	/** Register enterprises with one of the sector's VSIC codes. */
	registerSize: number;
	/** invited / registerSize. */
	coverage: number | null;
	completeness: Completeness;
	closesAt: Date;
	closed: boolean;
}

/** The end-of-campaign summary: response rate, coverage of the register, completeness of answers. */
export async function campaignSummary(
	db: Database,
	campaign: CampaignDoc,
	now = new Date(),
	rows?: readonly TrackedParticipant[]
): Promise<CampaignSummaryReport> {
	const tracked = rows ?? (await trackParticipants(db, campaign._id));
	const registerSize = await db
		.collection<EnterpriseDoc>(C.enterprises)
		.countDocuments({ vsic: { $in: sectorVsicCodes(campaign) } });
	return {
		campaignId: campaign._id,
		stages: countStages(tracked),
		rates: rates(tracked),
		registerSize,
		coverage: registerSize ? tracked.length / registerSize : null,
		completeness: await campaignCompleteness(db, campaign),
		closesAt: campaign.closesAt,
		closed: campaign.status !== 'open' || +now > +campaign.closesAt
	};
}

export interface StratumRate {
	sector: string;
	/** Decree 80/2021 size class, or 'unknown' when the register lacks employees/revenue/capital. */
	size: SizeClass | 'unknown';
	/** Register enterprises of the sector's VSIC codes in this size class. */
	register: number;
	invited: number;
	submitted: number;
	/** submitted / invited (null with nobody invited). */
	responseRate: number | null;
	/** invited / register. */
	coverage: number | null;
}

/**
 * Response rates per stratum (sector × size) for the sector database's metadata page: how many of
 * the register were invited and how many answered, per size class. Throws when the campaign does
 * not exist.
 */
export async function responseRates(db: Database, campaignId: string): Promise<StratumRate[]> {
	const campaign = await getCampaign(db, campaignId);
	if (!campaign) throw new Error(`responseRates: unknown campaign '${campaignId}'`);
	const register = await db
		.collection<EnterpriseDoc>(C.enterprises)
		.find(
			{ vsic: { $in: sectorVsicCodes(campaign) } },
			{ projection: { vsic: 1, employees: 1, revenueBn: 1, capitalBn: 1 } }
		);
	const responses = await db
		.collection<ResponseDoc>(C.responses)
		.find({ campaignId }, { projection: { enterpriseId: 1, status: 1 } });
	const participants = await db
		.collection<EnterpriseDoc>(C.enterprises)
		.find(
			{ _id: { $in: responses.map((r) => r.enterpriseId) } },
			{ projection: { vsic: 1, employees: 1, revenueBn: 1, capitalBn: 1 } }
		);
	const sizeOf = new Map<string, SizeClass | 'unknown'>(
		participants.map((e) => [e._id, enterpriseSize(e) ?? 'unknown'])
	);
	const order: Array<SizeClass | 'unknown'> = ['micro', 'small', 'medium', 'large', 'unknown'];
	const strata = new Map(
		order.map((size) => [size, { sector: campaign.sector, size, register: 0, invited: 0, submitted: 0 }])
	);
	for (const e of register) strata.get(enterpriseSize(e) ?? 'unknown')!.register++;
	for (const r of responses) {
		const s = strata.get(sizeOf.get(r.enterpriseId) ?? 'unknown')!;
		s.invited++;
		if (r.status === 'submitted') s.submitted++;
	}
	return [...strata.values()]
		.filter((s) => s.register > 0 || s.invited > 0)
		.map((s) => ({
			...s,
			responseRate: s.invited ? s.submitted / s.invited : null,
			coverage: s.register ? s.invited / s.register : null
		}));
}

/**
 * Admin mark: the enterprise declined to take part (told the department by phone or mail). It gets
 * no more reminders; it may still answer, and a submission outranks the mark. Recorded in the audit
 * log. Returns false when the response is not in the campaign or is already submitted.
 */
export async function setDeclined(
	db: Database,
	actor: Actor,
	campaignId: string,
	responseId: string,
	decline: { reason: string } | null
): Promise<boolean> {
	const declined = decline
		? { at: new Date(), by: actor.id, reason: decline.reason.trim().slice(0, 500) }
		: null;
	const after = await db
		.collection<ResponseDoc>(C.responses)
		.findOneAndUpdate(
			{ _id: responseId, campaignId, status: { $ne: 'submitted' } },
			{ $set: { declined } },
			{ returnDocument: 'after' }
		);
	if (!after) return false;
	await recordAudit(db, {
		actor,
		action: decline ? 'response.decline' : 'response.undecline',
		target: `responses/${responseId}`,
		after: { declined }
	});
	return true;
}
