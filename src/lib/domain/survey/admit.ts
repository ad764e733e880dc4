/**
 * Whether an uploaded questionnaire may become a survey version: no prototype keys anywhere, a
 * bounded number of elements, and a successful compile for the server-side validator (so every
 * question type, input type, property and expression function it uses is one the server checks
 * exactly like the form). Refusals name the element and say, in both UI languages, what to use.
 */
import { compileQuestionnaire, QuestionnaireCompileError } from './compile';
import type { LocalizedText } from './types';

export interface Refusal {
	/** JSON path of what is refused ('$' for the whole questionnaire). */
	path: string;
	text: LocalizedText;
}

/** More questions than any real form has; a bigger one is a mistake or an attack. */
export const MAX_ELEMENTS = 2_000;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export function admitQuestionnaire(json: unknown): Refusal | null {
	// Iterative walk: a deeply nested upload must not overflow the stack.
	const stack: Array<[unknown, string]> = [[json, '$']];
	let elements = 0;
	while (stack.length) {
		const [v, path] = stack.pop() as [unknown, string];
		if (v === null || typeof v !== 'object') continue;
		if (Array.isArray(v)) {
			for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
			continue;
		}
		for (const key of Object.keys(v)) {
			if (FORBIDDEN.has(key))
				return {
					path: `${path}.${key}`,
					text: {
						vi: `Khoá "${key}" tại ${path} không được phép trong bảng hỏi.`,
						en: `The key "${key}" at ${path} is not allowed in a questionnaire.`
					}
				};
			if (key === 'elements' || key === 'templateElements') {
				const list = (v as Record<string, unknown>)[key];
				if (Array.isArray(list)) elements += list.length;
			}
			stack.push([(v as Record<string, unknown>)[key], `${path}.${key}`]);
		}
		if (elements > MAX_ELEMENTS)
			return {
				path: '$',
				text: {
					vi: `Bảng hỏi có hơn ${MAX_ELEMENTS} câu hỏi và nhóm; hãy chia thành nhiều bảng hỏi.`,
					en: `The questionnaire has more than ${MAX_ELEMENTS} questions and panels; split it into several.`
				}
			};
	}
	try {
		compileQuestionnaire(json);
	} catch (e) {
		if (!(e instanceof QuestionnaireCompileError)) throw e;
		return {
			path: '$',
			text: e.text ?? {
				vi: `Máy chủ chưa kiểm tra được câu trả lời của bảng hỏi này như biểu mẫu trực tuyến: ${e.message}`,
				en: `The server cannot check this questionnaire's answers exactly like the online form: ${e.message}`
			}
		};
	}
	return null;
}
