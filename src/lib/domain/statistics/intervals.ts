import { normalQuantile, studentTQuantile } from './distributions';

export interface MeanInterval {
	n: number;
	mean: number | null;
	sd: number | null;
	/** Standard error sd/√n; null when n < 2. */
	se: number | null;
	df: number | null;
	lower: number | null;
	upper: number | null;
	level: number;
}

function assertLevel(level: number): void {
	if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1) (got ${level})`);
}

/**
 * Confidence interval for a mean from its moments (n, mean, sample sd), e.g. as computed by an aggregation
 * pipeline: mean ± t(1 − α/2, n − 1) · sd/√n.
 */
export function meanIntervalFromMoments(
	n: number,
	mean: number | null,
	sd: number | null,
	level = 0.95
): MeanInterval {
	assertLevel(level);
	if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer (got ${n})`);
	if (n === 0 || mean === null) {
		return { n, mean: null, sd: null, se: null, df: null, lower: null, upper: null, level };
	}
	if (n < 2 || sd === null) return { n, mean, sd: null, se: null, df: null, lower: null, upper: null, level };
	if (!(sd >= 0)) throw new RangeError(`sd must be non-negative (got ${sd})`);
	const se = sd / Math.sqrt(n);
	const t = studentTQuantile(1 - (1 - level) / 2, n - 1);
	return { n, mean, sd, se, df: n - 1, lower: mean - t * se, upper: mean + t * se, level };
}

/** Student t confidence interval for the mean of `values` (default 95%). */
export function meanInterval(values: readonly number[], level = 0.95): MeanInterval {
	const n = values.length;
	for (let i = 0; i < n; i++) {
		if (!Number.isFinite(values[i]))
			throw new RangeError(`values[${i}] is not a finite number (${values[i]})`);
	}
	if (n === 0) return meanIntervalFromMoments(0, null, null, level);
	const mean = values.reduce((a, b) => a + b, 0) / n;
	const sd = n > 1 ? Math.sqrt(values.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : null;
	return meanIntervalFromMoments(n, mean, sd, level);
}

export interface ProportionInterval {
	n: number;
	successes: number;
	p: number | null;
	lower: number | null;
	upper: number | null;
	level: number;
}

/**
 * Wilson score interval for a proportion: well behaved for small n and for p near 0 or 1, where the
 * textbook p ± z·√(p(1−p)/n) collapses to a zero-width interval.
 */
export function wilsonInterval(successes: number, n: number, level = 0.95): ProportionInterval {
	assertLevel(level);
	if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer (got ${n})`);
	if (!Number.isInteger(successes) || successes < 0 || successes > n) {
		throw new RangeError(`successes must be an integer in [0, n=${n}] (got ${successes})`);
	}
	if (n === 0) return { n, successes, p: null, lower: null, upper: null, level };
	const z = normalQuantile(1 - (1 - level) / 2);
	const p = successes / n;
	const z2n = (z * z) / n;
	const centre = (p + z2n / 2) / (1 + z2n);
	const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
	// Clamp rounding noise: the exact bounds are 0 when successes = 0 and 1 when successes = n.
	return {
		n,
		successes,
		p,
		lower: successes === 0 ? 0 : Math.max(0, centre - half),
		upper: successes === n ? 1 : Math.min(1, centre + half),
		level
	};
}
