/**
 * Disclosure control for the statistics of a published cell, not only its count.
 *
 * A cell that passes the threshold rule (n ≥ k) is published, but its statistics can still give members
 * away: with n = 5, p25/median/p75 ARE the 2nd/3rd/4th values, p90 gives the largest and the mean the
 * smallest; with n = 6 the sd closes the system. The rules below decide, per statistic, whether and how
 * finely it is published (docs/sector-database.md §4):
 *
 * - mean: published with the cell, rounded (a mean × n is a sum: protected by the cell's own rules,
 *   the p % rule on every score and money magnitude and secondary suppression across tables);
 * - sd and confidence intervals (an interval is mean ± t·sd/√n, so it gives the sd away): only when
 *   n ≥ `minNSpread` (10), rounded; interval bounds rounded outward;
 * - percentiles: each only when n ≥ its own minimum (p25, median, p75: 10; p90: 20, so that at least two
 *   enterprises lie above it), rounded to a coarse grid (1 point for scores). A type 7 percentile whose
 *   h = (n − 1)p is a whole number IS one member's value (the median of an odd cell): the grid keeps that
 *   unidentified member's value to a whole-point interval, as for any published median;
 * - min and max: never (they are single enterprises' values).
 *
 * Pure: no SvelteKit, no database. The caller applies these rules to PUBLIC views only; viewers with
 * microdata rights see the unrounded figures.
 */

/** What a statistic measures: decides the rounding grid. */
export type MeasureKind = 'score' | 'coefficient' | 'ladder' | 'money';

export const PERCENTILES = ['p25', 'median', 'p75', 'p90'] as const;
export type PercentileName = (typeof PERCENTILES)[number];

export interface RoundingGrid {
	/** Means and interval bounds. */
	mean: number;
	/** Standard deviations. */
	spread: number;
	/** Percentiles. */
	percentile: number;
}

export interface StatisticRules {
	/** sd and confidence intervals only for n ≥ this. Default 10. */
	minNSpread: number;
	/** Each percentile only for n ≥ its minimum. Default p25/median/p75 10, p90 20. */
	minNPercentile: Record<PercentileName, number>;
	/** Rounding grid per kind of measure (0 = no rounding). */
	rounding: Record<MeasureKind, RoundingGrid>;
}

export const DEFAULT_STATISTIC_RULES: StatisticRules = Object.freeze({
	minNSpread: 10,
	minNPercentile: Object.freeze({ p25: 10, median: 10, p75: 10, p90: 20 }),
	rounding: Object.freeze({
		// Total (0–100) and group scores (0–14 … 0–30 points).
		score: Object.freeze({ mean: 0.1, spread: 0.1, percentile: 1 }),
		// K in [0, 1].
		coefficient: Object.freeze({ mean: 0.001, spread: 0.001, percentile: 0.01 }),
		// FAT ladder steps 1–5.
		ladder: Object.freeze({ mean: 0.01, spread: 0.01, percentile: 0.1 }),
		// Revenue sums, bn VND.
		money: Object.freeze({ mean: 1, spread: 1, percentile: 1 })
	})
}) as StatisticRules;

function positiveInt(x: number, what: string): void {
	if (!Number.isInteger(x) || x < 1) throw new RangeError(`${what} must be a positive integer (got ${x})`);
}

/** Merges partial rules over the defaults and validates them. */
export function resolveStatisticRules(options: Partial<StatisticRules> = {}): StatisticRules {
	const rules: StatisticRules = {
		minNSpread: options.minNSpread ?? DEFAULT_STATISTIC_RULES.minNSpread,
		minNPercentile: { ...DEFAULT_STATISTIC_RULES.minNPercentile, ...options.minNPercentile },
		rounding: { ...DEFAULT_STATISTIC_RULES.rounding, ...options.rounding }
	};
	positiveInt(rules.minNSpread, 'minNSpread');
	for (const p of PERCENTILES) positiveInt(rules.minNPercentile[p], `minNPercentile.${p}`);
	for (const [kind, g] of Object.entries(rules.rounding))
		for (const [what, base] of Object.entries(g))
			if (!(Number.isFinite(base) && base >= 0))
				throw new RangeError(`rounding.${kind}.${what} must be a non-negative number (got ${base})`);
	return rules;
}

/**
 * x rounded to a multiple of `base` (half away from zero), without binary noise (0.1 + 0.2 stays 0.3):
 * the result is the multiple written with as many decimals as the base has. base 0 leaves x as it is.
 */
export function roundTo(x: number, base: number, mode: 'nearest' | 'down' | 'up' = 'nearest'): number {
	if (base === 0 || !Number.isFinite(x)) return x;
	const q = x / base;
	// A tolerance so that 2.675 / 0.01 = 267.49999… still counts as the half it is.
	const eps = 1e-9;
	const m =
		mode === 'down'
			? Math.floor(q + eps)
			: mode === 'up'
				? Math.ceil(q - eps)
				: Math.sign(q) * Math.floor(Math.abs(q) + 0.5 + eps);
	const decimals = Math.max(0, Math.ceil(-Math.log10(base) - 1e-12));
	const r = Number((m * base).toFixed(Math.min(20, decimals + 2)));
	return Object.is(r, -0) ? 0 : r;
}

/** The statistics published for one measure of one cell (the shape of releases' StatBlock). */
export interface StatisticBlock {
	n: number;
	mean: number | null;
	sd: number | null;
	min: number | null;
	p25: number | null;
	median: number | null;
	p75: number | null;
	p90: number | null;
	max: number | null;
	lower: number | null;
	upper: number | null;
}

const r = (x: number | null, base: number, mode: 'nearest' | 'down' | 'up' = 'nearest') =>
	x === null ? null : roundTo(x, base, mode);

/**
 * The public form of a block: min/max withheld, sd and interval only from `minNSpread`, each
 * percentile from its own minimum, everything rounded to the grid of `kind`. Other fields of the
 * block (e.g. a weighted block's coverage) are kept.
 */
export function publicStatisticBlock<B extends StatisticBlock>(
	block: B,
	kind: MeasureKind,
	rules: StatisticRules = DEFAULT_STATISTIC_RULES
): B {
	const g = rules.rounding[kind];
	const spread = block.n >= rules.minNSpread;
	const out: B = {
		...block,
		min: null,
		max: null,
		mean: r(block.mean, g.mean),
		sd: spread ? r(block.sd, g.spread) : null,
		lower: spread ? r(block.lower, g.mean, 'down') : null,
		upper: spread ? r(block.upper, g.mean, 'up') : null
	};
	for (const p of PERCENTILES) out[p] = block.n >= rules.minNPercentile[p] ? r(block[p], g.percentile) : null;
	return out;
}

/** Which statistics a block of n members publishes under `rules` (for legends and docs). */
export function publishedStatistics(
	n: number,
	rules: StatisticRules = DEFAULT_STATISTIC_RULES
): Array<'n' | 'mean' | 'sd' | 'interval' | PercentileName> {
	const out: Array<'n' | 'mean' | 'sd' | 'interval' | PercentileName> = ['n', 'mean'];
	if (n >= rules.minNSpread) out.push('sd', 'interval');
	for (const p of PERCENTILES) if (n >= rules.minNPercentile[p]) out.push(p);
	return out;
}
