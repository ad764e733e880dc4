/**
 * Reads survey definitions from disk (`TECHCAP_SURVEYS_DIR` or `<cwd>/surveys`): sectors, versions,
 * questionnaire + rubric + reference values, validated with the domain validator and cached.
 * Versions stored in the database (stored.ts) are validated there and registered here, so the
 * synchronous `loadSurvey(id)` serves both once a version has been seen by this process.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import {
	RubricValidationError,
	compileRubric,
	referenceValuesFor,
	validateSurveyBundle,
	type CompiledRubric,
	type ReferenceFile,
	type ReferenceValues,
	type Rubric,
	type RubricIssue
} from '../../domain/rubric';

export interface SectorInfo {
	id: string;
	name: { vi: string; en: string };
	vsicDivisions: string[];
	vsic: Array<{ code: string; name: { vi: string; en: string } }>;
}

export interface Ward {
	id: string;
	name: string;
	type: 'ward' | 'commune';
}

export interface LoadedSurvey {
	/** `<sector>/<version>`, the id stored with every score. */
	id: string;
	sector: string;
	version: string;
	/** Where the version comes from: a `surveys/` folder, or the database (`C.rubrics`). */
	source: 'file' | 'database';
	/** The version folder (file versions) or `db:<sector>/<version>`. */
	dir: string;
	questionnaire: Record<string, unknown>;
	rubric: Rubric;
	referenceValues: ReadonlyMap<number, ReferenceValues>;
	/** Reference values for a year (that year, else the latest earlier, else the earliest). */
	referenceValuesFor(year?: number): ReferenceValues;
	/** Compiled scorer for an assessment year, with that year's reference values (cached). */
	scorer(year?: number): CompiledRubric;
}

export function surveysDir(): string {
	return resolve(process.env.TECHCAP_SURVEYS_DIR || join(process.cwd(), 'surveys'));
}

/** Reads a JSON file; syntax errors become a RubricValidationError naming the file. */
export function readJsonFile(file: string): unknown {
	const text = readFileSync(file, 'utf8');
	try {
		return JSON.parse(text);
	} catch (e) {
		throw new RubricValidationError([
			{
				file: displayPath(file),
				path: '$',
				message: `invalid JSON: ${(e as Error).message}`,
				text: {
					vi: 'Tệp không phải là JSON hợp lệ; vị trí lỗi cụ thể ở phần chi tiết kỹ thuật.',
					en: `invalid JSON: ${(e as Error).message}`
				}
			}
		]);
	}
}

function displayPath(file: string): string {
	const rel = relative(process.cwd(), file);
	return rel.startsWith('..') ? file : rel;
}

const SAFE_SEGMENT = /^[a-z0-9][a-z0-9._-]*$/;

export function listSectors(dir = surveysDir()): SectorInfo[] {
	const json = readJsonFile(join(dir, 'sectors.json')) as { sectors: SectorInfo[] };
	return json.sectors;
}

export function listWards(dir = surveysDir()): Ward[] {
	return (readJsonFile(join(dir, 'common', 'wards-hanoi.json')) as { wards: Ward[] }).wards;
}

/** Versions of a sector: folders holding a questionnaire.json, sorted. */
export function listVersions(sector: string, dir = surveysDir()): string[] {
	if (!SAFE_SEGMENT.test(sector)) return [];
	const sdir = join(dir, sector);
	if (!existsSync(sdir)) return [];
	return readdirSync(sdir)
		.filter((v) => SAFE_SEGMENT.test(v) && existsSync(join(sdir, v, 'questionnaire.json')))
		.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Every `<sector>/<version>` found on disk. */
export function listSurveyIds(dir = surveysDir()): string[] {
	return listSectors(dir).flatMap((s) => listVersions(s.id, dir).map((v) => `${s.id}/${v}`));
}

function referenceFiles(sectorDir: string): ReferenceFile[] {
	const rdir = join(sectorDir, 'reference-values');
	if (!existsSync(rdir)) return [];
	return readdirSync(rdir)
		.filter((f) => /^\d{4}\.json$/.test(f))
		.sort()
		.map((f) => ({ file: displayPath(join(rdir, f)), json: readJsonFile(join(rdir, f)) }));
}

/**
 * Lints a survey version folder, or a rubric file whose questionnaire is found beside it or, failing
 * that, in `surveys/<sector>/<version>/` named by the rubric's own fields.
 */
export function lintPath(path: string, dir = surveysDir()): RubricIssue[] {
	const abs = resolve(path);
	if (!existsSync(abs))
		return [
			{
				file: path,
				path: '$',
				message: 'no such file or directory',
				text: { vi: 'Không có tệp hay thư mục này.', en: 'no such file or directory' }
			}
		];
	try {
		let rubricFile: string;
		let questionnaireFile: string;
		if (statSync(abs).isDirectory()) {
			rubricFile = join(abs, 'rubric.json');
			questionnaireFile = join(abs, 'questionnaire.json');
		} else if (basename(abs) === 'questionnaire.json') {
			questionnaireFile = abs;
			rubricFile = join(dirname(abs), 'rubric.json');
		} else {
			rubricFile = abs;
			questionnaireFile = join(dirname(abs), 'questionnaire.json');
		}
		if (!existsSync(rubricFile))
			return [
				{
					file: displayPath(rubricFile),
					path: '$',
					message: 'rubric.json not found beside the questionnaire',
					text: {
						vi: 'Không tìm thấy tệp bộ tiêu chí rubric.json cạnh bảng hỏi.',
						en: 'rubric.json not found beside the questionnaire'
					}
				}
			];
		const rubric = readJsonFile(rubricFile) as Record<string, unknown>;
		const sector =
			typeof rubric.sector === 'string' && SAFE_SEGMENT.test(rubric.sector) ? rubric.sector : null;
		if (
			!existsSync(questionnaireFile) &&
			sector &&
			typeof rubric.version === 'string' &&
			SAFE_SEGMENT.test(rubric.version)
		)
			questionnaireFile = join(dir, sector, rubric.version, 'questionnaire.json');
		if (!existsSync(questionnaireFile))
			return [
				{
					file: displayPath(rubricFile),
					path: '$.questionnaire',
					message: 'questionnaire.json not found',
					text: { vi: 'Không tìm thấy tệp bảng hỏi questionnaire.json.', en: 'questionnaire.json not found' }
				}
			];
		// Reference values live in the sector folder: two levels up from a version folder.
		const sectorDir = dirname(dirname(questionnaireFile));
		return validateSurveyBundle({
			rubric,
			rubricFile: displayPath(rubricFile),
			questionnaire: readJsonFile(questionnaireFile),
			questionnaireFile: displayPath(questionnaireFile),
			references: referenceFiles(sectorDir)
		});
	} catch (e) {
		if (e instanceof RubricValidationError) return e.issues;
		throw e;
	}
}

/** Lints every shipped survey version. */
export function lintAll(dir = surveysDir()): RubricIssue[] {
	return listSurveyIds(dir).flatMap((id) => lintPath(join(dir, id), dir));
}

const cache = new Map<string, LoadedSurvey>();
/** Database versions seen by this process (validated before they are registered). */
const stored = new Map<string, LoadedSurvey>();

/** Splits and checks a `<sector>/<version>` id; throws on anything else (ids reach file paths). */
export function parseSurveyId(id: string): { sector: string; version: string } {
	const [sector, version, extra] = String(id).split('/');
	if (!sector || !version || extra !== undefined || !SAFE_SEGMENT.test(sector) || !SAFE_SEGMENT.test(version))
		throw new Error(`survey id must be <sector>/<version>, got '${id}'`);
	return { sector, version };
}

export function isSafeSegment(s: string): boolean {
	return SAFE_SEGMENT.test(s);
}

/** True when `surveys/<sector>/<version>/questionnaire.json` exists. */
export function fileVersionExists(id: string, dir = surveysDir()): boolean {
	try {
		const { sector, version } = parseSurveyId(id);
		return existsSync(join(dir, sector, version, 'questionnaire.json'));
	} catch {
		return false;
	}
}

/** The sector's reference values on disk, keyed by year (already validated by lint). */
export function sectorReferenceValues(sector: string, dir = surveysDir()): ReferenceValues[] {
	if (!SAFE_SEGMENT.test(sector)) return [];
	return referenceFiles(join(dir, sector)).map((r) => r.json as ReferenceValues);
}

/** Assembles a loaded survey from validated parts (used for file and database versions). */
export function buildSurvey(parts: {
	id: string;
	source: LoadedSurvey['source'];
	dir: string;
	questionnaire: Record<string, unknown>;
	rubric: Rubric;
	references: readonly ReferenceValues[];
}): LoadedSurvey {
	const { id, rubric } = parts;
	const { sector, version } = parseSurveyId(id);
	const refs = new Map<number, ReferenceValues>();
	for (const rv of parts.references) refs.set(rv.year, rv);
	const compiled = new Map<number, CompiledRubric>();
	const refFor = (year = rubric.referenceYear) => {
		const r = referenceValuesFor(refs, year);
		if (!r) throw new Error(`survey '${id}' has no reference values`);
		return r;
	};
	return {
		id,
		sector,
		version,
		source: parts.source,
		dir: parts.dir,
		questionnaire: parts.questionnaire,
		rubric,
		referenceValues: refs,
		referenceValuesFor: refFor,
		scorer(year) {
			// Keyed by the assessment year, not the reference values' year: equipment ages count from it.
			const y = year ?? rubric.referenceYear;
			let c = compiled.get(y);
			if (!c) compiled.set(y, (c = compileRubric(rubric, refFor(y), parts.questionnaire, { year: y })));
			return c;
		}
	};
}

/**
 * Loads `<sector>/<version>`, validated; throws RubricValidationError listing all issues.
 * File versions are read from disk; database versions are served from this process's registry
 * (filled at start-up by `refreshStoredSurveys` and after every save). Where the version may have
 * been saved by another instance, use `loadSurveyAsync(db, id)`, which reloads on a miss.
 */
export function loadSurvey(id: string, dir = surveysDir()): LoadedSurvey {
	const key = `${dir}\0${id}`;
	const hit = cache.get(key);
	if (hit) return hit;
	const { sector, version } = parseSurveyId(id);
	const vdir = join(dir, sector, version);
	if (!existsSync(join(vdir, 'questionnaire.json'))) {
		const db = stored.get(id);
		if (db) return db;
		const known = [...listSurveyIds(dir), ...[...stored.keys()].sort()];
		throw new UnknownSurveyError(id, known);
	}
	const issues = lintPath(vdir, dir);
	if (issues.length) throw new RubricValidationError(issues);
	const loaded = buildSurvey({
		id,
		source: 'file',
		dir: vdir,
		rubric: readJsonFile(join(vdir, 'rubric.json')) as Rubric,
		questionnaire: readJsonFile(join(vdir, 'questionnaire.json')) as Record<string, unknown>,
		references: sectorReferenceValues(sector, dir)
	});
	cache.set(key, loaded);
	return loaded;
}

export class UnknownSurveyError extends Error {
	constructor(
		readonly id: string,
		known: string[]
	) {
		super(`unknown survey '${id}' (known: ${known.join(', ') || 'none'})`);
		this.name = 'UnknownSurveyError';
	}
}

/** Registers a validated database version with this process (stored.ts calls this). */
export function registerStoredSurvey(survey: LoadedSurvey): void {
	stored.set(survey.id, survey);
}

/** Database versions this process knows, sorted by id. */
export function storedSurveys(): LoadedSurvey[] {
	return [...stored.values()].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

/** Forget cached surveys (file versions re-read from disk; database versions reloaded on demand). */
export function clearSurveyCache(): void {
	cache.clear();
	stored.clear();
}
