/**
 * 0/1 knapsack with a lexicographic value (primary, secondary, tertiary), all non-negative integers.
 *
 * - Exact: dynamic programming over cost units (unit = gcd of the item costs), O(n · budget/unit)
 *   time and n · budget/unit bits to recover the choice. Used when that table has at most
 *   `maxCells` cells.
 * - Otherwise, an approximation: greedy by primary value per cost (items that do not fit are skipped,
 *   later ones still tried), or the single best item if that is better. Classical bound (Dantzig's LP
 *   relaxation): the greedy prefix plus the first item that did not fit is at least the LP optimum,
 *   so the result's primary value is ≥ ½ · optimum and ≥ LP bound − (largest single primary value).
 *   The LP bound is returned so callers can show the actual worst-case gap of this instance.
 *
 * Items must come in the caller's canonical order: among equal values the earlier item wins, which
 * makes results independent of the order the data arrived in.
 */

export type Value3 = readonly [number, number, number];

export interface KnapsackItem {
	/** Positive integer. */
	cost: number;
	value: Value3;
}

export type KnapsackResult =
	| { method: 'exact-dp'; chosen: number[]; value: Value3; cost: number }
	| { method: 'greedy-approximation'; chosen: number[]; value: Value3; cost: number; upperBound: number };

export const DEFAULT_MAX_DP_CELLS = 40_000_000;

function gcd(a: number, b: number): number {
	while (b) [a, b] = [b, a % b];
	return a;
}

export function compareValue(a: Value3, b: Value3): number {
	return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function sumOf(items: readonly KnapsackItem[], chosen: readonly number[]): { value: Value3; cost: number } {
	let p = 0;
	let s = 0;
	let t = 0;
	let cost = 0;
	for (const i of chosen) {
		p += items[i].value[0];
		s += items[i].value[1];
		t += items[i].value[2];
		cost += items[i].cost;
	}
	return { value: [p, s, t], cost };
}

export function solveKnapsack(
	items: readonly KnapsackItem[],
	capacity: number,
	maxCells = DEFAULT_MAX_DP_CELLS
): KnapsackResult {
	items.forEach((it, i) => {
		if (!Number.isSafeInteger(it.cost) || it.cost <= 0)
			throw new RangeError(`item ${i}: cost must be a positive integer`);
	});
	const fits: number[] = [];
	items.forEach((it, i) => {
		if (it.cost <= capacity) fits.push(i);
	});
	if (fits.length === 0) return { method: 'exact-dp', chosen: [], value: [0, 0, 0], cost: 0 };
	let unit = 0;
	for (const i of fits) unit = gcd(unit, items[i].cost);
	const W = Math.floor(capacity / unit);
	if (fits.length * (W + 1) <= maxCells) return exact(items, fits, unit, W);
	return greedy(items, fits, capacity);
}

function exact(items: readonly KnapsackItem[], fits: number[], unit: number, W: number): KnapsackResult {
	const n = fits.length;
	const P = new Float64Array(W + 1);
	const S = new Float64Array(W + 1);
	const T = new Float64Array(W + 1);
	const stride = W + 1;
	const take = new Uint8Array(Math.ceil((n * stride) / 8));
	for (let k = 0; k < n; k++) {
		const it = items[fits[k]];
		const c = it.cost / unit;
		const [p, s, t] = it.value;
		const base = k * stride;
		// Descending capacity: each item is used at most once. Strictly better only, so ties keep
		// the earlier (canonically preferred) items.
		for (let w = W; w >= c; w--) {
			const np = P[w - c] + p;
			if (np < P[w]) continue;
			const ns = S[w - c] + s;
			const nt = T[w - c] + t;
			if (np > P[w] || ns > S[w] || (ns === S[w] && nt > T[w])) {
				P[w] = np;
				S[w] = ns;
				T[w] = nt;
				const bit = base + w;
				take[bit >> 3] |= 1 << (bit & 7);
			}
		}
	}
	const chosen: number[] = [];
	let w = W;
	for (let k = n - 1; k >= 0; k--) {
		const bit = k * stride + w;
		if (take[bit >> 3] & (1 << (bit & 7))) {
			chosen.push(fits[k]);
			w -= items[fits[k]].cost / unit;
		}
	}
	chosen.sort((a, b) => a - b);
	return { method: 'exact-dp', chosen, ...sumOf(items, chosen) };
}

function greedy(items: readonly KnapsackItem[], fits: number[], capacity: number): KnapsackResult {
	const order = fits
		.map((i) => ({
			i,
			r0: items[i].value[0] / items[i].cost,
			r1: items[i].value[1] / items[i].cost,
			r2: items[i].value[2] / items[i].cost
		}))
		.sort((a, b) => b.r0 - a.r0 || b.r1 - a.r1 || b.r2 - a.r2 || a.i - b.i);
	const chosen: number[] = [];
	let left = capacity;
	let lp = 0;
	let lpOpen = true;
	for (const { i } of order) {
		const it = items[i];
		if (it.cost <= left) {
			chosen.push(i);
			left -= it.cost;
			if (lpOpen) lp += it.value[0];
		} else if (lpOpen) {
			// Dantzig bound: the fractional part of the first item that does not fit.
			lp += (it.value[0] * left) / it.cost;
			lpOpen = false;
		}
	}
	let best = sumOf(items, chosen);
	let bestChosen = chosen;
	for (const i of fits) {
		const single = sumOf(items, [i]);
		if (compareValue(single.value, best.value) > 0) {
			best = single;
			bestChosen = [i];
		}
	}
	bestChosen = [...bestChosen].sort((a, b) => a - b);
	return { method: 'greedy-approximation', chosen: bestChosen, ...best, upperBound: lp };
}
