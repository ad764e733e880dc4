/**
 * The `equipment` mapping end to end in the rubric engine: lint refuses what would score wrongly
 * (unknown columns, columns of the wrong kind, missing roles, a residual column above 100 %), the
 * guard refuses impossible rows naming question, row and column, the worked example of
 * docs/methodology.md scores through to criterion points, and a response without a list scores
 * exactly as under the version without the list.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateResponses } from '../generator';
import { LIST, WORKED_EXAMPLE, withEquipmentList } from './equipment.test-support';
import { AnswerError } from './guard';
import { compileRubric } from './score';
import type { EquipmentMapping, Rubric } from './types';
import { validateSurveyBundle } from './validate';
import { lintQuestionnaire } from './questionnaire';

const mech = withEquipmentList('mechanical');
const references = [2024, 2025, 2026].map((y) => ({ file: `${y}.json`, json: mech.refs(y) }));
const lint = (rubric: Rubric, questionnaire: unknown = mech.questionnaire) =>
	validateSurveyBundle({
		rubric,
		rubricFile: 'rubric.json',
		questionnaire,
		questionnaireFile: 'questionnaire.json',
		references
	}).map((i) => `${i.path}: ${i.message}`);

/** The rubric with criterion `id`'s equipment mapping changed by `f`. */
function edited(id: string, f: (m: EquipmentMapping & Record<string, unknown>) => void): Rubric {
	const r = structuredClone(mech.rubric);
	const c = r.criteria.find((x) => x.id === id)!;
	f(c.mapping as EquipmentMapping & Record<string, unknown>);
	return r;
}

describe('lint', () => {
	it('passes the four equipment criteria of all three sectors', () => {
		for (const sector of ['mechanical', 'food', 'textiles']) {
			const s = withEquipmentList(sector);
			const issues = validateSurveyBundle({
				rubric: s.rubric,
				rubricFile: 'rubric.json',
				questionnaire: s.questionnaire,
				questionnaireFile: 'questionnaire.json',
				references: [2024, 2025, 2026].map((y) => ({ file: `${y}.json`, json: s.refs(y) }))
			});
			expect(issues, sector).toEqual([]);
		}
	});

	it.each([
		[
			'an unknown column',
			'T1',
			(m: EquipmentMapping) => (m.columns.yearMade = 'year_built'),
			["$.criteria[0].mapping.columns.yearMade: list 'equipment_list' has no column 'year_built'"]
		],
		[
			'an unknown role',
			'T1',
			(m: EquipmentMapping) => ((m.columns as Record<string, string>).weight = 'value_bn'),
			[
				"$.criteria[0].mapping.columns.weight: unknown role 'weight' (expected value, yearMade, yearInUse, origin, automation, residual)"
			]
		],
		[
			'a missing role',
			'T1',
			(m: EquipmentMapping) => delete m.columns.value,
			["$.criteria[0].mapping.columns: aggregate 'mean-age' needs the 'value' column"]
		],
		[
			'a text column for a year',
			'T1',
			(m: EquipmentMapping) => (m.columns.yearMade = 'stage'),
			[
				"$.criteria[0].mapping.columns.yearMade: role 'yearMade' needs a number column, 'equipment_list.stage' is not one"
			]
		],
		[
			'a number column for the origin',
			'T2',
			(m: EquipmentMapping) => (m.columns.origin = 'value_bn'),
			[
				"$.criteria[1].mapping.columns.origin: role 'origin' needs a dropdown column, 'equipment_list.value_bn' is not one"
			]
		],
		[
			'an automation level the column does not offer',
			'T5',
			(m: EquipmentMapping) => (m.automated = ['automatic', 'lights_out']),
			["$.criteria[4].mapping.automated[1]: the automation column has no choice 'lights_out'"]
		],
		[
			'an origin group without points',
			'T2',
			(m: EquipmentMapping) => delete m.points!.china,
			["$.criteria[1].mapping.points: origin group 'china' has no points"]
		],
		[
			'renewal without a window',
			'T3',
			(m: EquipmentMapping) => delete m.years,
			['$.criteria[2].mapping.years: renewal needs years: the window in whole years (1–50)']
		],
		[
			'an unknown aggregate',
			'T1',
			(m: EquipmentMapping) => ((m as { aggregate: string }).aggregate = 'median-age'),
			[
				"$.criteria[0].mapping.aggregate: unknown aggregate 'median-age' (expected mean-age, renewal, origin, automated-share, residual)"
			]
		],
		[
			'a list that is not a list',
			'T1',
			(m: EquipmentMapping) => (m.question = 't7_line_integration'),
			[
				"$.criteria[0].mapping.question: an equipment mapping needs a list (matrixdynamic), 't7_line_integration' is radiogroup",
				"$.sharedQuestions: question 't7_line_integration' feeds criteria T1, T7: list it in sharedQuestions if that is intended"
			]
		],
		[
			'bands that do not reach 100 % on a share',
			'T3',
			(m: EquipmentMapping) => (m.bands!.at(-1)!.to = 90),
			['$.criteria[2].mapping.bands[5].to: bands leave a gap: values from 90 to 100 are not covered']
		],
		[
			'a misspelt key',
			'T3',
			(m: EquipmentMapping & Record<string, unknown>) => (m.window = 3),
			["$.criteria[2].mapping.window: criterion T3: unknown key 'window' in an equipment mapping"]
		]
	])('refuses %s', (_, id, f, expected) => {
		expect(lint(edited(id, f as (m: EquipmentMapping) => void))).toEqual(expected);
	});

	it('refuses a residual column that allows more than 100 %', () => {
		const q = structuredClone(mech.questionnaire) as {
			pages: { name: string; elements: { name: string; columns?: Record<string, unknown>[] }[] }[];
		};
		const list = q.pages.flatMap((p) => p.elements).find((e) => e.name === LIST)!;
		const col = list.columns!.find((c) => c.name === 'residual_pct')!;
		col.max = 120;
		(col.validators as { maxValue: number }[])[0].maxValue = 120;
		const r = edited('T1', () => {});
		(r.criteria[0].mapping as EquipmentMapping).columns.residual = 'residual_pct';
		expect(lint(r, q)).toEqual([
			"$.criteria[0].mapping.columns.residual: residual value is a % of the original value: 'equipment_list.residual_pct' must have max <= 100"
		]);
	});

	it('reports the list feeding four criteria unless it is declared shared', () => {
		const r = structuredClone(mech.rubric);
		r.sharedQuestions = r.sharedQuestions!.filter((q) => q !== LIST);
		expect(lint(r)).toEqual([
			"$.sharedQuestions: question 'equipment_list' feeds criteria T1, T2, T3, T5: list it in sharedQuestions if that is intended"
		]);
	});
});

const base = {
	t6_energy_cost_pct: 5,
	t7_line_integration: 'linked',
	profile_employees: 50,
	profile_equipment_value_bn: 10,
	profile_revenue_bn: 80
};

describe('scoring the worked example (mechanical, assessed in 2026)', () => {
	const scorer = compileRubric(mech.rubric, mech.refs(2026), mech.questionnaire, { year: 2026 });
	const points = (answers: Record<string, unknown>) =>
		Object.fromEntries(
			scorer
				.score(answers)
				.criteria.filter((c) => ['T1', 'T2', 'T3', 'T5'].includes(c.id))
				.map((c) => [c.id, c.points])
		);

	it('T1 3 (7.9 years), T2 3.18 (3.175), T3 2 (15 %), T5 4 (95 % / norm 35 % = 2.71)', () => {
		expect(points({ ...base, [LIST]: WORKED_EXAMPLE })).toEqual({ T1: 3, T2: 3.18, T3: 2, T5: 4 });
	});

	it('the list wins over single answers given beside it', () => {
		const both = {
			...base,
			[LIST]: WORKED_EXAMPLE,
			t1_equipment_age: 1,
			t2_equipment_origin: 'unknown',
			t3_equipment_investment_bn: 0,
			t5_automated_share_pct: 0
		};
		expect(points(both)).toEqual({ T1: 3, T2: 3.18, T3: 2, T5: 4 });
	});

	it('ages count from the assessment year: the same list scored for 2030 is 4 years older', () => {
		const later = compileRubric(mech.rubric, mech.refs(2026), mech.questionnaire, { year: 2030 });
		const t1 = later.score({ ...base, [LIST]: WORKED_EXAMPLE }).criteria.find((c) => c.id === 'T1')!;
		// 11.9 years: band 10–15 → 2 points.
		expect(t1.points).toBe(2);
	});

	it('a list whose rows lack what an aggregate reads makes that criterion missing, not a guess', () => {
		const rows = WORKED_EXAMPLE.map((r) => ({ ...r, automation: undefined }));
		const t5 = scorer.score({ ...base, [LIST]: rows }).criteria.find((c) => c.id === 'T5')!;
		expect(t5).toMatchObject({ points: 0, missing: true });
	});
});

describe('the guard checks every row', () => {
	const scorer = compileRubric(mech.rubric, mech.refs(2026), mech.questionnaire, { year: 2026 });
	function refusal(change: Record<string, unknown>, row = 1): AnswerError {
		const rows = WORKED_EXAMPLE.map((r, i) => (i === row ? { ...r, ...change } : r));
		try {
			scorer.score({ ...base, [LIST]: rows });
		} catch (e) {
			if (e instanceof AnswerError) return e;
			throw e;
		}
		throw new Error('scored, expected an AnswerError');
	}

	it.each([
		[{ year_made: -1990 }, 'year_made', 'outside the allowed range 1900–2100'],
		[{ year_made: 2027 }, 'year_made', 'year 2027 is after the assessment year 2026'],
		[{ year_in_use: 2031 }, 'year_in_use', 'year 2031 is after the assessment year 2026'],
		[{ year_in_use: 2005 }, 'year_in_use', 'put in use in 2005, before it was made (2010)'],
		[{ residual_pct: 120 }, 'residual_pct', 'outside the allowed range 0–100'],
		[{ value_bn: -2 }, 'value_bn', 'outside the allowed range 0.001–100000'],
		[{ value_bn: '0x10' }, 'value_bn', 'not a finite decimal number'],
		[{ value_bn: 'Infinity' }, 'value_bn', 'not a finite decimal number'],
		[{ origin: 'mars' }, 'origin', "not one of the column's choices"],
		[{ automation: 'lights_out' }, 'automation', "not one of the column's choices"]
	])('%j is refused naming the question, row 2 and the column', (change, column, what) => {
		const e = refusal(change);
		expect(e.question).toBe(LIST);
		expect(e.cell).toEqual({ row: 2, column });
		expect(e.text.en).toBe(
			`question "${LIST}", row 2, column "${column}": ${e.text.en.split(': ').slice(1).join(': ')}`
		);
		expect(e.text.en).toContain(what);
		expect(e.text.vi).toContain(`dòng 2, cột "${column}"`);
	});

	it('a list that is not an array of rows is refused', () => {
		expect(() => scorer.score({ ...base, [LIST]: 'CNC' })).toThrow(AnswerError);
		expect(() => scorer.score({ ...base, [LIST]: ['CNC'] })).toThrow(/row 1/);
	});

	it('a machine made in the assessment year is accepted', () => {
		expect(() => refusal({ year_made: 2026, year_in_use: 2026 })).toThrow('scored, expected');
	});
});

describe('a response without a list scores as before', () => {
	it('every generated response scores the same with the 2025.1 rubric and with the list rubric', () => {
		for (const sector of ['mechanical', 'food', 'textiles']) {
			const s = withEquipmentList(sector);
			const refs = s.refs(2025);
			const before = compileRubric(s.base.rubric, refs, s.base.questionnaire);
			const after = compileRubric(s.rubric, refs, s.questionnaire, { year: 2025 });
			const drawn = generateResponses({
				questionnaire: s.base.questionnaire,
				sector,
				count: 150,
				seed: 'equipment-fallback',
				year: 2025,
				referenceValues: refs
			});
			for (const r of drawn) {
				const b = before.scoreStored(r.answers);
				const a = after.scoreStored({ ...r.answers, [LIST]: [] });
				expect({ ...a, rubricVersion: '' }, sector).toEqual({ ...b, rubricVersion: '' });
			}
		}
	});
});

describe('questionnaire house rules for a list', () => {
	it('needs a bounded row count, typed and titled columns, validated number columns', () => {
		const q = {
			title: { default: 'a', vi: 'a' },
			pages: [
				{
					name: 'p',
					elements: [
						{
							type: 'matrixdynamic',
							name: 'machines',
							title: { default: 'a', vi: 'a' },
							columns: [
								{ name: 'kind', title: { default: 'a', vi: 'a' } },
								{ name: 'Year', cellType: 'text', title: 'year' },
								{ name: 'value', cellType: 'text', inputType: 'number', title: { default: 'a', vi: 'a' } },
								{
									name: 'origin',
									cellType: 'dropdown',
									title: { default: 'a', vi: 'a' },
									choices: ['x', 'x']
								},
								{ name: 'origin', cellType: 'checkbox', title: { default: 'a', vi: 'a' } }
							]
						}
					]
				}
			]
		};
		expect(lintQuestionnaire(q, 'q.json').map((i) => `${i.path}: ${i.message}`)).toEqual([
			"$.pages[0].elements[0].maxRowCount: list 'machines' needs a maxRowCount from 1 to 500",
			"$.pages[0].elements[0].columns[0].cellType: column 'machines.kind' needs a cellType (text, dropdown, comment), got undefined",
			"$.pages[0].elements[0].columns[1].name: column name 'Year' must be lowercase snake_case",
			"$.pages[0].elements[0].columns[1].title: column 'machines.Year' needs a bilingual title",
			"$.pages[0].elements[0].columns[2]: number column 'machines.value' needs min and max",
			"$.pages[0].elements[0].columns[2].validators: number column 'machines.value' needs a numeric validator",
			"$.pages[0].elements[0].columns[3].choices: column 'machines.origin' has duplicate choice value 'x'",
			"$.pages[0].elements[0].columns[4].name: duplicate column name 'origin' in 'machines'",
			'$.pages[0].elements[0].columns[4].cellType: column \'machines.origin\' needs a cellType (text, dropdown, comment), got "checkbox"'
		]);
	});
});

describe('the shipped 2026.1 versions', () => {
	it.each(['mechanical', 'food', 'textiles'])(
		'%s: the list and the four equipment mappings are the ones tested here',
		(sector) => {
			const read = (f: string) =>
				JSON.parse(readFileSync(join(process.cwd(), `surveys/${sector}/2026.1/${f}`), 'utf8'));
			const shipped = read('rubric.json') as Rubric;
			const q = read('questionnaire.json') as { pages: { name: string; elements: { name: string }[] }[] };
			const s = withEquipmentList(sector);
			const page = q.pages.find((p) => p.name === 'page_equipment')!;
			const built = (s.questionnaire.pages as typeof q.pages).find((p) => p.name === 'page_equipment')!;
			expect(page.elements[0]).toEqual(built.elements[0]);
			for (const id of ['T1', 'T2', 'T3', 'T5'])
				expect(shipped.criteria.find((c) => c.id === id)!.mapping).toEqual(
					s.rubric.criteria.find((c) => c.id === id)!.mapping
				);
			expect(shipped.sharedQuestions).toEqual(s.rubric.sharedQuestions);
		}
	);
});
