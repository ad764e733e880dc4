/**
 * Adapter from the rubric engine to the targeting {@link Rescorer}: criterion points → group scores
 * (rounded like `compileRubric().score`) → `classify` (total, K, level). Rescoring a response's own
 * criterion points therefore gives exactly the classification the engine gave the response.
 */
import { GROUP_IDS, classify, roundTo, type GroupId, type Rubric, type ScoreResult } from '../rubric';
import type { Candidate, CriterionState, Rescorer, Rescored } from './types';

export function rubricRescorer(rubric: Rubric): Rescorer {
	const dp = rubric.rounding.points;
	const criteria = new Map(rubric.criteria.map((c) => [c.id, { group: c.group, max: c.max }]));
	const list = rubric.criteria.map((c) => ({ id: c.id, gi: GROUP_IDS.indexOf(c.group), max: c.max }));
	const maxTotal = roundTo(
		rubric.criteria.reduce((a, c) => a + c.max, 0),
		dp
	);
	// Group sums are rounded like compileRubric().score does, so any summation order gives the same result.
	function classifySums(t: number, e: number, o: number, r: number, i: number): Rescored {
		const groups: Record<GroupId, number> = {
			T: roundTo(t, dp),
			E: roundTo(e, dp),
			O: roundTo(o, dp),
			R: roundTo(r, dp),
			I: roundTo(i, dp)
		};
		const { total, K, level } = classify(rubric, groups);
		return { total, K, level, groups };
	}
	return {
		levels: rubric.levels,
		criteria,
		decimals: dp,
		maxTotal,
		rescore(points): Rescored {
			const sums = [0, 0, 0, 0, 0];
			for (const c of list) {
				const p = points[c.id];
				if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > c.max)
					throw new RangeError(`criterion ${c.id} needs points between 0 and ${c.max}, got ${String(p)}`);
				sums[c.gi] += p;
			}
			return classifySums(sums[0], sums[1], sums[2], sums[3], sums[4]);
		},
		classifyGroups(s) {
			return classifySums(s.T, s.E, s.O, s.R, s.I);
		}
	};
}

/** A candidate from an engine score and the enterprise's profile (the score's criteria become points). */
export function candidateFromScore(
	profile: Omit<Candidate, 'current'>,
	score: Pick<ScoreResult, 'total' | 'K' | 'level' | 'criteria'>
): Candidate {
	const criteria: Record<string, CriterionState> = {};
	for (const c of score.criteria) criteria[c.id] = { points: c.points, max: c.max, group: c.group };
	return { ...profile, current: { total: score.total, K: score.K, level: score.level, criteria } };
}

/** Criterion id → points, the form {@link Rescorer.rescore} takes. */
export function pointsOf(criteria: Readonly<Record<string, CriterionState>>): Record<string, number> {
	const out: Record<string, number> = {};
	for (const id in criteria) out[id] = criteria[id].points;
	return out;
}
