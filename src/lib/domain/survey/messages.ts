/** Bilingual problem messages. Validators' own `text` wins; these are the defaults. */
import type { LocalizedText, ProblemCode } from './types';

type Params = Record<string, string | number>;

const TEXTS: Record<ProblemCode, LocalizedText> = {
	required: { vi: 'Vui lòng trả lời câu hỏi này.', en: 'Please answer this question.' },
	'other-required': {
		vi: 'Bạn đã chọn "Khác": vui lòng ghi rõ.',
		en: 'You chose "Other": please specify.'
	},
	'all-rows-required': {
		vi: 'Vui lòng trả lời tất cả các dòng.',
		en: 'Please answer every row.'
	},
	'min-rows': {
		vi: 'Vui lòng nhập ít nhất {min} dòng.',
		en: 'Please fill in at least {min} row(s).'
	},
	min: { vi: 'Giá trị phải lớn hơn hoặc bằng {min}.', en: 'The value must be at least {min}.' },
	max: { vi: 'Giá trị phải nhỏ hơn hoặc bằng {max}.', en: 'The value must be at most {max}.' },
	step: { vi: 'Giá trị phải là bội số của {step}.', en: 'The value must be a multiple of {step}.' },
	email: {
		vi: 'Vui lòng nhập địa chỉ email hợp lệ.',
		en: 'Please enter a valid e-mail address.'
	},
	'not-numeric': { vi: 'Giá trị phải là một số.', en: 'The value must be a number.' },
	'validator:numeric': {
		vi: 'Giá trị phải nằm trong khoảng {range}.',
		en: 'The value must be in the range {range}.'
	},
	'validator:text': {
		vi: 'Độ dài phải trong khoảng {range} ký tự.',
		en: 'The length must be {range} characters.'
	},
	'validator:regex': {
		vi: 'Giá trị không đúng định dạng.',
		en: 'The value does not have the expected format.'
	},
	'validator:email': {
		vi: 'Vui lòng nhập địa chỉ email hợp lệ.',
		en: 'Please enter a valid e-mail address.'
	},
	'validator:expression': {
		vi: 'Câu trả lời không thỏa điều kiện: {expression}.',
		en: 'The answer does not meet the condition: {expression}.'
	},
	'not-an-object': {
		vi: 'Dữ liệu trả lời phải là một đối tượng JSON.',
		en: 'The answers must be a JSON object.'
	},
	'too-large': {
		vi: 'Dữ liệu trả lời quá lớn ({size} ký tự, tối đa {limit}).',
		en: 'The answers are too large ({size} characters, at most {limit}).'
	},
	'too-deep': {
		vi: 'Dữ liệu lồng nhau quá sâu (tối đa {limit} cấp).',
		en: 'The answers are nested too deeply (at most {limit} levels).'
	},
	'forbidden-key': {
		vi: 'Tên trường "{key}" không được phép.',
		en: 'The field name "{key}" is not allowed.'
	},
	'operator-object': {
		vi: 'Giá trị chứa toán tử "{key}" không được phép.',
		en: 'The value contains the operator "{key}", which is not allowed.'
	},
	'unknown-key': {
		vi: '"{key}" không phải là câu hỏi của bảng hỏi này.',
		en: '"{key}" is not a question of this questionnaire.'
	},
	'wrong-type': {
		vi: 'Kiểu giá trị không đúng: cần {expected}.',
		en: 'Wrong kind of value: expected {expected}.'
	},
	'not-a-number': { vi: 'Giá trị phải là một số.', en: 'The value must be a number.' },
	'too-long': {
		vi: 'Câu trả lời quá dài ({length} ký tự, tối đa {limit}).',
		en: 'The answer is too long ({length} characters, at most {limit}).'
	},
	'too-many': {
		vi: 'Quá nhiều lựa chọn ({count}, tối đa {limit}).',
		en: 'Too many selections ({count}, at most {limit}).'
	},
	'invalid-choice': {
		vi: '"{value}" không nằm trong các lựa chọn.',
		en: '"{value}" is not one of the choices.'
	},
	'duplicate-choice': {
		vi: 'Lựa chọn "{value}" bị lặp lại.',
		en: 'The choice "{value}" is repeated.'
	},
	'none-exclusive': {
		vi: '"Không có" không thể chọn cùng các lựa chọn khác.',
		en: '"None" cannot be selected together with other choices.'
	},
	'out-of-scale': {
		vi: '{value} nằm ngoài thang đánh giá ({scale}).',
		en: '{value} is outside the rating scale ({scale}).'
	},
	'invalid-row': {
		vi: 'Dòng "{key}" không có trong câu hỏi này.',
		en: 'Row "{key}" does not exist in this question.'
	},
	'invalid-column': {
		vi: '"{value}" không phải là cột hợp lệ của dòng "{key}".',
		en: '"{value}" is not a valid column for row "{key}".'
	},
	'too-many-rows': {
		vi: 'Quá nhiều dòng ({count}, tối đa {limit}).',
		en: 'Too many rows ({count}, at most {limit}).'
	},
	'invalid-item': {
		vi: 'Mục "{key}" không có trong câu hỏi này.',
		en: 'Item "{key}" does not exist in this question.'
	}
};

function fill(template: string, params: Params | undefined): string {
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

// Most messages repeat (same question, same bound): format each once. Shared, hence frozen.
const cache = new Map<string, LocalizedText>();
const CACHE_MAX = 10_000;

export function message(code: ProblemCode, params?: Params): LocalizedText {
	let key: string = code;
	if (params) for (const k in params) key += '\u0000' + params[k];
	let m = cache.get(key);
	if (m) return m;
	const t = TEXTS[code];
	m = Object.freeze({ vi: fill(t.vi, params), en: fill(t.en, params) });
	if (cache.size >= CACHE_MAX) cache.clear();
	cache.set(key, m);
	return m;
}

/** Short printable form of an offending value for a message. */
export function show(value: unknown): string {
	const s = typeof value === 'string' ? value : JSON.stringify(value);
	return s === undefined ? String(value) : s.length > 40 ? s.slice(0, 37) + '...' : s;
}
