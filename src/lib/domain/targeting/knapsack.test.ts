import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareValue, solveKnapsack, type KnapsackItem, type Value3 } from './knapsack';

function brute(items: readonly KnapsackItem[], capacity: number): Value3 {
	let best: Value3 = [0, 0, 0];
	for (let mask = 0; mask < 1 << items.length; mask++) {
		let cost = 0;
		const v = [0, 0, 0];
		items.forEach((it, i) => {
			if (mask & (1 << i)) {
				cost += it.cost;
				for (let k = 0; k < 3; k++) v[k] += it.value[k];
			}
		});
		if (cost <= capacity && compareValue(v as unknown as Value3, best) > 0) best = v as unknown as Value3;
	}
	return best;
}

// Small values make ties on the first and second components frequent, so the DP's tie-breaks matter.
const items = fc.array(
	fc.record({
		cost: fc.integer({ min: 1, max: 6 }).map((c) => c * 250_000),
		value: fc.tuple(
			fc.integer({ min: 0, max: 1 }),
			fc.integer({ min: 0, max: 3 }),
			fc.integer({ min: 0, max: 3 })
		)
	}),
	{ maxLength: 12 }
);

describe('solveKnapsack', () => {
	it('exact DP equals brute force on the lexicographic value, within capacity', () => {
		fc.assert(
			fc.property(items, fc.integer({ min: 0, max: 30 }), (its, cap) => {
				const capacity = cap * 250_000 + 1234;
				const r = solveKnapsack(its, capacity);
				expect(r.method).toBe('exact-dp');
				expect(r.cost).toBeLessThanOrEqual(capacity);
				expect(r.value).toEqual(brute(its, capacity));
				expect(new Set(r.chosen).size).toBe(r.chosen.length);
			}),
			{ numRuns: 400 }
		);
	});

	it('approximation: feasible, primary ≥ ½ optimum and ≥ LP bound − largest item, bound ≥ optimum', () => {
		const valued = fc.array(
			fc.record({
				cost: fc.integer({ min: 1, max: 40 }).map((c) => c * 1000),
				value: fc.tuple(
					fc.integer({ min: 0, max: 20 }),
					fc.integer({ min: 0, max: 3 }),
					fc.integer({ min: 0, max: 3 })
				)
			}),
			{ maxLength: 12 }
		);
		fc.assert(
			fc.property(valued, fc.integer({ min: 0, max: 200 }), (its, cap) => {
				const capacity = cap * 1000;
				const r = solveKnapsack(its, capacity, 0);
				const opt = brute(its, capacity);
				expect(r.cost).toBeLessThanOrEqual(capacity);
				if (r.method !== 'greedy-approximation') return;
				expect(2 * r.value[0]).toBeGreaterThanOrEqual(opt[0]);
				expect(r.upperBound).toBeGreaterThanOrEqual(opt[0] - 1e-9);
				const vmax = Math.max(0, ...its.filter((i) => i.cost <= capacity).map((i) => i.value[0]));
				expect(r.value[0]).toBeGreaterThanOrEqual(r.upperBound - vmax - 1e-9);
			}),
			{ numRuns: 400 }
		);
	});

	it('prefers the higher tertiary value among equal primary and secondary values', () => {
		const r = solveKnapsack(
			[
				{ cost: 2, value: [1, 2, 0] },
				{ cost: 1, value: [1, 1, 5] },
				{ cost: 1, value: [0, 1, 5] }
			],
			2
		);
		expect(r.value).toEqual([1, 2, 10]);
		expect(r.chosen).toEqual([1, 2]);
	});

	it('rejects a non-positive or fractional cost', () => {
		expect(() => solveKnapsack([{ cost: 0, value: [1, 0, 0] }], 5)).toThrow(
			/item 0: cost must be a positive integer/
		);
		expect(() => solveKnapsack([{ cost: 1.5, value: [1, 0, 0] }], 5)).toThrow(/positive integer/);
	});
});
