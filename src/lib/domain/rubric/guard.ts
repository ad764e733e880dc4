/**
 * The rubric engine refuses what the questionnaire would refuse. Before a response is scored, every
 * answer a criterion reads is checked against the question it answers: numbers must be finite
 * decimals inside the question's min/max (and numeric validators' bounds), booleans must be the
 * question's own true/false values, choices must be offered. A value that fails is an
 * `AnswerError` naming the question, never a score: "-5 years old", "Infinity", "0x64" or a
 * boolean "0" used to score as a real answer. Pure: reads the questionnaire JSON only.
 */
import { indexQuestionnaire, type QuestionInfo } from './questionnaire';
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
		readonly text: Bilingual
	) {
		super(`${question}: ${text.en}`);
		this.name = 'AnswerError';
	}
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

function checkNumber(name: string, v: unknown, r: Range): void {
	const x = parseDecimal(v);
	if (Number.isNaN(x))
		throw new AnswerError(name, {
			vi: `Câu "${name}": ${show(v)} không phải là một số thập phân hữu hạn.`,
			en: `question "${name}": ${show(v)} is not a finite decimal number.`
		});
	if ((r.min !== null && x < r.min) || (r.max !== null && x > r.max)) {
		const range = `${r.min ?? '−∞'}–${r.max ?? '∞'}`;
		throw new AnswerError(name, {
			vi: `Câu "${name}": ${x} nằm ngoài khoảng cho phép ${range}.`,
			en: `question "${name}": ${x} is outside the allowed range ${range}.`
		});
	}
}

function notOffered(name: string, v: unknown): AnswerError {
	return new AnswerError(name, {
		vi: `Câu "${name}": ${show(v)} không phải là một lựa chọn của câu hỏi.`,
		en: `question "${name}": ${show(v)} is not one of the question's choices.`
	});
}

function checkerFor(ref: string, q: QuestionInfo): Check | null {
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
export function answerGuard(questionnaire: unknown, refs: Iterable<string>): Check {
	const idx = indexQuestionnaire(questionnaire);
	const checks: Check[] = [];
	const seen = new Set<string>();
	for (const ref of refs) {
		if (seen.has(ref)) continue;
		seen.add(ref);
		const q = idx.byName.get(ref.split('.')[0]);
		if (!q) continue;
		const c = checkerFor(ref, q);
		if (c) checks.push(c);
	}
	return (answers) => {
		for (let i = 0; i < checks.length; i++) checks[i](answers);
	};
}
