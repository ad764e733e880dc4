import type { Bilingual, SizeClass } from './labels';

/**
 * Decree 80/2021/NĐ-CP, Art. 5: the two sector groups have different thresholds.
 * 'industry' = agriculture, forestry, fisheries, industry and construction; 'trade' = trade and services.
 */
export type SectorKind = 'industry' | 'trade';

export interface SizeInputs {
	/** Average number of employees with social insurance over the year. */
	employees?: number | null;
	/** Total annual revenue, billion VND. */
	revenueBn?: number | null;
	/** Total capital, billion VND. */
	capitalBn?: number | null;
}

interface Limits {
	employees: number;
	revenueBn: number;
	capitalBn: number;
}

/** Upper limits (inclusive) per class; above 'medium' is 'large'. METHODOLOGY §6. */
export const SIZE_LIMITS: Record<SectorKind, Record<Exclude<SizeClass, 'large'>, Limits>> = {
	industry: {
		micro: { employees: 10, revenueBn: 3, capitalBn: 3 },
		small: { employees: 100, revenueBn: 50, capitalBn: 20 },
		medium: { employees: 200, revenueBn: 200, capitalBn: 100 }
	},
	trade: {
		micro: { employees: 10, revenueBn: 10, capitalBn: 3 },
		small: { employees: 50, revenueBn: 100, capitalBn: 50 },
		medium: { employees: 100, revenueBn: 300, capitalBn: 100 }
	}
};

export type SizeClassResult =
	| {
			ok: true;
			value: SizeClass;
			/** True when one of revenue/capital was missing, so the class rests on the other one alone. */
			partial: boolean;
	  }
	| { ok: false; error: Bilingual };

const present = (x: number | null | undefined): x is number => x !== null && x !== undefined;

/**
 * Size class per Decree 80/2021: a class applies when the employees criterion holds AND
 * (the revenue criterion OR the capital criterion) holds; the smallest class that applies wins.
 *
 * Missing values (documented in docs/statistics.md):
 * - employees missing → not classifiable (the employees criterion is mandatory);
 * - revenue and capital both missing → not classifiable;
 * - one of them missing → it counts as "not met", so the present one decides (`partial: true`).
 *   This can only overstate the class, never understate it.
 */
export function classifySize(input: SizeInputs, sectorKind: SectorKind): SizeClassResult {
	if (sectorKind !== 'industry' && sectorKind !== 'trade') {
		return {
			ok: false,
			error: {
				vi: `Nhóm ngành "${String(sectorKind)}" không hợp lệ (cần 'industry' hoặc 'trade').`,
				en: `Invalid sector kind "${String(sectorKind)}" (expected 'industry' or 'trade').`
			}
		};
	}
	const fields = [
		['employees', 'số lao động', 'employees'],
		['revenueBn', 'doanh thu', 'revenue'],
		['capitalBn', 'nguồn vốn', 'capital']
	] as const;
	for (const [k, vi, en] of fields) {
		const v = input[k];
		if (present(v) && (!Number.isFinite(v) || v < 0)) {
			return {
				ok: false,
				error: {
					vi: `Giá trị ${vi} không hợp lệ: ${String(v)} (phải là số không âm).`,
					en: `Invalid ${en} value: ${String(v)} (must be a non-negative number).`
				}
			};
		}
	}
	const { employees, revenueBn, capitalBn } = input;
	if (!present(employees)) {
		return {
			ok: false,
			error: {
				vi: 'Thiếu số lao động tham gia bảo hiểm xã hội: không xác định được quy mô.',
				en: 'Number of insured employees is missing: size class cannot be determined.'
			}
		};
	}
	if (!present(revenueBn) && !present(capitalBn)) {
		return {
			ok: false,
			error: {
				vi: 'Thiếu cả doanh thu và nguồn vốn: không xác định được quy mô.',
				en: 'Both revenue and capital are missing: size class cannot be determined.'
			}
		};
	}
	const partial = !present(revenueBn) || !present(capitalBn);
	const limits = SIZE_LIMITS[sectorKind];
	for (const cls of ['micro', 'small', 'medium'] as const) {
		const l = limits[cls];
		const financial =
			(present(revenueBn) && revenueBn <= l.revenueBn) || (present(capitalBn) && capitalBn <= l.capitalBn);
		if (employees <= l.employees && financial) return { ok: true, value: cls, partial };
	}
	return { ok: true, value: 'large', partial };
}

/** Convenience form of {@link classifySize}: the class, or null when it cannot be determined. */
export function sizeClass(input: SizeInputs, sectorKind: SectorKind): SizeClass | null {
	const r = classifySize(input, sectorKind);
	return r.ok ? r.value : null;
}
