import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTemplate, CODEBOOK_COLUMNS, mapRecord, templateReadOptions, TemplateError } from './template';
import { toCsvString } from './write';
import { collect } from './test-support';
import type { HeaderEvent, RowEvent } from './read';

const ROOT = process.cwd();
const questionnaire = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/csv/questionnaire.json'), 'utf8'));
const template = buildTemplate(questionnaire);
const col = (name: string) => template.columns.find((c) => c.name === name);

describe('buildTemplate', () => {
	it('has one column per answer cell, identifiers first', () => {
		expect(template.columns.map((c) => c.name)).toEqual([
			'profile_tax_code',
			'profile_name',
			'profile_employees',
			'profile_revenue',
			'profile_founded',
			'profile_ownership',
			't_rd',
			't_rd_budget',
			't_channels',
			't_channels-Comment',
			't_level',
			't_matrix.design',
			't_matrix.production',
			't_staff.engineers',
			't_staff.technicians',
			't_note'
		]);
		expect(col('profile_tax_code')).toMatchObject({ identifier: true, required: true, cell: 'text' });
		expect(col('profile_employees')).toMatchObject({ cell: 'number', min: 1, max: 100000 });
		expect(col('t_rd_budget')?.condition).toBe('visibleIf: {t_rd} = true');
		expect(col('t_channels')?.choices?.map((c) => c.value)).toEqual([1, 2, 3, 'none', 'other']);
		expect(col('t_matrix.design')).toMatchObject({ dataKey: 't_matrix', subKey: 'design', cell: 'choice' });
		expect(col('t_level')?.choices?.map((c) => c.value)).toEqual([1, 2, 3, 4, 5]);
	});

	it('writes a bilingual codebook', () => {
		const row = template.codebook.find((r) => r.column === 'profile_ownership');
		expect(row).toMatchObject({
			title_vi: 'Loại hình sở hữu',
			title_en: 'Ownership',
			codes_vi: 'state = Nhà nước; private = Tư nhân; fdi = Có vốn đầu tư nước ngoài',
			codes_en: 'state = State-owned; private = Private; fdi = Foreign-invested',
			required: 'no'
		});
		const ch = template.codebook.find((r) => r.column === 't_channels');
		expect(ch?.notes_en).toContain('separated by |');
		expect(template.codebook.find((r) => r.column === 'profile_employees')?.range).toBe('1–100000');
		expect(template.codebook.find((r) => r.column === 'profile_revenue')?.unit).toBe(
			'triệu đồng / million VND'
		);
		expect(template.codebook.find((r) => r.column === 't_matrix.production')?.title_vi).toBe(
			'Mức tự động hoá — Sản xuất'
		);
		const csv = toCsvString(template.codebook as unknown as Record<string, string>[], CODEBOOK_COLUMNS);
		expect(csv.split('\r\n')[0]).toBe('\uFEFF' + CODEBOOK_COLUMNS.join(','));
	});

	it('adds an identifier column when no question carries it', () => {
		const t = buildTemplate({ elements: [{ type: 'text', name: 'q1' }] }, { identifiers: ['tax_code'] });
		expect(t.columns[0]).toMatchObject({ name: 'tax_code', identifier: true, question: '' });
		const m = mapRecord(t, { tax_code: '0101234567', q1: 'x' }, { numberFormat: 'dot-decimal' });
		expect(m).toEqual({ answers: { q1: 'x' }, identifiers: { tax_code: '0101234567' }, problems: [] });
	});

	it('refuses valuePropertyName and allowCustomChoices by name, saying what to use instead', () => {
		const vp = {
			elements: [{ type: 'checkbox', name: 'fruit', valuePropertyName: 'fruit', choices: ['a'] }]
		};
		expect(() => buildTemplate(vp)).toThrow(/"fruit".*valuePropertyName.*Remove valuePropertyName/);
		const custom = {
			elements: [{ type: 'dropdown', name: 'brand', allowCustomChoices: true, choices: ['a'] }]
		};
		expect(() => buildTemplate(custom)).toThrow(/"brand".*allowCustomChoices.*showOtherItem/);
		try {
			buildTemplate(custom);
		} catch (e) {
			expect((e as TemplateError).messages.vi).toContain('Khác (ghi rõ)');
		}
	});

	it('refuses question types it cannot map, naming them', () => {
		const bad = {
			elements: [
				{ type: 'file', name: 'f1' },
				{ type: 'matrixdynamic', name: 'm1' }
			]
		};
		expect(() => buildTemplate(bad)).toThrow(TemplateError);
		expect(() => buildTemplate(bad)).toThrow('f1 (file), m1 (matrixdynamic)');
		expect(() =>
			buildTemplate({
				elements: [
					{ type: 'text', name: 'a.b' },
					{ type: 'matrix', name: 'a', rows: ['b'], columns: [1] }
				]
			})
		).toThrow('duplicate column names: a.b');
	});
});

describe('mapRecord', () => {
	const opts = { numberFormat: 'comma-decimal' as const };
	it('maps codes, vi/en labels, booleans, numbers, dates, checkbox lists and sub-answers', () => {
		const m = mapRecord(
			template,
			{
				profile_tax_code: '0101234567',
				profile_name: 'Cong ty A',
				profile_employees: '1.250',
				profile_revenue: '12.345,5',
				profile_founded: '15/03/2008',
				profile_ownership: '  FOREIGN-invested ',
				t_rd: 'Có',
				t_rd_budget: '2,5%',
				t_channels: 'other | 1|Mua',
				't_channels-Comment': 'Viện',
				t_level: '4',
				't_matrix.design': 'thấp',
				't_matrix.production': '3',
				't_staff.engineers': '12',
				't_staff.technicians': '',
				t_note: 'Ghi chú'
			},
			opts
		);
		expect(m.problems).toEqual([]);
		expect(m.identifiers).toEqual({ profile_tax_code: '0101234567' });
		expect(m.answers).toEqual({
			profile_tax_code: '0101234567',
			profile_name: 'Cong ty A',
			profile_employees: 1250,
			profile_revenue: 12345.5,
			profile_founded: '2008-03-15',
			profile_ownership: 'fdi',
			t_rd: true,
			t_rd_budget: 2.5,
			t_channels: [1, 2, 'other'],
			't_channels-Comment': 'Viện',
			t_level: 4,
			t_matrix: { design: 1, production: 3 },
			t_staff: { engineers: 12 },
			t_note: 'Ghi chú'
		});
	});

	it('normalises NFD input (macOS) before matching labels', () => {
		const m = mapRecord(
			template,
			{ profile_tax_code: '0101234567', profile_ownership: 'Tư nhân'.normalize('NFD') },
			opts
		);
		expect(m.answers.profile_ownership).toBe('private');
	});

	it('never accepts an unknown value silently', () => {
		const m = mapRecord(
			template,
			{
				profile_tax_code: '0101234567',
				profile_employees: 'nhiều',
				profile_revenue: '1,234.5',
				profile_founded: '31/02/2010',
				profile_ownership: 'hợp tác xã',
				t_rd: 'maybe',
				t_channels: '1, 2',
				t_level: '7',
				't_matrix.design': 'Rất cao'
			},
			opts
		);
		expect(m.problems.map((p) => p.column)).toEqual([
			'profile_employees',
			'profile_revenue',
			'profile_founded',
			'profile_ownership',
			't_rd',
			't_channels',
			't_level',
			't_matrix.design'
		]);
		expect(m.problems[1].message.en).toContain('check the number-format setting');
		expect(m.problems[3].message.vi).toContain('Các mã: state, private, fdi');
		expect(m.problems[5].message.en).toContain('Separate several answers with |');
		expect(Object.keys(m.answers)).toEqual(['profile_tax_code']);
	});

	it('reports ambiguous labels and prefers codes over labels', () => {
		const t = buildTemplate({
			elements: [
				{ type: 'text', name: 'profile_tax_code' },
				{
					type: 'radiogroup',
					name: 'q',
					choices: [
						{ value: 'a', text: 'Same' },
						{ value: 'b', text: 'same' },
						{ value: 'c', text: 'A' }
					]
				}
			]
		});
		const m1 = mapRecord(t, { profile_tax_code: '0101234567', q: 'SAME' }, opts);
		expect(m1.problems[0].message.en).toContain('matches several options');
		expect(mapRecord(t, { profile_tax_code: '0101234567', q: 'A' }, opts).answers.q).toBe('a');
	});

	it('resolves choicesFromQuestion and checks `selected` mode against the same row', () => {
		const t = buildTemplate(
			{
				elements: [
					{
						type: 'checkbox',
						name: 'used',
						choices: [{ value: 1, text: { default: 'Manual', vi: 'Thủ công' } }, 2, 3]
					},
					{
						type: 'radiogroup',
						name: 'most',
						choicesFromQuestion: 'used',
						choicesFromQuestionMode: 'selected'
					}
				]
			},
			{ identifiers: [] }
		);
		expect(t.columns[1]).toMatchObject({ choicesFrom: { question: 'used', mode: 'selected' } });
		expect(mapRecord(t, { used: '1|3', most: 'thủ công' }, opts)).toMatchObject({
			answers: { used: [1, 3], most: 1 },
			problems: []
		});
		const bad = mapRecord(t, { used: '1|3', most: '2' }, opts);
		expect(bad.answers).toEqual({ used: [1, 3] });
		expect(bad.problems[0]).toMatchObject({ column: 'most', value: '2' });
		expect(bad.problems[0].message.en).toContain('must be among the answers in column used');
	});

	it('checks tax codes for Excel damage', () => {
		const probs = (v: string) => mapRecord(template, { profile_tax_code: v }, opts).problems;
		expect(probs('1.01235E+09')[0].message.en).toContain('scientific notation');
		expect(probs('101234567')[0].message.en).toContain('leading zero');
		expect(probs('')[0].message.en).toContain('missing');
		expect(probs('0101234567-001')).toEqual([]);
		expect(probs('001234567890')).toEqual([]);
	});

	it('respects valueTrue/valueFalse and boolean labels', () => {
		const t = buildTemplate(
			{
				elements: [
					{
						type: 'boolean',
						name: 'b',
						valueTrue: 'Y',
						valueFalse: 'N',
						labelTrue: { default: 'Agree', vi: 'Đồng ý' }
					}
				]
			},
			{ identifiers: [] }
		);
		const m = (v: string) => mapRecord(t, { b: v }, opts);
		expect(m('đồng ý').answers.b).toBe('Y');
		expect(m('không').answers.b).toBe('N');
		expect(m('1').answers.b).toBe('Y');
	});
});

describe('mapRecord corner cases', () => {
	// The corners: ambiguous labels, a label equal to another choice's code, numeric codes, a
	// dropdown range, custom boolean values and labels, dates, choicesFrom in both modes, a
	// non-question identifier.
	const corners = buildTemplate(
		{
			elements: [
				{
					type: 'radiogroup',
					name: 'q',
					choices: [
						{ value: 'a', text: 'Same' },
						{ value: 'b', text: 'same' },
						{ value: 'c', text: 'A' },
						{ value: 1, text: { default: 'One', vi: 'Một' } },
						{ value: '01', text: 'Zero one' },
						{ value: 'x y', text: 'X  Y' }
					],
					showNoneItem: true
				},
				{ type: 'dropdown', name: 'd', choicesMin: 1, choicesMax: 20, choicesStep: 0.5 },
				{
					type: 'checkbox',
					name: 'used',
					choices: [{ value: 1, text: { default: 'Manual', vi: 'Thủ công' } }, 2, 3, 'other'],
					showOtherItem: true
				},
				{
					type: 'radiogroup',
					name: 'most',
					choicesFromQuestion: 'used',
					choicesFromQuestionMode: 'selected'
				},
				{ type: 'tagbox', name: 'rest', choicesFromQuestion: 'used', choicesFromQuestionMode: 'unselected' },
				{
					type: 'boolean',
					name: 'b',
					valueTrue: 'Y',
					valueFalse: 'N',
					labelTrue: { default: 'Agree', vi: 'Đồng ý' },
					labelFalse: 'No way'
				},
				{ type: 'boolean', name: 'b2', labelTrue: 'Không' },
				{ type: 'text', name: 'when', inputType: 'date' },
				{ type: 'rating', name: 'r', rateMin: 0, rateMax: 10 },
				{ type: 'comment', name: 'note' }
			]
		},
		{ identifiers: ['profile_tax_code', 'branch'] }
	);
	it('reads labels in odd case, multi-choice lists, ranges and NFD text', () => {
		// `không` is both b2's true label and a false word: a problem.
		const r = {
			profile_tax_code: '0101234567',
			branch: '',
			q: 'MỘT',
			d: '2.5',
			used: '3 | Thủ công|other',
			most: '1',
			rest: '2',
			b: 'đồng ý',
			b2: 'không',
			when: '1/2/2024',
			r: '10',
			note: 'Cafe\u0301'
		};
		const m = mapRecord(corners, r, { numberFormat: 'dot-decimal' });
		expect(m.answers).toMatchObject({ q: 1, d: 2.5, used: [1, 3, 'other'], most: 1, rest: [2], b: 'Y' });
		expect(m.answers.note).toBe('Café');
		expect(m.problems.map((p) => p.column)).toEqual(['branch', 'b2']);
	});

	it('lists answers in column order; a shared data key keeps its first place and the last value', () => {
		const t = buildTemplate(
			{
				elements: [
					{ type: 'text', name: 'a', valueName: 'x' },
					{ type: 'text', name: 'first' },
					{ type: 'text', name: 'b', valueName: 'x' },
					{ type: 'text', name: 'p', valueName: '__proto__' },
					{ type: 'matrix', name: 'm', columns: [1, 2], rows: ['r1', 'r2'] }
				]
			},
			{ identifiers: [] }
		);
		const opts = { numberFormat: 'dot-decimal' } as const;
		const m = mapRecord(t, { a: 'A', first: 'F', b: 'B', p: 'P', 'm.r2': '2', 'm.r1': '1' }, opts);
		expect(JSON.stringify(m.answers)).toBe('{"x":"B","first":"F","__proto__":"P","m":{"r1":1,"r2":2}}');
		expect(Object.getPrototypeOf(m.answers)).toBe(Object.prototype);
		expect(JSON.stringify(mapRecord(t, { b: 'B', first: 'F' }, opts).answers)).toBe('{"first":"F","x":"B"}');
	});
});

describe('responses.csv end to end (readCsv → mapRecord)', () => {
	it('reads the Vietnamese-Excel fixture against the template', async () => {
		const bytes = new Uint8Array(readFileSync(join(ROOT, 'tests/fixtures/csv/responses.csv')));
		const ev = await collect(bytes, templateReadOptions(template), 37);
		const header = ev.find((e): e is HeaderEvent => e.type === 'header');
		expect(header?.delimiter).toBe(';');
		expect(header?.warnings).toEqual([]);
		const rows = ev.filter((e): e is RowEvent => e.type === 'row');
		const mapped = rows.map((r) => mapRecord(template, r.record, { numberFormat: 'comma-decimal' }));
		expect(mapped[0].problems).toEqual([]);
		expect(mapped[0].answers).toMatchObject({
			profile_employees: 1250,
			profile_revenue: 12345.5,
			profile_ownership: 'private',
			t_rd: true,
			t_rd_budget: 2.5,
			t_channels: [1, 3, 'other'],
			t_matrix: { design: 1, production: 3 },
			t_note: 'Ghi chú; có dấu chấm phẩy'
		});
		expect(mapped[1]).toMatchObject({
			problems: [],
			answers: { t_rd: false, t_channels: ['none'], profile_ownership: 'fdi' }
		});
		expect(mapped[2].problems.map((p) => p.column)).toEqual([
			'profile_employees',
			'profile_revenue',
			'profile_founded',
			't_rd',
			't_channels',
			't_level',
			't_matrix.design'
		]);
		expect(mapped[2].answers.profile_ownership).toBe('state');
	});
});

// Real questionnaires, when they exist in the tree: every one must give a template.
const surveysDir = join(ROOT, 'surveys');
const real: string[] = [];
if (existsSync(surveysDir))
	for (const sector of readdirSync(surveysDir, { withFileTypes: true }).filter((d) => d.isDirectory()))
		for (const v of readdirSync(join(surveysDir, sector.name), { withFileTypes: true }).filter((d) =>
			d.isDirectory()
		)) {
			const f = join(surveysDir, sector.name, v.name, 'questionnaire.json');
			if (existsSync(f)) real.push(f);
		}

describe.skipIf(real.length === 0)('real questionnaires in surveys/', () => {
	it.each(real)('%s builds a template with a tax code column', (f) => {
		// An equipment list comes in its own file (server/imports/equipment.ts).
		const t = buildTemplate(JSON.parse(readFileSync(f, 'utf8')), { separateLists: true });
		expect(t.columns[0]).toMatchObject({ name: 'profile_tax_code', identifier: true });
		expect(t.columns.length).toBeGreaterThan(5);
		expect(t.codebook).toHaveLength(t.columns.length);
	});
});

describe('list questions', () => {
	const q = {
		pages: [
			{
				elements: [
					{ type: 'text', name: 'profile_tax_code' },
					{
						type: 'matrixdynamic',
						name: 'equipment_list',
						columns: [{ name: 'year_made', cellType: 'text' }]
					}
				]
			}
		]
	};
	it('are refused by default and left out with separateLists (they come in their own file)', () => {
		expect(() => buildTemplate(q)).toThrow(/equipment_list \(matrixdynamic\)/);
		expect(buildTemplate(q, { separateLists: true }).columns.map((c) => c.name)).toEqual([
			'profile_tax_code'
		]);
	});
});
