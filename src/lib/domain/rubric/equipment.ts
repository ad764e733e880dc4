/**
 * Aggregates over an equipment list (one row per machine or line, a `matrixdynamic` answer) into
 * the numbers group T of Circular 17 scores: value-weighted mean age, renewal (share of value put
 * in use in the last N years), share of value by origin group, share of value automated, and the
 * value-weighted residual value. Each machine counts by its original value, so a press line worth
 * 20 billion weighs forty times a 0.5 billion grinder, as equipment wear does in the accounts.
 * Pure: no rubric, no questionnaire; rows come in as the form stores them.
 */
import { parseDecimal } from './guard';

export const EQUIPMENT_AGGREGATES = ['mean-age', 'renewal', 'origin', 'automated-share', 'residual'] as const;
export type EquipmentAggregate = (typeof EQUIPMENT_AGGREGATES)[number];

/** What each column of the list means to the aggregation; the rubric names the column for each role. */
export const EQUIPMENT_ROLES = [
	'value',
	'yearMade',
	'yearInUse',
	'origin',
	'automation',
	'residual'
] as const;
export type EquipmentRole = (typeof EQUIPMENT_ROLES)[number];
export type EquipmentColumns = Partial<Record<EquipmentRole, string>>;

/** The roles an aggregate reads: always the value (the weight) and one more. */
export const AGGREGATE_ROLES: Record<EquipmentAggregate, readonly EquipmentRole[]> = {
	'mean-age': ['value', 'yearMade'],
	renewal: ['value', 'yearInUse'],
	origin: ['value', 'origin'],
	'automated-share': ['value', 'automation'],
	residual: ['value', 'residual']
};

/** Roles holding numbers; origin and automation hold choice values. */
export const NUMERIC_ROLES: ReadonlySet<EquipmentRole> = new Set([
	'value',
	'yearMade',
	'yearInUse',
	'residual'
]);

/** One row reduced to the roles: numbers parsed, choices as strings, absent cells undefined. */
export interface EquipmentRow {
	value?: number;
	yearMade?: number;
	yearInUse?: number;
	origin?: string;
	automation?: string;
	residual?: number;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
	v !== null && typeof v === 'object' && !Array.isArray(v);
const blank = (v: unknown) => v === undefined || v === null || v === '';

/** The list's rows by role. Cells that are blank or not decimal numbers are left undefined. */
export function readEquipmentRows(list: unknown, columns: EquipmentColumns): EquipmentRow[] {
	if (!Array.isArray(list)) return [];
	const out: EquipmentRow[] = [];
	for (const r of list) {
		if (!isObj(r)) continue;
		const row: EquipmentRow = {};
		for (const role of EQUIPMENT_ROLES) {
			const col = columns[role];
			if (col === undefined) continue;
			const v = r[col];
			if (blank(v)) continue;
			if (NUMERIC_ROLES.has(role)) {
				const x = parseDecimal(v);
				if (!Number.isNaN(x)) (row as Record<string, number>)[role] = x;
			} else if (typeof v === 'string' || typeof v === 'number')
				(row as Record<string, string>)[role] = String(v);
		}
		out.push(row);
	}
	return out;
}

/** True when the answer holds no row at all (the rubric then falls back to the single questions). */
export function isEmptyList(list: unknown): boolean {
	return !Array.isArray(list) || list.every((r) => !isObj(r) || Object.values(r).every(blank));
}

/**
 * Σ value·f(row) / Σ value over rows with a positive value for which f is defined; null when no
 * value is left to weigh by (no row, or every row lacks what the aggregate reads).
 */
function weighted(rows: readonly EquipmentRow[], f: (r: EquipmentRow) => number | undefined): number | null {
	let num = 0;
	let den = 0;
	for (const r of rows) {
		const w = r.value;
		if (w === undefined || !(w > 0)) continue;
		const x = f(r);
		if (x === undefined || Number.isNaN(x)) continue;
		num += w * x;
		den += w;
	}
	return den > 0 ? num / den : null;
}

/** Value-weighted mean age in years: assessment year − year made (a machine made this year is 0). */
export function meanAge(rows: readonly EquipmentRow[], year: number): number | null {
	return weighted(rows, (r) => (r.yearMade === undefined ? undefined : Math.max(0, year - r.yearMade)));
}

/**
 * Renewal, %: share of value put in use in the last `years` years, the assessment year included
 * (with 2026 and 3 years: put in use in 2024, 2025 or 2026). Circular 04/2014's renewal rate
 * is new equipment over equipment value; the list gives both without a separate question.
 */
export function renewalShare(rows: readonly EquipmentRow[], year: number, years: number): number | null {
	return weighted(rows, (r) =>
		r.yearInUse === undefined ? undefined : r.yearInUse > year - years ? 100 : 0
	);
}

/** Share of value (%) per origin group, for every group present. */
export function originShares(rows: readonly EquipmentRow[]): Record<string, number> | null {
	const groups = [...new Set(rows.map((r) => r.origin).filter((g): g is string => g !== undefined))].sort();
	if (!groups.length) return null;
	const out: Record<string, number> = {};
	for (const g of groups) {
		const s = weighted(rows, (r) => (r.origin === undefined ? undefined : r.origin === g ? 100 : 0));
		if (s === null) return null;
		out[g] = s;
	}
	return out;
}

/**
 * Origin as points: the value-weighted mean of each machine's origin points (Σ share_g · points_g).
 * A group without points counts 0, like an unknown origin.
 */
export function originPoints(
	rows: readonly EquipmentRow[],
	points: Readonly<Record<string, number>>
): number | null {
	return weighted(rows, (r) => (r.origin === undefined ? undefined : (points[r.origin] ?? 0)));
}

/** Share of value (%) whose automation level is one of `automated` (e.g. semi-automatic and above). */
export function automatedShare(rows: readonly EquipmentRow[], automated: ReadonlySet<string>): number | null {
	return weighted(rows, (r) =>
		r.automation === undefined ? undefined : automated.has(r.automation) ? 100 : 0
	);
}

/** Value-weighted mean residual value, % of original value. */
export function meanResidual(rows: readonly EquipmentRow[]): number | null {
	return weighted(rows, (r) => r.residual);
}

export interface AggregateOptions {
	/** Year of the assessment (the campaign's year). */
	year: number;
	/** Renewal window in years. */
	years?: number;
	/** Automation levels counted as automated. */
	automated?: readonly string[];
	/** Points per origin group (aggregate 'origin'). */
	points?: Readonly<Record<string, number>>;
}

/** One aggregate of a list, as a number (points for 'origin'), or null when nothing can be weighed. */
export function aggregateEquipment(
	aggregate: EquipmentAggregate,
	rows: readonly EquipmentRow[],
	opts: AggregateOptions
): number | null {
	switch (aggregate) {
		case 'mean-age':
			return meanAge(rows, opts.year);
		case 'renewal':
			return renewalShare(rows, opts.year, opts.years ?? 3);
		case 'origin':
			return originPoints(rows, opts.points ?? {});
		case 'automated-share':
			return automatedShare(rows, new Set(opts.automated ?? []));
		case 'residual':
			return meanResidual(rows);
	}
}
