/**
 * One numeric answer typed in the form's language. Holds what the respondent typed (never
 * overwritten while it cannot be read) and decides, when they leave the field or press Enter,
 * what is stored:
 *  - a number read the form language's way, within the question's bounds: stored, and the field
 *    shows it formatted (`1 250 000` becomes `1.250.000` in Vietnamese);
 *  - read only the other language's way (`1.5` in Vietnamese): stored, and echoed next to the field;
 *  - readable two ways (`1.250` in Vietnamese): nothing stored until the respondent picks one;
 *  - unreadable or out of bounds: nothing stored (the answer is cleared, so no stale number stays
 *    behind the text), and the reason is shown next to the question in the form's language.
 * The SurveyJS glue (survey-numbers.ts) supplies the host; everything here is testable without a DOM.
 */
import {
	describeNumber,
	formatTypedNumber,
	parseTypedNumber,
	type InvalidReason,
	type NumberLocale
} from '$lib/domain/numbers';
import type { MessageKey } from '$lib/i18n';

export interface NumberBound {
	min: number | null;
	max: number | null;
	/** The questionnaire's own message for this range, in the current language, if it has one. */
	text: string | null;
}

export interface Choice {
	label: string;
	value: number;
}

export type FieldNote = { kind: 'echo'; text: string } | { kind: 'choose'; text: string; choices: Choice[] };

export interface FieldView {
	text: string;
	note: FieldNote | null;
	invalid: boolean;
	/** A soft plausibility warning about the stored number (never blocks). */
	advice: string | null;
}

export interface NumberFieldHost {
	locale(): NumberLocale;
	/** The answer currently stored in the form. */
	value(): unknown;
	/** Store a number, or clear the answer with undefined. */
	commit(value: number | undefined): void;
	bounds(): NumberBound[];
	render(view: FieldView): void;
	/** Show (or clear) this field's error in the form now. */
	revalidate(): void;
	tr(key: MessageKey, params?: Record<string, string | number>): string;
	/** A plausibility warning for a stored number (last year's answer), or null. */
	advise?(value: number): string | null;
	/** Keep text that could not be stored (null: nothing held), so a reload can show it again. */
	hold?(text: string | null): void;
}

const REASON_KEY: Record<InvalidReason, MessageKey> = {
	characters: 'number.characters',
	exponent: 'number.exponent',
	separators: 'number.separators',
	incomplete: 'number.incomplete',
	'too-long': 'number.tooLong'
};

export class NumberField {
	/** What the field shows: the respondent's own text until it is stored and formatted. */
	text = '';
	private note: FieldNote | null = null;
	private problemText: string | null = null;
	private advice: string | null = null;
	/** Set while the field holds text that is not (yet) the stored answer. */
	private held = false;
	/** The value this field stored last, to tell its own commits from outside changes. */
	private committed: unknown = undefined;

	constructor(private readonly host: NumberFieldHost) {
		this.showStored();
	}

	/** The error the form should show for this question, or null. */
	get problem(): string | null {
		return this.problemText;
	}

	/** The stored answer changed (data loaded, answer cleared by a condition): show it. */
	storedChanged(): void {
		const v = this.host.value();
		if (v === this.committed) return;
		// A number stored from elsewhere (another device's answers) replaces any held text.
		if (typeof v === 'number') this.host.hold?.(null);
		this.held = false;
		this.problemText = null;
		this.note = null;
		this.showStored();
	}

	/** The form's language changed: reformat the stored value, or re-read what is held. */
	localeChanged(): void {
		if (this.held) this.change(this.text);
		else this.showStored();
	}

	/** Every keystroke: only the echo follows the typing; nothing is stored or refused yet. */
	input(text: string): void {
		this.text = text;
		this.held = true;
		const r = parseTypedNumber(text, this.host.locale());
		if (r.kind === 'number' && r.convention === 'other') this.note = this.echo(r.value);
		else if (r.kind === 'ambiguous') this.note = this.ask(text, r.readings);
		else this.note = null;
		this.render();
	}

	/** The respondent left the field or pressed Enter: store, ask, or refuse. */
	change(text: string): void {
		this.text = text;
		const locale = this.host.locale();
		const r = parseTypedNumber(text, locale);
		this.note = null;
		switch (r.kind) {
			case 'empty':
				this.problemText = null;
				this.held = false;
				this.store(undefined);
				this.text = '';
				this.host.hold?.(null);
				break;
			case 'invalid':
				this.refuse(this.host.tr(REASON_KEY[r.reason]));
				break;
			case 'ambiguous':
				this.note = this.ask(text, r.readings);
				this.refuse(this.host.tr('number.choose', { text: text.trim() }));
				break;
			case 'number':
				if (this.accept(r.value) && r.convention === 'other') this.note = this.echo(r.value);
				break;
		}
		this.render();
		this.host.revalidate();
	}

	/** The respondent picked one reading of an ambiguous number. */
	choose(value: number): void {
		this.note = null;
		this.accept(value);
		this.render();
		this.host.revalidate();
	}

	private accept(value: number): boolean {
		const outside = this.outOfBounds(value);
		if (outside) {
			this.refuse(outside);
			return false;
		}
		this.problemText = null;
		this.held = false;
		this.store(value);
		this.text = formatTypedNumber(value, this.host.locale());
		return true;
	}

	private refuse(message: string): void {
		this.problemText = `${message} ${this.host.tr('number.notSaved')}`;
		this.advice = null;
		this.held = true;
		this.store(undefined);
		this.host.hold?.(this.text);
	}

	private store(value: number | undefined): void {
		if (value !== undefined) this.host.hold?.(null);
		this.committed = value;
		this.advice = value === undefined ? null : (this.host.advise?.(value) ?? null);
		if (this.host.value() !== value) this.host.commit(value);
	}

	private outOfBounds(value: number): string | null {
		const locale = this.host.locale();
		const f = (n: number) => formatTypedNumber(n, locale);
		for (const b of this.host.bounds()) {
			const low = b.min !== null && value < b.min;
			const high = b.max !== null && value > b.max;
			if (!low && !high) continue;
			if (b.text) return b.text;
			if (b.min !== null && b.max !== null)
				return this.host.tr('number.range', { min: f(b.min), max: f(b.max) });
			return low
				? this.host.tr('number.min', { min: f(b.min as number) })
				: this.host.tr('number.max', { max: f(b.max as number) });
		}
		return null;
	}

	private echo(value: number): FieldNote {
		const locale = this.host.locale();
		return {
			kind: 'echo',
			text: this.host.tr('number.readAs', {
				value: formatTypedNumber(value, locale),
				spelled: describeNumber(value, locale)
			})
		};
	}

	private ask(text: string, readings: [number, number]): FieldNote {
		const locale = this.host.locale();
		return {
			kind: 'choose',
			text: this.host.tr('number.whichOne', { text: text.trim() }),
			choices: readings.map((value) => ({ value, label: describeNumber(value, locale) }))
		};
	}

	private showStored(): void {
		const v = this.host.value();
		this.committed = v;
		this.advice = typeof v === 'number' ? (this.host.advise?.(v) ?? null) : null;
		this.text =
			typeof v === 'number' && Number.isFinite(v)
				? formatTypedNumber(v, this.host.locale())
				: typeof v === 'string'
					? v
					: '';
		this.render();
	}

	private render(): void {
		this.host.render({
			text: this.text,
			note: this.note,
			invalid: this.problemText !== null,
			advice: this.advice
		});
	}
}
