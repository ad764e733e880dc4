/** Segment keys and the `by` parameter: one spelling, shared by the build, the dashboard and the API. */
import { DIMENSIONS, type Dimension } from './types';

export const ALL_KEY = 'all';
/** Score histogram bins: [0,10), [10,20), ..., [90,100]. */
export const HISTOGRAM_BINS = 10;
export const LADDER_STEPS = ['1', '2', '3', '4', '5', 'none'] as const;

/** Every segmentation published: the total, each dimension, and each pair of dimensions. */
export function allSegmentations(): Dimension[][] {
	const out: Dimension[][] = [[]];
	for (const d of DIMENSIONS) out.push([d]);
	for (let i = 0; i < DIMENSIONS.length; i++)
		for (let j = i + 1; j < DIMENSIONS.length; j++) out.push([DIMENSIONS[i], DIMENSIONS[j]]);
	return out;
}

export function byString(dims: readonly Dimension[]): string {
	return sortDims(dims).join(',');
}

function sortDims(dims: readonly Dimension[]): Dimension[] {
	return [...dims].sort((a, b) => DIMENSIONS.indexOf(a) - DIMENSIONS.indexOf(b));
}

/** Cell key of a segment: 'all', 'size=small', 'size=small|ownership=fdi' (dimensions in canonical order). */
export function segmentKey(segment: Partial<Record<Dimension, string>>): string {
	const parts = DIMENSIONS.filter((d) => segment[d] !== undefined).map((d) => `${d}=${segment[d]}`);
	return parts.length ? parts.join('|') : ALL_KEY;
}

/** Key of a distribution cell inside a segment: 'level=x', 'size=small|level=x'. */
export function subKey(segmentKeyValue: string, family: string, value: string): string {
	return segmentKeyValue === ALL_KEY ? `${family}=${value}` : `${segmentKeyValue}|${family}=${value}`;
}

export class ByParameterError extends Error {
	constructor(
		message: string,
		readonly text: { vi: string; en: string }
	) {
		super(message);
		this.name = 'ByParameterError';
	}
}

/**
 * Strict parse of `by` ('', 'size', 'ownership,size'): known dimensions only, no repeats, at most two
 * (the published segmentations). Returns the dimensions in canonical order.
 */
export function parseBy(raw: string | null | undefined): Dimension[] {
	if (raw === null || raw === undefined || raw.trim() === '') return [];
	const parts = raw.split(',').map((s) => s.trim());
	const seen = new Set<string>();
	for (const [i, p] of parts.entries()) {
		if (!(DIMENSIONS as readonly string[]).includes(p))
			throw new ByParameterError(
				`by: item ${i + 1} '${p.slice(0, 40)}' is not one of ${DIMENSIONS.join(', ')}`,
				{
					vi: `Tham số by: mục ${i + 1} '${p.slice(0, 40)}' không hợp lệ (chỉ nhận ${DIMENSIONS.join(', ')}).`,
					en: `by: item ${i + 1} '${p.slice(0, 40)}' is not one of ${DIMENSIONS.join(', ')}.`
				}
			);
		if (seen.has(p))
			throw new ByParameterError(`by: '${p}' is repeated`, {
				vi: `Tham số by: '${p}' bị lặp lại.`,
				en: `by: '${p}' is repeated.`
			});
		seen.add(p);
	}
	if (parts.length > 2)
		throw new ByParameterError(`by: at most two dimensions are published (got ${parts.length})`, {
			vi: `Tham số by: chỉ công bố tối đa hai chiều phân tổ (nhận ${parts.length}).`,
			en: `by: at most two dimensions are published (got ${parts.length}).`
		});
	return sortDims(parts as Dimension[]);
}

export function histogramBin(total: number): number {
	return Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(total / 10)));
}
