import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { summary } from '../statistics/quantile';
import { meanIntervalFromMoments } from '../statistics/intervals';
import { failsPPercent, primaryReasons, resolveRules } from './cells';
import {
	DEFAULT_STATISTIC_RULES,
	publicStatisticBlock,
	publishedStatistics,
	resolveStatisticRules,
	roundTo,
	type StatisticBlock
} from './statistics';
import { ambiguityWitness, reconstructSmallCell, seededRandom } from './statisticsAttack';

/** The block a release stores for a cell (unprotected), as releases stored it before the statistics were protected. */
function rawBlock(values: readonly number[]): StatisticBlock {
	const s = summary(values);
	const ci = meanIntervalFromMoments(s.n, s.mean, s.sd);
	return { ...s, lower: ci.lower, upper: ci.upper };
}
const publicBlock = (values: readonly number[]) => publicStatisticBlock(rawBlock(values), 'score');

describe('roundTo', () => {
	it('hand examples', () => {
		expect(roundTo(52.349, 0.1)).toBe(52.3);
		expect(roundTo(52.35, 0.1)).toBe(52.4); // half away from zero
		expect(roundTo(0.1 + 0.2, 0.1)).toBe(0.3);
		expect(roundTo(2.675, 0.01)).toBe(2.68);
		expect(roundTo(73.1, 0.5)).toBe(73);
		expect(roundTo(73.25, 0.5)).toBe(73.5);
		expect(roundTo(-1.25, 0.5)).toBe(-1.5);
		expect(roundTo(0.4567, 0.001)).toBe(0.457);
		expect(roundTo(41.33, 0.1, 'down')).toBe(41.3);
		expect(roundTo(41.33, 0.1, 'up')).toBe(41.4);
		expect(roundTo(41.3, 0.1, 'up')).toBe(41.3);
		expect(roundTo(12.3456, 0)).toBe(12.3456);
	});
	it('property: the result is within half a grid step and on the grid', () => {
		fc.assert(
			fc.property(
				fc.double({ min: -1000, max: 1000, noNaN: true }),
				fc.constantFrom(0.001, 0.01, 0.1, 0.5, 1),
				(x, base) => {
					const y = roundTo(x, base);
					expect(Math.abs(y - x)).toBeLessThanOrEqual(base / 2 + 1e-9);
					expect(Math.abs(y / base - Math.round(y / base))).toBeLessThan(1e-6);
				}
			)
		);
	});
});

describe('rules', () => {
	it('defaults: spread from n = 10, p25/median/p75 from 10, p90 from 20, never min/max', () => {
		expect(publishedStatistics(5)).toEqual(['n', 'mean']);
		expect(publishedStatistics(9)).toEqual(['n', 'mean']);
		expect(publishedStatistics(10)).toEqual(['n', 'mean', 'sd', 'interval', 'p25', 'median', 'p75']);
		expect(publishedStatistics(20)).toContain('p90');
	});
	it('are configurable and validated', () => {
		const r = resolveStatisticRules({
			minNSpread: 15,
			minNPercentile: { p25: 12, median: 12, p75: 12, p90: 30 }
		});
		expect(publishedStatistics(12, r)).toEqual(['n', 'mean', 'p25', 'median', 'p75']);
		expect(() => resolveStatisticRules({ minNSpread: 0 })).toThrow(/minNSpread/);
		expect(() =>
			resolveStatisticRules({
				rounding: { ...DEFAULT_STATISTIC_RULES.rounding, score: { mean: -1, spread: 0, percentile: 0 } }
			})
		).toThrow(/rounding\.score\.mean/);
	});
	it('hand example, n = 7: mean rounded, nothing else', () => {
		// 41.5 48 52.5 55 63 70.5 77 (docs/sector-database.md §3): mean 58.2142…
		const b = publicBlock([41.5, 48, 52.5, 55, 63, 70.5, 77]);
		expect(b).toEqual({
			n: 7,
			mean: 58.2,
			sd: null,
			min: null,
			p25: null,
			median: null,
			p75: null,
			p90: null,
			max: null,
			lower: null,
			upper: null
		});
	});
	it('hand example, n = 10: quartiles on a 1-point grid, interval rounded outward, no p90', () => {
		const b = publicBlock([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((x) => 40 + 3 * x));
		// values 43 … 70; mean 56.5; p25 = 49.75 → 50; median 56.5 → 57; p75 = 63.25 → 63; sd 9.0830 → 9.1
		expect(b.mean).toBe(56.5);
		expect(b.p25).toBe(50);
		expect(b.median).toBe(57);
		expect(b.p75).toBe(63);
		expect(b.p90).toBeNull();
		expect(b.sd).toBe(9.1);
		// t(0.975, 9) = 2.2622 → 56.5 ± 6.4977 = [50.002, 62.998] → outward [50.0, 63.0]
		expect(b.lower).toBe(50);
		expect(b.upper).toBe(63);
		expect(b.min).toBeNull();
		expect(b.max).toBeNull();
	});
	it('property: a public block never shows min/max, spread below 10 or p90 below 20', () => {
		fc.assert(
			fc.property(
				fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 40 }),
				(xs) => {
					const b = publicBlock(xs);
					expect(b.min).toBeNull();
					expect(b.max).toBeNull();
					if (xs.length < 10)
						expect([b.sd, b.lower, b.upper, b.p25, b.median, b.p75]).toEqual([
							null,
							null,
							null,
							null,
							null,
							null
						]);
					if (xs.length < 20) expect(b.p90).toBeNull();
					if (b.p25 !== null && b.median !== null && b.p75 !== null) {
						expect(b.p25).toBeLessThanOrEqual(b.median);
						expect(b.median).toBeLessThanOrEqual(b.p75);
					}
				}
			)
		);
	});
});

describe('attack: rebuild a small cell from its statistics', () => {
	// A small cell of five members, as in the demo data.
	const demo = [31.5, 44.25, 52, 58.75, 77.5];
	it('n = 5: the unprotected block gives every member back (the measured leak)', () => {
		const got = reconstructSmallCell(rawBlock(demo));
		expect(got).not.toBeNull();
		got!.forEach((x, i) => expect(x).toBeCloseTo(demo[i], 9));
	});
	it('n = 5: the public block defeats it', () => {
		expect(reconstructSmallCell(publicBlock(demo))).toBeNull();
	});
	it('n = 6 with sd: the unprotected block gives the members back in every random trial', () => {
		const rand = seededRandom(6);
		let rebuilt = 0;
		for (let t = 0; t < 500; t++) {
			const xs = Array.from({ length: 6 }, () => Math.round(200 * (20 + 70 * rand())) / 200).sort(
				(a, b) => a - b
			);
			const got = reconstructSmallCell(rawBlock(xs));
			if (got && got.every((x, i) => Math.abs(x - xs[i]) < 1e-6)) rebuilt++;
			expect(reconstructSmallCell(publicBlock(xs))).toBeNull();
		}
		expect(rebuilt).toBeGreaterThanOrEqual(495);
	});
	it('n = 5 and 6, public block: every member keeps a wide interval (only n and the rounded mean)', () => {
		for (const xs of [demo, [20, 35.5, 48, 60, 71.25, 88]]) {
			const key = (v: readonly number[]) => JSON.stringify(publicBlock(v));
			const range = ambiguityWitness(xs, key, { lo: 0, hi: 100, steps: 4000, seed: 3 });
			for (const r of range) expect(r.hi - r.lo).toBeGreaterThan(10);
		}
	});
	// A percentile at a whole h (the median of an odd cell) is one unidentified member's value: the 1-point
	// grid leaves that member a 1-point interval. Every other member keeps a wider one.
	it('n = 10 … 12 with sd, quartiles and mean published: no member is pinned closer than the 1-point grid', () => {
		const rand = seededRandom(10);
		for (let t = 0; t < 12; t++) {
			const n = 10 + (t % 3);
			const xs = Array.from({ length: n }, () => Math.round(4 * (25 + 60 * rand())) / 4);
			const key = (v: readonly number[]) => JSON.stringify(publicBlock(v));
			expect(publicBlock(xs).p25).not.toBeNull();
			const range = ambiguityWitness(xs, key, { lo: 0, hi: 100, steps: 20000, seed: t + 1 });
			for (const r of range) expect(r.hi - r.lo).toBeGreaterThan(0.9);
			expect(range.filter((r) => r.hi - r.lo < 1.5).length).toBeLessThanOrEqual(n % 2 === 1 ? 1 : 0);
		}
	});
	it('n = 20 with p90: the largest member is not pinned either', () => {
		const rand = seededRandom(20);
		const xs = Array.from({ length: 20 }, () => Math.round(4 * (25 + 60 * rand())) / 4);
		const key = (v: readonly number[]) => JSON.stringify(publicBlock(v));
		expect(publicBlock(xs).p90).not.toBeNull();
		const range = ambiguityWitness(xs, key, { lo: 0, hi: 100, steps: 30000, seed: 7 });
		for (const r of range) expect(r.hi - r.lo).toBeGreaterThan(1);
	});
});

describe('p % rule (scores and money)', () => {
	it('hand examples', () => {
		// rest = 2 + 1 + 1 = 4 < 0.1 · 90: the second-largest (85) learns the largest within 4 points
		expect(failsPPercent([90, 85, 2, 1, 1], 0.1)).toBe(true);
		// rest = 30 + 25 + 20 = 75 ≥ 9
		expect(failsPPercent([90, 85, 30, 25, 20], 0.1)).toBe(false);
		// K of five firms, three of them 0: mean × 5 = x₁ + x₂
		expect(failsPPercent([0.61, 0.55, 0, 0, 0], 0.1)).toBe(true);
		expect(failsPPercent([0, 0, 0], 0.1)).toBe(false);
		expect(failsPPercent([], 0.1)).toBe(false);
	});
	it('is a primary reason through Cell.magnitudes; configurable, null disables', () => {
		const cell = { key: 'c', n: 5, magnitudes: { K: [0.61, 0.55, 0, 0, 0], total: [60, 55, 40, 45, 50] } };
		expect(primaryReasons(cell)).toEqual(['p-percent']);
		expect(primaryReasons(cell, resolveRules({ pPercent: null }))).toEqual([]);
		expect(() => resolveRules({ pPercent: 1.5 })).toThrow(/p % rule/);
		expect(primaryReasons({ key: 'v', n: 9, forced: ['version'] })).toEqual(['version']);
	});
});
