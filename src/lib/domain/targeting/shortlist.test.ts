import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Rubric } from '../rubric';
import { expectedEffect } from './effect';
import { rubricRescorer } from './rescorer';
import { failedRules } from './segment';
import { buildShortlist, type Objective, type Shortlist } from './shortlist';
import { syntheticCandidates } from './test-support';
import { TargetingInputError, type Candidate, type Programme } from './types';

const rubric = JSON.parse(
	readFileSync(join(process.cwd(), 'surveys/mechanical/2025.1/rubric.json'), 'utf8')
) as Rubric;
const rescorer = rubricRescorer(rubric);
const M = 1_000_000;

const programme: Programme = {
	id: 'equip-2026',
	name: { vi: 'Đổi mới thiết bị 2026', en: 'Equipment renewal 2026' },
	type: 'equipment',
	improves: [
		{ criterion: 'T1', points: 3 },
		{ criterion: 'T3', points: 2 },
		{ criterion: 'T7', points: 2 }
	],
	costPerEnterpriseVnd: 10 * M,
	eligibility: {
		sizes: ['micro', 'small', 'medium'],
		levels: ['lac-hau', 'trung-binh', 'trung-binh-tien-tien']
	}
};

type V = [number, number, number];
/** The objective of a set, recomputed here from expectedEffect (the definition in shortlist.ts). */
function valueOf(cands: readonly Candidate[], objective: Objective): V {
	let up = 0;
	let pts = 0;
	let need = 0;
	for (const c of cands) {
		const e = expectedEffect(programme, c, rescorer);
		up += e.levelsUp > 0 ? 1 : 0;
		pts += Math.round(e.pointsGained * 1e4);
		need += Math.round((rescorer.maxTotal - e.before.total) * 1e4);
	}
	return objective === 'upgrades' ? [up, pts, need] : [pts, up, need];
}
const cmp = (a: V, b: V) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
const costOf = (c: Candidate) => c.costVnd ?? programme.costPerEnterpriseVnd;

function bruteForce(
	cands: readonly Candidate[],
	objective: Objective,
	limit: { budget?: number; slots?: number }
): V {
	const pool = cands.filter((c) => failedRules(programme.eligibility, c).length === 0);
	let best: V = [0, 0, 0];
	for (let mask = 0; mask < 1 << pool.length; mask++) {
		const set = pool.filter((_, i) => mask & (1 << i));
		if (limit.slots !== undefined && set.length > limit.slots) continue;
		if (limit.budget !== undefined && set.reduce((a, c) => a + costOf(c), 0) > limit.budget) continue;
		const v = valueOf(set, objective);
		if (cmp(v, best) > 0) best = v;
	}
	return best;
}

const selectedOf = (s: Shortlist, cands: readonly Candidate[]) =>
	s.selected.map((x) => cands.find((c) => c.enterpriseId === x.enterpriseId) as Candidate);

const instance = (varying: boolean) =>
	fc.record({
		seed: fc.integer(),
		n: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constant(12)),
		budget: fc.integer({ min: 0, max: 120 }).map((x) => x * M),
		slots: fc.integer({ min: 0, max: 12 }),
		objective: fc.constantFrom<Objective>('upgrades', 'points'),
		varying: fc.constant(varying)
	});
// Few distinct costs and half-point gains make ties common, so the tie-breaks are exercised too.
const make = (seed: number, n: number, varying: boolean) =>
	syntheticCandidates({
		count: n,
		seed,
		rescorer,
		costs: varying ? { min: 5 * M, max: 25 * M, step: 5 * M } : undefined
	});

describe('buildShortlist: optimality against brute force (≤ 12 candidates)', () => {
	it('uniform cost with a budget', () => {
		fc.assert(
			fc.property(instance(false), ({ seed, n, budget, objective }) => {
				const cands = make(seed, n, false);
				const s = buildShortlist({ candidates: cands, programme, rescorer, budgetVnd: budget, objective });
				expect(s.method).toBe('sort');
				expect(valueOf(selectedOf(s, cands), objective)).toEqual(bruteForce(cands, objective, { budget }));
			}),
			{ numRuns: 60 }
		);
	});

	it('a number of places', () => {
		fc.assert(
			fc.property(instance(true), ({ seed, n, slots, objective }) => {
				const cands = make(seed, n, true);
				const s = buildShortlist({ candidates: cands, programme, rescorer, slots, objective });
				expect(s.selected.length).toBeLessThanOrEqual(slots);
				expect(valueOf(selectedOf(s, cands), objective)).toEqual(bruteForce(cands, objective, { slots }));
			}),
			{ numRuns: 60 }
		);
	});

	it('per-candidate costs (exact knapsack)', () => {
		fc.assert(
			fc.property(instance(true), ({ seed, n, budget, objective }) => {
				const cands = make(seed, n, true);
				const s = buildShortlist({ candidates: cands, programme, rescorer, budgetVnd: budget, objective });
				expect(['exact-dp', 'sort']).toContain(s.method);
				expect(s.summary.spentVnd).toBeLessThanOrEqual(budget);
				expect(valueOf(selectedOf(s, cands), objective)).toEqual(bruteForce(cands, objective, { budget }));
			}),
			{ numRuns: 200 }
		);
	});

	it('approximation when the table is too large: feasible, ≥ ½ optimum, and the bound holds', () => {
		fc.assert(
			fc.property(instance(true), ({ seed, n, budget, objective }) => {
				const cands = make(seed, n, true);
				const s = buildShortlist({
					candidates: cands,
					programme,
					rescorer,
					budgetVnd: budget,
					objective,
					maxDpCells: 1
				});
				const got = valueOf(selectedOf(s, cands), objective);
				const opt = bruteForce(cands, objective, { budget });
				expect(s.summary.spentVnd).toBeLessThanOrEqual(budget);
				expect(2 * got[0]).toBeGreaterThanOrEqual(opt[0]);
				if (s.method === 'greedy-approximation') {
					const ub = s.approximation?.upperBound ?? -1;
					expect(objective === 'upgrades' ? ub : Math.round(ub * 1e4)).toBeGreaterThanOrEqual(opt[0]);
				}
			}),
			{ numRuns: 80 }
		);
	});
});

describe('buildShortlist: constraints, determinism, explanations', () => {
	const cands = syntheticCandidates({ count: 400, seed: 'constraints', rescorer });

	it('respects eligibility and budget, and accounts for every candidate', () => {
		const s = buildShortlist({ candidates: cands, programme, rescorer, budgetVnd: 255 * M });
		expect(s.selected).toHaveLength(25);
		expect(s.summary.spentVnd).toBe(250 * M);
		for (const x of s.selected) {
			const c = cands.find((k) => k.enterpriseId === x.enterpriseId) as Candidate;
			expect(failedRules(programme.eligibility, c)).toEqual([]);
			expect(x.effect.pointsGained).toBeGreaterThan(0);
		}
		const ineligible = cands.filter((c) => failedRules(programme.eligibility, c).length > 0);
		expect(s.excluded.ineligible).toBe(ineligible.length);
		expect(s.excluded.byReason.size).toBe(cands.filter((c) => c.size === 'large').length);
		expect(s.eligible + s.excluded.ineligible).toBe(cands.length);
		expect(s.excluded.list.filter((x) => x.reasons.includes('no-gain'))).toHaveLength(s.excluded.noGain);
	});

	it('is deterministic: shuffled input gives the same shortlist', () => {
		const varying = syntheticCandidates({
			count: 60,
			seed: 'shuffle',
			rescorer,
			costs: { min: 5 * M, max: 30 * M, step: M }
		});
		const shuffled = fc.sample(fc.shuffledSubarray(varying, { minLength: varying.length }), {
			numRuns: 3,
			seed: 7
		});
		for (const budget of [0, 90 * M, 400 * M]) {
			const ref = buildShortlist({ candidates: varying, programme, rescorer, budgetVnd: budget });
			for (const order of shuffled)
				expect(buildShortlist({ candidates: order, programme, rescorer, budgetVnd: budget })).toEqual(ref);
		}
		const ref = buildShortlist({ candidates: cands, programme, rescorer, slots: 30, objective: 'points' });
		expect(
			buildShortlist({
				candidates: [...cands].reverse(),
				programme,
				rescorer,
				slots: 30,
				objective: 'points'
			})
		).toEqual(ref);
	});

	it('ranks upgrades first, then points gained, then the lower current score', () => {
		const s = buildShortlist({ candidates: cands, programme, rescorer, slots: 40 });
		const keys = s.selected.map((x) => [
			x.effect.levelsUp > 0 ? 1 : 0,
			x.effect.pointsGained,
			-x.effect.before.total
		]);
		const sorted = [...keys].sort((a, b) => b[0] - a[0] || b[1] - a[1] || b[2] - a[2]);
		expect(keys).toEqual(sorted);
		expect(s.summary.upgraded).toBe(s.selected.filter((x) => x.effect.levelsUp > 0).length);
	});

	it('compares with the lowest-scores-first baseline under the same budget', () => {
		const s = buildShortlist({ candidates: cands, programme, rescorer, budgetVnd: 300 * M });
		const eligible = cands
			.filter((c) => failedRules(programme.eligibility, c).length === 0)
			.sort((a, b) => a.current.total - b.current.total || (a.enterpriseId < b.enterpriseId ? -1 : 1));
		expect(s.baseline.enterpriseIds).toEqual(eligible.slice(0, 30).map((c) => c.enterpriseId));
		expect(s.baseline.summary.spentVnd).toBe(300 * M);
		expect(s.difference.upgraded).toBe(s.summary.upgraded - s.baseline.summary.upgraded);
		expect(s.difference.pointsGained).toBeCloseTo(
			s.summary.pointsGained - s.baseline.summary.pointsGained,
			6
		);
		// The optimiser can only do at least as well as any feasible choice, the baseline included.
		expect(s.difference.upgraded).toBeGreaterThan(0);
	});

	it('explains each choice in both languages with level, gap, criteria and expected level', () => {
		const s = buildShortlist({ candidates: cands, programme, rescorer, slots: 5 });
		for (const x of s.selected) {
			const before = rubric.levels.find((l) => l.id === x.effect.before.level)?.label;
			const after = rubric.levels.find((l) => l.id === x.effect.after.level)?.label;
			expect(x.explanation.vi).toContain(`Hiện tại: ${before?.vi}`);
			expect(x.explanation.en).toContain(`Now: ${before?.en}`);
			expect(x.explanation.vi).toContain(`mức ${after?.vi}`);
			expect(x.explanation.en).toMatch(/T1 [\d.]+ → [\d.]+\/5; T3 [\d.]+ → [\d.]+\/5; T7 [\d.]+ → [\d.]+\/3/);
			expect(x.label).toMatch(/^Enterprise /);
		}
	});

	it('rejects bad input with the path and a bilingual reason', () => {
		const err = (f: () => unknown) => {
			try {
				f();
			} catch (e) {
				expect(e).toBeInstanceOf(TargetingInputError);
				return (e as TargetingInputError).issues;
			}
			throw new Error('expected an error');
		};
		expect(
			err(() => buildShortlist({ candidates: cands, programme, rescorer, budgetVnd: 1, slots: 1 }))[0].path
		).toBe('budgetVnd');
		expect(err(() => buildShortlist({ candidates: cands, programme, rescorer }))[0].message.vi).toMatch(
			/ngân sách/
		);
		expect(err(() => buildShortlist({ candidates: cands, programme, rescorer, slots: -1 }))[0].path).toBe(
			'slots'
		);
		const dup = [cands[0], cands[1], { ...cands[0] }];
		expect(err(() => buildShortlist({ candidates: dup, programme, rescorer, slots: 1 }))[0]).toMatchObject({
			path: 'candidates[2].enterpriseId',
			message: { en: `Enterprise ${cands[0].enterpriseId} appears twice.` }
		});
		const badCost = [cands[0], { ...cands[1], costVnd: 0 }];
		expect(err(() => buildShortlist({ candidates: badCost, programme, rescorer, slots: 1 }))[0].path).toBe(
			'candidates[1].costVnd'
		);
	});

	it('reports enterprises that cost more than the whole budget', () => {
		const small = syntheticCandidates({
			count: 30,
			seed: 'over',
			rescorer,
			costs: { min: 5 * M, max: 50 * M, step: 5 * M }
		});
		const s = buildShortlist({ candidates: small, programme, rescorer, budgetVnd: 20 * M });
		const over = small.filter(
			(c) => failedRules(programme.eligibility, c).length === 0 && (c.costVnd ?? 0) > 20 * M
		);
		expect(s.excluded.overBudget).toBe(
			over.filter((c) => expectedEffect(programme, c, rescorer).pointsGained > 0).length
		);
		expect(s.excluded.byReason['over-budget']).toBeGreaterThan(0);
	});
});
