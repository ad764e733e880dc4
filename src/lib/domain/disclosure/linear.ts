import type { Constraint } from './tables';

export interface Determination {
	/** True when the additive constraints fix this unknown to a single value. */
	determined: boolean;
	/** The value it is fixed to (from the known values), when determined. */
	value: number | null;
}

function gcd(a: number, b: number): number {
	a = Math.abs(a);
	b = Math.abs(b);
	while (b) [a, b] = [b, a % b];
	return a;
}

function checkSafe(x: number): number {
	if (!Number.isSafeInteger(x)) throw new Error('linear system: coefficient overflow during elimination');
	return x;
}

/**
 * Which unknowns are uniquely determined by the linear system "total − Σ parts = 0" for every constraint,
 * given the known cells' values. Exact: integer (fraction-free) Gauss–Jordan elimination with gcd
 * normalisation on the coefficients, so the rank decision has no tolerance; the right-hand side (known
 * values, possibly non-integer sums) is carried along in floating point and only used to report the value.
 * An unknown is determined iff, in reduced row echelon form, it is a pivot whose row has no other non-zero.
 */
export function determineUnknowns(
	constraints: readonly Constraint[],
	unknownKeys: readonly string[],
	knownValue: (key: string) => number
): Map<string, Determination> {
	const index = new Map<string, number>();
	unknownKeys.forEach((k, i) => index.set(k, i));
	const m = unknownKeys.length;
	// Sparse rows: a release has thousands of cells but each constraint touches a handful, so
	// elimination works on the non-zeros only (dense rows made large releases take minutes).
	const rows: Map<number, number>[] = [];
	const rhs: number[] = [];
	for (const con of constraints) {
		const row = new Map<number, number>();
		let b = 0;
		const add = (key: string, coef: number): void => {
			const j = index.get(key);
			if (j === undefined) b -= coef * knownValue(key);
			else {
				const v = (row.get(j) ?? 0) + coef;
				if (v === 0) row.delete(j);
				else row.set(j, v);
			}
		};
		add(con.total, 1);
		for (const p of con.parts) add(p, -1);
		if (row.size) {
			rows.push(row);
			rhs.push(b);
		}
	}
	// Which rows have a non-zero in each column, kept up to date as rows change.
	const rowsOfCol: Set<number>[] = Array.from({ length: m }, () => new Set<number>());
	rows.forEach((row, r) => {
		for (const j of row.keys()) rowsOfCol[j].add(r);
	});

	const pivotCol = new Map<number, number>(); // row → its pivot column
	const isPivotRow = new Uint8Array(rows.length);
	for (let col = 0; col < m; col++) {
		let best = -1;
		for (const r of rowsOfCol[col]) {
			if (isPivotRow[r]) continue;
			const a = Math.abs(rows[r].get(col)!);
			if (
				best < 0 ||
				a < Math.abs(rows[best].get(col)!) ||
				(a === Math.abs(rows[best].get(col)!) && r < best)
			)
				best = r;
		}
		if (best < 0) continue;
		isPivotRow[best] = 1;
		pivotCol.set(best, col);
		const prow = rows[best];
		const p = prow.get(col)!;
		for (const r of [...rowsOfCol[col]]) {
			if (r === best) continue;
			const row = rows[r];
			const a = row.get(col)!;
			// row ← row·p − prow·a, over the union of their non-zeros.
			for (const [j, v] of row) row.set(j, v * p);
			for (const [j, v] of prow) {
				const nv = checkSafe((row.get(j) ?? 0) - v * a);
				if (nv === 0) {
					if (row.delete(j)) rowsOfCol[j].delete(r);
				} else {
					if (!row.has(j)) rowsOfCol[j].add(r);
					row.set(j, nv);
				}
			}
			for (const v of row.values()) checkSafe(v);
			rhs[r] = rhs[r] * p - rhs[best] * a;
			let g = 0;
			for (const v of row.values()) g = gcd(g, v);
			if (g > 1) {
				for (const [j, v] of row) row.set(j, v / g);
				rhs[r] /= g;
			}
		}
	}

	const out = new Map<string, Determination>();
	for (const k of unknownKeys) out.set(k, { determined: false, value: null });
	for (const [r, col] of pivotCol) {
		const row = rows[r];
		if (row.size === 1) out.set(unknownKeys[col], { determined: true, value: rhs[r] / row.get(col)! });
	}
	return out;
}

/** One unknown's place in a constraint: constraint index and coefficient (+1 total, −1 part). */
export interface Incidence {
	constraint: number;
	coef: number;
}

/**
 * Exact determinacy of unknowns kept up to date while cells become unknown one at a time (secondary
 * suppression only ever adds unknowns), with cheap trial additions that can be rolled back.
 *
 * Each row r is a combination T_r of the original constraints, kept as integer coefficients with gcd
 * normalisation (fraction-free, no tolerance). Rows whose combination vanishes on the unknowns span the
 * left null space; the others are in reduced echelon form, one per pivot unknown. Adding unknown c only
 * needs the column T·a_c: if a null-space row touches c, c becomes a pivot (c is determined, nothing else
 * changes) and is eliminated from the other rows; otherwise c is a free column and every pivot whose row
 * touches c becomes undetermined. A pivot is determined iff its row has no free column: the same criterion
 * as {@link determineUnknowns}, which the tests use as the independent check. Only the pattern of the
 * unknowns' coefficients matters, so it is not stored: T_r·a_c is recomputed when c is added.
 */
export class DeterminacyTracker {
	private readonly incidence: readonly (readonly Incidence[])[];
	/** T_r for every row (immutable maps, replaced on change so a rollback can restore them). */
	private readonly comb: Map<number, number>[];
	/** For each constraint, the rows whose combination uses it. */
	private readonly rowsUsing: Set<number>[];
	private readonly pivotOfRow: Int32Array;
	private readonly rowOfPivot: Int32Array;
	/** Number of free columns with a non-zero in each pivot row. */
	private readonly freeInRow: Int32Array;
	private readonly unknown: Uint8Array;
	private readonly unknownIn: Int32Array;
	private undo: (() => void)[] | null = null;

	/**
	 * @param cellCount number of cells (unknowns are identified by index 0…cellCount−1)
	 * @param constraints for each constraint, its members with coefficient +1 (total) or −1 (part)
	 */
	constructor(cellCount: number, constraints: readonly (readonly { cell: number; coef: number }[])[]) {
		const inc: Incidence[][] = Array.from({ length: cellCount }, () => []);
		constraints.forEach((members, e) => {
			for (const { cell, coef } of members) {
				if (!Number.isInteger(cell) || cell < 0 || cell >= cellCount)
					throw new RangeError(`constraint ${e}: cell index ${cell} is outside 0…${cellCount - 1}`);
				inc[cell].push({ constraint: e, coef });
			}
		});
		this.incidence = inc;
		const m = constraints.length;
		this.comb = Array.from({ length: m }, (_, e) => new Map([[e, 1]]));
		this.rowsUsing = Array.from({ length: m }, (_, e) => new Set([e]));
		this.pivotOfRow = new Int32Array(m).fill(-1);
		this.rowOfPivot = new Int32Array(cellCount).fill(-1);
		this.freeInRow = new Int32Array(m);
		this.unknown = new Uint8Array(cellCount);
		this.unknownIn = new Int32Array(m);
	}

	isUnknown(cell: number): boolean {
		return this.unknown[cell] === 1;
	}

	/** True when the constraints fix this unknown (false for known cells). */
	isDetermined(cell: number): boolean {
		const r = this.rowOfPivot[cell];
		return this.unknown[cell] === 1 && r >= 0 && this.freeInRow[r] === 0;
	}

	/** Number of unknowns among a constraint's members. */
	unknownCount(constraint: number): number {
		return this.unknownIn[constraint];
	}

	/** The constraints (with integer weights) whose combination fixes a determined unknown, else null. */
	certificate(cell: number): ReadonlyMap<number, number> | null {
		return this.isDetermined(cell) ? this.comb[this.rowOfPivot[cell]] : null;
	}

	/** The constraints a cell belongs to, with its coefficient in each. */
	incidenceOf(cell: number): readonly Incidence[] {
		return this.incidence[cell];
	}

	/** Start recording changes so that {@link rollback} can undo them (one level). */
	begin(): void {
		if (this.undo) throw new Error('DeterminacyTracker: a trial is already open');
		this.undo = [];
	}

	/** Undo every change since {@link begin}. */
	rollback(): void {
		const u = this.undo;
		if (!u) throw new Error('DeterminacyTracker: no trial to roll back');
		for (let i = u.length - 1; i >= 0; i--) u[i]();
		this.undo = null;
	}

	/** Keep the changes since {@link begin}. */
	commit(): void {
		if (!this.undo) throw new Error('DeterminacyTracker: no trial to commit');
		this.undo = null;
	}

	/** Make a cell unknown (no-op if it already is). */
	add(c: number): void {
		if (this.unknown[c]) return;
		this.set(this.unknown, c, 1);
		for (const { constraint } of this.incidence[c])
			this.set(this.unknownIn, constraint, this.unknownIn[constraint] + 1);

		// v = T·a_c: the new column in the current rows.
		const v = new Map<number, number>();
		for (const { constraint, coef } of this.incidence[c]) {
			for (const r of this.rowsUsing[constraint]) {
				const x = checkSafe((v.get(r) ?? 0) + coef * (this.comb[r].get(constraint) as number));
				v.set(r, x);
			}
		}
		let p = -1;
		let pv = 0;
		for (const [r, x] of v) {
			if (x === 0 || this.pivotOfRow[r] >= 0) continue;
			// Smallest multiplier, then sparsest row, then lowest index: deterministic and keeps growth low.
			const better =
				p < 0 ||
				Math.abs(x) < Math.abs(pv) ||
				(Math.abs(x) === Math.abs(pv) &&
					(this.comb[r].size < this.comb[p].size || (this.comb[r].size === this.comb[p].size && r < p)));
			if (better) {
				p = r;
				pv = x;
			}
		}
		if (p < 0) {
			// Free column: each pivot row it touches gains a free entry (its pivot is no longer fixed).
			for (const [r, x] of v) if (x !== 0) this.set(this.freeInRow, r, this.freeInRow[r] + 1);
			return;
		}
		this.set(this.pivotOfRow, p, c);
		this.set(this.rowOfPivot, c, p);
		const tp = this.comb[p];
		for (const [r, x] of v) {
			if (r === p || x === 0) continue;
			// row_r ← pv·row_r − x·row_p clears column c and leaves every other column's pattern as it was.
			const next = new Map<number, number>();
			for (const [e, w] of this.comb[r]) next.set(e, checkSafe(w * pv));
			for (const [e, w] of tp) {
				const nw = checkSafe((next.get(e) ?? 0) - w * x);
				if (nw === 0) next.delete(e);
				else next.set(e, nw);
			}
			let g = 0;
			for (const w of next.values()) g = gcd(g, w);
			if (g > 1) for (const [e, w] of next) next.set(e, w / g);
			this.replaceComb(r, next);
		}
	}

	private set(arr: Int32Array | Uint8Array, i: number, value: number): void {
		const old = arr[i];
		arr[i] = value;
		this.undo?.push(() => {
			arr[i] = old;
		});
	}

	private replaceComb(r: number, next: Map<number, number>): void {
		const old = this.comb[r];
		this.swapComb(r, old, next);
		this.undo?.push(() => this.swapComb(r, next, old));
	}

	private swapComb(r: number, from: Map<number, number>, to: Map<number, number>): void {
		for (const e of from.keys()) if (!to.has(e)) this.rowsUsing[e].delete(r);
		for (const e of to.keys()) if (!from.has(e)) this.rowsUsing[e].add(r);
		this.comb[r] = to;
	}
}
