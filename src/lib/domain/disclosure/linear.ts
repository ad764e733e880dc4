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
	const rows: number[][] = [];
	const rhs: number[] = [];
	for (const con of constraints) {
		const row = new Array<number>(m).fill(0);
		let b = 0;
		let any = false;
		const add = (key: string, coef: number): void => {
			const j = index.get(key);
			if (j === undefined) b -= coef * knownValue(key);
			else {
				row[j] += coef;
				any = true;
			}
		};
		add(con.total, 1);
		for (const p of con.parts) add(p, -1);
		if (any) {
			rows.push(row);
			rhs.push(b);
		}
	}

	const pivotOfRow: number[] = [];
	let r0 = 0;
	for (let col = 0; col < m && r0 < rows.length; col++) {
		let best = -1;
		for (let r = r0; r < rows.length; r++) {
			const a = Math.abs(rows[r][col]);
			if (a !== 0 && (best < 0 || a < Math.abs(rows[best][col]))) best = r;
		}
		if (best < 0) continue;
		[rows[r0], rows[best]] = [rows[best], rows[r0]];
		[rhs[r0], rhs[best]] = [rhs[best], rhs[r0]];
		const prow = rows[r0];
		const p = prow[col];
		for (let r = 0; r < rows.length; r++) {
			if (r === r0 || rows[r][col] === 0) continue;
			const a = rows[r][col];
			const row = rows[r];
			let g = 0;
			for (let j = 0; j < m; j++) {
				row[j] = checkSafe(row[j] * p - prow[j] * a);
				g = gcd(g, row[j]);
			}
			rhs[r] = rhs[r] * p - rhs[r0] * a;
			if (g > 1) {
				for (let j = 0; j < m; j++) row[j] /= g;
				rhs[r] /= g;
			}
		}
		pivotOfRow[r0] = col;
		r0++;
	}

	const out = new Map<string, Determination>();
	for (const k of unknownKeys) out.set(k, { determined: false, value: null });
	for (let r = 0; r < r0; r++) {
		const col = pivotOfRow[r];
		const row = rows[r];
		let alone = true;
		for (let j = 0; j < m && alone; j++) if (j !== col && row[j] !== 0) alone = false;
		if (alone) out.set(unknownKeys[col], { determined: true, value: rhs[r] / row[col] });
	}
	return out;
}
