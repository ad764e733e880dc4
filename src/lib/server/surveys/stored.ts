/**
 * Questionnaire + rubric versions stored in the database (`C.rubrics`), next to the shipped ones in
 * `surveys/`. Admins upload new versions or derive one by editing reference values and level
 * cut-offs. A stored version is never updated: every change inserts a new version, so a score's
 * `rubricVersion` always names the exact rules that produced it.
 *
 * Several app instances share one database, so each keeps a registry of the versions it has seen
 * (files.ts) and reloads from the database when asked for one it does not know.
 */
import type { Database } from '../db/types';
import { isDuplicateKeyError } from '../db/types';
import { C, type SurveyVersionDoc } from '../db/schema';
import { recordAudit, type Actor } from '../audit';
import {
	RubricValidationError,
	validateSurveyBundle,
	type LevelDef,
	type ReferenceValues,
	type Rubric,
	type RubricIssue
} from '../../domain/rubric';
import { admitQuestionnaire } from '../../domain/survey/admit';
import {
	UnknownSurveyError,
	buildSurvey,
	fileVersionExists,
	isSafeSegment,
	listSectors,
	listSurveyIds,
	loadSurvey,
	parseSurveyId,
	registerStoredSurvey,
	sectorReferenceValues,
	storedSurveys,
	type LoadedSurvey
} from './files';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Display names used in issues for a stored version's parts (there are no files). */
function partFiles(id: string) {
	return {
		questionnaire: `db:${id}/questionnaire.json`,
		rubric: `db:${id}/rubric.json`,
		reference: (year: unknown) => `db:${id}/reference-values/${String(year)}.json`
	};
}

/** Validates a stored document with the lint validator and registers it; throws on issues. */
function registerDoc(doc: SurveyVersionDoc): LoadedSurvey {
	const files = partFiles(doc._id);
	const issues = validateSurveyBundle({
		rubric: doc.rubric,
		rubricFile: files.rubric,
		questionnaire: doc.questionnaire,
		questionnaireFile: files.questionnaire,
		references: doc.referenceValues.map((json) => ({ file: files.reference(json.year), json })),
		// Versions uploaded before the declaration existed keep loading (and scoring) as they did.
		storedBeforeSharedQuestions: true
	});
	if (issues.length) throw new RubricValidationError(issues);
	const survey = buildSurvey({
		id: doc._id,
		source: 'database',
		dir: `db:${doc._id}`,
		questionnaire: doc.questionnaire,
		rubric: doc.rubric as unknown as Rubric,
		references: doc.referenceValues as unknown as ReferenceValues[]
	});
	registerStoredSurvey(survey);
	return survey;
}

/**
 * Loads every stored version into this process's registry (call at start-up). A version that no
 * longer validates (the validator became stricter) is skipped and reported, not fatal.
 */
export async function refreshStoredSurveys(
	db: Database
): Promise<{ loaded: number; invalid: Array<{ id: string; issues: RubricIssue[] }> }> {
	const docs = await db.collection<SurveyVersionDoc>(C.rubrics).find({}, { sort: { _id: 1 } });
	const invalid: Array<{ id: string; issues: RubricIssue[] }> = [];
	for (const doc of docs) {
		try {
			registerDoc(doc);
		} catch (e) {
			if (e instanceof RubricValidationError) invalid.push({ id: doc._id, issues: e.issues });
			else throw e;
		}
	}
	return { loaded: docs.length - invalid.length, invalid };
}

/**
 * `loadSurvey` for code that has the database: file versions and known stored versions come from
 * the registry; an unknown id is looked up in the database (saved by another instance) first.
 */
export async function loadSurveyAsync(db: Database, id: string): Promise<LoadedSurvey> {
	try {
		return loadSurvey(id);
	} catch (e) {
		if (!(e instanceof UnknownSurveyError)) throw e;
		// loadSurvey has already refused malformed ids, so `id` is a plain <sector>/<version> string.
		const doc = await db.collection<SurveyVersionDoc>(C.rubrics).findOne({ _id: id });
		if (!doc) throw e;
		return registerDoc(doc);
	}
}

export interface SurveyVersionInfo {
	id: string;
	sector: string;
	version: string;
	source: 'file' | 'database';
	provisional: boolean;
	title: { vi: string; en: string };
	referenceYears: number[];
	origin: 'file' | 'upload' | 'edit';
	basedOn: string | null;
	note: string;
	createdBy: string | null;
	createdAt: Date | null;
}

/** Every version, from `surveys/` and from the database, grouped in sector order then version order. */
export async function listSurveyVersions(db: Database): Promise<SurveyVersionInfo[]> {
	const out: SurveyVersionInfo[] = [];
	for (const id of listSurveyIds()) {
		const s = loadSurvey(id);
		out.push(info(s, { origin: 'file', basedOn: null, note: '', createdBy: null, createdAt: null }));
	}
	const docs = await db
		.collection<SurveyVersionDoc>(C.rubrics)
		.find({}, { projection: { questionnaire: 0, rubric: 0, referenceValues: 0 } });
	for (const doc of docs) {
		let s: LoadedSurvey;
		try {
			s = await loadSurveyAsync(db, doc._id);
		} catch {
			continue; // invalid under the current validator: not offered
		}
		out.push(info(s, doc));
	}
	const order = listSectors().map((x) => x.id);
	return out.sort(
		(a, b) =>
			order.indexOf(a.sector) - order.indexOf(b.sector) ||
			a.version.localeCompare(b.version, 'en', { numeric: true })
	);
}

function info(
	s: LoadedSurvey,
	meta: Pick<SurveyVersionInfo, 'basedOn' | 'note' | 'createdBy' | 'createdAt'> & {
		origin: SurveyVersionInfo['origin'];
	}
): SurveyVersionInfo {
	return {
		id: s.id,
		sector: s.sector,
		version: s.version,
		source: s.source,
		provisional: s.rubric.provisional,
		title: s.rubric.title,
		referenceYears: [...s.referenceValues.keys()].sort(),
		origin: meta.origin,
		basedOn: meta.basedOn,
		note: meta.note,
		createdBy: meta.createdBy,
		createdAt: meta.createdAt
	};
}

/** True when the id names a file or stored version (looked up in the database on a miss). */
export async function surveyExists(db: Database, id: string): Promise<boolean> {
	try {
		await loadSurveyAsync(db, id);
		return true;
	} catch (e) {
		if (e instanceof UnknownSurveyError) return false;
		if (e instanceof Error && e.message.startsWith('survey id must be')) return false;
		throw e;
	}
}

async function idTaken(db: Database, id: string): Promise<boolean> {
	if (fileVersionExists(id)) return true;
	return (await db.collection<SurveyVersionDoc>(C.rubrics).countDocuments({ _id: id })) > 0;
}

export type SaveVersionOutcome = { ok: true; id: string } | { ok: false; issues: RubricIssue[] };

export interface UploadedFile {
	name: string;
	text: string;
}

/** Upload size limit per file: shipped questionnaires are ~100 kB. */
export const MAX_UPLOAD_BYTES = 2_000_000;

function parseUpload(f: UploadedFile, issues: RubricIssue[]): unknown {
	if (Buffer.byteLength(f.text) > MAX_UPLOAD_BYTES) {
		const mb = (MAX_UPLOAD_BYTES / 1_000_000).toString();
		issues.push({
			file: f.name,
			path: '$',
			message: `file is larger than ${MAX_UPLOAD_BYTES} bytes`,
			text: {
				vi: `Tệp lớn hơn ${mb.replace('.', ',')} MB; bảng hỏi thật chỉ khoảng 100 kB: hãy kiểm tra lại tệp.`,
				en: `The file is larger than ${mb} MB; real questionnaires are about 100 kB: check the file.`
			}
		});
		return undefined;
	}
	try {
		return JSON.parse(f.text);
	} catch (e) {
		const message = `invalid JSON: ${(e as Error).message}`;
		issues.push({
			file: f.name,
			path: '$',
			message,
			text: {
				vi: 'Tệp không phải là JSON hợp lệ; vị trí lỗi cụ thể ở phần chi tiết kỹ thuật.',
				en: message
			}
		});
		return undefined;
	}
}

/**
 * Stores an uploaded questionnaire + rubric as a new version `<rubric.sector>/<rubric.version>`,
 * after the same validation as `techcap lint`. Reference-value files are optional: without them the
 * version takes a snapshot of the sector's shipped reference values.
 */
export async function saveUploadedVersion(
	db: Database,
	actor: Actor | null,
	upload: { questionnaire: UploadedFile; rubric: UploadedFile; references?: UploadedFile[]; note?: string }
): Promise<SaveVersionOutcome> {
	const issues: RubricIssue[] = [];
	const questionnaire = parseUpload(upload.questionnaire, issues);
	const rubric = parseUpload(upload.rubric, issues);
	const refUploads = (upload.references ?? []).map((f) => ({ f, json: parseUpload(f, issues) }));
	if (issues.length) return { ok: false, issues };
	// Prototype keys, oversized forms and anything the server-side validator cannot check exactly
	// like the online form are refused before anything else reads the questionnaire.
	const refused = admitQuestionnaire(questionnaire);
	if (refused)
		return {
			ok: false,
			issues: [
				{ file: upload.questionnaire.name, path: refused.path, message: refused.text.en, text: refused.text }
			]
		};
	const rubricFile = upload.rubric.name;
	const r = isObj(rubric) ? rubric : {};
	const sector = typeof r.sector === 'string' ? r.sector : '';
	const version = typeof r.version === 'string' ? r.version : '';
	if (!listSectors().some((s) => s.id === sector)) {
		const known = listSectors()
			.map((s) => s.id)
			.join(', ');
		const message = `unknown sector '${sector}' (known: ${known})`;
		issues.push({
			file: rubricFile,
			path: '$.sector',
			message,
			text: { vi: `Không có ngành '${sector}' (các ngành hiện có: ${known}).`, en: message }
		});
	}
	if (!isSafeSegment(version) || version.length > 40) {
		const message = `version '${version}' must be lower-case letters, digits, '.', '-' or '_' (at most 40), e.g. 2026.1`;
		issues.push({
			file: rubricFile,
			path: '$.version',
			message,
			text: {
				vi: `Phiên bản '${version}' chỉ được gồm chữ thường, chữ số, '.', '-' hoặc '_' (tối đa 40 ký tự), ví dụ 2026.1.`,
				en: message
			}
		});
	}
	if (issues.length) return { ok: false, issues };
	const id = `${sector}/${version}`;
	if (await idTaken(db, id))
		return {
			ok: false,
			issues: [
				{
					file: rubricFile,
					path: '$.version',
					message: `version '${id}' already exists; versions are never replaced, choose a new version`,
					text: {
						vi: `Phiên bản '${id}' đã tồn tại; phiên bản cũ không bao giờ bị thay thế, hãy chọn số phiên bản mới.`,
						en: `version '${id}' already exists; versions are never replaced, choose a new version`
					}
				}
			]
		};
	const references = refUploads.length
		? refUploads.map((x) => ({ file: x.f.name, json: x.json }))
		: sectorReferenceValues(sector).map((json) => ({ file: partFiles(id).reference(json.year), json }));
	const years = references.map((x) => (isObj(x.json) ? x.json.year : undefined));
	years.forEach((y, i) => {
		if (years.indexOf(y) !== i)
			issues.push({
				file: references[i].file,
				path: '$.year',
				message: `year ${String(y)} is given twice`,
				text: {
					vi: `Năm ${String(y)} có hai tệp giá trị tham chiếu.`,
					en: `year ${String(y)} is given twice`
				}
			});
	});
	issues.push(
		...validateSurveyBundle({
			rubric,
			rubricFile,
			questionnaire,
			questionnaireFile: upload.questionnaire.name,
			references
		})
	);
	if (issues.length) return { ok: false, issues };
	const doc: SurveyVersionDoc = {
		_id: id,
		sector,
		version,
		questionnaire: questionnaire as Json,
		rubric: rubric as Json,
		referenceValues: references.map((x) => x.json as Json),
		origin: 'upload',
		basedOn: null,
		note: (upload.note ?? '').slice(0, 500),
		createdBy: actor?.email ?? null,
		createdAt: new Date()
	};
	try {
		await db.collection<SurveyVersionDoc>(C.rubrics).insertOne(doc);
	} catch (e) {
		if (!isDuplicateKeyError(e)) throw e;
		return {
			ok: false,
			issues: [
				{
					file: rubricFile,
					path: '$.version',
					message: `version '${id}' was just created by someone else`,
					text: {
						vi: `Phiên bản '${id}' vừa được người khác tạo; hãy chọn số phiên bản mới.`,
						en: `version '${id}' was just created by someone else`
					}
				}
			]
		};
	}
	registerDoc(doc);
	await recordAudit(db, {
		actor,
		action: 'rubric.version.upload',
		target: `rubrics/${id}`,
		after: {
			id,
			files: [upload.questionnaire.name, upload.rubric.name, ...(upload.references ?? []).map((f) => f.name)],
			referenceYears: doc.referenceValues.map((x) => x.year),
			note: doc.note
		}
	});
	return { ok: true, id };
}

/**
 * The next edit of `base`: `2025.1` → `2025.1-r2` → `2025.1-r3`, numbering per root version (the
 * part before `-r<n>`), so every edit of the same shipped version is visibly one family.
 */
export function nextRevisionId(baseId: string, taken: readonly string[]): string {
	const { sector, version } = parseSurveyId(baseId);
	const root = version.replace(/-r\d+$/, '');
	let n = 1;
	for (const id of [baseId, ...taken]) {
		const m = /^(.+)\/(.+)-r(\d+)$/.exec(id);
		if (m && m[1] === sector && m[2] === root) n = Math.max(n, Number(m[3]));
	}
	return `${sector}/${root}-r${n + 1}`;
}

export interface VersionEdit {
	/** Cut-offs by level id; levels not named keep theirs. */
	levels?: Record<string, { minTotal: number; minK: number }>;
	/** Reference values by year, then key; years and keys not named keep theirs. */
	references?: Record<string, Record<string, number>>;
	note?: string;
}

export type DeriveOutcome =
	| { ok: true; id: string; changes: number }
	| { ok: false; issues: RubricIssue[]; message?: { vi: string; en: string } };

/**
 * Saves edited reference values and level cut-offs as a NEW version based on `baseId` (never
 * editing the base, which campaigns and stored scores may use). Validated like `techcap lint`;
 * the change is recorded in the audit log with the values before and after.
 */
export async function deriveVersion(
	db: Database,
	actor: Actor | null,
	baseId: string,
	edit: VersionEdit
): Promise<DeriveOutcome> {
	const base = await loadSurveyAsync(db, baseId);
	const rubric = structuredClone(base.rubric) as Rubric;
	const refs = [...base.referenceValues.values()]
		.map((r) => structuredClone(r))
		.sort((a, b) => a.year - b.year);
	const before: { levels: Json; references: Record<string, Json> } = { levels: {}, references: {} };
	const after: { levels: Json; references: Record<string, Json> } = { levels: {}, references: {} };
	const issues: RubricIssue[] = [];
	let changes = 0;
	for (const [levelId, cut] of Object.entries(edit.levels ?? {})) {
		const level = rubric.levels.find((l: LevelDef) => l.id === levelId);
		if (!level) {
			issues.push({ file: 'levels', path: levelId, message: `unknown level '${levelId}'` });
			continue;
		}
		if (level.minTotal === cut.minTotal && level.minK === cut.minK) continue;
		before.levels[levelId] = { minTotal: level.minTotal, minK: level.minK };
		after.levels[levelId] = { minTotal: cut.minTotal, minK: cut.minK };
		level.minTotal = cut.minTotal;
		level.minK = cut.minK;
		changes++;
	}
	for (const [year, values] of Object.entries(edit.references ?? {})) {
		const ref = refs.find((r) => String(r.year) === year);
		if (!ref) {
			issues.push({ file: 'reference-values', path: year, message: `no reference values for ${year}` });
			continue;
		}
		for (const [key, value] of Object.entries(values)) {
			const cur = ref.values[key];
			if (!cur) {
				issues.push({
					file: `reference-values/${year}`,
					path: key,
					message: `unknown reference value '${key}'`
				});
				continue;
			}
			if (cur.value === value) continue;
			(before.references[year] ??= {})[key] = cur.value;
			(after.references[year] ??= {})[key] = value;
			cur.value = value;
			changes++;
		}
	}
	if (issues.length) return { ok: false, issues };
	if (changes === 0)
		return {
			ok: false,
			issues: [],
			message: {
				vi: 'Không có thay đổi nào: phiên bản mới không được tạo.',
				en: 'Nothing was changed: no new version was created.'
			}
		};
	const taken = storedSurveys().map((s) => s.id);
	const docs = await db
		.collection<SurveyVersionDoc>(C.rubrics)
		.find({ sector: base.sector }, { projection: { _id: 1 } });
	taken.push(...docs.map((d) => d._id));
	// Two admins saving at once: the loser of the unique _id race takes the next number.
	for (let attempt = 0; attempt < 5; attempt++) {
		let id = nextRevisionId(baseId, taken);
		while (fileVersionExists(id)) id = nextRevisionId(baseId, [...taken, id]);
		const version = parseSurveyId(id).version;
		rubric.version = version;
		const files = partFiles(id);
		const found = validateSurveyBundle({
			rubric,
			rubricFile: files.rubric,
			questionnaire: base.questionnaire,
			questionnaireFile: files.questionnaire,
			references: refs.map((json) => ({ file: files.reference(json.year), json }))
		});
		if (found.length) return { ok: false, issues: found };
		const doc: SurveyVersionDoc = {
			_id: id,
			sector: base.sector,
			version,
			questionnaire: base.questionnaire,
			rubric: rubric as unknown as Json,
			referenceValues: refs as unknown as Json[],
			origin: 'edit',
			basedOn: baseId,
			note: (edit.note ?? '').slice(0, 500),
			createdBy: actor?.email ?? null,
			createdAt: new Date()
		};
		try {
			await db.collection<SurveyVersionDoc>(C.rubrics).insertOne(doc);
		} catch (e) {
			if (isDuplicateKeyError(e)) {
				taken.push(id);
				continue;
			}
			throw e;
		}
		registerDoc(doc);
		await recordAudit(db, {
			actor,
			action: 'rubric.version.edit',
			target: `rubrics/${id}`,
			before: { version: baseId, ...before },
			after: { version: id, ...after, note: doc.note }
		});
		return { ok: true, id, changes };
	}
	throw new Error(`could not find a free version id after ${baseId}`);
}
