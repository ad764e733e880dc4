/**
 * Rubric data model (Circular 17/2019/TT-BKHCN structure: groups T/E/O/R/I, 26 criteria, 100 points,
 * synchronisation coefficient K, five levels) plus FAT technology ladders. A rubric is data in
 * `surveys/<sector>/<version>/rubric.json`; these types describe it after validation.
 */

import type { EquipmentAggregate, EquipmentColumns } from './equipment';

export type GroupId = 'T' | 'E' | 'O' | 'R' | 'I';
export const GROUP_IDS: readonly GroupId[] = ['T', 'E', 'O', 'R', 'I'];

export type LevelId = 'lac-hau' | 'trung-binh' | 'trung-binh-tien-tien' | 'tien-tien' | 'hien-dai';
export const LEVEL_IDS: readonly LevelId[] = [
	'lac-hau',
	'trung-binh',
	'trung-binh-tien-tien',
	'tien-tien',
	'hien-dai'
];

export interface Bilingual {
	vi: string;
	en: string;
}

/** A numeric interval [from, to): `from` inclusive, `to` exclusive; null means unbounded. */
export interface Band {
	from: number | null;
	to: number | null;
	points: number;
}

export interface ChoiceMapping {
	kind: 'choice';
	/** Question name, or `matrix.row` for one row of a single-choice matrix. */
	question: string;
	/** Points per choice value (JSON keys are strings; numeric values are matched as strings). */
	points: Record<string, number>;
}

export interface BandsMapping {
	kind: 'bands';
	question: string;
	bands: Band[];
}

export interface RatioMapping {
	kind: 'ratio';
	/** Formula for the enterprise's value; divided by the sector reference value, then banded. */
	value: string;
	reference: string;
	bands: Band[];
}

export interface MultiMapping {
	kind: 'multi';
	question: string;
	points: Record<string, number>;
	cap: number;
}

export interface FormulaMapping {
	kind: 'formula';
	expression: string;
	/** Without bands the formula's result is the points, clamped to [0, max]. */
	bands?: Band[];
}

/**
 * An aggregate over an equipment list (a `matrixdynamic`, one row per machine or line), each row
 * weighted by its original value (equipment.ts). Without rows the criterion is scored by
 * `fallback`, the single-question mapping earlier versions used, so a response that gives no
 * list scores exactly as it did.
 */
export interface EquipmentMapping {
	kind: 'equipment';
	/** The matrixdynamic question. */
	question: string;
	aggregate: EquipmentAggregate;
	/** Column name per role; the aggregate's roles are required, unknown columns are refused. */
	columns: EquipmentColumns;
	/** Renewal: window in years, the assessment year included. */
	years?: number;
	/** Automated share: the automation levels that count as automated. */
	automated?: string[];
	/** Origin: points per origin group; the criterion's points are their value-weighted mean. */
	points?: Record<string, number>;
	/** Divide the aggregate by this sector reference value before banding (like `ratio`). */
	reference?: string;
	bands?: Band[];
	fallback?: SingleMapping;
}

export type SingleMapping = ChoiceMapping | BandsMapping | RatioMapping | MultiMapping | FormulaMapping;
export type Mapping = SingleMapping | EquipmentMapping;
export const MAPPING_KINDS: readonly Mapping['kind'][] = [
	'choice',
	'bands',
	'ratio',
	'multi',
	'formula',
	'equipment'
];

export interface Criterion {
	id: string;
	/** Criterion number 1–26 in the Circular's order. */
	no: number;
	group: GroupId;
	max: number;
	name: Bilingual;
	/** Where the criterion and its bands come from, and why (shown in docs/methodology.md). */
	source: string;
	mapping: Mapping;
	recommendation: Bilingual;
}

export interface GroupDef {
	id: GroupId;
	max: number;
	name: Bilingual;
}

export interface LevelDef {
	id: LevelId;
	label: Bilingual;
	/** The enterprise reaches this level when total >= minTotal AND K >= minK. */
	minTotal: number;
	minK: number;
}

export interface LadderFunction {
	id: string;
	name: Bilingual;
	/** Checkbox: every ladder step (values 1–5) the enterprise uses at all. */
	used: string;
	/** Radiogroup: the step used most. */
	most: string;
}

export interface Rubric {
	sector: string;
	version: string;
	provisional: boolean;
	title: Bilingual;
	questionnaire: string;
	/** Year of reference values used when a caller does not name one. */
	referenceYear: number;
	rounding: { points: number; k: number };
	/**
	 * "circular-17" makes lint hold the rubric to the Circular's structure (26 criteria, 7/5/5/5/4,
	 * group maxima 30/20/19/17/14); "custom" or absent checks only the general rules.
	 */
	method?: 'circular-17' | 'custom';
	/** Questions deliberately read by more than one criterion (e.g. the number of employees). */
	sharedQuestions?: string[];
	/** Soft plausibility warnings: per numeric question, how many times last year's answer is worth a second look. */
	plausibility?: { ratios?: Record<string, number> };
	groups: GroupDef[];
	k: { weights: Record<GroupId, number> };
	levels: LevelDef[];
	priorities: { below: number; limit: number };
	ladders: { functions: LadderFunction[] };
	criteria: Criterion[];
}

/** Appendix II-style sector norms for one year (`surveys/<sector>/reference-values/<year>.json`). */
export interface ReferenceValue {
	value: number;
	unit: Bilingual;
	label: Bilingual;
	note?: string;
}

export interface ReferenceValues {
	sector: string;
	year: number;
	provisional: boolean;
	source: string;
	values: Record<string, ReferenceValue>;
}

/** SurveyJS response data: question name → value. */
export type Answers = Readonly<Record<string, unknown>>;

export interface CriterionScore {
	id: string;
	group: GroupId;
	points: number;
	max: number;
	/** Question names (or `question.row`) the criterion reads. */
	answersUsed: readonly string[];
	/** True when an answer the criterion needed was missing or unusable: it then scores 0. */
	missing: boolean;
}

export interface LadderIndex {
	/** Most advanced step used at all (FAT "EXT"/"MAX"). */
	EXT: number | null;
	/** Step used most intensively (FAT "INT"/"MOST"). */
	INT: number | null;
	gap: number | null;
}

export interface Priority {
	criterion: string;
	pointsAtStake: number;
	recommendation: Bilingual;
}

export interface Classification {
	total: number;
	K: number;
	level: LevelId;
}

export interface ScoreResult extends Classification {
	/** `<sector>/<version>`, recorded with every stored score. */
	rubricVersion: string;
	groups: Record<GroupId, number>;
	criteria: CriterionScore[];
	ladders: { functions: Record<string, LadderIndex> } & LadderIndex;
	priorities: Priority[];
}

/** One problem found when validating a rubric, questionnaire or reference-value file. */
export interface RubricIssue {
	file: string;
	/** JSON path inside the file, e.g. `$.criteria[3].mapping.bands[1]`. */
	path: string;
	message: string;
	/** The same problem for an administrator in the UI language, where one was written. */
	text?: Bilingual;
}

export class RubricValidationError extends Error {
	constructor(readonly issues: RubricIssue[]) {
		super(
			`${issues.length} problem(s):\n` + issues.map((i) => `${i.file}: ${i.path}: ${i.message}`).join('\n')
		);
		this.name = 'RubricValidationError';
	}
}
