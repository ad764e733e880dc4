/**
 * Generated equipment lists (demo data, template examples) are answers the online form accepts and
 * the rubric scores: every generated response of the three sectors' list questionnaires passes the
 * form's validator and the rubric's guard, and about six in ten enterprises list their equipment.
 */
import { describe, expect, it } from 'vitest';
import { compileQuestionnaire, validateForSubmit } from '../survey';
import { compileRubric } from '../rubric/score';
import { withEquipmentList } from '../rubric/equipment.test-support';
import { generateResponses } from '.';

describe.each(['mechanical', 'food', 'textiles'])('%s', (sector) => {
	const s = withEquipmentList(sector);
	const compiled = compileQuestionnaire(s.questionnaire);
	const year = 2026;
	const scorer = compileRubric(s.rubric, s.refs(year), s.questionnaire, { year });
	const drawn = generateResponses({
		questionnaire: s.questionnaire,
		sector,
		count: 150,
		seed: 'equipment-gen',
		year,
		referenceValues: s.refs(year),
		missingRate: 0,
		outlierRate: 0
	});

	it('every response is valid for the form and scored without a refusal', () => {
		for (const r of drawn) {
			const v = validateForSubmit(compiled, r.answers);
			expect(v.problems, JSON.stringify(r.answers.equipment_list)).toEqual([]);
			expect(() => scorer.score(v.cleaned)).not.toThrow();
		}
	});

	it('about six in ten list equipment; with a list the single questions are not answered', () => {
		const listed = drawn.filter((r) => Array.isArray(r.answers.equipment_list));
		expect(listed.length / drawn.length).toBeGreaterThan(0.45);
		expect(listed.length / drawn.length).toBeLessThan(0.75);
		for (const r of listed) {
			expect(r.answers.t1_equipment_age).toBeUndefined();
			const rows = r.answers.equipment_list as Array<Record<string, number>>;
			expect(rows.length).toBeGreaterThanOrEqual(2);
			for (const m of rows) {
				expect(m.year_made).toBeLessThanOrEqual(year);
				expect(m.year_in_use).toBeGreaterThanOrEqual(m.year_made);
				expect(m.year_in_use).toBeLessThanOrEqual(year);
			}
		}
		for (const r of drawn.filter((x) => !Array.isArray(x.answers.equipment_list)))
			expect(typeof r.answers.t1_equipment_age).toBe('number');
	});

	it('more capable enterprises have younger equipment (T1 from the list)', () => {
		const listed = drawn.filter((r) => Array.isArray(r.answers.equipment_list));
		const t1 = (r: (typeof drawn)[number]) =>
			scorer.score(r.answers).criteria.find((c) => c.id === 'T1')!.points;
		const low = listed.filter((r) => r.capability < 0.35).map(t1);
		const high = listed.filter((r) => r.capability > 0.6).map(t1);
		const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
		expect(low.length && high.length).toBeTruthy();
		expect(mean(high)).toBeGreaterThan(mean(low));
	});
});
