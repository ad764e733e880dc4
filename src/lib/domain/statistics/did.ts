import { studentTQuantile } from './distributions';

/** One enterprise assessed before and after a support period. */
export interface DidObservation {
	before: number;
	after: number;
	/** Supported by the programme in between. */
	treated: boolean;
}

export interface DidEstimate {
	/** Mean change of the treated minus mean change of the controls; null if a group is empty. */
	estimate: number | null;
	nTreated: number;
	nControl: number;
	meanChangeTreated: number | null;
	meanChangeControl: number | null;
	/** Welch standard error √(s_T²/n_T + s_C²/n_C); null unless both groups have n ≥ 2. */
	se: number | null;
	/** Welch–Satterthwaite degrees of freedom. */
	df: number | null;
	lower: number | null;
	upper: number | null;
	level: number;
}

function moments(xs: number[]): { n: number; mean: number | null; variance: number | null } {
	const n = xs.length;
	if (n === 0) return { n, mean: null, variance: null };
	const mean = xs.reduce((a, b) => a + b, 0) / n;
	const variance = n > 1 ? xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1) : null;
	return { n, mean, variance };
}

/**
 * Difference-in-differences on a two-period panel: DiD = mean(after − before | treated) −
 * mean(after − before | control), with a Welch (unequal variances) t interval on the changes.
 * Not causal by itself: support was not randomised (see docs/statistics.md).
 */
export function differenceInDifferences(rows: readonly DidObservation[], level = 0.95): DidEstimate {
	if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1) (got ${level})`);
	const t: number[] = [];
	const c: number[] = [];
	rows.forEach((r, i) => {
		if (!Number.isFinite(r.before))
			throw new RangeError(`rows[${i}].before is not a finite number (${r.before})`);
		if (!Number.isFinite(r.after))
			throw new RangeError(`rows[${i}].after is not a finite number (${r.after})`);
		if (typeof r.treated !== 'boolean') throw new RangeError(`rows[${i}].treated must be true or false`);
		(r.treated ? t : c).push(r.after - r.before);
	});
	const T = moments(t);
	const C = moments(c);
	const estimate = T.mean !== null && C.mean !== null ? T.mean - C.mean : null;
	const out: DidEstimate = {
		estimate,
		nTreated: T.n,
		nControl: C.n,
		meanChangeTreated: T.mean,
		meanChangeControl: C.mean,
		se: null,
		df: null,
		lower: null,
		upper: null,
		level
	};
	if (estimate === null || T.variance === null || C.variance === null) return out;
	const a = T.variance / T.n;
	const b = C.variance / C.n;
	const se = Math.sqrt(a + b);
	// Both groups without variation: Welch df is 0/0; the interval is degenerate anyway.
	const df = a + b > 0 ? (a + b) ** 2 / ((a * a) / (T.n - 1) + (b * b) / (C.n - 1)) : T.n + C.n - 2;
	const q = studentTQuantile(1 - (1 - level) / 2, df);
	return { ...out, se, df, lower: estimate - q * se, upper: estimate + q * se };
}
