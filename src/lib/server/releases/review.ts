/**
 * Releasing a closed campaign takes two hands: analysts build a draft release (the full protected
 * build, invisible to every reader), inspect its tables and disclosure report, and submit it; an
 * administrator, or an analyst holding the publish right, publishes it or sends it back to draft
 * with a reason. Rules and authorisation live here, every step is audited; routes and the CLI only
 * call these functions.
 */
import { C, type CampaignDoc, type ResponseDoc } from '../db/schema';
import type { Database } from '../db/types';
import { recordAudit } from '../audit';
import { campaignPhase, closeCampaignNow, LifecycleError, type LifecycleActor } from '../campaign-lifecycle';
import type { Bilingual } from '$lib/i18n';
import type { CellStatus, PrimaryReason } from '$lib/domain/disclosure';
import { OWNERSHIPS, SIZE_CLASSES } from '$lib/domain/enterprise';
import { publishCampaign, ReleaseError, type PublishOptions } from './publish';
import { benchmarkView, summariseRelease, type ReleaseSummary, type SegmentView } from './read';
import { byString } from './segments';
import type { BenchmarkDoc, Dimension, ReleaseDoc, ReleaseReview, ReleaseStatus } from './types';

/** Someone acting on a release: a signed-in staff member (the CLI acts as an administrator). */
export interface ReleaseActor extends LifecycleActor {
	publisher?: boolean;
}

/** Staff who build, inspect, submit and discard drafts. */
const BUILDERS: readonly string[] = ['analyst', 'admin'];

/** Whether `user` may publish a submitted release or send it back: administrators, and analysts given the right. */
export function canPublishReleases(user: { role: string; publisher?: boolean } | null | undefined): boolean {
	return !!user && (user.role === 'admin' || (user.role === 'analyst' && user.publisher === true));
}

export function canBuildReleases(user: { role: string } | null | undefined): boolean {
	return !!user && BUILDERS.includes(user.role);
}

function builder(actor: ReleaseActor | null | undefined): ReleaseActor {
	if (!actor || !canBuildReleases(actor))
		throw new LifecycleError('forbidden', {
			vi: 'Chỉ chuyên viên phân tích và quản trị viên được chuẩn bị bản phát hành.',
			en: 'Only analysts and administrators may prepare a release.'
		});
	return actor;
}

function publisher(actor: ReleaseActor | null | undefined): ReleaseActor {
	if (!actor || !canPublishReleases(actor))
		throw new LifecycleError('forbidden', {
			vi: 'Chỉ quản trị viên hoặc người được giao quyền công bố mới được công bố hay trả lại bản phát hành.',
			en: 'Only administrators or users with the publish right may publish or return a release.'
		});
	return actor;
}

const who = (a: ReleaseActor) => ({ id: a.id, email: a.email });

const NOT_FOUND: Bilingual = { vi: 'Không tìm thấy bản phát hành.', en: 'Release not found.' };

/** The release, if it is in one of `statuses`; otherwise a refusal naming what it is. */
async function loadRelease(
	db: Database,
	id: unknown,
	statuses: readonly ReleaseStatus[],
	action: Bilingual
): Promise<ReleaseDoc> {
	const r =
		typeof id === 'string' && id && id.length <= 64
			? await db.collection<ReleaseDoc>(C.releases).findOne({ _id: id })
			: null;
	if (!r || r.status === 'building') throw new LifecycleError('not-found', NOT_FOUND);
	if (!statuses.includes(r.status))
		throw new LifecycleError('state', {
			vi: `Không thể ${action.vi}: bản phát hành đang ở trạng thái “${STATUS_NAME[r.status].vi}”.`,
			en: `Cannot ${action.en}: the release is ${STATUS_NAME[r.status].en}.`
		});
	return r;
}

const STATUS_NAME: Record<ReleaseStatus, Bilingual> = {
	building: { vi: 'đang tạo', en: 'being built' },
	draft: { vi: 'bản nháp', en: 'a draft' },
	submitted: { vi: 'chờ công bố', en: 'submitted for publication' },
	ready: { vi: 'đã công bố', en: 'published' }
};

const PENDING: ReleaseStatus[] = ['draft', 'submitted'];

/**
 * Builds a draft release of a closed campaign (or a new version of a published one). A campaign
 * past its closing date that nobody closed is closed first (audited), so a campaign that simply ran
 * out of time never blocks its release. One draft at a time per campaign: a second would take a
 * version number the first may still need.
 */
export async function buildDraftRelease(
	db: Database,
	actor: ReleaseActor | null | undefined,
	campaignId: unknown,
	opts: Omit<PublishOptions, 'draft'> = {}
): Promise<ReleaseDoc> {
	const by = builder(actor);
	const c =
		typeof campaignId === 'string' && campaignId
			? await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: campaignId })
			: null;
	if (!c)
		throw new LifecycleError('not-found', { vi: 'Không tìm thấy đợt khảo sát.', en: 'Campaign not found.' });
	const now = opts.now ?? new Date();
	const phase = campaignPhase(c, now);
	if (phase !== 'closed' && phase !== 'published')
		throw new LifecycleError('state', {
			vi: 'Chỉ tạo được bản phát hành của đợt khảo sát đã đóng. Hãy đóng đợt khảo sát trước.',
			en: 'A release can only be built for a closed campaign. Close it first.'
		});
	const pending = await db
		.collection<ReleaseDoc>(C.releases)
		.findOne({ campaignId: c._id, status: { $in: PENDING } });
	if (pending)
		throw new LifecycleError('conflict', {
			vi: `Đợt khảo sát đã có bản phát hành phiên bản ${pending.version} đang chờ (${STATUS_NAME[pending.status].vi}): hãy xem xét bản đó, hoặc hủy bản nháp rồi tạo lại.`,
			en: `This campaign already has release version ${pending.version} waiting (${STATUS_NAME[pending.status].en}): review it, or discard the draft and build again.`
		});
	const submitted = await db
		.collection<ResponseDoc>(C.responses)
		.countDocuments({ campaignId: c._id, status: 'submitted' });
	if (submitted === 0)
		throw new LifecycleError('state', {
			vi: 'Đợt khảo sát chưa có phiếu nào được nộp: chưa có gì để công bố.',
			en: 'No questionnaire of this campaign was submitted: there is nothing to publish.'
		});
	if (c.status === 'open')
		await closeCampaignNow(db, by, c._id, 'Hết hạn nộp / closing date passed', { now });
	try {
		return await publishCampaign(db, c._id, by, { ...opts, now, draft: true });
	} catch (e) {
		if (e instanceof ReleaseError) throw new LifecycleError('state', e.text);
		throw e;
	}
}

/** Moves a release between review states only if nobody moved it meanwhile. */
async function move(
	db: Database,
	r: ReleaseDoc,
	to: ReleaseStatus,
	set: Record<string, unknown>
): Promise<ReleaseDoc> {
	const after = await db
		.collection<ReleaseDoc>(C.releases)
		.findOneAndUpdate(
			{ _id: r._id, status: r.status },
			{ $set: { status: to, ...set } },
			{ returnDocument: 'after' }
		);
	if (!after)
		throw new LifecycleError('conflict', {
			vi: 'Bản phát hành vừa được người khác thay đổi; hãy tải lại trang.',
			en: 'Someone else changed the release meanwhile; reload the page.'
		});
	return after;
}

/** Submits a draft for publication (analysts and administrators). */
export async function submitDraftRelease(
	db: Database,
	actor: ReleaseActor | null | undefined,
	releaseId: unknown,
	opts: { now?: Date } = {}
): Promise<ReleaseDoc> {
	const by = builder(actor);
	const r = await loadRelease(db, releaseId, ['draft'], { vi: 'gửi duyệt', en: 'submit' });
	const after = await move(db, r, 'submitted', {
		'review.submitted': { by: who(by), at: opts.now ?? new Date() }
	});
	await recordAudit(db, {
		actor: who(by),
		action: 'release.submit',
		target: `releases/${r._id}`,
		before: { status: r.status },
		after: { status: after.status, campaignId: r.campaignId, version: r.version }
	});
	return after;
}

/**
 * Publishes a submitted release: readers see it from now on and the campaign is published. An
 * analyst with the publish right may not publish a release they submitted themselves (a second pair
 * of eyes); administrators may, since a small department may have only one.
 */
export async function publishSubmittedRelease(
	db: Database,
	actor: ReleaseActor | null | undefined,
	releaseId: unknown,
	opts: { now?: Date } = {}
): Promise<ReleaseDoc> {
	const by = publisher(actor);
	const r = await loadRelease(db, releaseId, ['submitted'], { vi: 'công bố', en: 'publish' });
	if (by.role !== 'admin' && r.review?.submitted?.by?.id === by.id)
		throw new LifecycleError('forbidden', {
			vi: 'Bạn đã gửi duyệt bản phát hành này: cần một người khác công bố.',
			en: 'You submitted this release: someone else must publish it.'
		});
	const now = opts.now ?? new Date();
	const campaign = await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: r.campaignId });
	const phase = campaign ? campaignPhase(campaign, now) : null;
	if (!campaign || (phase !== 'closed' && phase !== 'published'))
		throw new LifecycleError('state', {
			vi: 'Đợt khảo sát đã được mở lại sau khi tạo bản phát hành này: hãy trả lại bản nháp, đóng đợt khảo sát rồi tạo bản mới.',
			en: 'The campaign was reopened after this release was built: return it, close the campaign and build a new one.'
		});
	const after = await move(db, r, 'ready', {
		publishedAt: now,
		publishedBy: who(by),
		'review.published': { by: who(by), at: now }
	});
	await db
		.collection<CampaignDoc>(C.campaigns)
		.updateOne({ _id: r.campaignId }, { $set: { status: 'published', updatedAt: now } });
	await recordAudit(db, {
		actor: who(by),
		action: 'release.publish',
		target: `releases/${r._id}`,
		before: { status: r.status, submittedBy: r.review?.submitted?.by?.email ?? null },
		after: { status: after.status, campaignId: r.campaignId, version: r.version, rows: r.rowCount }
	});
	return after;
}

const MAX_REASON = 500;

/** Sends a submitted release back to draft with a reason the analysts read on the review page. */
export async function returnSubmittedRelease(
	db: Database,
	actor: ReleaseActor | null | undefined,
	releaseId: unknown,
	rawReason: unknown,
	opts: { now?: Date } = {}
): Promise<ReleaseDoc> {
	const by = publisher(actor);
	const reason = typeof rawReason === 'string' ? rawReason.trim() : '';
	if (reason.length < 3 || reason.length > MAX_REASON)
		throw new LifecycleError(
			'invalid',
			reason.length < 3
				? { vi: 'Hãy ghi lý do trả lại bản phát hành.', en: 'Give a reason for returning the release.' }
				: {
						vi: `Lý do dài quá ${MAX_REASON} ký tự.`,
						en: `The reason is longer than ${MAX_REASON} characters.`
					},
			'reason'
		);
	const r = await loadRelease(db, releaseId, ['submitted'], { vi: 'trả lại', en: 'return' });
	const after = await move(db, r, 'draft', {
		'review.returned': { by: who(by), at: opts.now ?? new Date(), reason }
	});
	await recordAudit(db, {
		actor: who(by),
		action: 'release.return',
		target: `releases/${r._id}`,
		before: { status: r.status },
		after: { status: after.status, reason }
	});
	return after;
}

/** Deletes a draft (analysts and administrators), e.g. to rebuild it after corrections. */
export async function discardDraftRelease(
	db: Database,
	actor: ReleaseActor | null | undefined,
	releaseId: unknown
): Promise<void> {
	const by = builder(actor);
	const r = await loadRelease(db, releaseId, ['draft'], { vi: 'hủy', en: 'discard' });
	// Claimed first, so a reviewer's concurrent submit or publish cannot act on a half-deleted draft.
	await move(db, r, 'building', {});
	await db.collection(C.benchmarks).deleteMany({ releaseId: r._id });
	await db.collection(C.releaseRows).deleteMany({ releaseId: r._id });
	await db.collection(C.meta).deleteOne({ _id: `release-salt:${r._id}` });
	await db.collection(C.releases).deleteOne({ _id: r._id });
	await recordAudit(db, {
		actor: who(by),
		action: 'release.discard',
		target: `releases/${r._id}`,
		before: { status: r.status, campaignId: r.campaignId, version: r.version }
	});
}

export interface PendingRelease {
	id: string;
	campaignId: string;
	name: Bilingual;
	sector: string;
	year: number;
	version: number;
	status: 'draft' | 'submitted';
	rows: number;
	review: ReleaseReview | null;
}

/** Releases under review, newest first: the analysts' and publishers' work lists. */
export async function listPendingReleases(db: Database): Promise<PendingRelease[]> {
	const docs = await db
		.collection<ReleaseDoc>(C.releases)
		.find({ status: { $in: PENDING } }, { sort: { year: -1, sector: 1, version: -1 } });
	return docs.map((d) => ({
		id: d._id,
		campaignId: d.campaignId,
		name: d.campaignName,
		sector: d.sector,
		year: d.year,
		version: d.version,
		status: d.status as 'draft' | 'submitted',
		rows: d.rowCount,
		review: d.review ?? null
	}));
}

/** Cells of one protected table by disclosure status, and primary cells by reason. */
export interface DisclosureTableReport {
	by: string;
	table: string;
	cells: number;
	published: number;
	primary: number;
	secondary: number;
	reasons: Partial<Record<PrimaryReason, number>>;
}

export interface ReleaseForReview {
	release: ReleaseSummary;
	status: Exclude<ReleaseStatus, 'building'>;
	review: ReleaseReview | null;
	/** One line per protected table of the release (counts only: no figure is revealed). */
	disclosure: DisclosureTableReport[];
	/** The one-way segment tables exactly as readers would see them (public view). */
	tables: Array<{ dim: Dimension; segments: SegmentView[] }>;
}

const REVIEW_DIMS: readonly Dimension[] = ['size', 'ownership', 'ward', 'vsic'];
/** Classes in their own order (size: micro → large), unknown last; wards and VSIC codes by code. */
const CLASS_ORDER: Record<Dimension, readonly string[]> = {
	size: [...SIZE_CLASSES, 'unknown'],
	ownership: [...OWNERSHIPS, 'unknown'],
	ward: [],
	vsic: []
};

function tally(docs: readonly BenchmarkDoc[]): DisclosureTableReport[] {
	const out: DisclosureTableReport[] = [];
	for (const doc of docs)
		for (const t of doc.tables) {
			const count = (s: CellStatus) => t.cells.filter((c) => c.status === s).length;
			const reasons: Partial<Record<PrimaryReason, number>> = {};
			for (const c of t.cells)
				if (c.status === 'suppressed-primary') for (const x of c.reasons) reasons[x] = (reasons[x] ?? 0) + 1;
			out.push({
				by: doc.by,
				table: t.id,
				cells: t.cells.length,
				published: count('published'),
				primary: count('suppressed-primary'),
				secondary: count('suppressed-secondary'),
				reasons
			});
		}
	return out.sort((a, b) => a.by.localeCompare(b.by) || a.table.localeCompare(b.table));
}

/**
 * A release as its reviewers see it, whatever its state (staff only): the protected tables in the
 * public view, which is what publishing would show, and the disclosure report.
 */
export async function releaseForReview(
	db: Database,
	actor: ReleaseActor | null | undefined,
	releaseId: unknown
): Promise<ReleaseForReview> {
	builder(actor);
	const r = await loadRelease(db, releaseId, ['draft', 'submitted', 'ready'], {
		vi: 'xem',
		en: 'view'
	});
	const summary = summariseRelease(r, false);
	const docs = await db.collection<BenchmarkDoc>(C.benchmarks).find({ releaseId: r._id });
	const allDoc = docs.find((d) => d.by === '');
	const total = allDoc ? benchmarkView(allDoc, summary, { microdata: false }).segments : [];
	const tables = REVIEW_DIMS.flatMap((dim) => {
		const doc = docs.find((d) => d.by === byString([dim]));
		if (!doc) return [];
		const order = CLASS_ORDER[dim];
		const rank = (v: string | undefined) => {
			const i = order.indexOf(v ?? '');
			return i < 0 ? order.length : i;
		};
		const segments = benchmarkView(doc, summary, { microdata: false }).segments.sort(
			(a, b) =>
				rank(a.segment[dim]) - rank(b.segment[dim]) ||
				String(a.segment[dim]).localeCompare(String(b.segment[dim]))
		);
		return [{ dim, segments: [...total, ...segments] }];
	});
	return {
		release: summary,
		status: r.status as ReleaseForReview['status'],
		review: r.review ?? null,
		disclosure: tally(docs),
		tables
	};
}
