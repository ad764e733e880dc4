/**
 * Benchmarks of one release: ONE MongoDB aggregation pipeline groups the release rows by the finest
 * segmentation and returns the values of each group; the published segmentations (total, each
 * dimension, each pair) are unions of those groups. Exact type 7 percentiles, CIs and post-stratified
 * means are computed from the grouped values (MongoDB's own `$percentile` is approximate). All tables of
 * the release are then protected in ONE `protectTables` call (so differences between linked tables
 * cannot recover a suppressed cell) and materialised in `benchmarks`, one document per segmentation. */
import {
	addMember,
	protectAgainstVersion,
	protectTables,
	type Membership,
	type VersionDifference,
	twoWayTable,
	oneWayTable,
	type Cell,
	type ProtectOptions,
	type ProtectedCell,
	type ProtectedTable,
	type ProtectionResult,
	type TableSpec
} from '$lib/domain/disclosure';
import {
	collapseStrata,
	meanIntervalFromMoments,
	postStratifiedDomain,
	summary,
	type DesignStratum
} from '$lib/domain/statistics';
import { SIZE_CLASSES } from '$lib/domain/enterprise';
import { C } from '../db/schema';
import { newId } from '../db/ids';
import type { Database } from '../db/types';
import {
	ALL_KEY,
	HISTOGRAM_BINS,
	LADDER_STEPS,
	allSegmentations,
	byString,
	histogramBin,
	segmentKey,
	subKey
} from './segments';
import {
	DIMENSIONS,
	type BenchmarkDoc,
	type CellStats,
	type Dimension,
	type ReleaseDoc,
	type ReleaseRowDoc,
	type StatBlock,
	type StoredTable,
	type WeightedBlock,
	type WeightingInfo
} from './types';

const GROUPS = ['T', 'E', 'O', 'R', 'I'] as const;

/** Measures kept per row for exact percentiles, first in each pushed row (then revenue, level, ladders). */
const MEASURES = ['total', 'K', ...GROUPS] as const;
type Measure = (typeof MEASURES)[number];
const REVENUE = MEASURES.length;
const LEVEL = REVENUE + 1;
const LADDERS = LEVEL + 1;

/**
 * What the pipeline returns per group: one group per finest segment (all four dimensions) and `part`
 * (see {@link segmentationPipeline}), with one array per row: the measures, revenue, level, then EXT and
 * INT of each ladder function in the order of `ladderIds` (a missing value is null on MongoDB and
 * undefined on the embedded engine: both mean "not there").
 */
interface FinestGroup {
	_id: Partial<Record<Dimension | 'part', string>>;
	n: number;
	r: unknown[][];
}

/** The rows of one published segment, merged from its finest groups. */
interface GroupedValues {
	_id: Partial<Record<Dimension, string>>;
	n: number;
	values: Record<Measure, number[]>;
	level: string[];
	size: string[];
	/** Revenue of each row (null: not reported). */
	revenue: (number | null)[];
	/** Per ladder function: EXT and INT of each row. */
	ladders: Array<{ EXT: (number | null)[]; INT: (number | null)[] }>;
}

/**
 * The aggregation pipeline of a release (runs on either engine): ONE pass over the release's rows,
 * grouped by the finest segmentation (size × ownership × ward × vsic); every published segment is a
 * union of finest groups, so the total, each dimension and each pair are merged from this result
 * instead of running eleven pipelines over the same rows. Each row contributes one small array of the
 * fields the statistics need (not its criteria, nor whole sub-documents: one `$push` of one array is
 * also the cheapest form for mingo). `part` (the first hex digit of the pseudonym) splits a large finest
 * segment into up to 16 documents, which keeps every result document far below MongoDB's 16 MB limit:
 * a row costs about 250 bytes of BSON (9 numbers and a level, 2 per ladder function), so one document
 * would overflow near 60,000 rows of a single size × ownership × ward × vsic cell; with 16 parts near
 * 1,000,000. (The former per-segmentation pipelines pushed every row of the release into the total's
 * one document, which overflows near 40,000 rows.)
 */
export function segmentationPipeline(
	releaseId: string,
	ladderIds: readonly string[]
): Record<string, unknown>[] {
	const id: Record<string, unknown> = {};
	for (const d of DIMENSIONS) id[d] = `$${d}`;
	id.part = { $substrCP: ['$pid', 0, 1] };
	const row = [
		'$total',
		'$K',
		...GROUPS.map((g) => `$groups.${g}`),
		'$revenueBn',
		'$level',
		...ladderIds.flatMap((f) => [`$ladders.${f}.EXT`, `$ladders.${f}.INT`])
	];
	// No $sort: the merge orders segments itself, and every statistic is computed from sorted values, so
	// the order of groups and of rows within them (unspecified on MongoDB) does not change any figure.
	return [{ $match: { releaseId } }, { $group: { _id: id, n: { $sum: 1 }, r: { $push: row } } }];
}

const num = (x: unknown): number | null => (typeof x === 'number' ? x : null);

/** Compares segments dimension by dimension in canonical order (as MongoDB's `$sort: { _id: 1 }` would). */
function compareSegments(dims: readonly Dimension[]) {
	return (a: GroupedValues, b: GroupedValues): number => {
		for (const d of dims) {
			const x = a._id[d] ?? '';
			const y = b._id[d] ?? '';
			if (x !== y) return x < y ? -1 : 1;
		}
		return 0;
	};
}

/** Merges the finest groups into the segments of one segmentation (`dims` empty: the total). */
function mergeGroups(
	finest: readonly FinestGroup[],
	dims: readonly Dimension[],
	ladderCount: number
): GroupedValues[] {
	const out = new Map<string, GroupedValues>();
	for (const f of finest) {
		const seg: Partial<Record<Dimension, string>> = {};
		for (const d of dims) seg[d] = String(f._id[d]);
		const key = segmentKey(seg);
		let g = out.get(key);
		if (!g) {
			g = {
				_id: seg,
				n: 0,
				values: Object.fromEntries(MEASURES.map((m) => [m, [] as number[]])) as GroupedValues['values'],
				level: [],
				size: [],
				revenue: [],
				ladders: Array.from({ length: ladderCount }, () => ({ EXT: [], INT: [] }))
			};
			out.set(key, g);
		}
		g.n += f.n;
		const size = String(f._id.size);
		for (const row of f.r) {
			for (let m = 0; m < MEASURES.length; m++) g.values[MEASURES[m]].push(num(row[m]) ?? NaN);
			g.revenue.push(num(row[REVENUE]));
			g.level.push(String(row[LEVEL]));
			g.size.push(size);
			for (let j = 0; j < ladderCount; j++) {
				g.ladders[j].EXT.push(num(row[LADDERS + 2 * j]));
				g.ladders[j].INT.push(num(row[LADDERS + 2 * j + 1]));
			}
		}
	}
	return [...out.values()].sort(compareSegments(dims));
}

/** Ascending copy by the engine's native numeric sort (NaN last, so summary() still rejects it). */
function sortedCopy(values: readonly number[]): number[] {
	return Array.from(Float64Array.from(values).sort());
}

export function statBlock(values: readonly number[]): StatBlock {
	// summary() sorts again with a comparator: on sorted input that is a single linear pass.
	const s = summary(sortedCopy(values));
	const ci = meanIntervalFromMoments(s.n, s.mean, s.sd);
	return { ...s, lower: ci.lower, upper: ci.upper };
}

/** Minimum respondents per (collapsed) weighting stratum, by default. */
export const WEIGHTING_MIN_RESPONDENTS = 5;

/** The weighting design of a release: size strata collapsed until each has enough respondents. */
interface Design {
	/** Size class → collapsed stratum key (size classes outside the register: absent). */
	of: Record<string, string>;
	strata: Record<string, DesignStratum>;
	/** Share of the register the weighted estimates represent. */
	coverage: number | null;
	info: WeightingInfo;
}

function weightingDesign(
	all: GroupedValues | undefined,
	registerBySize: Record<string, number>,
	minRespondents: number
): Design | null {
	if (Object.keys(registerBySize).length === 0) return null;
	const respondents: Record<string, number> = {};
	for (const s of all?.size ?? []) respondents[s] = (respondents[s] ?? 0) + 1;
	const order = [
		...SIZE_CLASSES,
		...Object.keys(registerBySize)
			.filter((k) => !(SIZE_CLASSES as readonly string[]).includes(k) && k !== 'unknown')
			.sort()
	];
	const c = collapseStrata(order, registerBySize, respondents, minRespondents);
	const strata: Record<string, DesignStratum> = {};
	for (const g of c.groups) strata[g.key] = { populationSize: g.populationSize, respondents: g.respondents };
	const total = Object.values(registerBySize).reduce((a, n) => a + n, 0);
	const covered = c.groups.filter((g) => g.respondents > 0).reduce((a, g) => a + g.populationSize, 0);
	const excluded = (all?.size ?? []).filter((s) => !(s in c.of)).length;
	return {
		of: c.of,
		strata,
		coverage: total > 0 ? covered / total : null,
		info: {
			minRespondents,
			strata: c.groups.map((g) => ({
				key: g.key,
				members: g.members,
				register: g.populationSize,
				respondents: g.respondents,
				weight: g.respondents > 0 && g.populationSize > 0 ? g.populationSize / g.respondents : null
			})),
			excluded,
			published: false
		}
	};
}

/**
 * Design-weighted block of one measure in one segment (domain estimation with the sector's weights).
 * Rows are sorted by stratum and value first, so sums do not depend on the order MongoDB returns them in.
 */
function weightedBlock(
	values: readonly (number | null)[],
	sizes: readonly string[],
	design: Design
): WeightedBlock {
	const rows: Array<{ stratum: string; value: number }> = [];
	values.forEach((v, i) => {
		const stratum = design.of[sizes[i]];
		if (stratum !== undefined && v !== null && Number.isFinite(v)) rows.push({ stratum, value: v });
	});
	rows.sort((a, b) => (a.stratum < b.stratum ? -1 : a.stratum > b.stratum ? 1 : a.value - b.value));
	const est = postStratifiedDomain(rows, design.strata);
	return {
		n: est.n,
		mean: est.mean,
		lower: est.lower,
		upper: est.upper,
		coverage: design.coverage,
		sd: est.summary.sd,
		min: null,
		max: null,
		p25: est.summary.p25,
		median: est.summary.median,
		p75: est.summary.p75,
		p90: est.summary.p90,
		populationEstimate: est.populationEstimate
	};
}

/** Revenues reported in the segment, largest first (the dominance rule's contributions). */
function revenuesOf(g: GroupedValues): number[] {
	return g.revenue.filter((r): r is number => r !== null).sort((a, b) => b - a);
}

function cellStats(
	g: GroupedValues,
	ladderIds: readonly string[],
	design: Design | null,
	revenues: readonly number[]
): CellStats {
	const ladders: CellStats['ladders'] = {};
	const mean = (a: readonly (number | null)[]): { n: number; mean: number | null } => {
		let n = 0;
		let sum = 0;
		for (const x of a)
			if (x !== null) {
				n++;
				sum += x;
			}
		return { n, mean: n ? sum / n : null };
	};
	ladderIds.forEach((f, j) => {
		const int = mean(g.ladders[j].INT);
		ladders[f] = { n: int.n, EXT: mean(g.ladders[j].EXT).mean, INT: int.mean };
	});
	return {
		key: segmentKey(g._id),
		segment: { ...g._id },
		n: g.n,
		revenueBn: revenues.length ? revenues.reduce((a, b) => a + b, 0) : null,
		total: statBlock(g.values.total),
		K: statBlock(g.values.K),
		groups: Object.fromEntries(GROUPS.map((k) => [k, statBlock(g.values[k])])),
		weighted: design ? weightedBlock(g.values.total, g.size, design) : null,
		weightedMeasures: design
			? {
					K: weightedBlock(g.values.K, g.size, design),
					groups: Object.fromEntries(GROUPS.map((k) => [k, weightedBlock(g.values[k], g.size, design)])),
					ladders: Object.fromEntries(
						ladderIds.map((f, j) => [
							f,
							{
								EXT: weightedBlock(g.ladders[j].EXT, g.size, design).mean,
								INT: weightedBlock(g.ladders[j].INT, g.size, design).mean
							}
						])
					)
				}
			: null,
		ladders
	};
}

/** Distribution families published for the total and each single dimension. */
function families(
	levelIds: readonly string[],
	ladderIds: readonly string[]
): Array<{ id: string; values: string[] }> {
	return [
		{ id: 'level', values: [...levelIds] },
		{ id: 'bin', values: Array.from({ length: HISTOGRAM_BINS }, (_, i) => String(i)) },
		...ladderIds.map((f) => ({ id: `ladder.${f}`, values: [...LADDER_STEPS] }))
	];
}

function countBy(g: GroupedValues, family: string, ladderIds: readonly string[]): Map<string, number> {
	const m = new Map<string, number>();
	const inc = (v: string) => m.set(v, (m.get(v) ?? 0) + 1);
	if (family === 'level') for (const v of g.level) inc(v);
	else if (family === 'bin') for (const t of g.values.total) inc(String(histogramBin(t)));
	else {
		const j = ladderIds.indexOf(family.slice('ladder.'.length));
		for (const v of g.ladders[j]?.INT ?? []) inc(v === null ? 'none' : String(v));
	}
	return m;
}

interface ReleaseProtection {
	tables: ProtectedTable[];
	primary: number;
	secondary: number;
	cells: number;
}

/**
 * Protects all tables of a release. The release publishes its row count (coverage.submitted, rowCount),
 * which IS the total cell's n, so the intruder knows it: the total is never a complement and the audit
 * counts it as known (else the total could be the only complement of a small segment, whose count would
 * then be the row count minus the published segments).
 * - A total dominated by a few enterprises' revenue: its n is public but its revenue is not. The pattern is
 *   the union of the pattern protecting counts (total known) and the one protecting sums (total withheld as
 *   primary): suppressing more cells never makes a protected cell recoverable, so the union is safe for both.
 * - A release of fewer than k rows: every cell with data is withheld anyway; no pattern can keep segment
 *   counts secret from a row count published by design (e.g. when all respondents share a ward), so the
 *   total is protected like any cell.
 * Throws when a withheld cell stays recoverable.
 */
export function protectRelease(
	specs: readonly TableSpec[],
	rules: Pick<ProtectOptions, 'k' | 'dominance' | 'pPercent'>,
	versions: readonly VersionDifference[] = []
): ReleaseProtection {
	const withTotal = protectTables(specs, { ...rules, published: [ALL_KEY] });
	// Jointly with every earlier version: one run on the difference with each (versions.ts). The total's
	// n is public in both versions; a total that changed by fewer than k is refused before this point.
	const versionRuns = versions.map((v) =>
		protectAgainstVersion(specs, v, { ...rules, published: [ALL_KEY] })
	);
	const stuck = [...new Set(versionRuns.flatMap((r) => r.unprotected))];
	if (stuck.length) throw new VersionProtectionError(stuck);
	const forced = withTotal.forcedPublished.find((f) => f.key === ALL_KEY)?.reasons ?? [];
	const runs: ProtectionResult[] =
		forced.length === 0
			? [withTotal]
			: forced.includes('threshold')
				? [protectTables(specs, rules)]
				: [withTotal, protectTables(specs, rules)];
	runs.unshift(...versionRuns);
	const unprotected = [...new Set(runs.flatMap((r) => r.unprotected))];
	if (unprotected.length)
		throw new Error(
			`disclosure control left ${unprotected.length} cell(s) recoverable: ${unprotected.slice(0, 5).join(', ')}`
		);
	const last = runs[runs.length - 1];
	const merged = new Map<string, ProtectedCell>();
	for (const [key, cell] of last.cells) {
		const suppressed = runs.some((r) => r.cells.get(key)?.status !== 'published');
		const versionReason = versionRuns.some((r) => r.cells.get(key)?.reasons.includes('version'));
		if (versionReason && !cell.reasons.includes('version')) cell.reasons.push('version');
		const status: ProtectedCell['status'] = cell.reasons.length
			? 'suppressed-primary'
			: suppressed
				? 'suppressed-secondary'
				: 'published';
		merged.set(key, { ...cell, status, reasons: [...cell.reasons] });
	}
	const statuses = [...merged.values()].map((c) => c.status);
	return {
		tables: last.tables.map((t) => ({
			id: t.id,
			cells: t.cells.map((c) => merged.get(c.key) as ProtectedCell),
			constraints: t.constraints
		})),
		primary: statuses.filter((x) => x === 'suppressed-primary').length,
		secondary: statuses.filter((x) => x === 'suppressed-secondary').length,
		cells: merged.size
	};
}

/** Withheld cells that no pattern protects in the difference with an earlier version. */
export class VersionProtectionError extends Error {
	constructor(readonly keys: string[]) {
		super(`version protection left ${keys.length} cell(s) recoverable: ${keys.slice(0, 5).join(', ')}`);
		this.name = 'VersionProtectionError';
	}
}

/**
 * Every cell a release row contributes to, with the signature of its contribution: segment cells (all
 * eleven segmentations) carry the row's figures, distribution cells only its membership.
 */
export function addRowToMembership(
	m: Membership,
	row: Pick<
		ReleaseRowDoc,
		Dimension | 'enterpriseId' | 'total' | 'K' | 'groups' | 'revenueBn' | 'level' | 'ladders'
	>,
	ladderIds: readonly string[]
): void {
	const figures = JSON.stringify([
		row.total,
		row.K,
		GROUPS.map((g) => row.groups[g] ?? null),
		row.revenueBn,
		row.level,
		ladderIds.map((f) => [row.ladders[f]?.EXT ?? null, row.ladders[f]?.INT ?? null])
	]);
	const segs = allSegmentations().map((dims) =>
		segmentKey(Object.fromEntries(dims.map((d) => [d, String(row[d])])))
	);
	addMember(m, segs, row.enterpriseId, figures);
	const dist: string[] = [];
	for (const seg of [ALL_KEY, ...DIMENSIONS.map((d) => segmentKey({ [d]: String(row[d]) }))]) {
		dist.push(subKey(seg, 'level', row.level), subKey(seg, 'bin', String(histogramBin(row.total))));
		for (const f of ladderIds) {
			const v = row.ladders[f]?.INT;
			dist.push(subKey(seg, `ladder.${f}`, v === null || v === undefined ? 'none' : String(v)));
		}
	}
	addMember(m, dist, row.enterpriseId, '');
}

export interface BuildBenchmarksResult {
	docs: BenchmarkDoc[];
	primary: number;
	secondary: number;
	cells: number;
	weighting: WeightingInfo | null;
}

export interface BuildOptions extends Pick<ProtectOptions, 'k' | 'dominance' | 'pPercent'> {
	/** Minimum respondents per weighting stratum (default {@link WEIGHTING_MIN_RESPONDENTS}). */
	weightingMinRespondents?: number;
	/** Differences with earlier published versions of the same campaign (protected jointly). */
	versions?: readonly VersionDifference[];
}

/**
 * Whether a segment's weighted figures add nothing an intruder could use. A weighted mean is
 * Σ_h w_h S_{d∩h} / Σ_h w_h n_{d∩h} over the segment's strata parts: with the unweighted sum it is a
 * second equation in those parts. It pins nothing new when at most one stratum holds a withheld part
 * (that part is then the segment minus published parts anyway). Parts are the size × segment cells of
 * the release's tables; a pair without size has its parts in no table (three-way), so it gets none.
 */
function weightedPublishable(
	segment: Partial<Record<Dimension, string>>,
	dims: readonly Dimension[],
	sizes: readonly string[],
	design: Design,
	statusOf: (key: string) => { n: number; published: boolean } | undefined
): boolean {
	if (dims.includes('size')) return true; // one stratum: the weighted figures are the unweighted ones
	if (dims.length >= 2) return false;
	const withheldStrata = new Set<string>();
	for (const size of sizes) {
		const part = statusOf(segmentKey({ ...segment, size }));
		if (!part || part.n === 0 || part.published) continue;
		withheldStrata.add(design.of[size] ?? `unweighted:${size}`);
	}
	return withheldStrata.size <= 1;
}

/**
 * Runs the pipelines for `release`, protects every table together and writes the benchmark documents.
 * `register` holds the register totals per size class for post-stratification (may be empty).
 */
export async function buildBenchmarks(
	db: Database,
	release: Pick<ReleaseDoc, '_id' | 'coverage' | 'disclosure' | 'ladderFunctions'>,
	levelIds: readonly string[],
	options: BuildOptions = {}
): Promise<BuildBenchmarksResult> {
	const rows = db.collection(C.releaseRows);
	const ladderIds = release.ladderFunctions.map((f) => f.id);
	const segs = allSegmentations();
	const finest = await rows.aggregate<FinestGroup>(segmentationPipeline(release._id, ladderIds));
	const grouped = new Map<string, GroupedValues[]>();
	for (const dims of segs) grouped.set(byString(dims), mergeGroups(finest, dims, ladderIds.length));
	const design = weightingDesign(
		(grouped.get('') ?? [])[0],
		release.coverage.registerBySize,
		options.weightingMinRespondents ?? WEIGHTING_MIN_RESPONDENTS
	);

	// Segment cells (n and the revenue magnitude with its contributions, for dominance).
	const cells = new Map<string, Cell>();
	const stats = new Map<string, Record<string, CellStats>>();
	for (const dims of segs) {
		const by = byString(dims);
		const s: Record<string, CellStats> = {};
		for (const g of grouped.get(by) ?? []) {
			const contributions = revenuesOf(g);
			const st = cellStats(g, ladderIds, design, contributions);
			s[st.key] = st;
			// Every mean × n is a sum: the p % rule looks at each score measure and at revenue.
			const magnitudes: Record<string, number[]> = { revenue: contributions };
			for (const m of MEASURES) magnitudes[m] = g.values[m].filter((x) => Number.isFinite(x));
			cells.set(st.key, { key: st.key, n: g.n, value: st.revenueBn ?? 0, contributions, magnitudes });
		}
		stats.set(by, s);
	}
	const allCell = cells.get(ALL_KEY) ?? { key: ALL_KEY, n: 0, value: 0 };
	cells.set(ALL_KEY, allCell);
	const cellOf = (key: string): Cell => cells.get(key) ?? { key, n: 0, value: 0 };
	const values = new Map<Dimension, string[]>();
	for (const dims of segs.filter((d) => d.length === 1)) {
		const d = dims[0];
		values.set(d, (grouped.get(d) ?? []).map((g) => String(g._id[d])).sort());
	}

	const tablesByBy = new Map<string, TableSpec[]>();
	const add = (by: string, t: TableSpec) => tablesByBy.set(by, [...(tablesByBy.get(by) ?? []), t]);
	const fams = families(levelIds, ladderIds);

	// The total and its distributions.
	add('', { id: ALL_KEY, cells: [allCell], constraints: [] });
	const allGroup = (grouped.get('') ?? [])[0];
	const famCell = (segKey: string, fam: string, v: string, counts: Map<string, number> | null): Cell => {
		const key = subKey(segKey, fam, v);
		const c = cells.get(key) ?? { key, n: counts?.get(v) ?? 0 };
		cells.set(key, c);
		return c;
	};
	for (const f of fams) {
		const counts = allGroup ? countBy(allGroup, f.id, ladderIds) : null;
		add(
			'',
			oneWayTable(
				f.id,
				allCell,
				f.values.map((v) => famCell(ALL_KEY, f.id, v, counts))
			)
		);
	}
	// One dimension: the segments, and each segment's distributions (two-way with shared margins).
	for (const [d, vals] of values) {
		const segCells = vals.map((v) => cellOf(segmentKey({ [d]: v })));
		add(d, oneWayTable(d, allCell, segCells));
		const groupsByVal = new Map((grouped.get(d) ?? []).map((g) => [String(g._id[d]), g]));
		for (const f of fams) {
			const interior = vals.map((v) => {
				const g = groupsByVal.get(v);
				const counts = g ? countBy(g, f.id, ladderIds) : null;
				return f.values.map((fv) => famCell(segmentKey({ [d]: v }), f.id, fv, counts));
			});
			add(
				d,
				twoWayTable(`${d}×${f.id}`, {
					interior,
					rowTotals: segCells,
					colTotals: f.values.map((fv) => cellOf(subKey(ALL_KEY, f.id, fv))),
					grandTotal: allCell
				})
			);
		}
	}
	// Pairs of dimensions.
	for (const dims of segs.filter((x) => x.length === 2)) {
		const [a, b] = dims;
		const va = values.get(a) ?? [];
		const vb = values.get(b) ?? [];
		if (!va.length || !vb.length) continue;
		add(
			byString(dims),
			twoWayTable(`${a}×${b}`, {
				interior: va.map((x) => vb.map((y) => cellOf(segmentKey({ [a]: x, [b]: y })))),
				rowTotals: va.map((x) => cellOf(segmentKey({ [a]: x }))),
				colTotals: vb.map((y) => cellOf(segmentKey({ [b]: y }))),
				grandTotal: allCell
			})
		);
	}

	const specs = [...tablesByBy.values()].flat();
	const protection = protectRelease(
		specs,
		{
			k: options.k ?? release.disclosure.k,
			dominance: options.dominance === undefined ? release.disclosure.dominance : options.dominance,
			pPercent: options.pPercent === undefined ? (release.disclosure.pPercent ?? null) : options.pPercent
		},
		options.versions ?? []
	);
	const protectedById = new Map<string, ProtectedTable>(protection.tables.map((t) => [t.id, t]));
	const status = new Map<string, { n: number; published: boolean }>();
	for (const t of protection.tables)
		for (const c of t.cells) status.set(c.key, { n: c.n, published: c.status === 'published' });
	const sizes = values.get('size') ?? [];
	for (const dims of segs)
		for (const st of Object.values(stats.get(byString(dims)) ?? {}))
			st.weightedPublishable =
				design !== null && weightedPublishable(st.segment, dims, sizes, design, (k) => status.get(k));
	if (design) design.info.published = stats.get('')?.[ALL_KEY]?.weightedPublishable === true;
	const now = new Date();
	const docs: BenchmarkDoc[] = segs.map((dims) => {
		const by = byString(dims);
		const tables: StoredTable[] = (tablesByBy.get(by) ?? []).map((t) => {
			const p = protectedById.get(t.id) as ProtectedTable;
			return {
				id: p.id,
				cells: p.cells.map((c) => ({ ...c, reasons: [...c.reasons] })),
				constraints: p.constraints
			};
		});
		return {
			_id: newId(),
			releaseId: release._id,
			by,
			dims: [...dims],
			tables,
			stats: stats.get(by) ?? {},
			createdAt: now
		};
	});
	await db.collection<BenchmarkDoc>(C.benchmarks).insertMany(docs);
	return {
		docs,
		primary: protection.primary,
		secondary: protection.secondary,
		cells: protection.cells,
		weighting: design?.info ?? null
	};
}
