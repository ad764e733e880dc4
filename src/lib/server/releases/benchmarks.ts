/**
 * Benchmarks of one release: ONE MongoDB aggregation pipeline groups the release rows by the finest
 * segmentation and returns the values of each group; the published segmentations (total, each
 * dimension, each pair) are unions of those groups. Exact type 7 percentiles, CIs and post-stratified
 * means are computed from the grouped values (MongoDB's own `$percentile` is approximate). All tables of
 * the release are then protected in ONE `protectTables` call (so differences between linked tables
 * cannot recover a suppressed cell) and materialised in `benchmarks`, one document per segmentation. */
import {
	protectTables,
	twoWayTable,
	oneWayTable,
	type Cell,
	type ProtectOptions,
	type ProtectedCell,
	type ProtectedTable,
	type TableSpec
} from '$lib/domain/disclosure';
import { meanIntervalFromMoments, postStratifiedMean, summary } from '$lib/domain/statistics';
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
	type StatBlock,
	type StoredTable,
	type WeightedBlock
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

function weighted(g: GroupedValues, registerBySize: Record<string, number>): WeightedBlock | null {
	if (Object.keys(registerBySize).length === 0) return null;
	// Sorted by stratum and value: the stratum sums then do not depend on the order rows came in
	// (which MongoDB does not define), so both engines give the same bits.
	const byStratum = new Map<string, number[]>();
	g.values.total.forEach((value, i) => {
		const list = byStratum.get(g.size[i]);
		if (list) list.push(value);
		else byStratum.set(g.size[i], [value]);
	});
	const responses = [...byStratum.keys()]
		.sort()
		.flatMap((stratum) => sortedCopy(byStratum.get(stratum) ?? []).map((value) => ({ stratum, value })));
	const est = postStratifiedMean(responses, registerBySize);
	return { n: est.n, mean: est.mean, lower: est.lower, upper: est.upper, coverage: est.coverage };
}

/** Revenues reported in the segment, largest first (the dominance rule's contributions). */
function revenuesOf(g: GroupedValues): number[] {
	return g.revenue.filter((r): r is number => r !== null).sort((a, b) => b - a);
}

function cellStats(
	g: GroupedValues,
	ladderIds: readonly string[],
	register: Record<string, number>,
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
		weighted: weighted(g, register),
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
	rules: Pick<ProtectOptions, 'k' | 'dominance'>
): ReleaseProtection {
	const withTotal = protectTables(specs, { ...rules, published: [ALL_KEY] });
	const forced = withTotal.forcedPublished.find((f) => f.key === ALL_KEY)?.reasons ?? [];
	const runs =
		forced.length === 0
			? [withTotal]
			: forced.includes('threshold')
				? [protectTables(specs, rules)]
				: [withTotal, protectTables(specs, rules)];
	const unprotected = [...new Set(runs.flatMap((r) => r.unprotected))];
	if (unprotected.length)
		throw new Error(
			`disclosure control left ${unprotected.length} cell(s) recoverable: ${unprotected.slice(0, 5).join(', ')}`
		);
	const last = runs[runs.length - 1];
	const merged = new Map<string, ProtectedCell>();
	for (const [key, cell] of last.cells) {
		const suppressed = runs.some((r) => r.cells.get(key)?.status !== 'published');
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

export interface BuildBenchmarksResult {
	docs: BenchmarkDoc[];
	primary: number;
	secondary: number;
	cells: number;
}

/**
 * Runs the pipelines for `release`, protects every table together and writes the benchmark documents.
 * `register` holds the register totals per size class for post-stratification (may be empty).
 */
export async function buildBenchmarks(
	db: Database,
	release: Pick<ReleaseDoc, '_id' | 'coverage' | 'disclosure' | 'ladderFunctions'>,
	levelIds: readonly string[],
	options: Pick<ProtectOptions, 'k' | 'dominance'> = {}
): Promise<BuildBenchmarksResult> {
	const rows = db.collection(C.releaseRows);
	const ladderIds = release.ladderFunctions.map((f) => f.id);
	const register = release.coverage.registerBySize;
	const segs = allSegmentations();
	const finest = await rows.aggregate<FinestGroup>(segmentationPipeline(release._id, ladderIds));
	const grouped = new Map<string, GroupedValues[]>();
	for (const dims of segs) grouped.set(byString(dims), mergeGroups(finest, dims, ladderIds.length));

	// Segment cells (n and the revenue magnitude with its contributions, for dominance).
	const cells = new Map<string, Cell>();
	const stats = new Map<string, Record<string, CellStats>>();
	for (const dims of segs) {
		const by = byString(dims);
		const s: Record<string, CellStats> = {};
		for (const g of grouped.get(by) ?? []) {
			const contributions = revenuesOf(g);
			const st = cellStats(g, ladderIds, register, contributions);
			s[st.key] = st;
			cells.set(st.key, { key: st.key, n: g.n, value: st.revenueBn ?? 0, contributions });
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
	const protection = protectRelease(specs, {
		k: options.k ?? release.disclosure.k,
		dominance: options.dominance === undefined ? release.disclosure.dominance : options.dominance
	});
	const protectedById = new Map<string, ProtectedTable>(protection.tables.map((t) => [t.id, t]));
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
	return { docs, primary: protection.primary, secondary: protection.secondary, cells: protection.cells };
}
