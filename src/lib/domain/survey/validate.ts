/**
 * The compiled submit validator: survey-core's rules (required, requiredIf, visibleIf, enableIf,
 * validators, number min/max/step, e-mail, "other" comment, all rows of a matrix), reproduced on
 * plain descriptors and proven equal by the differential test, plus the checks survey-core skips.
 */
import { EmailValidator, Helpers } from 'survey-core';
import { carriedChoices } from './compile';
import { message, show } from './messages';
import { checkShape, checkShapeOf, isPlainObject, unwrapChoice } from './shape';
import {
	DEFAULT_LIMITS,
	type CompiledQuestionnaire,
	type LocalizedText,
	type MatrixRules,
	type Problem,
	type ProblemCode,
	type QuestionDescriptor,
	type ShapeLimits,
	type SubmitResult,
	type TextRules,
	type ValidatorDescriptor
} from './types';

type Values = Record<string, unknown>;

/**
 * Helpers.isValueEmpty, except that an object without prototype (built by code, never by JSON)
 * counts as the plain object it stands for.
 */
function isEmptyValue(v: unknown): boolean {
	if (Array.isArray(v)) return v.length === 0;
	if (isPlainObject(v)) {
		for (const k in v) if (!isEmptyValue(v[k])) return false;
		return true;
	}
	return !v && v !== 0 && v !== false;
}

/** survey-core's Question.isEmpty(): strings are trimmed first. */
function isEmptyTrim(v: unknown): boolean {
	if (typeof v === 'string') {
		// A printable ASCII first character is never trimmed: no copy needed to know.
		const first = v.charCodeAt(0);
		return first > 32 && first < 127 ? false : v.trim().length === 0;
	}
	return isEmptyValue(v);
}

/** new Set(list).size !== list.length (SameValueZero), without the Set for short lists. */
function hasDuplicate(list: unknown[]): boolean {
	if (list.length > 16) return new Set(list).size !== list.length;
	for (let i = 1; i < list.length; i++) {
		const x = list[i];
		for (let j = 0; j < i; j++) {
			const y = list[j];
			if (x === y || (x !== x && y !== y)) return true;
		}
	}
	return false;
}

// survey-core's own e-mail pattern, so both sides accept the same addresses.
const EMAIL_RE = (new EmailValidator() as unknown as { re: RegExp }).re;

function own(
	question: string,
	code: ProblemCode,
	text: LocalizedText | null,
	params?: Record<string, string | number>,
	item?: string
): Problem {
	const p: Problem = { question, code, message: text ?? message(code, params) };
	if (item !== undefined) p.item = item;
	return p;
}

/** survey-core's isStepNumberIncorrect. */
function stepIncorrect(value: unknown, stepRaw: number): boolean {
	if (!Helpers.isNumber(value)) return false;
	let val = Helpers.getNumber(value);
	let step = stepRaw;
	let pw = 1;
	while ((Math.round(step * pw) / pw !== step || Math.round(val * pw) / pw !== val) && pw < 1000000) pw *= 10;
	val = Math.round(val * pw);
	step = Math.round(step * pw);
	return step > 0 && val % step !== 0;
}

const NO_DIGITS: LocalizedText = {
	vi: 'Không được kết thúc bằng chữ số.',
	en: 'Digits are not allowed at the end.'
};

function range(min: number | null, max: number | null): string {
	return `${min ?? '…'}–${max ?? '…'}`;
}

/** ValidatorRunner: every validator runs, every failure is reported. */
function runValidators(
	name: string,
	validators: ValidatorDescriptor[],
	value: unknown,
	values: Values,
	out: Problem[],
	item?: string
): void {
	for (const v of validators) {
		switch (v.type) {
			case 'numeric': {
				if (isEmptyTrim(value)) break;
				if (!Helpers.isNumber(value)) {
					out.push(own(name, 'not-numeric', v.text, undefined, item));
					break;
				}
				const n = Helpers.getNumber(value);
				if ((v.minValue !== null && v.minValue > n) || (v.maxValue !== null && v.maxValue < n)) {
					out.push(own(name, 'validator:numeric', v.text, { range: range(v.minValue, v.maxValue) }, item));
				}
				break;
			}
			case 'text': {
				if (isEmptyTrim(value)) break;
				const len = (value as { length?: number }).length as number;
				if (!v.allowDigits && /\d+$/.test(String(value))) {
					out.push({
						question: name,
						code: 'validator:text',
						message: v.text ?? NO_DIGITS,
						...(item ? { item } : {})
					});
				} else if ((v.minLength > 0 && len < v.minLength) || (v.maxLength > 0 && len > v.maxLength)) {
					const r = range(v.minLength || null, v.maxLength || null);
					out.push(own(name, 'validator:text', v.text, { range: r }, item));
				}
				break;
			}
			case 'regex': {
				if (isEmptyTrim(value)) break;
				let ok = true;
				if (Array.isArray(value)) for (const x of value) ok = ok && v.regex.test(String(x));
				ok = ok && v.regex.test(String(value));
				if (!ok) out.push(own(name, 'validator:regex', v.text, undefined, item));
				break;
			}
			case 'email':
				if (value && !EMAIL_RE.test(String(value)))
					out.push(own(name, 'validator:email', v.text, undefined, item));
				break;
			case 'expression':
				// survey-core runs expression validators even on empty answers.
				if (v.expression.run(values) != true) {
					out.push(own(name, 'validator:expression', v.text, { expression: v.expression.source }, item));
				}
				break;
		}
	}
}

/** A text editor (text question or multiple-text item): Question.onCheckForErrors, then validators. */
function checkText(
	name: string,
	rules: TextRules,
	required: boolean,
	value: unknown,
	values: Values,
	out: Problem[],
	item?: string
): void {
	// Allocated only when something is wrong: this runs for every text answer of every row.
	let errs: Problem[] | null = null;
	const empty = isEmptyTrim(value);
	if (required && empty) (errs ??= []).push(own(name, 'required', rules.requiredText, undefined, item));
	if (!empty && rules.inputType === 'number') {
		// Same comparison as survey-core (value as posted against the numeric bound).
		if (rules.min !== null && (value as number) < rules.min) {
			(errs ??= []).push(own(name, 'min', null, { min: rules.min }, item));
		}
		if (rules.max !== null && (value as number) > rules.max) {
			(errs ??= []).push(own(name, 'max', null, { max: rules.max }, item));
		}
		if (rules.step !== null && stepIncorrect(value, rules.step)) {
			(errs ??= []).push(own(name, 'step', null, { step: rules.step }, item));
		}
	}
	if (rules.inputType === 'email' && !rules.validators.some((v) => v.type === 'email')) {
		if (value && !EMAIL_RE.test(String(value))) (errs ??= []).push(own(name, 'email', null, undefined, item));
	}
	if (errs) out.push(...errs);
	else runValidators(name, rules.validators, value, values, out, item);
}

/**
 * Visibility, read-only and required state after survey-core's condition run, as bit flags: one
 * byte per question (per container for containers' state). One small array per evaluation
 * instead of five; an import evaluates every row at least once.
 */
const VISIBLE = 1;
const READ_ONLY = 2;
const REQUIRED = 4;
type State = Uint8Array;

function containerState(c: CompiledQuestionnaire, values: Values, flags: Uint8Array): void {
	const cs = c.containers;
	for (let i = 0; i < cs.length; i++) {
		const k = cs[i];
		const ownVisible = k.visibleIf ? k.visibleIf.run(values) === true : k.visible;
		const ownRO = k.enableIf ? k.enableIf.run(values) !== true : k.readOnly;
		const parent = k.parent < 0 ? VISIBLE : flags[k.parent];
		flags[i] =
			(ownVisible && parent & VISIBLE ? VISIBLE : 0) |
			(ownRO || (k.parent >= 0 && parent & READ_ONLY) ? READ_ONLY : 0);
	}
}

function roundValue(val: unknown, precision: number): unknown {
	if (val === Infinity) return undefined;
	if (precision < 0 || !Helpers.isNumber(val)) return val;
	return parseFloat((val as number).toFixed(precision));
}

/**
 * survey-core reruns all conditions while an expression question's value changes (up to
 * settings.maxConditionRunCountOnValueChanged); we iterate the expressions to the same fixed point.
 */
export function evaluateConditions(c: CompiledQuestionnaire, values: Values): State {
	const containers = new Uint8Array(c.containers.length);
	computeExpressions(c, values, containers);
	const qs = c.questions;
	const state: State = new Uint8Array(qs.length);
	for (let i = 0; i < qs.length; i++) {
		const q = qs[i];
		const container = containers[q.container];
		if (!(container & VISIBLE)) continue;
		const v = q.visibleIf ? q.visibleIf.run(values) === true : q.visible;
		if (!v) continue;
		const readOnly = (q.enableIf ? q.enableIf.run(values) !== true : q.readOnly) || container & READ_ONLY;
		const required = q.requiredIf ? q.requiredIf.run(values) === true : q.isRequired;
		state[i] = VISIBLE | (readOnly ? READ_ONLY : 0) | (required ? REQUIRED : 0);
	}
	return state;
}

/** Expression questions' values, to survey-core's fixed point; fills the containers' state too. */
function computeExpressions(c: CompiledQuestionnaire, values: Values, containers: Uint8Array): void {
	containerState(c, values, containers);
	if (c.expressions.length) {
		for (let pass = 0; pass < 11; pass++) {
			let changed = false;
			for (const q of c.expressions) {
				const ro =
					(q.enableIf ? q.enableIf.run(values) !== true : q.readOnly) || containers[q.container] & READ_ONLY;
				if (ro) continue; // not run while read-only (runIfReadOnly is false)
				const next = roundValue((q.expression as NonNullable<typeof q.expression>).run(values), q.precision);
				if (Helpers.isTwoValueEquals(next, values[q.name], false, false)) continue;
				values[q.name] = Helpers.isValueEmpty(next) ? undefined : next;
				changed = true;
			}
			if (!changed) break;
			containerState(c, values, containers);
			// Nothing an expression reads was changed by this pass: a second one would agree.
			if (!c.expressionChain) break;
		}
	}
}

const EMPTY_ROW: Values = Object.freeze({}) as Values;

/**
 * The rows survey-core's matrix shows for a value, labelled as problems name them: a
 * matrixdropdown's fixed rows; a matrixdynamic's `rowCount` empty rows when unanswered, none
 * for `[]`, otherwise the rows posted, padded with empty ones up to `minRowCount`; a
 * paneldynamic's panels as posted, or max(panelCount, minPanelCount) empty ones.
 */
export function matrixRows(q: QuestionDescriptor, value: unknown): Array<[string, Values]> {
	const asRow = (r: unknown): Values => (isPlainObject(r) ? r : EMPTY_ROW);
	if (q.type === 'matrixdropdown') {
		const obj = isPlainObject(value) ? value : EMPTY_ROW;
		return (q.rows ?? []).map((r) => [r, asRow(obj[r])]);
	}
	const m = q.matrix as MatrixRules;
	const posted = Array.isArray(value) ? value : null;
	// A paneldynamic shows the panels posted, or its panelCount when there are none.
	const n =
		q.type === 'paneldynamic'
			? posted?.length || m.rowCount
			: posted
				? posted.length
					? Math.max(posted.length, m.minRowCount)
					: 0
				: m.rowCount;
	const out: Array<[string, Values]> = [];
	for (let i = 0; i < n; i++) out.push([String(i + 1), asRow(posted?.[i])]);
	return out;
}

function hasPanelKey(value: unknown): boolean {
	if (!Array.isArray(value)) return false;
	for (const row of value) {
		if (row === null || row === undefined) continue;
		if (typeof row === 'object' ? Object.keys(row).length > 0 : typeof row === 'string' && row.length > 0)
			return true;
	}
	return false;
}

/** Each cell editor of a row: required, then its validators (Question.hasErrors per cell). */
function checkRow(q: QuestionDescriptor, label: string, row: Values, values: Values, out: Problem[]): void {
	for (const col of (q.matrix as MatrixRules).columns) {
		const item = `${label}.${col.name}`;
		const cell = row[col.name];
		if (col.text) {
			checkText(q.name, col.text, col.isRequired, cell, values, out, item);
		} else if (col.isRequired && isEmptyTrim(cell)) {
			out.push(own(q.name, 'required', col.requiredText, undefined, item));
		} else runValidators(q.name, col.validators, cell, values, out, item);
	}
}

/** A matrix's rows without their unanswered cells (a cell editor cleared to '' or blanks is no answer). */
function withoutEmptyCells(value: unknown): unknown {
	const clean = (row: unknown) =>
		isPlainObject(row) ? Object.fromEntries(Object.entries(row).filter(([, v]) => !isEmptyTrim(v))) : row;
	if (Array.isArray(value)) return value.map(clean);
	// A fixed-row matrix drops the rows left empty (a dynamic one keeps them: they are its rows).
	if (isPlainObject(value))
		return Object.fromEntries(
			Object.entries(value)
				.map(([k, r]) => [k, clean(r)])
				.filter(([, r]) => !isEmptyValue(r))
		);
	return value;
}

/**
 * A matrix's total row, the server's own: per column with a totalType, over the number cells of
 * the stored rows (count: the answered cells). A column without numbers has no min/max/avg.
 */
export function matrixTotals(q: QuestionDescriptor, value: unknown): Values | null {
	const m = q.matrix;
	if (!m?.totalKey) return null;
	const rows: unknown[] = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : [];
	const out: Values = {};
	for (const col of m.columns) {
		if (!col.totalType) continue;
		const nums: number[] = [];
		let count = 0;
		for (const r of rows) {
			const cell = isPlainObject(r) ? r[col.name] : undefined;
			if (isEmptyValue(cell)) continue;
			count++;
			if (typeof cell === 'number' && Number.isFinite(cell)) nums.push(cell);
		}
		const sum = nums.reduce((a, b) => a + b, 0);
		if (col.totalType === 'sum') out[col.name] = sum;
		else if (col.totalType === 'count') out[col.name] = count;
		else if (nums.length) {
			out[col.name] =
				col.totalType === 'min'
					? Math.min(...nums)
					: col.totalType === 'max'
						? Math.max(...nums)
						: sum / nums.length;
		}
	}
	return out;
}

/** survey-core's checks for one visible, editable question. */
function coreChecks(q: QuestionDescriptor, required: boolean, values: Values, out: Problem[]): void {
	const name = q.name;
	const value = values[name];
	switch (q.type) {
		case 'text':
		case 'comment':
			checkText(name, q.text as TextRules, required, value, values, out);
			return;
		case 'multipletext': {
			const obj = value !== null && typeof value === 'object' ? (value as Values) : {};
			for (const it of q.items ?? []) checkText(name, it, it.isRequired, obj[it.name], values, out, it.name);
			break;
		}
		case 'matrixdynamic':
		case 'matrixdropdown':
		case 'paneldynamic': {
			const rows = matrixRows(q, value);
			for (const [label, row] of rows) checkRow(q, label, row, values, out);
			// A paneldynamic is unanswered while no posted panel has a key, even an empty one
			// (survey-core's isRowEmpty).
			if (q.type === 'paneldynamic' && required && !hasPanelKey(value)) {
				out.push(own(name, 'required', q.requiredText));
				return;
			}
			// A required matrixdynamic also needs minRowCount rows with something in them.
			const min = q.matrix?.minRowCount ?? 0;
			if (q.type === 'matrixdynamic' && required && min > 0) {
				let filled = 0;
				for (const [, row] of rows) if (!isEmptyValue(row)) filled++;
				if (filled < min) {
					if (isEmptyTrim(value)) out.push(own(name, 'required', q.requiredText));
					out.push(own(name, 'min-rows', null, { min }));
					return;
				}
			}
			break;
		}
		default:
			break;
	}
	let errs: Problem[] | null = null;
	if (required && isEmptyTrim(value)) (errs ??= []).push(own(name, 'required', q.requiredText));
	if (q.otherValue !== null && q.commentKey) {
		const chosen = Array.isArray(value) ? value.includes(q.otherValue) : value === q.otherValue;
		if (chosen && !values[q.commentKey]) (errs ??= []).push(own(name, 'other-required', null));
	}
	if (q.type === 'matrix' && q.eachRowRequired) {
		const obj = value !== null && typeof value === 'object' ? (value as Values) : {};
		if ((q.rows ?? []).some((r) => isEmptyTrim(obj[r])))
			(errs ??= []).push(own(name, 'all-rows-required', null));
	}
	if (errs) out.push(...errs);
	else runValidators(name, q.validators, value, values, out);
}

/** Rules that depend on other answers, which the autosave shape check cannot know. */
function stricterChecks(
	c: CompiledQuestionnaire,
	q: QuestionDescriptor,
	values: Values,
	out: Problem[],
	shapeFlagged: boolean
): void {
	const value = values[q.name];
	if (shapeFlagged || value === undefined || value === null || value === '') return;
	if (q.choicesFrom) {
		const src = c.byName.get(q.choicesFrom.source) as QuestionDescriptor;
		const offered: unknown[] = carriedChoices(q, src, values[src.name]);
		const answers: unknown[] = Array.isArray(value) ? value : [value];
		const bad = answers.findIndex((v) => !offered.includes(v));
		if (bad >= 0)
			out.push({
				question: q.name,
				code: 'invalid-choice',
				message: message('invalid-choice', { value: show(answers[bad]) })
			});
	}
	if ((q.type === 'checkbox' || q.type === 'tagbox') && Array.isArray(value)) {
		const prop = q.valueProperty;
		const plain = prop ? value.map((x) => unwrapChoice(x, prop)) : value;
		if (hasDuplicate(plain)) {
			const dup = plain.find((x, i) => plain.indexOf(x) !== i);
			out.push({
				question: q.name,
				code: 'duplicate-choice',
				message: message('duplicate-choice', { value: show(dup) })
			});
		}
		if (q.noneValue !== null && plain.length > 1 && plain.includes(q.noneValue)) {
			out.push({ question: q.name, code: 'none-exclusive', message: message('none-exclusive') });
		}
	}
}

/**
 * survey-core's clearInvisibleQuestionValues(): in document order, each hidden question that
 * holds a value is cleared, and every clearing reruns the conditions, so a later question can
 * become hidden (or shown) by an earlier one being cleared.
 */
function clearInvisible(c: CompiledQuestionnaire, values: Values, initial: State): Values {
	const qs = c.questions;
	let state = initial;
	for (let i = 0; i < qs.length; i++) {
		const q = qs[i];
		if (q.type === 'html' || state[i] & VISIBLE) continue;
		const hasComment = q.commentKey !== null && !isEmptyValue(values[q.commentKey]);
		if (isEmptyValue(values[q.name]) && !hasComment) continue;
		values[q.name] = undefined;
		if (q.commentKey) values[q.commentKey] = undefined;
		// Only a key some visibility condition or expression reads can change what is visible.
		const deps = c.conditionDeps;
		if (deps.has(q.name) || (q.commentKey !== null && deps.has(q.commentKey)))
			state = evaluateConditions(c, values);
	}
	const cleaned: Values = {};
	for (const s of slotsFor(c)) {
		const v = values[s.key];
		if (isEmptyValue(v)) continue;
		// The "other" text only matters while "other" is chosen (survey-core clearUnusedValues).
		if (s.otherOf !== null) {
			const chosen = values[s.otherOf.name];
			const other = s.otherOf.otherValue;
			if (!(Array.isArray(chosen) ? chosen.includes(other) : chosen === other)) continue;
		}
		cleaned[s.key] = v;
	}
	for (const q of c.questions) {
		if (!q.matrix || cleaned[q.name] === undefined) continue;
		// survey-core drops a matrix's cleared cells; a panel keeps whatever its questions hold.
		if (q.type !== 'paneldynamic') cleaned[q.name] = withoutEmptyCells(cleaned[q.name]);
		if (isEmptyValue(cleaned[q.name])) {
			delete cleaned[q.name];
			continue;
		}
		if (q.matrix.totalKey) cleaned[q.matrix.totalKey] = matrixTotals(q, cleaned[q.name]);
	}
	return cleaned;
}

/**
 * One key of the cleaned answers, in questionnaire order: a question's value, or its comment
 * (`otherOf`: the question whose "other" choice the comment belongs to; kept only while chosen).
 */
interface Slot {
	key: string;
	otherOf: QuestionDescriptor | null;
}

const cleanedSlots = new WeakMap<CompiledQuestionnaire, Slot[]>();

function slotsFor(c: CompiledQuestionnaire): Slot[] {
	let slots = cleanedSlots.get(c);
	if (!slots) {
		slots = [];
		for (const q of c.questions) {
			if (q.type === 'html' || (q.calculated && !q.calculated.includeIntoResult)) continue;
			slots.push({ key: q.name, otherOf: null });
			if (q.commentKey) slots.push({ key: q.commentKey, otherOf: q.otherValue === null ? null : q });
		}
		cleanedSlots.set(c, slots);
	}
	return slots;
}

const valueShapes = new WeakMap<CompiledQuestionnaire, Values>();

/**
 * A fresh working copy of the answers: every key of the questionnaire present as an own property,
 * undefined, so reading an unanswered key never reaches Object.prototype (a question may be called
 * `toString`). An undefined answer reads as absent everywhere here: expressions resolve a name only
 * when its value is not undefined (see DirectValues in compile.ts), and clearing sets undefined.
 */
function valuesFor(compiled: CompiledQuestionnaire): Values {
	let shape = valueShapes.get(compiled);
	if (!shape) {
		shape = Object.fromEntries([...compiled.keys.keys()].map((k) => [k, undefined]));
		valueShapes.set(compiled, shape);
	}
	return { ...shape };
}

/**
 * Validate a response for submission (or a CSV row). `cleaned` is what should be stored: answers
 * of invisible questions dropped (SurveyJS clearInvisibleValues 'onComplete'), the "other"
 * comment kept only when "other" is chosen, display-only expression values recomputed.
 */
export function validateForSubmit(
	compiled: CompiledQuestionnaire,
	data: unknown,
	limits: Partial<ShapeLimits> = {}
): SubmitResult {
	const lim: ShapeLimits = { ...DEFAULT_LIMITS, ...limits };
	if (!isPlainObject(data)) return { ok: false, problems: checkShape(compiled, data, lim), cleaned: {} };
	// Only the questionnaire's keys are ever read from `values`: the shape check copies just those.
	const values = valuesFor(compiled);
	const problems = checkShapeOf(compiled, data, Object.keys(data), lim, values);
	if (problems.length && problems.some((p) => p.question === '')) return { ok: false, problems, cleaned: {} };
	const flagged = problems.length ? new Set(problems.map((p) => p.question)) : null;
	const state = evaluateConditions(compiled, values);
	const qs = compiled.questions;
	for (let i = 0; i < qs.length; i++) {
		if (!(state[i] & VISIBLE)) continue;
		const q = qs[i];
		if (q.type === 'html' || q.type === 'expression') continue;
		if (!(state[i] & READ_ONLY)) coreChecks(q, (state[i] & REQUIRED) !== 0, values, problems);
		stricterChecks(compiled, q, values, problems, flagged?.has(q.name) ?? false);
	}
	const cleaned = clearInvisible(compiled, values, state);
	return { ok: problems.length === 0, problems, cleaned };
}
