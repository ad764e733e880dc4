/** Every committed fixture file gives the right data or the right clear error, at any chunk size. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFixtures } from '../../../../tests/fixtures/csv/make-fixtures.mjs';
import type { HeaderEvent, RowErrorEvent, RowEvent } from './read';
import { collectData } from './test-support';
import { CsvFileError } from './types';
import { buildTemplate, mapRecord } from './template';

const DIR = join(process.cwd(), 'tests/fixtures/csv');
const file = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));
const REG = {
	requiredColumns: ['tax_code', 'name'],
	optionalColumns: ['employees', 'province', 'revenue', 'note']
};
const SIZES = [1, 3, 7, 64 * 1024];
const VN_NAMES = [
	'Công ty TNHH Kỹ thuật Việt Nam',
	'Cộng hoà xã hội chủ nghĩa Việt Nam',
	'Trường Đại học Bách khoa Đà Nẵng'
];

async function read(name: string, options = {}) {
	const runs = await Promise.all(SIZES.map((s) => collectData(file(name), options, s)));
	// Chunk boundaries (inside a UTF-8 sequence, a CRLF, a quoted field) must not change anything.
	for (const r of runs.slice(1)) expect(r).toEqual(runs[0]);
	const events = runs[0];
	return {
		header: events.find((e): e is HeaderEvent => e.type === 'header'),
		rows: events.filter((e): e is RowEvent => e.type === 'row'),
		errors: events.filter((e): e is RowErrorEvent => e.type === 'rowError')
	};
}

async function fatal(name: string, options = {}): Promise<CsvFileError> {
	for (const s of SIZES) {
		try {
			await collectData(file(name), options, s);
		} catch (e) {
			expect(e).toBeInstanceOf(CsvFileError);
			if (s === SIZES[SIZES.length - 1]) return e as CsvFileError;
			continue;
		}
		throw new Error(`${name} did not fail (chunk size ${s})`);
	}
	throw new Error('unreachable');
}

describe('CSV fixtures', () => {
	it('are exactly what make-fixtures.mjs writes', () => {
		const built = buildFixtures();
		expect(Object.keys(built).length).toBeGreaterThanOrEqual(10);
		for (const [name, bytes] of Object.entries(built)) expect(file(name), name).toEqual(bytes);
	});

	it('utf8-bom.csv: BOM stripped, comma, CRLF, Vietnamese intact', async () => {
		const { header, rows, errors } = await read('utf8-bom.csv', REG);
		expect(header).toMatchObject({ encoding: 'utf-8-bom', delimiter: ',', newline: '\r\n' });
		expect(header?.warnings.map((w) => w.code)).toEqual(['missing_optional_columns']);
		expect(header?.warnings[0].message.en).toContain('absent; they count as empty: revenue, note.');
		expect(header?.columns).toEqual(['tax_code', 'name', 'employees', 'province']);
		expect(rows.map((r) => r.record.name)).toEqual(VN_NAMES);
		expect(rows.map((r) => r.row)).toEqual([2, 3, 4]);
		expect(errors).toEqual([]);
	});

	it('utf8-no-bom-semicolon.csv: `;` detected although cells contain commas', async () => {
		const { header, rows } = await read('utf8-no-bom-semicolon.csv', REG);
		expect(header).toMatchObject({ encoding: 'utf-8', delimiter: ';', newline: '\n' });
		expect(rows.map((r) => r.record.revenue)).toEqual(['1.234,5', '987,25', '12.000.000']);
		expect(rows[2].record.name).toBe('Công ty C, chi nhánh');
	});

	it('tab-delimited.tsv', async () => {
		const { header, rows } = await read('tab-delimited.tsv', REG);
		expect(header?.delimiter).toBe('\t');
		expect(rows.map((r) => r.record.province)).toEqual(['Hà Nội', 'Thành phố Hồ Chí Minh', 'Đà Nẵng']);
	});

	it('quoted-newlines.csv: embedded newlines, delimiters and quotes; rows numbered as in Excel', async () => {
		const { rows, errors } = await read('quoted-newlines.csv', REG);
		expect(errors).toEqual([]);
		expect(rows.map((r) => [r.row, r.record.name, r.record.note])).toEqual([
			[2, 'Công ty "Sao Mai"', 'Dòng 1\r\nDòng 2, có dấu phẩy'],
			[3, 'Công ty B', 'a\nb'],
			[4, 'C; D', 'plain']
		]);
	});

	it('trailing-blank-lines.csv: blank and `;;` rows skipped, never errors', async () => {
		const { rows, errors } = await read('trailing-blank-lines.csv', REG);
		expect(errors).toEqual([]);
		expect(rows.map((r) => [r.row, r.record.tax_code])).toEqual([
			[2, '0101234567'],
			[4, '0309876543']
		]);
	});

	it('duplicate-headers.csv → error naming the duplicate and its columns', async () => {
		const e = await fatal('duplicate-headers.csv', REG);
		expect(e.code).toBe('duplicate_headers');
		expect(e.messages.en).toContain('"name" (B, D)');
		expect(e.messages.vi).toContain('Tiêu đề bị trùng');
	});

	it('missing-required.csv → error naming the missing column', async () => {
		const e = await fatal('missing-required.csv', REG);
		expect(e.code).toBe('missing_headers');
		expect(e.detail.missing).toEqual(['tax_code']);
		expect(e.messages.vi).toContain('tax_code');
	});

	it('extra-columns.csv → a warning naming them, rows still read', async () => {
		const { header, rows } = await read('extra-columns.csv', REG);
		const w = header?.warnings.find((x) => x.code === 'extra_columns');
		expect(w?.message.en).toContain('ghi_chu, Column1');
		expect(rows).toHaveLength(1);
	});

	it('ragged-rows.csv → per-row errors with Excel row numbers', async () => {
		const { rows, errors } = await read('ragged-rows.csv', REG);
		expect(rows.map((r) => r.row)).toEqual([2, 5, 6]);
		expect(rows[2].record.name).toBe('E\r\nF');
		expect(errors.map((e) => e.row)).toEqual([3, 4, 7]);
		expect(errors[0].message.en).toContain('Row 3 has 2 fields but the header has 3 columns');
		expect(errors[1].message.en).toContain('Row 4 has 4 fields');
		expect(errors[1].message.vi).toContain('Dòng 4');
	});

	it('windows-1258.csv → converted to NFC Unicode with a warning', async () => {
		const { header, rows } = await read('windows-1258.csv', REG);
		expect(header?.encoding).toBe('windows-1258');
		expect(header?.warnings.map((w) => w.code)).toContain('converted_windows_1258');
		expect(rows.map((r) => r.record.name)).toEqual(VN_NAMES);
		expect(rows[0].record.province).toBe('Hà Nội');
	});

	it('tcvn3.csv → clear error with re-save instructions', async () => {
		const e = await fatal('tcvn3.csv', REG);
		expect(e.code).toBe('tcvn3');
		expect(e.messages.en).toContain('CSV UTF-8');
		expect(e.messages.vi).toContain('Unikey');
	});

	it('utf16le-excel-unicode.txt (Excel "Unicode text") and utf16be-bom.csv → converted', async () => {
		const le = await read('utf16le-excel-unicode.txt', REG);
		expect(le.header).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
		expect(le.rows.map((r) => r.record.name)).toEqual(VN_NAMES);
		expect(le.header?.columns[0]).toBe('tax_code');
		const be = await read('utf16be-bom.csv', REG);
		expect(be.header).toMatchObject({ encoding: 'utf-16be', delimiter: ',' });
		expect(be.rows.map((r) => r.record.name)).toEqual(VN_NAMES);
	});

	it('xlsx-renamed.csv → "this is an Excel workbook"', async () => {
		const e = await fatal('xlsx-renamed.csv', REG);
		expect(e.code).toBe('excel_workbook');
		expect(e.messages.en).toContain('Excel workbook');
	});

	it('unclosed-quote.csv → rows before are read, the row with the quote is reported', async () => {
		const { rows, errors } = await read('unclosed-quote.csv', REG);
		expect(rows.map((r) => r.row)).toEqual([2]);
		expect(errors).toHaveLength(1);
		expect(errors[0].row).toBe(3);
		expect(errors[0].message.en).toContain('never closed');
	});

	it('header-only.csv → header, no rows; empty.csv and blank-only.csv → empty_file', async () => {
		const { header, rows } = await read('header-only.csv', REG);
		expect(header?.columns).toEqual(['tax_code', 'name']);
		expect(rows).toEqual([]);
		expect((await fatal('empty.csv')).code).toBe('empty_file');
		expect((await fatal('blank-only.csv')).code).toBe('empty_file');
	});

	it('cr-newlines.csv (old Mac line endings)', async () => {
		const { header, rows } = await read('cr-newlines.csv', REG);
		expect(header?.newline).toBe('\r');
		expect(rows.map((r) => r.record.name)).toEqual(['A', 'B']);
	});

	it('excel-mangled-tax-codes.csv → per-cell problems explaining what Excel did', async () => {
		const t = buildTemplate({
			elements: [
				{ type: 'text', name: 'profile_tax_code' },
				{ type: 'text', name: 'profile_name' }
			]
		});
		const { rows } = await read('excel-mangled-tax-codes.csv', { requiredColumns: ['profile_tax_code'] });
		const problems = rows.map((r) => mapRecord(t, r.record, { numberFormat: 'dot-decimal' }).problems);
		expect(problems[0][0].message.en).toContain('scientific notation');
		expect(problems[1][0].message.en).toContain('leading zero');
		expect(problems[2]).toEqual([]);
	});
});
