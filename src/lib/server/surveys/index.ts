/**
 * Reads survey definitions from disk (`TECHCAP_SURVEYS_DIR` or `<cwd>/surveys`): sectors, versions,
 * questionnaire + rubric + reference values, validated with the domain validator and cached.
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
	dir: string;
	questionnaire: Record<string, unknown>;
	rubric: Rubric;
	referenceValues: ReadonlyMap<number, ReferenceValues>;
	/** Reference values for a year (that year, else the latest earlier, else the earliest). */
	referenceValuesFor(year?: number): ReferenceValues;
	/** Compiled scorer for a year's reference values (cached). */
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
			{ file: displayPath(file), path: '$', message: `invalid JSON: ${(e as Error).message}` }
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
	if (!existsSync(abs)) return [{ file: path, path: '$', message: 'no such file or directory' }];
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
					message: 'rubric.json not found beside the questionnaire'
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
				{ file: displayPath(rubricFile), path: '$.questionnaire', message: 'questionnaire.json not found' }
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

/** Loads `<sector>/<version>`, validated; throws RubricValidationError listing all issues. */
export function loadSurvey(id: string, dir = surveysDir()): LoadedSurvey {
	const key = `${dir}\0${id}`;
	const hit = cache.get(key);
	if (hit) return hit;
	const [sector, version, extra] = id.split('/');
	if (!sector || !version || extra !== undefined || !SAFE_SEGMENT.test(sector) || !SAFE_SEGMENT.test(version))
		throw new Error(`survey id must be <sector>/<version>, got '${id}'`);
	const vdir = join(dir, sector, version);
	if (!existsSync(join(vdir, 'questionnaire.json')))
		throw new Error(`unknown survey '${id}' (known: ${listSurveyIds(dir).join(', ') || 'none'})`);
	const issues = lintPath(vdir, dir);
	if (issues.length) throw new RubricValidationError(issues);
	const rubric = readJsonFile(join(vdir, 'rubric.json')) as Rubric;
	const questionnaire = readJsonFile(join(vdir, 'questionnaire.json')) as Record<string, unknown>;
	const refs = new Map<number, ReferenceValues>();
	for (const r of referenceFiles(join(dir, sector))) {
		const rv = r.json as ReferenceValues;
		refs.set(rv.year, rv);
	}
	const compiled = new Map<number, CompiledRubric>();
	const refFor = (year = rubric.referenceYear) => {
		const r = referenceValuesFor(refs, year);
		if (!r) throw new Error(`survey '${id}' has no reference values`);
		return r;
	};
	const loaded: LoadedSurvey = {
		id,
		sector,
		version,
		dir: vdir,
		questionnaire,
		rubric,
		referenceValues: refs,
		referenceValuesFor: refFor,
		scorer(year) {
			const r = refFor(year);
			let c = compiled.get(r.year);
			if (!c) compiled.set(r.year, (c = compileRubric(rubric, r)));
			return c;
		}
	};
	cache.set(key, loaded);
	return loaded;
}

/** Forget cached surveys (after an admin uploads a new version). */
export function clearSurveyCache(): void {
	cache.clear();
}
