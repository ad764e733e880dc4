/**
 * Reference validation: survey-core's own Model, headless. Slow and blind to
 * choices outside the list, ratings outside the scale and unknown keys, but it is the definition
 * the compiled validator must match (see differential.test.ts).
 * Headless, only validate(true, false) works: with a false first argument the error lists stay
 * empty, and the page-level validate functions throw in Node.
 */
import { Model, type Question, type SurveyError } from 'survey-core';
import 'survey-core/i18n/vietnamese';
import type { Problem, ProblemCode } from './types';

interface ValidatorLike {
	getType(): string;
	getErrorText(name: string | null): string;
}
interface EditorLike {
	name: string;
	errors: SurveyError[];
	validators?: ValidatorLike[];
	inputType?: string;
	minErrorText?: string;
	maxErrorText?: string;
	stepErrorText?: string;
	getValidatorTitle(): string | null;
}

function hasMatrices(m: Model): boolean {
	return (m.getAllQuestions() as Question[]).some((q) => STATEFUL_TYPES.has(q.getType()));
}

/** The fresh Model of the last response validated for a questionnaire with matrices. */
let lastValidated: { json: object; data: unknown; model: Model } | null = null;

interface MatrixRowLike {
	rowName: unknown;
	cells: Array<{ question: Question; column: { name: string } }>;
}

const models = new WeakMap<object, Model>();

function modelFor(json: object): Model {
	let m = models.get(json);
	if (!m) {
		m = new Model(json);
		models.set(json, m);
	}
	return m;
}

const OBJECT_TYPES = new Set(['matrix', 'multipletext', 'matrixdropdown']);
const ARRAY_TYPES = new Set(['checkbox', 'tagbox', 'matrixdynamic', 'paneldynamic']);
/**
 * A reused Model keeps a matrix's rows (a matrixdynamic's row count, cell errors of a matrix
 * hidden this time) from the previous response; such questionnaires get a fresh Model every time.
 */
const STATEFUL_TYPES = new Set(['matrixdynamic', 'matrixdropdown', 'paneldynamic']);

/**
 * A value of the wrong kind (e.g. an array for a boolean) leaves a reused Model in a state that
 * changes later verdicts (seen on 2.5.38: the boolean then reads as unanswered for the next
 * response). Such data gets the cached Model thrown away after use.
 */
function poisons(m: Model, data: unknown): boolean {
	if (!data || typeof data !== 'object' || Array.isArray(data)) return true;
	for (const [k, v] of Object.entries(data)) {
		const q = m.getQuestionByName(k);
		if (!q) {
			if (!k.endsWith('-Comment')) return true;
			continue;
		}
		if (v === null || v === undefined) continue;
		const t = q.getType();
		const kind = Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : 'scalar';
		const expected = ARRAY_TYPES.has(t) ? 'array' : OBJECT_TYPES.has(t) ? 'object' : 'scalar';
		if (kind !== expected) return true;
	}
	return false;
}

const prefix = (template: string | undefined) => (template ?? '').split('{0}')[0];

/** Map a survey-core error to the problem code our validator uses for the same rule. */
function classify(err: SurveyError, owner: EditorLike): ProblemCode | `surveycore:${string}` {
	const type = err.getErrorType();
	if (type === 'required') return 'required';
	if (type === 'otherempty') return 'other-required';
	if (type === 'requiredinallrowserror') return 'all-rows-required';
	if (type === 'minrowcounterror') return 'min-rows';
	if (type === 'requirenumeric') return 'not-numeric';
	if (type !== 'custom') return `surveycore:${type}`;
	// Custom errors carry only their text: find the rule that produced it.
	const text = err.getText();
	const title = owner.getValidatorTitle();
	for (const v of owner.validators ?? []) {
		const t = v.getType();
		const texts = [v.getErrorText(title)];
		if (t === 'textvalidator') texts.push(v.getErrorText('textNoDigitsAllow'));
		if (texts.includes(text)) return `validator:${t.replace('validator', '')}` as ProblemCode;
	}
	if (owner.inputType === 'number') {
		if (owner.minErrorText && text.startsWith(prefix(owner.minErrorText))) return 'min';
		if (owner.maxErrorText && text.startsWith(prefix(owner.maxErrorText))) return 'max';
		if (owner.stepErrorText && text.startsWith(prefix(owner.stepErrorText))) return 'step';
	}
	if (owner.inputType === 'email') return 'email';
	return 'surveycore:custom';
}

interface Found {
	question: string;
	item?: string;
	err: SurveyError;
	code: ProblemCode;
}

/**
 * Validate `data` with survey-core itself (one cached Model per questionnaire object).
 * Problems carry the survey-core message in both languages; `code` is what the rule is, in the
 * compiled validator's vocabulary (unrecognised errors come back as `surveycore:<type>`).
 */
export function validateWithSurveyCore(
	json: object,
	data: unknown,
	locale: 'vi' | 'en' = 'vi',
	opts: { fresh?: boolean } = {}
): Problem[] {
	let m = opts.fresh ? new Model(json) : modelFor(json);
	if (!opts.fresh && hasMatrices(m)) {
		m = new Model(json);
		lastValidated = { json, data, model: m };
	} else if (!opts.fresh && poisons(m, data)) models.delete(json);
	m.locale = locale === 'vi' ? 'vi' : '';
	// survey-core may rewrite values while validating (clearIncorrectValues); keep the caller's data intact.
	// A reused Model keeps carried-forward choices computed for the previous response (seen on
	// 2.5.38: a valid choicesFromQuestion answer then gets cleared and reported as required);
	// clear() first makes it behave like a fresh Model, at a fraction of the cost.
	m.clear(true, true);
	m.data = structuredClone(data) as Record<string, unknown>;
	// validate() skips hidden elements and leaves their old errors in place: a reused Model
	// would report errors of a previous response. Start clean.
	for (const q of m.getAllQuestions() as Question[]) {
		q.errors = [];
		const items = (q as unknown as { items?: Array<{ editor: { errors: SurveyError[] } }> }).items;
		if (q.getType() === 'multipletext' && items) for (const it of items) it.editor.errors = [];
	}
	m.validate(true, false);
	const found: Found[] = [];
	for (const q of m.getAllQuestions() as Question[]) {
		const owner = q as unknown as EditorLike;
		for (const err of owner.errors)
			found.push({ question: q.name, err, code: classify(err, owner) as ProblemCode });
		const items = (q as unknown as { items?: Array<{ name: string; editor: EditorLike }> }).items;
		if (q.getType() === 'multipletext' && items) {
			for (const it of items) {
				for (const err of it.editor.errors) {
					found.push({ question: q.name, item: it.name, err, code: classify(err, it.editor) as ProblemCode });
				}
			}
		}
		const t = q.getType();
		if (t === 'paneldynamic') {
			const panels = (q as unknown as { panels: Array<{ questions: Question[] }> }).panels;
			panels.forEach((panel, i) => {
				for (const inner of panel.questions) {
					const editor = inner as unknown as EditorLike;
					for (const err of editor.errors)
						found.push({
							question: q.name,
							item: `${i + 1}.${inner.name}`,
							err,
							code: classify(err, editor) as ProblemCode
						});
				}
			});
		}
		if (t === 'matrixdynamic' || t === 'matrixdropdown') {
			// Cell errors live on each row's cell editors, named here `<row>.<column>` like ours.
			const rows = (q as unknown as { visibleRows: MatrixRowLike[] }).visibleRows;
			rows.forEach((row, i) => {
				const label = t === 'matrixdynamic' ? String(i + 1) : String(row.rowName);
				for (const cell of row.cells) {
					const editor = cell.question as unknown as EditorLike;
					for (const err of editor.errors)
						found.push({
							question: q.name,
							item: `${label}.${cell.column.name}`,
							err,
							code: classify(err, editor) as ProblemCode
						});
				}
			});
		}
	}
	const first = found.map((f) => f.err.getText());
	m.locale = locale === 'vi' ? '' : 'vi';
	const second = found.map((f) => f.err.getText());
	m.locale = locale === 'vi' ? 'vi' : '';
	return found.map((f, i) => {
		const p: Problem = {
			question: f.question,
			code: f.code,
			message: locale === 'vi' ? { vi: first[i], en: second[i] } : { vi: second[i], en: first[i] }
		};
		if (f.item !== undefined) p.item = f.item;
		return p;
	});
}

/** survey-core's clearInvisibleValues 'onComplete' applied to `data` (reference for `cleaned`). */
export function cleanWithSurveyCore(json: object, data: unknown): Record<string, unknown> {
	let m = modelFor(json);
	const matrices = hasMatrices(m);
	if (matrices && lastValidated?.json === json && lastValidated.data === data) {
		// The Model that has just validated this very response (a fresh one is slow to build).
		m = lastValidated.model;
		lastValidated = null;
	} else {
		if (matrices) m = new Model(json);
		m.clear(true, true);
		m.data = structuredClone(data) as Record<string, unknown>;
		// A form is validated before it completes; that is when survey-core builds the matrices'
		// rows and stores their totals.
		if (matrices) m.validate(true, false);
	}
	// Private in the typings; it is what doComplete() runs for clearInvisibleValues 'onComplete'.
	(m as unknown as { clearInvisibleQuestionValues(): void }).clearInvisibleQuestionValues();
	return m.data as Record<string, unknown>;
}
