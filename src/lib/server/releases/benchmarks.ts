/**
 * Benchmarks of one release: MongoDB aggregation pipelines group the release rows by every
 * segmentation (total, each dimension, each pair) and return the values of each group; exact
 * type 7 percentiles, CIs and post-stratified means are computed from those grouped values (MongoDB's
 * own `$percentile` is approximate). All tables of the release are then protected in ONE
 * `protectTables` call (so differences between linked tables cannot recover a suppressed cell) and
 * materialised in `benchmarks`, one document per segmentation.
 */
import {
	protectTables,
	twoWayTable,
	oneWayTable,
	type Cell,
	type ProtectOptions,
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
import type {
	BenchmarkDoc,
	CellStats,
	Dimension,
	ReleaseDoc,
	StatBlock,
	StoredTable,
	WeightedBlock
} from './types';

const GROUPS = ['T', 'E', 'O', 'R', 'I'] as const;

/** What the pipeline returns per group: the values of its rows (the arrays are what percentiles need). */
interface GroupedValues {
	_id: Partial<Record<Dimension, string>>;
	n: number;
	total: number[];
	K: number[];
	T: number[];
	E: number[];
	O: number[];
	R: number[];
	I: number[];
	level: string[];
	size: string[];
	revenue: (number | null)[];
	ladders: Array<Record<string, { EXT: number | null; INT: number | null }>>;
}

/** The aggregation pipeline for one segmentation of one release (runs on either engine). */
export function segmentationPipeline(
	releaseId: string,
	dims: readonly Dimension[]
): Record<string, unknown>[] {
	const id: Record<string, string> = {};
	for (const d of dims) id[d] = `$${d}`;
	const group: Record<string, unknown> = {
		_id: id,
		n: { $sum: 1 },
		total: { $push: '$total' },
		K: { $push: '$K' },
		level: { $push: '$level' },
		size: { $push: '$size' },
		revenue: { $push: '$revenueBn' },
		ladders: { $push: '$ladders' }
	};
	for (const g of GROUPS) group[g] = { $push: `$groups.${g}` };
	return [{ $match: { releaseId } }, { $group: group }, { $sort: { _id: 1 } }];
}

export function statBlock(values: readonly number[]): StatBlock {
	const s = summary(values);
	const ci = meanIntervalFromMoments(s.n, s.mean, s.sd);
	return { ...s, lower: ci.lower, upper: ci.upper };
}

function weighted(g: GroupedValues, registerBySize: Record<string, number>): WeightedBlock | null {
	if (Object.keys(registerBySize).length === 0) return null;
	const est = postStratifiedMean(
		g.total.map((value, i) => ({ stratum: g.size[i], value })),
		registerBySize
	);
	return { n: est.n, mean: est.mean, lower: est.lower, upper: est.upper, coverage: est.coverage };
}

function cellStats(
	g: GroupedValues,
	ladderIds: readonly string[],
	register: Record<string, number>
): CellStats {
	const ladders: CellStats['ladders'] = {};
	for (const f of ladderIds) {
		const ext: number[] = [];
		const int: number[] = [];
		for (const l of g.ladders) {
			const x = l?.[f];
			if (x?.EXT !== null && x?.EXT !== undefined) ext.push(x.EXT);
			if (x?.INT !== null && x?.INT !== undefined) int.push(x.INT);
		}
		const mean = (a: number[]) => (a.length ? a.reduce((s, v) => s + v, 0) / a.length : null);
		ladders[f] = { n: int.length, EXT: mean(ext), INT: mean(int) };
	}
	const revenues = g.revenue.filter((r): r is number => typeof r === 'number');
	return {
		key: segmentKey(g._id),
		segment: { ...g._id },
		n: g.n,
		revenueBn: revenues.length ? revenues.reduce((a, b) => a + b, 0) : null,
		total: statBlock(g.total),
		K: statBlock(g.K),
		groups: Object.fromEntries(GROUPS.map((k) => [k, statBlock(g[k])])),
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

function familyValue(g: GroupedValues, family: string, i: number): string {
	if (family === 'level') return g.level[i];
	if (family === 'bin') return String(histogramBin(g.total[i]));
	const f = family.slice('ladder.'.length);
	const v = g.ladders[i]?.[f]?.INT;
	return v === null || v === undefined ? 'none' : String(v);
}

function countBy(g: GroupedValues, family: string): Map<string, number> {
	const m = new Map<string, number>();
	for (let i = 0; i < g.n; i++) {
		const v = familyValue(g, family, i);
		m.set(v, (m.get(v) ?? 0) + 1);
	}
	return m;
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
	const grouped = new Map<string, GroupedValues[]>();
	for (const dims of segs) {
		grouped.set(byString(dims), await rows.aggregate<GroupedValues>(segmentationPipeline(release._id, dims)));
	}

	// Segment cells (n and the revenue magnitude with its contributions, for dominance).
	const cells = new Map<string, Cell>();
	const stats = new Map<string, Record<string, CellStats>>();
	for (const dims of segs) {
		const by = byString(dims);
		const s: Record<string, CellStats> = {};
		for (const g of grouped.get(by) ?? []) {
			const st = cellStats(g, ladderIds, register);
			s[st.key] = st;
			const contributions = g.revenue.filter((r): r is number => typeof r === 'number');
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
		const counts = allGroup ? countBy(allGroup, f.id) : null;
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
				const counts = g ? countBy(g, f.id) : null;
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
	const result = protectTables(specs, {
		k: options.k ?? release.disclosure.k,
		dominance: options.dominance === undefined ? release.disclosure.dominance : options.dominance
	});
	if (result.unprotected.length)
		throw new Error(
			`disclosure control left ${result.unprotected.length} cell(s) recoverable: ${result.unprotected.slice(0, 5).join(', ')}`
		);
	const protectedById = new Map<string, ProtectedTable>(result.tables.map((t) => [t.id, t]));
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
	return { docs, primary: result.primaryCount, secondary: result.secondaryCount, cells: result.cells.size };
}
