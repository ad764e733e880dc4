import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, dominanceShare, primaryReasons, resolveRules } from './cells';

describe('threshold rule', () => {
	it('n < k is suppressed (default k = 5); n ≥ k published', () => {
		expect(primaryReasons({ key: 'a', n: 4 })).toEqual(['threshold']);
		expect(primaryReasons({ key: 'a', n: 1 })).toEqual(['threshold']);
		expect(primaryReasons({ key: 'a', n: 5 })).toEqual([]);
		expect(primaryReasons({ key: 'a', n: 50 })).toEqual([]);
	});
	it('k is configurable', () => {
		const r = resolveRules({ k: 3 });
		expect(primaryReasons({ key: 'a', n: 3 }, r)).toEqual([]);
		expect(primaryReasons({ key: 'a', n: 2 }, r)).toEqual(['threshold']);
	});
	it('empty cells are published unless suppressEmpty', () => {
		expect(primaryReasons({ key: 'a', n: 0 })).toEqual([]);
		expect(primaryReasons({ key: 'a', n: 0 }, resolveRules({ suppressEmpty: true }))).toEqual(['threshold']);
	});
	it('rejects bad options', () => {
		expect(() => resolveRules({ k: 0 })).toThrow(/k must be a positive integer/);
		expect(() => resolveRules({ dominance: { topN: 2, share: 1.2 } })).toThrow(/share/);
		expect(() => resolveRules({ dominance: { topN: 0, share: 0.5 } })).toThrow(/topN/);
	});
});

describe('dominance rule (top 2 > 85 % by default)', () => {
	it('shares by hand', () => {
		expect(dominanceShare([50, 30, 10, 10], 1)).toBeCloseTo(0.5, 12);
		expect(dominanceShare([10, 50, 10, 30], 2)).toBeCloseTo(0.8, 12);
		expect(dominanceShare([0, 0], 2)).toBeNull();
		expect(dominanceShare([], 2)).toBeNull();
		expect(dominanceShare([-90, 5, 5], 1)).toBeCloseTo(0.9, 12); // absolute values
	});
	it('suppresses a magnitude cell dominated by its two largest contributors', () => {
		// top two 700 + 200 = 900 of 1000 = 90 % > 85 %, although n = 6 passes the threshold
		const cell = { key: 'rev', n: 6, value: 1000, contributions: [700, 200, 40, 30, 20, 10] };
		expect(primaryReasons(cell)).toEqual(['dominance']);
		// top two 500 + 300 = 80 % → published
		expect(primaryReasons({ ...cell, contributions: [500, 300, 80, 60, 40, 20] })).toEqual([]);
		// exactly 85 % is not "more than 85 %"
		expect(primaryReasons({ ...cell, contributions: [600, 250, 50, 40, 30, 30] })).toEqual([]);
		// top-1 rule variant: 700/1000 = 70 % → published under (1, 85 %)
		expect(primaryReasons(cell, resolveRules({ dominance: { topN: 1, share: 0.85 } }))).toEqual([]);
		expect(primaryReasons(cell, resolveRules({ dominance: null }))).toEqual([]);
		expect(primaryReasons({ key: 'x', n: 2, contributions: [5, 5] }, DEFAULT_RULES)).toEqual([
			'threshold',
			'dominance'
		]);
	});
});
