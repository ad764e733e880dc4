/**
 * Every problem the questionnaire lint, the reference-value check and the rubric validator report
 * carries its own Vietnamese text next to the English technical message: a broken file of each
 * kind is run through them and each issue is checked, so a message added with the English words
 * copied into `vi` (or none at all) fails here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withEquipmentList } from './equipment.test-support';
import { lintQuestionnaire } from './questionnaire';
import type { RubricIssue } from './types';
import {
	validateReferenceValues,
	validateRubric,
	validateSurveyBundle,
	type ReferenceFile
} from './validate';

const root = process.cwd();
const read = (p: string): unknown => JSON.parse(readFileSync(join(root, p), 'utf8'));
const mech = withEquipmentList('mechanical');
const references = [2024, 2025, 2026].map((y) => ({ file: `${y}.json`, json: mech.refs(y) }));
const bundle = (
	rubric: unknown,
	refs: ReferenceFile[] = references,
	questionnaire: unknown = mech.questionnaire
) => ({
	rubric,
	rubricFile: 'rubric.json',
	questionnaire,
	questionnaireFile: 'questionnaire.json',
	references: refs
});
type Obj = Record<string, unknown> & { criteria: Array<Record<string, unknown>> };
const rubric = () => structuredClone(mech.rubric) as unknown as Obj;
const criterion = (r: Obj, id: string) => r.criteria.find((c) => c.id === id)!;

/** Letters only Vietnamese writes: a text without any of them was not translated. */
const VIETNAMESE = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;

function broken(): RubricIssue[] {
	const out: RubricIssue[] = [];
	const push = (xs: RubricIssue[]) => out.push(...xs);

	// Shape errors at the top: a non-object, an empty object, a rubric with every block mangled.
	push(validateRubric(bundle('x')));
	push(validateRubric(bundle({}, [])));
	const r = rubric();
	Object.assign(r, {
		rounding: { points: -1, k: 9 },
		method: 'other',
		groups: [7, { id: 'T', max: -1, name: 'T' }, { id: 'T', max: 30 }, { id: 'E', max: 99 }],
		k: { weights: { T: -1, E: 0.2, Z: 1 } },
		priorities: { below: 3 },
		ladders: { functions: [7, { id: 'a', used: 'nope', most: 'nope' }, { id: 'a' }] },
		plausibility: { ratios: { nope: 0, profile_tax_code: 2 }, extra: 1 },
		sharedQuestions: ['nope']
	});
	(r.levels as Array<Record<string, unknown>>)[0].minTotal = 5;
	(r.levels as Array<Record<string, unknown>>)[1].label = 'x';
	(r.levels as Array<Record<string, unknown>>)[2].minTotal = 1;
	(r.levels as Array<Record<string, unknown>>)[2].minK = -1;
	(r.levels as Array<Record<string, unknown>>)[3].minK = 0;
	r.criteria.push(7 as never, { id: '', no: 'x', group: 'Z', max: -1, mapping: 7 });
	r.criteria[0].group = 'E';
	r.criteria[1].no = 99;
	r.criteria[2].no = r.criteria[3].no;
	push(validateRubric(bundle(r)));
	push(validateRubric(bundle({ ...rubric(), levels: 'x', ladders: 'x', criteria: [] })));
	push(validateRubric(bundle({ ...rubric(), levels: [], plausibility: 7, sharedQuestions: 7 })));
	push(validateRubric(bundle({ ...rubric(), plausibility: { ratios: 7 } })));

	// Mappings of every kind, each broken in the ways the validator knows.
	const m = rubric();
	const other = m.criteria.filter((c) => !['T1', 'T2', 'T3', 'T5'].includes(c.id as string));
	const [a, b, c, d, e, f, g, h, i] = other;
	a.mapping = { kind: 'nope' };
	b.mapping = { kind: 'choice', question: 'profile_tax_code.x', points: {} };
	c.mapping = { kind: 'multi', question: 't2_equipment_origin', points: { zz: -1, x: 999 }, cap: 999 };
	d.mapping = { kind: 'bands', question: 'profile_tax_code', bands: [] };
	e.mapping = { kind: 'ratio', value: '1 +', reference: 7, bands: [7] };
	f.mapping = {
		kind: 'formula',
		expression: '{nope} + {profile_tax_code.x}',
		bands: [
			{ from: 5, to: 3, points: 0 },
			{ from: null, to: null, points: 0 },
			{ from: 1, to: 2, points: 0 },
			{ from: 9, to: 10, points: 0 }
		]
	};
	g.mapping = { kind: 'formula', expression: '' };
	h.mapping = { kind: 'ratio', value: '1', reference: 'nope', bands: [{ from: 0, to: 1, points: 0 }] };
	i.mapping = { kind: 'multi', question: 't2_equipment_origin', points: {}, cap: -1 };
	const choice = m.criteria.find(
		(x) => (x.mapping as { kind?: string }).kind === 'multi' && x !== c && x !== i
	);
	if (choice) (choice.mapping as Record<string, unknown>).kind = 'choice';
	Object.assign(criterion(m, 'T1').mapping as object, {
		extra: 1,
		aggregate: 'nope',
		fallback: { kind: 'equipment' },
		columns: { value: 'nope', yearMade: 'origin', origin: 'value_bn', zz: 'x', residual: 'residual_pct' },
		years: 3
	});
	Object.assign(criterion(m, 'T2').mapping as object, {
		question: 'profile_tax_code',
		points: { zz: 1 },
		bands: []
	});
	Object.assign(criterion(m, 'T3').mapping as object, { years: 99, columns: 7, reference: 7 });
	Object.assign(criterion(m, 'T5').mapping as object, { automated: ['zz'], question: 7 });
	push(validateSurveyBundle(bundle(m)));
	const o = rubric();
	Object.assign(criterion(o, 'T2').mapping as object, { points: { zz: 1 }, columns: { origin: 'origin' } });
	Object.assign(criterion(o, 'T5').mapping as object, { automated: [], question: 'nope' });
	Object.assign(criterion(o, 'T3').mapping as object, { question: 'profile_tax_code' });
	push(validateSurveyBundle(bundle(o)));
	const n = rubric();
	Object.assign(criterion(n, 'T2').mapping as object, { points: 7 });
	push(validateSurveyBundle(bundle(n)));

	// Reference values and the questionnaire's house rules.
	push(validateReferenceValues(7, 'r.json'));
	push(validateReferenceValues({ values: { a: { value: 0 }, b: { value: 1 } } }, 'r.json', 'x'));
	push(validateReferenceValues({ sector: 'y', values: 7 }, 'r.json', 'x'));
	push(lintQuestionnaire({}, 'q.json'));
	push(
		lintQuestionnaire(
			{
				title: 'x',
				pages: [
					{
						title: 'x',
						elements: [
							7,
							{ type: 'bogus', name: 'Bad-Name' },
							{ type: 'panel', title: 'x', elements: [] },
							{ type: 'text', name: 'dup', inputType: 'number', validators: [7], description: 'x' },
							{ type: 'text', name: 'dup', title: { default: 'a', vi: 'a' }, visibleIf: '{ghost} = 1' },
							{ type: 'radiogroup', name: 'r1', choices: [] },
							{ type: 'checkbox', name: 'r2', choices: [1, 1] },
							{ type: 'dropdown', name: 'r3', choicesFromQuestion: 'ghost' },
							{ type: 'matrixdynamic', name: 'l1' },
							{
								type: 'matrixdynamic',
								name: 'l2',
								maxRowCount: 5,
								columns: [
									7,
									{ name: 'Bad' },
									{ name: 'n', cellType: 'text', inputType: 'number', validators: [7] },
									{ name: 'n', cellType: 'dropdown', choices: [] },
									{ name: 'd', cellType: 'dropdown', choices: ['a', 'a'] }
								]
							}
						]
					}
				]
			},
			'q.json'
		)
	);
	return out;
}

/** The English wording with its numbers and quoted names taken out: one entry per kind of message. */
const kind = (message: string) =>
	message.replace(/'[^']*'|"[^"]*"|-?\d+(\.\d+)?/g, '_').replace(/\(expected .*\)/, '(expected _)');

describe('rubric problems in both languages', () => {
	const issues = broken();

	it('reach most kinds of message', () => {
		// The battery above stays broad: fewer kinds than this means a mutation stopped hitting its rule.
		expect(new Set(issues.map((i) => kind(i.message))).size).toBeGreaterThanOrEqual(130);
	});

	it('say each problem in Vietnamese, not copied from the English', () => {
		const untranslated = issues.filter(
			(i) =>
				!i.text ||
				i.text.en !== i.message ||
				i.text.vi.trim() === '' ||
				i.text.vi === i.text.en ||
				!VIETNAMESE.test(i.text.vi)
		);
		expect(untranslated.map((i) => `${i.path}: ${i.message} | ${i.text?.vi}`)).toEqual([]);
	});

	it('say the same problem in vi as in en for every fixture file', () => {
		const dir = join(root, 'tests/fixtures/rubrics');
		const q = read('surveys/mechanical/2025.1/questionnaire.json');
		const refs = [2024, 2025, 2026].map((y) => ({
			file: `${y}.json`,
			json: read(`surveys/mechanical/reference-values/${y}.json`)
		}));
		for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
			const got = validateRubric(bundle(read(join('tests/fixtures/rubrics', f)), refs, q));
			expect(got.length, f).toBeGreaterThan(0);
			for (const i of got) {
				expect(i.text?.vi, `${f} ${i.message}`).toMatch(VIETNAMESE);
				expect(i.text?.en).toBe(i.message);
			}
		}
	});

	it('keep the names from the file in the Vietnamese text', () => {
		const r = rubric();
		(criterion(r, 'T7').mapping as Record<string, unknown>).question = 'no_such_question';
		const got = validateRubric(bundle(r)).find((i) => i.message.includes('no_such_question'));
		expect(got?.text?.vi).toBe("Bảng hỏi không có câu hỏi 'no_such_question'.");
	});
});
