import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConditionRunner, Model } from 'survey-core';
import { describe, expect, it } from 'vitest';
import { indexQuestionnaire, isAnswerable } from '../rubric/questionnaire';
import { scoreResponse } from '../rubric/score';
import type { ReferenceValues, Rubric } from '../rubric/types';
import { createRng } from './prng';
import { generateResponses } from './index';

const read = <T>(p: string): T => JSON.parse(readFileSync(join(process.cwd(), p), 'utf8')) as T;

describe('prng', () => {
	it('is deterministic per seed and uniform-ish', () => {
		const a = createRng(42);
		const b = createRng(42);
		const xs = Array.from({ length: 1000 }, () => a.next());
		expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
		expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
		expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
		expect(createRng(43).next()).not.toBe(createRng(42).next());
	});
});

for (const sector of ['mechanical', 'food', 'textiles']) {
	describe(`generator: ${sector}`, () => {
		const questionnaire = read<Record<string, unknown>>(`surveys/${sector}/2025.1/questionnaire.json`);
		const rubric = read<Rubric>(`surveys/${sector}/2025.1/rubric.json`);
		const refs = read<ReferenceValues>(`surveys/${sector}/reference-values/2025.json`);
		const sectors = read<{ sectors: Array<{ id: string; vsic: Array<{ code: string }> }> }>(
			'surveys/sectors.json'
		);
		const vsic = sectors.sectors.find((s) => s.id === sector)!.vsic.map((v) => v.code);
		const idx = indexQuestionnaire(questionnaire);
		const rows = generateResponses({ questionnaire, sector, count: 400, seed: 11, referenceValues: refs });

		it('is deterministic for a seed and differs between seeds', () => {
			expect(
				generateResponses({ questionnaire, sector, count: 20, seed: 11, referenceValues: refs })
			).toEqual(rows.slice(0, 20));
			expect(
				generateResponses({ questionnaire, sector, count: 5, seed: 12, referenceValues: refs })[0]
			).not.toEqual(rows[0]);
		});

		it('builds valid profiles: 10-digit tax codes (unique), the sector VSIC codes, known wards', () => {
			const wards = new Set(idx.byName.get('profile_ward')!.choices);
			expect(new Set(rows.map((r) => r.profile.taxCode)).size).toBe(rows.length);
			for (const { profile: p, answers } of rows) {
				expect(p.taxCode).toMatch(/^\d{10}$/);
				expect(vsic).toContain(p.vsic);
				expect(wards.has(p.ward)).toBe(true);
				expect(['state', 'private', 'fdi']).toContain(p.ownership);
				expect(p.employees).toBeGreaterThanOrEqual(1);
				expect(p.foundedYear).toBeLessThanOrEqual(2025);
				expect(answers.profile_tax_code).toBe(p.taxCode);
				expect(answers.profile_employees).toBe(p.employees);
			}
		});

		it('gives only valid answers: known questions, allowed choices, numbers within min/max', () => {
			for (const { answers } of rows)
				for (const [name, v] of Object.entries(answers)) {
					const q = idx.byName.get(name);
					expect(q, name).toBeDefined();
					if (!q || !isAnswerable(q)) throw new Error(`${name} is not answerable`);
					const allowed = (
						q.choicesFromQuestion ? (answers[q.choicesFromQuestion] as unknown[]) : q.choices
					)?.map(String);
					if (q.type === 'checkbox') for (const x of v as unknown[]) expect(allowed).toContain(String(x));
					else if (q.type === 'radiogroup' || q.type === 'dropdown' || q.type === 'rating')
						expect(allowed).toContain(String(v));
					else if (q.type === 'text' && q.inputType === 'number') {
						expect(typeof v).toBe('number');
						expect(v as number).toBeGreaterThanOrEqual(q.min!);
						expect(v as number).toBeLessThanOrEqual(q.max!);
					} else if (q.type === 'matrix')
						for (const [row, col] of Object.entries(v as object)) {
							expect(q.rows).toContain(row);
							expect(q.columns).toContain(col);
						}
				}
		});

		it('passes survey-core validation and respects visibleIf', () => {
			const model = new Model(questionnaire);
			for (const { answers } of rows.slice(0, 25)) {
				model.clear(true, true);
				model.data = answers;
				model.validate(true, false);
				const errors = model
					.getAllQuestions()
					.filter((q) => q.isVisible && answers[q.name] !== undefined)
					.flatMap((q) => q.errors.map((e) => `${q.name}: ${e.getText()}`));
				expect(errors).toEqual([]);
			}
			for (const q of idx.questions.filter((x) => x.visibleIf)) {
				const cond = new ConditionRunner(q.visibleIf!);
				for (const { answers } of rows)
					if (answers[q.name] !== undefined) expect(cond.runValues(answers), q.name).toBe(true);
			}
		});

		it('has some missing answers, a few outliers, and scores that rise with size and FDI ownership', () => {
			const scored = rows.map((r) => ({ r, s: scoreResponse(rubric, refs, r.answers) }));
			const withMissing = scored.filter((x) => x.s.criteria.some((c) => c.missing)).length;
			expect(withMissing).toBeGreaterThan(rows.length * 0.05);
			expect(withMissing).toBeLessThan(rows.length * 0.6);
			const outliers = rows.filter(
				(r) => typeof r.answers.t1_equipment_age === 'number' && (r.answers.t1_equipment_age as number) >= 51
			);
			expect(outliers.length).toBeGreaterThan(0);
			const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
			const fdi = scored.filter((x) => x.r.profile.ownership === 'fdi').map((x) => x.s.total);
			const priv = scored.filter((x) => x.r.profile.ownership === 'private').map((x) => x.s.total);
			expect(mean(fdi)).toBeGreaterThan(mean(priv) + 5);
			const small = scored.filter((x) => x.r.profile.employees < 20).map((x) => x.s.total);
			const large = scored.filter((x) => x.r.profile.employees >= 200).map((x) => x.s.total);
			expect(mean(large)).toBeGreaterThan(mean(small) + 5);
			expect(new Set(scored.map((x) => x.s.level)).size).toBeGreaterThanOrEqual(4);
		});
	});
}
