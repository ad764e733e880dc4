/**
 * The gap map: which segments need support most (share of enterprises below the
 * `trung-binh-tien-tien` level, mean points missing to the next level) and how many enterprises a
 * programme would reach there (n). Published under the sector database's disclosure control:
 * threshold k with secondary suppression across the cross table, its one-way margins and the total
 * (counts and counts below are additive). A suppressed segment shows ':c' and none of its figures.
 */
import {
	applyRole,
	CONFIDENTIAL_FLAG,
	oneWayTable,
	protectTables,
	type Cell,
	type Constraint,
	type ReleasedTable,
	type TableSpec,
	type ViewerRights
} from '$lib/domain/disclosure';
import type { LevelDef } from '$lib/domain/rubric';
import { gapToNext, levelIndex } from '$lib/domain/targeting';
import { ALL_KEY, segmentKey } from '../releases/segments';
import { DIMENSIONS, type Dimension } from '../releases/types';
import type { Database } from '../db/types';
import { rowAccessOf } from '../authz';
import { auditingRefusals } from './refusals';
import { loadSource } from './sources';
import { PolicyError, policyRights, type PolicyRow, type Viewer } from './types';

/** Circular 17's third level: "below average-advanced" is the need indicator. */
export const NEED_LEVEL = 'trung-binh-tien-tien';

export interface GapSegment {
	key: string;
	segment: Partial<Record<Dimension, string>>;
	n: number | null;
	suppressed: boolean;
	flag: typeof CONFIDENTIAL_FLAG | null;
	/** Enterprises below {@link NEED_LEVEL}. */
	below: number | null;
	shareBelow: number | null;
	/** Mean total points missing to the next level, over enterprises not at the top level. */
	meanGap: number | null;
}

export type GapOrder = 'need' | 'reach';

export interface GapMap {
	dims: Dimension[];
	k: number;
	view: 'public' | 'microdata';
	order: GapOrder;
	total: GapSegment;
	segments: GapSegment[];
	/** One-way margins of each dimension (only when dims has more than one). */
	margins: Record<string, GapSegment[]>;
	suppressed: number;
	/** The protected table as released to this viewer (for audits and the intruder test). */
	tables: ReleasedTable[];
}

/** `by`: one to four of size, ownership, ward, vsic (comma-separated), canonical order. */
export function parseGapDims(raw: string | null | undefined): Dimension[] {
	const s = (raw ?? '').trim();
	if (s === '') return ['size'];
	const parts = s.split(',').map((x) => x.trim());
	const out = new Set<Dimension>();
	for (const p of parts) {
		if (!(DIMENSIONS as readonly string[]).includes(p))
			throw new PolicyError({
				vi: `Chiều phân tổ "${p.slice(0, 40)}" không hợp lệ (dùng ${DIMENSIONS.join(', ')}).`,
				en: `Unknown segment dimension "${p.slice(0, 40)}" (use ${DIMENSIONS.join(', ')}).`
			});
		out.add(p as Dimension);
	}
	return DIMENSIONS.filter((d) => out.has(d));
}

interface Acc {
	segment: Partial<Record<Dimension, string>>;
	n: number;
	below: number;
	gapSum: number;
	gapN: number;
}

const valueOf = (r: PolicyRow, d: Dimension): string => r[d] ?? 'unknown';

/** Builds the gap map of `rows`; `rights.microdata` shows suppressed figures (still flagged). */
export function gapMap(
	rows: readonly PolicyRow[],
	opts: {
		levels: readonly LevelDef[];
		dims: Dimension[];
		k: number;
		rights: ViewerRights;
		order?: GapOrder;
		decimals?: number;
	}
): GapMap {
	const { levels, dims } = opts;
	if (dims.length === 0) throw new RangeError('gap map needs at least one dimension');
	const needIdx = levelIndex(levels, NEED_LEVEL);
	const interior = new Map<string, Acc>();
	const margins = new Map<string, Acc>();
	const total: Acc = { segment: {}, n: 0, below: 0, gapSum: 0, gapN: 0 };
	const add = (a: Acc, below: boolean, gap: number | null) => {
		a.n++;
		if (below) a.below++;
		if (gap !== null) {
			a.gapSum += gap;
			a.gapN++;
		}
	};
	for (const r of rows) {
		const below = levelIndex(levels, r.level) < needIdx;
		const g = gapToNext(levels, r, opts.decimals ?? 2);
		const gap = g.next ? g.points : null;
		const seg = Object.fromEntries(dims.map((d) => [d, valueOf(r, d)])) as Partial<Record<Dimension, string>>;
		const key = segmentKey(seg);
		let acc = interior.get(key);
		if (!acc) interior.set(key, (acc = { segment: seg, n: 0, below: 0, gapSum: 0, gapN: 0 }));
		add(acc, below, gap);
		if (dims.length > 1)
			for (const d of dims) {
				const mseg = { [d]: valueOf(r, d) };
				const mkey = segmentKey(mseg);
				let m = margins.get(mkey);
				if (!m) margins.set(mkey, (m = { segment: mseg, n: 0, below: 0, gapSum: 0, gapN: 0 }));
				add(m, below, gap);
			}
		add(total, below, gap);
	}

	// Cells carry n and the count below (both additive); shares and mean gaps follow the cell's status.
	const cell = (key: string, a: Acc): Cell => ({ key, n: a.n, value: a.below });
	const totalCell = cell(ALL_KEY, total);
	const interiorCells = [...interior]
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([k, a]) => cell(k, a));
	let tables: TableSpec[];
	if (dims.length === 1) tables = [oneWayTable(dims[0], totalCell, interiorCells)];
	else {
		const constraints: Constraint[] = [{ total: ALL_KEY, parts: interiorCells.map((c) => c.key) }];
		const marginCells: Cell[] = [];
		for (const d of dims) {
			const ms = [...margins]
				.filter(([, a]) => a.segment[d] !== undefined)
				.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
			constraints.push({ total: ALL_KEY, parts: ms.map(([k]) => k) });
			for (const [mk, m] of ms) {
				marginCells.push(cell(mk, m));
				constraints.push({
					total: mk,
					parts: interiorCells
						.filter((c) => interior.get(c.key)?.segment[d] === m.segment[d])
						.map((c) => c.key)
				});
			}
		}
		tables = [{ id: dims.join('×'), cells: [...interiorCells, ...marginCells, totalCell], constraints }];
	}
	const prot = protectTables(tables, { k: opts.k, dominance: null });
	const released = prot.tables.map((t) => applyRole(t, opts.rights));
	const byKey = new Map(released.flatMap((t) => t.cells.map((c) => [c.key, c] as const)));

	const view = (key: string, a: Acc): GapSegment => {
		const c = byKey.get(key);
		const suppressed = c?.suppressed ?? true;
		const hidden = suppressed && !opts.rights.microdata;
		return {
			key,
			segment: a.segment,
			n: hidden ? null : a.n,
			suppressed,
			flag: suppressed ? CONFIDENTIAL_FLAG : null,
			below: hidden ? null : a.below,
			shareBelow: hidden || a.n === 0 ? null : a.below / a.n,
			meanGap: hidden || a.gapN === 0 ? null : Math.round((a.gapSum / a.gapN) * 100) / 100
		};
	};
	const order = opts.order ?? 'need';
	const segments = [...interior].map(([k, a]) => view(k, a)).sort(rank(order));
	const marginViews: Record<string, GapSegment[]> = {};
	if (dims.length > 1)
		for (const d of dims)
			marginViews[d] = [...margins]
				.filter(([, a]) => a.segment[d] !== undefined)
				.map(([k, a]) => view(k, a))
				.sort(rank(order));
	return {
		dims,
		k: opts.k,
		view: opts.rights.microdata ? 'microdata' : 'public',
		order,
		total: view(ALL_KEY, total),
		segments,
		margins: marginViews,
		suppressed: segments.filter((s) => s.suppressed).length,
		tables: released
	};
}

/**
 * Ranking: 'need' = share below desc, then mean gap desc, then n desc; 'reach' = n desc, then share
 * below desc. Withheld segments go last in key order (their position must not hint at their figures).
 */
function rank(order: GapOrder): (a: GapSegment, b: GapSegment) => number {
	const v = (x: number | null) => x ?? -1;
	return (a, b) => {
		const ha = a.n === null ? 1 : 0;
		const hb = b.n === null ? 1 : 0;
		if (ha !== hb) return ha - hb;
		if (ha === 0) {
			const d =
				order === 'need'
					? v(b.shareBelow) - v(a.shareBelow) || v(b.meanGap) - v(a.meanGap) || v(b.n) - v(a.n)
					: v(b.n) - v(a.n) || v(b.shareBelow) - v(a.shareBelow);
			if (d) return d;
		}
		return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
	};
}

/**
 * The gap map of a source for a viewer: the source is loaded under the viewer's row-level
 * entitlement (unpublished sources refused unless they see every row) and protected with the
 * viewer's disclosure rights. The protected tables stay on the server.
 */
export async function gapMapFor(
	db: Database,
	input: { sourceId: string; dims: Dimension[]; order?: GapOrder },
	viewer: Pick<Viewer, 'role' | 'microdata'> | null
): Promise<{ map: Omit<GapMap, 'tables'>; skipped: number }> {
	const loaded = await auditingRefusals(db, viewer, { path: 'policy', sourceIds: [input.sourceId] }, () =>
		loadSource(db, input.sourceId, rowAccessOf(viewer))
	);
	const { tables: _t, ...map } = gapMap(loaded.rows, {
		levels: loaded.rescorer.levels,
		dims: input.dims,
		k: loaded.source.k,
		rights: policyRights(viewer),
		order: input.order
	});
	void _t;
	return { map, skipped: loaded.skipped };
}
