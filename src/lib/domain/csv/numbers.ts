/**
 * Numbers as people type them in spreadsheets: `1.234,5` (Vietnamese/European Excel) or `1,234.5`
 * (English Excel), spaces as thousands separators, `-`, `−` or accounting parentheses for negatives.
 * Grouping must be in threes, which is what lets a wrong format setting show up as an error rather
 * than a silently wrong value.
 */

export type NumberFormat = 'dot-decimal' | 'comma-decimal';

export interface ParseNumberOptions {
	/** `reject` (default) refuses `12%`; `strip` reads it as 12; `fraction` as 0.12. */
	percent?: 'reject' | 'strip' | 'fraction';
}

const SPACES = /[\s\u00a0\u202f]/g;

// Integer part: plain digits, or 1–3 digits then groups of three joined by one separator.
function pattern(group: string, decimal: string): RegExp {
	const g = `\\d{1,3}(?:${group}\\d{3})+`;
	return new RegExp(`^(?:(${g})|(\\d+))?(?:${decimal}(\\d+))?(?:[eE]([+-]?\\d+))?$`);
}
const DOT_GROUPED = pattern(',', '\\.');
const DOT_SPACED = pattern(' ', '\\.');
const COMMA_GROUPED = pattern('\\.', ',');
const COMMA_SPACED = pattern(' ', ',');

/**
 * Parse `s` in the given format. Returns null when it is not a number in that format (including
 * empty strings): callers decide whether empty means "no answer".
 */
export function parseLocaleNumber(
	s: string,
	format: NumberFormat,
	options: ParseNumberOptions = {}
): number | null {
	let t = s.replace(SPACES, ' ').trim();
	if (t === '') return null;
	let negative = false;
	if (t.startsWith('(') && t.endsWith(')')) {
		negative = true;
		t = t.slice(1, -1).trim();
	}
	let percent = false;
	if (t.endsWith('%')) {
		if ((options.percent ?? 'reject') === 'reject') return null;
		percent = true;
		t = t.slice(0, -1).trim();
	}
	const sign = t[0];
	if (sign === '-' || sign === '+' || sign === '\u2212') {
		if (negative && sign !== '+') return null; // "(-5)" is not a thing
		negative = negative || sign !== '+';
		t = t.slice(1).trim();
	}
	if (t === '') return null;
	const m =
		format === 'dot-decimal'
			? (DOT_GROUPED.exec(t) ?? DOT_SPACED.exec(t))
			: (COMMA_GROUPED.exec(t) ?? COMMA_SPACED.exec(t));
	if (!m) return null;
	const [, grouped, plain, frac, exp] = m;
	if (grouped === undefined && plain === undefined && frac === undefined) return null;
	const intPart = (grouped ?? plain ?? '0').replace(/[^\d]/g, '');
	let v = Number(`${intPart}.${frac ?? '0'}e${exp ?? '0'}`);
	if (!Number.isFinite(v)) return null;
	if (percent && options.percent === 'fraction') v /= 100;
	return negative ? -v : v;
}

export interface NumberFormatEvidence {
	/** Samples readable only with a decimal point (e.g. `1,234.5`, `1234.5`). */
	dotDecimal: number;
	/** Samples readable only with a decimal comma (e.g. `1.234,5`, `0,5`). */
	commaDecimal: number;
	/** `1,234` / `1.234`: valid both ways with different values. */
	ambiguous: number;
	/** Same value in both formats (e.g. `42`). */
	neutral: number;
	/** Not a number in either format. */
	invalid: number;
	/** Up to five samples of each kind, for the warning shown to the user. */
	examples: { dotDecimal: string[]; commaDecimal: string[]; ambiguous: string[]; invalid: string[] };
}

export interface NumberFormatDetection {
	format: NumberFormat;
	/** False when the samples disagree, or only ambiguous ones are present: the caller should warn. */
	confident: boolean;
	evidence: NumberFormatEvidence;
}

const KEEP = 5;

/**
 * Guess the number format from sample cells. `fallback` is used when nothing decides (a `;`-delimited
 * file is a good hint for `comma-decimal`, since that is what Vietnamese Excel writes).
 */
export function detectNumberFormat(
	samples: readonly string[],
	options: { fallback?: NumberFormat } = {}
): NumberFormatDetection {
	const ev: NumberFormatEvidence = {
		dotDecimal: 0,
		commaDecimal: 0,
		ambiguous: 0,
		neutral: 0,
		invalid: 0,
		examples: { dotDecimal: [], commaDecimal: [], ambiguous: [], invalid: [] }
	};
	const note = (kind: 'dotDecimal' | 'commaDecimal' | 'ambiguous' | 'invalid', s: string) => {
		ev[kind]++;
		if (ev.examples[kind].length < KEEP) ev.examples[kind].push(s);
	};
	for (const raw of samples) {
		const s = raw.trim();
		if (s === '') continue;
		const d = parseLocaleNumber(s, 'dot-decimal', { percent: 'strip' });
		const c = parseLocaleNumber(s, 'comma-decimal', { percent: 'strip' });
		if (d === null && c === null) note('invalid', s);
		else if (c === null) note('dotDecimal', s);
		else if (d === null) note('commaDecimal', s);
		else if (d === c) ev.neutral++;
		else note('ambiguous', s);
	}
	const fallback = options.fallback ?? 'dot-decimal';
	const { dotDecimal: dot, commaDecimal: comma } = ev;
	if (dot === 0 && comma === 0) return { format: fallback, confident: ev.ambiguous === 0, evidence: ev };
	const format: NumberFormat = dot > comma ? 'dot-decimal' : comma > dot ? 'comma-decimal' : fallback;
	// Once one format is proven, ambiguous samples are read in it (`1,234` next to `0,5` is 1.234);
	// evidence both ways means a mixed file, which a human must look at.
	return { format, confident: dot === 0 || comma === 0, evidence: ev };
}
