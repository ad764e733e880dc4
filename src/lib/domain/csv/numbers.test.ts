import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectNumberFormat, parseLocaleNumber, type NumberFormat } from './numbers';

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

describe('parseLocaleNumber on plain digits', () => {
	const format = fc.constantFrom<NumberFormat>('dot-decimal', 'comma-decimal');
	const digits = (max: number) => fc.stringMatching(new RegExp(`^[0-9]{1,${max}}$`));

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
