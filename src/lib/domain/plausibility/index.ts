/**
 * Soft plausibility checks on numeric answers (issue 18): never blocking, they ask the respondent
 * to look again when an answer is far from the enterprise's own answer last year, the usual sign
 * of a unit slip (tỷ vs triệu đồng) or an extra zero.
 */

export interface LastYearAdvice {
	kind: 'last-year';
	value: number;
	previous: number;
	/** How many times larger (direction 'higher') or smaller ('lower') than last year, >= ratio. */
	factor: number;
	direction: 'higher' | 'lower';
}

/** Default: an answer 10 times last year's, or a tenth of it, is worth a second look. */
export const DEFAULT_RATIO = 10;

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
	if (f >= ratio) return { kind: 'last-year', value, previous, factor: f, direction: 'higher' };
	if (f <= 1 / ratio) return { kind: 'last-year', value, previous, factor: 1 / f, direction: 'lower' };
	return null;
}

/** A factor for people: whole numbers from 10 on, one decimal below (×12, ×9,5). */
export function roundFactor(f: number): number {
	return f >= 10 ? Math.round(f) : Math.round(f * 10) / 10;
}

/** Every advice for a set of answers against last year's (for the review before submit). */
export function lastYearAdvice(
	answers: Record<string, unknown>,
	lastYear: Record<string, number>,
	ratios: Record<string, number> = {}
): Array<{ question: string; advice: LastYearAdvice }> {
	const out: Array<{ question: string; advice: LastYearAdvice }> = [];
	for (const [question, previous] of Object.entries(lastYear)) {
		const v = answers[question];
		if (typeof v !== 'number') continue;
		const advice = compareWithLastYear(v, previous, ratios[question] ?? DEFAULT_RATIO);
		if (advice) out.push({ question, advice });
	}
	return out;
}
