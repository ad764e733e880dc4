import { describe, expect, it } from 'vitest';
import { adviceText, comparisonText } from './plausibility-text';

describe('plausibility warnings in words', () => {
	const last = {
		kind: 'last-year',
		value: 2500,
		previous: 250,
		factor: 10,
		direction: 'higher',
		ratio: 10
	} as const;
	const usual = {
		kind: 'usual-range',
		value: 0.5,
		low: 12000,
		high: 95000.5,
		direction: 'lower',
		year: 2025
	} as const;

	it('writes numbers the way each language does', () => {
		expect(adviceText(usual, 'vi')).toContain('12.000 – 95.000,5');
		expect(adviceText(usual, 'vi')).toContain('thấp hơn mức thường gặp');
		expect(adviceText(usual, 'en')).toContain('12,000 – 95,000.5');
		expect(adviceText(usual, 'en')).toContain('below the range');
		expect(adviceText({ ...usual, direction: 'higher' }, 'en')).toContain('above the range');
		expect(adviceText(last, 'vi')).toContain('gấp khoảng 10 lần');
	});

	it('says what the answer was compared with, and by which ratio', () => {
		expect(comparisonText({ ...last, factor: 12.4, ratio: 5 }, 'en')).toBe(
			'last year: 250 (12 times, threshold ×5)'
		);
		expect(comparisonText({ ...last, direction: 'lower', factor: 9.96 }, 'vi')).toBe(
			'năm trước: 250 (bằng 1/10, ngưỡng ×10)'
		);
		expect(comparisonText(usual, 'vi')).toBe('mức thường gặp năm 2025: 12.000 – 95.000,5');
	});
});
