/**
 * Database-stored survey versions on the embedded engine: upload validated like `techcap lint`,
 * edits of reference values and cut-offs as new versions, audit entries, and a second app instance
 * (an empty registry) finding a version saved by the first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../db';
import { C, type AuditDoc, type SurveyVersionDoc } from '../db/schema';
import {
	UnknownSurveyError,
	clearSurveyCache,
	deriveVersion,
	listSurveyVersions,
	loadSurvey,
	loadSurveyAsync,
	nextRevisionId,
	refreshStoredSurveys,
	saveUploadedVersion,
	surveyExists,
	surveysDir
} from './index';
import { sectorReferenceValues } from './files';
import { presentIssue } from '$lib/issue-location';

let dir: string;
let db: Database;
const actor = { id: 'admin-1', email: 'admin@x.vn' };
const qText = readFileSync(join(surveysDir(), 'food/2025.1/questionnaire.json'), 'utf8');
const rubricJson = () =>
	JSON.parse(readFileSync(join(surveysDir(), 'food/2025.1/rubric.json'), 'utf8')) as Record<
		string,
		unknown
	> & {
		groups: Array<{ max: number }>;
		criteria: Array<{ mapping: { question?: string } }>;
		levels: Array<{ id: string; minTotal: number; minK: number }>;
	};

beforeAll(async () => {
	clearSurveyCache();
	dir = mkdtempSync(join(tmpdir(), 'techcap-stored-'));
	db = await openDatabase({ dir });
});
afterAll(async () => {
	clearSurveyCache();
	await db.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('nextRevisionId', () => {
	it('numbers edits per root version, after every id already taken', () => {
		expect(nextRevisionId('food/2025.1', [])).toBe('food/2025.1-r2');
		expect(nextRevisionId('food/2025.1-r2', ['food/2025.1-r2'])).toBe('food/2025.1-r3');
		expect(nextRevisionId('food/2025.1', ['food/2025.1-r4', 'textiles/2025.1-r9', 'food/2030.1-r7'])).toBe(
			'food/2025.1-r5'
		);
	});
});

describe('uploaded versions', () => {
	it('stores a valid upload, serves it through loadSurvey and audits it', async () => {
		const rubric = { ...rubricJson(), version: '2030.1' };
		const out = await saveUploadedVersion(db, actor, {
			questionnaire: { name: 'questionnaire.json', text: qText },
			rubric: { name: 'rubric.json', text: JSON.stringify(rubric) },
			note: 'test'
		});
		expect(out).toEqual({ ok: true, id: 'food/2030.1' });
		const s = loadSurvey('food/2030.1');
		expect(s.source).toBe('database');
		expect([...s.referenceValues.keys()].sort()).toEqual([2024, 2025, 2026]);
		expect(s.scorer(2025).score({}).rubricVersion).toBe('food/2030.1');
		const audit = await db.collection<AuditDoc>(C.audit).findOne({ action: 'rubric.version.upload' });
		expect(audit?.target).toBe('rubrics/food/2030.1');
		expect(audit?.actorEmail).toBe('admin@x.vn');
	});

	it.each([
		[
			'a __proto__ key',
			qText.replace('{', '{"__proto__": {"x": 1},'),
			'$.__proto__',
			'Khoá "__proto__" tại $ không được phép trong bảng hỏi.'
		],
		[
			'a file question',
			JSON.stringify({
				...JSON.parse(qText),
				pages: [...JSON.parse(qText).pages, { name: 'x', elements: [{ type: 'file', name: 'lines' }] }]
			}),
			'$',
			'Câu hỏi "lines": loại "file" chưa được hỗ trợ; hãy dùng gửi tệp qua kênh khác; bảng hỏi không nhận tệp đính kèm.'
		],
		[
			'an unknown function',
			JSON.stringify({
				...JSON.parse(qText),
				pages: [
					...JSON.parse(qText).pages,
					{ name: 'x', elements: [{ type: 'text', name: 'zz', visibleIf: 'evil({profile_tax_code})' }] }
				]
			}),
			'$',
			/^Câu hỏi "zz" visibleIf: hàm evil\(\) trong .* không được máy chủ hỗ trợ/
		],
		[
			'a file over the upload limit',
			JSON.stringify({ ...JSON.parse(qText), description: 'x'.repeat(5_000_000) }),
			'$',
			'Tệp lớn hơn 2 MB; bảng hỏi thật chỉ khoảng 100 kB: hãy kiểm tra lại tệp.'
		]
	])('refuses a questionnaire with %s at upload, in the UI language', async (_what, text, path, vi) => {
		const rubric = rubricJson();
		rubric.version = '2026.9';
		const out = await saveUploadedVersion(db, actor, {
			questionnaire: { name: 'q.json', text },
			rubric: { name: 'r.json', text: JSON.stringify(rubric) }
		});
		expect(out.ok).toBe(false);
		if (out.ok) return;
		expect(out.issues).toHaveLength(1);
		expect(out.issues[0].path).toBe(path);
		expect(out.issues[0].text?.vi).toMatch(vi);
		expect(await db.collection(C.rubrics).countDocuments({ _id: 'food/2026.9' })).toBe(0);
	});

	it('rejects a broken rubric with file: path: message issues and stores nothing', async () => {
		const rubric = rubricJson();
		rubric.version = '2026.2';
		rubric.groups[0].max = 25;
		const out = await saveUploadedVersion(db, actor, {
			questionnaire: { name: 'q.json', text: qText },
			rubric: { name: 'broken.json', text: JSON.stringify(rubric) }
		});
		expect(out.ok).toBe(false);
		expect(!out.ok && out.issues).toContainEqual({
			file: 'broken.json',
			path: '$.groups',
			message: 'group maxima add up to 95, not 100',
			text: {
				vi: 'Tổng điểm tối đa của các nhóm là 95, không phải 100.',
				en: 'group maxima add up to 95, not 100'
			}
		});
		expect(await db.collection(C.rubrics).countDocuments({ _id: 'food/2026.2' })).toBe(0);
	});

	it('tells a Vietnamese admin each rubric problem in Vietnamese, the JSON path as the detail', async () => {
		const rubric = rubricJson();
		rubric.version = '2026.3';
		rubric.groups[0].max = 25;
		rubric.criteria[0].mapping.question = 'no_such_question';
		const out = await saveUploadedVersion(db, actor, {
			questionnaire: { name: 'q.json', text: qText },
			rubric: { name: 'broken.json', text: JSON.stringify(rubric) }
		});
		expect(out.ok).toBe(false);
		if (out.ok) return;
		const vi = out.issues.map((i) => presentIssue(i, 'vi'));
		expect(vi).toContainEqual({
			summary: 'broken.json: nhóm: Tổng điểm tối đa của các nhóm là 95, không phải 100.',
			detail: 'broken.json: $.groups: group maxima add up to 95, not 100'
		});
		expect(vi).toContainEqual({
			summary:
				"broken.json: tiêu chí thứ 1 › cách tính điểm › câu hỏi: Bảng hỏi không có câu hỏi 'no_such_question'.",
			detail: "broken.json: $.criteria[0].mapping.question: unknown question 'no_such_question'"
		});
		// No summary falls back to the English wording.
		for (const [i, line] of vi.entries()) expect(line.summary).not.toContain(out.issues[i].message);
		expect(presentIssue(out.issues[0], 'en').summary).toContain(out.issues[0].message);
	});

	it.each([
		['invalid JSON', { name: 'r.json', text: '{ nope' }, '$', /^invalid JSON/],
		[
			'an existing file version',
			{ name: 'r.json', text: JSON.stringify(rubricJson()) },
			'$.version',
			/already exists/
		],
		[
			'an existing stored version',
			{ name: 'r.json', text: JSON.stringify({ ...rubricJson(), version: '2030.1' }) },
			'$.version',
			/'food\/2030\.1' already exists; versions are never replaced/
		],
		[
			'an unknown sector',
			{ name: 'r.json', text: JSON.stringify({ ...rubricJson(), sector: 'steel', version: '1' }) },
			'$.sector',
			/unknown sector 'steel'/
		],
		[
			'an unsafe version',
			{ name: 'r.json', text: JSON.stringify({ ...rubricJson(), version: '../x' }) },
			'$.version',
			/must be lower-case letters/
		]
	])('rejects %s', async (_label, rubric, path, message) => {
		const out = await saveUploadedVersion(db, actor, {
			questionnaire: { name: 'q.json', text: qText },
			rubric
		});
		expect(out.ok).toBe(false);
		const issue = !out.ok ? out.issues[0] : null;
		expect(issue?.file).toBe('r.json');
		expect(issue?.path).toBe(path);
		expect(issue?.message).toMatch(message);
	});

	it('a second instance (empty registry) finds a stored version in the database', async () => {
		clearSurveyCache();
		expect(() => loadSurvey('food/2030.1')).toThrow(UnknownSurveyError);
		expect((await loadSurveyAsync(db, 'food/2030.1')).source).toBe('database');
		expect(loadSurvey('food/2030.1').id).toBe('food/2030.1');
		expect(await surveyExists(db, 'food/2026.9')).toBe(false);
		expect(await surveyExists(db, '../../etc')).toBe(false);
	});
});

describe('editing reference values and cut-offs', () => {
	it('creates a new version and leaves the base untouched', async () => {
		const out = await deriveVersion(db, actor, 'food/2025.1', {
			levels: { 'tien-tien': { minTotal: 62, minK: 0.6 } },
			references: { '2025': { automation_share_pct: 40, energy_cost_share_pct: 8 } },
			note: 'norms 2025 revised'
		});
		expect(out).toEqual({ ok: true, id: 'food/2025.1-r2', changes: 2 });
		const base = loadSurvey('food/2025.1');
		const next = loadSurvey('food/2025.1-r2');
		expect(base.rubric.levels.find((l) => l.id === 'tien-tien')?.minTotal).toBe(65);
		expect(base.referenceValuesFor(2025).values.automation_share_pct.value).toBe(37);
		expect(next.rubric.levels.find((l) => l.id === 'tien-tien')?.minTotal).toBe(62);
		expect(next.rubric.version).toBe('2025.1-r2');
		expect(next.referenceValuesFor(2025).values.automation_share_pct.value).toBe(40);
		expect(next.referenceValuesFor(2026).values).toEqual(base.referenceValuesFor(2026).values);
		const doc = await db.collection<SurveyVersionDoc>(C.rubrics).findOne({ _id: 'food/2025.1-r2' });
		expect(doc).toMatchObject({ basedOn: 'food/2025.1', origin: 'edit', createdBy: 'admin@x.vn' });
		const audit = await db.collection<AuditDoc>(C.audit).findOne({ action: 'rubric.version.edit' });
		expect(audit?.before).toEqual({
			version: 'food/2025.1',
			levels: { 'tien-tien': { minTotal: 65, minK: 0.6 } },
			references: { '2025': { automation_share_pct: 37 } }
		});
		expect(audit?.after).toMatchObject({
			version: 'food/2025.1-r2',
			levels: { 'tien-tien': { minTotal: 62, minK: 0.6 } },
			references: { '2025': { automation_share_pct: 40 } }
		});
	});

	it('an edit of an edit takes the next number of the family', async () => {
		const out = await deriveVersion(db, actor, 'food/2025.1-r2', {
			levels: { 'hien-dai': { minTotal: 82, minK: 0.75 } }
		});
		expect(out).toEqual({ ok: true, id: 'food/2025.1-r3', changes: 1 });
		expect(loadSurvey('food/2025.1-r3').referenceValuesFor(2025).values.automation_share_pct.value).toBe(40);
	});

	it('refuses no change, out-of-order cut-offs and unknown keys, creating nothing', async () => {
		const count = () => db.collection(C.rubrics).countDocuments({});
		const before = await count();
		const same = await deriveVersion(db, actor, 'food/2025.1', {
			levels: { 'tien-tien': { minTotal: 65, minK: 0.6 } }
		});
		expect(same.ok === false && same.message?.en).toBe('Nothing was changed: no new version was created.');
		const disorder = await deriveVersion(db, actor, 'food/2025.1', {
			levels: { 'tien-tien': { minTotal: 45, minK: 0.6 } }
		});
		expect(disorder.ok === false && disorder.issues.map((i) => `${i.path}: ${i.message}`)).toContain(
			"$.levels[3].minTotal: levels out of order: 'tien-tien' minTotal 45 is not above 'trung-binh-tien-tien' minTotal 50"
		);
		const negative = await deriveVersion(db, actor, 'food/2025.1', {
			references: { '2025': { automation_share_pct: -1 } }
		});
		expect(negative.ok === false && negative.issues[0].message).toBe(
			"reference value 'automation_share_pct' must be a positive number"
		);
		const unknown = await deriveVersion(db, actor, 'food/2025.1', { references: { '2025': { nope: 1 } } });
		expect(unknown.ok === false && unknown.issues[0].message).toBe("unknown reference value 'nope'");
		expect(await count()).toBe(before);
	});

	it('lists file and stored versions; start-up refresh reloads stored ones', async () => {
		clearSurveyCache();
		expect(await refreshStoredSurveys(db)).toEqual({ loaded: 3, invalid: [] });
		const list = await listSurveyVersions(db);
		expect(list.filter((v) => v.sector === 'food').map((v) => [v.id, v.source, v.basedOn])).toEqual([
			['food/2025.1', 'file', null],
			['food/2025.1-r2', 'database', 'food/2025.1'],
			['food/2025.1-r3', 'database', 'food/2025.1-r2'],
			['food/2026.1', 'file', null],
			['food/2030.1', 'database', null]
		]);
	});

	it('a version stored before sharedQuestions existed still loads at start-up (uploads must declare it)', async () => {
		const rubric = rubricJson();
		expect(rubric.sharedQuestions).toBeDefined();
		delete rubric.sharedQuestions;
		rubric.version = '2024.9';
		const now = new Date();
		await db.collection<SurveyVersionDoc>(C.rubrics).insertOne({
			_id: 'food/2024.9',
			sector: 'food',
			version: '2024.9',
			questionnaire: JSON.parse(qText) as Record<string, unknown>,
			rubric,
			referenceValues: sectorReferenceValues('food') as unknown as Array<Record<string, unknown>>,
			origin: 'upload',
			basedOn: null,
			note: '',
			createdBy: null,
			createdAt: now
		});
		try {
			clearSurveyCache();
			const refreshed = await refreshStoredSurveys(db);
			expect(refreshed.invalid).toEqual([]);
			expect(loadSurvey('food/2024.9').rubric.version).toBe('2024.9');
		} finally {
			await db.collection<SurveyVersionDoc>(C.rubrics).deleteOne({ _id: 'food/2024.9' });
			clearSurveyCache();
		}
	});
});
