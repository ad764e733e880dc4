import { describe, expect, it } from 'vitest';
import { compileQuestionnaire } from './compile';
import { checkShape } from './shape';
import type { Problem } from './types';
import { validateForSubmit } from './validate';
import { validateWithSurveyCore } from './surveycore';
import { withServerComputed } from './computed';
import matrices from './fixtures/matrices.json';

const c = compileQuestionnaire(matrices);
const codes = (ps: Problem[]) => ps.map((p) => `${p.question}${p.item ? '.' + p.item : ''}:${p.code}`);

/** One machine, complete and valid. */
const machine = (extra: Record<string, unknown> = {}) => ({
	kind: 'Máy tiện CNC',
	year_made: 2015,
	origin: 'jp',
	automation: ['cnc'],
	in_use: true,
	installed: '2016-03-01',
	value: 1200,
	...extra
});
const stages = { cutting: { automated: true, share: 40, code: 'CT' }, assembly: { automated: false } };
/** The fixture's dynamic panels, answered. */
const panels = { lines: [{ line_name: 'Dây chuyền 1', capacity: 120 }], partners: [{ country: 'kr' }] };

describe('matrixdynamic and matrixdropdown', () => {
	it('accepts a complete equipment list and stores the server-computed total', () => {
		const r = validateForSubmit(c, {
			has_equipment: true,
			equipment: [machine(), machine({ value: 300.5, kind: 'Dây chuyền sơn' })],
			stages,
			...panels
		});
		expect(codes(r.problems)).toEqual([]);
		expect(r.cleaned['equipment-total']).toEqual({ value: 1500.5 });
		expect(
			validateWithSurveyCore(matrices, { has_equipment: true, equipment: [machine()], stages, ...panels })
		).toEqual([]);
	});

	it('never keeps a total the client posted', () => {
		const r = validateForSubmit(c, {
			has_equipment: true,
			equipment: [machine({ value: 10 })],
			'equipment-total': { value: 999_999 },
			stages,
			...panels
		});
		expect(r.ok).toBe(true);
		expect(r.cleaned['equipment-total']).toEqual({ value: 10 });
		// Drafts too: the posted total is replaced, the rows are kept as posted.
		const draft = withServerComputed(c, {
			equipment: [{ value: 4 }, { value: 2.5 }],
			'equipment-total': { value: 1 }
		});
		expect(draft).toEqual({ equipment: [{ value: 4 }, { value: 2.5 }], 'equipment-total': { value: 6.5 } });
		// A hidden list is dropped with its total.
		const hidden = validateForSubmit(c, {
			has_equipment: false,
			equipment: [machine()],
			'equipment-total': { value: 5 },
			stages,
			...panels
		});
		expect(hidden.cleaned).not.toHaveProperty('equipment');
		expect(hidden.cleaned).not.toHaveProperty('equipment-total');
	});

	it('names the row and column of a cell problem, like survey-core', () => {
		const data = {
			has_equipment: true,
			equipment: [machine(), machine({ kind: '', year_made: 1940 })],
			stages: { cutting: { automated: true, code: 'abc' }, assembly: { automated: true, share: 101 } },
			...panels
		};
		const ours = codes(validateForSubmit(c, data).problems).sort();
		expect(ours).toEqual([
			'equipment.2.kind:required',
			'equipment.2.year_made:min',
			'stages.assembly.share:max',
			'stages.cutting.code:validator:regex'
		]);
		expect(codes(validateWithSurveyCore(matrices, data, 'en')).sort()).toEqual(ours);
	});

	it('checks the rows survey-core shows: rowCount when unanswered, padded to minRowCount', () => {
		// Unanswered: the one empty row the form shows has required cells; the list is required too.
		expect(codes(validateForSubmit(c, { has_equipment: true, stages, ...panels }).problems).sort()).toEqual([
			'equipment.1.kind:required',
			'equipment.1.origin:required',
			'equipment:min-rows',
			'equipment:required'
		]);
		// An emptied list: no rows, but a required list needs minRowCount filled ones.
		expect(
			codes(validateForSubmit(c, { has_equipment: true, equipment: [], stages, ...panels }).problems).sort()
		).toEqual(['equipment:min-rows', 'equipment:required']);
	});

	it('refuses what the form could never post', () => {
		const shape = (equipment: unknown) => codes(checkShape(c, { equipment }));
		expect(shape(Array.from({ length: 5 }, () => machine()))).toEqual(['equipment:too-many-rows']);
		expect(shape([machine({ origin: 'us' })])).toEqual(['equipment.1.origin:invalid-choice']);
		expect(shape([machine({ year_made: '2015' })])).toEqual(['equipment.1.year_made:not-a-number']);
		expect(shape([machine({ installed: '01/03/2016' })])).toEqual(['equipment.1.installed:wrong-type']);
		expect(shape([machine({ automation: ['cnc', 'cnc'] })])).toEqual([
			'equipment.1.automation:duplicate-choice'
		]);
		expect(shape([machine({ automation: ['none', 'plc'] })])).toEqual([
			'equipment.1.automation:none-exclusive'
		]);
		expect(shape([machine({ price: 1 })])).toEqual(['equipment.1.price:invalid-item']);
		expect(shape([null])).toEqual(['equipment.1:wrong-type']);
		expect(shape({ 0: machine() })).toEqual(['equipment:wrong-type']);
		expect(shape([{ kind: { $gt: '' } }])).toEqual(['equipment.$gt:operator-object']);
		expect(codes(checkShape(c, { stages: { welding: {} } }))).toEqual(['stages.welding:invalid-row']);
		expect(codes(checkShape(c, { 'equipment-total': 'x' }))).toEqual([
			'equipment.equipment-total:wrong-type'
		]);
	});

	it('paneldynamic: panels are checked like rows, an unanswered list shows panelCount panels', () => {
		const base = { has_equipment: false, stages };
		const run = (extra: Record<string, unknown>) =>
			codes(validateForSubmit(c, { ...base, ...extra }).problems).sort();
		expect(run(panels)).toEqual([]);
		// Unanswered: "lines" shows minPanelCount (1) panel, "partners" its panelCount (1).
		expect(run({})).toEqual(['lines.1.line_name:required', 'lines:required', 'partners.1.country:required']);
		// A panel with any key is an answer to the list, even an empty one; its cells are still checked.
		expect(run({ ...panels, lines: [{ since: '' }] })).toEqual(['lines.1.line_name:required']);
		expect(run({ ...panels, lines: [{ line_name: 'A', capacity: 20_000 }, {}] })).toEqual([
			'lines.1.capacity:max',
			'lines.2.line_name:required'
		]);
		for (const data of [{}, { ...panels, lines: [{ since: '' }] }]) {
			expect(codes(validateWithSurveyCore(matrices, { ...base, ...data }, 'en')).sort()).toEqual(run(data));
		}
		const shape = (lines: unknown) => codes(checkShape(c, { lines }));
		expect(shape([{ line_name: 'a' }, { line_name: 'b' }, { line_name: 'c' }, { line_name: 'd' }])).toEqual([
			'lines:too-many-rows'
		]);
		expect(shape([{ since: '2024-13' }])).toEqual(['lines.1.since:wrong-type']);
		expect(shape([{ shift: 4 }])).toEqual(['lines.1.shift:invalid-choice']);
		expect(() =>
			compileQuestionnaire({
				elements: [
					{
						type: 'paneldynamic',
						name: 'p',
						templateElements: [{ type: 'text', name: 'a', visibleIf: '{panel.b} = 1' }]
					}
				]
			})
		).toThrow(/"visibleIf"/);
	});

	it('refuses matrix features it does not reproduce, by name, in both languages', () => {
		const compile = (matrix: Record<string, unknown>) => () =>
			compileQuestionnaire({ elements: [{ type: 'matrixdynamic', name: 'm', ...matrix }] });
		const col = { name: 'a', cellType: 'text' };
		expect(compile({ columns: [{ ...col, visibleIf: '{row.a} = 1' }] })).toThrow(/"visibleIf" on a column/);
		expect(compile({ columns: [{ ...col, cellType: 'file' }] })).toThrow(/cell type "file"/);
		expect(compile({ columns: [{ ...col, totalType: 'sum' }] })).toThrow(/only supported on number cells/);
		expect(compile({ columns: [col], keyName: 'a' })).toThrow(/"keyName"/);
		expect(compile({ columns: [col], detailPanelMode: 'underRow' })).toThrow(/"detailPanelMode"/);
		expect(compile({ columns: [col, col] })).toThrow(/used twice/);
		expect(compile({ columns: [] })).toThrow(/at least one column/);
		try {
			compile({ columns: [{ ...col, validators: [{ type: 'expression', expression: '{row.a} > 1' }] }] })();
			expect.unreachable();
		} catch (e) {
			expect((e as { text: { vi: string } }).text.vi).toMatch(/^Câu hỏi "m", cột "a": chưa hỗ trợ/);
		}
		expect(() =>
			compileQuestionnaire({
				elements: [
					{ type: 'matrixdynamic', name: 'm', columns: [col] },
					{ type: 'text', name: 'm-total' }
				]
			})
		).toThrow(/"m-total" is taken/);
	});
});
