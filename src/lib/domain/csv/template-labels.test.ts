/**
 * The responses template's second header row (labels in the user's language): written by
 * templateLabelRecord, recognised in either language, skipped by the reader with row numbers kept,
 * and never mistaken for a data row.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTemplate, isTemplateLabelRecord, templateLabelRecord, templateReadOptions } from './template';
import { toCsvString } from './write';
import { collect } from './test-support';
import type { RowEvent } from './read';

const questionnaire = JSON.parse(
	readFileSync(join(process.cwd(), 'tests/fixtures/csv/questionnaire.json'), 'utf8')
);
const template = buildTemplate(questionnaire);
const names = template.columns.map((c) => c.name);

describe('the template label row', () => {
	it('names every column in the chosen language, matrix rows after their question', () => {
		const vi = templateLabelRecord(template, 'vi');
		const en = templateLabelRecord(template, 'en');
		expect(Object.keys(vi)).toEqual(names);
		const matrix = template.columns.find((c) => c.name === 't_matrix.design')!;
		expect(vi['t_matrix.design']).toBe(`${matrix.title.vi} — ${matrix.subTitle!.vi}`);
		expect(en['t_matrix.design']).toBe(`${matrix.title.en} — ${matrix.subTitle!.en}`);
		expect(vi.profile_tax_code).not.toBe('profile_tax_code');
	});

	it('is recognised in either language and with changed case/spaces; a data row is not', () => {
		const vi = templateLabelRecord(template, 'vi');
		expect(isTemplateLabelRecord(template, vi)).toBe(true);
		expect(isTemplateLabelRecord(template, templateLabelRecord(template, 'en'))).toBe(true);
		const shouty = Object.fromEntries(Object.entries(vi).map(([k, v]) => [k, `  ${v.toUpperCase()} `]));
		expect(isTemplateLabelRecord(template, shouty)).toBe(true);
		// Excel users delete columns' labels they do not fill: the rest still counts.
		expect(isTemplateLabelRecord(template, { profile_tax_code: vi.profile_tax_code })).toBe(true);
		expect(isTemplateLabelRecord(template, { ...vi, profile_tax_code: '0101234567' })).toBe(false);
		expect(isTemplateLabelRecord(template, { profile_tax_code: '0101234567', profile_name: 'A' })).toBe(
			false
		);
		expect(isTemplateLabelRecord(template, {})).toBe(false);
		// One non-identifier label alone is too little to throw a row away.
		expect(isTemplateLabelRecord(template, { t_note: vi.t_note })).toBe(false);
	});

	it('the reader skips it as the first data row only, keeping the file row numbers', async () => {
		const label = templateLabelRecord(template, 'vi');
		const data = Object.fromEntries(names.map((n) => [n, '']));
		data.profile_tax_code = '0101234567';
		data.profile_name = 'Công ty A';
		const csv = toCsvString([label, data, label], names);
		const events = await collect(new TextEncoder().encode(csv), templateReadOptions(template), 64);
		const rows = events.filter((e): e is RowEvent => e.type === 'row');
		// Row 2 (labels) skipped; row 3 is the data; a label row further down is data (and will fail as such).
		expect(rows.map((r) => r.row)).toEqual([3, 4]);
		expect(rows[0].record.profile_tax_code).toBe('0101234567');
	});
});
