/**
 * The rubric engine refuses what the questionnaire would refuse. Before a response is scored, every
 * answer a criterion reads is checked against the question it answers: numbers must be finite
 * decimals inside the question's min/max (and numeric validators' bounds), booleans must be the
 * question's own true/false values, choices must be offered. A value that fails is an
 * `AnswerError` naming the question, never a score: "-5 years old", "Infinity", "0x64" or a
 * boolean "0" used to score as a real answer. Pure: reads the questionnaire JSON only.
 */
import { indexQuestionnaire, type QuestionInfo } from './questionnaire';
import type { EquipmentColumns } from './equipment';
import type { Bilingual } from './types';

/** Strict decimal notation: digits, one optional point, optional exponent. No hex/binary/octal/Infinity. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A number from a number or a decimal string (surrounding spaces allowed); NaN for anything else. */
export function parseDecimal(v: unknown): number {
	if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
	if (typeof v !== 'string') return NaN;
	const s = v.trim();
	if (!DECIMAL.test(s)) return NaN;
	const x = Number(s);
	return Number.isFinite(x) ? x : NaN;
}

export class AnswerError extends Error {
	constructor(
		/** Question name, or `question.item` / `question.row`. */
		readonly question: string,
		readonly text: Bilingual,
		/** For a list (matrixdynamic): the row (1-based) and column of the refused cell. */
		readonly cell?: { row: number; column: string }
	) {
		super(`${question}${cell ? ` row ${cell.row} ${cell.column}` : ''}: ${text.en}`);
		this.name = 'AnswerError';
	}
}

/** An equipment list a rubric aggregates: its question and which column plays which role. */
export interface EquipmentCheck {
	question: string;
	columns: EquipmentColumns;
}

export interface GuardOptions {
	/** Year of the assessment: an equipment list's years after it are refused. */
	year?: number;
	equipment?: readonly EquipmentCheck[];
}

type Check = (answers: Readonly<Record<string, unknown>>) => void;

const isBlank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length);
const show = (v: unknown) => {
	try {
		return typeof v === 'string' ? `"${v}"` : (JSON.stringify(v) ?? String(v));
	} catch {
		return String(v);
	}
};

interface Range {
	min: number | null;
	max: number | null;
}

function numOrNull(v: unknown): number | null {
	const x = parseDecimal(v);
	return Number.isNaN(x) ? null : x;
}

/** min/max of the element and of its numeric validators, the tighter of each. */
function rangeOf(json: Readonly<Record<string, unknown>>): Range {
	let min = numOrNull(json.min);
	let max = numOrNull(json.max);
	for (const v of Array.isArray(json.validators) ? json.validators : []) {
		if (!v || typeof v !== 'object' || (v as Record<string, unknown>).type !== 'numeric') continue;
		const lo = numOrNull((v as Record<string, unknown>).minValue);
		const hi = numOrNull((v as Record<string, unknown>).maxValue);
		if (lo !== null && (min === null || lo > min)) min = lo;
		if (hi !== null && (max === null || hi < max)) max = hi;
	}
	return { min, max };
}

function checkNumber(name: string, v: unknown, r: Range, at?: Cell): number {
	const x = parseDecimal(v);
	const where = whereOf(name, at);
	if (Number.isNaN(x))
		throw new AnswerError(
			name,
			{
				vi: `${where.vi}: ${show(v)} không phải là một số thập phân hữu hạn.`,
				en: `${where.en}: ${show(v)} is not a finite decimal number.`
			},
			at
		);
	if ((r.min !== null && x < r.min) || (r.max !== null && x > r.max)) {
		const range = `${r.min ?? '−∞'}–${r.max ?? '∞'}`;
		throw new AnswerError(
			name,
			{
				vi: `${where.vi}: ${x} nằm ngoài khoảng cho phép ${range}.`,
				en: `${where.en}: ${x} is outside the allowed range ${range}.`
			},
			at
		);
	}
	return x;
}

type Cell = { row: number; column: string };

/** "question "x"" or "question "x", row 2, column "year_made"" in both languages. */
function whereOf(name: string, at?: Cell): Bilingual {
	if (!at) return { vi: `Câu "${name}"`, en: `question "${name}"` };
	return {
		vi: `Câu "${name}", dòng ${at.row}, cột "${at.column}"`,
		en: `question "${name}", row ${at.row}, column "${at.column}"`
	};
}

function notOffered(name: string, v: unknown): AnswerError {
	return new AnswerError(name, {
		vi: `Câu "${name}": ${show(v)} không phải là một lựa chọn của câu hỏi.`,
		en: `question "${name}": ${show(v)} is not one of the question's choices.`
	});
}

const isObj = (v: unknown): v is Record<string, unknown> =>
	v !== null && typeof v === 'object' && !Array.isArray(v);

/** Allowed values of a dropdown-like matrix column (its own choices, else the matrix's). */
function columnChoices(
	col: Record<string, unknown>,
	matrix: Readonly<Record<string, unknown>>
): unknown[] | null {
	const list = Array.isArray(col.choices)
		? col.choices
		: Array.isArray(matrix.choices)
			? matrix.choices
			: null;
	return list ? list.map((c) => (isObj(c) ? c.value : c)) : null;
}

/**
 * Rows of a `matrixdynamic`: every number cell finite, decimal and in its column's range, every
 * choice cell offered. For an equipment list the rubric aggregates, also: no year after the
 * assessment year, put in use no earlier than made, residual value 0–100 %, value not negative.
 */
function listChecker(q: QuestionInfo, opts: GuardOptions): Check {
	const name = q.name;
	const cols = (Array.isArray(q.json.columns) ? q.json.columns : []).filter(isObj);
	const number = new Map<string, Range>();
	const choice = new Map<string, Set<unknown>>();
	for (const c of cols) {
		const cn = String(c.name);
		const cellType = c.cellType ?? q.json.cellType ?? 'dropdown';
		if (cellType === 'text' && c.inputType === 'number') number.set(cn, rangeOf(c));
		else if ((cellType === 'dropdown' || cellType === 'radiogroup') && columnChoices(c, q.json))
			choice.set(cn, new Set(columnChoices(c, q.json)));
	}
	const roles: EquipmentColumns = {};
	for (const e of opts.equipment ?? []) if (e.question === name) Object.assign(roles, e.columns);
	const year = opts.year;
	const fail = (at: Cell, text: Bilingual) => {
		throw new AnswerError(name, text, at);
	};
	return (a) => {
		const v = a[name];
		if (isBlank(v)) return;
		if (!Array.isArray(v))
			throw new AnswerError(name, {
				vi: `Câu "${name}": câu trả lời phải là một danh sách các dòng.`,
				en: `question "${name}": the answer must be a list of rows.`
			});
		v.forEach((row, i) => {
			const n = i + 1;
			if (!isObj(row))
				throw new AnswerError(name, {
					vi: `Câu "${name}", dòng ${n}: một dòng phải gồm các cột có tên.`,
					en: `question "${name}", row ${n}: a row must be an object of named columns.`
				});
			const nums: Record<string, number> = {};
			for (const [cn, r] of number) {
				const cell = row[cn];
				if (!isBlank(cell)) nums[cn] = checkNumber(name, cell, r, { row: n, column: cn });
			}
			for (const [cn, offered] of choice) {
				const cell = row[cn];
				if (isBlank(cell) || offered.has(cell)) continue;
				const at = { row: n, column: cn };
				const where = whereOf(name, at);
				fail(at, {
					vi: `${where.vi}: ${show(cell)} không phải là một lựa chọn của cột.`,
					en: `${where.en}: ${show(cell)} is not one of the column's choices.`
				});
			}
			const num = (role: keyof EquipmentColumns) => {
				const cn = roles[role];
				return cn !== undefined && cn in nums ? { cn, x: nums[cn] } : null;
			};
			const made = num('yearMade');
			const inUse = num('yearInUse');
			for (const y of [made, inUse])
				if (y && year !== undefined && y.x > year) {
					const at = { row: n, column: y.cn };
					const where = whereOf(name, at);
					fail(at, {
						vi: `${where.vi}: năm ${y.x} sau năm đánh giá ${year}.`,
						en: `${where.en}: year ${y.x} is after the assessment year ${year}.`
					});
				}
			if (made && inUse && inUse.x < made.x) {
				const at = { row: n, column: inUse.cn };
				const where = whereOf(name, at);
				fail(at, {
					vi: `${where.vi}: năm đưa vào sử dụng ${inUse.x} trước năm chế tạo ${made.x}.`,
					en: `${where.en}: put in use in ${inUse.x}, before it was made (${made.x}).`
				});
			}
			const residual = num('residual');
			if (residual && (residual.x < 0 || residual.x > 100)) {
				const at = { row: n, column: residual.cn };
				const where = whereOf(name, at);
				fail(at, {
					vi: `${where.vi}: giá trị còn lại ${residual.x}% phải từ 0 đến 100%.`,
					en: `${where.en}: residual value ${residual.x}% must be from 0 to 100%.`
				});
			}
			const value = num('value');
			if (value && value.x < 0) {
				const at = { row: n, column: value.cn };
				const where = whereOf(name, at);
				fail(at, {
					vi: `${where.vi}: nguyên giá ${value.x} không được âm.`,
					en: `${where.en}: original value ${value.x} must not be negative.`
				});
			}
		});
	};
}

function checkerFor(ref: string, q: QuestionInfo, opts: GuardOptions = {}): Check | null {
	const dot = ref.indexOf('.');
	const sub = dot < 0 ? null : ref.slice(dot + 1);
	const read = (a: Readonly<Record<string, unknown>>): unknown => {
		const v = a[q.name];
		if (sub === null) return v;
		return v !== null && typeof v === 'object' && !Array.isArray(v)
			? (v as Record<string, unknown>)[sub]
			: undefined;
	};
	if (sub !== null && q.type === 'multipletext') {
		const items = Array.isArray(q.json.items) ? q.json.items : [];
		const item = items.find(
			(i) => i && typeof i === 'object' && (i as Record<string, unknown>).name === sub
		) as Record<string, unknown> | undefined;
		if (!item || item.inputType !== 'number') return null;
		const r = rangeOf(item);
		return (a) => {
			const v = read(a);
			if (!isBlank(v)) checkNumber(ref, v, r);
		};
	}
	if (sub !== null && q.type === 'matrix') {
		const cols = new Set((q.columns ?? []).map(String));
		return (a) => {
			const v = read(a);
			if (isBlank(v)) return;
			if ((typeof v !== 'string' && typeof v !== 'number') || !cols.has(String(v))) throw notOffered(ref, v);
		};
	}
	if (sub !== null) return null;
	switch (q.type) {
		case 'matrixdynamic':
			return listChecker(q, opts);
		case 'text':
			if (q.inputType !== 'number') return null;
			{
				const r = rangeOf(q.json);
				return (a) => {
					const v = read(a);
					if (!isBlank(v)) checkNumber(ref, v, r);
				};
			}
		case 'boolean': {
			const t = q.json.valueTrue ?? true;
			const f = q.json.valueFalse ?? false;
			return (a) => {
				const v = read(a);
				if (isBlank(v) || v === t || v === f) return;
				throw new AnswerError(ref, {
					vi: `Câu "${ref}": ${show(v)} không phải là câu trả lời có/không (${show(t)} hoặc ${show(f)}).`,
					en: `question "${ref}": ${show(v)} is not a yes/no answer (${show(t)} or ${show(f)}).`
				});
			};
		}
		case 'rating':
		case 'radiogroup':
		case 'dropdown': {
			if (!q.choices) return null;
			// Values as the form stores them: same kind (number or string), same value.
			const offered = new Set<unknown>(q.choices);
			return (a) => {
				const v = read(a);
				if (isBlank(v)) return;
				if (!offered.has(v as never)) throw notOffered(ref, v);
			};
		}
		case 'checkbox': {
			if (!q.choices) return null;
			const offered = new Set<unknown>(q.choices);
			return (a) => {
				const v = read(a);
				if (isBlank(v)) return;
				if (!Array.isArray(v)) throw notOffered(ref, v);
				for (const x of v) if (!offered.has(x)) throw notOffered(ref, x);
			};
		}
		default:
			return null;
	}
}

/**
 * A check of the answers the given question references read, built once from the questionnaire.
 * Throws AnswerError for the first answer the questionnaire would refuse. References to unknown
 * questions are skipped (the rubric validator reports those).
 */
export function answerGuard(questionnaire: unknown, refs: Iterable<string>, opts: GuardOptions = {}): Check {
	const idx = indexQuestionnaire(questionnaire);
	const checks: Check[] = [];
	const seen = new Set<string>();
	for (const ref of refs) {
		if (seen.has(ref)) continue;
		seen.add(ref);
		const q = idx.byName.get(ref.split('.')[0]);
		if (!q) continue;
		const c = checkerFor(ref, q, opts);
		if (c) checks.push(c);
	}
	return (answers) => {
		for (let i = 0; i < checks.length; i++) checks[i](answers);
	};
}
