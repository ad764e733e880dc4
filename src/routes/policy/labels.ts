/** Display labels shared by the policy pages (client-safe: domain labels only). */
import { OWNERSHIP_LABELS, SIZE_CLASS_LABELS, isOwnership, isSizeClass } from '$lib/domain/enterprise';
import { pick, type Locale } from '$lib/i18n';
import { formatAmount, formatNumber } from '$lib/format';

export const DIMS = ['size', 'ownership', 'ward', 'vsic'] as const;

export function dimValue(
	dim: string,
	v: string | null | undefined,
	locale: Locale,
	wards: Record<string, string> = {}
): string {
	if (v === null || v === undefined || v === 'unknown') return locale === 'vi' ? 'Không rõ' : 'Unknown';
	if (dim === 'size' && isSizeClass(v)) return pick(locale, SIZE_CLASS_LABELS[v]);
	if (dim === 'ownership' && isOwnership(v)) return pick(locale, OWNERSHIP_LABELS[v]);
	if (dim === 'ward') return wards[v] ?? v;
	return v;
}

export function segmentText(
	seg: Record<string, string | undefined>,
	locale: Locale,
	wards: Record<string, string> = {}
): string {
	return DIMS.filter((d) => seg[d] !== undefined)
		.map((d) => dimValue(d, seg[d], locale, wards))
		.join(' · ');
}

export const vnd = (x: number, locale: Locale) => formatAmount(x, locale);
export const num = (x: number | null | undefined, locale: Locale, digits = 2) =>
	formatNumber(x, locale, { digits });
