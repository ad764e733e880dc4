/**
 * Percentiles. Definition (docs/statistics.md): Hyndman–Fan type 7, i.e. linear interpolation between order
 * statistics at h = (n − 1)·p — the same as Excel PERCENTILE.INC, numpy/R defaults.
 */

function assertFinite(values: readonly number[], what: string): void {
	for (let i = 0; i < values.length; i++) {
		if (typeof values[i] !== 'number' || !Number.isFinite(values[i])) {
			throw new RangeError(`${what}[${i}] is not a finite number (${String(values[i])})`);
		}
	}
}

function assertP(p: number): void {
	if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile level p must be in [0, 1] (got ${p})`);
}

/** Type 7 quantile of values already sorted ascending. Throws on an empty or unsorted input. */
export function quantile(sortedValues: readonly number[], p: number): number {
	assertP(p);
	const n = sortedValues.length;
	if (n === 0) throw new RangeError('quantile of an empty list is undefined');
	for (let i = 1; i < n; i++) {
		if (sortedValues[i] < sortedValues[i - 1]) {
			throw new RangeError(`quantile needs sorted values: index ${i} (${sortedValues[i]}) < index ${i - 1}`);
		}
	}
	const h = (n - 1) * p;
	const lo = Math.floor(h);
	const hi = Math.min(lo + 1, n - 1);
	return sortedValues[lo] + (h - lo) * (sortedValues[hi] - sortedValues[lo]);
}

export function sortAscending(values: readonly number[]): number[] {
	assertFinite(values, 'values');
	return [...values].sort((a, b) => a - b);
}

export interface Summary {
	n: number;
	mean: number | null;
	/** Sample standard deviation (divisor n − 1); null when n < 2. */
	sd: number | null;
	min: number | null;
	p25: number | null;
	median: number | null;
	p75: number | null;
	p90: number | null;
	max: number | null;
}

const EMPTY: Summary = {
	n: 0,
	mean: null,
	sd: null,
	min: null,
	p25: null,
	median: null,
	p75: null,
	p90: null,
	max: null
};

/** n, mean, sample sd and type 7 percentiles. An empty list gives n = 0 and nulls (JSON-safe, no NaN). */
export function summary(values: readonly number[]): Summary {
	const s = sortAscending(values);
	const n = s.length;
	if (n === 0) return { ...EMPTY };
	const mean = s.reduce((a, b) => a + b, 0) / n;
	let ss = 0;
	for (const x of s) ss += (x - mean) ** 2;
	return {
		n,
		mean,
		sd: n > 1 ? Math.sqrt(ss / (n - 1)) : null,
		min: s[0],
		p25: quantile(s, 0.25),
		median: quantile(s, 0.5),
		p75: quantile(s, 0.75),
		p90: quantile(s, 0.9),
		max: s[n - 1]
	};
}

interface WeightedPoint {
	x: number;
	w: number;
}

function weightedPoints(values: readonly number[], weights: readonly number[]): WeightedPoint[] {
	if (values.length !== weights.length) {
		throw new RangeError(`values (${values.length}) and weights (${weights.length}) differ in length`);
	}
	assertFinite(values, 'values');
	assertFinite(weights, 'weights');
	const pts: WeightedPoint[] = [];
	for (let i = 0; i < values.length; i++) {
		if (weights[i] < 0) throw new RangeError(`weights[${i}] is negative (${weights[i]})`);
		if (weights[i] > 0) pts.push({ x: values[i], w: weights[i] });
	}
	return pts.sort((a, b) => a.x - b.x);
}

function weightedQuantileSorted(pts: readonly WeightedPoint[], p: number): number {
	const n = pts.length;
	if (n === 1) return pts[0].x;
	// Akinshin (2023), weighted Hyndman–Fan type 7: type 7 is a weighted sum of order statistics whose
	// weights are the mass of a uniform window of width 1/n placed at (h − 1)/n, h = (n − 1)p + 1, over the
	// ECDF steps. Replacing n by Kish's effective size n* = (Σw)²/Σw² and the steps i/n by the cumulative
	// weight shares gives the weighted estimator; equal weights give exactly type 7.
	let W = 0;
	let W2 = 0;
	for (const q of pts) {
		W += q.w;
		W2 += q.w * q.w;
	}
	const nStar = (W * W) / W2;
	const h = (nStar - 1) * p + 1;
	const lo = (h - 1) / nStar;
	const F = (u: number): number => Math.min(1, Math.max(0, (u - lo) * nStar));
	let cum = 0;
	let prevF = 0;
	let result = 0;
	for (let i = 0; i < n; i++) {
		cum += pts[i].w;
		const Fi = F(i === n - 1 ? 1 : cum / W);
		result += (Fi - prevF) * pts[i].x;
		prevF = Fi;
	}
	return result;
}

/**
 * Weighted type 7 quantile (unsorted input). Observations with weight 0 are ignored; negative weights throw.
 * Reduces exactly to {@link quantile} when all weights are equal. Smooth: for unequal weights p = 0 and
 * p = 1 need not give the minimum and maximum (report those from the data, as {@link weightedSummary} does).
 */
export function weightedQuantile(values: readonly number[], weights: readonly number[], p: number): number {
	assertP(p);
	const pts = weightedPoints(values, weights);
	if (pts.length === 0) throw new RangeError('weighted quantile needs at least one positive weight');
	return weightedQuantileSorted(pts, p);
}

export interface WeightedSummary extends Summary {
	/** Sum of weights: the estimated population size when the weights are post-stratification weights. */
	sumWeights: number;
}

/**
 * Weighted n (count of observations with weight > 0), mean Σwx/Σw, sd and quantiles.
 * sd = sqrt(Σw(x − m)²/Σw · n/(n − 1)): the weighted variance with the small-sample correction, so equal
 * weights give the ordinary sample sd.
 */
export function weightedSummary(values: readonly number[], weights: readonly number[]): WeightedSummary {
	const pts = weightedPoints(values, weights);
	const n = pts.length;
	if (n === 0) return { ...EMPTY, sumWeights: 0 };
	const W = pts.reduce((a, q) => a + q.w, 0);
	const mean = pts.reduce((a, q) => a + q.w * q.x, 0) / W;
	const v = pts.reduce((a, q) => a + q.w * (q.x - mean) ** 2, 0) / W;
	return {
		n,
		sumWeights: W,
		mean,
		sd: n > 1 ? Math.sqrt((v * n) / (n - 1)) : null,
		min: pts[0].x,
		p25: weightedQuantileSorted(pts, 0.25),
		median: weightedQuantileSorted(pts, 0.5),
		p75: weightedQuantileSorted(pts, 0.75),
		p90: weightedQuantileSorted(pts, 0.9),
		max: pts[n - 1].x
	};
}

/**
 * Percentile rank of `value` among `peers`, in [0, 100]: the share of peers strictly below plus half the share
 * equal to it ("mid-rank"). Whether the enterprise itself is among `peers` is the caller's choice (the
 * scorecard includes it: a release row is one of its own sector's peers). Null when there are no peers.
 */
export function percentileRank(value: number, peers: readonly number[]): number | null {
	if (!Number.isFinite(value)) throw new RangeError(`value is not a finite number (${value})`);
	assertFinite(peers, 'peers');
	if (peers.length === 0) return null;
	let below = 0;
	let equal = 0;
	for (const x of peers) {
		if (x < value) below++;
		else if (x === value) equal++;
	}
	return (100 * (below + equal / 2)) / peers.length;
}

/** Weighted {@link percentileRank}: weight shares instead of counts. */
export function weightedPercentileRank(
	value: number,
	peers: readonly number[],
	weights: readonly number[]
): number | null {
	if (!Number.isFinite(value)) throw new RangeError(`value is not a finite number (${value})`);
	const pts = weightedPoints(peers, weights);
	const W = pts.reduce((a, q) => a + q.w, 0);
	if (W === 0) return null;
	let below = 0;
	let equal = 0;
	for (const q of pts) {
		if (q.x < value) below += q.w;
		else if (q.x === value) equal += q.w;
	}
	return (100 * (below + equal / 2)) / W;
}
