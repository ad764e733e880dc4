/**
 * Shape check for every autosave: cheap, independent of the other answers. Rejects anything the
 * form itself could never have produced (unknown keys, operator objects, wrong value kinds,
 * values outside static choice lists and rating scales, oversized bodies).
 */
import { message, show } from './messages';
import {
	DEFAULT_LIMITS,
	type ChoiceValue,
	type ColumnDescriptor,
	type CompiledQuestionnaire,
	type Problem,
	type ProblemCode,
	type QuestionDescriptor,
	type ShapeLimits,
	type TextRules
} from './types';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
	if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
	const proto = Object.getPrototypeOf(v);
	return proto === Object.prototype || proto === null;
}

function problem(
	question: string,
	code: ProblemCode,
	params?: Record<string, string | number>,
	item?: string
): Problem {
	const p: Problem = { question, code, message: message(code, params) };
	if (item !== undefined) p.item = item;
	return p;
}

/**
 * Length of the value's JSON text, without building it (JSON.stringify was half the cost of the
 * whole shape check). Numbers count as their decimal form; nothing below maxDepth + 1 is
 * visited, since such a body is refused as too deep anyway.
 */
function jsonSize(v: unknown, depth: number, maxDepth: number): number {
	if (typeof v === 'string') return v.length + 2;
	if (typeof v === 'number')
		return Number.isInteger(v) && Math.abs(v) < 1e15
			? (v < 0 ? 2 : 1) + Math.floor(Math.log10(Math.abs(v) || 1))
			: 24;
	if (v === null || typeof v !== 'object') return 5;
	if (depth > maxDepth + 1) return 2;
	let n = 2;
	if (Array.isArray(v)) {
		for (const x of v) n += 1 + jsonSize(x, depth + 1, maxDepth);
	} else {
		for (const k in v) n += k.length + 4 + jsonSize((v as Record<string, unknown>)[k], depth + 1, maxDepth);
	}
	return n;
}

/** A value the form treats as "no answer" (SurveyJS clears to these). */
function isBlank(v: unknown): boolean {
	return v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/**
 * Keys and depth anywhere inside a value: `$`-prefixed keys (MongoDB operators), prototype keys
 * and dotted keys (field paths) must never reach the database. Returns false when it reported.
 */
function scanKeys(
	value: unknown,
	depth: number,
	question: string,
	limits: ShapeLimits,
	out: Problem[]
): boolean {
	if (value === null || typeof value !== 'object') return true;
	if (depth > limits.maxDepth) {
		out.push(problem(question, 'too-deep', { limit: limits.maxDepth }));
		return false;
	}
	if (Array.isArray(value)) {
		for (const v of value) if (!scanKeys(v, depth + 1, question, limits, out)) return false;
		return true;
	}
	if (!isPlainObject(value)) {
		out.push(problem(question, 'wrong-type', { expected: 'JSON' }));
		return false;
	}
	for (const key of Object.keys(value)) {
		if (key.startsWith('$')) {
			out.push(problem(question, 'operator-object', { key }, key));
			return false;
		}
		if (FORBIDDEN_KEYS.has(key) || key.includes('.')) {
			out.push(problem(question, 'forbidden-key', { key }, key));
			return false;
		}
		if (!scanKeys(value[key], depth + 1, question, limits, out)) return false;
	}
	return true;
}

const EXPECTED = {
	text: { vi: 'chuỗi ký tự', en: 'text' },
	number: { vi: 'số', en: 'number' },
	list: { vi: 'danh sách', en: 'list' },
	object: { vi: 'đối tượng', en: 'object' },
	choice: { vi: 'một lựa chọn', en: 'a choice' },
	boolean: { vi: 'đúng/sai', en: 'true/false' },
	date: { vi: 'ngày dạng YYYY-MM-DD', en: 'a date as YYYY-MM-DD' },
	month: { vi: 'tháng dạng YYYY-MM', en: 'a month as YYYY-MM' },
	'datetime-local': {
		vi: 'ngày giờ dạng YYYY-MM-DDTHH:MM',
		en: 'a date and time as YYYY-MM-DDTHH:MM'
	}
};

/**
 * What a browser's date, month and datetime-local inputs post: a real calendar day (YYYY-MM-DD),
 * month (YYYY-MM) or local date and time (YYYY-MM-DDTHH:MM, seconds optional: no time zone, the
 * wall-clock time the respondent typed), years 1000-9999. survey-core keeps any string; the
 * server keeps only these.
 */
export function isDateText(v: string, kind: 'date' | 'month' | 'datetime-local'): boolean {
	if (kind === 'datetime-local') {
		const t = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,3})?)?$/.exec(v);
		return t !== null && isDateText(t[1], 'date');
	}
	const m = kind === 'date' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : /^(\d{4})-(\d{2})$/.exec(v);
	if (!m) return false;
	const y = Number(m[1]);
	const mo = Number(m[2]);
	if (y < 1000 || mo < 1 || mo > 12) return false;
	if (kind === 'month') return true;
	const d = Number(m[3]);
	return d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

function wrongType(q: string, expected: keyof typeof EXPECTED, item?: string): Problem {
	const e = EXPECTED[expected];
	const p: Problem = {
		question: q,
		code: 'wrong-type',
		message: {
			vi: message('wrong-type', { expected: e.vi }).vi,
			en: message('wrong-type', { expected: e.en }).en
		}
	};
	if (item !== undefined) p.item = item;
	return p;
}

function isChoicePrimitive(v: unknown): v is ChoiceValue {
	return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean';
}

/** A text-like value (text, comment, multiple-text item): kind and length. */
export function checkTextValue(
	q: string,
	rules: TextRules,
	v: unknown,
	limits: ShapeLimits,
	out: Problem[],
	item?: string
): void {
	if (isBlank(v)) return;
	if (rules.inputType === 'number') {
		if (typeof v !== 'number' || !Number.isFinite(v)) {
			const p = problem(q, 'not-a-number', undefined, item);
			out.push(p);
		}
		return;
	}
	if (typeof v !== 'string') {
		out.push(wrongType(q, 'text', item));
		return;
	}
	if (
		(rules.inputType === 'date' || rules.inputType === 'month' || rules.inputType === 'datetime-local') &&
		!isDateText(v, rules.inputType)
	) {
		out.push(wrongType(q, rules.inputType, item));
		return;
	}
	const limit = rules.maxLength ?? limits.maxStringLength;
	if (v.length > limit) out.push(problem(q, 'too-long', { length: v.length, limit }, item));
}

/** Every value the carried-forward question could ever offer (the source's current answer narrows it at submit). */
const carriedSets = new WeakMap<QuestionDescriptor, Set<ChoiceValue>>();

function possibleChoices(c: CompiledQuestionnaire, q: QuestionDescriptor): Set<ChoiceValue> | null {
	if (q.choiceSet) return q.choiceSet;
	if (!q.choicesFrom) return null;
	const cached = carriedSets.get(q);
	if (cached) return cached;
	const src = c.byName.get(q.choicesFrom.source);
	const all: ChoiceValue[] = [...(src?.choices ?? [])];
	if (src?.otherValue != null) all.push(src.otherValue);
	if (q.otherValue !== null) all.push(q.otherValue);
	if (q.noneValue !== null) all.push(q.noneValue);
	const set = new Set(all);
	carriedSets.set(q, set);
	return set;
}

/**
 * A checkbox choice stored under `valuePropertyName`: `{ [prop]: value }` and nothing else
 * (survey-core builds exactly this object); anything else is not a choice.
 */
export function unwrapChoice(item: unknown, prop: string): unknown {
	if (!isPlainObject(item)) return undefined;
	const keys = Object.keys(item);
	return keys.length === 1 && keys[0] === prop ? item[prop] : undefined;
}

/**
 * One cell of a matrix row: the value its column's editor could hold. `item` names it for the
 * respondent as `<row>.<column>` (a matrixdynamic's rows numbered from 1).
 */
function checkCell(
	q: string,
	col: ColumnDescriptor,
	v: unknown,
	limits: ShapeLimits,
	out: Problem[],
	item: string
): void {
	if (isBlank(v)) return;
	switch (col.cellType) {
		case 'text':
		case 'comment':
			checkTextValue(q, col.text as TextRules, v, limits, out, item);
			return;
		case 'boolean':
			if (!col.choiceSet?.has(v as ChoiceValue)) out.push(wrongType(q, 'boolean', item));
			return;
		case 'dropdown':
		case 'radiogroup':
			if (!isChoicePrimitive(v)) out.push(wrongType(q, 'choice', item));
			else if (!col.choiceSet?.has(v)) out.push(problem(q, 'invalid-choice', { value: show(v) }, item));
			return;
		case 'checkbox': {
			if (!Array.isArray(v)) {
				out.push(wrongType(q, 'list', item));
				return;
			}
			const allowed = col.choiceSet as Set<ChoiceValue>;
			if (v.length > allowed.size) {
				out.push(problem(q, 'too-many', { count: v.length, limit: allowed.size }, item));
				return;
			}
			for (const x of v) {
				if (!isChoicePrimitive(x)) {
					out.push(wrongType(q, 'choice', item));
					return;
				}
				if (!allowed.has(x)) {
					out.push(problem(q, 'invalid-choice', { value: show(x) }, item));
					return;
				}
			}
			if (new Set(v).size !== v.length) {
				const dup = v.find((x, i) => v.indexOf(x) !== i);
				out.push(problem(q, 'duplicate-choice', { value: show(dup) }, item));
			} else if (col.noneValue !== null && v.length > 1 && v.includes(col.noneValue)) {
				out.push(problem(q, 'none-exclusive', undefined, item));
			}
			return;
		}
	}
}

/** A matrix row: an object whose keys are columns. Returns false when it reported. */
function checkRow(
	q: QuestionDescriptor,
	row: unknown,
	label: string,
	limits: ShapeLimits,
	out: Problem[]
): boolean {
	if (!isPlainObject(row)) {
		out.push(wrongType(q.name, 'object', label));
		return false;
	}
	const columns = q.matrix?.columns ?? [];
	for (const key of Object.keys(row)) {
		const col = columns.find((c) => c.name === key);
		if (!col) {
			out.push(problem(q.name, 'invalid-item', { key: `${label}.${key}` }, `${label}.${key}`));
			return false;
		}
		const before = out.length;
		checkCell(q.name, col, row[key], limits, out, `${label}.${key}`);
		if (out.length > before) return false;
	}
	return true;
}

function checkAnswer(
	c: CompiledQuestionnaire,
	q: QuestionDescriptor,
	v: unknown,
	limits: ShapeLimits,
	out: Problem[]
): void {
	if (isBlank(v)) return;
	const name = q.name;
	switch (q.type) {
		case 'text':
		case 'comment':
			checkTextValue(name, q.text as TextRules, v, limits, out);
			return;
		case 'radiogroup':
		case 'dropdown': {
			if (!isChoicePrimitive(v)) {
				out.push(wrongType(name, 'choice'));
				return;
			}
			const allowed = possibleChoices(c, q);
			if (allowed && !allowed.has(v)) {
				// allowCustomChoices: the respondent may type an answer of their own (kept as text).
				if (q.customChoices && typeof v === 'string') {
					if (v.length > limits.maxStringLength)
						out.push(problem(name, 'too-long', { length: v.length, limit: limits.maxStringLength }));
					return;
				}
				out.push(problem(name, 'invalid-choice', { value: show(v) }));
			}
			return;
		}
		case 'checkbox':
		case 'tagbox': {
			if (!Array.isArray(v)) {
				out.push(wrongType(name, 'list'));
				return;
			}
			const allowed = possibleChoices(c, q);
			if (allowed && v.length > allowed.size) {
				out.push(problem(name, 'too-many', { count: v.length, limit: allowed.size }));
				return;
			}
			for (const item of v) {
				const x = q.valueProperty ? unwrapChoice(item, q.valueProperty) : item;
				if (!isChoicePrimitive(x)) {
					out.push(wrongType(name, 'choice'));
					return;
				}
				if (allowed && !allowed.has(x)) {
					out.push(problem(name, 'invalid-choice', { value: show(x) }));
					return;
				}
			}
			return;
		}
		case 'rating':
			if (!q.choiceSet?.has(v as ChoiceValue)) {
				out.push(problem(name, 'out-of-scale', { value: show(v), scale: (q.choices ?? []).join(', ') }));
			}
			return;
		case 'boolean':
			if (!q.choiceSet?.has(v as ChoiceValue)) out.push(wrongType(name, 'boolean'));
			return;
		case 'matrix': {
			if (!isPlainObject(v)) {
				out.push(wrongType(name, 'object'));
				return;
			}
			for (const row of Object.keys(v)) {
				if (!q.rowSet?.has(row)) {
					out.push(problem(name, 'invalid-row', { key: row }, row));
					return;
				}
				const cell = v[row];
				if (isBlank(cell)) continue;
				if (!q.choiceSet?.has(cell as ChoiceValue)) {
					out.push(problem(name, 'invalid-column', { key: row, value: show(cell) }, row));
					return;
				}
			}
			return;
		}
		case 'multipletext': {
			if (!isPlainObject(v)) {
				out.push(wrongType(name, 'object'));
				return;
			}
			const items = q.items ?? [];
			for (const key of Object.keys(v)) {
				const it = items.find((i) => i.name === key);
				if (!it) {
					out.push(problem(name, 'invalid-item', { key }, key));
					return;
				}
				checkTextValue(name, it, v[key], limits, out, key);
			}
			return;
		}
		case 'matrixdynamic':
		case 'paneldynamic': {
			if (!Array.isArray(v)) {
				out.push(wrongType(name, 'list'));
				return;
			}
			const limit = q.matrix?.maxRowCount ?? 0;
			if (v.length > limit) {
				out.push(problem(name, 'too-many-rows', { count: v.length, limit }));
				return;
			}
			for (let i = 0; i < v.length; i++) if (!checkRow(q, v[i], String(i + 1), limits, out)) return;
			return;
		}
		case 'matrixdropdown': {
			if (!isPlainObject(v)) {
				out.push(wrongType(name, 'object'));
				return;
			}
			for (const row of Object.keys(v)) {
				if (!q.rowSet?.has(row)) {
					out.push(problem(name, 'invalid-row', { key: row }, row));
					return;
				}
				if (isBlank(v[row])) continue;
				if (!checkRow(q, v[row], row, limits, out)) return;
			}
			return;
		}
		case 'expression':
		case 'html':
			return;
	}
}

/**
 * survey-core refuses to assign a list question (matrixdynamic, paneldynamic) anything but a list
 * and a matrixdropdown anything but an object: the question stays unanswered, and conditions
 * reading it see no value. The submit validator reads such a value the same way (it is refused
 * as wrong-type anyway).
 */
function assignable(q: QuestionDescriptor, v: unknown): boolean {
	if (v === null || v === undefined) return true;
	if (q.type === 'matrixdynamic' || q.type === 'paneldynamic') return Array.isArray(v);
	if (q.type === 'matrixdropdown') return isPlainObject(v);
	return true;
}

/**
 * Check a response's shape. `data` is whatever the client sent; the result lists every problem
 * found (empty when the response may be stored as a draft).
 */
export function checkShape(
	compiled: CompiledQuestionnaire,
	data: unknown,
	limits: Partial<ShapeLimits> = {}
): Problem[] {
	const lim: ShapeLimits = { ...DEFAULT_LIMITS, ...limits };
	if (!isPlainObject(data)) return [problem('', 'not-an-object')];
	return checkShapeOf(compiled, data, Object.keys(data), lim, null);
}

/**
 * checkShape of a plain object whose own keys the caller has listed already (Object.keys order):
 * listing the keys of a large object costs as much as the rest of the check, so the submit
 * validator lists them once. When `known` is given, every key of the questionnaire found in
 * `data` is copied into it, in the same pass.
 */
export function checkShapeOf(
	compiled: CompiledQuestionnaire,
	data: Record<string, unknown>,
	keys: string[],
	lim: ShapeLimits,
	known: Record<string, unknown> | null
): Problem[] {
	// jsonSize(data, 1, maxDepth), its top level unrolled over the listed keys (jsonSize walks an
	// object at depth 1 only when 1 <= maxDepth + 1).
	let size = 2;
	if (lim.maxDepth >= 0) {
		for (let i = 0; i < keys.length; i++) {
			const k = keys[i];
			size += k.length + 4 + jsonSize(data[k], 2, lim.maxDepth);
		}
	}
	if (size > lim.maxBodyChars) return [problem('', 'too-large', { size, limit: lim.maxBodyChars })];
	const out: Problem[] = [];
	for (let i = 0; i < keys.length; i++) {
		const key = keys[i];
		const role = compiled.keys.get(key);
		// A questionnaire key never starts with "$", holds a "." or is a prototype name.
		if (!role) {
			if (key.startsWith('$')) out.push(problem(key, 'operator-object', { key }));
			else if (FORBIDDEN_KEYS.has(key) || key.includes('.')) out.push(problem(key, 'forbidden-key', { key }));
			else out.push(problem(key, 'unknown-key', { key }));
			continue;
		}
		const q = role.question.name;
		const v = data[key];
		// A computed value is the server's to compute: what the client sent is never carried over,
		// even when it matches up to case, spaces or number-vs-string (survey-core would keep it).
		if (known && role.kind !== 'computed' && role.kind !== 'total' && assignable(role.question, v))
			known[key] = v;
		if (!scanKeys(v, 2, q, lim, out)) continue;
		if (role.kind === 'comment') {
			if (isBlank(v)) continue;
			if (typeof v !== 'string') out.push(wrongType(q, 'text', key));
			else if (v.length > lim.maxStringLength) {
				out.push(problem(q, 'too-long', { length: v.length, limit: lim.maxStringLength }, key));
			}
		} else if (role.kind === 'total') {
			// The matrix's total row, recomputed from its rows: only its kind is checked.
			if (v !== null && !isPlainObject(v)) out.push(wrongType(q, 'object', key));
		} else if (role.kind === 'computed') {
			// Display-only: the server recomputes it, so any scalar the form sent is tolerated.
			if (v !== null && typeof v === 'object') out.push(wrongType(q, 'number'));
		} else checkAnswer(compiled, role.question, v, lim, out);
	}
	return out;
}
