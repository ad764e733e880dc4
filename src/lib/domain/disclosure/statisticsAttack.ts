/**
 * The intruder against one cell's statistics: rebuild the members of a small cell from its
 * published block, and measure how far the published block pins each member down. Used by the tests
 * that prove the public blocks resist these attacks; kept in the domain so docs and tests share it.
 */
import type { StatisticBlock } from './statistics';

/**
 * Exact reconstruction of a cell of 5 or 6 members from its type 7 percentiles, mean and (n = 6) sd —
 * the attack measured on main before the statistic rules:
 * - n = 5: p25, median, p75 are x₂, x₃, x₄ (h = 1, 2, 3); p90 (h = 3.6) gives x₅ = p75 + (p90 − p75)/0.6;
 *   x₁ = 5·mean − (x₂ + … + x₅).
 * - n = 6: p25 = x₂ + ¼(x₃ − x₂), median = ½(x₃ + x₄), p75 = x₄ + ¾(x₅ − x₄), p90 = ½(x₅ + x₆) make every
 *   value linear in x₃; the sum fixes x₁; the sd gives a quadratic in x₃ whose root that keeps the order
 *   is the answer.
 * Returns the sorted members, or null when a needed statistic is not published (or nothing fits).
 */
export function reconstructSmallCell(block: StatisticBlock): number[] | null {
	const { n, mean, p25, median, p75, p90 } = block;
	if (mean === null || p25 === null || median === null || p75 === null || p90 === null) return null;
	if (n === 5) {
		const x5 = p75 + (p90 - p75) / 0.6;
		const x1 = 5 * mean - (p25 + median + p75 + x5);
		return [x1, p25, median, p75, x5];
	}
	if (n === 6 && block.sd !== null) {
		const sd = block.sd;
		// Each x_i = a_i + b_i·t with t = x₃.
		const x2 = [p25 / 0.75, -0.25 / 0.75];
		const x3 = [0, 1];
		const x4 = [2 * median, -1];
		const x5 = [(p75 - 0.25 * x4[0]) / 0.75, (-0.25 * x4[1]) / 0.75];
		const x6 = [2 * p90 - x5[0], -x5[1]];
		const rest = [x2, x3, x4, x5, x6];
		const x1 = [6 * mean - rest.reduce((s, v) => s + v[0], 0), -rest.reduce((s, v) => s + v[1], 0)];
		const all = [x1, ...rest];
		// Σ (a_i + b_i t − mean)² = 5 sd²  →  A t² + B t + C = 0
		let A = 0;
		let B = 0;
		let C = -5 * sd * sd;
		for (const [a, b] of all) {
			const d = a - mean;
			A += b * b;
			B += 2 * d * b;
			C += d * d;
		}
		const disc = B * B - 4 * A * C;
		if (disc < -1e-9) return null;
		const roots = [
			(-B - Math.sqrt(Math.max(0, disc))) / (2 * A),
			(-B + Math.sqrt(Math.max(0, disc))) / (2 * A)
		];
		for (const t of roots) {
			const xs = all.map(([a, b]) => a + b * t);
			if (xs.every((x, i) => i === 0 || x >= xs[i - 1] - 1e-9)) return xs;
		}
		return null;
	}
	return null;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface AmbiguityOptions {
	/** Range every member's value lies in (public knowledge: e.g. 0–100 points). */
	lo: number;
	hi: number;
	steps?: number;
	seed?: number;
}

/**
 * A witness that the published figures do NOT pin the members down: starting from the true values,
 * a random walk that only accepts moves which leave every published figure exactly as published
 * (`publish` returns them as one comparable string) and keep values in [lo, hi]. For each order
 * statistic the walk returns the lowest and highest value it reached: every value in between is
 * consistent with what was published, so the intruder's interval for that member is at least as wide.
 */
export function ambiguityWitness(
	values: readonly number[],
	publish: (values: readonly number[]) => string,
	options: AmbiguityOptions
): Array<{ lo: number; hi: number }> {
	const rand = seededRandom(options.seed ?? 1);
	const steps = options.steps ?? 20000;
	const target = publish(values);
	let x = [...values];
	const sorted = () => [...x].sort((a, b) => a - b);
	const range = sorted().map((v) => ({ lo: v, hi: v }));
	const scales = [
		(options.hi - options.lo) / 10,
		(options.hi - options.lo) / 100,
		(options.hi - options.lo) / 1000
	];
	for (let s = 0; s < steps; s++) {
		const y = [...x];
		const scale = scales[Math.floor(rand() * scales.length)];
		const i = Math.floor(rand() * y.length);
		const d = (rand() * 2 - 1) * scale;
		if (rand() < 0.5) {
			// Transfer between two members: keeps the sum (and so the mean) exactly.
			let j = Math.floor(rand() * (y.length - 1));
			if (j >= i) j++;
			y[i] += d;
			y[j] -= d;
		} else y[i] += d;
		if (y.some((v) => v < options.lo || v > options.hi)) continue;
		if (publish(y) !== target) continue;
		x = y;
		sorted().forEach((v, k) => {
			if (v < range[k].lo) range[k].lo = v;
			if (v > range[k].hi) range[k].hi = v;
		});
	}
	return range;
}
