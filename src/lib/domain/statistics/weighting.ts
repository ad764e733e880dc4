import type { Bilingual } from '../enterprise/labels';
import { studentTQuantile } from './distributions';

/** One response for post-stratification: its stratum key (e.g. 'C10|small') and the value to estimate. */
export interface StratumResponse {
	stratum: string;
	value: number;
}

/** Register totals N_h per stratum key (number of enterprises in the business register). */
export type RegisterTotals = Readonly<Record<string, number>>;

export interface StratumWeight {
	stratum: string;
	/** Register total N_h. */
	populationSize: number;
	/** Respondents n_h. */
	respondents: number;
	/** N_h / n_h; null when n_h = 0 (empty stratum). */
	weight: number | null;
}

export interface WeightsResult {
	strata: StratumWeight[];
	/** Register strata without respondents: they are left out of every estimate (reported, not imputed). */
	emptyStrata: string[];
	/** Strata that have respondents but are missing from the register (or have N_h = 0). */
	unknownStrata: string[];
	issues: Bilingual[];
}

function checkTotals(registerTotals: RegisterTotals): void {
	for (const [k, v] of Object.entries(registerTotals)) {
		if (!Number.isFinite(v) || v < 0) {
			throw new RangeError(`register total for stratum "${k}" must be a non-negative number (got ${v})`);
		}
	}
}

/** Post-stratification weights N_h/n_h from register totals and respondent counts per stratum. */
export function postStratificationWeights(
	registerTotals: RegisterTotals,
	respondentCounts: Readonly<Record<string, number>>
): WeightsResult {
	checkTotals(registerTotals);
	const strata: StratumWeight[] = [];
	const emptyStrata: string[] = [];
	const unknownStrata: string[] = [];
	const issues: Bilingual[] = [];
	for (const key of Object.keys(registerTotals).sort()) {
		const N = registerTotals[key];
		const n = respondentCounts[key] ?? 0;
		if (N === 0) continue;
		if (n === 0) {
			emptyStrata.push(key);
			strata.push({ stratum: key, populationSize: N, respondents: 0, weight: null });
			continue;
		}
		if (n > N) {
			issues.push({
				vi: `Tầng "${key}": số phản hồi (${n}) lớn hơn tổng số trong sổ đăng ký (${N}); coi như điều tra toàn bộ.`,
				en: `Stratum "${key}": respondents (${n}) exceed the register total (${N}); treated as a census.`
			});
		}
		strata.push({ stratum: key, populationSize: N, respondents: n, weight: N / n });
	}
	for (const key of Object.keys(respondentCounts).sort()) {
		if ((respondentCounts[key] ?? 0) > 0 && !(registerTotals[key] > 0)) unknownStrata.push(key);
	}
	if (emptyStrata.length) {
		issues.push({
			vi: `Không có phản hồi ở ${emptyStrata.length} tầng (${emptyStrata.join(', ')}): ước lượng chỉ đại diện cho các tầng còn lại.`,
			en: `No respondents in ${emptyStrata.length} strata (${emptyStrata.join(', ')}): estimates cover the other strata only.`
		});
	}
	if (unknownStrata.length) {
		issues.push({
			vi: `Có phản hồi thuộc tầng không có trong sổ đăng ký (${unknownStrata.join(', ')}): bị loại khỏi ước lượng có trọng số.`,
			en: `Responses in strata missing from the register (${unknownStrata.join(', ')}): excluded from weighted estimates.`
		});
	}
	return { strata, emptyStrata, unknownStrata, issues };
}

export interface PostStratifiedEstimate {
	/** Respondents used (in strata known to the register). */
	n: number;
	/** Strata with at least one respondent. */
	strataUsed: number;
	mean: number | null;
	se: number | null;
	/** Degrees of freedom n − H (respondents minus strata used), as in R's survey package. */
	df: number | null;
	lower: number | null;
	upper: number | null;
	level: number;
	/** Σ N_h over strata with respondents, and over all register strata; coverage = their ratio. */
	populationCovered: number;
	populationTotal: number;
	coverage: number | null;
	weights: WeightsResult;
	/** Strata with a single respondent: their variance is taken from the pooled within-stratum variance. */
	singletonStrata: string[];
}

/**
 * Post-stratified (stratified) estimator of a population mean:
 *   ȳ = Σ_h W_h ȳ_h,  W_h = N_h / Σ N_h (strata with respondents),
 *   V(ȳ) = Σ_h W_h² (1 − f_h) s_h² / n_h,  f_h = min(1, n_h / N_h) (finite population correction).
 * The point estimate equals the weighted mean with weights N_h/n_h. CI: ȳ ± t(df = n − H)·√V.
 */
export function postStratifiedMean(
	responses: readonly StratumResponse[],
	registerTotals: RegisterTotals,
	level = 0.95
): PostStratifiedEstimate {
	if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1) (got ${level})`);
	checkTotals(registerTotals);
	const byStratum = new Map<string, number[]>();
	responses.forEach((r, i) => {
		if (typeof r.stratum !== 'string' || r.stratum === '') {
			throw new RangeError(`responses[${i}].stratum must be a non-empty string`);
		}
		if (!Number.isFinite(r.value)) {
			throw new RangeError(`responses[${i}].value is not a finite number (${String(r.value)})`);
		}
		const list = byStratum.get(r.stratum);
		if (list) list.push(r.value);
		else byStratum.set(r.stratum, [r.value]);
	});
	const counts: Record<string, number> = {};
	for (const [k, v] of byStratum) counts[k] = v.length;
	const weights = postStratificationWeights(registerTotals, counts);

	const used = weights.strata.filter((s) => s.respondents > 0);
	const populationTotal = weights.strata.reduce((a, s) => a + s.populationSize, 0);
	const populationCovered = used.reduce((a, s) => a + s.populationSize, 0);
	const base = {
		level,
		populationCovered,
		populationTotal,
		coverage: populationTotal > 0 ? populationCovered / populationTotal : null,
		weights
	};
	const n = used.reduce((a, s) => a + s.respondents, 0);
	if (used.length === 0) {
		return {
			...base,
			n: 0,
			strataUsed: 0,
			mean: null,
			se: null,
			df: null,
			lower: null,
			upper: null,
			singletonStrata: []
		};
	}

	const stats = used.map((s) => {
		const xs = byStratum.get(s.stratum) as number[];
		const m = xs.reduce((a, b) => a + b, 0) / xs.length;
		const ss = xs.reduce((a, x) => a + (x - m) ** 2, 0);
		return { s, m, ss, nh: xs.length };
	});
	const mean = stats.reduce((a, q) => a + (q.s.populationSize / populationCovered) * q.m, 0);

	// A single respondent gives no within-stratum variance; borrow the pooled one rather than treat it as 0.
	const pooledDf = stats.reduce((a, q) => a + (q.nh > 1 ? q.nh - 1 : 0), 0);
	const pooledVar = pooledDf > 0 ? stats.reduce((a, q) => a + (q.nh > 1 ? q.ss : 0), 0) / pooledDf : null;
	const singletonStrata = stats.filter((q) => q.nh === 1).map((q) => q.s.stratum);
	const df = n - used.length;

	let se: number | null = null;
	if (pooledVar !== null && df >= 1) {
		let v = 0;
		for (const q of stats) {
			const W = q.s.populationSize / populationCovered;
			const f = Math.min(1, q.nh / q.s.populationSize);
			const s2 = q.nh > 1 ? q.ss / (q.nh - 1) : pooledVar;
			v += W * W * (1 - f) * (s2 / q.nh);
		}
		se = Math.sqrt(v);
	}
	const t = se !== null ? studentTQuantile(1 - (1 - level) / 2, df) : null;
	return {
		...base,
		n,
		strataUsed: used.length,
		mean,
		se,
		df: se !== null ? df : null,
		lower: se !== null && t !== null ? mean - t * se : null,
		upper: se !== null && t !== null ? mean + t * se : null,
		singletonStrata
	};
}
