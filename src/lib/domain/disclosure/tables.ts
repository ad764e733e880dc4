import type { Bilingual } from '../enterprise/labels';
import { validateCell, type Cell } from './cells';

/**
 * A table with nothing to break a total into: an empty input (no respondent, so no segment) or a
 * caller's mistake. Refused by name so a release of nothing is declined with a reason a user can
 * act on, instead of failing deep inside the protection.
 */
export class EmptyTableError extends RangeError {
	readonly text: Bilingual;
	constructor(
		readonly table: string,
		readonly total: string
	) {
		super(`table "${table}": total "${total}" has no parts to protect (empty input)`);
		this.name = 'EmptyTableError';
		this.text = {
			vi: `Bảng “${table}” không có ô nào: không có dữ liệu để bảo vệ và công bố.`,
			en: `Table “${table}” has no cells: there is no data to protect and publish.`
		};
	}
}

/** An additive relation published with a table: value(total) = Σ value(parts), and likewise for n. */
export interface Constraint {
	total: string;
	parts: readonly string[];
}

/**
 * A table to protect: its cells and the additive relations between them. Keys identify cells ACROSS tables:
 * the same key in two tables is the same published figure (e.g. the sector total), which is how linked
 * tables are protected together.
 */
export interface TableSpec {
	id: string;
	cells: readonly Cell[];
	constraints: readonly Constraint[];
}

/** One-way table: segments and their total (e.g. by size class). */
export function oneWayTable(id: string, total: Cell, segments: readonly Cell[]): TableSpec {
	const spec = {
		id,
		cells: [...segments, total],
		constraints: [{ total: total.key, parts: segments.map((s) => s.key) }]
	};
	validateTable(spec);
	return spec;
}

export interface TwoWayInput {
	/** interior[r][c]: the cell of row r and column c. */
	interior: readonly (readonly Cell[])[];
	rowTotals: readonly Cell[];
	colTotals: readonly Cell[];
	grandTotal: Cell;
}

/** Two-way table with row and column margins and a grand total (e.g. size × ownership). */
export function twoWayTable(id: string, t: TwoWayInput): TableSpec {
	const R = t.rowTotals.length;
	const C = t.colTotals.length;
	if (t.interior.length !== R)
		throw new RangeError(`table "${id}": ${t.interior.length} interior rows but ${R} row totals`);
	t.interior.forEach((row, r) => {
		if (row.length !== C)
			throw new RangeError(
				`table "${id}": row ${r} has ${row.length} cells but there are ${C} column totals`
			);
	});
	const constraints: Constraint[] = [];
	for (let r = 0; r < R; r++)
		constraints.push({ total: t.rowTotals[r].key, parts: t.interior[r].map((c) => c.key) });
	for (let c = 0; c < C; c++)
		constraints.push({ total: t.colTotals[c].key, parts: t.interior.map((row) => row[c].key) });
	constraints.push({ total: t.grandTotal.key, parts: t.rowTotals.map((c) => c.key) });
	constraints.push({ total: t.grandTotal.key, parts: t.colTotals.map((c) => c.key) });
	const spec = {
		id,
		cells: [...t.interior.flat(), ...t.rowTotals, ...t.colTotals, t.grandTotal],
		constraints
	};
	validateTable(spec);
	return spec;
}

export interface HierarchyNode {
	cell: Cell;
	children?: readonly HierarchyNode[];
}

/** Hierarchical table: every node with children is their total (e.g. sector → division → size within division). */
export function hierarchicalTable(id: string, root: HierarchyNode): TableSpec {
	const cells: Cell[] = [];
	const constraints: Constraint[] = [];
	const walk = (node: HierarchyNode): void => {
		cells.push(node.cell);
		if (node.children && node.children.length > 0) {
			constraints.push({ total: node.cell.key, parts: node.children.map((c) => c.cell.key) });
			node.children.forEach(walk);
		}
	};
	walk(root);
	const spec = { id, cells, constraints };
	validateTable(spec);
	return spec;
}

/**
 * Check a table: unique keys, constraints referring to its cells, and additivity of n (and of value where all
 * members have one). Non-additive tables (e.g. enterprises with an unknown size counted in the total only)
 * must add an explicit segment such as 'unknown', or the attack model would not hold.
 */
export function validateTable(spec: TableSpec): void {
	const where = `table "${spec.id}"`;
	const byKey = new Map<string, Cell>();
	for (const cell of spec.cells) {
		validateCell(cell, where);
		if (byKey.has(cell.key)) throw new RangeError(`${where}: duplicate cell key "${cell.key}"`);
		byKey.set(cell.key, cell);
	}
	spec.constraints.forEach((con, i) => {
		const total = byKey.get(con.total);
		if (!total) throw new RangeError(`${where}: constraint ${i} refers to unknown total "${con.total}"`);
		if (con.parts.length === 0) throw new EmptyTableError(spec.id, con.total);
		const parts = con.parts.map((k) => {
			const c = byKey.get(k);
			if (!c) throw new RangeError(`${where}: constraint ${i} refers to unknown part "${k}"`);
			if (k === con.total)
				throw new RangeError(`${where}: constraint ${i} has "${k}" as both total and part`);
			return c;
		});
		if (new Set(con.parts).size !== con.parts.length)
			throw new RangeError(`${where}: constraint ${i} repeats a part`);
		const nSum = parts.reduce((a, c) => a + c.n, 0);
		if (nSum !== total.n) {
			throw new RangeError(
				`${where}: total "${con.total}" has n = ${total.n} but its parts add up to ${nSum}; add an explicit segment (e.g. 'unknown') for the rest`
			);
		}
		const hasValue = (c: Cell): boolean => c.value !== undefined && c.value !== null;
		if (hasValue(total) && parts.every(hasValue)) {
			const vSum = parts.reduce((a, c) => a + (c.value as number), 0);
			const tv = total.value as number;
			if (Math.abs(vSum - tv) > 1e-9 * Math.max(1, Math.abs(tv))) {
				throw new RangeError(
					`${where}: total "${con.total}" has value ${tv} but its parts add up to ${vSum}`
				);
			}
		}
	});
}
