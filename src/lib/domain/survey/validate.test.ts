import { describe, expect, it } from 'vitest';
import { compileQuestionnaire, QuestionnaireCompileError } from './compile';
import { checkShape } from './shape';
import type { Problem } from './types';
import { validateForSubmit } from './validate';
import { validateWithSurveyCore } from './surveycore';
import edge from './fixtures/edge-cases.json';
import sample from './fixtures/techcap-sample.json';
import choiceProps from './fixtures/choice-props.json';
import inputs from './fixtures/inputs.json';

const c = compileQuestionnaire(sample);
const e = compileQuestionnaire(edge);

/** A complete, valid answer set for the sample questionnaire. */
function valid(): Record<string, unknown> {
	return {
		employees: 120,
		contact_email: 'info@congty.com.vn',
		ownership: 'private',
		tax_code: '0101234567',
		has_rnd: true,
		rnd_staff: 6,
		rnd_budget: { y2023: 1.5, y2024: 2, note: 'ổn định' },
		tech_used: ['erp', 'cad'],
		main_tech: 'cad',
		automation: 4,
		functions: { design: 2, production: 3, quality: 1, sales: 0 }
	};
}

const codes = (ps: Problem[]) => ps.map((p) => `${p.question}${p.item ? '.' + p.item : ''}:${p.code}`);

describe('checkShape', () => {
	it('accepts a complete valid response and an empty draft', () => {
		expect(checkShape(c, valid())).toEqual([]);
		expect(checkShape(c, {})).toEqual([]);
	});

	it('rejects a body that is not a plain object', () => {
		for (const bad of [null, [], 'x', 3, new Date()]) {
			expect(codes(checkShape(c, bad))).toEqual([':not-an-object']);
		}
	});

	it('rejects a rating outside the scale', () => {
		expect(codes(checkShape(c, { automation: 6 }))).toEqual(['automation:out-of-scale']);
		expect(codes(checkShape(c, { automation: 0 }))).toEqual(['automation:out-of-scale']);
		expect(codes(checkShape(c, { automation: '3' }))).toEqual(['automation:out-of-scale']);
		expect(checkShape(c, { automation: 5 })).toEqual([]);
		const [p] = checkShape(c, { automation: 9 });
		expect(p.message.en).toContain('1, 2, 3, 4, 5');
		expect(p.message.vi).toContain('thang đánh giá');
	});

	it('rejects a choice not in the list, including in a checkbox and a matrix', () => {
		expect(codes(checkShape(c, { ownership: 'cooperative' }))).toEqual(['ownership:invalid-choice']);
		expect(codes(checkShape(c, { tech_used: ['erp', 'blockchain'] }))).toEqual(['tech_used:invalid-choice']);
		expect(codes(checkShape(c, { functions: { design: 7 } }))).toEqual(['functions.design:invalid-column']);
		expect(codes(checkShape(c, { functions: { marketing: 1 } }))).toEqual([
			'functions.marketing:invalid-row'
		]);
		// "other" and "none" are choices when the question shows them.
		expect(checkShape(c, { ownership: 'other', 'ownership-Comment': 'HTX' })).toEqual([]);
		expect(checkShape(c, { tech_used: ['none'] })).toEqual([]);
	});

	it('rejects an unknown key, a comment key the question does not have, and html/panel names', () => {
		expect(codes(checkShape(c, { favourite_colour: 'blue' }))).toEqual(['favourite_colour:unknown-key']);
		expect(codes(checkShape(c, { 'employees-Comment': 'x' }))).toEqual(['employees-Comment:unknown-key']);
		expect(codes(checkShape(c, { intro: 'x', rnd_panel: 1 }))).toEqual([
			'intro:unknown-key',
			'rnd_panel:unknown-key'
		]);
	});

	it('rejects operator objects anywhere and $-keys at the top', () => {
		expect(codes(checkShape(c, { tax_code: { $gt: '' } }))).toEqual(['tax_code.$gt:operator-object']);
		expect(codes(checkShape(c, { functions: { design: { $ne: null } } }))).toEqual([
			'functions.$ne:operator-object'
		]);
		expect(codes(checkShape(c, { $where: 'sleep(1000)' }))).toEqual(['$where:operator-object']);
	});

	it('rejects __proto__, constructor, prototype and dotted keys at any depth', () => {
		const proto = JSON.parse('{"__proto__": {"admin": true}}');
		expect(codes(checkShape(c, proto))).toEqual(['__proto__:forbidden-key']);
		const nested = JSON.parse('{"rnd_budget": {"__proto__": {"x": 1}}}');
		expect(codes(checkShape(c, nested))).toEqual(['rnd_budget.__proto__:forbidden-key']);
		expect(codes(checkShape(c, { functions: { constructor: 1 } }))).toEqual([
			'functions.constructor:forbidden-key'
		]);
		expect(codes(checkShape(c, { 'a.b': 1 }))).toEqual(['a.b:forbidden-key']);
	});

	it('rejects oversized strings and bodies', () => {
		expect(codes(checkShape(c, { tax_code: '0'.repeat(15) }))).toEqual(['tax_code:too-long']);
		expect(codes(checkShape(c, { rnd_comment: 'x'.repeat(501) }))).toEqual(['rnd_comment:too-long']);
		// No maxLength on the question: the 10k default applies.
		expect(codes(checkShape(c, { 'ownership-Comment': 'x'.repeat(10_001) }))).toEqual([
			'ownership.ownership-Comment:too-long'
		]);
		const big = { rnd_comment: 'x'.repeat(300 * 1024) };
		const [p] = checkShape(c, big);
		expect(p.code).toBe('too-large');
		expect(p.question).toBe('');
		expect(codes(checkShape(c, { tax_code: 'x'.repeat(100) }, { maxBodyChars: 50 }))).toEqual([':too-large']);
	});

	it('rejects deep nesting', () => {
		expect(codes(checkShape(c, { functions: { design: [[[1]]] } }))).toEqual(['functions:too-deep']);
		expect(codes(checkShape(c, { rnd_budget: { note: { a: { b: { c: 1 } } } } }))).toEqual([
			'rnd_budget:too-deep'
		]);
	});

	it('rejects non-numeric numbers and values of the wrong kind', () => {
		expect(codes(checkShape(c, { employees: '120' }))).toEqual(['employees:not-a-number']);
		expect(codes(checkShape(c, { employees: 'abc' }))).toEqual(['employees:not-a-number']);
		expect(codes(checkShape(c, { rnd_budget: { y2023: '1,5' } }))).toEqual(['rnd_budget.y2023:not-a-number']);
		expect(codes(checkShape(c, { has_rnd: 'yes' }))).toEqual(['has_rnd:wrong-type']);
		expect(codes(checkShape(c, { tech_used: 'erp' }))).toEqual(['tech_used:wrong-type']);
		expect(codes(checkShape(c, { functions: [1] }))).toEqual(['functions:wrong-type']);
		expect(codes(checkShape(c, { tax_code: 101234567 }))).toEqual(['tax_code:wrong-type']);
		// Cleared answers are not a kind error.
		expect(checkShape(c, { employees: '', tech_used: [], tax_code: null })).toEqual([]);
	});

	it('limits checkbox arrays to the number of choices', () => {
		const many = ['erp', 'crm', 'cad', 'iot', 'ai', 'other', 'none', 'erp'];
		expect(codes(checkShape(c, { tech_used: many }))).toEqual(['tech_used:too-many']);
	});

	it('gives every message in Vietnamese and English', () => {
		const ps = checkShape(c, { automation: 9, nope: 1, employees: 'x', tax_code: { $gt: '' } });
		expect(ps.length).toBe(4);
		for (const p of ps) {
			expect(p.message.vi.length).toBeGreaterThan(5);
			expect(p.message.en.length).toBeGreaterThan(5);
			expect(p.message.vi).not.toBe(p.message.en);
		}
	});
});

describe('validateForSubmit', () => {
	it('accepts a complete valid response and keeps its answers', () => {
		const r = validateForSubmit(c, valid());
		expect(r.problems).toEqual([]);
		expect(r.ok).toBe(true);
		expect(r.cleaned).toMatchObject(valid());
		expect(r.cleaned.rnd_ratio).toBe(5); // expression recomputed: 6 / 120 * 100
	});

	it('reports required answers, honouring requiredIf', () => {
		const d = valid();
		delete d.employees;
		delete d.contact_email; // required because has_rnd = true
		// The expression validator {rnd_staff} <= {employees} fails too, as in survey-core.
		expect(codes(validateForSubmit(c, d).problems)).toEqual([
			'employees:required',
			'contact_email:required',
			'rnd_staff:validator:expression'
		]);
		d.has_rnd = false;
		delete d.rnd_staff;
		delete d.rnd_budget;
		expect(codes(validateForSubmit(c, d).problems)).toEqual(['employees:required']);
	});

	it('drops answers to invisible questions from cleaned, without judging them', () => {
		// Hidden answers still feed conditions until completion, as in survey-core, so keep
		// rnd_staff small enough not to reveal rnd_comment through rnd_ratio.
		const d = { ...valid(), has_rnd: false, rnd_staff: 3, fdi_share: 250 };
		const r = validateForSubmit(c, d);
		expect(r.ok).toBe(true);
		expect(r.cleaned).not.toHaveProperty('rnd_staff');
		expect(r.cleaned).not.toHaveProperty('rnd_budget');
		expect(r.cleaned).not.toHaveProperty('fdi_share');
		expect(r.cleaned).not.toHaveProperty('contact_email', undefined);
	});

	it('keeps the "other" comment right after its answer, and only while "other" is chosen', () => {
		const chosen = validateForSubmit(c, { ...valid(), ownership: 'other', 'ownership-Comment': 'HTX' });
		expect(chosen.ok).toBe(true);
		const keys = Object.keys(chosen.cleaned);
		expect(chosen.cleaned['ownership-Comment']).toBe('HTX');
		expect(keys.indexOf('ownership-Comment')).toBe(keys.indexOf('ownership') + 1);
		const notChosen = validateForSubmit(c, { ...valid(), 'ownership-Comment': 'HTX' });
		expect(notChosen.ok).toBe(true);
		expect(notChosen.cleaned).not.toHaveProperty('ownership-Comment');
		expect(notChosen.cleaned.ownership).toBe(valid().ownership);
	});

	it('ignores a posted value for a display-only expression', () => {
		const r = validateForSubmit(c, { ...valid(), rnd_ratio: 999 });
		expect(r.ok).toBe(true);
		expect(r.cleaned.rnd_ratio).toBe(5);
	});

	it('checks number ranges, the other comment, all matrix rows and validators', () => {
		const d = {
			...valid(),
			employees: 0,
			ownership: 'other',
			functions: { design: 1 },
			tax_code: '12345',
			rnd_staff: 500
		};
		expect(codes(validateForSubmit(c, d).problems)).toEqual([
			'employees:min',
			'ownership:other-required',
			'tax_code:validator:regex',
			'rnd_staff:validator:expression',
			'functions:all-rows-required'
		]);
		const msg = validateForSubmit(c, d).problems.find((p) => p.code === 'validator:regex')?.message;
		expect(msg).toEqual({
			vi: 'Mã số thuế gồm 10 chữ số (hoặc 10-3).',
			en: 'A tax code has 10 digits (or 10-3).'
		});
	});

	it('checks a carried-forward choice against what the source offers now', () => {
		expect(codes(validateForSubmit(c, { ...valid(), main_tech: 'iot' }).problems)).toEqual([
			'main_tech:invalid-choice'
		]);
		expect(codes(validateForSubmit(c, { ...valid(), main_tech: 'nope' }).problems)).toEqual([
			'main_tech:invalid-choice'
		]);
	});

	it('rejects "none" combined with other choices and repeated choices', () => {
		const d = { ...valid(), tech_used: ['none', 'erp'], main_tech: 'erp' };
		expect(codes(validateForSubmit(c, d).problems)).toContain('tech_used:none-exclusive');
		const dup = { ...valid(), tech_used: ['erp', 'erp'], main_tech: 'erp' };
		expect(codes(validateForSubmit(c, dup).problems)).toContain('tech_used:duplicate-choice');
	});

	it('returns shape problems and nothing cleaned for a hostile body', () => {
		const r = validateForSubmit(c, 'not json');
		expect(r.ok).toBe(false);
		expect(r.cleaned).toEqual({});
		expect(codes(validateForSubmit(c, { ...valid(), automation: 7, x: 1 }).problems)).toEqual([
			'automation:out-of-scale',
			'x:unknown-key'
		]);
	});

	it('skips survey-core rules on read-only questions (enableIf), like survey-core', () => {
		// qty is required but disabled when mode = 'c'.
		const r = validateForSubmit(e, { mode: 'c' });
		expect(codes(r.problems)).not.toContain('qty:required');
		expect(codes(validateForSubmit(e, { mode: 'b' }).problems)).toContain('qty:required');
	});

	it('checks step, automatic e-mail format, text and regex validators', () => {
		const r = validateForSubmit(e, { mode: 'b', qty: 1.3, mail: 'a@b', code: 'abc1', agree: 'yes' });
		expect(codes(r.problems)).toEqual([
			'qty:step',
			'mail:email',
			'code:validator:text',
			'code:validator:regex'
		]);
	});

	it('evaluates page visibility through chained expressions', () => {
		// quad = qty * 4 > 20 shows page 2, whose required questions then count.
		const shown = validateForSubmit(e, { mode: 'b', qty: 6, agree: 'no' });
		expect(codes(shown.problems)).toEqual([
			'pick:required',
			'best:required',
			'grid:required',
			'contact:required'
		]);
		expect(shown.cleaned).toMatchObject({ double: 12, quad: 24 });
		const hidden = validateForSubmit(e, { mode: 'b', qty: 5, agree: 'no', grid: { r1: 'x' } });
		expect(hidden.ok).toBe(true);
		expect(hidden.cleaned).not.toHaveProperty('grid');
	});

	it('treats questions in a read-only panel, at any depth, as read-only (as survey-core does)', () => {
		// The outer panel is editable only while unlock = 1; the required question sits two panels
		// down, so only inheritance makes it read-only.
		const json = {
			pages: [
				{
					name: 'p',
					elements: [
						{ type: 'text', name: 'unlock', inputType: 'number' },
						{
							type: 'panel',
							name: 'outer',
							enableIf: '{unlock} = 1',
							elements: [
								{
									type: 'panel',
									name: 'inner',
									elements: [{ type: 'text', name: 'deep', isRequired: true }]
								}
							]
						}
					]
				}
			]
		};
		const compiled = compileQuestionnaire(json);
		for (const data of [{ unlock: 2 }, { unlock: 1 }]) {
			const ours = codes(validateForSubmit(compiled, data).problems);
			expect(ours).toEqual(codes(validateWithSurveyCore(json, data)));
		}
		expect(codes(validateForSubmit(compiled, { unlock: 2 }).problems)).toEqual([]);
		expect(codes(validateForSubmit(compiled, { unlock: 1 }).problems)).toEqual(['deep:required']);
	});

	it('validates multiple-text items separately', () => {
		const r = validateForSubmit(e, { mode: 'a', qty: 6, agree: 'no', contact: { email: 'bad', age: 12 } });
		expect(codes(r.problems)).toEqual(
			expect.arrayContaining(['contact.email:email', 'contact.age:validator:numeric'])
		);
	});
});

describe('compileQuestionnaire', () => {
	it('refuses features it cannot validate like survey-core, naming the element', () => {
		const bad =
			(elements: unknown[], extra: Record<string, unknown> = {}) =>
			() =>
				compileQuestionnaire({ pages: [{ name: 'p', elements }], ...extra });
		expect(bad([{ type: 'file', name: 'f' }])).toThrow(/question "f": question type "file"/);
		expect(bad([{ type: 'text', name: 'a', visibleIf: '{nope} = 1' }])).toThrow(/\{nope\}.*not a question/);
		expect(bad([{ type: 'text', name: 'a', visibleIf: '{a} = = 1' }])).toThrow(/cannot parse/);
		expect(bad([{ type: 'checkbox', name: 'a', choices: ['x'], maxSelectedChoices: 1 }])).toThrow(
			/maxSelectedChoices/
		);
		expect(bad([{ type: 'text', name: 'a' }], { triggers: [{ type: 'complete' }] })).toThrow(/trigger 1/);
		expect(bad([{ type: 'text', name: 'a', visibleIf: "displayValue('a') = 1" }])).toThrow(/displayValue/);
		expect(bad([{ type: 'text', name: 'a', inputType: 'time' }])).toThrow(/inputType "time"/);
		expect(
			bad([
				{ type: 'text', name: 'a' },
				{ type: 'text', name: 'A' }
			])
		).toThrow(/used twice/);
		expect(() => compileQuestionnaire([])).toThrow(QuestionnaireCompileError);
	});

	it('describes choices, scales, other/none and carried-forward questions', () => {
		const q = (n: string) => c.byName.get(n);
		expect(q('automation')?.choices).toEqual([1, 2, 3, 4, 5]);
		expect(q('ownership')?.otherValue).toBe('other');
		expect(q('tech_used')?.noneValue).toBe('none');
		expect(q('main_tech')?.choicesFrom).toEqual({ source: 'tech_used', mode: 'selected' });
		expect(q('functions')?.eachRowRequired).toBe(true);
		expect(q('fdi_share')?.visibleIf?.deps).toEqual(['ownership']);
		expect(e.byName.get('grade')?.choices).toEqual(['low', 'mid', 'high']);
		expect(e.byName.get('agree')?.choices).toEqual(['yes', 'no']);
		expect(c.keys.get('ownership-Comment')?.kind).toBe('comment');
		expect(c.keys.has('intro')).toBe(false);
	});
});

describe('choice properties survey-core honours', () => {
	const props = compileQuestionnaire(choiceProps);
	const base = { lines: 0, fruit: [{ fruit: 'apple' }] };
	const check = (d: Record<string, unknown>) => codes(validateForSubmit(props, d).problems);

	it('dropdown choicesMin/choicesMax/choicesStep values are choices', () => {
		expect(check({ ...base, lines: 3, shift_count: 2 })).toEqual([]);
		expect(validateWithSurveyCore(choiceProps, { ...base, lines: 3, shift_count: 2 }, 'en')).toEqual([]);
		expect(check({ ...base, lines: 2 })).toEqual(['lines:invalid-choice']);
		expect(check({ ...base, lines: '3', shift_count: 1 })).toEqual(['lines:invalid-choice']);
		expect(check({ ...base, lines: 11, shift_count: 1 })).toEqual(['lines:invalid-choice']);
	});

	it('allowCustomChoices accepts a typed answer, as text only', () => {
		expect(check({ ...base, brand: 'Máy tự chế' })).toEqual([]);
		// survey-core compares case-insensitively: "FANUC" shows the fanuc follow-up.
		expect(check({ ...base, brand: 'FANUC' })).toEqual(['mango_note:required']);
		expect(check({ ...base, brand: 7 })).toEqual(['brand:invalid-choice']);
		expect(check({ ...base, brand: 'x'.repeat(20_000) })).toEqual(['brand:too-long']);
	});

	it('valuePropertyName stores checkbox choices as objects', () => {
		expect(check({ ...base, fruit: [{ fruit: 'apple' }, { fruit: 'pear' }] })).toEqual([]);
		expect(check({ ...base, fruit: [{ fruit: 'zz' }] })).toEqual(['fruit:invalid-choice']);
		expect(check({ ...base, fruit: ['apple'] })).toEqual(['fruit:wrong-type']);
		expect(check({ ...base, fruit: [{ fruit: 'apple', x: 1 }] })).toEqual(['fruit:wrong-type']);
		expect(check({ ...base, fruit: [{ fruit: 'apple' }, { fruit: 'apple' }] })).toEqual([
			'fruit:duplicate-choice'
		]);
		expect(check({ lines: 0 })).toEqual(['fruit:required']);
	});

	it('valuePropertyName with other/none items is refused at compile', () => {
		const bad = structuredClone(choiceProps) as {
			pages: Array<{ elements: Array<Record<string, unknown>> }>;
		};
		bad.pages[0].elements[3].showNoneItem = true;
		expect(() => compileQuestionnaire(bad)).toThrow(/valuePropertyName together with/);
	});
});

describe('date and month inputs', () => {
	const ins = compileQuestionnaire(inputs);
	const check = (d: Record<string, unknown>) => codes(validateForSubmit(ins, d).problems);

	it('accepts real days and months', () => {
		expect(check({ founded: '2024-02-29', last_audit: '2025-12', dates: { first: '2025-01-31' } })).toEqual(
			[]
		);
	});

	it.each(['2025-02-29', '2024-13-01', '2024-2-3', '31/12/2024', '2024-02-29T00:00', '0999-01-01'])(
		'refuses the near miss %j for a date, in both languages',
		(v) => {
			const ps = validateForSubmit(ins, { founded: v }).problems;
			expect(codes(ps)).toContain('founded:wrong-type');
			expect(ps.find((p) => p.question === 'founded')?.message.vi).toContain('YYYY-MM-DD');
		}
	);

	it('refuses a day for a month and an impossible month', () => {
		expect(check({ founded: '2024-01-01', last_audit: '2024-01-01' })).toEqual(['last_audit:wrong-type']);
		expect(check({ founded: '2024-01-01', last_audit: '2024-00' })).toEqual(['last_audit:wrong-type']);
		expect(check({ founded: '2024-01-01', dates: { month: '2024-13' } })).toEqual(['dates.month:wrong-type']);
	});

	it('datetime-local keeps the wall-clock time a browser posts, nothing else', () => {
		const c = compileQuestionnaire(inputs);
		const check = (d: Record<string, unknown>) => codes(checkShape(c, d));
		for (const ok of ['2024-02-29T23:59', '2025-12-07T08:30:15', '2025-12-07T08:30:15.250'])
			expect(check({ visited: ok }), ok).toEqual([]);
		for (const bad of [
			'2025-02-29T10:00',
			'2024-01-01T24:00',
			'2024-01-01 08:30',
			'2024-01-01T8:30',
			'2024-01-01T08:30Z',
			'2024-01-01T08:30+07:00',
			'2024-01-01'
		])
			expect(check({ visited: bad }), bad).toEqual(['visited:wrong-type']);
	});

	it('calculated values are recomputed by the server and stored only with includeIntoResult', () => {
		const c = compileQuestionnaire(inputs);
		const base = { founded: '2024-01-01' };
		// lines 25 → lines_x2 50 → many_lines true → line_note shown and required.
		const r = validateForSubmit(c, { ...base, lines: 25, lines_x2: 1, many_lines: false });
		expect(codes(r.problems)).toEqual(['line_note:required']);
		expect(r.cleaned).toMatchObject({ lines_x2: 50, lines_shown: 25 });
		expect(r.cleaned).not.toHaveProperty('many_lines');
		const ok = validateForSubmit(c, { ...base, lines: 5, line_note: 'x' });
		expect(ok.ok).toBe(true);
		expect(ok.cleaned).toEqual({ ...base, lines: 5, lines_x2: 10, lines_shown: 5 });
		expect(() =>
			compileQuestionnaire({
				elements: [{ type: 'text', name: 'a' }],
				calculatedValues: [{ name: 'A', expression: '1' }]
			})
		).toThrow(/used twice/);
	});

	it('refuses triggers by type, saying what gives the same result', () => {
		const withTrigger = (type: string) => () =>
			compileQuestionnaire({
				elements: [{ type: 'text', name: 'a' }],
				triggers: [{ type, expression: '{a} = 1', setToName: 'a', setValue: 2 }]
			});
		expect(withTrigger('complete')).toThrow(/trigger 1 \("complete"\).*visibleIf on the later pages/);
		for (const t of ['setvalue', 'copyvalue', 'runexpression'])
			expect(withTrigger(t)).toThrow(new RegExp(`trigger 1 \\("${t}"\\).*calculatedValues`));
		try {
			withTrigger('complete')();
		} catch (e) {
			expect((e as QuestionnaireCompileError).text?.vi).toMatch(
				/^Bảng hỏi: trigger thứ 1 \("complete"\) chưa được hỗ trợ/
			);
		}
	});

	it('tagbox answers are checked like a checkbox', () => {
		const c = compileQuestionnaire(inputs);
		const check = (d: Record<string, unknown>) => codes(validateForSubmit(c, d).problems);
		const base = { founded: '2024-01-01' };
		expect(check({ ...base, markets: ['eu', 'us'], top_markets: ['us'] })).toEqual([]);
		expect(check({ ...base, markets: ['eu'], top_markets: ['us'] })).toEqual(['top_markets:invalid-choice']);
		const top = { top_markets: ['eu'] };
		expect(check({ ...base, ...top, markets: ['eu', 'eu'] })).toEqual(['markets:duplicate-choice']);
		expect(check({ ...base, ...top, markets: ['cn'] })).toEqual([
			'markets:invalid-choice',
			'top_markets:invalid-choice'
		]);
		expect(check({ ...base, markets: 'eu' })).toContain('markets:wrong-type');
		expect(check({ ...base, ...top, markets: ['none', 'eu'] })).toEqual(['markets:none-exclusive']);
		expect(() =>
			compileQuestionnaire({
				elements: [{ type: 'tagbox', name: 't', choices: ['a'], allowCustomChoices: true }]
			})
		).toThrow(/"allowCustomChoices" on a tagbox/);
	});

	it('refuses unsupported input types by name, saying what to use instead', () => {
		const bad = { elements: [{ type: 'text', name: 'when', inputType: 'week' }] };
		expect(() => compileQuestionnaire(bad)).toThrow(
			'question "when": inputType "week" is not supported; use a "date" input'
		);
	});
});
