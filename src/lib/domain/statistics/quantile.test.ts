import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	percentileRank,
	quantile,
	summary,
	weightedPercentileRank,
	weightedQuantile,
	weightedSummary
} from './quantile';

describe('quantile (Hyndman–Fan type 7)', () => {
	it('1..10 by hand: h = (n − 1)p, interpolate between x[floor h] and x[floor h + 1]', () => {
		const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
		expect(quantile(s, 0)).toBe(1);
		expect(quantile(s, 0.25)).toBeCloseTo(3.25, 12); // h = 2.25 → 3 + 0.25·(4 − 3)
		expect(quantile(s, 0.5)).toBeCloseTo(5.5, 12); // h = 4.5 → 5 + 0.5·1
		expect(quantile(s, 0.75)).toBeCloseTo(7.75, 12); // h = 6.75
		expect(quantile(s, 0.9)).toBeCloseTo(9.1, 12); // h = 8.1 → 9 + 0.1·1
		expect(quantile(s, 1)).toBe(10);
	});
	it('uneven gaps by hand', () => {
		const s = [15, 20, 35, 40, 50];
		expect(quantile(s, 0.25)).toBe(20); // h = 1 exactly
		expect(quantile(s, 0.4)).toBeCloseTo(29, 12); // h = 1.6 → 20 + 0.6·15
		expect(quantile(s, 0.9)).toBeCloseTo(46, 12); // h = 3.6 → 40 + 0.6·10
		expect(quantile([7], 0.3)).toBe(7);
	});
	it('rejects empty, unsorted and out-of-range input', () => {
		expect(() => quantile([], 0.5)).toThrow(/empty/);
		expect(() => quantile([2, 1], 0.5)).toThrow(/index 1/);
		expect(() => quantile([1, 2], 1.5)).toThrow(/\[0, 1\]/);
	});
});

describe('summary', () => {
	it('hand example (unsorted input)', () => {
		// sorted 15 20 35 40 50; mean 32; squared deviations 289+144+9+64+324 = 830; sd = √(830/4)
		const s = summary([50, 15, 40, 20, 35]);
		expect(s).toMatchObject({ n: 5, mean: 32, min: 15, p25: 20, median: 35, p75: 40, max: 50 });
		expect(s.sd).toBeCloseTo(Math.sqrt(207.5), 12);
		expect(s.p90).toBeCloseTo(46, 12);
	});
	it('empty → n 0 and nulls; one value → sd null', () => {
		expect(summary([])).toEqual({
			n: 0,
			mean: null,
			sd: null,
			min: null,
			p25: null,
			median: null,
			p75: null,
			p90: null,
			max: null
		});
		expect(summary([3])).toMatchObject({ n: 1, mean: 3, sd: null, median: 3 });
		expect(() => summary([1, Number.NaN])).toThrow(/values\[1\]/);
	});
});

describe('weighted quantiles and summary', () => {
	it('equal weights reproduce type 7 exactly (property)', () => {
		fc.assert(
			fc.property(
				fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 40 }),
				fc.double({ min: 0, max: 1, noNaN: true }),
				fc.integer({ min: 1, max: 50 }),
				(xs, p, w) => {
					const sorted = [...xs].sort((a, b) => a - b);
					const got = weightedQuantile(
						xs,
						xs.map(() => w),
						p
					);
					expect(got).toBeCloseTo(quantile(sorted, p), 8);
				}
			)
		);
	});
	it('hand example: values 1,2,3 with weights 1,2,1', () => {
		// n* = (Σw)²/Σw² = 16/6 = 8/3; cumulative shares t = 0.25, 0.75, 1.
		// median: h* = (n* − 1)/2 + 1 = 11/6; window [(h*−1)/n*, h*/n*] = [5/16, 11/16] lies inside (0.25, 0.75]
		// → all mass on x = 2.
		expect(weightedQuantile([3, 1, 2], [1, 1, 2], 0.5)).toBeCloseTo(2, 12);
		// p25: h* = 17/12; window [5/32, 17/32]; mass on x=1: (0.25 − 5/32)·8/3 = 0.25; on x=2: 0.75 → 1.75
		expect(weightedQuantile([1, 2, 3], [1, 2, 1], 0.25)).toBeCloseTo(1.75, 12);
		const s = weightedSummary([1, 2, 3], [1, 2, 1]);
		expect(s.mean).toBeCloseTo(2, 12); // (1 + 4 + 3)/4
		// weighted variance (1 + 0 + 1)/4 = 0.5, times n/(n − 1) = 3/2 → 0.75
		expect(s.sd).toBeCloseTo(Math.sqrt(0.75), 12);
		expect(s).toMatchObject({ n: 3, sumWeights: 4, min: 1, max: 3 });
	});
	it('weights move the estimate: 10 (w 3) and 20 (w 1)', () => {
		// n* = 16/10 = 1.6; h* = 1.3; window [0.1875, 0.8125]; t1 = 0.75 → mass 0.9 on 10, 0.1 on 20 → 11
		expect(weightedQuantile([10, 20], [3, 1], 0.5)).toBeCloseTo(11, 12);
		expect(weightedQuantile([10, 20], [1, 1], 0.5)).toBeCloseTo(15, 12);
	});
	it('zero weights are ignored; bad weights rejected', () => {
		expect(weightedQuantile([1, 100, 3], [1, 0, 1], 0.5)).toBeCloseTo(2, 12);
		expect(() => weightedQuantile([1, 2], [1, -1], 0.5)).toThrow(/weights\[1\] is negative/);
		expect(() => weightedQuantile([1, 2], [1], 0.5)).toThrow(/length/);
		expect(() => weightedQuantile([1], [0], 0.5)).toThrow(/positive weight/);
		expect(weightedSummary([], [])).toMatchObject({ n: 0, mean: null, sumWeights: 0 });
	});
});

describe('percentileRank (strictly below + half of ties)', () => {
	const peers = [1, 2, 2, 3, 5];
	it('hand examples', () => {
		expect(percentileRank(2, peers)).toBeCloseTo(40, 12); // (1 + 2/2)/5
		expect(percentileRank(4, peers)).toBeCloseTo(80, 12); // 4 below
		expect(percentileRank(5, peers)).toBeCloseTo(90, 12); // (4 + 0.5)/5
		expect(percentileRank(0, peers)).toBe(0);
		expect(percentileRank(9, peers)).toBe(100);
		expect(percentileRank(1, [])).toBeNull();
	});
	it('weighted: weight shares', () => {
		// below 2: weight 1; equal: 3 (half → 1.5); total 1 + 3 + 4 = 8 → 31.25
		expect(weightedPercentileRank(2, [1, 2, 3], [1, 3, 4])).toBeCloseTo(31.25, 12);
		expect(weightedPercentileRank(2, peers, [1, 1, 1, 1, 1])).toBeCloseTo(40, 12);
	});
});
