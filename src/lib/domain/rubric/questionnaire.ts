/**
 * A read-only index of a SurveyJS questionnaire JSON: every question with the facts the rubric
 * validator, the generator and answer checks need (choices, ranges, rows, visibleIf). Pure: no
 * survey-core import, so it runs anywhere.
 */
import type { RubricIssue } from './types';

/** The only question types TechCap questionnaires use (validators and CSV mapping cover these). */
export const QUESTION_TYPES = [
	'text',
	'comment',
	'radiogroup',
	'dropdown',
	'checkbox',
	'rating',
	'boolean',
	'matrix',
	'matrixdynamic',
	'multipletext',
	'expression',
	'html',
	'panel'
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export type ChoiceValue = string | number;

export interface QuestionInfo {
	name: string;
	type: QuestionType;
	/** JSON path of the element, e.g. `$.pages[1].elements[3]`. */
	path: string;
	page: string;
	inputType: string | null;
	/** Allowed values for choice questions (incl. 'none'/'other' when shown), rating and boolean. */
	choices: ChoiceValue[] | null;
	choicesFromQuestion: string | null;
	rows: string[] | null;
	/** Matrix: column values; matrixdynamic: column names. */
	columns: ChoiceValue[] | null;
	items: string[] | null;
	min: number | null;
	max: number | null;
	visibleIf: string | null;
	isRequired: boolean;
	json: Readonly<Record<string, unknown>>;
}

export interface QuestionnaireIndex {
	questions: QuestionInfo[];
	byName: ReadonlyMap<string, QuestionInfo>;
	pages: string[];
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function choiceValues(list: unknown): ChoiceValue[] {
	if (!Array.isArray(list)) return [];
	return list.map((c) => (isObj(c) ? (c.value as ChoiceValue) : (c as ChoiceValue)));
}

function numOrNull(v: unknown): number | null {
	return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Builds the index; structural problems are reported by `lintQuestionnaire`, not thrown. */
export function indexQuestionnaire(json: unknown): QuestionnaireIndex {
	const questions: QuestionInfo[] = [];
	const pages: string[] = [];
	const root = isObj(json) ? json : {};
	const pageList = Array.isArray(root.pages) ? root.pages : [];
	pageList.forEach((pg, pi) => {
		if (!isObj(pg)) return;
		const pageName = typeof pg.name === 'string' ? pg.name : `page${pi + 1}`;
		pages.push(pageName);
		visit(pg.elements, `$.pages[${pi}].elements`, pageName);
	});

	function visit(elements: unknown, base: string, page: string): void {
		if (!Array.isArray(elements)) return;
		elements.forEach((el, i) => {
			if (!isObj(el)) return;
			const path = `${base}[${i}]`;
			const type = el.type as QuestionType;
			if (type === 'panel') {
				visit(el.elements, `${path}.elements`, page);
				return;
			}
			const name = typeof el.name === 'string' ? el.name : '';
			let choices: ChoiceValue[] | null = null;
			if (type === 'radiogroup' || type === 'dropdown' || type === 'checkbox') {
				choices = choiceValues(el.choices);
				const lo = numOrNull(el.choicesMin);
				const hi = numOrNull(el.choicesMax);
				const step = numOrNull(el.choicesStep) ?? 1;
				// survey-core offers choicesMin..choicesMax after the listed choices on a dropdown.
				if (type === 'dropdown' && lo !== null && hi !== null && hi > lo && step > 0)
					for (let v = lo; v <= hi && choices.length < 10_000; v += step) choices.push(v);
				if (el.showNoneItem === true) choices.push('none');
				if (el.showOtherItem === true) choices.push('other');
			} else if (type === 'rating') {
				if (Array.isArray(el.rateValues)) choices = choiceValues(el.rateValues);
				else {
					const lo = numOrNull(el.rateMin) ?? 1;
					const hi = numOrNull(el.rateMax) ?? 5;
					const step = numOrNull(el.rateStep) ?? 1;
					choices = [];
					for (let v = lo; v <= hi; v += step) choices.push(v);
				}
			} else if (type === 'boolean') {
				choices = [true, false] as unknown as ChoiceValue[];
			}
			questions.push({
				name,
				type,
				path,
				page,
				inputType: typeof el.inputType === 'string' ? el.inputType : type === 'text' ? 'text' : null,
				choices,
				choicesFromQuestion: typeof el.choicesFromQuestion === 'string' ? el.choicesFromQuestion : null,
				rows: type === 'matrix' ? choiceValues(el.rows).map(String) : null,
				columns:
					type === 'matrix'
						? choiceValues(el.columns)
						: type === 'matrixdynamic' && Array.isArray(el.columns)
							? el.columns.map((c) => (isObj(c) ? String(c.name) : String(c)))
							: null,
				items:
					type === 'multipletext' && Array.isArray(el.items)
						? el.items.map((it) => (isObj(it) ? String(it.name) : String(it)))
						: null,
				min: numOrNull(el.min),
				max: numOrNull(el.max),
				visibleIf: typeof el.visibleIf === 'string' ? el.visibleIf : null,
				isRequired: el.isRequired === true,
				json: el
			});
		});
	}

	const byName = new Map(questions.filter((q) => q.name).map((q) => [q.name, q] as const));
	// Questions whose choices come from another question allow exactly that question's choices.
	for (const q of questions) {
		if (q.choicesFromQuestion) {
			const src = byName.get(q.choicesFromQuestion);
			if (src?.choices) q.choices = src.choices.filter((c) => c !== 'none' && c !== 'other');
		}
	}
	return { questions, byName, pages };
}

/** Display-only types carry no answer. */
export function isAnswerable(q: QuestionInfo): boolean {
	return q.type !== 'html' && q.type !== 'expression';
}

const NAME_RE = /^[a-z][a-z0-9_]*$/;
const REF_RE = /\{([A-Za-z_][A-Za-z0-9_]*)(?:[.[][^}]*)?\}/g;

function isBilingual(v: unknown): boolean {
	return (
		isObj(v) && typeof v.default === 'string' && v.default !== '' && typeof v.vi === 'string' && v.vi !== ''
	);
}

/**
 * House rules for a questionnaire: allowed types, stable snake_case names, bilingual text,
 * numeric inputs with min/max and a numeric validator, validators with their own message,
 * `visibleIf`/`choicesFromQuestion` pointing at real questions, unique choice values.
 */
export function lintQuestionnaire(json: unknown, file: string): RubricIssue[] {
	const issues: RubricIssue[] = [];
	const add: LintAdd = (path, en, vi) => issues.push({ file, path, message: en, text: { vi, en } });
	const badTitle = (path: string) =>
		add(
			path,
			'title must be {"default": English, "vi": Vietnamese}',
			'Tiêu đề phải có cả tiếng Anh và tiếng Việt: {"default": tiếng Anh, "vi": tiếng Việt}.'
		);
	if (!isObj(json) || !Array.isArray(json.pages) || json.pages.length === 0) {
		add(
			'$',
			'a questionnaire needs a non-empty "pages" array',
			'Bảng hỏi cần có danh sách trang ("pages") không rỗng.'
		);
		return issues;
	}
	if (!isBilingual(json.title)) badTitle('$.title');
	const idx = indexQuestionnaire(json);
	json.pages.forEach((pg, pi) => {
		if (isObj(pg) && pg.title !== undefined && !isBilingual(pg.title)) badTitle(`$.pages[${pi}].title`);
		if (isObj(pg)) checkPanels(pg.elements, `$.pages[${pi}].elements`);
	});
	function checkPanels(elements: unknown, base: string): void {
		if (!Array.isArray(elements)) return;
		elements.forEach((el, i) => {
			if (!isObj(el))
				return add(`${base}[${i}]`, 'element must be an object', 'Mỗi phần tử phải là một đối tượng.');
			if (!QUESTION_TYPES.includes(el.type as QuestionType))
				add(
					`${base}[${i}].type`,
					`question type '${String(el.type)}' is not allowed (use one of ${QUESTION_TYPES.join(', ')})`,
					`Không được dùng loại câu hỏi '${String(el.type)}' (hãy dùng một trong các loại: ${QUESTION_TYPES.join(', ')}).`
				);
			if (el.type === 'panel') {
				if (el.title !== undefined && !isBilingual(el.title)) badTitle(`${base}[${i}].title`);
				checkPanels(el.elements, `${base}[${i}].elements`);
			}
		});
	}
	const seen = new Set<string>();
	for (const q of idx.questions) {
		if (!NAME_RE.test(q.name))
			add(
				`${q.path}.name`,
				`question name '${q.name}' must be lowercase snake_case`,
				`Tên câu hỏi '${q.name}' phải viết thường, các từ nối bằng dấu gạch dưới (snake_case).`
			);
		else if (seen.has(q.name))
			add(`${q.path}.name`, `duplicate question name '${q.name}'`, `Tên câu hỏi '${q.name}' bị trùng.`);
		seen.add(q.name);
		if (q.type !== 'html' && !isBilingual(q.json.title))
			add(
				`${q.path}.title`,
				`question '${q.name}' needs a bilingual title {"default", "vi"}`,
				`Câu hỏi '${q.name}' cần tiêu đề bằng cả hai thứ tiếng {"default", "vi"}.`
			);
		if (q.json.description !== undefined && !isBilingual(q.json.description))
			add(
				`${q.path}.description`,
				`question '${q.name}': description must be {"default", "vi"}`,
				`Câu hỏi '${q.name}': phần mô tả phải có cả hai thứ tiếng {"default", "vi"}.`
			);
		if (q.type === 'text' && q.inputType === 'number') {
			if (q.min === null || q.max === null)
				add(
					q.path,
					`number question '${q.name}' needs min and max`,
					`Câu hỏi nhập số '${q.name}' cần có giá trị nhỏ nhất (min) và lớn nhất (max).`
				);
			const validators = Array.isArray(q.json.validators) ? q.json.validators : [];
			if (!validators.some((v) => isObj(v) && v.type === 'numeric'))
				add(
					`${q.path}.validators`,
					`number question '${q.name}' needs a numeric validator`,
					`Câu hỏi nhập số '${q.name}' cần một quy tắc kiểm tra giá trị số (numeric validator).`
				);
		}
		if (q.type === 'matrixdynamic') lintListColumns(q, add);
		if (Array.isArray(q.json.validators))
			q.json.validators.forEach((v, vi) => {
				if (!isObj(v) || !isBilingual(v.text))
					add(
						`${q.path}.validators[${vi}].text`,
						`validator of '${q.name}' needs its own bilingual text`,
						`Quy tắc kiểm tra của câu hỏi '${q.name}' cần thông báo riêng bằng cả hai thứ tiếng.`
					);
			});
		if (q.choices && q.type !== 'boolean') {
			const vals = q.choices.map(String);
			const dup = vals.find((v, i) => vals.indexOf(v) !== i);
			if (dup !== undefined)
				add(
					`${q.path}.choices`,
					`question '${q.name}' has duplicate choice value '${dup}'`,
					`Câu hỏi '${q.name}' có giá trị lựa chọn '${dup}' bị trùng.`
				);
			if (
				(q.type === 'radiogroup' || q.type === 'dropdown' || q.type === 'checkbox') &&
				!q.choicesFromQuestion &&
				q.choices.length === 0
			)
				add(
					`${q.path}.choices`,
					`question '${q.name}' has no choices`,
					`Câu hỏi '${q.name}' không có lựa chọn nào.`
				);
		}
		if (q.choicesFromQuestion && !idx.byName.has(q.choicesFromQuestion))
			add(
				`${q.path}.choicesFromQuestion`,
				`unknown question '${q.choicesFromQuestion}'`,
				`Bảng hỏi không có câu hỏi '${q.choicesFromQuestion}'.`
			);
		for (const key of ['visibleIf', 'enableIf', 'requiredIf', 'expression'] as const) {
			const expr = q.json[key];
			if (typeof expr !== 'string') continue;
			for (const m of expr.matchAll(REF_RE))
				if (!idx.byName.has(m[1]))
					add(
						`${q.path}.${key}`,
						`refers to unknown question '${m[1]}'`,
						`Điều kiện tham chiếu đến câu hỏi không tồn tại '${m[1]}'.`
					);
		}
	}
	return issues;
}

/** The English text is the technical message; both texts are shown to the administrator. */
type LintAdd = (path: string, en: string, vi: string) => void;

/** Cell types a list column may have (the ones the validator, CSV import and the rubric read). */
const LIST_CELL_TYPES = ['text', 'dropdown', 'comment'];
/** More rows than this is a data dump, not a form: an equipment list lists main machines and lines. */
export const MAX_LIST_ROWS = 500;

/**
 * A `matrixdynamic` (e.g. an equipment list): a bounded number of rows, columns with stable
 * snake_case names, bilingual titles, an explicit cell type, number columns bounded and validated
 * like number questions, dropdown columns with unique choices.
 */
function lintListColumns(q: QuestionInfo, add: LintAdd): void {
	const j = q.json;
	const max = j.maxRowCount;
	if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_LIST_ROWS)
		add(
			`${q.path}.maxRowCount`,
			`list '${q.name}' needs a maxRowCount from 1 to ${MAX_LIST_ROWS}`,
			`Danh sách '${q.name}' cần số dòng tối đa (maxRowCount) từ 1 đến ${MAX_LIST_ROWS}.`
		);
	if (!Array.isArray(j.columns) || j.columns.length === 0)
		return add(
			`${q.path}.columns`,
			`list '${q.name}' needs columns`,
			`Danh sách '${q.name}' cần có các cột.`
		);
	const names = new Set<string>();
	j.columns.forEach((c, ci) => {
		const at = `${q.path}.columns[${ci}]`;
		if (!isObj(c)) return add(at, 'column must be an object', 'Mỗi cột phải là một đối tượng.');
		const name = typeof c.name === 'string' ? c.name : '';
		const col = `${q.name}.${name}`;
		if (!NAME_RE.test(name))
			add(
				`${at}.name`,
				`column name '${name}' must be lowercase snake_case`,
				`Tên cột '${name}' phải viết thường, các từ nối bằng dấu gạch dưới (snake_case).`
			);
		else if (names.has(name))
			add(
				`${at}.name`,
				`duplicate column name '${name}' in '${q.name}'`,
				`Tên cột '${name}' bị trùng trong '${q.name}'.`
			);
		names.add(name);
		if (!isBilingual(c.title))
			add(
				`${at}.title`,
				`column '${col}' needs a bilingual title`,
				`Cột '${col}' cần tiêu đề bằng cả hai thứ tiếng.`
			);
		if (!LIST_CELL_TYPES.includes(c.cellType as string))
			add(
				`${at}.cellType`,
				`column '${col}' needs a cellType (${LIST_CELL_TYPES.join(', ')}), got ${JSON.stringify(c.cellType)}`,
				`Cột '${col}' cần kiểu ô (cellType) là một trong ${LIST_CELL_TYPES.join(', ')}, đang là ${JSON.stringify(c.cellType)}.`
			);
		if (c.cellType === 'text' && c.inputType === 'number') {
			if (typeof c.min !== 'number' || typeof c.max !== 'number')
				add(
					at,
					`number column '${col}' needs min and max`,
					`Cột nhập số '${col}' cần có giá trị nhỏ nhất (min) và lớn nhất (max).`
				);
			const validators = Array.isArray(c.validators) ? c.validators : [];
			if (!validators.some((v) => isObj(v) && v.type === 'numeric'))
				add(
					`${at}.validators`,
					`number column '${col}' needs a numeric validator`,
					`Cột nhập số '${col}' cần một quy tắc kiểm tra giá trị số (numeric validator).`
				);
		}
		if (Array.isArray(c.validators))
			c.validators.forEach((v, vi) => {
				if (!isObj(v) || !isBilingual(v.text))
					add(
						`${at}.validators[${vi}].text`,
						`validator of '${col}' needs its own bilingual text`,
						`Quy tắc kiểm tra của cột '${col}' cần thông báo riêng bằng cả hai thứ tiếng.`
					);
			});
		if (c.cellType === 'dropdown') {
			const vals = choiceValues(c.choices).map(String);
			if (vals.length === 0)
				add(`${at}.choices`, `column '${col}' has no choices`, `Cột '${col}' không có lựa chọn nào.`);
			const dup = vals.find((v, i) => vals.indexOf(v) !== i);
			if (dup !== undefined)
				add(
					`${at}.choices`,
					`column '${col}' has duplicate choice value '${dup}'`,
					`Cột '${col}' có giá trị lựa chọn '${dup}' bị trùng.`
				);
		}
	});
}
