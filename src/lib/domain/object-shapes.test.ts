import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ObjectShapes } from './object-shapes';

/** What build() must equal: a plain object with these own data properties, in this order. */
function reference(keys: readonly string[], positions: number[], values: unknown[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	positions.forEach((p, i) =>
		Object.defineProperty(out, keys[p], {
			value: values[i],
			writable: true,
			enumerable: true,
			configurable: true
		})
	);
	return out;
}

/** Same own keys in the same order, same values (by identity), same prototype. */
function expectSame(actual: Record<string, unknown>, expected: Record<string, unknown>): void {
	expect(Object.getPrototypeOf(actual)).toBe(Object.getPrototypeOf(expected));
	expect(Object.keys(actual)).toEqual(Object.keys(expected));
	for (const k of Object.keys(expected)) expect(actual[k]).toBe(expected[k]);
}

const KEYS = [
	'a',
	'b_1',
	'c-Comment',
	'đề xuất',
	'x"y',
	'back\\slash',
	'line\nbreak',
	'12',
	'constructor',
	'__proto__'
];

const subsets = fc.array(
	fc.tuple(
		fc.subarray(KEYS.map((_, i) => i)),
		fc.array(fc.oneof(fc.string(), fc.double(), fc.constant(null), fc.array(fc.string())), {
			minLength: KEYS.length,
			maxLength: KEYS.length
		})
	),
	{ minLength: 1, maxLength: 30 }
);

describe('ObjectShapes', () => {
	it('builds the same object as adding the keys one by one, whatever keys are present', () => {
		fc.assert(
			fc.property(subsets, fc.integer({ min: 0, max: 4 }), (rows, maxShapes) => {
				// A small shape limit exercises the key-by-key fallback too.
				const shapes = new ObjectShapes(KEYS, maxShapes);
				for (const [positions, values] of rows) {
					const vals = values.slice(0, positions.length);
					expectSame(shapes.build(positions, vals, positions.length), reference(KEYS, positions, vals));
				}
				expect(shapes.size).toBeLessThanOrEqual(maxShapes);
			}),
			{ numRuns: 200 }
		);
	});

	it('reads only the first n positions and values, so callers can reuse them as scratch space', () => {
		const shapes = new ObjectShapes(KEYS);
		const positions = [0, 3, 5, 9, 1];
		const values = ['A', 'D', 'F', 'T', 'stale'];
		const first = shapes.build(positions, values, 3);
		expectSame(first, { a: 'A', 'đề xuất': 'D', 'back\\slash': 'F' });
		values[0] = 'changed';
		expect(first.a).toBe('A');
		const again = shapes.build(positions, values, 3);
		expect(again).not.toBe(first);
		expectSame(again, { a: 'changed', 'đề xuất': 'D', 'back\\slash': 'F' });
		expect(shapes.size).toBe(1);
	});

	it('keeps __proto__ an own key, never the prototype, with or without a compiled shape', () => {
		for (const maxShapes of [0, 10]) {
			const shapes = new ObjectShapes(['a', '__proto__', 'b'], maxShapes);
			const evil = { polluted: true };
			const o = shapes.build([0, 1, 2], [1, evil, 2], 3);
			expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
			expect(Object.keys(o)).toEqual(['a', '__proto__', 'b']);
			expect((o as { polluted?: unknown }).polluted).toBeUndefined();
			expect(Object.getOwnPropertyDescriptor(o, '__proto__')?.value).toBe(evil);
		}
	});

	it('tells apart key lists whose hashes collide', () => {
		const keys = Array.from({ length: 64 }, (_, i) => `k${i}`);
		const shapes = new ObjectShapes(keys);
		// hash = 31 * (p0 + 1) + (p1 + 1): [0, 31] and [1, 0] collide.
		expectSame(shapes.build([0, 31], ['x', 'y'], 2), { k0: 'x', k31: 'y' });
		expectSame(shapes.build([1, 0], ['x', 'y'], 2), { k1: 'x', k0: 'y' });
		expect(shapes.size).toBe(2);
	});

	it('builds key by key only once most lookups find no shape, and stays correct across the switch', () => {
		const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
		const shapes = new ObjectShapes(keys, 8);
		// 1,200 distinct key lists (subsets of 12 keys by bit pattern): almost every lookup misses.
		for (let m = 1; m <= 1200; m++) {
			const positions = keys.map((_, i) => i).filter((i) => m & (1 << i));
			const values = positions.map((p) => `v${p}.${m}`);
			expectSame(shapes.build(positions, values, positions.length), reference(keys, positions, values));
			if (m === 8) expect(shapes.size).toBe(8);
		}
		expect(shapes.size).toBe(0);
		// Lists that repeat keep the shapes: no switch.
		const repeated = new ObjectShapes(keys, 8);
		for (let m = 0; m < 3000; m++) {
			const positions = [m % 9, 9 + (m % 3)].filter((p, i, a) => a.indexOf(p) === i);
			const values = positions.map((p) => p * m);
			expectSame(repeated.build(positions, values, positions.length), reference(keys, positions, values));
		}
		expect(repeated.size).toBe(8);
	});
});
