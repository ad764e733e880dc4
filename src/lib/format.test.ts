import { describe, expect, test } from 'vitest';
import { formatAmount, formatNumber, formatPercent, WITHHELD } from './format';

describe('one number formatter per language', () => {
	test('Vietnamese: decimal comma, dot thousands; English: point, comma thousands', () => {
		expect(formatNumber(67.44, 'vi')).toBe('67,4');
		expect(formatNumber(67.44, 'en')).toBe('67.4');
		expect(formatNumber(1234567.89, 'vi', { digits: 2 })).toBe('1.234.567,89');
		expect(formatNumber(1234567.89, 'en', { digits: 2 })).toBe('1,234,567.89');
		expect(formatNumber(43.25, 'vi', { digits: 2 })).toBe('43,25');
		expect(formatNumber(43, 'vi')).toBe('43');
	});

	test('fixed decimals (K keeps two), rounding half away from zero', () => {
		expect(formatNumber(0.5, 'vi', { fixed: 2 })).toBe('0,50');
		expect(formatNumber(0.455, 'en', { fixed: 2 })).toBe('0.46');
		expect(formatNumber(-0.04, 'vi', { fixed: 1 })).toBe('0,0');
		expect(formatNumber(-0.04, 'en')).toBe('0');
		expect(formatNumber(-2.35, 'vi')).toBe('-2,4');
	});

	test('withheld or missing figures show the suppression mark, or the text asked for', () => {
		expect(formatNumber(null, 'vi')).toBe(WITHHELD);
		expect(formatNumber(undefined, 'en')).toBe(':c');
		expect(formatNumber(NaN, 'en')).toBe(':c');
		expect(formatNumber(Infinity, 'vi', { missing: '–' })).toBe('–');
		expect(formatPercent(null, 'vi', { missing: '—' })).toBe('—');
	});

	test('percentages and amounts', () => {
		expect(formatPercent(0.674, 'vi')).toBe('67,4%');
		expect(formatPercent(0.674, 'en')).toBe('67.4%');
		expect(formatPercent(1, 'vi')).toBe('100%');
		expect(formatAmount(2_000_000_000, 'vi')).toBe('2.000.000.000');
		expect(formatAmount(2_000_000_000, 'en')).toBe('2,000,000,000');
		expect(formatAmount(12.6, 'en')).toBe('13');
	});
});
