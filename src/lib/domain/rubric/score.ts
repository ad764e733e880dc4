/**
 * The rubric engine: compiles a validated rubric once into closures, then scores responses fast and
 * deterministically. Rules (docs/methodology.md):
 * - Missing answers: a criterion whose needed answer is absent, empty or unusable scores 0 points
 *   and is flagged `missing: true`. Answers outside the questionnaire's choices count as missing.
 * - Rounding: criterion points to `rounding.points` decimals (default 2); group scores and the
 *   total are sums of rounded points; K is computed from the rounded group scores and rounded to
 *   `rounding.k` decimals; the level is decided on the rounded total and K (what users see).
 * - K = Π_g (score_g / max_g)^(w_g); any group at 0 gives K = 0 (Circular 17).
 */
import { compileFormula, isMissingAnswer, parseFormula, toNumber, type EvalState } from './formula';
import {
	GROUP_IDS,
	type Answers,
	type Band,
	type Classification,
	type Criterion,
	type CriterionScore,
	type GroupId,
	type LadderIndex,
	type LevelId,
	type Priority,
	type ReferenceValues,
	type Rubric,
	type ScoreResult
} from './types';
import type { StoredScoreResult } from './stored';
import { answerGuard, type EquipmentCheck } from './guard';
import { aggregateEquipment, isEmptyList, readEquipmentRows } from './equipment';

/** Round half up to `d` decimals; the epsilon keeps 1.005 → 1.01 despite binary floats. */
export function roundTo(x: number, d: number): number {
	const f = 10 ** d;
	return Math.round(x * f + (x >= 0 ? 1e-9 : -1e-9)) / f;
}

/** A criterion scorer: returns points, or -1 when an answer it needs is missing. */
type Scorer = (answers: Answers, st: EvalState) => number;

function bandPoints(bands: readonly Band[]): (x: number) => number {
	const n = bands.length;
	const from = bands.map((b) => (b.from === null ? -Infinity : b.from));
	const to = bands.map((b) => (b.to === null ? Infinity : b.to));
	const pts = bands.map((b) => b.points);
	return (x) => {
		if (x < from[0]) return pts[0];
		for (let i = 0; i < n; i++) if (x < to[i]) return pts[i];
		return pts[n - 1];
	};
}

function readAnswer(answers: Answers, ref: string): unknown {
	const dot = ref.indexOf('.');
	if (dot < 0) return answers[ref];
	const o = answers[ref.slice(0, dot)];
	return o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[ref.slice(dot + 1)] : undefined;
}

function compileCriterion(
	c: Criterion,
	refs: Readonly<Record<string, number>>,
	year: number
): { scorer: Scorer; used: string[] } {
	const m = c.mapping;
	switch (m.kind) {
		case 'equipment': {
			const q = m.question;
			const fb = m.fallback ? compileCriterion({ ...c, mapping: m.fallback }, refs, year) : null;
			const pts = m.bands ? bandPoints(m.bands) : null;
			let ref = 1;
			if (m.reference !== undefined) {
				ref = refs[m.reference];
				if (typeof ref !== 'number' || !(ref > 0))
					throw new Error(`reference value '${m.reference}' is not defined`);
			}
			const opts = { year, years: m.years, automated: m.automated, points: m.points };
			const max = c.max;
			return {
				used: [q, ...(fb ? fb.used.filter((u) => u !== q) : [])],
				scorer: (a, st) => {
					const list = a[q];
					// No rows: the single questions of earlier versions answer for the list.
					if (isEmptyList(list)) return fb ? fb.scorer(a, st) : -1;
					const x = aggregateEquipment(m.aggregate, readEquipmentRows(list, m.columns), opts);
					if (x === null) return -1;
					if (pts) return pts(x / ref);
					return x < 0 ? 0 : x > max ? max : x;
				}
			};
		}
		case 'choice': {
			const table = new Map(Object.entries(m.points));
			const q = m.question;
			const dot = q.indexOf('.');
			const key = dot < 0 ? q : null;
			return {
				used: [q],
				scorer: (a) => {
					const v = key !== null ? a[key] : readAnswer(a, q);
					if (isMissingAnswer(v)) return -1;
					const p = table.get(String(v));
					return p === undefined ? -1 : p;
				}
			};
		}
		case 'multi': {
			const table = new Map(Object.entries(m.points));
			const q = m.question;
			const cap = Math.min(m.cap, c.max);
			return {
				used: [q],
				scorer: (a) => {
					const v = a[q];
					if (!Array.isArray(v) || v.length === 0) return -1;
					let sum = 0;
					let known = 0;
					for (const e of v) {
						const p = table.get(String(e));
						if (p !== undefined) {
							sum += p;
							known++;
						}
					}
					if (known === 0) return -1;
					return sum > cap ? cap : sum;
				}
			};
		}
		case 'bands': {
			const pts = bandPoints(m.bands);
			const q = m.question;
			const key = q.includes('.') ? null : q;
			return {
				used: [q],
				scorer: (a) => {
					const v = key !== null ? a[key] : readAnswer(a, q);
					if (isMissingAnswer(v)) return -1;
					const x = toNumber(v);
					return Number.isNaN(x) ? -1 : pts(x);
				}
			};
		}
		case 'ratio': {
			const ast = parseFormula(m.value);
			const f = compileFormula(ast, refs);
			const ref = refs[m.reference];
			if (typeof ref !== 'number' || !(ref > 0))
				throw new Error(`reference value '${m.reference}' is not defined`);
			const pts = bandPoints(m.bands);
			return {
				used: usedOf(ast),
				scorer: (a, st) => {
					const x = toNumber(f(a, st));
					if (st.missing || Number.isNaN(x)) return -1;
					return pts(x / ref);
				}
			};
		}
		case 'formula': {
			const ast = parseFormula(m.expression);
			const f = compileFormula(ast, refs);
			const pts = m.bands ? bandPoints(m.bands) : null;
			const max = c.max;
			return {
				used: usedOf(ast),
				scorer: (a, st) => {
					const x = toNumber(f(a, st));
					if (st.missing || Number.isNaN(x)) return -1;
					if (pts) return pts(x);
					return x < 0 ? 0 : x > max ? max : x;
				}
			};
		}
	}
}

function usedOf(ast: ReturnType<typeof parseFormula>): string[] {
	const out: string[] = [];
	const walk = (n: ReturnType<typeof parseFormula>): void => {
		if (n.t === 'var' && !out.includes(n.name)) out.push(n.name);
		else if (n.t === 'call') n.args.forEach(walk);
		else if (n.t === 'bin') {
			walk(n.l);
			walk(n.r);
		} else if (n.t === 'not' || n.t === 'neg') walk(n.x);
	};
	walk(ast);
	return out;
}

/** Ladder step values are 1–5; anything else is ignored. */
function step(v: unknown): number {
	const x = toNumber(v);
	return Number.isInteger(x) && x >= 1 && x <= 5 ? x : 0;
}

/** FAT indices for one business function: EXT = highest step used, INT = step used most. */
export function ladderIndex(used: unknown, most: unknown): LadderIndex {
	let ext = 0;
	let only = 0;
	let count = 0;
	if (Array.isArray(used))
		for (const u of used) {
			const s = step(u);
			if (s) {
				count++;
				only = s;
				if (s > ext) ext = s;
			}
		}
	let int = step(most);
	// With a single step ticked, that step is necessarily the one used most.
	if (!int && count === 1) int = only;
	// "Used most" implies "used": keep EXT >= INT even when the two answers disagree.
	if (int > ext) ext = int;
	return {
		EXT: ext || null,
		INT: int || null,
		gap: ext && int ? ext - int : null
	};
}

export interface CompileOptions {
	/**
	 * Year of the assessment (the campaign's year): equipment ages count from it and an equipment
	 * year after it is refused. Default: the reference values' year.
	 */
	year?: number;
}

export interface CompiledRubric {
	rubric: Rubric;
	referenceValues: ReferenceValues;
	score(answers: Answers): ScoreResult;
	/**
	 * The same scoring, returned in the stored form (`storedScoreResult(score(a))`) without
	 * building the 26 criterion objects and the priorities first: what an import of 100,000 rows
	 * keeps, and about a third of what scoring allocated there.
	 */
	scoreStored(answers: Answers): StoredScoreResult;
}

/**
 * Compiles a validated rubric with one year's reference values. Call once per (rubric, year);
 * `score` is then a tight loop over closures (no parsing, no allocation beyond the result).
 * With the questionnaire, every answer the rubric reads is first checked against its question
 * (range, kind, decimal notation, offered choices): a value the form would refuse throws an
 * AnswerError naming the question instead of being scored.
 */
export function compileRubric(
	rubric: Rubric,
	referenceValues: ReferenceValues,
	questionnaire?: unknown,
	options: CompileOptions = {}
): CompiledRubric {
	const refs: Record<string, number> = {};
	for (const [k, v] of Object.entries(referenceValues.values)) refs[k] = v.value;
	const year = options.year ?? referenceValues.year;
	const dp = rubric.rounding.points;
	const criteria = rubric.criteria.map((c) => {
		const { scorer, used } = compileCriterion(c, refs, year);
		return { c, scorer, used: Object.freeze(used), gi: GROUP_IDS.indexOf(c.group) };
	});
	const equipment: EquipmentCheck[] = rubric.criteria.flatMap((c) =>
		c.mapping.kind === 'equipment' ? [{ question: c.mapping.question, columns: c.mapping.columns }] : []
	);
	const ladders = rubric.ladders.functions.map((f) => ({ id: f.id, used: f.used, most: f.most }));
	const guard =
		questionnaire === undefined
			? null
			: answerGuard(
					questionnaire,
					[...criteria.flatMap((k) => k.used), ...ladders.flatMap((f) => [f.used, f.most])],
					{ year, equipment }
				);
	const below = rubric.priorities.below;
	const limit = rubric.priorities.limit;
	const rubricVersion = `${rubric.sector}/${rubric.version}`;
	const st: EvalState = { missing: false };
	// Scratch space for priorities, reused across calls (score() is synchronous and not re-entrant).
	const lowIdx = new Int32Array(criteria.length);
	const lowStake = new Float64Array(criteria.length);
	const gMax = GROUP_IDS.map((g) => rubric.groups.find((x) => x.id === g)?.max ?? 0);
	const gW = GROUP_IDS.map((g) => rubric.k.weights[g]);
	const dk = rubric.rounding.k;

	// Scratch of one scoring (synchronous, never re-entered): points and missing flags per criterion.
	const pts = new Float64Array(criteria.length);
	const miss = new Uint8Array(criteria.length);

	/** Scores every criterion into pts/miss and the priorities into lowIdx/lowStake; returns how many are low. */
	function scoreCriteria(answers: Answers): number {
		guard?.(answers);
		let nLow = 0;
		for (let i = 0; i < criteria.length; i++) {
			const k = criteria[i];
			st.missing = false;
			const raw = k.scorer(answers, st);
			const missing = raw < 0;
			const points = missing ? 0 : roundTo(raw > k.c.max ? k.c.max : raw, dp);
			pts[i] = points;
			miss[i] = missing ? 1 : 0;
			if (points < below * k.c.max) {
				const stake = roundTo(k.c.max - points, dp);
				let j = nLow++;
				while (j > 0 && lowStake[j - 1] < stake) {
					lowStake[j] = lowStake[j - 1];
					lowIdx[j] = lowIdx[j - 1];
					j--;
				}
				lowStake[j] = stake;
				lowIdx[j] = i;
			}
		}
		return nLow;
	}

	/** Group scores, total, K, level and ladders from the scored criteria. */
	function totals(answers: Answers): Omit<StoredScoreResult, 'points' | 'missing'> {
		const sums = [0, 0, 0, 0, 0];
		for (let i = 0; i < criteria.length; i++) sums[criteria[i].gi] += pts[i];
		const groups = {
			T: roundTo(sums[0], dp),
			E: roundTo(sums[1], dp),
			O: roundTo(sums[2], dp),
			R: roundTo(sums[3], dp),
			I: roundTo(sums[4], dp)
		};
		const total = roundTo(groups.T + groups.E + groups.O + groups.R + groups.I, dp);
		const gs = [groups.T, groups.E, groups.O, groups.R, groups.I];
		let K = 1;
		for (let g = 0; g < 5; g++) K = gs[g] > 0 ? K * (gs[g] / gMax[g]) ** gW[g] : 0;
		K = roundTo(K, dk);

		const functions: Record<string, LadderIndex> = {};
		let extSum = 0;
		let extN = 0;
		let intSum = 0;
		let intN = 0;
		let gapSum = 0;
		let gapN = 0;
		for (const f of ladders) {
			const li = ladderIndex(answers[f.used], answers[f.most]);
			functions[f.id] = li;
			if (li.EXT !== null) {
				extSum += li.EXT;
				extN++;
			}
			if (li.INT !== null) {
				intSum += li.INT;
				intN++;
			}
			if (li.gap !== null) {
				gapSum += li.gap;
				gapN++;
			}
		}
		return {
			rubricVersion,
			total,
			K,
			level: levelFor(rubric, total, K),
			groups,
			ladders: {
				functions,
				EXT: extN ? roundTo(extSum / extN, dp) : null,
				INT: intN ? roundTo(intSum / intN, dp) : null,
				gap: gapN ? roundTo(gapSum / gapN, dp) : null
			}
		};
	}

	function score(answers: Answers): ScoreResult {
		const nLow = scoreCriteria(answers);
		const out: CriterionScore[] = new Array(criteria.length);
		for (let i = 0; i < criteria.length; i++) {
			const k = criteria[i];
			out[i] = {
				id: k.c.id,
				group: k.c.group,
				points: pts[i],
				max: k.c.max,
				answersUsed: k.used,
				missing: miss[i] === 1
			};
		}
		const priorities: Priority[] = [];
		for (let j = 0; j < nLow && j < limit; j++) {
			const c = criteria[lowIdx[j]].c;
			priorities.push({ criterion: c.id, pointsAtStake: lowStake[j], recommendation: c.recommendation });
		}
		const t = totals(answers);
		return {
			rubricVersion: t.rubricVersion,
			total: t.total,
			K: t.K,
			level: t.level,
			groups: t.groups,
			criteria: out,
			ladders: t.ladders,
			priorities
		};
	}

	function scoreStored(answers: Answers): StoredScoreResult {
		scoreCriteria(answers);
		const points: Record<string, number> = Object.fromEntries(criteria.map((k, i) => [k.c.id, pts[i]]));
		const missing = criteria.filter((_, i) => miss[i] === 1).map((k) => k.c.id);
		const t = totals(answers);
		return {
			rubricVersion: t.rubricVersion,
			total: t.total,
			K: t.K,
			level: t.level,
			groups: t.groups,
			points,
			missing,
			ladders: t.ladders
		};
	}
	return { rubric, referenceValues, score, scoreStored };
}

const cache = new WeakMap<Rubric, WeakMap<ReferenceValues, CompiledRubric>>();

/** Scores one response. Compiles on first use per (rubric, reference values) object and caches. */
export function scoreResponse(
	rubric: Rubric,
	referenceValues: ReferenceValues,
	answers: Answers
): ScoreResult {
	let byRef = cache.get(rubric);
	if (!byRef) cache.set(rubric, (byRef = new WeakMap()));
	let compiled = byRef.get(referenceValues);
	if (!compiled) byRef.set(referenceValues, (compiled = compileRubric(rubric, referenceValues)));
	return compiled.score(answers);
}

/** K = Π_g (score_g / max_g)^(w_g), rounded to `rounding.k` decimals; 0 if any group is 0. */
export function computeK(rubric: Rubric, groups: Readonly<Record<GroupId, number>>): number {
	let k = 1;
	for (const g of rubric.groups) {
		const s = groups[g.id];
		if (!(s > 0)) return 0;
		k *= (s / g.max) ** rubric.k.weights[g.id];
	}
	return roundTo(k, rubric.rounding.k);
}

/** The highest level whose total and K cut-offs are both met. */
export function levelFor(rubric: Rubric, total: number, K: number): LevelId {
	let level = rubric.levels[0].id;
	for (const l of rubric.levels) if (total >= l.minTotal && K >= l.minK) level = l.id;
	return level;
}

/**
 * Total, K and level from five group scores (assessors who score groups by hand use this).
 * Throws RangeError when a group is missing or outside [0, group max].
 */
export function classify(rubric: Rubric, groups: Readonly<Record<GroupId, number>>): Classification {
	let total = 0;
	for (const g of rubric.groups) {
		const s = groups[g.id];
		if (typeof s !== 'number' || !Number.isFinite(s) || s < 0 || s > g.max)
			throw new RangeError(`group ${g.id} must be a number between 0 and ${g.max}, got ${String(s)}`);
		total += s;
	}
	total = roundTo(total, rubric.rounding.points);
	const K = computeK(rubric, groups);
	return { total, K, level: levelFor(rubric, total, K) };
}

/** The reference values for a year: that year's set, else the latest earlier one, else the earliest. */
export function referenceValuesFor(
	byYear: ReadonlyMap<number, ReferenceValues>,
	year: number
): ReferenceValues | null {
	let best: ReferenceValues | null = null;
	for (const [y, r] of byYear) if (y <= year && (!best || y > best.year)) best = r;
	if (best) return best;
	for (const r of byYear.values()) if (!best || r.year < best.year) best = r;
	return best;
}
