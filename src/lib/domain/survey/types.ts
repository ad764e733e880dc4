/** Shared types of the questionnaire validation (SurveyJS JSON compiled into plain descriptors). */

export interface LocalizedText {
	vi: string;
	en: string;
}

/**
 * Problem codes. The first group are the rules survey-core itself checks (the differential test
 * compares these one to one); the second group are the stricter checks survey-core skips.
 */
export const SURVEY_CORE_CODES = [
	'required',
	'other-required',
	'all-rows-required',
	'min-rows',
	'min',
	'max',
	'step',
	'email',
	'not-numeric',
	'validator:numeric',
	'validator:text',
	'validator:regex',
	'validator:email',
	'validator:expression'
] as const;
export type SurveyCoreCode = (typeof SURVEY_CORE_CODES)[number];

export type StricterCode =
	| 'not-an-object'
	| 'too-large'
	| 'too-deep'
	| 'forbidden-key'
	| 'operator-object'
	| 'unknown-key'
	| 'wrong-type'
	| 'not-a-number'
	| 'too-long'
	| 'too-many'
	| 'invalid-choice'
	| 'duplicate-choice'
	| 'none-exclusive'
	| 'out-of-scale'
	| 'invalid-row'
	| 'invalid-column'
	| 'invalid-item'
	| 'too-many-rows';

export type ProblemCode = SurveyCoreCode | StricterCode;

export interface Problem {
	/** Question name ('' for a problem with the whole body). */
	question: string;
	code: ProblemCode;
	message: LocalizedText;
	/** Multiple-text item, matrix row or offending key, when the problem is inside the value. */
	item?: string;
}

export type Primitive = string | number | boolean;
export type ChoiceValue = string | number | boolean;

/** A condition or expression compiled once by survey-core's own engine. */
export interface CompiledExpression {
	source: string;
	/** Data keys the expression can read (exact spelling); evaluation only copies these. */
	deps: string[];
	run(values: Record<string, unknown>): unknown;
}

export type ValidatorDescriptor =
	| { type: 'numeric'; text: LocalizedText | null; minValue: number | null; maxValue: number | null }
	| {
			type: 'text';
			text: LocalizedText | null;
			minLength: number;
			maxLength: number;
			allowDigits: boolean;
	  }
	| { type: 'regex'; text: LocalizedText | null; regex: RegExp }
	| { type: 'email'; text: LocalizedText | null }
	| { type: 'expression'; text: LocalizedText | null; expression: CompiledExpression };

export type QuestionType =
	| 'text'
	| 'comment'
	| 'radiogroup'
	| 'dropdown'
	| 'checkbox'
	| 'tagbox'
	| 'rating'
	| 'boolean'
	| 'matrix'
	| 'multipletext'
	| 'matrixdynamic'
	| 'matrixdropdown'
	| 'paneldynamic'
	| 'expression'
	| 'html';

export interface TextRules {
	inputType: 'text' | 'number' | 'email' | 'tel' | 'url' | 'date' | 'month' | 'datetime-local';
	maxLength: number | null;
	min: number | null;
	max: number | null;
	step: number | null;
	requiredText: LocalizedText | null;
	validators: ValidatorDescriptor[];
}

export interface MultipleTextItem extends TextRules {
	name: string;
	isRequired: boolean;
}

/** How a matrix column's total row is computed (survey-core totalType); stored under `<name>-total`. */
export type TotalType = 'sum' | 'count' | 'min' | 'max' | 'avg';

/**
 * One column of a matrixdynamic / matrixdropdown: the cell editor every row gets; for a
 * paneldynamic, one question of its template (every panel is a row).
 */
export interface ColumnDescriptor {
	name: string;
	cellType: 'text' | 'comment' | 'dropdown' | 'radiogroup' | 'checkbox' | 'boolean';
	isRequired: boolean;
	requiredText: LocalizedText | null;
	/** text and comment cells. */
	text: TextRules | null;
	/** dropdown/radiogroup/checkbox choices, boolean's true/false values. */
	choices: ChoiceValue[] | null;
	choiceSet: Set<ChoiceValue> | null;
	noneValue: ChoiceValue | null;
	validators: ValidatorDescriptor[];
	totalType: TotalType | null;
}

export interface MatrixRules {
	columns: ColumnDescriptor[];
	/** Rows (panels) shown when the answer is missing: rowCount; max(panelCount, minPanelCount). */
	rowCount: number;
	minRowCount: number;
	maxRowCount: number;
	/** `<name>-total` when a column has a totalType: computed by the server, never taken from the client. */
	totalKey: string | null;
}

export interface QuestionDescriptor {
	name: string;
	type: QuestionType;
	/** Index of the enclosing page or panel in `containers`. */
	container: number;
	visible: boolean;
	visibleIf: CompiledExpression | null;
	readOnly: boolean;
	enableIf: CompiledExpression | null;
	isRequired: boolean;
	requiredIf: CompiledExpression | null;
	requiredText: LocalizedText | null;
	/** text, comment and multiple-text items. */
	text: TextRules | null;
	/** Static choices (radiogroup, dropdown, checkbox), rating values, boolean values. */
	choices: ChoiceValue[] | null;
	choiceSet: Set<ChoiceValue> | null;
	otherValue: ChoiceValue | null;
	noneValue: ChoiceValue | null;
	otherText: LocalizedText | null;
	/** `<name>-Comment` when SurveyJS stores a comment there (other item or comment area). */
	commentKey: string | null;
	choicesFrom: { source: string; mode: 'all' | 'selected' | 'unselected' } | null;
	/** Checkbox `valuePropertyName`: each selected choice is stored as `{ [valueProperty]: value }`. */
	valueProperty: string | null;
	/** Dropdown `allowCustomChoices`: a typed text outside the choices is an answer too. */
	customChoices: boolean;
	rows: string[] | null;
	rowSet: Set<string> | null;
	eachRowRequired: boolean;
	items: MultipleTextItem[] | null;
	/** matrixdynamic, matrixdropdown (whose fixed rows are `rows`) and paneldynamic (panels as rows). */
	matrix: MatrixRules | null;
	expression: CompiledExpression | null;
	precision: number;
	validators: ValidatorDescriptor[];
	/** A survey-level calculated value (type 'expression'): stored only with includeIntoResult. */
	calculated: { includeIntoResult: boolean } | null;
}

export interface ContainerDescriptor {
	name: string;
	kind: 'page' | 'panel';
	parent: number;
	visible: boolean;
	visibleIf: CompiledExpression | null;
	readOnly: boolean;
	enableIf: CompiledExpression | null;
}

export type KeyRole =
	| { kind: 'answer'; question: QuestionDescriptor }
	| { kind: 'comment'; question: QuestionDescriptor }
	| { kind: 'computed'; question: QuestionDescriptor }
	| { kind: 'total'; question: QuestionDescriptor };

export interface CompiledQuestionnaire {
	questions: QuestionDescriptor[];
	containers: ContainerDescriptor[];
	byName: Map<string, QuestionDescriptor>;
	/** Every key a response may hold, with what it is. */
	keys: Map<string, KeyRole>;
	/** Expression questions, in document order (they feed conditions). */
	expressions: QuestionDescriptor[];
	/** Questions that carry their choices from another one. */
	hasDynamicChoices: boolean;
	/** Whether an expression question (or what enables it) reads another one's value. */
	expressionChain: boolean;
	/** Keys read by visibleIf/enableIf of any element or by expression questions. */
	conditionDeps: Set<string>;
}

export interface ShapeLimits {
	/** Largest accepted body, in characters of its JSON text. */
	maxBodyChars: number;
	/** Longest string when the question sets no maxLength. */
	maxStringLength: number;
	/** Deepest nesting of objects/arrays, the response itself being level 1. */
	maxDepth: number;
}

export const DEFAULT_LIMITS: ShapeLimits = {
	maxBodyChars: 256 * 1024,
	maxStringLength: 10_000,
	// response → matrix rows → row → a checkbox cell's list
	maxDepth: 4
};

export interface SubmitResult {
	ok: boolean;
	problems: Problem[];
	/** The response as it would be stored: invisible questions' values dropped, computed values set. */
	cleaned: Record<string, unknown>;
}
