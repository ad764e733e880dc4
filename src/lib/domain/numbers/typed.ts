/**
 * Numbers as a person types them into a form, in the language the form is shown in.
 *
 * Vietnamese writes `1.250.000,5` or `1 250 000,5` (decimal comma; dots or spaces between
 * thousands); English writes `1,250,000.5` or `1 250 000.5`. The parser tries both conventions
 * and never picks one silently when they disagree:
 *  - only the form's language reads the text, or both read the same value: `number`, `locale`;
 *  - only the other language reads it (`1.5` typed in Vietnamese): `number`, `other`, and the
 *    form echoes the value it understood;
 *  - both read it, differently (`1.250` in Vietnamese is 1250, in English 1.25): `ambiguous`, and
 *    the respondent chooses before anything is saved;
 *  - neither reads it (letters, `Infinity`, `1e309`, `0x10`, two decimal marks, bad grouping):
 *    `invalid`, with the reason, and nothing is saved.
 * Grouping must be in threes after a first group of one to three digits that does not start with
 * 0: this is what tells a thousands separator from a decimal mark. More than 15 significant digits
 * are refused rather than rounded.
 */

export type NumberLocale = 'vi' | 'en';

export type InvalidReason =
	/** Letters or symbols (`abc`, `Infinity`, `0x10`, `12%`). */
	| 'characters'
	/** Scientific notation (`1e309`, `2.817e3`): people do not type it, and it hides the size. */
	| 'exponent'
	/** Separators that neither convention reads (`1,2,3`, `1.2.3`, `12 34`). */
	| 'separators'
	/** Ends with a separator or is a lone sign (`3,`, `-`): probably still being typed. */
	| 'incomplete'
	/** More than 15 significant digits: the value could not be stored exactly. */
	| 'too-long';

export type TypedNumber =
	| { kind: 'empty' }
	| { kind: 'number'; value: number; convention: 'locale' | 'other' }
	/** `readings[0]` is the form language's reading, `readings[1]` the other language's. */
	| { kind: 'ambiguous'; readings: [number, number] }
	| { kind: 'invalid'; reason: InvalidReason };

interface Marks {
	decimal: '.' | ',';
	group: '.' | ',';
}

export const MARKS: Record<NumberLocale, Marks> = {
	vi: { decimal: ',', group: '.' },
	en: { decimal: '.', group: ',' }
};

const OTHER: Record<NumberLocale, NumberLocale> = { vi: 'en', en: 'vi' };

/** No-break, narrow no-break, thin, figure and other spaces people paste from documents. */
const SPACES = /[\s\u00a0\u2007\u2009\u202f]+/g;
const MAX_DIGITS = 15;

type Reading = { value: number } | { fail: InvalidReason };

function digitsOnly(s: string): boolean {
	if (s.length === 0) return false;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c < 48 || c > 57) return false;
	}
	return true;
}

/** An integer part grouped by one separator: `1.250.000`, `12 345`; the digits, or null. */
function ungroup(int: string, sep: string): string | null {
	const groups = int.split(sep);
	if (groups.length < 2) return null;
	const [first, ...rest] = groups;
	if (!digitsOnly(first) || first.length > 3 || first.startsWith('0')) return null;
	for (const g of rest) if (g.length !== 3 || !digitsOnly(g)) return null;
	return groups.join('');
}

/** The body (no sign) read with one convention: decimal mark, and `group` or spaces between thousands. */
function read(body: string, m: Marks): Reading {
	const parts = body.split(m.decimal);
	if (parts.length > 2) return { fail: 'separators' };
	const [intText, frac] = parts;
	if (frac !== undefined && !digitsOnly(frac)) return { fail: frac === '' ? 'incomplete' : 'separators' };
	let intDigits: string;
	if (intText === '') {
		if (frac === undefined) return { fail: 'incomplete' };
		intDigits = '0';
	} else if (digitsOnly(intText)) intDigits = intText;
	else {
		const grouped = ungroup(intText, m.group) ?? ungroup(intText, ' ');
		if (grouped === null) return { fail: /[.,]$/.test(intText) ? 'incomplete' : 'separators' };
		intDigits = grouped;
	}
	const significant = (intDigits + (frac ?? '')).replace(/^0+/, '').replace(/0+$/, '');
	if (significant.length > MAX_DIGITS) return { fail: 'too-long' };
	const value = Number(frac === undefined ? intDigits : `${intDigits}.${frac}`);
	if (!Number.isFinite(value)) return { fail: 'too-long' };
	return { value };
}

/** Parse what the respondent typed, in the form's language. */
export function parseTypedNumber(text: string, locale: NumberLocale): TypedNumber {
	let s = text.replace(SPACES, ' ').trim();
	if (s === '') return { kind: 'empty' };
	let negative = false;
	const sign = s[0];
	if (sign === '-' || sign === '\u2212' || sign === '+') {
		negative = sign !== '+';
		s = s.slice(1);
		if (s === '') return { kind: 'invalid', reason: 'incomplete' };
	}
	if (!/^[0-9., ]+$/.test(s)) {
		const exponent = /^[0-9.,]*[0-9][eE][+\-\u2212]?[0-9]+$/.test(s);
		return { kind: 'invalid', reason: exponent ? 'exponent' : 'characters' };
	}
	if (s.startsWith(' ')) return { kind: 'invalid', reason: 'separators' };
	const own = read(s, MARKS[locale]);
	const other = read(s, MARKS[OTHER[locale]]);
	const signed = (v: number) => (negative && v !== 0 ? -v : v);
	if ('value' in own) {
		if (!('value' in other) || other.value === own.value)
			return { kind: 'number', value: signed(own.value), convention: 'locale' };
		return { kind: 'ambiguous', readings: [signed(own.value), signed(other.value)] };
	}
	if ('value' in other) return { kind: 'number', value: signed(other.value), convention: 'other' };
	const reason = own.fail === 'too-long' || other.fail === 'too-long' ? 'too-long' : own.fail;
	return { kind: 'invalid', reason };
}

/** Plain decimal digits of a finite number, never in exponent form: `[integer, fraction]`. */
function plainDigits(value: number): [string, string] {
	const abs = Math.abs(value);
	let s = String(abs);
	if (s.includes('e')) {
		const [mant, expText] = s.split('e');
		const exp = Number(expText);
		const [i, f = ''] = mant.split('.');
		const digits = i + f;
		const point = i.length + exp;
		if (point <= 0) s = `0.${'0'.repeat(-point)}${digits}`;
		else if (point >= digits.length) s = digits + '0'.repeat(point - digits.length);
		else s = `${digits.slice(0, point)}.${digits.slice(point)}`;
	}
	const [int, frac = ''] = s.split('.');
	return [int, frac];
}

function group(int: string, sep: string): string {
	let out = '';
	for (let i = 0; i < int.length; i++) {
		if (i > 0 && (int.length - i) % 3 === 0) out += sep;
		out += int[i];
	}
	return out;
}

/**
 * A number as the form's language writes it: `1.250.000,5` (vi), `1,250,000.5` (en); thousands
 * are grouped from five digits on (`2010`, `1250`, `12.500`). Every digit
 * of the stored value is shown (no rounding), so what is displayed is exactly what is saved.
 */
export function formatTypedNumber(value: number, locale: NumberLocale): string {
	if (!Number.isFinite(value)) return '';
	const m = MARKS[locale];
	const [int, frac] = plainDigits(value);
	const sign = value < 0 ? '-' : '';
	// Four-digit numbers stay ungrouped (2010, not 2.010): years read naturally, 1250 unambiguously.
	const whole = int.length > 4 ? group(int, m.group) : int;
	return sign + whole + (frac ? m.decimal + frac : '');
}

/**
 * A number written so that no reader can mistake it, whichever convention they use: thousands
 * separated by narrow no-break spaces and the decimal part spelled out, `1 250` or `1 phẩy 25`
 * (vi) / `1 point 25` (en). Used when asking which of two readings the respondent meant.
 */
export function describeNumber(value: number, locale: NumberLocale): string {
	const [int, frac] = plainDigits(value);
	const sign = value < 0 ? '-' : '';
	const whole = sign + group(int, '\u202f');
	if (!frac) return whole;
	return `${whole} ${locale === 'vi' ? 'phẩy' : 'point'} ${frac}`;
}
