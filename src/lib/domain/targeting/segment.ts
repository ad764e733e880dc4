/** Segment filters (programme eligibility, what-if segments): which rules an enterprise fails. */
import type { Bilingual, Candidate, SegmentFilter } from './types';

export const FILTER_RULES = ['size', 'sector', 'level', 'ward', 'ownership', 'vsic'] as const;
export type FilterRule = (typeof FILTER_RULES)[number];

export const FILTER_RULE_LABELS: Record<FilterRule, Bilingual> = {
	size: { vi: 'Quy mô không thuộc diện hỗ trợ', en: 'Size class not covered' },
	sector: { vi: 'Ngành không thuộc diện hỗ trợ', en: 'Sector not covered' },
	level: { vi: 'Mức trình độ công nghệ không thuộc diện hỗ trợ', en: 'Technology level not covered' },
	ward: { vi: 'Phường/xã không thuộc diện hỗ trợ', en: 'Ward/commune not covered' },
	ownership: { vi: 'Loại hình sở hữu không thuộc diện hỗ trợ', en: 'Ownership not covered' },
	vsic: { vi: 'Mã ngành VSIC không thuộc diện hỗ trợ', en: 'VSIC code not covered' }
};

/**
 * Rules of `filter` the candidate fails (empty = inside the segment). An enterprise whose size,
 * ownership, ward or VSIC is unknown fails a rule that restricts that attribute: we cannot show it
 * qualifies.
 */
export function failedRules(filter: SegmentFilter, c: Candidate): FilterRule[] {
	const out: FilterRule[] = [];
	if (filter.sizes && (c.size === null || !filter.sizes.includes(c.size))) out.push('size');
	if (filter.sectors && !filter.sectors.includes(c.sector)) out.push('sector');
	if (filter.levels && !filter.levels.includes(c.current.level)) out.push('level');
	if (filter.wards && (c.ward === null || !filter.wards.includes(c.ward))) out.push('ward');
	if (filter.ownerships && (c.ownership === null || !filter.ownerships.includes(c.ownership)))
		out.push('ownership');
	if (filter.vsic) {
		const code = c.vsic;
		if (code === null || !filter.vsic.some((p) => code.startsWith(p))) out.push('vsic');
	}
	return out;
}

/** Same rules as {@link failedRules}, without allocating (called for every candidate). */
export function inSegment(filter: SegmentFilter, c: Candidate): boolean {
	if (filter.sizes && (c.size === null || !filter.sizes.includes(c.size))) return false;
	if (filter.sectors && !filter.sectors.includes(c.sector)) return false;
	if (filter.levels && !filter.levels.includes(c.current.level)) return false;
	if (filter.wards && (c.ward === null || !filter.wards.includes(c.ward))) return false;
	if (filter.ownerships && (c.ownership === null || !filter.ownerships.includes(c.ownership))) return false;
	if (filter.vsic) {
		const code = c.vsic;
		if (code === null || !filter.vsic.some((p) => code.startsWith(p))) return false;
	}
	return true;
}
