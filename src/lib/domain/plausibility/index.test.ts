import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import {
	adviseAnswer,
	checkPlausibilityRules,
	compareWithLastYear,
	compareWithUsualRange,
	lastYearAdvice,
	plausibilityWarnings,
	roundFactor,
	roundOutward,
	usualRange
} from './index';
import { validateRubric } from '../rubric/validate';
import { quantile, sortAscending } from '../statistics/quantile';

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

describe('usualRange', () => {
	it('hand example: p10 and p90 of 1..21, rounded outward to two significant digits', () => {
		// type 7: h = 20·0.1 = 2 → 3; h = 20·0.9 = 18 → 19.
		const v = Array.from({ length: 21 }, (_, i) => i + 1);
		expect(usualRange(v, 20)).toEqual({ n: 21, low: 3, high: 19 });
		const money = v.map((x) => x * 1234.5);
		// 3703.5 → 3700 (down), 23455.5 → 24000 (up).
		expect(usualRange(money, 20)).toEqual({ n: 21, low: 3700, high: 24000 });
	});

	it('is withheld below the minimum number of answers; non-numbers do not count', () => {
		const v = Array.from({ length: 19 }, (_, i) => i + 1);
		expect(usualRange(v, 20)).toBeNull();
		expect(usualRange([...v, NaN, Infinity], 20)).toBeNull();
		expect(usualRange([...v, 20], 20)).not.toBeNull();
	});

	it('property: the bounds enclose the 10th and 90th percentiles, with two significant digits', () => {
		fc.assert(
			fc.property(
				fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 20, maxLength: 60 }),
				(v) => {
					const r = usualRange(v, 20)!;
					const sorted = sortAscending(v);
					// Up to the rounding tolerance for float noise (relative 1e-10: 9e8 + 1e-4 is read as 9e8).
					const lo = quantile(sorted, 0.1);
					const hi = quantile(sorted, 0.9);
					expect(r.low).toBeLessThanOrEqual(lo + 1e-10 * Math.abs(lo));
					expect(r.high).toBeGreaterThanOrEqual(hi - 1e-10 * Math.abs(hi));
					for (const b of [r.low, r.high])
						if (Math.abs(b) >= 1e-300) expect(Number(b.toPrecision(2))).toBe(b);
				}
			)
		);
	});

	it('roundOutward keeps two significant digits', () => {
		expect(roundOutward(0.2871, 'down')).toBe(0.28);
		expect(roundOutward(0.2871, 'up')).toBe(0.29);
		expect(roundOutward(0.29, 'up')).toBe(0.29);
		expect(roundOutward(-1234, 'down')).toBe(-1300);
		expect(roundOutward(-1234, 'up')).toBe(-1200);
		expect(roundOutward(0, 'up')).toBe(0);
	});
});

describe('warnings against the sector and last year', () => {
	const basis = {
		lastYear: { revenue: 250 },
		usual: {
			year: 2025,
			ranges: { revenue: { n: 40, low: 20, high: 900 }, staff: { n: 40, low: 5, high: 300 } }
		},
		ratios: { revenue: 3 }
	};

	it('outside the usual range, either side; the bounds are usual', () => {
		expect(compareWithUsualRange(901, basis.usual.ranges.revenue, 2025)).toMatchObject({
			direction: 'higher'
		});
		expect(compareWithUsualRange(19, basis.usual.ranges.revenue, 2025)).toMatchObject({ direction: 'lower' });
		expect(compareWithUsualRange(900, basis.usual.ranges.revenue, 2025)).toBeNull();
		expect(compareWithUsualRange(20, basis.usual.ranges.revenue, 2025)).toBeNull();
		expect(compareWithUsualRange(5, undefined, 2025)).toBeNull();
	});

	it("the question's own ratio is used, then the sector's range", () => {
		expect(adviseAnswer('revenue', 800, basis).map((a) => a.kind)).toEqual(['last-year']);
		expect(adviseAnswer('revenue', 800, basis)[0]).toMatchObject({ ratio: 3, direction: 'higher' });
		expect(adviseAnswer('revenue', 2500, basis).map((a) => a.kind)).toEqual(['last-year', 'usual-range']);
		expect(adviseAnswer('revenue', 500, basis)).toEqual([]);
		expect(adviseAnswer('revenue', 800, { ...basis, ratios: {} })).toEqual([]);
		expect(
			plausibilityWarnings({ revenue: 2500, staff: 1, other: 1e9, text: 'x' }, basis).map((w) => w.question)
		).toEqual(['revenue', 'revenue', 'staff']);
	});
});

describe('rubric plausibility block', () => {
	const numeric = (q: string) => (q === 'n' ? true : q === 'c' ? false : null);

	it('accepts ratios above 1 for numeric questions, refuses the rest by name', () => {
		expect(checkPlausibilityRules(undefined, numeric)).toEqual([]);
		expect(checkPlausibilityRules({ ratios: { n: 5 } }, numeric)).toEqual([]);
		const msgs = (b: unknown) => checkPlausibilityRules(b, numeric).map((p) => `${p.path}: ${p.message}`);
		expect(msgs({ ratios: { n: 1 } })).toEqual([
			"$.plausibility.ratios.n: ratio for 'n' must be a number above 1 and at most 1000, got 1"
		]);
		expect(msgs({ ratios: { n: '5' } })[0]).toMatch(/must be a number/);
		expect(msgs({ ratios: { c: 5 } })).toEqual([
			"$.plausibility.ratios.c: question 'c' is not a numeric question"
		]);
		expect(msgs({ ratios: { x: 5 } })).toEqual(["$.plausibility.ratios.x: unknown question 'x'"]);
		expect(msgs({ ratio: 5 })).toEqual(['$.plausibility.ratio: unknown key \'ratio\' (only "ratios")']);
		expect(msgs([1])).toEqual(['$.plausibility: plausibility must be {"ratios": {...}}']);
	});

	it('validateRubric applies it to the shipped rubric with its questionnaire', () => {
		const read = (p: string): unknown => JSON.parse(readFileSync(p, 'utf8'));
		const rubric = read('surveys/food/2025.1/rubric.json') as Record<string, unknown>;
		const input = (plausibility: unknown) => ({
			rubric: { ...rubric, plausibility },
			rubricFile: 'rubric.json',
			questionnaire: read('surveys/food/2025.1/questionnaire.json'),
			questionnaireFile: 'questionnaire.json',
			references: [{ file: 'r.json', json: read('surveys/food/reference-values/2025.json') }]
		});
		expect(validateRubric(input({ ratios: { profile_revenue_bn: 5 } }))).toEqual([]);
		expect(
			validateRubric(input({ ratios: { profile_name: 5, profile_revenue_bn: 0.5 } })).map((i) => i.path)
		).toEqual(['$.plausibility.ratios.profile_name', '$.plausibility.ratios.profile_revenue_bn']);
	});
});
