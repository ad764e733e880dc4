import { describe, expect, it } from 'vitest';
import { parseTaxCode, taxCodeChecksumValid } from './taxCode';

describe('parseTaxCode', () => {
	it.each([
		['0101234567', '0101234567'],
		[' 0101234567 ', '0101234567'],
		['0101 234 567', '0101234567'],
		['0101234567-001', '0101234567-001'],
		['0101234567 - 001', '0101234567-001'],
		['0101234567–001', '0101234567-001'],
		['0101234567001', '0101234567-001']
	])('%j → %s', (input, want) => {
		expect(parseTaxCode(input)).toEqual({ ok: true, value: want });
	});

	it.each([
		'',
		'   ',
		'010123456',
		'01012345678',
		'0101234567-01',
		'0101234567-0011',
		'A101234567',
		'0101234567/001'
	])('rejects %j with a bilingual message', (input) => {
		const r = parseTaxCode(input);
		expect(r.ok).toBe(false);
		expect(r.error?.vi.length).toBeGreaterThan(0);
		expect(r.error?.en.length).toBeGreaterThan(0);
	});

	it('rejects numbers (leading zeros would be lost) and non-strings', () => {
		expect(parseTaxCode(101234567).error?.en).toMatch(/leading zeros/);
		expect(parseTaxCode(null).ok).toBe(false);
	});

	it('does not reject on the check digit', () => {
		expect(taxCodeChecksumValid('0100109107')).toBe(false);
		expect(parseTaxCode('0100109107').ok).toBe(true);
	});
});

describe('taxCodeChecksumValid (informative only)', () => {
	it('accepts well-known codes, computed by hand', () => {
		// 0100109106: 0·31+1·29+0·23+0·19+1·17+0·13+9·7+1·5+0·3 = 114; 114 mod 11 = 4; 10 − 4 = 6 ✓
		expect(taxCodeChecksumValid('0100109106')).toBe(true);
		// 0300588569: 3·29+5·17+8·13+8·7+5·5+6·3 = 375; 375 mod 11 = 1; 10 − 1 = 9 ✓
		expect(taxCodeChecksumValid('0300588569')).toBe(true);
		// the suffix of a dependent unit is not part of the check
		expect(taxCodeChecksumValid('0300588569-002')).toBe(true);
	});
	it('flags a wrong check digit and returns null where the rule is undefined', () => {
		expect(taxCodeChecksumValid('0300588568')).toBe(false);
		// 1000000000: 1·31 = 31; 31 mod 11 = 9 → 1; and 0000000000: sum 0, mod 11 = 0 → undefined
		expect(taxCodeChecksumValid('1000000001')).toBe(true);
		expect(taxCodeChecksumValid('0000000000')).toBeNull();
		expect(taxCodeChecksumValid('123')).toBeNull();
	});
});
