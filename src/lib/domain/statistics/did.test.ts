import { describe, expect, it } from 'vitest';
import { differenceInDifferences } from './did';
import { studentTQuantile } from './distributions';

describe('difference-in-differences', () => {
	it('hand-worked example', () => {
		// treated changes 2, 4, 6 → mean 4, s² = 4; control changes 1, 1, 2, 4 → mean 2, s² = (1+1+0+4)/3 = 2
		// DiD = 2; se = √(4/3 + 2/4) = √(11/6)
		// Welch df = (4/3 + 1/2)² / ((4/3)²/2 + (1/2)²/3) = 3.361111/0.972222 = 3.457143
		const rows = [
			{ before: 50, after: 52, treated: true },
			{ before: 40, after: 44, treated: true },
			{ before: 30, after: 36, treated: true },
			{ before: 60, after: 61, treated: false },
			{ before: 55, after: 56, treated: false },
			{ before: 45, after: 47, treated: false },
			{ before: 20, after: 24, treated: false }
		];
		const r = differenceInDifferences(rows);
		expect(r.estimate).toBeCloseTo(2, 12);
		expect(r).toMatchObject({ nTreated: 3, nControl: 4, meanChangeTreated: 4, meanChangeControl: 2 });
		expect(r.se).toBeCloseTo(Math.sqrt(11 / 6), 12);
		expect(r.df).toBeCloseTo(3.457143, 5);
		const t = studentTQuantile(0.975, 3.457143);
		expect(t).toBeGreaterThan(2.776); // between t(4) and t(3)
		expect(t).toBeLessThan(3.182);
		expect(r.lower).toBeCloseTo(2 - t * Math.sqrt(11 / 6), 6);
		expect(r.upper).toBeCloseTo(2 + t * Math.sqrt(11 / 6), 6);
	});
	it('small groups: estimate without interval, or nothing', () => {
		const one = differenceInDifferences([
			{ before: 1, after: 3, treated: true },
			{ before: 1, after: 2, treated: false },
			{ before: 1, after: 1, treated: false }
		]);
		expect(one.estimate).toBeCloseTo(1.5, 12);
		expect(one.se).toBeNull();
		expect(differenceInDifferences([{ before: 1, after: 2, treated: true }]).estimate).toBeNull();
	});
	it('rejects bad rows naming the row', () => {
		expect(() => differenceInDifferences([{ before: 1, after: Number.NaN, treated: true }])).toThrow(
			/rows\[0\]\.after/
		);
	});
});
