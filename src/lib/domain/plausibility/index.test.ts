import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareWithLastYear, lastYearAdvice, roundFactor } from './index';

describe('compareWithLastYear', () => {
	it('flags ten times more or less, not less than that', () => {
		expect(compareWithLastYear(250, 25)).toMatchObject({ factor: 10, direction: 'higher' });
		expect(compareWithLastYear(2.5, 25)).toMatchObject({ factor: 10, direction: 'lower' });
		expect(compareWithLastYear(249, 25)).toBeNull();
		expect(compareWithLastYear(2.6, 25)).toBeNull();
		expect(compareWithLastYear(3500, 3.5)).toMatchObject({ factor: 1000, direction: 'higher' });
	});

	it('has nothing to say without a comparable number', () => {
		for (const prev of [undefined, null, '25', NaN, Infinity, 0])
			expect(compareWithLastYear(250, prev)).toBeNull();
		expect(compareWithLastYear(0, 25)).toBeNull();
		expect(compareWithLastYear(-250, 25)).toBeNull();
		expect(compareWithLastYear(250, 25, 1)).toBeNull();
	});

	it('a per-question ratio replaces the default', () => {
		expect(compareWithLastYear(60, 25, 2)).toMatchObject({ direction: 'higher' });
		expect(compareWithLastYear(60, 25)).toBeNull();
	});

	it('symmetric: swapping this year and last year swaps the direction, same factor', () => {
		const pos = fc.double({ min: 1e-6, max: 1e9, noNaN: true });
		fc.assert(
			fc.property(pos, pos, (a, b) => {
				const x = compareWithLastYear(a, b);
				const y = compareWithLastYear(b, a);
				if (x === null) return;
				// Floating point at the boundary aside, the reverse is flagged the other way.
				if (y) {
					expect(y.direction).not.toBe(x.direction);
					expect(Math.abs(y.factor - x.factor) / x.factor).toBeLessThan(1e-12);
				}
			})
		);
	});
});

describe('lastYearAdvice', () => {
	it('lists the answers far from last year, and only those', () => {
		const out = lastYearAdvice(
			{ revenue: 2500, staff: 40, equipment: 'x' },
			{ revenue: 250, staff: 38, equipment: 3, missing: 5 }
		);
		expect(out.map((o) => o.question)).toEqual(['revenue']);
	});

	it('rounds factors for people', () => {
		expect(roundFactor(12.4)).toBe(12);
		expect(roundFactor(9.96)).toBe(10);
		expect(roundFactor(9.54)).toBe(9.5);
	});
});
