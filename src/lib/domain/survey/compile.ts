/**
 * Compile a SurveyJS questionnaire (survey-core 2.5.38 JSON) into plain descriptors, once per
 * questionnaire version. survey-core parses the JSON (defaults, aliases such as hasOther and
 * isAllRowRequired, rating scales) and its own expression engine evaluates every condition, so the
 * fast validator cannot drift from the form's logic. Anything whose behaviour we do not reproduce
 * is refused here, loudly, instead of being validated differently from the online form.
 */
import {
	ConditionRunner,
	ConditionsParser,
	ExpressionRunner,
	FunctionFactory,
	Model,
	type Operand,
	type FunctionOperand
} from 'survey-core';
import type {
	ChoiceValue,
	ColumnDescriptor,
	CompiledExpression,
	CompiledQuestionnaire,
	ContainerDescriptor,
	KeyRole,
	LocalizedText,
	MatrixRules,
	MultipleTextItem,
	QuestionDescriptor,
	QuestionType,
	TextRules,
	TotalType,
	ValidatorDescriptor
} from './types';

export class QuestionnaireCompileError extends Error {
	/** The refusal for an administrator, in both UI languages, when one was written for it. */
	readonly text: LocalizedText | null;
	constructor(message: string, text: LocalizedText | null = null) {
		super(message);
		this.name = 'QuestionnaireCompileError';
		this.text = text;
	}
}

/** Question types survey-core has and the server does not validate yet: what to use instead. */
const TYPE_INSTEAD: Record<string, LocalizedText> = {
	ranking: { vi: 'các câu hỏi "dropdown" cho từng vị trí', en: 'one "dropdown" per rank' },
	imagepicker: { vi: 'câu hỏi "radiogroup" hoặc "checkbox"', en: 'a "radiogroup" or "checkbox" question' },
	file: {
		vi: 'gửi tệp qua kênh khác; bảng hỏi không nhận tệp đính kèm',
		en: 'another channel for files; questionnaires do not take attachments'
	},
	signaturepad: { vi: 'câu hỏi "boolean" xác nhận', en: 'a confirming "boolean" question' },
	slider: { vi: 'ô "text" kiểu number có min và max', en: 'a "text" input of type number with min and max' }
};

export const COMMENT_SUFFIX = '-Comment';
/** survey-core stores a matrix's total row under `<name>-total` (settings.matrix.totalsSuffix). */
export const TOTAL_SUFFIX = '-total';

const SUPPORTED_TYPES = new Set<QuestionType>([
	'text',
	'comment',
	'radiogroup',
	'dropdown',
	'checkbox',
	'tagbox',
	'rating',
	'boolean',
	'matrix',
	'multipletext',
	'matrixdynamic',
	'matrixdropdown',
	'paneldynamic',
	'expression',
	'html'
]);

/** Properties that change what is valid in ways the compiled validator does not reproduce. */
const UNSUPPORTED_PROPS = [
	'choicesVisibleIf',
	'choicesEnableIf',
	'rowsVisibleIf',
	'columnsVisibleIf',
	'hideIfChoicesEmpty',
	'hideIfRowsEmpty',
	'minSelectedChoices',
	'maxSelectedChoices',
	'eachRowUnique',
	'valueName',
	'minValueExpression',
	'maxValueExpression',
	'maskType',
	'choicesByUrl',
	'storeOthersAsComment',
	'showRefuseItem',
	'showDontKnowItem',
	'showSelectAllItem',
	'setValueIf',
	'setValueExpression',
	'resetValueIf',
	'allowSpaceAsAnswer',
	'isUnique',
	'requiredErrorText@panel',
	'isRequired@panel',
	'requiredIf@panel'
];

const SURVEY_UNSUPPORTED = ['triggers', 'storeOthersAsComment', 'keepIncorrectValues', 'textUpdateMode'];

const SURVEY_INSTEAD: Record<string, LocalizedText> = {
	triggers: {
		vi: 'câu hỏi "expression" để tính giá trị và visibleIf/requiredIf cho điều kiện',
		en: '"expression" questions for computed values and visibleIf/requiredIf for conditions'
	}
};

/**
 * Triggers act when an answer changes, in the order the respondent typed: the server sees only the
 * final answers and cannot replay that. What gives the same result from the answers alone:
 */
const TRIGGER_INSTEAD: Record<string, LocalizedText> = {
	complete: {
		vi: 'visibleIf trên các trang sau (trigger "complete" kết thúc bảng hỏi giữa chừng)',
		en: 'visibleIf on the later pages (a "complete" trigger ends the questionnaire early)'
	},
	setvalue: {
		vi: 'một calculatedValues hoặc câu hỏi "expression" (máy chủ tính lại từ các câu trả lời)',
		en: 'a calculatedValues entry or an "expression" question (recomputed on the server from the answers)'
	}
};

/** Built-in functions that only read the values they are given (no survey object needed). */
const PURE_FUNCTIONS = new Set([
	'sum',
	'min',
	'max',
	'count',
	'avg',
	'round',
	'trunc',
	'iif',
	'getDate',
	'age',
	'dateDiff',
	'dateAdd',
	'currentDate',
	'today',
	'getYear',
	'currentYear',
	'diffDays',
	'year',
	'month',
	'day',
	'weekday',
	'substring'
]);

const PURE_LIST = [...PURE_FUNCTIONS].map((f) => `${f}()`).join(', ');

/**
 * The element a refusal is about, in Vietnamese: `where` is written in English by the compiler
 * (`question "x" visibleIf`, `page "p" enableIf`, `question "m" column "c" validator`).
 */
function whereVi(where: string): string {
	return where
		.replace(/^question /, 'Câu hỏi ')
		.replace(/^page /, 'Trang ')
		.replace(/^panel /, 'Nhóm ')
		.replace(/^survey/, 'Bảng hỏi')
		.replace(/ column /g, ', cột ')
		.replace(/ item /g, ', mục ')
		.replace(/ validator$/, ' (bộ kiểm tra)')
		.replace(/ expression$/, ' (biểu thức)');
}

/** A compile refusal with its text for the administrator in both UI languages. */
function refusal(where: string, en: string, vi: string): QuestionnaireCompileError {
	const first = (x: string) => x.charAt(0).toUpperCase() + x.slice(1);
	return new QuestionnaireCompileError(`${where}: ${en}`, {
		vi: `${whereVi(where)}: ${vi}.`,
		en: `${first(where)}: ${en}.`
	});
}

type JsonValue = unknown;
interface ItemLike {
	value: ChoiceValue;
	toJSON(): Record<string, JsonValue>;
}
interface LocLike {
	getJson(): unknown;
}
interface ValidatorLike {
	getType(): string;
	locText: LocLike;
	minValue?: number | string | null;
	maxValue?: number | string | null;
	minLength?: number;
	maxLength?: number;
	allowDigits?: boolean;
	regex?: string;
	caseInsensitive?: boolean;
	expression?: string;
}
interface ElementLike {
	name: string;
	isPanel: boolean;
	getType(): string;
	toJSON(): Record<string, JsonValue>;
	getPropertyValue(name: string): unknown;
	elements?: ElementLike[];
	// questions
	choices?: ItemLike[];
	rows?: ItemLike[];
	columns?: ItemLike[];
	items?: Array<{
		name: string;
		isRequired: boolean;
		inputType: string;
		maxLength: number;
		validators: ValidatorLike[];
		locRequiredErrorText: LocLike;
	}>;
	otherItem?: ItemLike & { locText: LocLike };
	noneItem?: ItemLike;
	visibleRateValues?: ItemLike[];
	validators?: ValidatorLike[];
	locRequiredErrorText?: LocLike;
	getValueTrue?(): ChoiceValue;
	getValueFalse?(): ChoiceValue;
	// matrixdynamic / matrixdropdown
	cellType?: string;
	rowCount?: number;
	minRowCount?: number;
	maxRowCount?: number;
}

interface ColumnLike {
	name: string;
	cellType: string;
	totalType: string;
	isRequired: boolean;
	toJSON(): Record<string, JsonValue>;
	templateQuestion: ElementLike & { inputType?: string; maxLength?: number };
}

export function localized(json: unknown): LocalizedText | null {
	if (typeof json === 'string') return json ? { vi: json, en: json } : null;
	if (json && typeof json === 'object') {
		const o = json as Record<string, unknown>;
		const str = (k: string) => (typeof o[k] === 'string' && o[k] ? (o[k] as string) : undefined);
		const def = str('default') ?? str('en') ?? str('vi');
		if (!def) return null;
		return { vi: str('vi') ?? def, en: str('en') ?? str('default') ?? def };
	}
	return null;
}

function num(v: unknown): number | null {
	if (v === null || v === undefined || v === '') return null;
	const n = typeof v === 'number' ? v : Number(v);
	return Number.isFinite(n) ? n : null;
}

/** Variable path roots, as survey-core's value getter resolves them (case-insensitive prefixes). */
function variablePrefixes(variable: string): string[] {
	const parts = variable.split('.').map((p) => p.replace(/\[[^\]]*\]$/, ''));
	const out: string[] = [];
	for (let i = 1; i <= parts.length; i++) out.push(parts.slice(0, i).join('.').toLowerCase());
	return out;
}

/** How compiled expressions are evaluated: see ExpressionCompiler.compile. */
export interface CompileOptions {
	/**
	 * 'direct' (default) evaluates survey-core's parsed expression with a value lookup resolved at
	 * compile time; 'survey-core' runs every expression through survey-core's ConditionRunner and
	 * ExpressionRunner, the reference the tests compare 'direct' against.
	 */
	evaluator?: 'direct' | 'survey-core';
}

/** The part of survey-core's Variable.valueInfo that ProcessValue.getValueInfo fills. */
interface ValueInfo {
	name: string;
	value?: unknown;
	hasValue?: boolean;
	strictCompare?: boolean;
}

const NO_VALUES: Record<string, unknown> = {};

/**
 * Stands in for survey-core's ProcessValue over VariableGetterContextEx(pick(values, deps)), for
 * expressions whose variables are plain names. survey-core finds such a name in the picked object
 * by a case-insensitive scan of its keys (first characters compared first, then the lower-cased
 * names); since no two keys of a questionnaire differ only in case, the scan can only ever match
 * the key resolved here once, and finds it exactly when the response holds a value other than
 * undefined under it. Not found: value undefined, hasValue false; strictCompare is never set by
 * a plain values object.
 */
class DirectValues {
	values: Record<string, unknown> = NO_VALUES;
	// What ExpressionExecutorRunner gives its ProcessValue when run by runValues(values).
	readonly properties = null;
	readonly asyncValues: Record<number, unknown> = {};
	constructor(private readonly keyOf: Map<string, string | null>) {}

	getValueInfo(info: ValueInfo): void {
		const key = this.keyOf.get(info.name);
		const v = key == null ? undefined : this.values[key];
		info.value = v;
		info.hasValue = v !== undefined;
		info.strictCompare = undefined;
	}
}

/** The key survey-core's VariableGetterContext.getValueByItemCore would match for a plain name. */
function plainNameKey(name: string, keysLower: Map<string, string>): string | null {
	if (!name) return null;
	const lower = name.toLowerCase();
	const key = keysLower.get(lower);
	if (key === undefined) return null;
	const first = key[0];
	return first === lower[0] || first === name[0].toLocaleUpperCase() ? key : null;
}

class ExpressionCompiler {
	private readonly parser = new ConditionsParser();
	constructor(
		private readonly keysLower: Map<string, string>,
		private readonly evaluator: 'direct' | 'survey-core'
	) {}

	compile(source: string, kind: 'condition' | 'value', where: string): CompiledExpression {
		const operand = this.parser.parseExpression(source) as Operand | null;
		if (!operand) {
			throw refusal(where, `cannot parse the expression "${source}"`, `không đọc được biểu thức "${source}"`);
		}
		const list: Operand[] = [];
		operand.addOperandsToList(list);
		const deps = new Set<string>();
		const keyOf = new Map<string, string | null>();
		let plain = true;
		for (const op of list) {
			const type = op.getType();
			if (type === 'function') {
				const fn = (op as FunctionOperand).functionName;
				if (!PURE_FUNCTIONS.has(fn)) {
					throw refusal(
						where,
						`the function ${fn}() in "${source}" is not supported by the server-side validator; use ${PURE_LIST}`,
						`hàm ${fn}() trong "${source}" không được máy chủ hỗ trợ khi kiểm tra câu trả lời; hãy dùng ${PURE_LIST}`
					);
				}
				// An async function makes survey-core's runner take another path: keep it.
				if (FunctionFactory.Instance.isAsyncFunction(fn)) plain = false;
			} else if (type === 'variable') {
				const variable = (op as unknown as { variable: string }).variable;
				if (variable.startsWith('$') || variable.includes('-unwrapped')) {
					throw refusal(
						where,
						`{${variable}} in "${source}" reads the survey object, which the server-side validator does not do`,
						`{${variable}} trong "${source}" đọc thông tin của cả biểu mẫu, điều máy chủ không làm khi kiểm tra câu trả lời`
					);
				}
				let found = false;
				for (const prefix of variablePrefixes(variable)) {
					const key = this.keysLower.get(prefix);
					if (key !== undefined) {
						deps.add(key);
						found = true;
					}
				}
				if (!found) {
					throw refusal(
						where,
						`{${variable}} in "${source}" is not a question of this questionnaire`,
						`{${variable}} trong "${source}" không phải là câu hỏi của bảng hỏi này`
					);
				}
				// Paths ({q.length}, {q[0]}, {q.item}) keep survey-core's own resolver.
				if (/[.[\]]/.test(variable)) plain = false;
				else keyOf.set(variable, plainNameKey(variable, this.keysLower));
			}
		}
		const depList = [...deps];
		if (plain && this.evaluator === 'direct') {
			// survey-core's operators, functions and value conversions, on survey-core's own parse of
			// the same text (ExpressionExecutor parses it the same way); only the lookup is ours.
			const direct = new DirectValues(keyOf);
			const evaluate = (values: Record<string, unknown>): unknown => {
				direct.values = values;
				try {
					return operand.evaluate(direct as unknown as Parameters<Operand['evaluate']>[0]);
				} finally {
					direct.values = NO_VALUES;
				}
			};
			return kind === 'condition'
				? { source, deps: depList, run: (values) => evaluate(values) == true }
				: { source, deps: depList, run: evaluate };
		}
		// survey-core's variable lookup scans every key of the values it is given, so it only gets
		// the few keys this expression reads: same result, and the cost no longer grows with the form.
		if (kind === 'condition') {
			const runner = new ConditionRunner(source);
			return {
				source,
				deps: depList,
				run: (values) => runner.runValues(pick(values, depList))
			};
		}
		const runner = new ExpressionRunner(source);
		return { source, deps: depList, run: (values) => runner.runValues(pick(values, depList)) };
	}
}

function pick(values: Record<string, unknown>, keys: string[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (let i = 0; i < keys.length; i++) {
		const k = keys[i];
		const v = values[k];
		if (v !== undefined) out[k] = v;
	}
	return out;
}

function checkUnsupported(json: Record<string, unknown>, isPanel: boolean, where: string): void {
	for (const entry of UNSUPPORTED_PROPS) {
		const [prop, scope] = entry.split('@');
		if (scope === 'panel' && !isPanel) continue;
		if (json[prop] !== undefined) {
			throw new QuestionnaireCompileError(
				`${where}: "${prop}" is not supported by the server-side validator`
			);
		}
	}
	for (const list of ['choices', 'rows', 'columns'] as const) {
		const items = json[list];
		if (!Array.isArray(items)) continue;
		for (const it of items) {
			if (it && typeof it === 'object') {
				for (const p of ['visibleIf', 'enableIf', 'showCommentArea']) {
					if ((it as Record<string, unknown>)[p] !== undefined) {
						throw new QuestionnaireCompileError(
							`${where}: "${p}" on a ${list} item is not supported by the server-side validator`
						);
					}
				}
			}
		}
	}
}

function compileValidators(
	validators: ValidatorLike[] | undefined,
	exprs: ExpressionCompiler,
	where: string
): ValidatorDescriptor[] {
	const out: ValidatorDescriptor[] = [];
	for (const v of validators ?? []) {
		const text = localized(v.locText.getJson());
		switch (v.getType()) {
			case 'numericvalidator':
				out.push({ type: 'numeric', text, minValue: num(v.minValue), maxValue: num(v.maxValue) });
				break;
			case 'textvalidator':
				out.push({
					type: 'text',
					text,
					minLength: v.minLength ?? 0,
					maxLength: v.maxLength ?? 0,
					allowDigits: v.allowDigits !== false
				});
				break;
			case 'regexvalidator':
				if (!v.regex) break;
				try {
					out.push({ type: 'regex', text, regex: new RegExp(v.regex, v.caseInsensitive ? 'i' : '') });
				} catch (e) {
					throw new QuestionnaireCompileError(
						`${where}: invalid regex "${v.regex}": ${(e as Error).message}`
					);
				}
				break;
			case 'emailvalidator':
				out.push({ type: 'email', text });
				break;
			case 'expressionvalidator':
				// survey-core treats a validator without expression as passing.
				if (!v.expression) break;
				out.push({
					type: 'expression',
					text,
					expression: exprs.compile(v.expression, 'condition', `${where} validator`)
				});
				break;
			default:
				throw new QuestionnaireCompileError(`${where}: validator type "${v.getType()}" is not supported`);
		}
	}
	return out;
}

const TEXT_INPUT_TYPES = new Set([
	'text',
	'number',
	'email',
	'tel',
	'url',
	'date',
	'month',
	'datetime-local'
]);
/** Input types survey-core has but the server does not validate yet, with what to use instead. */
const TEXT_INPUT_INSTEAD: Record<string, string> = {
	time: 'a "text" input with a regex validator (HH:MM)',
	week: 'a "date" input',
	range: 'a "number" input with min and max',
	color: 'a dropdown of colours',
	password: 'a "text" input'
};

function textRules(
	inputType: string,
	maxLength: number,
	minRaw: unknown,
	maxRaw: unknown,
	stepRaw: unknown,
	requiredText: LocalizedText | null,
	validators: ValidatorDescriptor[],
	defaultMaxLength: number,
	where: string
): TextRules {
	if (!TEXT_INPUT_TYPES.has(inputType)) {
		const instead = TEXT_INPUT_INSTEAD[inputType];
		throw new QuestionnaireCompileError(
			`${where}: inputType "${inputType}" is not supported${instead ? `; use ${instead}` : ''}`
		);
	}
	const isNumber = inputType === 'number';
	// survey-core compares min/max whatever the input type; we only reproduce it for numbers.
	if (!isNumber && (num(minRaw) !== null || num(maxRaw) !== null || num(stepRaw) !== null)) {
		throw new QuestionnaireCompileError(
			`${where}: min/max/step are only supported on number inputs (for a date range use an expression validator)`
		);
	}
	return {
		inputType: inputType as TextRules['inputType'],
		maxLength: maxLength > 0 ? maxLength : defaultMaxLength > 0 ? defaultMaxLength : null,
		min: isNumber ? num(minRaw) : null,
		max: isNumber ? num(maxRaw) : null,
		step: isNumber ? num(stepRaw) : null,
		requiredText,
		validators
	};
}

const CELL_TYPES = new Set<ColumnDescriptor['cellType']>([
	'text',
	'comment',
	'dropdown',
	'radiogroup',
	'checkbox',
	'boolean'
]);
const TOTAL_TYPES = new Set<TotalType>(['sum', 'count', 'min', 'max', 'avg']);
/** Column properties whose behaviour (per-row conditions, defaults filled into new rows) is not reproduced. */
const COLUMN_UNSUPPORTED = [
	'visibleIf',
	'enableIf',
	'requiredIf',
	'totalExpression',
	'defaultValue',
	'defaultValueExpression',
	'showOtherItem',
	'hasOther',
	'showCommentArea',
	'choicesByUrl',
	'choicesFromQuestion',
	'allowCustomChoices',
	'valuePropertyName',
	'isUnique',
	'choicesVisibleIf',
	'choicesEnableIf',
	'setValueIf',
	'setValueExpression',
	'resetValueIf'
];
/** Matrix properties that add rows, values or checks the compiled validator does not reproduce. */
const MATRIX_UNSUPPORTED = [
	'defaultValue',
	'defaultPanelValue',
	'templateVisibleIf',
	'panelsVisibleIf',
	'defaultValueExpression',
	'defaultRowValue',
	'copyDefaultValueFromLastEntry',
	'detailPanelMode',
	'detailElements',
	'keyName',
	'choicesByUrl',
	'rowsVisibleIf',
	'columnsVisibleIf'
];

function refuseMatrix(question: string, part: LocalizedText | null, en: string, vi: string): never {
	throw new QuestionnaireCompileError(`question "${question}"${part ? ` ${part.en}` : ''}: ${en}`, {
		vi: `Câu hỏi "${question}"${part ? `, ${part.vi}` : ''}: ${vi}.`,
		en: `Question "${question}"${part ? `, ${part.en}` : ''}: ${en}.`
	});
}

/** The columns (cell editors) of a matrixdynamic or matrixdropdown, as survey-core builds them. */
function compileMatrix(
	el: ElementLike,
	j: Record<string, JsonValue>,
	exprs: ExpressionCompiler,
	maxTextLength: number,
	where: string
): MatrixRules {
	for (const p of MATRIX_UNSUPPORTED) {
		if (j[p] !== undefined)
			refuseMatrix(
				el.name,
				null,
				`"${p}" on a matrix is not supported by the server-side validator`,
				`"${p}" trên bảng chưa được hỗ trợ`
			);
	}
	if ((el.validators ?? []).length) {
		refuseMatrix(
			el.name,
			null,
			'validators on a whole matrix are not supported; put them on its columns',
			'chưa hỗ trợ bộ kiểm tra trên cả bảng; hãy đặt chúng trên từng cột'
		);
	}
	const panels = el.getType() === 'paneldynamic';
	const matrixChoices = panels ? [] : (el.choices ?? []).map((c) => c.value);
	const columns: ColumnDescriptor[] = [];
	const seen = new Set<string>();
	// A paneldynamic's template questions play the part of columns: each panel is a row.
	const source: ColumnLike[] = panels
		? ((el as unknown as { template: { elements: ElementLike[] } }).template.elements ?? []).map((e) => ({
				name: e.name,
				cellType: e.getType(),
				totalType: 'none',
				isRequired: e.getPropertyValue('isRequired') === true,
				toJSON: () => e.toJSON(),
				templateQuestion: e
			}))
		: ((el as unknown as { columns: ColumnLike[] }).columns ?? []);
	const partOf = (n: string): LocalizedText =>
		panels
			? { vi: `câu hỏi "${n}" trong mỗi nhóm`, en: `question "${n}" in each panel` }
			: { vi: `cột "${n}"`, en: `column "${n}"` };
	for (const col of source) {
		const cw = `${where} column "${col.name}"`;
		if (!col.name || /[.$]/.test(col.name) || ['__proto__', 'constructor', 'prototype'].includes(col.name)) {
			throw new QuestionnaireCompileError(`${cw}: column names must not be empty or contain "." or "$"`);
		}
		if (seen.has(col.name)) throw new QuestionnaireCompileError(`${cw}: the column name is used twice`);
		seen.add(col.name);
		const cj = col.toJSON();
		for (const p of COLUMN_UNSUPPORTED) {
			if (cj[p] !== undefined)
				refuseMatrix(
					el.name,
					partOf(col.name),
					`"${p}" on a matrix column is not supported by the server-side validator`,
					`"${p}" trên cột của bảng chưa được hỗ trợ`
				);
		}
		const cellType = (col.cellType === 'default' ? (el.cellType ?? 'dropdown') : col.cellType) as string;
		if (!CELL_TYPES.has(cellType as ColumnDescriptor['cellType'])) {
			refuseMatrix(
				el.name,
				partOf(col.name),
				`cell type "${cellType}" is not supported; use text, comment, dropdown, radiogroup, checkbox or boolean`,
				`loại ô "${cellType}" chưa được hỗ trợ; hãy dùng text, comment, dropdown, radiogroup, checkbox hoặc boolean`
			);
		}
		const t = col.templateQuestion;
		if ((t.validators ?? []).some((v) => v.getType() === 'expressionvalidator')) {
			refuseMatrix(
				el.name,
				partOf(col.name),
				'expression validators on a matrix column are not supported; use numeric, text or regex validators',
				'chưa hỗ trợ bộ kiểm tra biểu thức trên cột của bảng; hãy dùng bộ kiểm tra số, độ dài hoặc mẫu (regex)'
			);
		}
		const validators = compileValidators(t.validators, exprs, cw);
		const requiredText = t.locRequiredErrorText ? localized(t.locRequiredErrorText.getJson()) : null;
		const totalType = col.totalType && col.totalType !== 'none' ? (col.totalType as TotalType) : null;
		if (totalType && (cellType !== 'text' || t.inputType !== 'number')) {
			refuseMatrix(
				el.name,
				partOf(col.name),
				'totalType is only supported on number cells (cellType "text", inputType "number")',
				'totalType chỉ được hỗ trợ trên ô số (cellType "text", inputType "number")'
			);
		}
		if (totalType && !TOTAL_TYPES.has(totalType)) {
			refuseMatrix(
				el.name,
				partOf(col.name),
				`totalType "${totalType}" is not supported; use sum, count, min, max or avg`,
				`totalType "${totalType}" chưa được hỗ trợ; hãy dùng sum, count, min, max hoặc avg`
			);
		}
		const d: ColumnDescriptor = {
			name: col.name,
			cellType: cellType as ColumnDescriptor['cellType'],
			isRequired: col.isRequired === true,
			requiredText,
			text: null,
			choices: null,
			choiceSet: null,
			noneValue: null,
			validators,
			totalType
		};
		if (cellType === 'text' || cellType === 'comment') {
			d.text = textRules(
				cellType === 'text' ? String(t.inputType || 'text') : 'text',
				num(t.maxLength) ?? -1,
				cellType === 'text' ? t.getPropertyValue('min') : null,
				cellType === 'text' ? t.getPropertyValue('max') : null,
				cellType === 'text' ? t.getPropertyValue('step') : null,
				requiredText,
				validators,
				maxTextLength,
				cw
			);
		} else if (cellType === 'boolean') {
			d.choices = [t.getValueTrue ? t.getValueTrue() : true, t.getValueFalse ? t.getValueFalse() : false];
			d.choiceSet = new Set(d.choices);
		} else {
			const own = (t.choices ?? []).map((c) => c.value);
			// A column without choices of its own offers the matrix's.
			d.choices = own.length ? own : matrixChoices;
			const all: ChoiceValue[] = [...d.choices];
			if (cellType === 'checkbox' && cj.showNoneItem === true && t.noneItem) {
				d.noneValue = t.noneItem.value;
				all.push(d.noneValue);
			}
			d.choiceSet = new Set(all);
		}
		columns.push(d);
	}
	if (!columns.length) throw new QuestionnaireCompileError(`${where}: a matrix needs at least one column`);
	const hasTotals = columns.some((c) => c.totalType !== null);
	if (panels) {
		// survey-core shows max(panelCount, minPanelCount) panels for an unanswered or emptied list.
		const min = num(el.getPropertyValue('minPanelCount')) ?? 0;
		return {
			columns,
			rowCount: Math.max(num(el.getPropertyValue('panelCount')) ?? 0, min),
			minRowCount: min,
			maxRowCount: num(el.getPropertyValue('maxPanelCount')) ?? 100,
			totalKey: null
		};
	}
	return {
		columns,
		rowCount: num(el.rowCount) ?? 0,
		minRowCount: num(el.minRowCount) ?? 0,
		maxRowCount: num(el.maxRowCount) ?? 1000,
		totalKey: hasTotals ? el.name + TOTAL_SUFFIX : null
	};
}

/**
 * Walk the pages and panels once and describe every question.
 * Throws QuestionnaireCompileError naming the element and the feature it cannot honour.
 */
export function compileQuestionnaire(json: unknown, options: CompileOptions = {}): CompiledQuestionnaire {
	if (!json || typeof json !== 'object' || Array.isArray(json)) {
		throw new QuestionnaireCompileError('the questionnaire must be a SurveyJS JSON object');
	}
	const raw = json as Record<string, unknown>;
	if (Array.isArray(raw.triggers)) {
		for (const [i, tr] of (raw.triggers as unknown[]).entries()) {
			const type = String((tr as Record<string, unknown> | null)?.type ?? '');
			const instead = TRIGGER_INSTEAD[type] ?? TRIGGER_INSTEAD.setvalue;
			throw new QuestionnaireCompileError(
				`survey: trigger ${i + 1} ("${type}") is not supported by the server-side validator; use ${instead.en}`,
				{
					vi: `Bảng hỏi: trigger thứ ${i + 1} ("${type}") chưa được hỗ trợ; hãy dùng ${instead.vi}.`,
					en: `Questionnaire: trigger ${i + 1} ("${type}") is not supported; use ${instead.en}.`
				}
			);
		}
	}
	for (const p of SURVEY_UNSUPPORTED) {
		if (raw[p] !== undefined && !(Array.isArray(raw[p]) && (raw[p] as unknown[]).length === 0)) {
			const instead = SURVEY_INSTEAD[p];
			throw new QuestionnaireCompileError(
				`survey: "${p}" is not supported by the server-side validator${instead ? `; use ${instead.en}` : ''}`,
				instead
					? {
							vi: `Bảng hỏi: "${p}" chưa được hỗ trợ; hãy dùng ${instead.vi}.`,
							en: `Questionnaire: "${p}" is not supported; use ${instead.en}.`
						}
					: null
			);
		}
	}
	if (raw.clearInvisibleValues !== undefined && raw.clearInvisibleValues !== 'onComplete') {
		throw new QuestionnaireCompileError(
			`survey: clearInvisibleValues "${String(raw.clearInvisibleValues)}" is not supported (only "onComplete")`
		);
	}
	const model = new Model(json);
	const maxTextLength = num(model.maxTextLength) ?? 0;
	const maxCommentLength = num(model.maxCommentLength) ?? 0;

	// First pass: names, so expressions can be checked against the keys a response can hold.
	const pages = model.pages as unknown as ElementLike[];
	const allQuestions: Array<{ el: ElementLike; container: number }> = [];
	const containers: ContainerDescriptor[] = [];
	const containerEls: ElementLike[] = [];
	const walk = (el: ElementLike, parent: number, kind: 'page' | 'panel') => {
		const idx = containers.length;
		containers.push({
			name: el.name,
			kind,
			parent,
			visible: el.getPropertyValue('visible') !== false,
			visibleIf: null,
			readOnly: el.getPropertyValue('readOnly') === true,
			enableIf: null
		});
		containerEls.push(el);
		for (const child of el.elements ?? []) {
			if (child.isPanel) walk(child, idx, 'panel');
			else allQuestions.push({ el: child, container: idx });
		}
	};
	for (const page of pages) walk(page, -1, 'page');

	const names = new Map<string, string>();
	const keysLower = new Map<string, string>();
	const addKey = (key: string, where: string) => {
		const lower = key.toLowerCase();
		if (keysLower.has(lower)) {
			throw new QuestionnaireCompileError(
				`${where}: the name "${key}" is used twice (names are case-insensitive)`
			);
		}
		keysLower.set(lower, key);
	};
	for (const { el } of allQuestions) {
		const where = `question "${el.name}"`;
		if (!el.name || /[.$]/.test(el.name) || ['__proto__', 'constructor', 'prototype'].includes(el.name)) {
			throw new QuestionnaireCompileError(`${where}: question names must not be empty or contain "." or "$"`);
		}
		const type = el.getType() as QuestionType;
		if (!SUPPORTED_TYPES.has(type)) {
			const instead = TYPE_INSTEAD[type];
			throw new QuestionnaireCompileError(
				`${where}: question type "${type}" is not supported${instead ? `; use ${instead.en}` : ''}`,
				{
					vi: `Câu hỏi "${el.name}": loại "${type}" chưa được hỗ trợ${instead ? `; hãy dùng ${instead.vi}` : ''}.`,
					en: `Question "${el.name}": type "${type}" is not supported${instead ? `; use ${instead.en}` : ''}.`
				}
			);
		}
		if (type === 'html') continue;
		names.set(el.name, type);
		addKey(el.name, where);
		const j = el.toJSON();
		if (j.showOtherItem === true || j.showCommentArea === true) {
			if (j.showOtherItem === true && j.showCommentArea === true) {
				throw new QuestionnaireCompileError(
					`${where}: showOtherItem together with showCommentArea is not supported`
				);
			}
			addKey(el.name + COMMENT_SUFFIX, where);
		}
	}
	// A matrix's total row is stored beside it: no question may take that key. Expressions cannot
	// read it (it is not a question), which keeps them from depending on a value the server derives.
	for (const { el } of allQuestions) {
		const type = el.getType();
		if (
			(type === 'matrixdynamic' || type === 'matrixdropdown') &&
			keysLower.has((el.name + TOTAL_SUFFIX).toLowerCase())
		) {
			throw new QuestionnaireCompileError(
				`question "${el.name}": the name "${el.name + TOTAL_SUFFIX}" is taken by another question; a matrix stores its totals there`
			);
		}
	}
	// Calculated values: survey-level named expressions, kept in the answers when includeIntoResult.
	const calculated: Array<{ name: string; expression: string; include: boolean }> = [];
	if (Array.isArray(raw.calculatedValues)) {
		for (const cv of raw.calculatedValues as unknown[]) {
			const o = (cv && typeof cv === 'object' ? cv : {}) as Record<string, unknown>;
			const name = typeof o.name === 'string' ? o.name : '';
			const where = `calculated value "${name}"`;
			if (!name || /[.$]/.test(name) || ['__proto__', 'constructor', 'prototype'].includes(name)) {
				throw new QuestionnaireCompileError(`${where}: names must not be empty or contain "." or "$"`);
			}
			addKey(name, where);
			calculated.push({
				name,
				expression: typeof o.expression === 'string' ? o.expression : '',
				include: o.includeIntoResult === true
			});
		}
	}
	const exprs = new ExpressionCompiler(keysLower, options.evaluator ?? 'direct');
	const cond = (el: ElementLike, prop: 'visibleIf' | 'enableIf' | 'requiredIf', where: string) => {
		const s = el.getPropertyValue(prop);
		return typeof s === 'string' && s.trim() ? exprs.compile(s, 'condition', `${where} ${prop}`) : null;
	};

	containers.forEach((c, i) => {
		const el = containerEls[i];
		const where = `${c.kind} "${c.name}"`;
		checkUnsupported(el.toJSON(), true, where);
		c.visibleIf = cond(el, 'visibleIf', where);
		c.enableIf = cond(el, 'enableIf', where);
	});

	const questions: QuestionDescriptor[] = [];
	const byName = new Map<string, QuestionDescriptor>();
	const keys = new Map<string, KeyRole>();
	for (const { el, container } of allQuestions) {
		const type = el.getType() as QuestionType;
		const where = `question "${el.name}"`;
		const j = el.toJSON();
		checkUnsupported(j, false, where);
		const validators = compileValidators(el.validators, exprs, where);
		const requiredText = el.locRequiredErrorText ? localized(el.locRequiredErrorText.getJson()) : null;
		const d: QuestionDescriptor = {
			...blankDescriptor(),
			name: el.name,
			type,
			container,
			visible: el.getPropertyValue('visible') !== false,
			visibleIf: cond(el, 'visibleIf', where),
			readOnly: el.getPropertyValue('readOnly') === true,
			enableIf: cond(el, 'enableIf', where),
			isRequired: el.getPropertyValue('isRequired') === true,
			requiredIf: cond(el, 'requiredIf', where),
			requiredText,
			validators
		};
		switch (type) {
			case 'text':
				d.text = textRules(
					String(el.getPropertyValue('inputType') ?? 'text'),
					num(el.getPropertyValue('maxLength')) ?? -1,
					el.getPropertyValue('min'),
					el.getPropertyValue('max'),
					el.getPropertyValue('step'),
					requiredText,
					validators,
					maxTextLength,
					where
				);
				break;
			case 'comment':
				d.text = textRules(
					'text',
					num(el.getPropertyValue('maxLength')) ?? -1,
					null,
					null,
					null,
					requiredText,
					validators,
					maxCommentLength,
					where
				);
				break;
			case 'radiogroup':
			case 'dropdown':
			case 'checkbox':
			case 'tagbox': {
				d.choices = (el.choices ?? []).map((c) => c.value);
				if (type === 'tagbox') {
					// A tagbox is survey-core's checkbox with a search box: the same answers, minus these.
					for (const p of ['valuePropertyName', 'allowCustomChoices', 'choicesLazyLoadEnabled']) {
						if (j[p] !== undefined && j[p] !== false)
							throw new QuestionnaireCompileError(`${where}: "${p}" on a tagbox is not supported`, {
								vi: `Câu hỏi "${el.name}": "${p}" trên tagbox chưa được hỗ trợ; hãy dùng câu hỏi "checkbox".`,
								en: `Question "${el.name}": "${p}" on a tagbox is not supported; use a "checkbox" question.`
							});
					}
				}
				if (type === 'dropdown') {
					// survey-core offers choicesMin..choicesMax (by choicesStep) after the listed choices.
					const lo = num(el.getPropertyValue('choicesMin')) ?? 0;
					const hi = num(el.getPropertyValue('choicesMax')) ?? 0;
					const step = num(el.getPropertyValue('choicesStep')) ?? 1;
					if (hi > lo) {
						if (!(step > 0) || (hi - lo) / step > 10_000) {
							throw new QuestionnaireCompileError(
								`${where}: choicesMin/choicesMax/choicesStep give more than 10,000 choices`
							);
						}
						for (let x = lo; x <= hi; x += step) if (!d.choices.includes(x)) d.choices.push(x);
					}
					d.customChoices = el.getPropertyValue('allowCustomChoices') === true;
				}
				if (type === 'checkbox') {
					const prop = el.getPropertyValue('valuePropertyName');
					if (typeof prop === 'string' && prop) {
						if (
							j.showOtherItem === true ||
							j.showNoneItem === true ||
							typeof j.choicesFromQuestion === 'string'
						) {
							throw new QuestionnaireCompileError(
								`${where}: valuePropertyName together with showOtherItem, showNoneItem or choicesFromQuestion is not supported`
							);
						}
						if (/[.$]/.test(prop) || ['__proto__', 'constructor', 'prototype'].includes(prop)) {
							throw new QuestionnaireCompileError(`${where}: valuePropertyName "${prop}" is not a safe key`);
						}
						d.valueProperty = prop;
					}
				}
				if (j.showOtherItem === true && el.otherItem) {
					d.otherValue = el.otherItem.value;
					d.otherText = localized(el.otherItem.locText.getJson());
				}
				if (j.showNoneItem === true && el.noneItem) d.noneValue = el.noneItem.value;
				const from = j.choicesFromQuestion;
				if (typeof from === 'string' && from) {
					const source = names.get(from);
					if (!source || !['radiogroup', 'dropdown', 'checkbox', 'tagbox'].includes(source)) {
						throw new QuestionnaireCompileError(
							`${where}: choicesFromQuestion "${from}" is not a choice question of this questionnaire`
						);
					}
					const mode = String(j.choicesFromQuestionMode ?? 'all');
					if (mode !== 'all' && mode !== 'selected' && mode !== 'unselected') {
						throw new QuestionnaireCompileError(
							`${where}: choicesFromQuestionMode "${mode}" is not supported`
						);
					}
					d.choicesFrom = { source: from, mode };
					d.choices = null;
				} else {
					const all: ChoiceValue[] = [...d.choices];
					if (d.otherValue !== null) all.push(d.otherValue);
					if (d.noneValue !== null) all.push(d.noneValue);
					d.choiceSet = new Set(all);
				}
				break;
			}
			case 'rating':
				d.choices = (el.visibleRateValues ?? []).map((c) => c.value);
				d.choiceSet = new Set(d.choices);
				break;
			case 'boolean':
				d.choices = [
					el.getValueTrue ? el.getValueTrue() : true,
					el.getValueFalse ? el.getValueFalse() : false
				];
				d.choiceSet = new Set(d.choices);
				break;
			case 'matrix':
				d.rows = (el.rows ?? []).map((r) => String(r.value));
				d.rowSet = new Set(d.rows);
				d.choices = (el.columns ?? []).map((c) => c.value);
				d.choiceSet = new Set(d.choices);
				d.eachRowRequired = el.getPropertyValue('eachRowRequired') === true;
				break;
			case 'multipletext':
				d.items = (el.items ?? []).map((it): MultipleTextItem => {
					const iw = `${where} item "${it.name}"`;
					const ivalidators = compileValidators(it.validators, exprs, iw);
					const ireq = localized(it.locRequiredErrorText.getJson());
					return {
						name: it.name,
						isRequired: it.isRequired === true,
						...textRules(
							it.inputType || 'text',
							it.maxLength,
							null,
							null,
							null,
							ireq,
							ivalidators,
							maxTextLength,
							iw
						)
					};
				});
				break;
			case 'matrixdynamic':
				d.matrix = compileMatrix(el, j, exprs, maxTextLength, where);
				break;
			case 'paneldynamic':
				d.matrix = compileMatrix(el, j, exprs, maxTextLength, where);
				break;
			case 'matrixdropdown':
				d.rows = (el.rows ?? []).map((r) => String(r.value));
				d.rowSet = new Set(d.rows);
				d.matrix = compileMatrix(el, j, exprs, maxTextLength, where);
				break;
			case 'expression': {
				if (validators.length || d.isRequired || d.requiredIf) {
					throw new QuestionnaireCompileError(
						`${where}: expression questions are display-only; remove validators/isRequired`
					);
				}
				const src = el.getPropertyValue('expression');
				d.expression =
					typeof src === 'string' && src.trim() ? exprs.compile(src, 'value', `${where} expression`) : null;
				d.precision = num(el.getPropertyValue('precision')) ?? -1;
				break;
			}
			case 'html':
				break;
		}
		if (type !== 'html' && type !== 'expression') {
			if (j.showOtherItem === true || j.showCommentArea === true) d.commentKey = el.name + COMMENT_SUFFIX;
		}
		questions.push(d);
		if (type === 'html') continue;
		byName.set(d.name, d);
		keys.set(d.name, { kind: type === 'expression' ? 'computed' : 'answer', question: d });
		if (d.commentKey) keys.set(d.commentKey, { kind: 'comment', question: d });
		if (d.matrix?.totalKey) keys.set(d.matrix.totalKey, { kind: 'total', question: d });
	}
	for (const d of questions) {
		if (!d.choicesFrom) continue;
		const src = byName.get(d.choicesFrom.source);
		if (src?.valueProperty || src?.customChoices) {
			throw new QuestionnaireCompileError(
				`question "${d.name}": choicesFromQuestion "${src.name}" uses valuePropertyName or allowCustomChoices; carrying such choices is not supported`
			);
		}
		if (src?.choicesFrom) {
			throw new QuestionnaireCompileError(
				`question "${d.name}": choicesFromQuestion "${src.name}" itself carries its choices; chains are not supported`
			);
		}
	}
	if (calculated.length) {
		// They belong to no page: a container of their own that is always shown and editable.
		const container = containers.length;
		containers.push({
			name: '',
			kind: 'page',
			parent: -1,
			visible: true,
			visibleIf: null,
			readOnly: false,
			enableIf: null
		});
		const descriptors = calculated.map((cv): QuestionDescriptor => {
			const where = `calculated value "${cv.name}"`;
			return {
				...blankDescriptor(),
				name: cv.name,
				type: 'expression',
				container,
				expression: cv.expression.trim()
					? exprs.compile(cv.expression, 'value', `${where} expression`)
					: null,
				calculated: { includeIntoResult: cv.include }
			};
		});
		// Calculated first: survey-core computes them before the expression questions that read them.
		questions.unshift(...descriptors);
		for (const d of descriptors) {
			byName.set(d.name, d);
			keys.set(d.name, { kind: 'computed', question: d });
		}
	}
	refuseConditionCycles(questions, containers, keys);
	const conditionDeps = new Set<string>();
	for (const el of [...containers, ...questions]) {
		for (const e of [el.visibleIf, el.enableIf]) e?.deps.forEach((k) => conditionDeps.add(k));
	}
	for (const q of questions) q.expression?.deps.forEach((k) => conditionDeps.add(k));
	const exprNames = new Set(questions.filter((q) => q.type === 'expression').map((q) => q.name));
	const readsExpression = (e: CompiledExpression | null) => !!e && e.deps.some((k) => exprNames.has(k));
	const expressionChain = questions.some((q) => {
		if (q.type !== 'expression') return false;
		if (readsExpression(q.expression) || readsExpression(q.enableIf)) return true;
		for (let k = q.container; k >= 0; k = containers[k].parent) {
			if (readsExpression(containers[k].enableIf)) return true;
		}
		return false;
	});
	return {
		expressionChain,
		conditionDeps,
		questions,
		containers,
		byName,
		keys,
		expressions: questions.filter((q) => q.type === 'expression' && q.expression),
		hasDynamicChoices: questions.some((q) => q.choicesFrom !== null)
	};
}

/** A descriptor with every rule off, for elements that are not questions of a page. */
function blankDescriptor(): QuestionDescriptor {
	return {
		name: '',
		type: 'expression',
		container: 0,
		visible: true,
		visibleIf: null,
		readOnly: false,
		enableIf: null,
		isRequired: false,
		requiredIf: null,
		requiredText: null,
		text: null,
		choices: null,
		choiceSet: null,
		otherValue: null,
		noneValue: null,
		otherText: null,
		commentKey: null,
		choicesFrom: null,
		valueProperty: null,
		customChoices: false,
		rows: null,
		rowSet: null,
		eachRowRequired: false,
		items: null,
		matrix: null,
		expression: null,
		precision: -1,
		validators: [],
		calculated: null
	};
}

/**
 * A question shown, enabled or required depending (through its own conditions or its page's and
 * panels') on itself is a questionnaire error: the form flips between states as it is answered.
 * Refused with the cycle named.
 */
function refuseConditionCycles(
	questions: QuestionDescriptor[],
	containers: ContainerDescriptor[],
	keys: Map<string, KeyRole>
): void {
	const edges = new Map<string, Set<string>>();
	for (const q of questions) {
		if (q.type === 'html') continue;
		const out = new Set<string>();
		const add = (e: CompiledExpression | null) => {
			for (const k of e?.deps ?? []) out.add(keys.get(k)?.question.name ?? k);
		};
		add(q.visibleIf);
		add(q.enableIf);
		add(q.requiredIf);
		for (let k = q.container; k >= 0; k = containers[k].parent) {
			add(containers[k].visibleIf);
			add(containers[k].enableIf);
		}
		edges.set(q.name, out);
	}
	const state = new Map<string, 1 | 2>();
	const path: string[] = [];
	const visit = (n: string): string[] | null => {
		state.set(n, 1);
		path.push(n);
		for (const m of edges.get(n) ?? []) {
			if (state.get(m) === 1) return [...path.slice(path.indexOf(m)), m];
			if (!state.has(m)) {
				const found = visit(m);
				if (found) return found;
			}
		}
		path.pop();
		state.set(n, 2);
		return null;
	};
	for (const n of edges.keys()) {
		if (state.has(n)) continue;
		const cycle = visit(n);
		if (cycle) {
			const shown = cycle.map((x) => `"${x}"`).join(' → ');
			throw new QuestionnaireCompileError(`conditions form a cycle: ${shown}`, {
				vi: `Các điều kiện visibleIf/enableIf/requiredIf tạo thành vòng lặp: ${shown}; hãy bỏ một điều kiện trong vòng.`,
				en: `The visibleIf/enableIf/requiredIf conditions form a cycle: ${shown}; remove one condition of the cycle.`
			});
		}
	}
}

/** Array.prototype.includes' equality (SameValueZero). */
function sameValueZero(a: unknown, b: unknown): boolean {
	return a === b || (a !== a && b !== b);
}

/** `sourceValue` (one answer or a list) counts `v` as selected: the rule of choicesFrom selected/unselected. */
function isSelected(sourceValue: unknown, v: unknown): boolean {
	if (Array.isArray(sourceValue)) return sourceValue.includes(v);
	return sourceValue !== undefined && sameValueZero(sourceValue, v);
}

/** Choices a carried-forward question offers for the source's current value (survey-core's rules). */
export function carriedChoices(
	q: QuestionDescriptor,
	source: QuestionDescriptor,
	sourceValue: unknown
): ChoiceValue[] {
	const all = source.choices ?? [];
	const mode = q.choicesFrom?.mode ?? 'all';
	let out: ChoiceValue[];
	if (mode === 'all') out = all.slice();
	else if (mode === 'selected') {
		out = all.filter((c) => isSelected(sourceValue, c));
		// The source's "Other" item is carried when chosen; its "None" item is not.
		if (source.otherValue !== null && isSelected(sourceValue, source.otherValue)) out.push(source.otherValue);
	} else out = all.filter((c) => !isSelected(sourceValue, c));
	if (q.otherValue !== null) out.push(q.otherValue);
	if (q.noneValue !== null) out.push(q.noneValue);
	return out;
}
