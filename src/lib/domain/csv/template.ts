/**
 * The response-import template generated from a SurveyJS questionnaire, its codebook, and the mapping
 * of one CSV record back onto SurveyJS answer data.
 *
 * Column conventions (documented in the codebook's notes too):
 * - one column per answer cell, headed by the question name;
 * - matrix → `question.row`, multipletext → `question.item`;
 * - checkbox / tagbox → one column with several codes separated by `|` (e.g. `1|3`);
 * - "other" / comment text → `question-Comment` (SurveyJS's own data key);
 * - a cell may hold the code or its label (vi or en; case, spaces and Unicode form do not matter);
 *   codes win over labels when both match.
 *
 * mapRecord converts and checks each cell (codes, types); required answers, conditions and ranges are
 * the validator's job, which sees the whole response.
 */
import { parseLocaleNumber, type NumberFormat } from './numbers';
import type { Bilingual, CellProblem } from './types';

export type ChoiceValue = string | number | boolean;

export interface ChoiceOption {
	value: ChoiceValue;
	label: Bilingual;
	/** Other words read as this choice (e.g. the register's "Ngoài nhà nước", a bare ward name); not in the codebook. */
	aliases?: readonly string[];
}

/** How a cell is read. */
export type CellKind = 'text' | 'number' | 'date' | 'choice' | 'choices' | 'boolean';

export interface TemplateColumn {
	/** CSV header. */
	name: string;
	cell: CellKind;
	/** SurveyJS question name and type this column belongs to. */
	question: string;
	questionType: string;
	/** Top-level key in survey data (the question's valueName or name, or `name-Comment`). */
	dataKey: string;
	/** Key inside the question's object value: matrix row or multipletext item. */
	subKey?: string;
	title: Bilingual;
	/** Matrix row / multipletext item title. */
	subTitle?: Bilingual;
	/** The question is required (unconditionally, as far as the JSON says). */
	required: boolean;
	/** The question or an enclosing panel has visibleIf/enableIf/requiredIf: the validator decides. */
	condition?: string;
	/** Identifies the enterprise (e.g. its tax code): required in every row. */
	identifier: boolean;
	choices?: ChoiceOption[];
	/** SurveyJS choicesFromQuestion: choices are the source question's; `selected` means only those
	 * answered there in the same row (checked by mapRecord). */
	choicesFrom?: { question: string; mode: 'all' | 'selected' | 'unselected' };
	/** For boolean cells: the values SurveyJS stores. */
	booleanValues?: { true: ChoiceValue; false: ChoiceValue; labelTrue?: Bilingual; labelFalse?: Bilingual };
	min?: number;
	max?: number;
	/** Free text from the question's `unit` property, when the questionnaire has one. */
	unit?: Bilingual;
}

export interface CodebookRow {
	column: string;
	question: string;
	type: string;
	title_vi: string;
	title_en: string;
	codes_vi: string;
	codes_en: string;
	range: string;
	unit: string;
	required: 'yes' | 'no';
	notes_vi: string;
	notes_en: string;
}

export interface Template {
	columns: TemplateColumn[];
	codebook: CodebookRow[];
}

export interface BuildTemplateOptions {
	/**
	 * Columns identifying the enterprise, required in every row and placed first. A name that is a
	 * question uses it; otherwise a text column of that name is added (returned in `identifiers`, not
	 * in answers). Default `['profile_tax_code']`.
	 */
	identifiers?: readonly string[];
	/**
	 * List questions (`matrixdynamic`, e.g. an equipment list) are imported from a file of their
	 * own, one row per list row: leave them out of this template instead of refusing them.
	 */
	separateLists?: boolean;
}

/** A questionnaire we cannot build a template for (our data, not the user's file). */
export class TemplateError extends Error {
	readonly messages: Bilingual;
	constructor(messages: Bilingual) {
		super(messages.en);
		this.name = 'TemplateError';
		this.messages = messages;
	}
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{"default": "...", "vi": "..."}` or a plain string → both languages (missing ones fall back). */
export function localized(v: unknown, fallback: string): Bilingual {
	if (typeof v === 'string') return { vi: v, en: v };
	if (isObj(v)) {
		const pick = (k: string) => (typeof v[k] === 'string' && v[k] !== '' ? (v[k] as string) : undefined);
		const en = pick('en') ?? pick('default') ?? pick('vi') ?? fallback;
		const vi = pick('vi') ?? pick('default') ?? en;
		return { vi, en };
	}
	return { vi: fallback, en: fallback };
}

function choiceList(raw: unknown): ChoiceOption[] {
	if (!Array.isArray(raw)) return [];
	return raw.map((c) => {
		if (isObj(c)) {
			const value = c.value as ChoiceValue;
			return { value, label: localized(c.text, String(value)) };
		}
		return { value: c as ChoiceValue, label: { vi: String(c), en: String(c) } };
	});
}

// SurveyJS's special items and their stored values (2.x names and the older has* aliases).
const SPECIAL_ITEMS: { flags: string[]; value: string; textKey: string; label: Bilingual }[] = [
	{
		flags: ['showNoneItem', 'hasNone'],
		value: 'none',
		textKey: 'noneText',
		label: { vi: 'Không có', en: 'None' }
	},
	{
		flags: ['showRefuseItem'],
		value: 'refused',
		textKey: 'refuseText',
		label: { vi: 'Từ chối trả lời', en: 'Refuse to answer' }
	},
	{
		flags: ['showDontKnowItem'],
		value: 'dontknow',
		textKey: 'dontKnowText',
		label: { vi: 'Không biết', en: "Don't know" }
	},
	{
		flags: ['showOtherItem', 'hasOther'],
		value: 'other',
		textKey: 'otherText',
		label: { vi: 'Khác (ghi rõ)', en: 'Other (describe)' }
	}
];

const DISPLAY_TYPES = new Set(['html', 'expression', 'image']);
const SUPPORTED = new Set([
	'text',
	'comment',
	'radiogroup',
	'dropdown',
	'checkbox',
	'tagbox',
	'imagepicker',
	'rating',
	'boolean',
	'matrix',
	'multipletext'
]);

function numberOrUndefined(v: unknown): number | undefined {
	return typeof v === 'number' && Number.isFinite(v)
		? v
		: typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
			? Number(v)
			: undefined;
}

/** min/max from the question itself or its numeric validators, whichever is tighter. */
function range(q: Json): { min?: number; max?: number } {
	let min = numberOrUndefined(q.min);
	let max = numberOrUndefined(q.max);
	for (const v of Array.isArray(q.validators) ? q.validators : []) {
		if (!isObj(v) || v.type !== 'numeric') continue;
		const lo = numberOrUndefined(v.minValue);
		const hi = numberOrUndefined(v.maxValue);
		if (lo !== undefined) min = min === undefined ? lo : Math.max(min, lo);
		if (hi !== undefined) max = max === undefined ? hi : Math.min(max, hi);
	}
	return { min, max };
}

function textCell(inputType: unknown): CellKind {
	if (inputType === 'number' || inputType === 'range') return 'number';
	if (inputType === 'date') return 'date';
	return 'text';
}

function ratingChoices(q: Json): ChoiceOption[] {
	if (Array.isArray(q.rateValues) && q.rateValues.length) return choiceList(q.rateValues);
	const min = numberOrUndefined(q.rateMin) ?? 1;
	const step = numberOrUndefined(q.rateStep) ?? 1;
	const count = numberOrUndefined(q.rateCount);
	const max = numberOrUndefined(q.rateMax) ?? (count !== undefined ? min + (count - 1) * step : 5);
	const out: ChoiceOption[] = [];
	for (let v = min; v <= max + 1e-9 && out.length < 1000; v += step) {
		const x = Math.round(v * 1e9) / 1e9;
		out.push({ value: x, label: { vi: String(x), en: String(x) } });
	}
	return out;
}

/** Walk pages → elements → panels, yielding questions with the conditions of their enclosing panels. */
function* walk(elements: unknown, conditions: string[]): Generator<{ q: Json; conditions: string[] }> {
	if (!Array.isArray(elements)) return;
	for (const el of elements) {
		if (!isObj(el)) continue;
		const own = ['visibleIf', 'enableIf', 'requiredIf']
			.filter((k) => typeof el[k] === 'string' && el[k] !== '')
			.map((k) => `${k}: ${el[k] as string}`);
		const conds = [...conditions, ...own];
		if (el.type === 'panel' || el.type === 'page') yield* walk(el.elements, conds);
		else if (el.type === 'paneldynamic')
			throw new TemplateError({
				vi: `Câu hỏi "${String(el.name)}" loại paneldynamic chưa được hỗ trợ khi nhập CSV.`,
				en: `Question "${String(el.name)}" of type paneldynamic is not supported by CSV import.`
			});
		else yield { q: el, conditions: conds };
	}
}

/** Build the import template and codebook for a SurveyJS questionnaire JSON. */
export function buildTemplate(questionnaire: unknown, options: BuildTemplateOptions = {}): Template {
	if (!isObj(questionnaire))
		throw new TemplateError({
			vi: 'Bảng hỏi không phải đối tượng JSON.',
			en: 'The questionnaire is not a JSON object.'
		});
	const identifiers = options.identifiers ?? ['profile_tax_code'];
	const roots: unknown[] = [];
	if (Array.isArray(questionnaire.pages))
		for (const p of questionnaire.pages) if (isObj(p)) roots.push({ ...p, type: 'page' });
	if (Array.isArray(questionnaire.elements)) roots.push({ type: 'page', elements: questionnaire.elements });

	const byName = new Map<string, Json>();
	for (const { q } of walk(roots, [])) if (typeof q.name === 'string') byName.set(q.name, q);
	const columns: TemplateColumn[] = [];
	const unsupported: string[] = [];
	for (const { q, conditions } of walk(roots, [])) {
		const type = String(q.type ?? '');
		const name = String(q.name ?? '');
		if (DISPLAY_TYPES.has(type)) continue;
		if (type === 'matrixdynamic' && options.separateLists) continue;
		if (!SUPPORTED.has(type)) {
			unsupported.push(`${name} (${type || '?'})`);
			continue;
		}
		const dataKey = typeof q.valueName === 'string' && q.valueName ? q.valueName : name;
		const base = {
			question: name,
			questionType: type,
			dataKey,
			title: localized(q.title, name),
			required: q.isRequired === true,
			condition: conditions.length ? conditions.join('; ') : undefined,
			identifier: false,
			unit: q.unit === undefined ? undefined : localized(q.unit, '')
		};
		const commentColumn = () =>
			columns.push({
				...base,
				name: `${name}-Comment`,
				dataKey: `${dataKey}-Comment`,
				cell: 'text',
				required: false,
				subTitle: localized(q.commentText ?? q.otherText, 'Comment')
			});
		switch (type) {
			case 'text':
				columns.push({ ...base, name, cell: textCell(q.inputType), ...range(q) });
				break;
			case 'comment':
				columns.push({ ...base, name, cell: 'text' });
				break;
			case 'radiogroup':
			case 'dropdown':
			case 'checkbox':
			case 'tagbox':
			case 'imagepicker': {
				if (q.choicesByUrl)
					throw new TemplateError({
						vi: `Câu hỏi "${name}" lấy lựa chọn từ URL (choicesByUrl), chưa hỗ trợ khi nhập CSV.`,
						en: `Question "${name}" loads its choices from a URL (choicesByUrl), which CSV import does not support.`
					});
				if (typeof q.valuePropertyName === 'string' && q.valuePropertyName)
					throw new TemplateError({
						vi: `Câu hỏi "${name}" lưu lựa chọn dưới dạng đối tượng (valuePropertyName), chưa hỗ trợ khi nhập CSV. Hãy bỏ valuePropertyName để lựa chọn được lưu như giá trị thường.`,
						en: `Question "${name}" stores its choices as objects (valuePropertyName), which CSV import does not support. Remove valuePropertyName so choices are stored as plain values.`
					});
				if (q.allowCustomChoices === true)
					throw new TemplateError({
						vi: `Câu hỏi "${name}" cho phép tự nhập lựa chọn (allowCustomChoices), chưa hỗ trợ khi nhập CSV. Hãy thêm các lựa chọn cần thiết hoặc dùng mục "Khác (ghi rõ)" (showOtherItem).`,
						en: `Question "${name}" lets respondents type their own choice (allowCustomChoices), which CSV import does not support. Add the choices you need, or use an "Other (describe)" item (showOtherItem).`
					});
				let choices = choiceList(q.choices);
				let choicesFrom: TemplateColumn['choicesFrom'];
				if (typeof q.choicesFromQuestion === 'string' && q.choicesFromQuestion) {
					const src = byName.get(q.choicesFromQuestion);
					if (!src || !Array.isArray(src.choices))
						throw new TemplateError({
							vi: `Câu hỏi "${name}" lấy lựa chọn từ "${q.choicesFromQuestion}", nhưng câu hỏi đó không có hoặc không có danh sách lựa chọn.`,
							en: `Question "${name}" takes its choices from "${q.choicesFromQuestion}", which does not exist or has no choice list.`
						});
					choices = choiceList(src.choices);
					const mode = q.choicesFromQuestionMode;
					choicesFrom = {
						question: String(src.valueName ?? src.name),
						mode: mode === 'selected' || mode === 'unselected' ? mode : 'all'
					};
				}
				const cmin = numberOrUndefined(q.choicesMin);
				const cmax = numberOrUndefined(q.choicesMax);
				if (type === 'dropdown' && cmin !== undefined && cmax !== undefined) {
					const step = numberOrUndefined(q.choicesStep) ?? 1;
					for (let v = cmin; v <= cmax && choices.length < 10000; v += step)
						choices.push({ value: v, label: { vi: String(v), en: String(v) } });
				}
				for (const s of SPECIAL_ITEMS)
					if (s.flags.some((f) => q[f] === true))
						choices.push({
							value: s.value,
							label: q[s.textKey] ? localized(q[s.textKey], s.value) : s.label
						});
				const multi =
					type === 'checkbox' || type === 'tagbox' || (type === 'imagepicker' && q.multiSelect === true);
				columns.push({ ...base, name, cell: multi ? 'choices' : 'choice', choices, choicesFrom });
				if (
					q.showOtherItem === true ||
					q.hasOther === true ||
					q.showCommentArea === true ||
					q.hasComment === true
				)
					commentColumn();
				break;
			}
			case 'rating':
				columns.push({ ...base, name, cell: 'choice', choices: ratingChoices(q) });
				break;
			case 'boolean':
				columns.push({
					...base,
					name,
					cell: 'boolean',
					booleanValues: {
						true: (q.valueTrue as ChoiceValue | undefined) ?? true,
						false: (q.valueFalse as ChoiceValue | undefined) ?? false,
						labelTrue: q.labelTrue === undefined ? undefined : localized(q.labelTrue, 'true'),
						labelFalse: q.labelFalse === undefined ? undefined : localized(q.labelFalse, 'false')
					}
				});
				break;
			case 'matrix': {
				const cols = choiceList(q.columns);
				for (const r of choiceList(q.rows))
					columns.push({
						...base,
						name: `${name}.${String(r.value)}`,
						cell: 'choice',
						subKey: String(r.value),
						subTitle: r.label,
						required: base.required && q.isAllRowRequired === true,
						choices: cols
					});
				break;
			}
			case 'multipletext':
				for (const it of Array.isArray(q.items) ? q.items : []) {
					if (!isObj(it)) continue;
					const item = String(it.name ?? '');
					columns.push({
						...base,
						name: `${name}.${item}`,
						cell: textCell(it.inputType),
						subKey: item,
						subTitle: localized(it.title, item),
						required: base.required || it.isRequired === true,
						...range(it)
					});
				}
				break;
		}
		if (
			q.showCommentArea === true &&
			!['radiogroup', 'dropdown', 'checkbox', 'tagbox', 'imagepicker'].includes(type)
		)
			commentColumn();
	}
	if (unsupported.length)
		throw new TemplateError({
			vi: `Loại câu hỏi chưa hỗ trợ khi nhập CSV: ${unsupported.join(', ')}.`,
			en: `Question types not supported by CSV import: ${unsupported.join(', ')}.`
		});

	// Identifiers first, in the order given; missing ones become plain text columns.
	const ids: TemplateColumn[] = identifiers.map((id) => {
		const i = columns.findIndex((c) => c.name === id);
		if (i >= 0) {
			const [c] = columns.splice(i, 1);
			return { ...c, identifier: true, required: true, cell: 'text' };
		}
		return {
			name: id,
			cell: 'text',
			question: '',
			questionType: 'identifier',
			dataKey: id,
			title: id.endsWith('tax_code') ? { vi: 'Mã số thuế', en: 'Tax code' } : { vi: id, en: id },
			required: true,
			identifier: true
		};
	});
	const all = [...ids, ...columns];
	const seen = new Map<string, number>();
	for (const c of all) seen.set(c.name.toLowerCase(), (seen.get(c.name.toLowerCase()) ?? 0) + 1);
	const dup = [...seen].filter(([, n]) => n > 1).map(([k]) => k);
	if (dup.length)
		throw new TemplateError({
			vi: `Bảng hỏi sinh ra tên cột trùng nhau: ${dup.join(', ')}.`,
			en: `The questionnaire yields duplicate column names: ${dup.join(', ')}.`
		});
	return { columns: all, codebook: all.map(codebookRow) };
}

function codesText(c: TemplateColumn, lang: 'vi' | 'en'): string {
	if (c.cell === 'boolean' && c.booleanValues) {
		const b = c.booleanValues;
		const t = b.labelTrue?.[lang] ?? (lang === 'vi' ? 'Có' : 'Yes');
		const f = b.labelFalse?.[lang] ?? (lang === 'vi' ? 'Không' : 'No');
		return `${String(b.true)} = ${t}; ${String(b.false)} = ${f}`;
	}
	return (c.choices ?? []).map((o) => `${String(o.value)} = ${o.label[lang]}`).join('; ');
}

function codebookRow(c: TemplateColumn): CodebookRow {
	const notes: Bilingual[] = [];
	if (c.identifier)
		notes.push({
			vi: 'Định danh doanh nghiệp, bắt buộc ở mọi dòng. Định dạng cột là Text trong Excel để giữ số 0 ở đầu.',
			en: 'Identifies the enterprise; required in every row. Format the column as Text in Excel to keep leading zeros.'
		});
	if (c.cell === 'choices')
		notes.push({
			vi: 'Có thể chọn nhiều: ghi các mã cách nhau bằng dấu | (ví dụ 1|3).',
			en: 'Several answers allowed: write the codes separated by | (e.g. 1|3).'
		});
	if (c.cell === 'choice' || c.cell === 'choices')
		notes.push({
			vi: 'Ghi mã hoặc nhãn (tiếng Việt hoặc tiếng Anh).',
			en: 'Write the code or its label (Vietnamese or English).'
		});
	if (c.cell === 'boolean')
		notes.push({
			vi: 'Chấp nhận: có/không, yes/no, true/false, 1/0.',
			en: 'Accepted: có/không, yes/no, true/false, 1/0.'
		});
	if (c.cell === 'number')
		notes.push({
			vi: 'Số; dấu thập phân theo thiết lập khi nhập (1.234,5 hoặc 1,234.5).',
			en: 'A number; decimal mark as set when importing (1.234,5 or 1,234.5).'
		});
	if (c.cell === 'date')
		notes.push({ vi: 'Ngày dạng YYYY-MM-DD hoặc DD/MM/YYYY.', en: 'A date as YYYY-MM-DD or DD/MM/YYYY.' });
	if (c.condition)
		notes.push({
			vi: `Chỉ trả lời khi câu hỏi được hiển thị (${c.condition}).`,
			en: `Answer only when the question is shown (${c.condition}).`
		});
	const title = (lang: 'vi' | 'en') =>
		c.subTitle ? `${c.title[lang]} — ${c.subTitle[lang]}` : c.title[lang];
	const range = c.min !== undefined || c.max !== undefined ? `${c.min ?? ''}–${c.max ?? ''}` : '';
	return {
		column: c.name,
		question: c.question,
		type: c.questionType,
		title_vi: title('vi'),
		title_en: title('en'),
		codes_vi: codesText(c, 'vi'),
		codes_en: codesText(c, 'en'),
		range,
		unit: c.unit ? (c.unit.vi === c.unit.en ? c.unit.en : `${c.unit.vi} / ${c.unit.en}`) : '',
		required: c.required ? 'yes' : 'no',
		notes_vi: notes.map((n) => n.vi).join(' '),
		notes_en: notes.map((n) => n.en).join(' ')
	};
}

/** Codebook columns for `toCsvString(template.codebook, CODEBOOK_COLUMNS)`. */
export const CODEBOOK_COLUMNS = [
	'column',
	'question',
	'type',
	'title_vi',
	'title_en',
	'codes_vi',
	'codes_en',
	'range',
	'unit',
	'required',
	'notes_vi',
	'notes_en'
] as const;

/** A column's label: its question's title, and the matrix row or item within it. */
export function templateColumnLabel(c: TemplateColumn): Bilingual {
	return c.subTitle
		? { vi: `${c.title.vi} — ${c.subTitle.vi}`, en: `${c.title.en} — ${c.subTitle.en}` }
		: c.title;
}

/** The second header row the template carries: each column's label in one language. */
export function templateLabelRecord(template: Template, locale: 'vi' | 'en'): Record<string, string> {
	return Object.fromEntries(template.columns.map((c) => [c.name, templateColumnLabel(c)[locale]]));
}

/**
 * Whether a row is the template's label row (in either language, cells compared like codes): every
 * non-empty cell is its column's label, and at least the identifier's or two cells are. A data row
 * never qualifies: its identifier is a tax code, not the words "Mã số thuế".
 */
export function isTemplateLabelRecord(template: Template, record: Readonly<Record<string, string>>): boolean {
	let matched = 0;
	let identifier = false;
	for (const c of template.columns) {
		const v = record[c.name];
		if (v === undefined || v.trim() === '') continue;
		const label = templateColumnLabel(c);
		const key = matchKey(v);
		if (key !== matchKey(label.vi) && key !== matchKey(label.en)) return false;
		matched++;
		if (c.identifier) identifier = true;
	}
	return identifier || matched >= 2;
}

/** The template's header names, in order, those that must be present (identifiers), and its label row. */
export function templateReadOptions(template: Template): {
	requiredColumns: string[];
	optionalColumns: string[];
	isLabelRow: (record: Readonly<Record<string, string>>) => boolean;
} {
	return {
		requiredColumns: template.columns.filter((c) => c.identifier).map((c) => c.name),
		optionalColumns: template.columns.filter((c) => !c.identifier).map((c) => c.name),
		isLabelRow: (record) => isTemplateLabelRecord(template, record)
	};
}

// ---------------------------------------------------------------------------------------------
// Mapping records

/** The key used to compare codes and labels: NFC, lower-case, single spaces. */
export function matchKey(s: string): string {
	return s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

const AMBIGUOUS = Symbol('ambiguous');
interface Lookup {
	exact: Map<string, ChoiceValue>;
	loose: Map<string, ChoiceValue | typeof AMBIGUOUS>;
	numeric: Map<number, ChoiceValue>;
	order: Map<ChoiceValue, number>;
	codes: string;
}
const lookups = new WeakMap<TemplateColumn, Lookup>();

function lookupFor(c: TemplateColumn): Lookup {
	let l = lookups.get(c);
	if (l) return l;
	const exact = new Map<string, ChoiceValue>();
	const loose = new Map<string, ChoiceValue | typeof AMBIGUOUS>();
	const numeric = new Map<number, ChoiceValue>();
	const order = new Map<ChoiceValue, number>();
	const choices = c.choices ?? [];
	const addLoose = (k: string, v: ChoiceValue) => {
		const prev = loose.get(k);
		loose.set(k, prev === undefined || prev === v ? v : AMBIGUOUS);
	};
	choices.forEach((o, i) => {
		exact.set(String(o.value), o.value);
		order.set(o.value, i);
		if (typeof o.value === 'number') numeric.set(o.value, o.value);
	});
	// Codes first, and a label can never take over a key that is some code's (codes win over labels).
	const codeKeys = new Set(choices.map((o) => matchKey(String(o.value))));
	for (const o of choices) addLoose(matchKey(String(o.value)), o.value);
	for (const o of choices)
		for (const t of [o.label.vi, o.label.en, ...(o.aliases ?? [])]) {
			const k = matchKey(t);
			if (k !== '' && !codeKeys.has(k)) addLoose(k, o.value);
		}
	const shown = choices.slice(0, 12).map((o) => String(o.value));
	const codes = shown.join(', ') + (choices.length > 12 ? ', …' : '');
	l = { exact, loose, numeric, order, codes };
	lookups.set(c, l);
	return l;
}

export interface MapRecordOptions {
	numberFormat: NumberFormat;
}

export interface MappedRecord {
	/** SurveyJS data: `{ [dataKey]: value }`, matrix/multipletext as nested objects. Empty cells are absent. */
	answers: Record<string, unknown>;
	/** Identifier column values (trimmed strings, never numbers: tax codes keep leading zeros). */
	identifiers: Record<string, string>;
	problems: CellProblem[];
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', 'có', 'co', '1', 'đúng', 'dung']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'không', 'khong', '0', 'sai']);

function isoDate(s: string): string | null {
	let y: number, m: number, d: number;
	let mt = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
	if (mt) [y, m, d] = [Number(mt[1]), Number(mt[2]), Number(mt[3])];
	else if ((mt = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s)))
		[d, m, y] = [Number(mt[1]), Number(mt[2]), Number(mt[3])];
	else return null;
	const dt = new Date(Date.UTC(y, m - 1, d));
	if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
	return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const FORMAT_NAME: Record<NumberFormat, Bilingual> = {
	'dot-decimal': { vi: 'dấu chấm thập phân (1,234.5)', en: 'decimal point (1,234.5)' },
	'comma-decimal': { vi: 'dấu phẩy thập phân (1.234,5)', en: 'decimal comma (1.234,5)' }
};

const missingIdentifier = (c: TemplateColumn): Bilingual => ({
	vi: `Thiếu ${c.title.vi} (${c.name}).`,
	en: `${c.title.en} (${c.name}) is missing.`
});

/**
 * Map one CSV record (keys = template column names, as `readCsv` gives them with the template's
 * read options) onto SurveyJS answers. Every cell that cannot be read is a problem; nothing unknown
 * is accepted silently.
 *
 * Answers are listed in column order. Several columns may share a data key: a plain value keeps
 * the key's first place and takes the last cell's value; matrix rows and multipletext items of one
 * key fill one nested object.
 */
export function mapRecord(
	template: Template,
	record: Record<string, string>,
	options: MapRecordOptions
): MappedRecord {
	const answers = new Map<string, unknown>();
	const nested = new Map<string, Record<string, unknown>>();
	const identifiers: Record<string, string> = {};
	const problems: CellProblem[] = [];
	const problem = (c: TemplateColumn, value: string, message: Bilingual) =>
		problems.push({ column: c.name, value, message });

	for (const c of template.columns) {
		const raw = record[c.name];
		const value = raw === undefined ? '' : raw.trim();
		if (c.identifier) {
			if (value === '') {
				problem(c, value, missingIdentifier(c));
				continue;
			}
			const id = checkIdentifier(c, value);
			if (id) {
				problem(c, value, id);
				continue;
			}
			identifiers[c.name] = value;
			if (c.question === '') continue;
		}
		if (value === '') continue;
		const v = readCell(c, value, options.numberFormat);
		if ('error' in v) {
			problem(c, value, v.error);
			continue;
		}
		if (c.subKey === undefined) {
			answers.set(c.dataKey, v.value);
			continue;
		}
		let obj = nested.get(c.dataKey);
		if (!obj) {
			obj = {};
			nested.set(c.dataKey, obj);
			answers.set(c.dataKey, obj);
		}
		obj[c.subKey] = v.value;
	}
	// Object.fromEntries creates own properties, so even a key named `__proto__` stays an answer.
	const mapped: Record<string, unknown> = Object.fromEntries(answers);
	checkChoicesFrom(template.columns, record, mapped, problems);
	return { answers: mapped, identifiers, problems };
}

/** choicesFromQuestion in `selected`/`unselected` mode: checked against the same row's answers. */
function checkChoicesFrom(
	columns: readonly TemplateColumn[],
	record: Record<string, string>,
	answers: Record<string, unknown>,
	problems: CellProblem[]
): void {
	for (const c of columns) {
		if (!c.choicesFrom || c.choicesFrom.mode === 'all' || answers[c.dataKey] === undefined) continue;
		const source = answers[c.choicesFrom.question];
		const picked = new Set(Array.isArray(source) ? source : source === undefined ? [] : [source]);
		const values = Array.isArray(answers[c.dataKey])
			? (answers[c.dataKey] as ChoiceValue[])
			: [answers[c.dataKey] as ChoiceValue];
		const wantPicked = c.choicesFrom.mode === 'selected';
		const bad = values.filter((v) => picked.has(v) !== wantPicked);
		if (bad.length === 0) continue;
		delete answers[c.dataKey];
		problems.push({
			column: c.name,
			value: record[c.name] ?? '',
			message: {
				vi: `${bad.map(String).join(', ')} ${wantPicked ? 'phải là lựa chọn đã chọn' : 'không được là lựa chọn đã chọn'} ở cột ${c.choicesFrom.question}.`,
				en: `${bad.map(String).join(', ')} must ${wantPicked ? '' : 'not '}be among the answers in column ${c.choicesFrom.question}.`
			}
		});
	}
}

function checkIdentifier(c: TemplateColumn, value: string): Bilingual | null {
	if (!c.name.endsWith('tax_code')) return null;
	if (/^\d+([.,]\d+)?e\+?\d+$/i.test(value))
		return {
			vi: 'Excel đã đổi mã số thuế thành dạng số mũ (1,23E+09). Hãy định dạng cột là Text và nhập lại mã.',
			en: 'Excel turned the tax code into scientific notation (1.23E+09). Format the column as Text and re-enter the codes.'
		};
	if (/^\d{10}(-\d{3})?$/.test(value) || /^\d{12}$/.test(value)) return null;
	if (/^\d{9}$/.test(value))
		return {
			vi: 'Mã số thuế có 9 chữ số: có thể Excel đã bỏ số 0 ở đầu. Hãy định dạng cột là Text và nhập lại.',
			en: 'The tax code has 9 digits: Excel probably dropped a leading zero. Format the column as Text and re-enter it.'
		};
	return {
		vi: 'Mã số thuế phải gồm 10 chữ số, 10 chữ số kèm -XXX cho chi nhánh, hoặc 12 chữ số.',
		en: 'A tax code has 10 digits, 10 digits plus -XXX for a branch, or 12 digits.'
	};
}

type CellResult = { value: unknown } | { error: Bilingual };

function readChoice(c: TemplateColumn, s: string, format: NumberFormat): CellResult {
	const l = lookupFor(c);
	const hit = l.exact.get(s);
	if (hit !== undefined) return { value: hit };
	const loose = l.loose.get(matchKey(s));
	if (loose === AMBIGUOUS)
		return {
			error: {
				vi: `"${s}" khớp với nhiều lựa chọn; hãy ghi mã. Các mã: ${l.codes}.`,
				en: `"${s}" matches several options; write the code instead. Codes: ${l.codes}.`
			}
		};
	if (loose !== undefined) return { value: loose };
	if (l.numeric.size) {
		const n = parseLocaleNumber(s, format);
		const v = n === null ? undefined : l.numeric.get(n);
		if (v !== undefined) return { value: v };
	}
	return {
		error: {
			vi: `"${s}" không phải mã hay nhãn hợp lệ. Các mã: ${l.codes}.`,
			en: `"${s}" is not a valid code or label. Codes: ${l.codes}.`
		}
	};
}

/** The general reading of one non-empty, trimmed cell. */
function readCell(c: TemplateColumn, s: string, format: NumberFormat): CellResult {
	switch (c.cell) {
		case 'text':
			return { value: s.normalize('NFC') };
		case 'number': {
			const n = parseLocaleNumber(s, format, { percent: 'strip' });
			if (n !== null) return { value: n };
			const other: NumberFormat = format === 'dot-decimal' ? 'comma-decimal' : 'dot-decimal';
			const hint =
				parseLocaleNumber(s, other, { percent: 'strip' }) !== null
					? {
							vi: ` Giá trị này đúng theo ${FORMAT_NAME[other].vi}: hãy kiểm tra thiết lập định dạng số.`,
							en: ` It reads as a number with a ${FORMAT_NAME[other].en}: check the number-format setting.`
						}
					: { vi: '', en: '' };
			return {
				error: {
					vi: `"${s}" không phải số hợp lệ theo ${FORMAT_NAME[format].vi}.${hint.vi}`,
					en: `"${s}" is not a valid number with a ${FORMAT_NAME[format].en}.${hint.en}`
				}
			};
		}
		case 'date': {
			const d = isoDate(s);
			return d
				? { value: d }
				: {
						error: {
							vi: `"${s}" không phải ngày hợp lệ (YYYY-MM-DD hoặc DD/MM/YYYY).`,
							en: `"${s}" is not a valid date (YYYY-MM-DD or DD/MM/YYYY).`
						}
					};
		}
		case 'boolean': {
			const b = c.booleanValues ?? { true: true, false: false };
			const k = matchKey(s);
			const isTrue =
				TRUE_WORDS.has(k) ||
				k === matchKey(String(b.true)) ||
				(b.labelTrue && (k === matchKey(b.labelTrue.vi) || k === matchKey(b.labelTrue.en)));
			const isFalse =
				FALSE_WORDS.has(k) ||
				k === matchKey(String(b.false)) ||
				(b.labelFalse && (k === matchKey(b.labelFalse.vi) || k === matchKey(b.labelFalse.en)));
			if (isTrue && !isFalse) return { value: b.true };
			if (isFalse && !isTrue) return { value: b.false };
			return {
				error: {
					vi: `"${s}" không phải giá trị có/không. Chấp nhận: có/không, yes/no, true/false, 1/0.`,
					en: `"${s}" is not a yes/no value. Accepted: có/không, yes/no, true/false, 1/0.`
				}
			};
		}
		case 'choice':
			return readChoice(c, s, format);
		case 'choices': {
			const l = lookupFor(c);
			const picked = new Set<ChoiceValue>();
			for (const part of s.split('|')) {
				const p = part.trim();
				if (p === '') continue;
				const r = readChoice(c, p, format);
				if ('error' in r) {
					if (!s.includes('|') && /[,;]/.test(s))
						return {
							error: {
								vi: `${r.error.vi} Nhiều lựa chọn phải cách nhau bằng dấu | (ví dụ 1|3).`,
								en: `${r.error.en} Separate several answers with | (e.g. 1|3).`
							}
						};
					return r;
				}
				picked.add(r.value as ChoiceValue);
			}
			// Choice order, not typing order: re-importing the same answers must store the same value.
			return { value: [...picked].sort((a, b) => (l.order.get(a) ?? 0) - (l.order.get(b) ?? 0)) };
		}
	}
}
