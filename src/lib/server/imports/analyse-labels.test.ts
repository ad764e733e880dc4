/**
 * The analysis names columns for people: register fields and questionnaire columns by their labels
 * in both languages (the internal code stays alongside as a detail), and so are missing columns.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { C, type ImportDoc } from '../db/schema';
import { analyseImport } from './analyse';
import { importFixture, type ImportFixture } from './testing';

let fx: ImportFixture;
beforeEach(async () => {
	fx = await importFixture();
});
afterEach(async () => fx.cleanup());

describe('analysis labels', () => {
	it('register: "Dùng cho" is the field label, not taxCode; missing fields by label', async () => {
		const file = await fx.file(
			'reg.csv',
			'MST;Tên;Sở hữu;Phường/xã;Mã ngành;Ghi chú\r\n0101234567;Công ty A;fdi;Láng;2592;x\r\n'
		);
		const a = await analyseImport(fx.db, { kind: 'enterprises', file, fileName: 'reg.csv' });
		expect(a.mapping.map((m) => [m.header, m.target, m.label?.vi ?? null])).toEqual([
			['MST', 'taxCode', 'Mã số thuế'],
			['Tên', 'name', 'Tên doanh nghiệp'],
			['Sở hữu', 'ownership', 'Loại hình sở hữu'],
			['Phường/xã', 'ward', 'Phường/xã'],
			['Mã ngành', 'vsic', 'Mã ngành VSIC'],
			['Ghi chú', null, null]
		]);
		expect(a.mapping[0].label?.en).toBe('Tax code');
		expect(a.error).toBeNull();
		expect(a.absent).toContain('employees');
		expect(a.absentLabels?.map((l) => l.vi)).toContain('Số lao động');
		expect(a.absentLabels).toHaveLength(a.absent.length);
		// What the preview page reads back is the stored analysis: the labels are kept there.
		const stored = await fx.db.collection<ImportDoc>(C.imports).findOne({ _id: a.importId });
		expect(stored?.analysis?.mapping[0].label?.vi).toBe('Mã số thuế');
		expect(stored?.analysis?.absentLabels).toEqual(a.absentLabels);
	});

	it('responses: a template column is labelled with its question (and row) title', async () => {
		const cols = fx.template.columns;
		const first = cols[0];
		const file = await fx.file('resp.csv', `${first.name},unknown_column\r\n`);
		const a = await analyseImport(fx.db, {
			kind: 'responses',
			campaignId: fx.campaign._id,
			file,
			fileName: 'resp.csv'
		});
		expect(a.mapping[0].target).toBe(first.name);
		expect(a.mapping[0].label?.vi).toContain(first.title.vi);
		expect(a.mapping[0].label?.vi).not.toBe(first.name);
		expect(a.mapping[1].label ?? null).toBeNull();
		expect(a.absentLabels).toHaveLength(cols.length - 1);
	});
});
