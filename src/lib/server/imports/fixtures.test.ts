/**
 * Real files through the whole response import (tests/fixtures/imports, made by make-fixtures.ts):
 * the Excel-shaped good files import; every malformed one is refused with its own clear message and
 * leaves the database untouched.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { C } from '../db/schema';
import { importResponses } from './responses';
import { problemReportCsv, getImport } from './status';
import { generated, importFixture, registerOf, type ImportFixture } from './testing';

const DIR = join(process.cwd(), 'tests/fixtures/imports');
let fx: ImportFixture;

beforeAll(async () => {
	fx = await importFixture();
	await registerOf(fx.db, generated(3, 'import-fixtures'));
});
afterAll(async () => fx.cleanup());

async function stored() {
	return {
		responses: await fx.db.collection(C.responses).countDocuments({}),
		scores: await fx.db.collection(C.scores).countDocuments({})
	};
}

// [file, expected message (English), row and column of the first problem when it is a row problem]
const MALFORMED: Array<[string, RegExp, [number, string | null]?]> = [
	['empty.csv', /The file is empty/],
	['blank-lines-only.csv', /no header row/],
	['duplicate-headers.csv', /Duplicate headers: "profile_name"/],
	['missing-tax-code-column.csv', /Missing required columns: profile_tax_code/],
	['tcvn3.csv', /TCVN3/],
	['xlsx-renamed.csv', /Excel workbook|xlsx/i],
	['too-many-fields.csv', /Row 4 has \d+ fields but the header has only 54 columns/, [4, null]],
	['too-few-fields.csv', /Row 4 has 10 fields but the header has 54 columns/, [4, null]],
	['unclosed-quote.csv', /double quote \(".*never closed/, [5, null]],
	['very-long-field.csv', /150,000 characters long, over the limit of 100,000/, [3, 'respondent_comment']],
	['excel-scientific-tax-code.csv', /scientific notation/, [4, 'profile_tax_code']],
	['invalid-choice-formula.csv', /is not a valid code or label/, [3, 't2_equipment_origin']],
	['required-answer-missing.csv', /.+/, [2, 'profile_employees']]
];

describe('response import of real-world files', () => {
	it.each(['ok-utf8-bom-comma.csv', 'ok-semicolon-decimal-comma.csv', 'ok-tab-quoted-newlines.tsv'])(
		'%s imports all 3 rows (and again: unchanged)',
		async (name) => {
			await fx.db.collection(C.responses).deleteMany({});
			await fx.db.collection(C.scores).deleteMany({});
			const r = await importResponses(fx.db, fx.campaign._id, { file: join(DIR, name) });
			expect(r.problems).toEqual([]);
			expect(r.status).toBe('committed');
			expect(r.counts.imported).toBe(3);
			const again = await importResponses(fx.db, fx.campaign._id, { file: join(DIR, name) });
			expect(again.counts).toMatchObject({ imported: 0, updated: 0, unchanged: 3 });
		}
	);

	it.each(MALFORMED)('%s is refused: %s', async (name, message, at) => {
		await fx.db.collection(C.responses).deleteMany({});
		await fx.db.collection(C.scores).deleteMany({});
		const r = await importResponses(fx.db, fx.campaign._id, { file: join(DIR, name) });
		expect(r.status).toBe('rejected');
		const texts = [r.message?.en ?? '', ...r.problems.map((p) => p.message.en)].join('\n');
		expect(texts).toMatch(message);
		if (at) expect([r.problems[0].row, r.problems[0].column]).toEqual(at);
		else expect(r.message).not.toBeNull();
		expect(r.counts.imported + r.counts.updated).toBe(0);
		expect(await stored()).toEqual({ responses: 0, scores: 0 });
	});

	it('escapes formula-looking values in the downloadable report', async () => {
		const r = await importResponses(fx.db, fx.campaign._id, {
			file: join(DIR, 'invalid-choice-formula.csv')
		});
		const csv = problemReportCsv((await getImport(fx.db, r.importId))!);
		expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
		expect(csv).not.toMatch(/,=HYPERLINK/);
	});
});
