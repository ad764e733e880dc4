/**
 * Paper responses with equipment lists: an answers file plus an equipment file (one row per machine,
 * keyed by tax code) import together, validated like the online form; a bad equipment row names its
 * file, row and column, and its enterprise is never half-imported.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toCsvString } from '$lib/domain/csv';
import { iterateResponses } from '$lib/domain/generator';
import { WORKED_EXAMPLE } from '$lib/domain/rubric/equipment.test-support';
import { openDatabase } from '../db';
import type { Database } from '../db/types';
import { C, type CampaignDoc, type ResponseDoc, type ScoreDoc } from '../db/schema';
import { createCampaign } from '../campaigns';
import { loadSurvey } from '../surveys';
import { importResponses, templateFor } from './responses';
import { templateFiles } from './status';
import { registerOf, responsesCsv } from './testing';
import { writeFile } from 'node:fs/promises';

const SURVEY = 'mechanical/2026.1';
const LIST_COLUMNS = [
	'profile_tax_code',
	'stage',
	'equipment_type',
	'year_made',
	'year_in_use',
	'origin',
	'automation',
	'value_bn',
	'residual_pct'
];
const SINGLE = [
	't1_equipment_age',
	't2_equipment_origin',
	't3_equipment_investment_bn',
	't5_automated_share_pct'
];

let db: Database;
let dir: string;
let campaign: CampaignDoc;
beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'techcap-eq-'));
	db = await openDatabase({ dir: join(dir, 'db') });
	const now = Date.now();
	campaign = await createCampaign(db, {
		sector: 'mechanical',
		year: 2026,
		surveyId: SURVEY,
		opensAt: new Date(now - 86400e3),
		closesAt: new Date(now + 30 * 86400e3),
		status: 'open',
		createdBy: null
	});
});
afterEach(async () => {
	await db.close();
	rmSync(dir, { recursive: true, force: true });
});

const file = async (name: string, text: string) => {
	const p = join(dir, name);
	await writeFile(p, text);
	return p;
};

/** Three enterprises: the first two list equipment (their single equipment answers left blank). */
async function setUp() {
	const s = loadSurvey(SURVEY);
	const rs = [
		...iterateResponses({
			questionnaire: s.questionnaire,
			sector: 'mechanical',
			count: 3,
			seed: 'equipment-import',
			year: 2026,
			referenceValues: s.referenceValuesFor(2026),
			missingRate: 0,
			outlierRate: 0
		})
	];
	await registerOf(db, rs);
	const answers = rs.map((r, i) => {
		const a: Record<string, unknown> = { ...r.answers };
		delete a.equipment_list;
		if (i < 2) for (const q of SINGLE) delete a[q];
		return a;
	});
	const tax = rs.map((r) => r.profile.taxCode);
	const equipment = [
		...WORKED_EXAMPLE.map((m) => ({ ...m, profile_tax_code: tax[0] })),
		{ ...WORKED_EXAMPLE[2], profile_tax_code: tax[1] }
	];
	const answersFile = await file('answers.csv', responsesCsv(templateFor(SURVEY), answers));
	return { tax, answers, equipment, answersFile };
}

const equipmentCsv = (rows: Record<string, unknown>[]) =>
	toCsvString(
		rows.map((r) => Object.fromEntries(LIST_COLUMNS.map((c) => [c, r[c] === undefined ? '' : String(r[c])]))),
		LIST_COLUMNS,
		{ escapeFormulas: false }
	);

describe('importing answers with an equipment file', () => {
	it('a good pair of files imports: lists stored in file order and scored from the list', async () => {
		const { tax, equipment, answersFile } = await setUp();
		// The second enterprise's row placed first: rows of one enterprise need not be adjacent.
		const shuffled = [equipment[4], ...equipment.slice(0, 4)];
		const equipmentFile = await file('equipment.csv', equipmentCsv(shuffled));
		const r = await importResponses(db, campaign._id, { file: answersFile, equipmentFile });
		expect(r.problems).toEqual([]);
		expect(r.status).toBe('committed');
		expect(r.counts).toMatchObject({ imported: 3, rejected: 0 });
		const stored = await db.collection<ResponseDoc>(C.responses).find({ campaignId: campaign._id });
		const byTax = new Map(stored.map((d) => [String(d.data.profile_tax_code), d]));
		const first = byTax.get(tax[0])!.data.equipment_list as Record<string, unknown>[];
		expect(first.map((m) => m.equipment_type)).toEqual(WORKED_EXAMPLE.map((m) => m.equipment_type));
		expect(first[0]).toMatchObject({ year_made: 2021, origin: 'developed', value_bn: 6, residual_pct: 70 });
		expect(byTax.get(tax[2])!.data.equipment_list).toBeUndefined();
		// The worked example, assessed in 2026: T1 3, T2 3.18, T3 2, T5 4 (docs/methodology.md).
		const score = await db
			.collection<ScoreDoc>(C.scores)
			.findOne({ responseId: byTax.get(tax[0])!._id, current: true });
		const points = (score!.result as { points: Record<string, number> }).points;
		expect({ T1: points.T1, T2: points.T2, T3: points.T3, T5: points.T5 }).toEqual({
			T1: 3,
			T2: 3.18,
			T3: 2,
			T5: 4
		});
	});

	it('reports an unknown tax code, a bad year, a residual over 100 % with file, row and column; stores nothing', async () => {
		const { tax, equipment, answersFile } = await setUp();
		const rows = [
			...equipment,
			{ ...WORKED_EXAMPLE[0], profile_tax_code: '0109999999' },
			{ ...WORKED_EXAMPLE[1], profile_tax_code: tax[1], year_made: '20x0' },
			{ ...WORKED_EXAMPLE[1], profile_tax_code: tax[1], year_made: 2030, year_in_use: 2030 },
			{ ...WORKED_EXAMPLE[1], profile_tax_code: tax[0], residual_pct: 120 }
		];
		const equipmentFile = await file('equipment.csv', equipmentCsv(rows));
		const r = await importResponses(db, campaign._id, { file: answersFile, equipmentFile });
		expect(r.status).toBe('rejected');
		const at = (row: number) =>
			r.problems.filter((p) => p.row === row && String(p.column).startsWith('equipment.csv'));
		// Line numbers count the header: data row k is line k + 1.
		expect(at(7)).toMatchObject([
			{ column: 'equipment.csv: profile_tax_code', value: '0109999999', code: 'unknown-tax-code' }
		]);
		expect(at(7)[0].message.vi).toContain('không có trong tệp câu trả lời');
		expect(at(8)).toMatchObject([{ column: 'equipment.csv: year_made', code: 'cell' }]);
		expect(at(10)).toMatchObject([{ column: 'equipment.csv: residual_pct' }]);
		expect(at(10)[0].message.en).toMatch(/^File equipment\.csv, row 10, column residual_pct: /);
		// Each enterprise with a bad equipment row is refused on its answers row too.
		const answerRows = r.problems.filter((p) => p.code === 'equipment').map((p) => p.value);
		expect(answerRows.sort()).toEqual([tax[0], tax[1]].sort());
		expect(await db.collection<ResponseDoc>(C.responses).countDocuments({ campaignId: campaign._id })).toBe(
			0
		);
		expect(await db.collection<ScoreDoc>(C.scores).countDocuments({})).toBe(0);
	});

	it('a year after the assessment year is refused by the rubric guard, naming file, row and column', async () => {
		const { tax, equipment, answersFile } = await setUp();
		const rows = [
			...equipment,
			{ ...WORKED_EXAMPLE[1], profile_tax_code: tax[1], year_made: 2030, year_in_use: 2030 }
		];
		const equipmentFile = await file('equipment.csv', equipmentCsv(rows));
		const r = await importResponses(db, campaign._id, {
			file: answersFile,
			equipmentFile,
			mode: 'valid-rows-only'
		});
		const p = r.problems.find((x) => x.row === 7 && x.column === 'equipment.csv: year_made');
		expect(p?.message.en).toBe(
			'File equipment.csv, row 7, column year_made: question "equipment_list", row 2, column "year_made": year 2030 is after the assessment year 2026.'
		);
		expect(p?.message.vi).toContain('sau năm đánh giá 2026');
		// Valid rows only: the enterprise is left out whole (answers and list), the others are stored.
		expect(r.counts).toMatchObject({ imported: 2, rejected: 1 });
		const stored = await db.collection<ResponseDoc>(C.responses).find({ campaignId: campaign._id });
		expect(stored.map((d) => d.data.profile_tax_code).sort()).toEqual([tax[0], tax[2]].sort());
	});

	it('an equipment file for a questionnaire without a list is refused as a whole', async () => {
		const now = Date.now();
		const old = await createCampaign(db, {
			sector: 'mechanical',
			year: 2025,
			surveyId: 'mechanical/2025.1',
			opensAt: new Date(now - 86400e3),
			closesAt: new Date(now + 30 * 86400e3),
			status: 'open',
			createdBy: null
		});
		const { answersFile } = await setUp();
		const equipmentFile = await file('equipment.csv', equipmentCsv([]));
		const r = await importResponses(db, old._id, { file: answersFile, equipmentFile });
		expect(r.status).toBe('rejected');
		expect(r.message?.en).toContain('has no equipment list');
	});
});

describe('the template', () => {
	it.each(['vi', 'en'] as const)(
		'(%s) has the equipment file with a label row; sent back unchanged, the label row is skipped and the example refused',
		async (locale) => {
			const files = templateFiles(SURVEY, locale);
			expect(files.equipment).not.toBeNull();
			const lines = files
				.equipment!.replace(/^\uFEFF/, '')
				.trim()
				.split('\r\n');
			const d = locale === 'vi' ? ';' : ',';
			expect(lines[0].split(d)).toEqual(LIST_COLUMNS);
			expect(lines[1]).toContain(locale === 'vi' ? 'Năm chế tạo' : 'Year made');
			expect(lines[2]).toContain(locale === 'vi' ? 'VÍ DỤ' : 'EXAMPLE');
			// A filled example machine: a year made and a value in the language's number format.
			const example = Object.fromEntries(LIST_COLUMNS.map((c, i) => [c, lines[2].split(d)[i]]));
			expect(example.year_made).toMatch(/^(19|20)\d\d$/);
			expect(example.value_bn).toMatch(locale === 'vi' ? /^\d+(,\d+)?$/ : /^\d+(\.\d+)?$/);
			// The answers template has no list column: the list comes in its own file.
			expect(files.template).not.toContain('equipment_list');
			const { answersFile } = await setUp();
			const equipmentFile = await file('equipment.csv', files.equipment!);
			const r = await importResponses(db, campaign._id, { file: answersFile, equipmentFile });
			const eq = r.problems.filter((p) => String(p.column).startsWith('equipment.csv'));
			expect(eq.map((p) => [p.row, p.column, p.code, p.value])).toEqual([
				[
					3,
					'equipment.csv: profile_tax_code',
					'tax-code',
					locale === 'vi' ? 'VÍ DỤ - xóa dòng này' : 'EXAMPLE - delete this row'
				]
			]);
		}
	);
});
