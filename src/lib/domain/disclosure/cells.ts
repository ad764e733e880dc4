/**
 * Cells and primary suppression rules (METHODOLOGY §5).
 * A cell is one segment of a published table: its number of contributing enterprises `n`, optionally an
 * additive magnitude `value` (a sum, e.g. total revenue) and the per-enterprise `contributions` to it.
 * Means, shares and percentiles published for the cell follow the cell's status.
 */
export interface Cell {
	key: string;
	/** Number of contributing enterprises (respondents) in the cell. */
	n: number;
	/** Additive magnitude for the cell (a sum), if the table publishes one. */
	value?: number | null;
	/** Per-enterprise contributions to `value`, for the dominance rule. Never published. */
	contributions?: readonly number[];
	/**
	 * Per-enterprise contributions to other additive magnitudes published for the cell (a mean × n is a
	 * sum: total score, K, group scores, revenue), checked by the p % rule. Never published.
	 */
	magnitudes?: Readonly<Record<string, readonly number[]>>;
	/** Reasons decided outside the cell's own figures (e.g. 'version': see versions.ts). */
	forced?: readonly PrimaryReason[];
}

/**
 * threshold: fewer than k enterprises; dominance: top contributors hold most of a magnitude;
 * p-percent: the second-largest contributor could estimate the largest one within p %;
 * version: the cell differs from an earlier published version of the release by fewer than k enterprises.
 */
export type PrimaryReason = 'threshold' | 'dominance' | 'p-percent' | 'version';
export type CellStatus = 'published' | 'suppressed-primary' | 'suppressed-secondary';

export interface DominanceRule {
	/** Number of largest contributors considered (1 or 2 in practice). */
	topN: number;
	/** Suppress when their share of the cell total is strictly greater than this (0–1). */
	share: number;
}

export interface DisclosureRules {
	/** Threshold rule: suppress when 0 < n < k (or n < k with suppressEmpty). Default 5. */
	k: number;
	/** Dominance (n, k) rule for magnitudes; null disables it. Default top 2 > 85 %. */
	dominance: DominanceRule | null;
	/** Also suppress empty cells (n = 0). Default false: an empty cell discloses no enterprise's data. */
	suppressEmpty: boolean;
	/**
	 * p % rule on every magnitude in `Cell.magnitudes`: withhold when Σ of all but the two largest
	 * contributions < p × the largest (0–1); null disables it. Default 0.10.
	 */
	pPercent: number | null;
}

export const DEFAULT_RULES: DisclosureRules = Object.freeze({
	k: 5,
	dominance: Object.freeze({ topN: 2, share: 0.85 }),
	suppressEmpty: false,
	pPercent: 0.1
});

/** Merge user options over the defaults and validate them. */
export function resolveRules(options: Partial<DisclosureRules> = {}): DisclosureRules {
	const rules: DisclosureRules = {
		k: options.k ?? DEFAULT_RULES.k,
		dominance: options.dominance === undefined ? DEFAULT_RULES.dominance : options.dominance,
		suppressEmpty: options.suppressEmpty ?? DEFAULT_RULES.suppressEmpty,
		pPercent: options.pPercent === undefined ? DEFAULT_RULES.pPercent : options.pPercent
	};
	if (rules.pPercent !== null && !(rules.pPercent > 0 && rules.pPercent < 1))
		throw new RangeError(`p % rule p must be in (0, 1) (got ${rules.pPercent})`);
	if (!Number.isInteger(rules.k) || rules.k < 1) {
		throw new RangeError(`threshold k must be a positive integer (got ${rules.k})`);
	}
	if (rules.dominance) {
		const { topN, share } = rules.dominance;
		if (!Number.isInteger(topN) || topN < 1) {
			throw new RangeError(`dominance topN must be a positive integer (got ${topN})`);
		}
		if (!(share > 0 && share < 1)) throw new RangeError(`dominance share must be in (0, 1) (got ${share})`);
	}
	return rules;
}

/**
 * Share of the cell total held by its `topN` largest contributors (absolute values, so that a negative
 * contribution cannot mask a dominant one). Null when the total is 0 or there are no contributions.
 */
export function dominanceShare(contributions: readonly number[], topN: number): number | null {
	if (contributions.length === 0) return null;
	const abs = contributions.map((x, i) => {
		if (!Number.isFinite(x)) throw new RangeError(`contributions[${i}] is not a finite number (${x})`);
		return Math.abs(x);
	});
	const total = abs.reduce((a, b) => a + b, 0);
	if (total === 0) return null;
	abs.sort((a, b) => b - a);
	const top = abs.slice(0, topN).reduce((a, b) => a + b, 0);
	return top / total;
}

/**
 * The p % rule (Hundepool et al., Statistical Disclosure Control, 2012, §4.2): the second-largest
 * contributor x₂ knows the cell total and its own value, so it can bound the largest x₁ by the total
 * minus x₂, with an error of the remainder R = Σ of the other contributions. The cell is sensitive when
 * R < p·x₁. Absolute values; false when there is no non-zero contribution.
 */
export function failsPPercent(contributions: readonly number[], p: number): boolean {
	const abs = contributions.map((x, i) => {
		if (!Number.isFinite(x)) throw new RangeError(`contributions[${i}] is not a finite number (${x})`);
		return Math.abs(x);
	});
	if (abs.length === 0) return false;
	abs.sort((a, b) => b - a);
	if (abs[0] === 0) return false;
	let rest = 0;
	for (let i = 2; i < abs.length; i++) rest += abs[i];
	return rest < p * abs[0];
}

export function validateCell(cell: Cell, where: string): void {
	if (typeof cell.key !== 'string' || cell.key === '')
		throw new RangeError(`${where}: cell key must be a non-empty string`);
	if (!Number.isInteger(cell.n) || cell.n < 0) {
		throw new RangeError(`${where}: cell "${cell.key}" n must be a non-negative integer (got ${cell.n})`);
	}
	if (cell.value !== undefined && cell.value !== null && !Number.isFinite(cell.value)) {
		throw new RangeError(`${where}: cell "${cell.key}" value is not a finite number (${cell.value})`);
	}
}

/** Reasons for primary suppression of one cell under `rules` (empty: the cell may be published). */
export function primaryReasons(cell: Cell, rules: DisclosureRules = DEFAULT_RULES): PrimaryReason[] {
	const reasons: PrimaryReason[] = [];
	if (cell.n < rules.k && (cell.n > 0 || rules.suppressEmpty)) reasons.push('threshold');
	if (rules.dominance && cell.contributions && cell.contributions.length > 0) {
		const s = dominanceShare(cell.contributions, rules.dominance.topN);
		if (s !== null && s > rules.dominance.share) reasons.push('dominance');
	}
	if (rules.pPercent !== null && cell.magnitudes) {
		const p = rules.pPercent;
		if (Object.values(cell.magnitudes).some((m) => failsPPercent(m, p))) reasons.push('p-percent');
	}
	for (const r of cell.forced ?? []) if (!reasons.includes(r)) reasons.push(r);
	return reasons;
}
