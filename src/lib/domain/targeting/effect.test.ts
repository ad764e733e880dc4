import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateResponses } from '../generator';
import { scoreResponse, type ReferenceValues, type Rubric } from '../rubric';
import { effectSummary, expectedEffect, gapToNext } from './effect';
import { candidateFromScore, pointsOf, rubricRescorer } from './rescorer';
import { syntheticCandidates } from './test-support';
import type { Candidate } from './types';

const read = <T>(p: string): T => JSON.parse(readFileSync(join(process.cwd(), p), 'utf8')) as T;
const rubric = read<Rubric>('surveys/mechanical/2025.1/rubric.json');
const refs = read<ReferenceValues>('surveys/mechanical/reference-values/2025.json');
const questionnaire = read<unknown>('surveys/mechanical/2025.1/questionnaire.json');
const rescorer = rubricRescorer(rubric);

const profile = {
	sector: 'mechanical',
	size: 'small',
	ownership: 'private',
	ward: 'ba-dinh',
	vsic: '2511'
} as const;

describe('rubricRescorer', () => {
	it('reproduces the engine classification of every generated response', () => {
		const responses = generateResponses({
			questionnaire,
			sector: 'mechanical',
			count: 300,
			seed: 'rescore',
			referenceValues: refs
		});
		for (const r of responses) {
			const s = scoreResponse(rubric, refs, r.answers);
			const again = rescorer.rescore(
				pointsOf(candidateFromScore({ enterpriseId: 'x', ...profile }, s).current.criteria)
			);
			expect({ total: again.total, K: again.K, level: again.level, groups: again.groups }).toEqual({
				total: s.total,
				K: s.K,
				level: s.level,
				groups: s.groups
			});
		}
	});

	it('rejects points outside a criterion range, naming the criterion', () => {
		const pts = Object.fromEntries(rubric.criteria.map((c) => [c.id, 0]));
		expect(() => rescorer.rescore({ ...pts, T1: 99 })).toThrow(/criterion T1 needs points between 0 and 5/);
		const { T1: _drop, ...missing } = pts;
		void _drop;
		expect(() => rescorer.rescore(missing)).toThrow(/criterion T1/);
	});
});

function candidateWith(points: Record<string, number>): Candidate {
	const criteria = Object.fromEntries(
		rubric.criteria.map((c) => [c.id, { points: points[c.id] ?? 0, max: c.max, group: c.group }])
	);
	const r = rescorer.rescore(Object.fromEntries(Object.entries(criteria).map(([k, v]) => [k, v.points])));
	return { enterpriseId: 'A', ...profile, current: { total: r.total, K: r.K, level: r.level, criteria } };
}

describe('expectedEffect', () => {
	// Every criterion at 45% of its max: total 45, K 0.45 → 'trung-binh' (next: 50 points and K 0.45).
	const base = Object.fromEntries(rubric.criteria.map((c) => [c.id, Math.round(c.max * 0.45 * 100) / 100]));

	it('caps gains at the criterion max and reports points before → after', () => {
		const c = candidateWith(base);
		const e = expectedEffect(
			{
				improves: [
					{ criterion: 'T1', points: 4 },
					{ criterion: 'O14', points: 1 }
				]
			},
			c,
			rescorer
		);
		expect(e.criteria).toEqual([
			{ criterion: 'T1', group: 'T', before: base.T1, after: 5, max: 5 },
			{ criterion: 'O14', group: 'O', before: base.O14, after: base.O14 + 1, max: 4 }
		]);
		expect(e.pointsGained).toBeCloseTo(5 - base.T1 + 1, 6);
		expect(e.stale).toBe(false);
	});

	it('counts level steps and the gap before and after against the rubric cut-offs', () => {
		const c = candidateWith(base);
		expect(c.current.level).toBe('trung-binh');
		const e = expectedEffect(
			{ improves: ['T1', 'T3', 'E9', 'O13', 'R18'].map((criterion) => ({ criterion, points: 5 })) },
			c,
			rescorer
		);
		const after = rescorer.rescore({ ...base, T1: 5, T3: 5, E9: 4, O13: 5, R18: 4 });
		expect(e.after).toEqual(after);
		expect(e.levelsUp).toBe(rubric.levels.findIndex((l) => l.id === after.level) - 1);
		expect(e.levelsUp).toBeGreaterThan(0);
		expect(e.gapBefore).toEqual({
			next: 'trung-binh-tien-tien',
			points: Number((50 - e.before.total).toFixed(2)),
			K: expect.any(Number)
		});
		expect(e.gapAfter).toEqual(gapToNext(rubric.levels, after));
	});

	it('flags a stale stored classification and compares against the rescored one', () => {
		const c = candidateWith(base);
		c.current.level = 'hien-dai';
		const e = expectedEffect({ improves: [{ criterion: 'T1', points: 1 }] }, c, rescorer);
		expect(e.stale).toBe(true);
		expect(e.before.level).toBe('trung-binh');
	});

	it('says which criterion is missing from a candidate', () => {
		const c = candidateWith(base);
		delete c.current.criteria.R20;
		expect(() => expectedEffect({ improves: [{ criterion: 'T1', points: 1 }] }, c, rescorer)).toThrow(
			/criterion R20 has no points/
		);
	});

	it('gap at the top level is empty; a K-only shortfall shows 0 points', () => {
		expect(gapToNext(rubric.levels, { total: 95, K: 0.9, level: 'hien-dai' })).toEqual({
			next: null,
			points: 0,
			K: 0
		});
		expect(gapToNext(rubric.levels, { total: 70, K: 0.5, level: 'trung-binh-tien-tien' })).toEqual({
			next: 'tien-tien',
			points: 0,
			K: 0.1
		});
	});
});

describe('expectedEffect equals rescoring the modified criterion points', () => {
	it('on 500 generated candidates, and effectSummary agrees', () => {
		const improves = [
			{ criterion: 'T2', points: 1.5 },
			{ criterion: 'E11', points: 2 },
			{ criterion: 'R22', points: 0.75 },
			{ criterion: 'I26', points: 3 }
		];
		for (const c of syntheticCandidates({ count: 500, seed: 'delta', rescorer })) {
			const pts = pointsOf(c.current.criteria);
			const modified = { ...pts };
			for (const i of improves)
				modified[i.criterion] = Math.min(c.current.criteria[i.criterion].max, pts[i.criterion] + i.points);
			const e = expectedEffect({ improves }, c, rescorer);
			expect(e.before).toEqual(rescorer.rescore(pts));
			expect(e.after).toEqual(rescorer.rescore(modified));
			expect(effectSummary({ improves }, c, rescorer)).toEqual({
				beforeTotal: e.before.total,
				pointsGained: e.pointsGained,
				levelsUp: e.levelsUp
			});
		}
	});
});
