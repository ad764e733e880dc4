import type { Bilingual } from '../enterprise/labels';
import { studentTQuantile } from './distributions';
import { weightedSummary, type WeightedSummary } from './quantile';

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

/** Strata merged for weighting: `of` maps an original stratum to its collapsed key. */
export interface CollapsedStrata {
	/** Collapsed strata in order, each with its members (original strata). */
	groups: Array<{ key: string; members: string[]; populationSize: number; respondents: number }>;
	/** Original stratum → collapsed key (strata outside `order` are absent: not weighted). */
	of: Record<string, string>;
}

/**
 * Collapses adjacent strata (in `order`, e.g. micro, small, medium, large) until each collapsed stratum
 * holds at least `minRespondents` respondents: a stratum below the minimum (also one with none) is merged
 * with its next neighbour, the last one with its previous. Weights N_h/n_h of tiny strata are unstable and
 * an empty stratum has none; merging keeps the whole register represented (coverage 1) instead of dropping
 * it. Strata with no register entry and no respondent are left out. A single remaining stratum is kept
 * whatever its size (the estimate is then the unweighted one).
 */
export function collapseStrata(
	order: readonly string[],
	registerTotals: RegisterTotals,
	respondentCounts: Readonly<Record<string, number>>,
	minRespondents: number
): CollapsedStrata {
	checkTotals(registerTotals);
	if (!Number.isInteger(minRespondents) || minRespondents < 1)
		throw new RangeError(`minRespondents must be a positive integer (got ${minRespondents})`);
	let groups = order
		.filter((s) => (registerTotals[s] ?? 0) > 0 || (respondentCounts[s] ?? 0) > 0)
		.map((s) => ({
			members: [s],
			populationSize: registerTotals[s] ?? 0,
			respondents: respondentCounts[s] ?? 0
		}));
	for (;;) {
		if (groups.length < 2) break;
		const i = groups.findIndex((g) => g.respondents < minRespondents);
		if (i < 0) break;
		const j = i === groups.length - 1 ? i - 1 : i + 1;
		const [a, b] = i < j ? [i, j] : [j, i];
		const merged = {
			members: [...groups[a].members, ...groups[b].members],
			populationSize: groups[a].populationSize + groups[b].populationSize,
			respondents: groups[a].respondents + groups[b].respondents
		};
		groups = [...groups.slice(0, a), merged, ...groups.slice(b + 1)];
	}
	const out: CollapsedStrata = { groups: [], of: {} };
	for (const g of groups) {
		const key = g.members.join('+');
		out.groups.push({ key, ...g });
		for (const m of g.members) out.of[m] = key;
	}
	return out;
}

/** A stratum of the whole design: register total N_h and respondents n_h over the WHOLE sample. */
export interface DesignStratum {
	populationSize: number;
	respondents: number;
}

export interface DomainEstimate {
	/** Respondents of the domain used (in strata of the design). */
	n: number;
	/** Σ of the domain's weights: the estimated number of register enterprises in the domain. */
	populationEstimate: number;
	mean: number | null;
	se: number | null;
	df: number | null;
	lower: number | null;
	upper: number | null;
	level: number;
	/** Weighted sd and type 7 percentiles (Akinshin) of the domain with the design weights. */
	summary: WeightedSummary;
}

/**
 * Design-weighted estimate of a mean over a DOMAIN (a segment: a ward, an ownership class, …) of a
 * post-stratified sample. Every respondent of stratum h carries w = N_h / n_h with n_h counted over the
 * whole sample (not the domain), so domains add up to the sector.
 *   ŷ_d = Σ_{i∈d} wᵢyᵢ / Σ_{i∈d} wᵢ   (a ratio estimator)
 *   V(ŷ_d) = Σ_h N_h² (1 − f_h) s²_{u,h} / n_h,  uᵢ = zᵢ (yᵢ − ŷ_d) / N̂_d
 * where zᵢ = 1 in the domain, 0 outside (so s²_{u,h} runs over ALL n_h respondents of h), N̂_d = Σ_{i∈d} wᵢ
 * (Taylor linearisation, Särndal, Swensson & Wretman 1992, §10.3; R survey's svyby). df = n − H of the
 * whole design. For the domain "everything" this is {@link postStratifiedMean}.
 * `domain` holds the domain's respondents; strata absent from `design` are ignored (not weighted).
 */
export function postStratifiedDomain(
	domain: readonly StratumResponse[],
	design: Readonly<Record<string, DesignStratum>>,
	level = 0.95
): DomainEstimate {
	if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1) (got ${level})`);
	const values: number[] = [];
	const weights: number[] = [];
	const byStratum = new Map<string, number[]>();
	domain.forEach((r, i) => {
		if (!Number.isFinite(r.value))
			throw new RangeError(`domain[${i}].value is not a finite number (${String(r.value)})`);
		const s = design[r.stratum];
		if (!s || !(s.populationSize > 0) || !(s.respondents > 0)) return;
		values.push(r.value);
		weights.push(s.populationSize / s.respondents);
		const list = byStratum.get(r.stratum);
		if (list) list.push(r.value);
		else byStratum.set(r.stratum, [r.value]);
	});
	const summary = weightedSummary(values, weights);
	const n = values.length;
	const strataUsed = Object.values(design).filter((s) => s.populationSize > 0 && s.respondents > 0);
	const designN = strataUsed.reduce((a, s) => a + s.respondents, 0);
	const df = designN - strataUsed.length;
	const base = { n, populationEstimate: summary.sumWeights, level, summary };
	if (n === 0) return { ...base, mean: null, se: null, df: null, lower: null, upper: null };
	const mean = summary.mean as number;
	const Nd = summary.sumWeights;
	let v = 0;
	for (const [key, ys] of byStratum) {
		const s = design[key];
		const nh = s.respondents;
		if (nh < 2) return { ...base, mean, se: null, df: null, lower: null, upper: null };
		// u is (y − ŷ)/N̂ for the domain's respondents and 0 for the stratum's other nh − |ys| respondents.
		let su = 0;
		let su2 = 0;
		for (const y of ys) {
			const u = (y - mean) / Nd;
			su += u;
			su2 += u * u;
		}
		const s2 = Math.max(0, (su2 - (su * su) / nh) / (nh - 1));
		const f = Math.min(1, nh / s.populationSize);
		v += s.populationSize ** 2 * (1 - f) * (s2 / nh);
	}
	if (df < 1) return { ...base, mean, se: null, df: null, lower: null, upper: null };
	const se = Math.sqrt(v);
	const t = studentTQuantile(1 - (1 - level) / 2, df);
	return { ...base, mean, se, df, lower: mean - t * se, upper: mean + t * se };
}
