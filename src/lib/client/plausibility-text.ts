/**
 * Plausibility warnings in words: the sentence under a question and on the review (for the
 * respondent), and the short comparison analysts read in tracking and import reports. Numbers are
 * written the way the reader's language writes them.
 */
import { t, type Locale } from '$lib/i18n';
import { formatTypedNumber } from '$lib/domain/numbers';
import { roundFactor, type Advice } from '$lib/domain/plausibility';

const num = (n: number, locale: Locale) => formatTypedNumber(n, locale);

/** The warning shown next to the answer, asking to check it. */
export function adviceText(a: Advice, locale: Locale): string {
	if (a.kind === 'last-year')
		return t(locale, a.direction === 'higher' ? 'plausibility.higher' : 'plausibility.lower', {
			factor: num(roundFactor(a.factor), locale),
			previous: num(a.previous, locale)
		});
	return t(locale, a.direction === 'higher' ? 'plausibility.usualHigher' : 'plausibility.usualLower', {
		low: num(a.low, locale),
		high: num(a.high, locale),
		year: a.year
	});
}

/** What the answer was compared with, in a few words (for tables). */
export function comparisonText(a: Advice, locale: Locale): string {
	if (a.kind === 'last-year')
		return t(locale, a.direction === 'higher' ? 'plausibility.lastYear' : 'plausibility.lastYearLower', {
			previous: num(a.previous, locale),
			factor: num(roundFactor(a.factor), locale),
			ratio: num(a.ratio ?? 10, locale)
		});
	return t(locale, 'plausibility.usual', {
		year: a.year,
		low: num(a.low, locale),
		high: num(a.high, locale)
	});
}

/** An imported answer's warning as the import report states it, in both languages. */
export function importWarningText(a: Advice): { vi: string; en: string } {
	const one = (locale: Locale) =>
		t(locale, 'plausibility.importRow', {
			value: num(a.value, locale),
			comparison: comparisonText(a, locale)
		});
	return { vi: one('vi'), en: one('en') };
}
