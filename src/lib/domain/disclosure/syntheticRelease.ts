/**
 * A synthetic release's linked tables, shaped like the ones the release build protects (benchmarks.ts):
 * the total; one-way distributions (level, score bin, five technology ladders); four segment dimensions
 * (size, ownership, ward, VSIC) each as a one-way table and crossed with every distribution; and every
 * pair of dimensions. Segment cells carry revenue and its contributions (for dominance). Deterministic for
 * a seed, so benchmarks and tests run the same input anywhere (the real dumps are not in the repository).
 * Not used by the application.
 */
import type { Cell } from './cells';
import { oneWayTable, twoWayTable, type TableSpec } from './tables';

export interface SyntheticReleaseOptions {
	/** Number of responding enterprises. */
	responses: number;
	seed?: number;
	/** Number of wards (45 in the real dumps); fewer gives a smaller input. */
	wards?: number;
	/** Number of VSIC codes (21 in the real dumps). */
	vsics?: number;
	/** Number of technology ladders (5 in the real dumps). */
	ladders?: number;
}

/** mulberry32: small, fast and reproducible across platforms. */
function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Draw an index with probability ∝ weights[i]. */
function draw(rand: () => number, weights: readonly number[]): number {
	const total = weights.reduce((a, b) => a + b, 0);
	let x = rand() * total;
	for (let i = 0; i < weights.length; i++) {
		x -= weights[i];
		if (x < 0) return i;
	}
	return weights.length - 1;
}

const zipf = (count: number): number[] => Array.from({ length: count }, (_, i) => 1 / (i + 1));

export function syntheticRelease(options: SyntheticReleaseOptions): TableSpec[] {
	const { responses, seed = 1, wards = 45, vsics = 21, ladders = 5 } = options;
	if (!Number.isInteger(responses) || responses < 1)
		throw new RangeError(`responses must be a positive integer (got ${responses})`);
	const rand = rng(seed);
	const dims: Array<{ id: string; values: string[]; weights: number[] }> = [
		{ id: 'size', values: ['micro', 'small', 'medium', 'large'], weights: [2, 4, 2.5, 1.5] },
		{ id: 'ownership', values: ['state', 'private', 'fdi'], weights: [1, 6, 2] },
		{ id: 'ward', values: Array.from({ length: wards }, (_, i) => `w${i}`), weights: zipf(wards) },
		{ id: 'vsic', values: Array.from({ length: vsics }, (_, i) => `v${2500 + i}`), weights: zipf(vsics) }
	];
	const fams: Array<{ id: string; values: string[]; weights: number[] }> = [
		{ id: 'level', values: ['l1', 'l2', 'l3', 'l4', 'l5'], weights: [7, 8, 3.5, 1.2, 0.3] },
		{
			id: 'bin',
			values: Array.from({ length: 10 }, (_, i) => String(i)),
			weights: [1, 2, 4, 6, 7, 6, 4, 2, 1, 0.5]
		},
		...Array.from({ length: ladders }, (_, i) => ({
			id: `ladder${i}`,
			values: ['1', '2', '3', '4', '5', 'none'],
			weights: [5, 7, 5, 2, 0.6, 0.2]
		}))
	];
	const rows = Array.from({ length: responses }, () => ({
		dim: dims.map((d) => d.values[draw(rand, d.weights)]),
		fam: fams.map((f) => f.values[draw(rand, f.weights)]),
		// Integer revenue so sums are exact; heavy-tailed so that dominance fires now and then.
		revenue: Math.max(1, Math.round(Math.exp(3 + 1.6 * (rand() + rand() + rand() - 1.5) * 2)))
	}));

	const segKey = (sel: Array<[number, string]>): string =>
		sel.length === 0 ? 'all' : sel.map(([d, v]) => `${dims[d].id}=${v}`).join('|');
	const segCell = (sel: Array<[number, string]>): Cell => {
		const contributions = rows.filter((r) => sel.every(([d, v]) => r.dim[d] === v)).map((r) => r.revenue);
		return {
			key: segKey(sel),
			n: contributions.length,
			value: contributions.reduce((a, b) => a + b, 0),
			contributions
		};
	};
	const famCell = (sel: Array<[number, string]>, f: number, v: string): Cell => ({
		key: `${segKey(sel)}|${fams[f].id}=${v}`,
		n: rows.filter((r) => r.fam[f] === v && sel.every(([d, x]) => r.dim[d] === x)).length
	});

	const all = segCell([]);
	const specs: TableSpec[] = [{ id: 'all', cells: [all], constraints: [] }];
	const famMargins = fams.map((f, fi) => f.values.map((v) => famCell([], fi, v)));
	fams.forEach((f, fi) => specs.push(oneWayTable(f.id, all, famMargins[fi])));
	const dimCells = dims.map((d, di) => d.values.map((v) => segCell([[di, v]])));
	dims.forEach((d, di) => {
		specs.push(oneWayTable(d.id, all, dimCells[di]));
		fams.forEach((f, fi) =>
			specs.push(
				twoWayTable(`${d.id}×${f.id}`, {
					interior: d.values.map((v) => f.values.map((fv) => famCell([[di, v]], fi, fv))),
					rowTotals: dimCells[di],
					colTotals: famMargins[fi],
					grandTotal: all
				})
			)
		);
	});
	for (let a = 0; a < dims.length; a++)
		for (let b = a + 1; b < dims.length; b++)
			specs.push(
				twoWayTable(`${dims[a].id}×${dims[b].id}`, {
					interior: dims[a].values.map((x) =>
						dims[b].values.map((y) =>
							segCell([
								[a, x],
								[b, y]
							])
						)
					),
					rowTotals: dimCells[a],
					colTotals: dimCells[b],
					grandTotal: all
				})
			);
	return specs;
}
