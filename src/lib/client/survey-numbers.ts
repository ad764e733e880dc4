/**
 * SurveyJS glue for NumberField: every numeric text question (`inputType: "number"`, also the
 * items of a multiple-text question) is rendered by a custom widget with a plain text input, so
 * the browser never reinterprets what was typed (chromium's number input turns `3,5` into 35), and
 * the form's validation shows NumberField's problem next to the question.
 *
 * The questionnaire JSON is unchanged: the question stays `inputType: "number"` for survey-core's
 * own min/max/step checks, and its value is always a number or empty.
 */
import type { Question, SurveyModel } from 'survey-core';
import { t, type Locale } from '$lib/i18n';
import { formatTypedNumber, unitFromTitle } from '$lib/domain/numbers';
import { NumberField, type FieldView, type NumberBound } from './number-field';
import type { HeldTexts } from './held-texts';

type Core = typeof import('survey-core');

interface Attached {
	field: NumberField;
	el: HTMLElement | null;
	input: HTMLInputElement | null;
	off: (() => void) | null;
}

const fields = new WeakMap<Question, Attached>();
/** Plausibility advice per form: (question name, stored number) → warning text or null. */
export type Adviser = (question: string, value: number) => string | null;
const advisers = new WeakMap<object, Adviser>();
/** Per form: where unreadable text is kept across reloads. */
const holders = new WeakMap<object, HeldTexts>();
const WIDGET = 'techcap-number';

const TEMPLATE =
	'<div class="tc-number">' +
	'<div class="tc-number-row">' +
	'<input type="text" inputmode="decimal" autocomplete="off" spellcheck="false">' +
	'<span class="tc-number-unit" aria-hidden="true"></span>' +
	'</div>' +
	'<div class="tc-number-note" aria-live="polite"></div>' +
	'<div class="tc-number-advice" role="note"></div>' +
	'</div>';

/** The form's language: survey-core reports its default locale (English, "default" texts) as ''. */
function localeOf(q: Question): Locale {
	return q.getLocale?.() === 'vi' ? 'vi' : 'en';
}

/** min/max of the question and of its numeric validators, with the validators' own messages. */
function boundsOf(q: Question): NumberBound[] {
	const out: NumberBound[] = [];
	const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
	const own = q as unknown as { min?: unknown; max?: unknown };
	const min = n(own.min);
	const max = n(own.max);
	for (const v of q.validators ?? []) {
		if (v.getType() !== 'numericvalidator') continue;
		const nv = v as unknown as { minValue?: unknown; maxValue?: unknown; text?: string };
		out.push({ min: n(nv.minValue), max: n(nv.maxValue), text: nv.text || null });
	}
	if (min !== null || max !== null) out.push({ min, max, text: null });
	return out;
}

/** The form a question (or a multiple-text item) belongs to, and its key among held texts. */
function ownerOf(q: Question): { survey: object | undefined; key: string } {
	const o = q as unknown as { parentQuestion?: Question | null; survey?: object };
	const parent = o.parentQuestion;
	return {
		survey: o.survey ?? (parent as unknown as { survey?: object } | null | undefined)?.survey,
		key: parent ? `${parent.name}.${q.name}` : q.name
	};
}

function heldFor(q: Question): { holder: HeldTexts; key: string } | null {
	const { survey, key } = ownerOf(q);
	const holder = survey ? holders.get(survey) : undefined;
	return holder ? { holder, key } : null;
}

function fieldFor(q: Question): Attached {
	let a = fields.get(q);
	if (a) return a;
	const attached: Attached = { field: null as unknown as NumberField, el: null, input: null, off: null };
	attached.field = new NumberField({
		locale: () => localeOf(q),
		value: () => q.value,
		commit: (v) => {
			q.value = v;
		},
		bounds: () => boundsOf(q),
		render: (view) => paint(attached, view),
		revalidate: () => {
			q.validate(true);
			// A multiple-text item's error row is drawn by its question, which survey-js-ui redraws
			// only when one of the question's own properties changes: nudge it.
			const parent = (q as unknown as { parentQuestion?: Question | null }).parentQuestion;
			if (parent) {
				const tick = Number(parent.getPropertyValue('techcapErrorsTick') ?? 0);
				parent.setPropertyValue('techcapErrorsTick', tick + 1);
			}
		},
		tr: (key, params) => t(localeOf(q), key, params),
		// Only whole questions are compared with last year (not multiple-text items).
		advise: (v) => {
			const owner = q as unknown as { parentQuestion?: unknown; survey?: object };
			const adviser = owner.survey ? advisers.get(owner.survey) : undefined;
			return owner.parentQuestion || !adviser ? null : adviser(q.name, v);
		},
		hold: (text) => {
			const h = heldFor(q);
			h?.holder.set(h.key, text);
		}
	});
	fields.set(q, (a = attached));
	return a;
}

function paint(a: Attached, view: FieldView): void {
	const { el, input } = a;
	if (!el || !input) return;
	if (input.value !== view.text) input.value = view.text;
	input.setAttribute('aria-invalid', view.invalid ? 'true' : 'false');
	const advice = el.querySelector('.tc-number-advice') as HTMLElement;
	if (advice.textContent !== (view.advice ?? '')) advice.textContent = view.advice ?? '';
	const note = el.querySelector('.tc-number-note') as HTMLElement;
	note.replaceChildren();
	note.dataset.kind = view.note?.kind ?? '';
	if (!view.note) return;
	const p = document.createElement('span');
	p.textContent = view.note.text;
	note.append(p);
	if (view.note.kind === 'choose') {
		for (const c of view.note.choices) {
			const b = document.createElement('button');
			b.type = 'button';
			b.className = 'tc-number-choice';
			b.textContent = c.label;
			b.dataset.value = String(c.value);
			// mousedown would blur the input first and re-read the text: choose on click only.
			b.addEventListener('click', () => a.field.choose(c.value));
			note.append(b);
		}
	}
}

function attach(q: Question, el: HTMLElement): void {
	const a = fieldFor(q);
	const input = el.querySelector('input') as HTMLInputElement | null;
	if (!input) return;
	if (a.el !== el || a.input !== input) {
		a.off?.();
		a.el = el;
		a.input = input;
		const onInput = () => a.field.input(input.value);
		const onChange = () => a.field.change(input.value);
		const onKey = (e: KeyboardEvent) => {
			if (e.key === 'Enter') onChange();
		};
		input.addEventListener('input', onInput);
		input.addEventListener('change', onChange);
		input.addEventListener('keydown', onKey);
		q.registerPropertyChangedHandlers(['value'], () => a.field.storedChanged(), WIDGET);
		a.off = () => {
			input.removeEventListener('input', onInput);
			input.removeEventListener('change', onChange);
			input.removeEventListener('keydown', onKey);
			q.unregisterPropertyChangedHandlers(['value'], WIDGET);
		};
		a.field.localeChanged();
		// Text that could not be stored on an earlier visit: shown again, with its message.
		const h = heldFor(q);
		const text = h?.holder.get(h.key);
		const v = q.value;
		// After SurveyJS has finished this render, or the error it shows would be drawn over.
		if (text && (v === undefined || v === null || v === ''))
			setTimeout(() => {
				if (a.input === input && (q.value === undefined || q.value === null || q.value === ''))
					a.field.change(text);
			}, 0);
	}
	// Attributes SurveyJS's own text input would carry (re-applied on every render).
	const tq = q as unknown as {
		inputId: string;
		getControlClass?: () => string;
		a11y_input_ariaLabel?: string | null;
		a11y_input_ariaDescribedBy?: string | null;
		a11y_input_ariaRequired?: 'true' | 'false';
		renderedPlaceholder?: string;
	};
	input.id = tq.inputId;
	input.className = (tq.getControlClass?.() ?? '') + ' tc-number-input';
	input.readOnly = q.isReadOnly;
	const set = (name: string, v: string | null | undefined) =>
		v ? input.setAttribute(name, v) : input.removeAttribute(name);
	set('aria-label', tq.a11y_input_ariaLabel);
	set('aria-describedby', tq.a11y_input_ariaDescribedBy);
	set('aria-required', tq.a11y_input_ariaRequired);
	set('placeholder', tq.renderedPlaceholder);
	// The unit the title states (tỷ đồng, %, người) right beside the number (the title says it too).
	const unit = el.querySelector('.tc-number-unit');
	const unitText = unitFromTitle(q.processedTitle || q.title || '') ?? '';
	if (unit && unit.textContent !== unitText) unit.textContent = unitText;
}

function detach(q: Question, el: HTMLElement): void {
	const a = fields.get(q);
	if (!a || a.el !== el) return;
	a.off?.();
	a.off = null;
	a.el = null;
	a.input = null;
}

/** Register the widget (once per page load; survey-core keeps widgets in a global collection). */
export function registerNumberWidget(core: Core): void {
	const widgets = core.CustomWidgetCollection.Instance;
	if (widgets.getCustomWidgetByName(WIDGET)) return;
	widgets.add({
		name: WIDGET,
		isFit: (q: Question) =>
			q.getType() === 'text' && (q as unknown as { inputType: string }).inputType === 'number',
		htmlTemplate: TEMPLATE,
		afterRender: attach,
		willUnmount: detach,
		// Preview and read-only display: the value as the form's language writes it.
		getDisplayValue: (q: Question) => {
			const v = q.value;
			return typeof v === 'number' ? formatTypedNumber(v, localeOf(q)) : v;
		}
	});
}

/** Show each numeric field's problem as the question's error (instead of "required"). */
export function watchNumberProblems(model: SurveyModel, adviser?: Adviser, held?: HeldTexts): void {
	if (adviser) advisers.set(model, adviser);
	if (held) holders.set(model, held);
	model.onValidateQuestion.add((_sender, options) => {
		const problem = fields.get(options.question)?.field.problem;
		if (!problem) return;
		options.errors.length = 0;
		options.error = problem;
	});
}

/** The text a numeric field holds that is not stored (for the review page), by question. */
export function heldProblem(q: Question): string | null {
	return fields.get(q)?.field.problem ?? null;
}
