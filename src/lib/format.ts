/**
 * One number formatter per language for every figure a page shows: Vietnamese writes a decimal comma
 * and dot thousands (1.234,5), English a decimal point and comma thousands (1,234.5). Pages, charts
 * and exports' on-screen tables call these, never `toFixed` or their own `Intl.NumberFormat`, so a
 * figure reads the same on every page of one language. Pure: the server and the browser agree.
 */
import type { Locale } from './i18n';

/** What a withheld (disclosure-suppressed) figure shows. */
export const WITHHELD = ':c';

export interface NumberStyle {
	/** Most decimals shown (default 1). */
	digits?: number;
	/** Always show this many decimals (K as 0,45, not 0,5). */
	fixed?: number;
	/** Shown for null/undefined/NaN (default ':c', the suppression mark). */
	missing?: string;
}

const TAGS: Record<Locale, string> = { vi: 'vi-VN', en: 'en-GB' };
const cache = new Map<string, Intl.NumberFormat>();

function formatter(
	locale: Locale,
	min: number,
	max: number,
	style: 'decimal' | 'percent'
): Intl.NumberFormat {
	const key = `${locale}|${min}|${max}|${style}`;
	let f = cache.get(key);
	if (!f) {
		f = new Intl.NumberFormat(TAGS[locale], {
			style,
			minimumFractionDigits: min,
			maximumFractionDigits: max
		});
		cache.set(key, f);
	}
	return f;
}

function present(v: number | null | undefined): v is number {
	return typeof v === 'number' && Number.isFinite(v);
}

/** A figure in the page's language: 67,4 / 67.4; 1.234.567 / 1,234,567. */
export function formatNumber(v: number | null | undefined, locale: Locale, style: NumberStyle = {}): string {
	if (!present(v)) return style.missing ?? WITHHELD;
	const max = style.fixed ?? style.digits ?? 1;
	// -0 would print as "-0" after rounding a small negative.
	const out = formatter(locale, style.fixed ?? 0, max, 'decimal').format(v);
	return /^-0([.,]0*)?$/.test(out) ? out.slice(1) : out;
}

/** A share (0–1) as a percentage: 0.674 → 67,4% / 67.4%. */
export function formatPercent(
	share: number | null | undefined,
	locale: Locale,
	style: NumberStyle = {}
): string {
	if (!present(share)) return style.missing ?? WITHHELD;
	const max = style.fixed ?? style.digits ?? 1;
	return formatter(locale, style.fixed ?? 0, max, 'percent').format(share);
}

/** A whole amount (money in VND, counts): grouped, no decimals. */
export function formatAmount(v: number | null | undefined, locale: Locale, style: NumberStyle = {}): string {
	return formatNumber(v, locale, { digits: 0, ...style });
}
