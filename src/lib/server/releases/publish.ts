/**
 * The campaign lifecycle (draft → open → closed → published) and publication: a release is an
 * immutable snapshot of the submitted responses, their current scores and the enterprises'
 * attributes at that moment. Nothing ever updates release rows; republishing adds version n + 1.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { OWNERSHIPS, SIZE_CLASSES, sectorKindOfVsic, sizeClass } from '$lib/domain/enterprise';
import { storedPoints, type LevelId, type ScoreResult } from '$lib/domain/rubric';
import {
	CONFIDENTIAL_FLAG,
	DEFAULT_RULES,
	EmptyTableError,
	changedMembers,
	resolveStatisticRules,
	versionDifference,
	type CellStatus,
	type Membership,
	type VersionDifference,
	type DominanceRule,
	type StatisticRules
} from '$lib/domain/disclosure';
import { recordAudit, type Actor } from '../audit';
import {
	C,
	type CampaignDoc,
	type CampaignStatus,
	type EnterpriseDoc,
	type ResponseDoc,
	type ScoreDoc
} from '../db/schema';
import { newId } from '../db/ids';
import { isDuplicateKeyError, type Database, type Projection } from '../db/types';
import { listSectors, loadSurvey } from '../surveys';
import { addRowToMembership, buildBenchmarks, VersionProtectionError } from './benchmarks';
import { ALL_KEY, segmentKey } from './segments';
import { publishedUsualRanges } from '../plausibility';
import {
	STRATUM_DIMENSIONS,
	type BenchmarkDoc,
	type Bilingual,
	type ReleaseCoverage,
	type ReleaseDoc,
	type ReleaseRowDoc,
	type StratumCoverage,
	type StratumCoverageTable,
	type StratumDimension
} from './types';

export class ReleaseError extends Error {
	constructor(readonly text: Bilingual) {
		super(text.en);
		this.name = 'ReleaseError';
	}
}

/** Allowed moves of the lifecycle; publishing again from 'published' makes a new release version. */
const TRANSITIONS: Record<CampaignStatus, readonly CampaignStatus[]> = {
	draft: ['open'],
	open: ['closed'],
	closed: ['open', 'published'],
	published: ['published']
};

export function canTransition(from: CampaignStatus, to: CampaignStatus): boolean {
	return TRANSITIONS[from].includes(to);
}

/** Moves a campaign to 'open' or 'closed' (publishing goes through {@link publishCampaign}). */
export async function transitionCampaign(
	db: Database,
	campaignId: string,
	to: Exclude<CampaignStatus, 'published'>,
	actor: Actor | null
): Promise<CampaignDoc> {
	const campaigns = db.collection<CampaignDoc>(C.campaigns);
	const c = await campaigns.findOne({ _id: campaignId });
	if (!c)
		throw new ReleaseError({
			vi: `Không tìm thấy đợt khảo sát '${campaignId}'.`,
			en: `Campaign '${campaignId}' not found.`
		});
	if (!canTransition(c.status, to))
		throw new ReleaseError({
			vi: `Không thể chuyển đợt khảo sát từ '${c.status}' sang '${to}'.`,
			en: `A campaign cannot move from '${c.status}' to '${to}'.`
		});
	const updated = await campaigns.findOneAndUpdate(
		{ _id: campaignId, status: c.status },
		{ $set: { status: to, updatedAt: new Date() } },
		{ returnDocument: 'after' }
	);
	if (!updated)
		throw new ReleaseError({
			vi: 'Đợt khảo sát vừa được thay đổi; hãy thử lại.',
			en: 'The campaign changed meanwhile; try again.'
		});
	await recordAudit(db, {
		actor,
		action: 'campaign.status',
		target: `campaigns/${campaignId}`,
		before: { status: c.status },
		after: { status: to }
	});
	return updated;
}

export interface PublishOptions {
	/** Threshold k (default 5) and dominance rule (default top 2 > 85 %). */
	k?: number;
	dominance?: DominanceRule | null;
	/** p % rule on score and money magnitudes (default 0.10; null disables). */
	pPercent?: number | null;
	/** Rules for the statistics of published cells (defaults: DEFAULT_STATISTIC_RULES). */
	statistics?: Partial<StatisticRules>;
	/** Minimum respondents per weighting stratum (default 5). */
	weightingMinRespondents?: number;
	now?: Date;
	/**
	 * Build a draft for review instead of publishing: the same protected build, left in status
	 * 'draft' (invisible to readers) with the campaign unchanged, until a reviewer publishes it.
	 */
	draft?: boolean;
}

/** Pseudonymous id: HMAC-SHA256(enterpriseId) with TECHCAP_PSEUDONYM_KEY, else a per-release salt. */
export function pseudonymise(enterpriseId: string, key: string): string {
	return createHmac('sha256', key).update(enterpriseId).digest('hex').slice(0, 20);
}

interface SaltDoc {
	_id: string;
	salt: string;
	at: Date;
}

/** The key for a release's pseudonyms. The per-release salt lives in `meta`, never in the release. */
async function pseudonymKey(
	db: Database,
	releaseId: string
): Promise<{ key: string; kind: ReleaseDoc['pseudonym'] }> {
	const env = process.env.TECHCAP_PSEUDONYM_KEY?.trim();
	if (env) return { key: env, kind: 'hmac-env' };
	const salt = randomBytes(32).toString('hex');
	await db.collection<SaltDoc>(C.meta).insertOne({ _id: `release-salt:${releaseId}`, salt, at: new Date() });
	return { key: salt, kind: 'hmac-salt' };
}

function methodology(
	surveyId: string,
	rubricVersion: string,
	k: number,
	dominance: DominanceRule | null,
	stats: StatisticRules
): Bilingual {
	const st = {
		vi: ` Độ lệch chuẩn và khoảng tin cậy chỉ công bố khi n ≥ ${stats.minNSpread}; P25, trung vị, P75 khi n ≥ ${stats.minNPercentile.median}, P90 khi n ≥ ${stats.minNPercentile.p90}; không công bố giá trị nhỏ nhất, lớn nhất; số liệu được làm tròn. Ước lượng có trọng số: hậu phân tầng theo quy mô so với sổ đăng ký doanh nghiệp (gộp các tầng có ít phản hồi).`,
		en: ` Standard deviations and confidence intervals are published only for n ≥ ${stats.minNSpread}; P25, median and P75 for n ≥ ${stats.minNPercentile.median}, P90 for n ≥ ${stats.minNPercentile.p90}; minima and maxima never; figures are rounded. Weighted estimates: post-stratified by size class to the enterprise register (strata with few responses collapsed).`
	};
	const dom = dominance
		? {
				vi: `, quy tắc chi phối (${dominance.topN} doanh nghiệp lớn nhất > ${Math.round(dominance.share * 100)}% doanh thu)`,
				en: `, dominance rule (top ${dominance.topN} > ${Math.round(dominance.share * 100)}% of revenue)`
			}
		: { vi: '', en: '' };
	return {
		vi: `Đánh giá trình độ công nghệ theo Thông tư 17/2019/TT-BKHCN (5 nhóm T/E/O/R/I, 100 điểm, hệ số đồng bộ K, 5 mức) và thang công nghệ FAT của Ngân hàng Thế giới; phiếu ${surveyId}, bộ tiêu chí ${rubricVersion}. Phân vị theo định nghĩa Hyndman–Fan loại 7; khoảng tin cậy 95% (Student t); ước lượng có trọng số hậu phân tầng theo ngành × quy mô (Nghị định 80/2021). Kiểm soát công bố: ngưỡng k = ${k}${dom.vi}, ẩn bổ sung trên toàn bộ các bảng liên kết của bản phát hành.${st.vi}`,
		en: `Technology level assessed under Circular 17/2019/TT-BKHCN (groups T/E/O/R/I, 100 points, synchronisation coefficient K, five levels) and the World Bank FAT technology ladders; questionnaire ${surveyId}, rubric ${rubricVersion}. Percentiles: Hyndman–Fan type 7; 95% confidence intervals (Student t); weighted estimates post-stratified by sector × size (Decree 80/2021). Disclosure control: threshold k = ${k}${dom.en}, secondary suppression across all linked tables of the release.${st.en}`
	};
}

type StratumCounts = Record<StratumDimension, Record<string, number>>;
type StratumMember = Record<StratumDimension, string>;

/** The strata an enterprise belongs to, classified exactly as its release row will be. */
function strataOf(
	e: Pick<EnterpriseDoc, 'vsic' | 'employees' | 'revenueBn' | 'capitalBn' | 'ownership'> | undefined
): StratumMember {
	if (!e) return { size: 'unknown', ownership: 'unknown' };
	return {
		size: sizeClass(e, sectorKindOfVsic(e.vsic) ?? 'industry') ?? 'unknown',
		ownership: e.ownership ?? 'unknown'
	};
}

/** The enterprise fields a release row and the strata need. */
type RegisterEntry = Pick<
	EnterpriseDoc,
	'_id' | 'vsic' | 'ward' | 'employees' | 'revenueBn' | 'capitalBn' | 'ownership'
>;
const REGISTER_FIELDS: Projection = {
	_id: 1,
	vsic: 1,
	ward: 1,
	employees: 1,
	revenueBn: 1,
	capitalBn: 1,
	ownership: 1
};

/** The sector's enterprises in the register (enterprises collection), by id: the strata totals and most participants. */
async function sectorRegister(
	db: Database,
	vsicCodes: readonly string[]
): Promise<Map<string, RegisterEntry>> {
	const rows = await db
		.collection<EnterpriseDoc>(C.enterprises)
		.aggregate<RegisterEntry>([{ $match: { vsic: { $in: [...vsicCodes] } } }, { $project: REGISTER_FIELDS }]);
	return new Map(rows.map((e) => [e._id, e]));
}

/** Register totals of the sector by size and ownership class. */
function registerCounts(register: ReadonlyMap<string, RegisterEntry>): StratumCounts {
	const out: StratumCounts = { size: {}, ownership: {} };
	for (const e of register.values()) {
		const m = strataOf(e);
		for (const d of STRATUM_DIMENSIONS) out[d][m[d]] = (out[d][m[d]] ?? 0) + 1;
	}
	return out;
}

const STRATUM_ORDER: Record<StratumDimension, readonly string[]> = {
	size: [...SIZE_CLASSES, 'unknown'],
	ownership: [...OWNERSHIPS, 'unknown']
};

export interface StratumCoverageInput {
	/** One entry per participant of the campaign (every response document, whatever its status). */
	invited: readonly StratumMember[];
	/** One entry per release row (submitted with a current score). */
	submitted: readonly StratumMember[];
	/** Register totals per stratum (empty objects when the register holds no enterprise of the sector). */
	register: StratumCounts;
	/** Whether a stratum's submitted count must be withheld in the published release. */
	withheld: (dimension: StratumDimension, value: string, submitted: number) => boolean;
}

/**
 * Response rates per size and ownership stratum, as published (see StratumCoverage for what a withheld
 * stratum hides and why). Lists every stratum with an invitation or a register entry, in the classes'
 * canonical order.
 */
export function coverageByStratum(input: StratumCoverageInput): StratumCoverageTable {
	const out = {} as StratumCoverageTable;
	for (const d of STRATUM_DIMENSIONS) {
		const invited = new Map<string, number>();
		const submitted = new Map<string, number>();
		for (const m of input.invited) invited.set(m[d], (invited.get(m[d]) ?? 0) + 1);
		for (const m of input.submitted) submitted.set(m[d], (submitted.get(m[d]) ?? 0) + 1);
		const register = input.register[d];
		const hasRegister = Object.keys(register).length > 0;
		const values = new Set([...invited.keys(), ...submitted.keys(), ...Object.keys(register)]);
		const order = STRATUM_ORDER[d];
		const rank = (v: string) => (order.includes(v) ? order.indexOf(v) : order.length);
		out[d] = [...values]
			.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
			.map((value): StratumCoverage => {
				const inv = invited.get(value) ?? 0;
				const sub = submitted.get(value) ?? 0;
				const reg = hasRegister ? (register[value] ?? 0) : null;
				if (input.withheld(d, value, sub))
					return {
						value,
						register: reg,
						invited: null,
						submitted: null,
						responseRate: null,
						registerCoverage: null,
						flag: CONFIDENTIAL_FLAG
					};
				return {
					value,
					register: reg,
					invited: inv,
					submitted: sub,
					responseRate: inv ? sub / inv : null,
					registerCoverage: reg ? sub / reg : null,
					flag: null
				};
			});
	}
	return out;
}

/**
 * A stratum is withheld exactly when its cell in the release's protected one-way table is (primary or
 * secondary): the strata counts are that table's n, so they share its protection. Strata without a cell
 * (nobody submitted) fall back to the threshold rule, which leaves them published.
 */
function withheldFromBenchmarks(docs: readonly BenchmarkDoc[], k: number): StratumCoverageInput['withheld'] {
	const status = new Map<string, CellStatus>();
	for (const doc of docs) {
		if (doc.dims.length !== 1) continue;
		for (const t of doc.tables.filter((x) => x.id === doc.dims[0]))
			for (const c of t.cells) status.set(c.key, c.status);
	}
	return (dimension, value, submitted) => {
		const s = status.get(segmentKey({ [dimension]: value }));
		return s ? s !== 'published' : submitted > 0 && submitted < k;
	};
}

const ROW_BATCH = 1000;

/**
 * Publishes a closed (or already published) campaign: a new release version with its rows and
 * protected benchmarks. Throws ReleaseError for a campaign that cannot be published.
 */
export async function publishCampaign(
	db: Database,
	campaignId: string,
	actor: Actor | null,
	options: PublishOptions = {}
): Promise<ReleaseDoc> {
	const campaigns = db.collection<CampaignDoc>(C.campaigns);
	const campaign = typeof campaignId === 'string' ? await campaigns.findOne({ _id: campaignId }) : null;
	if (!campaign)
		throw new ReleaseError({
			vi: `Không tìm thấy đợt khảo sát '${campaignId}'.`,
			en: `Campaign '${campaignId}' not found.`
		});
	if (!canTransition(campaign.status, 'published'))
		throw new ReleaseError({
			vi: `Chỉ công bố được đợt khảo sát đã đóng (trạng thái hiện tại: ${campaign.status}).`,
			en: `Only a closed campaign can be published (status is '${campaign.status}').`
		});
	const k = options.k ?? DEFAULT_RULES.k;
	const dominance = options.dominance === undefined ? DEFAULT_RULES.dominance : options.dominance;
	const pPercent = options.pPercent === undefined ? DEFAULT_RULES.pPercent : options.pPercent;
	const statistics = resolveStatisticRules(options.statistics);
	const survey = loadSurvey(campaign.surveyId);
	const sector = listSectors().find((s) => s.id === campaign.sector);
	const now = options.now ?? new Date();

	const responses = await db
		.collection<ResponseDoc>(C.responses)
		.find({ campaignId }, { projection: { _id: 1, enterpriseId: 1, status: 1, submittedAt: 1 } });
	const submitted = responses.filter((r) => r.status === 'submitted');
	const scores = await db.collection<ScoreDoc>(C.scores).find(
		{ campaignId, current: true },
		{
			projection: {
				responseId: 1,
				rubricVersion: 1,
				total: 1,
				K: 1,
				level: 1,
				groups: 1,
				'result.points': 1,
				'result.criteria': 1,
				'result.ladders': 1
			}
		}
	);
	const scoreOf = new Map(scores.map((s) => [s.responseId, s]));
	// Every participant's enterprise, not only respondents': invitations are counted per stratum too. Most
	// are in the sector's register, read once for the strata totals; only the others are looked up.
	const sectorEnterprises = await sectorRegister(db, sector?.vsic.map((v) => v.code) ?? []);
	const registerByStratum = registerCounts(sectorEnterprises);
	const participants = [...new Set(responses.map((r) => r.enterpriseId))];
	const outside = participants.filter((id) => !sectorEnterprises.has(id));
	const enterprises = new Map<string, RegisterEntry>(
		participants.flatMap((id) => {
			const e = sectorEnterprises.get(id);
			return e ? [[id, e] as const] : [];
		})
	);
	if (outside.length)
		for (const e of await db
			.collection<EnterpriseDoc>(C.enterprises)
			.find({ _id: { $in: outside } }, { projection: REGISTER_FIELDS }))
			enterprises.set(e._id, e);
	const register = registerByStratum.size;
	const registerTotal = Object.values(register).reduce((a, b) => a + b, 0);

	const previous = await db
		.collection<ReleaseDoc>(C.releases)
		.find({ campaignId }, { projection: { version: 1 }, sort: { version: -1 }, limit: 1 });
	const releaseId = newId();
	const pk = await pseudonymKey(db, releaseId);

	const rows: ReleaseRowDoc[] = [];
	let rubricVersion = survey.rubric.version ? `${survey.rubric.sector}/${survey.rubric.version}` : survey.id;
	for (const r of submitted) {
		const s = scoreOf.get(r._id);
		const e = enterprises.get(r.enterpriseId);
		if (!s || !e) continue; // a submission without a score or register entry cannot be benchmarked
		rubricVersion = s.rubricVersion;
		const result = s.result as Partial<ScoreResult> | undefined;
		const criteria = { ...storedPoints(s.result) };
		const ladders: ReleaseRowDoc['ladders'] = {};
		for (const [f, l] of Object.entries(result?.ladders?.functions ?? {}))
			ladders[f] = { EXT: l.EXT, INT: l.INT };
		rows.push({
			_id: newId(),
			releaseId,
			pid: pseudonymise(e._id, pk.key),
			enterpriseId: e._id,
			responseId: r._id,
			...strataOf(e),
			ward: e.ward || 'unknown',
			vsic: e.vsic || 'unknown',
			employees: e.employees ?? null,
			revenueBn: typeof e.revenueBn === 'number' ? e.revenueBn : null,
			total: s.total,
			K: s.K,
			level: s.level as LevelId,
			groups: { ...s.groups },
			criteria,
			ladders,
			rubricVersion: s.rubricVersion,
			submittedAt: r.submittedAt ?? null
		});
	}

	// Versions that cannot be differenced: compare with every earlier ready version of the campaign.
	const ladderIds = survey.rubric.ladders.functions.map((f) => f.id);
	const versionDiffs: VersionDifference[] = [];
	const earlier = await db
		.collection<ReleaseDoc>(C.releases)
		.find({ campaignId, status: 'ready' }, { projection: { _id: 1, version: 1 }, sort: { version: 1 } });
	if (earlier.length) {
		const next: Membership = new Map();
		for (const row of rows) addRowToMembership(next, row, ladderIds);
		for (const e of earlier) {
			const old: Membership = new Map();
			for (const row of await db.collection<ReleaseRowDoc>(C.releaseRows).find({ releaseId: e._id }))
				addRowToMembership(old, row, ladderIds);
			const changes = changedMembers(old, next);
			const total = changes.get(ALL_KEY) ?? 0;
			if (total > 0 && total < k)
				throw new ReleaseError({
					vi: `Phiên bản mới chỉ khác phiên bản ${e.version} ở ${total} doanh nghiệp (ít hơn k = ${k}): so sánh hai phiên bản sẽ làm lộ số liệu của các doanh nghiệp này. Hãy chờ đến khi có ít nhất ${k} thay đổi (phản hồi bổ sung, sửa chữa) rồi công bố lại.`,
					en: `The new version differs from version ${e.version} in only ${total} enterprise(s) (fewer than k = ${k}): comparing the two versions would reveal their figures. Wait until at least ${k} responses have changed (late responses, corrections), then publish again.`
				});
			versionDiffs.push(versionDifference(e.version, changes, k));
		}
	}

	const coverage: ReleaseCoverage = {
		invited: responses.length,
		submitted: rows.length,
		responseRate: responses.length ? rows.length / responses.length : null,
		registerTotal,
		registerBySize: register,
		registerCoverage: registerTotal ? rows.length / registerTotal : null
	};
	// The questionnaire's usual ranges, from as many answers as a p90 may be published from.
	const usualRanges = await publishedUsualRanges(
		db,
		campaign.surveyId,
		rows.map((r) => r.responseId),
		Math.max(k, statistics.minNPercentile.p90)
	);
	const release: ReleaseDoc = {
		_id: releaseId,
		campaignId,
		sector: campaign.sector,
		year: campaign.year,
		version: (previous[0]?.version ?? 0) + 1,
		status: 'building',
		surveyId: campaign.surveyId,
		rubricVersion,
		referenceYear: survey.referenceValuesFor(campaign.year).year,
		referencePeriod: { from: `${campaign.year}-01-01`, to: `${campaign.year}-12-31` },
		fieldwork: { opensAt: campaign.opensAt, closesAt: campaign.closesAt },
		campaignName: campaign.name,
		methodology: methodology(campaign.surveyId, rubricVersion, k, dominance, statistics),
		coverage,
		disclosure: {
			k,
			dominance: dominance ? { ...dominance } : null,
			pPercent,
			statistics,
			versions: {
				compared: versionDiffs.map((v) => v.version),
				withheld: new Set(versionDiffs.flatMap((v) => v.sensitive)).size
			}
		},
		groupMax: Object.fromEntries(survey.rubric.groups.map((g) => [g.id, g.max])) as ReleaseDoc['groupMax'],
		ladderFunctions: survey.rubric.ladders.functions.map((f) => ({ id: f.id, name: f.name })),
		rowCount: rows.length,
		usualRanges,
		pseudonym: pk.kind,
		publishedAt: now,
		publishedBy: actor ? { id: actor.id, email: actor.email } : null,
		review: { built: { by: actor ? { id: actor.id, email: actor.email } : null, at: now } },
		suppression: { primary: 0, secondary: 0, cells: 0 }
	};
	const releases = db.collection<ReleaseDoc>(C.releases);
	try {
		await releases.insertOne(release);
	} catch (e) {
		if (isDuplicateKeyError(e))
			throw new ReleaseError({
				vi: 'Đợt khảo sát đang được công bố bởi người khác; hãy thử lại.',
				en: 'This campaign is being published by someone else; try again.'
			});
		throw e;
	}
	try {
		const rowColl = db.collection<ReleaseRowDoc>(C.releaseRows);
		for (let i = 0; i < rows.length; i += ROW_BATCH) await rowColl.insertMany(rows.slice(i, i + ROW_BATCH));
		const built = await buildBenchmarks(
			db,
			release,
			survey.rubric.levels.map((l) => l.id),
			{
				k,
				dominance,
				pPercent,
				weightingMinRespondents: options.weightingMinRespondents,
				versions: versionDiffs
			}
		);
		if (built.weighting) release.weighting = built.weighting;
		// Read back from the collection (not `built`): the stored tables are what viewers are shown.
		const oneWay = await db
			.collection<BenchmarkDoc>(C.benchmarks)
			.find({ releaseId, by: { $in: [...STRATUM_DIMENSIONS] } });
		release.coverage.byStratum = coverageByStratum({
			invited: responses.map((r) => strataOf(enterprises.get(r.enterpriseId))),
			submitted: rows.map((r) => ({ size: r.size, ownership: r.ownership })),
			register: registerByStratum,
			withheld: withheldFromBenchmarks(oneWay, k)
		});
		release.status = options.draft ? 'draft' : 'ready';
		release.suppression = { primary: built.primary, secondary: built.secondary, cells: built.cells };
		await releases.updateOne(
			{ _id: releaseId },
			{
				$set: {
					status: release.status,
					suppression: release.suppression,
					'coverage.byStratum': release.coverage.byStratum,
					...(release.weighting ? { weighting: release.weighting } : {})
				}
			}
		);
	} catch (e) {
		// A half-built release is never shown: remove it so the version number can be used again.
		await db.collection(C.benchmarks).deleteMany({ releaseId });
		await db.collection(C.releaseRows).deleteMany({ releaseId });
		await releases.deleteOne({ _id: releaseId });
		await db.collection(C.meta).deleteOne({ _id: `release-salt:${releaseId}` });
		if (e instanceof EmptyTableError)
			throw new ReleaseError({
				vi: 'Không có phiếu đã nộp nào có điểm hiện hành: chưa có gì để công bố.',
				en: 'No submitted response has a current score: there is nothing to publish.'
			});
		if (e instanceof VersionProtectionError)
			throw new ReleaseError({
				vi: `Không thể bảo vệ phiên bản mới khỏi phép trừ với phiên bản trước (${e.keys.length} ô). Hãy chờ thêm thay đổi rồi công bố lại.`,
				en: `The new version cannot be protected against subtraction from an earlier version (${e.keys.length} cell(s)). Wait for more changes, then publish again.`
			});
		throw e;
	}
	if (options.draft) {
		await recordAudit(db, {
			actor,
			action: 'release.draft',
			target: `releases/${releaseId}`,
			after: { campaignId, version: release.version, rows: rows.length, suppression: release.suppression }
		});
		return release;
	}
	await campaigns.updateOne({ _id: campaignId }, { $set: { status: 'published', updatedAt: new Date() } });
	await recordAudit(db, {
		actor,
		action: 'release.publish',
		target: `releases/${releaseId}`,
		after: { campaignId, version: release.version, rows: rows.length, suppression: release.suppression }
	});
	return release;
}
