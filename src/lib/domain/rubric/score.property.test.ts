import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexQuestionnaire, isAnswerable, type QuestionInfo } from './questionnaire';
import { compileRubric, scoreResponse } from './score';
import { storedCriteria, storedMissing, storedPoints, storedScoreResult } from './stored';
import type { ReferenceValues, Rubric } from './types';

const read = <T>(p: string): T => JSON.parse(readFileSync(join(process.cwd(), p), 'utf8')) as T;

/** Any valid (or missing) answer for a question, from its own choices and ranges. */
function answerArb(q: QuestionInfo): fc.Arbitrary<unknown> {
	const choices = (q.choices ?? []).filter((c) => c !== 'none');
	switch (q.type) {
		case 'radiogroup':
		case 'dropdown':
		case 'rating':
			return fc.constantFrom(...(q.choices?.length ? q.choices : [1, 2, 3, 4, 5]));
		case 'boolean':
			return fc.boolean();
		case 'checkbox':
			return fc.oneof(fc.subarray(choices, { minLength: 1 }), fc.constant(['none']));
		case 'matrix':
			return fc.record(
				Object.fromEntries((q.rows ?? []).map((r) => [r, fc.constantFrom(...(q.columns ?? []))]))
			);
		case 'multipletext':
			return fc.record(Object.fromEntries((q.items ?? []).map((i) => [i, fc.integer({ min: 0, max: 20 })])));
		case 'text':
			if (q.inputType === 'number')
				return fc
					.double({ min: q.min ?? 0, max: Math.min(q.max ?? 1000, 5000), noNaN: true })
					.map((x) => Math.round(x * 100) / 100);
			return fc.string();
		default:
			return fc.constant(undefined);
	}
}

function answersArb(questionnaire: unknown): fc.Arbitrary<Record<string, unknown>> {
	const qs = indexQuestionnaire(questionnaire).questions.filter(isAnswerable);
	return fc.record(
		Object.fromEntries(qs.map((q) => [q.name, fc.option(answerArb(q), { freq: 8, nil: undefined })])),
		{ requiredKeys: [] }
	);
}

/** Answers whose improvement can only help: numbers in their "better" direction, choices by rubric points. */
const NUMERIC_BETTER: Record<string, 1 | -1> = {
	t1_equipment_age: -1,
	t3_equipment_investment_bn: 1,
	t5_automated_share_pct: 1,
	t6_energy_cost_pct: -1,
	e9_capacity_utilisation_pct: 1,
	e10_defect_rate_pct: -1,
	e12_on_time_delivery_pct: 1,
	o15_engineers: 1,
	o16_training_hours: 1,
	r18_rd_staff: 1,
	r19_rd_spending_bn: 1,
	i23_new_products: 1,
	i24_new_product_revenue_pct: 1
};

for (const sector of ['mechanical', 'food', 'textiles']) {
	describe(`properties: ${sector}`, () => {
		const questionnaire = read<unknown>(`surveys/${sector}/2025.1/questionnaire.json`);
		const rubric = read<Rubric>(`surveys/${sector}/2025.1/rubric.json`);
		const refs = read<ReferenceValues>(`surveys/${sector}/reference-values/2025.json`);
		const arb = answersArb(questionnaire);
		const byQuestion = new Map(rubric.criteria.map((c) => [c.id, c]));

		it('the stored form rebuilds every criterion score, and legacy full results read the same', () => {
			fc.assert(
				fc.property(arb, (a) => {
					const r = scoreResponse(rubric, refs, a);
					const stored = storedScoreResult(r);
					const rebuilt = storedCriteria(structuredClone(stored), rubric.criteria);
					expect(rebuilt).toEqual(r.criteria.map(({ answersUsed: _a, ...c }) => c));
					expect(stored).not.toHaveProperty('priorities');
					expect({ total: stored.total, K: stored.K, level: stored.level }).toEqual({
						total: r.total,
						K: r.K,
						level: r.level
					});
					// Score documents written before the stored form carry the full result.
					expect(storedPoints(r)).toEqual(stored.points);
					expect(storedMissing(r)).toEqual(stored.missing);
				}),
				{ numRuns: 60 }
			);
		});

		it('scoreStored gives exactly the stored form of score, and scoring in between changes nothing', () => {
			const compiled = compileRubric(rubric, refs);
			fc.assert(
				fc.property(arb, arb, (a, b) => {
					const expected = storedScoreResult(compiled.score(a));
					const stored = compiled.scoreStored(a);
					// Same values, same key order (what a document stores and a byte comparison sees).
					expect(JSON.stringify(stored)).toBe(JSON.stringify(expected));
					expect(stored).toStrictEqual(expected);
					// The scratch arrays are shared: a second scoring must not change a returned result.
					const again = JSON.stringify(stored);
					compiled.scoreStored(b);
					compiled.score(b);
					expect(JSON.stringify(stored)).toBe(again);
				}),
				{ numRuns: 60 }
			);
		});

		it('scores stay within [0, max] for criteria, groups, total and K', () => {
			fc.assert(
				fc.property(arb, (a) => {
					const r = scoreResponse(rubric, refs, a);
					for (const c of r.criteria) {
						expect(c.points).toBeGreaterThanOrEqual(0);
						expect(c.points).toBeLessThanOrEqual(c.max);
						if (c.missing) expect(c.points).toBe(0);
					}
					for (const g of rubric.groups) expect(r.groups[g.id]).toBeLessThanOrEqual(g.max);
					expect(r.total).toBeGreaterThanOrEqual(0);
					expect(r.total).toBeLessThanOrEqual(100);
					expect(r.K).toBeGreaterThanOrEqual(0);
					expect(r.K).toBeLessThanOrEqual(1);
				}),
				{ numRuns: 300 }
			);
		});

		it('the same input gives the same output (also across fresh compilations)', () => {
			fc.assert(
				fc.property(arb, (a) => {
					const one = scoreResponse(rubric, refs, a);
					const two = compileRubric(structuredClone(rubric), structuredClone(refs)).score(structuredClone(a));
					expect(two).toEqual(one);
					expect(JSON.stringify(scoreResponse(rubric, refs, a))).toBe(JSON.stringify(one));
				}),
				{ numRuns: 150 }
			);
		});

		it('improving a numeric answer never lowers any criterion or the total', () => {
			const names = Object.keys(NUMERIC_BETTER);
			fc.assert(
				fc.property(arb, fc.constantFrom(...names), fc.double({ min: 0, max: 1, noNaN: true }), (a, q, t) => {
					const before = a[q];
					if (typeof before !== 'number') return;
					const qi = indexQuestionnaire(questionnaire).byName.get(q)!;
					const bound = NUMERIC_BETTER[q] > 0 ? Math.min(qi.max ?? 1000, 5000) : (qi.min ?? 0);
					const after = before + (bound - before) * t;
					const r1 = scoreResponse(rubric, refs, a);
					const r2 = scoreResponse(rubric, refs, { ...a, [q]: after });
					expect(r2.total).toBeGreaterThanOrEqual(r1.total);
					r2.criteria.forEach((c, i) => expect(c.points).toBeGreaterThanOrEqual(r1.criteria[i].points));
				}),
				{ numRuns: 300 }
			);
		});

		it('choosing a better-rated choice or ticking one more item never lowers a score', () => {
			const choiceCriteria = rubric.criteria.filter(
				(c) => c.mapping.kind === 'choice' || c.mapping.kind === 'multi'
			);
			fc.assert(
				fc.property(arb, fc.constantFrom(...choiceCriteria.map((c) => c.id)), fc.nat(), (a, id, k) => {
					const c = byQuestion.get(id)!;
					const m = c.mapping as {
						kind: 'choice' | 'multi';
						question: string;
						points: Record<string, number>;
					};
					const q = m.question;
					const r1 = scoreResponse(rubric, refs, a);
					let next: Record<string, unknown>;
					if (m.kind === 'choice') {
						const cur = a[q];
						const curPts = cur === undefined ? -1 : (m.points[String(cur)] ?? -1);
						const better = Object.entries(m.points).filter(([, p]) => p >= curPts);
						const [choice] = better[k % better.length];
						const typed = typeof cur === 'number' || /^\d+$/.test(choice) ? Number(choice) : choice;
						next = { ...a, [q]: typed };
					} else {
						const cur = Array.isArray(a[q]) ? (a[q] as string[]).filter((v) => v !== 'none') : [];
						const add = Object.keys(m.points).filter((v) => v !== 'none' && !cur.includes(v));
						if (!add.length) return;
						next = { ...a, [q]: [...cur, add[k % add.length]] };
					}
					const r2 = scoreResponse(rubric, refs, next);
					expect(r2.total).toBeGreaterThanOrEqual(r1.total);
					expect(r2.criteria.find((x) => x.id === id)!.points).toBeGreaterThanOrEqual(
						r1.criteria.find((x) => x.id === id)!.points
					);
				}),
				{ numRuns: 300 }
			);
		});
	});
}
