/**
 * Soft plausibility checks on numeric answers: never blocking, they ask the respondent to look
 * again when an answer is far from the enterprise's own answer last year or outside the range most
 * enterprises of the sector gave in the latest published release — the usual signs of a unit slip
 * (tỷ vs triệu đồng) or an extra zero. The same functions run in the form, in the review before
 * submit, at submit (what the enterprise confirmed is stored) and in the responses import report.
 */
import { quantile, sortAscending } from '../statistics/quantile';

export interface LastYearAdvice {
	kind: 'last-year';
	value: number;
	previous: number;
	/** How many times larger (direction 'higher') or smaller ('lower') than last year, >= ratio. */
	factor: number;
	direction: 'higher' | 'lower';
	/** The ratio that triggered the warning (the question's own, or the default). */
	ratio: number;
}

/** The range most enterprises of the sector answered in, as a release publishes it. */
export interface UsualRange {
	/** Answers behind the range (published only from the disclosure minimum on). */
	n: number;
	low: number;
	high: number;
}

export interface UsualRangeAdvice {
	kind: 'usual-range';
	value: number;
	low: number;
	high: number;
	direction: 'higher' | 'lower';
	/** The year of the release the range comes from. */
	year: number;
}

export type Advice = LastYearAdvice | UsualRangeAdvice;

/** Everything the checks compare with, for one response. */
export interface PlausibilityBasis {
	/** The enterprise's own numeric answers in its latest earlier submission of the sector. */
	lastYear: Record<string, number>;
	/** Usual ranges per question from the latest published release of the sector, if any. */
	usual: { year: number; ranges: Record<string, UsualRange> } | null;
	/** Ratios vs last year per question (rubric data); the others use DEFAULT_RATIO. */
	ratios: Record<string, number>;
}

/** Default: an answer 10 times last year's, or a tenth of it, is worth a second look. */
export const DEFAULT_RATIO = 10;
/** Ratios a rubric may set: more than 1 (1 would flag every change), at most this. */
export const MAX_RATIO = 1000;
/** The usual range: from the 10th to the 90th percentile of the sector's answers. */
export const USUAL_RANGE_PERCENTILES = [0.1, 0.9] as const;

/**
 * Compare an answer with last year's. Nothing to say when last year has no number, either value
 * is 0 (no meaningful ratio) or they differ in sign, or when they are within `ratio` of each other.
 */
export function compareWithLastYear(
	value: number,
	previous: unknown,
	ratio: number = DEFAULT_RATIO
): LastYearAdvice | null {
	if (typeof previous !== 'number' || !Number.isFinite(previous) || !Number.isFinite(value)) return null;
	if (!(ratio > 1) || value === 0 || previous === 0 || Math.sign(value) !== Math.sign(previous)) return null;
	const f = value / previous;
	if (f >= ratio) return { kind: 'last-year', value, previous, factor: f, direction: 'higher', ratio };
	if (f <= 1 / ratio) return { kind: 'last-year', value, previous, factor: 1 / f, direction: 'lower', ratio };
	return null;
}

/** Outside the sector's usual range (the bounds themselves are usual). */
export function compareWithUsualRange(
	value: number,
	range: UsualRange | undefined,
	year: number
): UsualRangeAdvice | null {
	if (!range || !Number.isFinite(value) || !(range.low <= range.high)) return null;
	if (value < range.low)
		return { kind: 'usual-range', value, low: range.low, high: range.high, direction: 'lower', year };
	if (value > range.high)
		return { kind: 'usual-range', value, low: range.low, high: range.high, direction: 'higher', year };
	return null;
}

/** A factor for people: whole numbers from 10 on, one decimal below (×12, ×9,5). */
export function roundFactor(f: number): number {
	return f >= 10 ? Math.round(f) : Math.round(f * 10) / 10;
}

/** Every warning about one numeric answer: last year first, then the sector's range. */
export function adviseAnswer(question: string, value: number, basis: PlausibilityBasis): Advice[] {
	const out: Advice[] = [];
	const last = compareWithLastYear(value, basis.lastYear[question], basis.ratios[question] ?? DEFAULT_RATIO);
	if (last) out.push(last);
	if (basis.usual) {
		const usual = compareWithUsualRange(value, basis.usual.ranges[question], basis.usual.year);
		if (usual) out.push(usual);
	}
	return out;
}

/** Every warning for a set of answers (for the review before submit, submit and imports). */
export function plausibilityWarnings(
	answers: Record<string, unknown>,
	basis: PlausibilityBasis
): Array<{ question: string; advice: Advice }> {
	const questions = new Set([...Object.keys(basis.lastYear), ...Object.keys(basis.usual?.ranges ?? {})]);
	const out: Array<{ question: string; advice: Advice }> = [];
	for (const question of questions) {
		const v = answers[question];
		if (typeof v !== 'number') continue;
		for (const advice of adviseAnswer(question, v, basis)) out.push({ question, advice });
	}
	return out;
}

/** The answers far from last year, and only those (kept for callers without a release). */
export function lastYearAdvice(
	answers: Record<string, unknown>,
	lastYear: Record<string, number>,
	ratios: Record<string, number> = {}
): Array<{ question: string; advice: LastYearAdvice }> {
	return plausibilityWarnings(answers, { lastYear, usual: null, ratios }) as Array<{
		question: string;
		advice: LastYearAdvice;
	}>;
}

/** Round to two significant digits, down or up: a published bound never repeats an exact answer. */
export function roundOutward(x: number, mode: 'down' | 'up'): number {
	if (x === 0 || !Number.isFinite(x)) return x;
	const step = 10 ** (Math.floor(Math.log10(Math.abs(x))) - 1);
	// Subnormal numbers have no representable step: they are kept as they are.
	if (!(step > 0) || !Number.isFinite(x / step)) return x;
	const q = x / step;
	// A tolerance so that 0.29 / 0.01 = 28.999… still counts as the 29 it is.
	const m = mode === 'down' ? Math.floor(q + 1e-9) : Math.ceil(q - 1e-9);
	return Number((m * step).toPrecision(12));
}

/**
 * The usual range of one question's answers: the 10th and 90th percentiles (type 7), rounded
 * outward to two significant digits; null below `minN` answers, where the percentiles would sit on
 * one or two enterprises' own figures.
 */
export function usualRange(values: readonly number[], minN: number): UsualRange | null {
	const finite = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
	if (finite.length < Math.max(1, minN)) return null;
	const sorted = sortAscending(finite);
	const [pl, ph] = USUAL_RANGE_PERCENTILES;
	return {
		n: sorted.length,
		low: roundOutward(quantile(sorted, pl), 'down'),
		high: roundOutward(quantile(sorted, ph), 'up')
	};
}

/** Checks a rubric's `plausibility` block; `numeric` tells whether a question takes a number. */
export function checkPlausibilityRules(
	block: unknown,
	numeric: (question: string) => boolean | null
): Array<{ path: string; message: string; vi: string }> {
	if (block === undefined) return [];
	const out: Array<{ path: string; message: string; vi: string }> = [];
	const isObj = (v: unknown): v is Record<string, unknown> =>
		v !== null && typeof v === 'object' && !Array.isArray(v);
	if (!isObj(block))
		return [
			{
				path: '$.plausibility',
				message: 'plausibility must be {"ratios": {...}}',
				vi: 'Mục kiểm tra tính hợp lý (plausibility) phải có dạng {"ratios": {...}}.'
			}
		];
	for (const k of Object.keys(block))
		if (k !== 'ratios')
			out.push({
				path: `$.plausibility.${k}`,
				message: `unknown key '${k}' (only "ratios")`,
				vi: `Không có trường '${k}' (chỉ có "ratios").`
			});
	if (block.ratios === undefined) return out;
	if (!isObj(block.ratios))
		return [
			...out,
			{
				path: '$.plausibility.ratios',
				message: 'ratios must map question names to numbers',
				vi: 'Trường ratios phải gán cho mỗi tên câu hỏi một con số.'
			}
		];
	for (const [q, r] of Object.entries(block.ratios)) {
		const at = `$.plausibility.ratios.${q}`;
		const kind = numeric(q);
		if (kind === null)
			out.push({ path: at, message: `unknown question '${q}'`, vi: `Bảng hỏi không có câu hỏi '${q}'.` });
		else if (!kind)
			out.push({
				path: at,
				message: `question '${q}' is not a numeric question`,
				vi: `Câu hỏi '${q}' không phải là câu hỏi nhập số.`
			});
		if (typeof r !== 'number' || !Number.isFinite(r) || r <= 1 || r > MAX_RATIO)
			out.push({
				path: at,
				message: `ratio for '${q}' must be a number above 1 and at most ${MAX_RATIO}, got ${JSON.stringify(r)}`,
				vi: `Tỷ lệ của '${q}' phải là một số lớn hơn 1 và không quá ${MAX_RATIO}, đang là ${JSON.stringify(r)}.`
			});
	}
	return out;
}
