import { describe, expect, it } from 'vitest';
import { t, type Locale } from '$lib/i18n';
import { NumberField, type FieldView, type NumberBound, type NumberFieldHost } from './number-field';

/** A form with one numeric question, recording what the field did to it. */
function setup(
	opts: {
		locale?: Locale;
		value?: unknown;
		bounds?: NumberBound[];
		advise?: (v: number) => string | null;
	} = {}
) {
	const state = {
		locale: opts.locale ?? ('vi' as Locale),
		value: opts.value as unknown,
		commits: [] as Array<number | undefined>,
		views: [] as FieldView[],
		revalidations: 0,
		held: [] as Array<string | null>
	};
	const host: NumberFieldHost = {
		locale: () => state.locale,
		value: () => state.value,
		commit: (v) => {
			state.commits.push(v);
			state.value = v;
		},
		bounds: () => opts.bounds ?? [],
		render: (v) => state.views.push(v),
		revalidate: () => state.revalidations++,
		tr: (key, params) => t(state.locale, key, params),
		advise: opts.advise,
		hold: (text) => state.held.push(text)
	};
	const field = new NumberField(host);
	const view = () => state.views[state.views.length - 1];
	return { field, state, view };
}

describe('NumberField', () => {
	it('shows a stored value formatted in the form language', () => {
		expect(setup({ value: 1250000.5 }).view().text).toBe('1.250.000,5');
		expect(setup({ value: 1250000.5, locale: 'en' }).view().text).toBe('1,250,000.5');
		expect(setup({}).view().text).toBe('');
	});

	it('typing stores nothing; leaving the field stores the number and shows it formatted', () => {
		const { field, state, view } = setup();
		field.input('3');
		field.input('3,');
		field.input('3,5');
		expect(state.commits).toEqual([]);
		expect(view()).toEqual({ text: '3,5', note: null, invalid: false, advice: null });
		field.change('3,5');
		expect(state.commits).toEqual([3.5]);
		expect(field.problem).toBeNull();
		expect(state.revalidations).toBe(1);
		field.change('1 250 000');
		expect(state.value).toBe(1_250_000);
		expect(view().text).toBe('1.250.000');
	});

	it("echoes a number read the other language's way, while typing and after storing", () => {
		const { field, state, view } = setup();
		field.input('1.5');
		expect(view().note).toEqual({ kind: 'echo', text: 'Đã hiểu là 1,5 (1 phẩy 5).' });
		field.change('1.5');
		expect(state.value).toBe(1.5);
		expect(view()).toMatchObject({ text: '1,5', note: { kind: 'echo' }, invalid: false });
	});

	it('an ambiguous number is not stored until the respondent picks a reading', () => {
		const { field, state, view } = setup({ value: 7 });
		field.change('1.250');
		expect(state.value).toBeUndefined();
		expect(field.problem).toContain('“1.250” có thể hiểu theo hai cách');
		expect(view()).toMatchObject({
			text: '1.250',
			invalid: true,
			note: {
				kind: 'choose',
				choices: [
					{ value: 1250, label: '1\u202f250' },
					{ value: 1.25, label: '1 phẩy 25' }
				]
			}
		});
		field.choose(1.25);
		expect(state.value).toBe(1.25);
		expect(field.problem).toBeNull();
		expect(view()).toEqual({ text: '1,25', note: null, invalid: false, advice: null });
	});

	it('in English, 3.5 and 1,250,000 are plain; 3,5 is echoed', () => {
		const { field, state, view } = setup({ locale: 'en' });
		field.change('3.5');
		expect(state.value).toBe(3.5);
		field.change('1,250,000');
		expect(state.value).toBe(1_250_000);
		expect(view().note).toBeNull();
		field.change('3,5');
		expect(state.value).toBe(3.5);
		expect(view().note).toEqual({ kind: 'echo', text: 'Read as 3.5 (3 point 5).' });
	});

	it.each([
		['abc', 'Chỉ nhập chữ số'],
		['Infinity', 'Chỉ nhập chữ số'],
		['0x10', 'Chỉ nhập chữ số'],
		['1e309', 'lũy thừa'],
		['1,2,3', 'Không đọc được số này'],
		['3,', 'chưa nhập xong'],
		['12345678901234567', 'tối đa 15 chữ số']
	])('%j is refused, the stale answer cleared and the text kept', (text, message) => {
		const { field, state, view } = setup({ value: 12 });
		field.change(text);
		expect(state.value).toBeUndefined();
		expect(field.problem).toContain(message);
		expect(field.problem).toContain('(Chưa lưu.)');
		expect(view()).toEqual({ text, note: null, invalid: true, advice: null });
		// Fixing it clears the problem.
		field.change('12');
		expect(field.problem).toBeNull();
		expect(state.value).toBe(12);
	});

	it("values outside the question's bounds are refused with the questionnaire's message or ours", () => {
		const withText = setup({ bounds: [{ min: 0, max: 100, text: 'Từ 0 đến 100.' }] });
		withText.field.change('-5');
		expect(withText.field.problem).toBe('Từ 0 đến 100. (Chưa lưu.)');
		withText.field.change('100,5');
		expect(withText.state.value).toBeUndefined();
		withText.field.change('100');
		expect(withText.state.value).toBe(100);

		const ours = setup({ bounds: [{ min: 0.01, max: 100_000, text: null }] });
		ours.field.change('100.000,5');
		expect(ours.field.problem).toBe('Vui lòng nhập một số từ 0,01 đến 100.000. (Chưa lưu.)');
		ours.field.change('1250');
		expect(ours.view().text).toBe('1250');
		const onlyMin = setup({ locale: 'en', bounds: [{ min: 0, max: null, text: null }] });
		onlyMin.field.change('-1');
		expect(onlyMin.field.problem).toBe('Enter a number of at least 0. (Not saved.)');
		const onlyMax = setup({ locale: 'en', bounds: [{ min: null, max: 10, text: null }] });
		onlyMax.field.change('11');
		expect(onlyMax.field.problem).toBe('Enter a number of at most 10. (Not saved.)');
	});

	it('clearing the field clears the answer', () => {
		const { field, state, view } = setup({ value: 5 });
		field.change('  ');
		expect(state.commits).toEqual([undefined]);
		expect(view().text).toBe('');
		expect(field.problem).toBeNull();
	});

	it('does not store again what is already stored', () => {
		const { field, state } = setup({ value: 5 });
		field.change('5');
		expect(state.commits).toEqual([]);
	});

	it('follows outside changes of the stored answer, but not its own', () => {
		const { field, state, view } = setup({ value: 5 });
		field.change('6');
		field.storedChanged();
		expect(view().text).toBe('6');
		field.change('abc');
		field.storedChanged(); // its own clearing
		expect(view().text).toBe('abc');
		state.value = 42.5;
		field.storedChanged();
		expect(view()).toEqual({ text: '42,5', note: null, invalid: false, advice: null });
		expect(field.problem).toBeNull();
	});

	it('a language switch reformats the stored value and re-reads held text', () => {
		const { field, state, view } = setup({ value: 1234.5 });
		state.locale = 'en';
		field.localeChanged();
		expect(view().text).toBe('1234.5');
		field.change('abc');
		state.locale = 'vi';
		field.localeChanged();
		expect(field.problem).toContain('Chỉ nhập chữ số');
		// Held text is re-read in the new language: 1.5 typed for English is echoed in Vietnamese.
		field.input('1.5');
		state.locale = 'en';
		field.localeChanged();
		expect(state.value).toBe(1.5);
		expect(view().note).toBeNull();
	});

	it('a stored string (older drafts) is shown as is, not hidden', () => {
		expect(setup({ value: '35' }).view().text).toBe('35');
	});

	it('a plausibility warning follows the stored number, and goes with it', () => {
		const advise = (v: number) => (v >= 250 ? `gấp ${v / 25} lần năm trước` : null);
		const { field, view } = setup({ value: 300, advise });
		expect(view().advice).toBe('gấp 12 lần năm trước');
		field.change('30');
		expect(view().advice).toBeNull();
		field.change('2.500,5');
		expect(view().advice).toBe('gấp 100.02 lần năm trước');
		field.change('abc');
		expect(view().advice).toBeNull();
		field.change('');
		expect(view().advice).toBeNull();
	});
});

describe('NumberField: text that cannot be stored is held for the next visit', () => {
	it('holds unreadable and ambiguous text, forgets it once a number or nothing is stored', () => {
		const { field, state } = setup();
		field.change('abc');
		field.change('1,2,3');
		field.change('1.250');
		expect(state.held).toEqual(['abc', '1,2,3', '1.250']);
		field.change('3,5');
		expect(state.held.at(-1)).toBeNull();
		expect(state.value).toBe(3.5);
		field.change('abc');
		field.change('');
		expect(state.held.slice(-2)).toEqual(['abc', null]);
	});

	it('a number out of bounds is held as typed; a number stored from elsewhere replaces it', () => {
		const { field, state } = setup({ bounds: [{ min: 0, max: 100, text: null }] });
		field.change('150');
		expect(state.held.at(-1)).toBe('150');
		expect(state.value).toBeUndefined();
		state.value = 42;
		field.storedChanged();
		expect(state.held.at(-1)).toBeNull();
	});

	it('re-reading held text on a new visit shows the same message and stores nothing', () => {
		const first = setup();
		first.field.change('1,2,3');
		const again = setup();
		again.field.change(first.state.held.at(-1)!);
		expect(again.field.problem).toBe(first.field.problem);
		expect(again.view().text).toBe('1,2,3');
		expect(again.state.value).toBeUndefined();
	});
});
