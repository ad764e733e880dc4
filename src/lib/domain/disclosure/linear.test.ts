import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DeterminacyTracker, determineUnknowns } from './linear';
import type { Constraint } from './tables';

const key = (i: number): string => `k${i}`;

/** Random additive relations over `cells` cells: a total and 1–4 distinct parts each. */
const systemArb = fc.integer({ min: 3, max: 14 }).chain((cells) =>
	fc.record({
		cells: fc.constant(cells),
		relations: fc.array(
			fc
				.uniqueArray(fc.integer({ min: 0, max: cells - 1 }), { minLength: 2, maxLength: 5 })
				.map(([total, ...parts]) => ({ total, parts })),
			{ minLength: 1, maxLength: 10 }
		),
		// Cells made unknown, in order; each step is committed or tried and rolled back.
		steps: fc.array(fc.record({ cell: fc.integer({ min: 0, max: cells - 1 }), keep: fc.boolean() }), {
			minLength: 1,
			maxLength: 16
		})
	})
);

function tracker(
	cells: number,
	relations: readonly { total: number; parts: number[] }[]
): DeterminacyTracker {
	return new DeterminacyTracker(
		cells,
		relations.map((r) => [{ cell: r.total, coef: 1 }, ...r.parts.map((cell) => ({ cell, coef: -1 }))])
	);
}

/** Determinacy of every unknown by a plain solve of the whole system (the independent check). */
function solve(
	relations: readonly { total: number; parts: number[] }[],
	unknown: readonly number[]
): boolean[] {
	const constraints: Constraint[] = relations.map((r) => ({ total: key(r.total), parts: r.parts.map(key) }));
	const det = determineUnknowns(constraints, unknown.map(key), () => 0);
	return unknown.map((u) => det.get(key(u))?.determined ?? false);
}

describe('DeterminacyTracker (incremental exact elimination)', () => {
	it('agrees with a full solve after every addition, and a rollback restores the previous state', () => {
		fc.assert(
			fc.property(systemArb, ({ cells, relations, steps }) => {
				const t = tracker(cells, relations);
				const unknown: number[] = [];
				for (const { cell, keep } of steps) {
					const before = unknown.map((u) => t.isDetermined(u));
					t.begin();
					t.add(cell);
					const trial = unknown.includes(cell) ? unknown : [...unknown, cell];
					expect(trial.map((u) => t.isDetermined(u))).toEqual(solve(relations, trial));
					for (const u of trial) {
						// The certificate is a real proof: its weighted relations leave only u among the unknowns.
						const proof = t.certificate(u);
						if (!proof) continue;
						const coef = new Map<number, number>();
						for (const [e, w] of proof) {
							const r = relations[e];
							coef.set(r.total, (coef.get(r.total) ?? 0) + w);
							for (const p of r.parts) coef.set(p, (coef.get(p) ?? 0) - w);
						}
						for (const v of trial)
							expect(coef.get(v) ?? 0, `cell ${v} in proof of ${u}`).toSatisfy((x: number) =>
								v === u ? x !== 0 : x === 0
							);
					}
					if (keep) {
						t.commit();
						if (!unknown.includes(cell)) unknown.push(cell);
					} else {
						t.rollback();
						expect(unknown.map((u) => t.isDetermined(u))).toEqual(before);
						expect(t.isUnknown(cell)).toBe(unknown.includes(cell));
					}
				}
				for (let e = 0; e < relations.length; e++) {
					const r = relations[e];
					const members = [r.total, ...r.parts];
					expect(t.unknownCount(e)).toBe(members.filter((m) => unknown.includes(m)).length);
				}
			}),
			{ numRuns: 400 }
		);
	});

	it('an odd cycle of relations fixes every cell; one more unknown in the cycle frees them all', () => {
		// a+b, a+c, b+c known (each relation's other member published) ⇒ a, b, c known.
		const rel = [
			{ total: 3, parts: [0, 1] },
			{ total: 4, parts: [0, 2] },
			{ total: 5, parts: [1, 2] }
		];
		const t = tracker(6, rel);
		for (const c of [0, 1, 2]) t.add(c);
		expect([0, 1, 2].map((c) => t.isDetermined(c))).toEqual([true, true, true]);
		t.add(5);
		expect([0, 1, 2, 5].map((c) => t.isDetermined(c))).toEqual([false, false, false, false]);
	});

	it('rejects misuse clearly', () => {
		expect(() => new DeterminacyTracker(2, [[{ cell: 2, coef: 1 }]])).toThrow(/constraint 0: cell index 2/);
		const t = tracker(3, [{ total: 0, parts: [1, 2] }]);
		expect(() => t.rollback()).toThrow(/no trial/);
		expect(() => t.commit()).toThrow(/no trial/);
		t.begin();
		expect(() => t.begin()).toThrow(/already open/);
	});
});
