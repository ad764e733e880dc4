import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvLines, escapeFormula, reportCsvLines, reportToCsv, toCsvString } from './write';
import { collect } from './test-support';
import type { RowEvent } from './read';

describe('escapeFormula', () => {
	it.each([
		['=SUM(A1:A2)', "'=SUM(A1:A2)"],
		['+84 912', "'+84 912"],
		['-5', "'-5"],
		['@cmd', "'@cmd"],
		['\tx', "'\tx"],
		['\rx', "'\rx"],
		['a=b', 'a=b'],
		['', ''],
		['Công ty', 'Công ty']
	])('%j → %j', (s, out) => expect(escapeFormula(s)).toBe(out));
});

describe('toCsvString / csvLines', () => {
	it('writes BOM, CRLF, quotes, escapes text but not numbers', () => {
		const csv = toCsvString(
			[
				{ a: '=1+1', b: -5, c: 'x,"y"', d: null, e: true, f: [1, 3] },
				{ a: 'line\nbreak', b: 1.5, c: ' pad', d: undefined, e: false, f: ['a'] }
			],
			['a', 'b', { key: 'c', header: 'Cột C' }, 'd', 'e', 'f']
		);
		expect(csv).toBe(
			'\uFEFFa,b,Cột C,d,e,f\r\n' +
				`'=1+1,-5,"x,""y""",,true,1|3\r\n` +
				'"line\nbreak",1.5," pad",,false,a\r\n'
		);
	});

	it('writes comma-decimal numbers for Vietnamese Excel with `;`', () => {
		expect(
			toCsvString([{ v: 1234.5 }], ['v'], { bom: false, delimiter: ';', numberFormat: 'comma-decimal' })
		).toBe('v\r\n1234,5\r\n');
		expect(toCsvString([{ v: 0.5 }], ['v'], { bom: false, numberFormat: 'comma-decimal' })).toBe(
			'v\r\n"0,5"\r\n'
		);
	});

	it('can skip formula escaping when asked', () => {
		expect(toCsvString([{ v: '=x' }], ['v'], { bom: false, escapeFormulas: false })).toBe('v\r\n=x\r\n');
	});

	it('streams the same text as toCsvString', async () => {
		const rows = Array.from({ length: 100 }, (_, i) => ({ i, s: `v${i}` }));
		async function* gen() {
			yield* rows;
		}
		let out = '';
		for await (const l of csvLines(gen(), ['i', 's'])) out += l;
		expect(out).toBe(toCsvString(rows, ['i', 's']));
	});

	it('round-trips any text through readCsv (every delimiter)', async () => {
		const cell = fc.string({
			unit: fc.constantFrom('a', 'ệ', ',', ';', '\t', '"', '\n', '\r\n', ' ', '=', '-', 'Đ', 'x')
		});
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 8 }),
				fc.constantFrom(',', ';', '\t'),
				async (pairs, delimiter) => {
					const rows = pairs.map(([a, b]) => ({ id: 'k', a, b }));
					const csv = toCsvString(rows, ['id', 'a', 'b'], { delimiter, escapeFormulas: false });
					const ev = await collect(csv, { trimValues: false, delimiter }, 5);
					const got = ev.filter((e): e is RowEvent => e.type === 'row').map((e) => e.record);
					// Blank-looking rows are skipped by design; every other row comes back unchanged.
					expect(got).toEqual(rows);
				}
			),
			{ numRuns: 200 }
		);
	});
});

describe('reportToCsv', () => {
	const problems = [
		{
			row: 3,
			column: 'profile_employees',
			value: '=cmd',
			message: { vi: 'Không phải số', en: 'Not a number' }
		},
		{ row: 4, column: null, value: 'x'.repeat(500), message: { vi: 'Dòng dài', en: 'Long row' } }
	];
	it('has row, column, value, message_vi, message_en; escapes and truncates values', () => {
		const csv = reportToCsv(problems);
		const lines = csv.split('\r\n');
		expect(lines[0]).toBe('\uFEFFrow,column,value,message_vi,message_en');
		expect(lines[1]).toBe("3,profile_employees,'=cmd,Không phải số,Not a number");
		expect(lines[2]).toBe(`4,,${'x'.repeat(200)}…,Dòng dài,Long row`);
	});
	it('streams the same report', async () => {
		let out = '';
		for await (const l of reportCsvLines(problems)) out += l;
		expect(out).toBe(reportToCsv(problems));
	});
});
