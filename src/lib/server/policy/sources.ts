/**
 * Where policy rows come from. Normally a published release (immutable rows with the enterprise's
 * attributes at publication); before anything is published, a closed campaign's current scores
 * joined with the register. Both give the same {@link PolicyRow}, so every tool works on either.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { isOwnership, isSizeClass, sectorKindOfVsic, sizeClass } from '$lib/domain/enterprise';
import { LEVEL_IDS, storedPoints, type LevelId } from '$lib/domain/rubric';
import { rubricRescorer, type CriterionState, type Rescorer } from '$lib/domain/targeting';
import { C, type CampaignDoc, type EnterpriseDoc, type ResponseDoc, type ScoreDoc } from '../db/schema';
import type { Database } from '../db/types';
import type { ReleaseDoc, ReleaseRowDoc } from '../releases/types';
import { loadSurvey } from '../surveys';
import { rowAccessOf, seesIdentities, seesUnpublished, type RowAccess } from '../authz';
import {
	PolicyError,
	unpublishedRefused,
	type LoadedSource,
	type PolicyRow,
	type PolicySource,
	type Viewer
} from './types';

const SOURCE_RE = /^(release|campaign):([\w-]{1,64})$/;

export function parseSourceId(id: unknown): { kind: 'release' | 'campaign'; refId: string } {
	const m = typeof id === 'string' ? SOURCE_RE.exec(id) : null;
	if (!m)
		throw new PolicyError({
			vi: `Nguồn dữ liệu "${String(id).slice(0, 80)}" không hợp lệ (dạng release:<mã> hoặc campaign:<mã>).`,
			en: `Invalid data source "${String(id).slice(0, 80)}" (use release:<id> or campaign:<id>).`
		});
	return { kind: m[1] as 'release' | 'campaign', refId: m[2] };
}

function releaseSource(r: ReleaseDoc): PolicySource {
	return {
		id: `release:${r._id}`,
		kind: 'release',
		refId: r._id,
		campaignId: r.campaignId,
		sector: r.sector,
		year: r.year,
		surveyId: r.surveyId,
		label: {
			vi: `${r.campaignName.vi} · bản phát hành ${r.version}`,
			en: `${r.campaignName.en} · release ${r.version}`
		},
		k: r.disclosure?.k ?? 5
	};
}

function campaignSource(c: CampaignDoc): PolicySource {
	return {
		id: `campaign:${c._id}`,
		kind: 'campaign',
		refId: c._id,
		campaignId: c._id,
		sector: c.sector,
		year: c.year,
		surveyId: c.surveyId,
		label: {
			vi: `${c.name.vi} · điểm hiện hành (chưa công bố)`,
			en: `${c.name.en} · current scores (not published)`
		},
		k: 5
	};
}

/**
 * Every source the viewer may use, newest year first: ready releases, then closed or published
 * campaigns' current scores (the fallback until a release exists; open campaigns are still
 * changing, so never used). Campaign scores are unpublished: only for viewers who see every row.
 */
export async function listSources(
	db: Database,
	viewer: Pick<Viewer, 'role' | 'microdata'> | null
): Promise<PolicySource[]> {
	const unpublished = seesUnpublished(rowAccessOf(viewer));
	const releases = await db
		.collection<ReleaseDoc>(C.releases)
		.find({ status: 'ready' }, { sort: { year: -1, sector: 1, version: -1 } });
	const closed = unpublished
		? await db
				.collection<CampaignDoc>(C.campaigns)
				.find({ status: { $in: ['closed', 'published'] } }, { sort: { year: -1, sector: 1 } })
		: [];
	// A campaign nobody submitted to has no rows to choose from; listing it (newest first) made it
	// the default source of an empty shortlist.
	const campaigns: CampaignDoc[] = [];
	for (const c of closed) {
		const submitted = await db
			.collection<ResponseDoc>(C.responses)
			.findOne({ campaignId: c._id, status: 'submitted' }, { projection: { _id: 1 } });
		if (submitted) campaigns.push(c);
	}
	const all = [...releases.map(releaseSource), ...campaigns.map(campaignSource)];
	return all.sort(
		(a, b) =>
			b.year - a.year ||
			a.sector.localeCompare(b.sector) ||
			(a.kind === b.kind ? 0 : a.kind === 'release' ? -1 : 1) ||
			b.label.en.localeCompare(a.label.en)
	);
}

/** The source `sourceId` if `access` may use it: unpublished (campaign) sources are refused (403) otherwise. */
export async function getSource(db: Database, sourceId: string, access: RowAccess): Promise<PolicySource> {
	const { kind, refId } = parseSourceId(sourceId);
	// Refused before the campaign is even looked up: its status would tell what exists.
	if (kind === 'campaign' && !seesUnpublished(access)) throw unpublishedRefused(sourceId);
	if (kind === 'release') {
		const r = await db.collection<ReleaseDoc>(C.releases).findOne({ _id: refId, status: 'ready' });
		if (r) return releaseSource(r);
	} else {
		const c = await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: refId });
		if (c && (c.status === 'closed' || c.status === 'published')) return campaignSource(c);
		if (c)
			throw new PolicyError({
				vi: `Đợt khảo sát "${refId}" đang ở trạng thái "${c.status}": chỉ dùng đợt đã đóng hoặc đã công bố.`,
				en: `Campaign "${refId}" is "${c.status}": only closed or published campaigns can be used.`
			});
	}
	throw new PolicyError(
		{ vi: `Không tìm thấy nguồn dữ liệu "${sourceId}".`, en: `Data source "${sourceId}" not found.` },
		404
	);
}

/** Criterion points → full criterion states; null when the row lacks a criterion of the rubric. */
function criteriaStates(
	points: Readonly<Record<string, number>>,
	rescorer: Rescorer
): Record<string, CriterionState> | null {
	const out: Record<string, CriterionState> = {};
	for (const [id, c] of rescorer.criteria) {
		const p = points[id];
		if (typeof p !== 'number' || !Number.isFinite(p)) return null;
		out[id] = { points: p, max: c.max, group: c.group };
	}
	return out;
}

const sizeOf = (v: unknown) => (isSizeClass(v) ? v : null);
const ownershipOf = (v: unknown) => (isOwnership(v) ? v : null);
const levelOf = (v: unknown): LevelId | null =>
	(LEVEL_IDS as readonly unknown[]).includes(v) ? (v as LevelId) : null;
const known = (v: unknown) => (typeof v === 'string' && v !== '' && v !== 'unknown' ? v : null);

/** Release rows are immutable, so the last few loaded are kept (without identities). */
const releaseCache = new Map<string, { rows: PolicyRow[]; skipped: number }>();
const CACHE_SIZE = 4;

async function releaseRows(
	db: Database,
	source: PolicySource,
	rescorer: Rescorer
): Promise<{ rows: PolicyRow[]; skipped: number }> {
	const hit = releaseCache.get(source.refId);
	if (hit) return hit;
	const docs = await db
		.collection<ReleaseRowDoc>(C.releaseRows)
		.find({ releaseId: source.refId }, { projection: { ladders: 0, employees: 0, revenueBn: 0 } });
	const rows: PolicyRow[] = [];
	let skipped = 0;
	for (const d of docs) {
		const criteria = criteriaStates(d.criteria ?? {}, rescorer);
		const level = levelOf(d.level);
		if (!criteria || !level) {
			skipped++;
			continue;
		}
		rows.push({
			enterpriseId: d.enterpriseId,
			pseudonym: d.pid,
			sector: source.sector,
			year: source.year,
			size: sizeOf(d.size),
			ownership: ownershipOf(d.ownership),
			ward: known(d.ward),
			vsic: known(d.vsic),
			total: d.total,
			K: d.K,
			level,
			groups: { ...d.groups },
			criteria
		});
	}
	const out = { rows, skipped };
	releaseCache.set(source.refId, out);
	if (releaseCache.size > CACHE_SIZE) releaseCache.delete(releaseCache.keys().next().value as string);
	return out;
}

interface SaltDoc {
	_id: string;
	salt: string;
	at: Date;
}

/** Pseudonyms for campaign sources: the same HMAC as releases, keyed per campaign (salt kept in `meta`). */
async function campaignKey(db: Database, campaignId: string): Promise<string> {
	const env = process.env.TECHCAP_PSEUDONYM_KEY?.trim();
	if (env) return env;
	const meta = db.collection<SaltDoc>(C.meta);
	const id = `policy-salt:${campaignId}`;
	const existing = await meta.findOne({ _id: id });
	if (existing) return existing.salt;
	try {
		await meta.insertOne({ _id: id, salt: randomBytes(32).toString('hex'), at: new Date() });
	} catch {
		// Another request created it first: use theirs.
	}
	return ((await meta.findOne({ _id: id })) as SaltDoc).salt;
}

async function campaignRows(
	db: Database,
	source: PolicySource,
	rescorer: Rescorer
): Promise<{ rows: PolicyRow[]; skipped: number }> {
	const scores = await db.collection<ScoreDoc>(C.scores).find(
		{ campaignId: source.refId, current: true },
		{
			projection: {
				enterpriseId: 1,
				total: 1,
				K: 1,
				level: 1,
				groups: 1,
				'result.points': 1,
				'result.criteria': 1
			}
		}
	);
	const ents = new Map(
		(
			await db
				.collection<EnterpriseDoc>(C.enterprises)
				.find(
					{ _id: { $in: scores.map((s) => s.enterpriseId) } },
					{ projection: { name: 0, taxCode: 0, email: 0 } }
				)
		).map((e) => [e._id, e])
	);
	const key = await campaignKey(db, source.refId);
	const rows: PolicyRow[] = [];
	let skipped = 0;
	for (const s of scores) {
		const e = ents.get(s.enterpriseId);
		const points: Record<string, number> = {};
		Object.assign(points, storedPoints(s.result));
		const criteria = criteriaStates(points, rescorer);
		const level = levelOf(s.level);
		if (!e || !criteria || !level) {
			skipped++;
			continue;
		}
		rows.push({
			enterpriseId: e._id,
			pseudonym: createHmac('sha256', key).update(e._id).digest('hex').slice(0, 20),
			sector: source.sector,
			year: source.year,
			size: sizeClass(e, sectorKindOfVsic(e.vsic) ?? 'industry'),
			ownership: ownershipOf(e.ownership),
			ward: known(e.ward),
			vsic: known(e.vsic),
			total: s.total,
			K: s.K,
			level,
			groups: { ...s.groups },
			criteria
		});
	}
	return { rows, skipped };
}

/**
 * The rows of a source, sorted by enterprise id, for a viewer with row-level entitlement `access`
 * (`rowAccessOf` in authz.ts): unpublished sources only for those who see every row; names and tax
 * codes joined from the register only for those who may see identities. Callers shape what leaves.
 */
export async function loadSource(
	db: Database,
	sourceId: string,
	access: RowAccess
): Promise<LoadedSource & { skipped: number }> {
	const source = await getSource(db, sourceId, access);
	const survey = loadSurvey(source.surveyId);
	const rescorer = rubricRescorer(survey.rubric);
	const loaded =
		source.kind === 'release'
			? await releaseRows(db, source, rescorer)
			: await campaignRows(db, source, rescorer);
	let rows = [...loaded.rows].sort((a, b) =>
		a.enterpriseId < b.enterpriseId ? -1 : a.enterpriseId > b.enterpriseId ? 1 : 0
	);
	if (seesIdentities(access)) {
		const who = new Map(
			(
				await db
					.collection<EnterpriseDoc>(C.enterprises)
					.find({ _id: { $in: rows.map((r) => r.enterpriseId) } }, { projection: { name: 1, taxCode: 1 } })
			).map((e) => [e._id, e])
		);
		rows = rows.map((r) => ({
			...r,
			name: who.get(r.enterpriseId)?.name,
			taxCode: who.get(r.enterpriseId)?.taxCode
		}));
	}
	return { source, survey, rescorer, rows, skipped: loaded.skipped };
}

/** Drops the cached rows of a release (tests; a release is otherwise never changed). */
export function clearSourceCache(): void {
	releaseCache.clear();
}
