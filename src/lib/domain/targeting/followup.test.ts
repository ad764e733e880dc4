import { describe, expect, it } from 'vitest';
import { differenceInDifferences } from '../statistics';
import { followUp } from './followup';

const before = new Map([
	['A', 40],
	['B', 50],
	['C', 45],
	['D', 60],
	['E', 30],
	['F', 55],
	['G', 35]
]);
const after = new Map([
	['A', 48],
	['B', 56],
	['C', 47],
	['D', 61],
	['E', 33],
	['F', 54],
	['X', 70]
]);

describe('followUp', () => {
	it('builds the panel and computes DiD with n for each group', () => {
		const r = followUp({ supported: ['A', 'B', 'G'], before, after });
		// Treated changes: A +8, B +6 (G left no second assessment); controls: C +2, D +1, E +3, F −1.
		expect(r.nTreated).toBe(2);
		expect(r.nControl).toBe(4);
		expect(r.meanChangeTreated).toBe(7);
		expect(r.meanChangeControl).toBe(1.25);
		expect(r.estimate).toBe(5.75);
		expect(r.panel).toBe(6);
		expect(r.supportedMissing).toBe(1);
		expect(r.lower as number).toBeLessThan(5.75);
		expect(r.upper as number).toBeGreaterThan(5.75);
		const direct = differenceInDifferences([
			{ before: 40, after: 48, treated: true },
			{ before: 50, after: 56, treated: true },
			{ before: 45, after: 47, treated: false },
			{ before: 60, after: 61, treated: false },
			{ before: 30, after: 33, treated: false },
			{ before: 55, after: 54, treated: false }
		]);
		expect(r.se).toBeCloseTo(direct.se as number, 12);
		expect(r.df).toBeCloseTo(direct.df as number, 12);
	});

	it('restricts the comparison group to the listed controls', () => {
		const r = followUp({ supported: ['A', 'B'], before, after, controls: ['C', 'E', 'Z'] });
		expect(r.nControl).toBe(2);
		expect(r.meanChangeControl).toBe(2.5);
		expect(r.controlsMissing).toBe(1);
		expect(() => followUp({ supported: ['A'], before, after, controls: ['A'] })).toThrow(
			/both as supported and as a control/
		);
	});

	it('returns no estimate when nobody supported was assessed twice', () => {
		const r = followUp({ supported: ['G'], before, after });
		expect(r.estimate).toBeNull();
		expect(r.nTreated).toBe(0);
		expect(r.supportedMissing).toBe(1);
	});
});
