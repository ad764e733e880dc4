import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	describeNumber,
	formatTypedNumber,
	parseTypedNumber,
	type NumberLocale,
	type TypedNumber
} from './typed';

const num = (value: number, convention: 'locale' | 'other' = 'locale'): TypedNumber => ({
	kind: 'number',
	value,
	convention
});

describe('parseTypedNumber in Vietnamese', () => {
	it.each([
		['3,5', 3.5],
		['12,5', 12.5],
		['1.250.000', 1_250_000],
		['1 250 000', 1_250_000],
		['1\u00a0250\u202f000', 1_250_000],
		['1.250.000,75', 1_250_000.75],
		['1 250 000,75', 1_250_000.75],
		['0,01', 0.01],
		[',5', 0.5],
		['  42  ', 42],
		['007', 7],
		['-3,5', -3.5],
		['\u22123,5', -3.5],
		['+7', 7],
		['-0', 0],
		['100000', 100_000]
	])('%j → %d', (s, v) => {
		expect(parseTypedNumber(s, 'vi')).toEqual(num(v));
	});

	it.each([
		['1.5', 1.5],
		['0.250', 0.25],
		['1,250,000', 1_250_000],
		['1,250,000.5', 1_250_000.5],
		['1234.5', 1234.5]
	])('%j is read the English way (%d) and must be echoed', (s, v) => {
		expect(parseTypedNumber(s, 'vi')).toEqual(num(v, 'other'));
	});

	it.each([
		['1.250', [1250, 1.25]],
		['1,250', [1.25, 1250]],
		['-12.500', [-12500, -12.5]],
		['999.999', [999_999, 999.999]]
	] as const)('%j is ambiguous: %j', (s, readings) => {
		expect(parseTypedNumber(s, 'vi')).toEqual({ kind: 'ambiguous', readings });
	});
});

describe('parseTypedNumber in English', () => {
	it.each([
		['3.5', 3.5],
		['1,250,000', 1_250_000],
		['1 250 000', 1_250_000],
		['1,250,000.25', 1_250_000.25],
		['.5', 0.5],
		['-2', -2]
	])('%j → %d', (s, v) => {
		expect(parseTypedNumber(s, 'en')).toEqual(num(v));
	});

	it('reads a Vietnamese decimal comma as such, and says so', () => {
		expect(parseTypedNumber('3,5', 'en')).toEqual(num(3.5, 'other'));
		expect(parseTypedNumber('1.250.000,5', 'en')).toEqual(num(1_250_000.5, 'other'));
	});

	it('asks about 1,250 and 1.250', () => {
		expect(parseTypedNumber('1,250', 'en')).toEqual({ kind: 'ambiguous', readings: [1250, 1.25] });
		expect(parseTypedNumber('1.250', 'en')).toEqual({ kind: 'ambiguous', readings: [1.25, 1250] });
	});
});

describe('bad input is refused with a reason, never read as some number', () => {
	it.each([
		['abc', 'characters'],
		['12a', 'characters'],
		['Infinity', 'characters'],
		['-Infinity', 'characters'],
		['NaN', 'characters'],
		['0x10', 'characters'],
		['12%', 'characters'],
		['1/2', 'characters'],
		['--5', 'characters'],
		['1e309', 'exponent'],
		['2.817e3', 'exponent'],
		['1E-5', 'exponent'],
		['1,2,3', 'separators'],
		['3,5,1', 'separators'],
		['1.2.3', 'separators'],
		['1,2.3,4', 'separators'],
		['12 34', 'separators'],
		['1.25.000', 'separators'],
		['0.250.000', 'separators'],
		['- 5', 'separators'],
		['3,', 'incomplete'],
		['3.', 'incomplete'],
		['-', 'incomplete'],
		[',', 'incomplete'],
		['1234567890123456', 'too-long'],
		['0,1234567890123456', 'too-long']
	])('%j: %s', (s, reason) => {
		for (const locale of ['vi', 'en'] as const)
			expect(parseTypedNumber(s, locale), locale).toEqual({ kind: 'invalid', reason });
	});

	it('blank is no answer', () => {
		expect(parseTypedNumber('', 'vi')).toEqual({ kind: 'empty' });
		expect(parseTypedNumber(' \u00a0 ', 'en')).toEqual({ kind: 'empty' });
	});
});

describe('formatTypedNumber and describeNumber', () => {
	it.each([
		[1_250_000.5, '1.250.000,5', '1,250,000.5'],
		[3.5, '3,5', '3.5'],
		[0.01, '0,01', '0.01'],
		[999, '999', '999'],
		[1000, '1000', '1000'],
		[2010, '2010', '2010'],
		[-1250.5, '-1250,5', '-1250.5'],
		[-12_500, '-12.500', '-12,500'],
		[1e21, '1.000.000.000.000.000.000.000', '1,000,000,000,000,000,000,000'],
		[1.5e-7, '0,00000015', '0.00000015']
	])('%d → %j / %j', (v, vi, en) => {
		expect(formatTypedNumber(v, 'vi')).toBe(vi);
		expect(formatTypedNumber(v, 'en')).toBe(en);
	});

	it('describes numbers so neither convention can misread them', () => {
		expect(describeNumber(1250, 'vi')).toBe('1\u202f250');
		expect(describeNumber(1.25, 'vi')).toBe('1 phẩy 25');
		expect(describeNumber(1.25, 'en')).toBe('1 point 25');
	});
});

const LOCALES: NumberLocale[] = ['vi', 'en'];
const locale = fc.constantFrom(...LOCALES);
/** Values a questionnaire holds: up to 15 significant digits. */
const value = fc
	.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 4 }))
	.map(([n, d]) => n / 10 ** d);

describe('properties', () => {
	it('what is shown reads back, in the same language, as the stored value', () => {
		fc.assert(
			fc.property(value, locale, (x, loc) => {
				const r = parseTypedNumber(formatTypedNumber(x, loc), loc);
				const own = r.kind === 'number' ? r.value : r.kind === 'ambiguous' ? r.readings[0] : NaN;
				expect(own).toBe(x === 0 ? 0 : x);
			}),
			{ numRuns: 2000 }
		);
	});

	it("a number written the other language's way is never silently read as another value", () => {
		fc.assert(
			fc.property(value, locale, (x, loc) => {
				const written = formatTypedNumber(x, loc === 'vi' ? 'en' : 'vi');
				const r = parseTypedNumber(written, loc);
				if (r.kind === 'number') expect(r.value).toBe(x === 0 ? 0 : x);
				else {
					expect(r.kind).toBe('ambiguous');
					if (r.kind === 'ambiguous') expect(r.readings).toContain(x === 0 ? 0 : x);
				}
			}),
			{ numRuns: 2000 }
		);
	});

	it('spaces between thousands read the same in both languages', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 1e12 }), locale, (n, loc) => {
				const spaced = describeNumber(n, loc);
				expect(parseTypedNumber(spaced, loc)).toEqual(num(n));
			})
		);
	});

	it('any text: never throws; a number is finite and made of the digits typed', () => {
		const text = fc
			.array(fc.constantFrom(...'0123456789.,  -eE+x%a\u00a0'.split('')), { maxLength: 20 })
			.map((cs) => cs.join(''));
		fc.assert(
			fc.property(text, locale, (s, loc) => {
				const r = parseTypedNumber(s, loc);
				const values = r.kind === 'number' ? [r.value] : r.kind === 'ambiguous' ? r.readings : [];
				const typedDigits = s.replace(/[^0-9]/g, '').replace(/^0+/, '');
				for (const v of values) {
					expect(Number.isFinite(v)).toBe(true);
					const shown = formatTypedNumber(v, 'en')
						.replace(/[^0-9]/g, '')
						.replace(/^0+/, '');
					// The value's digits are the typed ones (trailing zeros of a decimal part aside).
					expect(typedDigits.startsWith(shown) || shown === '').toBe(true);
				}
			}),
			{ numRuns: 3000 }
		);
	});

	it('ambiguity only ever offers two different values', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 999 }), locale, (a, b, loc) => {
				const s = `${a}.${String(b).padStart(3, '0')}`;
				const r = parseTypedNumber(s, loc);
				if (r.kind === 'ambiguous') expect(r.readings[0]).not.toBe(r.readings[1]);
				else expect(r.kind).toBe('number');
			})
		);
	});
});
