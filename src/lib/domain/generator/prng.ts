/** Seeded PRNG (mulberry32): fast, tiny, and identical on every platform for a given seed. */
export interface Rng {
	/** Uniform in [0, 1). */
	next(): number;
	/** Standard normal (Box–Muller). */
	normal(): number;
	int(lo: number, hi: number): number;
	pick<T>(list: readonly T[]): T;
}

/** Turns a string or number seed into a 32-bit state (FNV-1a over the text). */
export function seedFrom(seed: string | number): number {
	const s = String(seed);
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

export function createRng(seed: string | number): Rng {
	let a = seedFrom(seed);
	const next = () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		normal() {
			const u = 1 - next();
			const v = next();
			return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
		},
		int(lo, hi) {
			return lo + Math.floor(next() * (hi - lo + 1));
		},
		pick(list) {
			return list[Math.floor(next() * list.length)];
		}
	};
}
