import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintQuestionnaire } from './questionnaire';
import { loadRubric, validateReferenceValues, validateRubric, validateSurveyBundle } from './validate';
import { RubricValidationError } from './types';

const root = process.cwd();
const read = (p: string): unknown => JSON.parse(readFileSync(join(root, p), 'utf8'));
const questionnaire = read('surveys/mechanical/2025.1/questionnaire.json');
const references = [2024, 2025, 2026].map((y) => ({
	file: `mechanical/reference-values/${y}.json`,
	json: read(`surveys/mechanical/reference-values/${y}.json`)
}));
const bundle = (rubric: unknown, rubricFile = 'rubric.json') => ({
	rubric,
	rubricFile,
	questionnaire,
	questionnaireFile: 'questionnaire.json',
	references
});
const lines = (rubric: unknown, file: string) =>
	validateRubric(bundle(rubric, file)).map((i) => `${i.path}: ${i.message}`);

/** One fixture per error class; each must produce exactly these messages and nothing else. */
const FIXTURES: Record<string, string[]> = {
	'unknown-question': ["$.criteria[0].mapping.question: unknown question 't1_equipment_agee'"],
	'unknown-choice': [
		"$.criteria[1].mapping.points.european: question 't2_equipment_origin' has no choice 'european'"
	],
	'unmapped-choice': [
		"$.criteria[6].mapping.points: choice 'linked' of question 't7_line_integration' has no points"
	],
	// T1's max raised to 6: its best band scores 5, so the reachability rule fires too.
	'group-maxima': [
		'$.groups: group maxima add up to 101, not 100',
		'$.criteria[0].mapping: criterion T1: no answer reaches its maximum 6 (the best answer scores 5)',
		'$.groups: group T: maximum 31, Circular 17 gives it 30'
	],
	'criteria-sum': [
		'$.criteria[0].mapping: criterion T1: no answer reaches its maximum 6 (the best answer scores 5)',
		'$.criteria: criteria of group T add up to 31 points, not the group maximum 30'
	],
	'band-gap': ['$.criteria[0].mapping.bands[1].from: bands leave a gap: values from 3 to 4 are not covered'],
	'band-overlap': [
		'$.criteria[0].mapping.bands[2].from: bands overlap: values from 5 to 6 fall in two bands'
	],
	'band-uncovered-top': [
		'$.criteria[0].mapping.bands[5].to: bands leave a gap: values from 40 to 60 are not covered'
	],
	'levels-order': [
		"$.levels[3].minTotal: levels out of order: 'tien-tien' minTotal 45 is not above 'trung-binh-tien-tien' minTotal 50"
	],
	'unknown-mapping-kind': [
		"$.criteria[6].mapping.kind: unknown mapping kind 'lookup' (expected choice, bands, ratio, multi, formula, equipment)"
	],
	'bad-formula': ["$.criteria[2].mapping.expression: bad formula: expected ')' at column 67"],
	'formula-unknown-question': ["$.criteria[14].mapping.expression: unknown question 'o15_engineer'"],
	'reference-missing': [2024, 2025, 2026].map(
		(y) =>
			`$.criteria[3].mapping.reference: reference value 'equipment_per_worker_mn' is missing from mechanical/reference-values/${y}.json`
	),
	'points-exceed-max': ['$.criteria[6].mapping.points.integrated: points 4 exceed the criterion maximum 3'],
	'k-weights': ['$.k.weights: K weights add up to 1.05, not 1'],
	'ladder-question': ["$.ladders.functions[1].used: unknown question 'ladder_milling_used'"],
	// Rules that keep a rubric from scoring wrongly: each fixture breaks exactly one.
	'rounding-negative': ['$.rounding.points: rounding.points must be 0 to 6 decimals, got -1'],
	'unreachable-max': [
		'$.criteria[1].mapping: criterion T2: no answer reaches its maximum 4 (the best answer scores 3)'
	],
	'circular17-count': [
		'$.criteria: Circular 17 has 26 criteria (7/5/5/5/4), this rubric has 25',
		'$.criteria: group I has 3 criteria, Circular 17 gives it 4'
	],
	'criterion-group-mismatch': [
		'$.criteria[6].group: criterion T7 is placed in group E, but its id names group T',
		"$.criteria[6].no: criterion T7: Circular 17 numbers group E's criteria 8–12, not 7",
		'$.criteria[11].group: criterion E12 is placed in group T, but its id names group E',
		"$.criteria[11].no: criterion E12: Circular 17 numbers group T's criteria 1–7, not 12"
	],
	'shared-undeclared': [
		"$.sharedQuestions: question 'i23_new_products' feeds criteria I23, I24: list it in sharedQuestions if that is intended"
	]
};

describe('broken-rubric fixtures', () => {
	const dir = join(root, 'tests/fixtures/rubrics');
	const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

	it('has one expectation per fixture file, and at least 8', () => {
		expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(Object.keys(FIXTURES).sort());
		expect(files.length).toBeGreaterThanOrEqual(8);
	});

	for (const [name, expected] of Object.entries(FIXTURES))
		it(`${name} reports exactly its error`, () => {
			const file = `tests/fixtures/rubrics/${name}.json`;
			const issues = validateRubric(bundle(read(file), file));
			expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual(expected);
			expect(issues.every((i) => i.file === file)).toBe(true);
		});
});

describe('validateRubric', () => {
	const good = read('surveys/mechanical/2025.1/rubric.json') as Record<string, unknown>;

	it('accepts the shipped rubric', () => {
		expect(validateSurveyBundle(bundle(good))).toEqual([]);
		expect(loadRubric(bundle(good)).criteria).toHaveLength(26);
	});

	it('throws RubricValidationError with file: path: message lines', () => {
		const bad = structuredClone(good) as { criteria: Array<{ mapping: { question: string } }> };
		bad.criteria[0].mapping.question = 'nope';
		expect(() => loadRubric(bundle(bad, 'x.json'))).toThrow(RubricValidationError);
		expect(() => loadRubric(bundle(bad, 'x.json'))).toThrow(
			"x.json: $.criteria[0].mapping.question: unknown question 'nope'"
		);
	});

	it('reports a matrix row that does not exist', () => {
		const bad = structuredClone(good) as { criteria: Array<{ mapping: { expression: string } }> };
		bad.criteria[16].mapping.expression = "iif({o17_practices.safety} = 'yes', 3, 0)";
		expect(lines(bad, 'r')).toEqual([
			"$.criteria[16].mapping.expression: matrix 'o17_practices' has no row 'safety'"
		]);
	});

	it('reports levels that are not the five stable ids', () => {
		const bad = structuredClone(good) as { levels: Array<{ id: string }> };
		bad.levels.reverse();
		expect(lines(bad, 'r')[0]).toMatch(
			/^\$\.levels: levels must be lac-hau, trung-binh, .* in this order \(found hien-dai,/
		);
	});

	it('reports an unknown group and a missing one', () => {
		const bad = structuredClone(good) as { groups: Array<{ id: string }> };
		bad.groups[4].id = 'X';
		const got = lines(bad, 'r');
		expect(got).toContain("$.groups[4].id: unknown group 'X' (expected T, E, O, R, I)");
		expect(got).toContain("$.groups: group 'I' is missing");
	});

	it('reports a mapping that uses the wrong question type', () => {
		const bad = structuredClone(good) as { criteria: Array<{ mapping: unknown }> };
		bad.criteria[0].mapping = {
			kind: 'bands',
			question: 't2_equipment_origin',
			bands: [{ from: 0, to: null, points: 1 }]
		};
		expect(lines(bad, 'r')).toEqual([
			'$.criteria[0].mapping: criterion T1: no answer reaches its maximum 5 (the best answer scores 1)',
			"$.criteria[0].mapping.question: numeric bands need a number question, 't2_equipment_origin' is radiogroup",
			"$.sharedQuestions: question 't2_equipment_origin' feeds criteria T1, T2: list it in sharedQuestions if that is intended"
		]);
	});
});

describe('reference values and questionnaire house rules', () => {
	it('rejects a non-positive reference value', () => {
		const rv = structuredClone(references[0].json) as { values: Record<string, { value: number }> };
		rv.values.automation_share_pct.value = 0;
		expect(validateReferenceValues(rv, 'r.json', 'mechanical')).toEqual([
			{
				file: 'r.json',
				path: '$.values.automation_share_pct.value',
				message: "reference value 'automation_share_pct' must be a positive number",
				text: {
					vi: "Giá trị tham chiếu 'automation_share_pct' phải là một số dương.",
					en: "reference value 'automation_share_pct' must be a positive number"
				}
			}
		]);
		expect(validateReferenceValues(rv, 'r.json', 'food')[0].message).toBe(
			"sector 'mechanical' does not match 'food'"
		);
	});

	it('flags questionnaire problems: type, name, number ranges, validator text, visibleIf', () => {
		const q = {
			title: { default: 'T', vi: 'T' },
			pages: [
				{
					name: 'p',
					elements: [
						{ type: 'file', name: 'upload', title: { default: 'a', vi: 'a' } },
						{ type: 'text', name: 'BadName', title: { default: 'a', vi: 'a' } },
						{ type: 'text', inputType: 'number', name: 'n', title: { default: 'a', vi: 'a' } },
						{ type: 'boolean', name: 'b', title: 'only English', visibleIf: '{ghost} = 1' },
						{ type: 'text', name: 'v', title: { default: 'a', vi: 'a' }, validators: [{ type: 'email' }] }
					]
				}
			]
		};
		const got = lintQuestionnaire(q, 'q.json').map((i) => `${i.path}: ${i.message}`);
		expect(got).toEqual([
			"$.pages[0].elements[0].type: question type 'file' is not allowed (use one of text, comment, radiogroup, dropdown, checkbox, rating, boolean, matrix, matrixdynamic, multipletext, expression, html, panel)",
			"$.pages[0].elements[1].name: question name 'BadName' must be lowercase snake_case",
			"$.pages[0].elements[2]: number question 'n' needs min and max",
			"$.pages[0].elements[2].validators: number question 'n' needs a numeric validator",
			'$.pages[0].elements[3].title: question \'b\' needs a bilingual title {"default", "vi"}',
			"$.pages[0].elements[3].visibleIf: refers to unknown question 'ghost'",
			"$.pages[0].elements[4].validators[0].text: validator of 'v' needs its own bilingual text"
		]);
	});
});
