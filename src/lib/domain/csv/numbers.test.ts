import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	detectNumberFormat,
	parseLocaleNumber,
	parseLocaleNumberGeneral,
	type NumberFormat,
	type ParseNumberOptions
} from './numbers';

describe('parseLocaleNumber', () => {
	it.each([
		['1.234,5', 'comma-decimal', 1234.5],
		['1,234.5', 'dot-decimal', 1234.5],
		['12.000.000', 'comma-decimal', 12_000_000],
		['1,234,567', 'dot-decimal', 1_234_567],
		['1 234 567,25', 'comma-decimal', 1_234_567.25],
		['1\u00a0234.5', 'dot-decimal', 1234.5],
		['-1.234,5', 'comma-decimal', -1234.5],
		['\u22125', 'dot-decimal', -5],
		['(1,234)', 'dot-decimal', -1234],
		['+7', 'dot-decimal', 7],
		['0,5', 'comma-decimal', 0.5],
		['.5', 'dot-decimal', 0.5],
		['1.5E+06', 'dot-decimal', 1_500_000],
		['1,5E+06', 'comma-decimal', 1_500_000],
		['1234', 'comma-decimal', 1234],
		['1,234', 'comma-decimal', 1.234],
		['1.234', 'comma-decimal', 1234]
	] as const)('%s (%s) → %d', (s, f, v) => {
		expect(parseLocaleNumber(s, f)).toBe(v);
	});

	it.each([
		['1,23', 'dot-decimal'],
		['1234,5', 'dot-decimal'],
		['1.234.5', 'dot-decimal'],
		['1,234.5', 'comma-decimal'],
		['12,34,567', 'dot-decimal'],
		['abc', 'dot-decimal'],
		['', 'dot-decimal'],
		['-', 'dot-decimal'],
		['1.', 'dot-decimal'],
		['(-5)', 'dot-decimal'],
		['5%', 'dot-decimal'],
		['0x10', 'dot-decimal'],
		['Infinity', 'dot-decimal']
	] as const)('%s is not a number in %s', (s, f) => {
		expect(parseLocaleNumber(s, f)).toBeNull();
	});

	it('handles percentages only when asked', () => {
		expect(parseLocaleNumber('12,5%', 'comma-decimal', { percent: 'strip' })).toBe(12.5);
		expect(parseLocaleNumber('12.5 %', 'dot-decimal', { percent: 'fraction' })).toBe(0.125);
	});

	it('reads back any number formatted by Intl in vi-VN and en-US', () => {
		fc.assert(
			fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), (x) => {
				const v = Math.round(x * 100) / 100;
				const vi = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }).format(v);
				const en = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(v);
				expect(parseLocaleNumber(vi, 'comma-decimal')).toBeCloseTo(v, 6);
				expect(parseLocaleNumber(en, 'dot-decimal')).toBeCloseTo(v, 6);
			})
		);
	});
});

describe('parseLocaleNumber fast path', () => {
	const format = fc.constantFrom<NumberFormat>('dot-decimal', 'comma-decimal');
	const percent = fc.constantFrom<ParseNumberOptions | undefined>(
		undefined,
		{ percent: 'reject' },
		{ percent: 'strip' },
		{ percent: 'fraction' }
	);
	const digits = (max: number) => fc.stringMatching(new RegExp(`^[0-9]{1,${max}}$`));
	// What the fast path takes: digits, optionally one decimal mark and digits (any length).
	const plain = fc
		.tuple(digits(40), fc.option(digits(40)), fc.constantFrom('.', ','))
		.map(([i, f, mark]) => (f === null ? i : `${i}${mark}${f}`));
	// …and its edges: a mark at either end, two marks, the other format's mark.
	const nearlyPlain = fc
		.tuple(fc.constantFrom('', '.', ','), fc.option(digits(20)), fc.constantFrom('', '.', ',', '.,', ',,'))
		.chain(([pre, i, mid]) =>
			fc
				.tuple(fc.option(digits(20)), fc.constantFrom('', '.', ','))
				.map(([f, post]) => `${pre}${i ?? ''}${mid}${f ?? ''}${post}`)
		);
	// Everything around it: signs, parentheses, grouping, spaces, exponents, %, junk.
	const piece = fc.constantFrom(
		...['0', '1', '5', '9', '12', '123', '1234', '007', '.', ',', ' ', '  ', '\u00a0', '\u202f', '\t'],
		...['-', '+', '\u2212', '(', ')', 'e', 'E', 'e+', 'e-', '%', 'x', 'Infinity', '\u0663', '\uff11']
	);
	const messy = fc.array(piece, { maxLength: 10 }).map((a) => a.join(''));
	const grouped = fc
		.tuple(
			fc.integer({ min: 1, max: 999 }),
			fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 4 }),
			fc.constantFrom(',', '.', ' ', '\u00a0'),
			fc.option(digits(6)),
			fc.constantFrom('.', ','),
			fc.constantFrom('', '-', '+', '(', '\u2212'),
			fc.constantFrom('', 'e3', 'E-2', '%', ')')
		)
		.map(
			([head, groups, sep, frac, mark, sign, tail]) =>
				sign +
				String(head) +
				groups.map((g) => sep + String(g).padStart(3, '0')).join('') +
				(frac === null ? '' : mark + frac) +
				tail
		);
	const huge = fc.integer({ min: 300, max: 330 }).map((n) => '9'.repeat(n));
	const input = fc.oneof(
		plain,
		nearlyPlain,
		messy,
		grouped,
		huge,
		fc.string(),
		fc.string({ unit: 'binary' })
	);

	it('agrees with the general parser on every input, in both formats and percent modes', () => {
		fc.assert(
			fc.property(input, format, percent, (s, f, p) => {
				// toBe is Object.is: -0 and 0 differ, as they would in stored answers.
				expect(parseLocaleNumber(s, f, p)).toBe(parseLocaleNumberGeneral(s, f, p));
			}),
			{ numRuns: 5000 }
		);
	});

	it("reads plain digits with the format's decimal mark as the decimal value", () => {
		fc.assert(
			fc.property(digits(20), fc.option(digits(20)), format, (i, f, fmt) => {
				const mark = fmt === 'dot-decimal' ? '.' : ',';
				const s = f === null ? i : `${i}${mark}${f}`;
				expect(parseLocaleNumber(s, fmt)).toBe(Number(f === null ? i : `${i}.${f}`));
			})
		);
	});
});

describe('detectNumberFormat', () => {
	it('is confident with decisive samples one way', () => {
		const r = detectNumberFormat(['1.234,5', '12', '0,75', '1.000', '']);
		expect(r.format).toBe('comma-decimal');
		expect(r.confident).toBe(true);
		expect(r.evidence).toMatchObject({ commaDecimal: 2, ambiguous: 1, neutral: 1 });
		expect(detectNumberFormat(['1,234.5', '3.25'])).toMatchObject({ format: 'dot-decimal', confident: true });
	});

	it('is not confident when only ambiguous samples decide', () => {
		const r = detectNumberFormat(['1,234', '5,000', '17']);
		expect(r.confident).toBe(false);
		expect(r.evidence.examples.ambiguous).toEqual(['1,234', '5,000']);
		expect(detectNumberFormat(['1,234'], { fallback: 'comma-decimal' }).format).toBe('comma-decimal');
	});

	it('is not confident when samples disagree; majority wins', () => {
		const r = detectNumberFormat(['1,5', '2,25', '3.75']);
		expect(r).toMatchObject({ format: 'comma-decimal', confident: false });
	});

	it('integers only: format does not matter, confident', () => {
		expect(detectNumberFormat(['1', '22', 'abc'])).toMatchObject({
			confident: true,
			evidence: { invalid: 1 }
		});
	});
});
