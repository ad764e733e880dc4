import { describe, expect, test } from 'vitest';
import { comparePeers, topImprovements, type PeerScore } from './index';

function peer(total: number, T = 10, crit = 1): PeerScore {
	return { total, groups: { T, E: 5, O: 5, R: 5, I: 5 }, criteria: { T1: crit, R1: 0 } };
}

describe('comparePeers', () => {
	test('hides peers below the threshold k', () => {
		const c = comparePeers({ total: 50 }, [peer(10), peer(20), peer(30), peer(40)], 5);
		expect(c.enough).toBe(false);
		expect(c.median).toBeNull();
		expect(c.percentileRank).toBeNull();
		expect(c.n).toBe(4);
	});

	test('median and top quartile per group use type-7 percentiles (worked by hand)', () => {
		// T values 2,4,6,8,10: median 6; p75 = 8 (rank 1+0.75*4 = 4 → 8).
		const peers = [peer(10, 2), peer(20, 4), peer(30, 6), peer(40, 8), peer(50, 10)];
		const c = comparePeers({ total: 30 }, peers, 5);
		expect(c.enough).toBe(true);
		expect(c.median?.T).toBe(6);
		expect(c.topQuartile?.T).toBe(8);
		expect(c.totalMedian).toBe(30);
		expect(c.totalTopQuartile).toBe(40);
		// 2 of 5 strictly below, 1 tie: (2 + 0.5) / 5 = 50%.
		expect(c.percentileRank).toBe(50);
	});
});

describe('topImprovements', () => {
	const groupMax = { T: 30, E: 20, O: 19, R: 17, I: 14 };
	test('ranks by gain to best-in-class weighted towards weak groups, and skips criteria at best-in-class', () => {
		const criteria = [
			{ id: 'T1', group: 'T', points: 1, max: 5 },
			{ id: 'R1', group: 'R', points: 0, max: 4 },
			{ id: 'T2', group: 'T', points: 5, max: 5 }
		];
		const imps = topImprovements(criteria, null, groupMax, { T: 20, R: 2 });
		expect(imps.map((i) => i.criterion)).toEqual(['R1', 'T1']);
		// R1: gain 4 of group max 17, group share 2/17 → weight (4/17)*(1+15/17)*100 = 44.29.
		expect(imps[0].weight).toBeCloseTo(44.29, 2);
		expect(imps[0].bestInClass).toBe(4);
	});

	test('with peers, best-in-class is the 90th percentile of their points, not the maximum', () => {
		const peers = Array.from({ length: 10 }, (_, i) => peer(50, 10, i < 9 ? 2 : 3));
		// Values 2 ×9 and 3: p90 = 2 + 0.1*(3-2) = 2.1 (rank 1+0.9*9 = 9.1).
		const imps = topImprovements([{ id: 'T1', group: 'T', points: 1, max: 5 }], peers, groupMax, { T: 10 });
		expect(imps[0].bestInClass).toBe(2.1);
		expect(imps[0].gain).toBe(1.1);
	});
});
