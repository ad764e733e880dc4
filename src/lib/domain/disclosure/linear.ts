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
