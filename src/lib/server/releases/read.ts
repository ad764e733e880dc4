/**
 * Reading the sector database: releases, and views of their materialised benchmarks for a viewer.
 * Public viewers (policymakers, the API) get protected aggregates only: a suppressed cell carries
 * n = null, every statistic null and the ':c' flag. Users with microdata rights see the figures,
 * still flagged. Minimum and maximum are individual enterprises' values, so only they see those.
 */
import {
	applyRole,
	CONFIDENTIAL_FLAG,
	DEFAULT_STATISTIC_RULES,
	publicStatisticBlock,
	roundTo,
	type MeasureKind,
	type ReleasedTable,
	type StatisticRules,
	type ViewerRights
} from '$lib/domain/disclosure';
import { C } from '../db/schema';
import type { Database } from '../db/types';
import { ALL_KEY, byString } from './segments';
import type {
	BenchmarkDoc,
	CellStats,
	Dimension,
	ReleaseDoc,
	StatBlock,
	StoredTable,
	WeightedBlock
} from './types';

export type { ViewerRights };

/** Who sees what: admins and analysts flagged with microdata rights see unsuppressed values. */
export function rightsOf(user: { role: string; microdata?: boolean } | null | undefined): ViewerRights {
	return {
		microdata: !!user && (user.role === 'admin' || (user.role === 'analyst' && user.microdata === true))
	};
}

/** Release fields safe for any viewer. */
export interface ReleaseSummary {
	id: string;
	campaignId: string;
	sector: string;
	year: number;
	version: number;
	latest: boolean;
	surveyId: string;
	rubricVersion: string;
	referencePeriod: ReleaseDoc['referencePeriod'];
	fieldwork: { opensAt: string; closesAt: string };
	name: ReleaseDoc['campaignName'];
	methodology: ReleaseDoc['methodology'];
	coverage: ReleaseDoc['coverage'];
	disclosure: ReleaseDoc['disclosure'];
	groupMax: ReleaseDoc['groupMax'];
	ladderFunctions: ReleaseDoc['ladderFunctions'];
	rows: number;
	publishedAt: string;
	suppression: ReleaseDoc['suppression'];
	/** Weighting strata (respondents and weights null when they would give a withheld cell away). */
	weighting: ReleaseDoc['weighting'] | null;
}

export function summariseRelease(r: ReleaseDoc, latest: boolean): ReleaseSummary {
	return {
		id: r._id,
		campaignId: r.campaignId,
		sector: r.sector,
		year: r.year,
		version: r.version,
		latest,
		surveyId: r.surveyId,
		rubricVersion: r.rubricVersion,
		referencePeriod: r.referencePeriod,
		fieldwork: {
			opensAt: new Date(r.fieldwork.opensAt).toISOString(),
			closesAt: new Date(r.fieldwork.closesAt).toISOString()
		},
		name: r.campaignName,
		methodology: r.methodology,
		coverage: r.coverage,
		disclosure: r.disclosure,
		groupMax: r.groupMax,
		ladderFunctions: r.ladderFunctions,
		rows: r.rowCount,
		publishedAt: new Date(r.publishedAt).toISOString(),
		suppression: r.suppression,
		weighting: r.weighting
			? {
					...r.weighting,
					excluded: r.weighting.published ? r.weighting.excluded : null,
					strata: r.weighting.strata.map((x) =>
						r.weighting?.published ? { ...x } : { ...x, respondents: null, weight: null }
					)
				}
			: null
	};
}

/** Ready releases, newest year first, each version listed (latest flagged). */
export async function listReleases(
	db: Database,
	filter: { sector?: string; year?: number } = {}
): Promise<ReleaseSummary[]> {
	const q: Record<string, unknown> = { status: 'ready' };
	if (filter.sector) q.sector = filter.sector;
	if (filter.year) q.year = filter.year;
	const docs = await db
		.collection<ReleaseDoc>(C.releases)
		.find(q, { sort: { year: -1, sector: 1, version: -1 } });
	const newest = new Map<string, number>();
	for (const d of docs) newest.set(d.campaignId, Math.max(newest.get(d.campaignId) ?? 0, d.version));
	return docs.map((d) => summariseRelease(d, newest.get(d.campaignId) === d.version));
}

export async function getRelease(db: Database, id: string): Promise<ReleaseSummary | null> {
	if (typeof id !== 'string' || id.length > 64) return null;
	const r = await db.collection<ReleaseDoc>(C.releases).findOne({ _id: id, status: 'ready' });
	if (!r) return null;
	const newer = await db
		.collection<ReleaseDoc>(C.releases)
		.countDocuments({ campaignId: r.campaignId, status: 'ready', version: { $gt: r.version } });
	return summariseRelease(r, newer === 0);
}

export interface SegmentView {
	key: string;
	segment: Partial<Record<Dimension, string>>;
	n: number | null;
	flag: typeof CONFIDENTIAL_FLAG | null;
	suppressed: boolean;
	/** Microdata view only. */
	status?: string;
	reasons?: string[];
	revenueBn: number | null;
	total: StatBlock | null;
	K: StatBlock | null;
	groups: Record<string, StatBlock> | null;
	weighted: WeightedBlock | null;
	/** Weighted K, groups and ladder indices (null: withheld, not computed, or an older release). */
	weightedMeasures: NonNullable<CellStats['weightedMeasures']> | null;
	ladders: CellStats['ladders'] | null;
}

export interface DistributionCell {
	value: string;
	n: number | null;
	flag: typeof CONFIDENTIAL_FLAG | null;
}

export interface BenchmarkView {
	release: ReleaseSummary;
	by: string;
	dims: Dimension[];
	view: 'public' | 'microdata';
	segments: SegmentView[];
	/** Per segment key, per family ('level', 'bin', 'ladder.<function>'): counts (one dimension at most). */
	distributions: Record<string, Record<string, DistributionCell[]>>;
	/** The protected tables as published (applyRole views), for audits and the attack test. */
	tables: ReleasedTable[];
}

/** The statistic rules a release was published under (older releases: today's defaults). */
export function statisticRulesOf(release: Pick<ReleaseSummary, 'disclosure'>): StatisticRules {
	return release.disclosure.statistics ?? DEFAULT_STATISTIC_RULES;
}

/** A block as the viewer may see it: public viewers get the rules of docs/sector-database.md §4. */
function publicBlock<B extends StatBlock>(
	b: B,
	kind: MeasureKind,
	rights: ViewerRights,
	rules: StatisticRules
): B {
	return rights.microdata ? b : publicStatisticBlock(b, kind, rules);
}

/** A weighted block (older releases lack sd and percentiles: they stay absent). */
function publicWeighted(
	b: WeightedBlock,
	kind: MeasureKind,
	rights: ViewerRights,
	rules: StatisticRules
): WeightedBlock {
	if (rights.microdata) return b;
	const full = { sd: null, min: null, max: null, p25: null, median: null, p75: null, p90: null, ...b };
	const p = publicStatisticBlock(full as StatBlock & WeightedBlock, kind, rules);
	return {
		...p,
		coverage: b.coverage,
		populationEstimate: b.populationEstimate === undefined ? undefined : roundTo(b.populationEstimate, 1)
	};
}

function publicLadders(
	l: CellStats['ladders'],
	rights: ViewerRights,
	rules: StatisticRules
): CellStats['ladders'] {
	if (rights.microdata) return l;
	const g = rules.rounding.ladder.mean;
	const r = (x: number | null) => (x === null ? null : roundTo(x, g));
	return Object.fromEntries(Object.entries(l).map(([f, v]) => [f, { n: v.n, EXT: r(v.EXT), INT: r(v.INT) }]));
}

export function viewTables(tables: StoredTable[], rights: ViewerRights): ReleasedTable[] {
	return tables.map((t) => applyRole(t, rights));
}

/** The view of one benchmark document for a viewer. */
export function benchmarkView(
	doc: BenchmarkDoc,
	release: ReleaseSummary,
	rights: ViewerRights
): BenchmarkView {
	const tables = viewTables(doc.tables, rights);
	const cellByKey = new Map(tables.flatMap((t) => t.cells.map((c) => [c.key, c] as const)));
	const segTable =
		doc.dims.length === 0
			? tables.find((t) => t.id === ALL_KEY)
			: tables.find((t) => t.id === doc.dims.join('×'));
	const segKeys = (segTable?.cells ?? [])
		.map((c) => c.key)
		.filter((k) =>
			doc.dims.length === 0 ? k === ALL_KEY : k !== ALL_KEY && k.split('|').length === doc.dims.length
		);
	const rules = statisticRulesOf(release);
	const segments: SegmentView[] = segKeys.map((key) => {
		const c = cellByKey.get(key)!;
		const s = doc.stats[key];
		const hidden = c.suppressed && !rights.microdata;
		const showWeighted = !!s && !hidden && (rights.microdata || s.weightedPublishable === true);
		const wm = showWeighted ? (s.weightedMeasures ?? null) : null;
		const segment =
			s?.segment ?? Object.fromEntries(key.split('|').map((p) => p.split('=') as [string, string]));
		return {
			key,
			segment,
			n: c.n,
			flag: c.flag,
			suppressed: c.suppressed,
			...(rights.microdata ? { status: c.status, reasons: c.reasons } : {}),
			revenueBn:
				hidden || c.value === null
					? null
					: rights.microdata
						? c.value
						: roundTo(c.value, rules.rounding.money.mean),
			total: hidden || !s ? null : publicBlock(s.total, 'score', rights, rules),
			K: hidden || !s ? null : publicBlock(s.K, 'coefficient', rights, rules),
			groups:
				hidden || !s
					? null
					: Object.fromEntries(
							Object.entries(s.groups).map(([g, b]) => [g, publicBlock(b, 'score', rights, rules)])
						),
			weighted: showWeighted && s.weighted ? publicWeighted(s.weighted, 'score', rights, rules) : null,
			weightedMeasures: wm
				? {
						K: publicWeighted(wm.K, 'coefficient', rights, rules),
						groups: Object.fromEntries(
							Object.entries(wm.groups).map(([g, b]) => [g, publicWeighted(b, 'score', rights, rules)])
						),
						ladders: Object.fromEntries(
							Object.entries(wm.ladders).map(([f, v]) => [
								f,
								rights.microdata
									? v
									: {
											EXT: v.EXT === null ? null : roundTo(v.EXT, rules.rounding.ladder.mean),
											INT: v.INT === null ? null : roundTo(v.INT, rules.rounding.ladder.mean)
										}
							])
						)
					}
				: null,
			ladders: hidden || !s ? null : publicLadders(s.ladders, rights, rules)
		};
	});
	const distributions: BenchmarkView['distributions'] = {};
	if (doc.dims.length <= 1) {
		const seen = new Set<string>();
		for (const t of tables) {
			// Distribution tables: 'level', 'bin', 'ladder.x' (total) and '<dim>×<family>'.
			const family = doc.dims.length === 0 ? t.id : t.id.split('×')[1];
			if (!family || t.id === ALL_KEY || t.id === doc.dims[0]) continue;
			for (const c of t.cells) {
				const last = c.key.lastIndexOf('|');
				const head = last < 0 ? ALL_KEY : c.key.slice(0, last);
				const tail = last < 0 ? c.key : c.key.slice(last + 1);
				if (!tail.startsWith(`${family}=`) || seen.has(c.key)) continue;
				seen.add(c.key);
				const seg = (distributions[head] ??= {});
				(seg[family] ??= []).push({ value: tail.slice(family.length + 1), n: c.n, flag: c.flag });
			}
		}
	}
	return {
		release,
		by: doc.by,
		dims: doc.dims,
		view: rights.microdata ? 'microdata' : 'public',
		segments,
		distributions,
		tables
	};
}

export async function releaseBenchmarks(
	db: Database,
	releaseId: string,
	dims: readonly Dimension[],
	rights: ViewerRights
): Promise<BenchmarkView | null> {
	const release = await getRelease(db, releaseId);
	if (!release) return null;
	const doc = await db.collection<BenchmarkDoc>(C.benchmarks).findOne({ releaseId, by: byString(dims) });
	if (!doc) return null;
	return benchmarkView(doc, release, rights);
}
