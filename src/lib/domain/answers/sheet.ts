/**
 * An enterprise's answers as a sheet it can keep (download after submit): one row per
 * answered question, in questionnaire order, with the page and question titles and the answer as
 * the form showed it (choice texts, not codes), in the reader's language.
 */
import type { Locale } from '$lib/i18n';

type Json = Record<string, unknown>;

export interface AnswerRow {
	page: string;
	code: string;
	question: string;
	answer: string | number;
}

/** A SurveyJS localizable string: `"text"` or `{ "default": "...", "vi": "..." }` (default is English). */
function loc(v: unknown, locale: Locale, fallback = ''): string {
	if (typeof v === 'string') return v;
	if (v && typeof v === 'object') {
		const o = v as Record<string, unknown>;
		const s = (locale === 'vi' ? o.vi : (o.en ?? o.default)) ?? o.default ?? o.vi;
		if (typeof s === 'string') return s;
	}
	return fallback;
}

function items(list: unknown): Json[] {
	return Array.isArray(list)
		? list.map((x) => (x !== null && typeof x === 'object' ? (x as Json) : { value: x }))
		: [];
}

function choiceText(list: unknown, value: unknown, locale: Locale): string {
	const found = items(list).find((c) => c.value === value);
	return found ? loc(found.text, locale, String(value)) : String(value);
}

function answerOf(q: Json, v: unknown, data: Json, locale: Locale): string | number {
	const other = () => {
		const comment = data[`${q.name as string}-Comment`];
		return typeof comment === 'string' && comment ? comment : loc(q.otherText, locale, 'Other');
	};
	const one = (x: unknown) => (x === 'other' && q.showOtherItem ? other() : choiceText(q.choices, x, locale));
	switch (q.type) {
		case 'radiogroup':
		case 'dropdown':
			return one(v);
		case 'checkbox':
			return Array.isArray(v) ? v.map(one).join('; ') : String(v);
		case 'boolean':
			return v === true
				? loc(q.labelTrue, locale, locale === 'vi' ? 'Có' : 'Yes')
				: loc(q.labelFalse, locale, locale === 'vi' ? 'Không' : 'No');
		case 'rating':
			return q.rateValues ? choiceText(q.rateValues, v, locale) : (v as number);
		case 'matrix': {
			const o = (v ?? {}) as Json;
			return items(q.rows)
				.filter((r) => o[r.value as string] !== undefined)
				.map(
					(r) =>
						`${loc(r.text, locale, String(r.value))}: ${choiceText(q.columns, o[r.value as string], locale)}`
				)
				.join('; ');
		}
		case 'multipletext': {
			const o = (v ?? {}) as Json;
			return items(q.items)
				.filter((it) => o[it.name as string] !== undefined)
				.map((it) => `${loc(it.title, locale, String(it.name))}: ${String(o[it.name as string])}`)
				.join('; ');
		}
		default:
			return typeof v === 'number' ? v : typeof v === 'string' ? v : JSON.stringify(v);
	}
}

export function answerRows(
	questionnaire: object,
	data: Record<string, unknown>,
	locale: Locale
): AnswerRow[] {
	const out: AnswerRow[] = [];
	const pages = items((questionnaire as Json).pages);
	const walk = (elements: unknown, page: string) => {
		for (const e of items(elements)) {
			if (e.type === 'panel') {
				walk(e.elements, page);
				continue;
			}
			if (e.type === 'html' || typeof e.name !== 'string') continue;
			const v = data[e.name];
			if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
			out.push({
				page,
				code: e.name,
				question: loc(e.title, locale, e.name),
				answer: answerOf(e, v, data, locale)
			});
		}
	};
	for (const p of pages) walk(p.elements, loc(p.title, locale, String(p.name ?? '')));
	return out;
}

/** Question name → title in the reader's language (panels included), for reports naming questions. */
export function questionTitles(questionnaire: object, locale: Locale): Map<string, string> {
	const out = new Map<string, string>();
	const walk = (elements: unknown) => {
		for (const e of items(elements)) {
			if (e.type === 'panel') walk(e.elements);
			else if (typeof e.name === 'string') out.set(e.name, loc(e.title, locale, e.name));
		}
	};
	for (const p of items((questionnaire as Json).pages)) walk(p.elements);
	return out;
}
