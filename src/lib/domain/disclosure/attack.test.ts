import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { attackReleasedTables } from './attack';
import { primaryReasons, type Cell } from './cells';
import { protectTables } from './protect';
import { applyRole } from './release';
import { oneWayTable, twoWayTable, type TableSpec } from './tables';
import { primaryOnly } from './testTables';

const c = (key: string, n: number, value?: number): Cell => ({
	key,
	n,
	...(value !== undefined ? { value } : {})
});
const publicViews = (specs: TableSpec[]) =>
	protectTables(specs).tables.map((t) => applyRole(t, { microdata: false }));

describe('attack: recovering suppressed cells from published totals and differences', () => {
	const bySize = oneWayTable('by size', c('total', 43, 430), [
		c('micro', 3, 31),
		c('small', 12, 120),
		c('medium', 8, 79),
		c('large', 20, 200)
	]);

	it('SUCCEEDS on an under-protected table (primary suppression only): total minus the other segments', () => {
		const atk = attackReleasedTables([primaryOnly(bySize)]);
		expect(atk).toEqual([{ key: 'micro', determined: true, value: 3 }]);
		expect(attackReleasedTables([primaryOnly(bySize)], 'value')).toEqual([
			{ key: 'micro', determined: true, value: 31 }
		]);
	});

	it('fails on the protected table, for counts and for sums', () => {
		const views = publicViews([bySize]);
		for (const m of ['n', 'value'] as const) {
			const atk = attackReleasedTables(views, m);
			expect(atk.map((a) => a.key)).toEqual(['medium', 'micro']);
			expect(atk.every((a) => !a.determined && a.value === null)).toBe(true);
		}
	});

	it('SUCCEEDS across linked tables protected one by one; fails when they are protected together', () => {
		// A: sector by size; E: small enterprises by ownership (its total is A's segment "small").
		const A = oneWayTable('A', c('T', 153), [c('micro', 3), c('small', 40), c('medium', 50), c('large', 60)]);
		const E = oneWayTable('E', c('small', 40), [c('small|state', 10), c('small|private', 30)]);
		// Alone, A hides micro and small (cheapest); E alone hides nothing and so publishes small = 40.
		const separately = [...publicViews([A]), ...publicViews([E])];
		const atk = attackReleasedTables(separately);
		expect(atk.find((a) => a.key === 'micro')).toEqual({ key: 'micro', determined: true, value: 3 });
		// Together, the shared figure "small" has one status and the relation through E is honoured.
		const joint = attackReleasedTables(publicViews([A, E]));
		expect(joint.length).toBeGreaterThanOrEqual(2);
		expect(joint.filter((a) => a.determined)).toEqual([]);
	});

	it('uses figures known outside the tables (a release row count): the total is no longer a hiding place', () => {
		// micro (3) and the total both withheld: the tables alone hide micro ...
		const withheldTotal = applyRole(
			{
				id: 'by size',
				constraints: bySize.constraints.map((k) => ({ total: k.total, parts: [...k.parts] })),
				cells: bySize.cells.map((x) => {
					const hidden = x.key === 'micro' || x.key === 'total';
					return {
						key: x.key,
						n: x.n,
						value: x.value ?? null,
						reasons: [],
						status: hidden ? 'suppressed-secondary' : 'published'
					};
				})
			},
			{ microdata: false }
		);
		expect(attackReleasedTables([withheldTotal]).every((a) => !a.determined)).toBe(true);
		// ... but not from someone who read the total elsewhere; the known total itself is not an attempt.
		expect(attackReleasedTables([withheldTotal], 'n', { total: 43 })).toEqual([
			{ key: 'micro', determined: true, value: 3 }
		]);
		expect(() => attackReleasedTables([withheldTotal], 'n', { total: Number.NaN })).toThrow(
			/known elsewhere for "total"/
		);
	});

	it('rejects a microdata view (the intruder only has public outputs)', () => {
		const t = protectTables([bySize]).tables[0];
		expect(() => attackReleasedTables([applyRole(t, { microdata: true })])).toThrow(/microdata view/);
	});
});

/** Three two-way tables from one size × ownership × ward cube, sharing their one-way margins and total. */
function cubeTables(cube: Cell[][][]): TableSpec[] {
	const S = cube.length;
	const O = cube[0].length;
	const W = cube[0][0].length;
	const sum = (cs: Cell[]): Cell => ({
		key: '',
		n: cs.reduce((a, x) => a + x.n, 0),
		value: cs.reduce((a, x) => a + (x.value as number), 0),
		contributions: cs.flatMap((x) => x.contributions ?? [])
	});
	const at = (f: (s: number, o: number, w: number) => boolean): Cell[] => {
		const out: Cell[] = [];
		for (let s = 0; s < S; s++)
			for (let o = 0; o < O; o++) for (let w = 0; w < W; w++) if (f(s, o, w)) out.push(cube[s][o][w]);
		return out;
	};
	const named = (key: string, cs: Cell[]): Cell => ({ ...sum(cs), key });
	const sizeM = [...Array(S).keys()].map((s) =>
		named(
			`s${s}`,
			at((a) => a === s)
		)
	);
	const ownM = [...Array(O).keys()].map((o) =>
		named(
			`o${o}`,
			at((_, b) => b === o)
		)
	);
	const wardM = [...Array(W).keys()].map((w) =>
		named(
			`w${w}`,
			at((_, __, c) => c === w)
		)
	);
	const total = named(
		'total',
		at(() => true)
	);
	const two = (
		id: string,
		rows: Cell[],
		cols: Cell[],
		pick: (i: number, j: number) => Cell[],
		key: (i: number, j: number) => string
	) =>
		twoWayTable(id, {
			interior: rows.map((_, i) => cols.map((__, j) => named(key(i, j), pick(i, j)))),
			rowTotals: rows,
			colTotals: cols,
			grandTotal: total
		});
	return [
		two(
			'size×own',
			sizeM,
			ownM,
			(i, j) => at((s, o) => s === i && o === j),
			(i, j) => `s${i}o${j}`
		),
		two(
			'size×ward',
			sizeM,
			wardM,
			(i, j) => at((s, _, w) => s === i && w === j),
			(i, j) => `s${i}w${j}`
		),
		two(
			'own×ward',
			ownM,
			wardM,
			(i, j) => at((_, o, w) => o === i && w === j),
			(i, j) => `o${i}w${j}`
		)
	];
}

const cellArb = fc
	.array(fc.integer({ min: 1, max: 100 }), { minLength: 0, maxLength: 12 })
	.map((contributions): Cell => ({
		key: '',
		n: contributions.length,
		value: contributions.reduce((a, b) => a + b, 0),
		contributions
	}));

describe('attack on random tables (fast-check)', () => {
	it('random two-way tables with small cells: no suppressed cell is recoverable', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 2, max: 5 }).chain((R) =>
					fc.integer({ min: 2, max: 5 }).chain((C) =>
						fc.array(fc.array(fc.integer({ min: 0, max: 14 }), { minLength: C, maxLength: C }), {
							minLength: R,
							maxLength: R
						})
					)
				),
				(grid) => {
					const R = grid.length;
					const C = grid[0].length;
					const rowN = grid.map((r) => r.reduce((a, b) => a + b, 0));
					const colN = grid[0].map((_, j) => grid.reduce((a, r) => a + r[j], 0));
					const spec = twoWayTable('t', {
						interior: grid.map((r, i) => r.map((n, j) => c(`r${i}c${j}`, n, n * 7 + i))),
						rowTotals: rowN.map((n, i) => c(`r${i}`, n, n * 7 + i * C)),
						colTotals: colN.map((n, j) => c(`c${j}`, n, n * 7 + (R * (R - 1)) / 2)),
						grandTotal: c(
							'T',
							rowN.reduce((a, b) => a + b, 0),
							rowN.reduce((a, b) => a + b, 0) * 7 + (C * R * (R - 1)) / 2
						)
					});
					const r = protectTables([spec]);
					expect(r.unprotected).toEqual([]);
					const t = r.tables[0];
					for (const cell of spec.cells) {
						if (primaryReasons(cell).length) expect(r.cells.get(cell.key)?.status).toBe('suppressed-primary');
					}
					const view = applyRole(t, { microdata: false });
					for (const m of ['n', 'value'] as const) {
						expect(attackReleasedTables([view], m).filter((a) => a.determined)).toEqual([]);
					}
				}
			),
			{ numRuns: 150 }
		);
	});

	it('random linked tables (three two-way tables of a cube sharing margins), with dominance', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 2, max: 4 }).chain((S) =>
					fc.integer({ min: 2, max: 3 }).chain((O) =>
						fc.integer({ min: 2, max: 3 }).chain((W) =>
							fc.array(
								fc.array(fc.array(cellArb, { minLength: W, maxLength: W }), { minLength: O, maxLength: O }),
								{
									minLength: S,
									maxLength: S
								}
							)
						)
					)
				),
				(cube) => {
					const specs = cubeTables(cube);
					const r = protectTables(specs);
					expect(r.unprotected).toEqual([]);
					const views = r.tables.map((t) => applyRole(t, { microdata: false }));
					for (const m of ['n', 'value'] as const) {
						expect(attackReleasedTables(views, m).filter((a) => a.determined)).toEqual([]);
					}
				}
			),
			{ numRuns: 60 }
		);
	});

	/** A sector table by size, plus one table per size class by ownership (its total is A's segment). */
	const familyArb = fc.array(fc.array(fc.integer({ min: 0, max: 14 }), { minLength: 2, maxLength: 3 }), {
		minLength: 3,
		maxLength: 4
	});
	function family(grid: number[][]): TableSpec[] {
		const sizeN = grid.map((r) => r.reduce((a, b) => a + b, 0));
		const total = sizeN.reduce((a, b) => a + b, 0);
		return [
			oneWayTable(
				'by size',
				c('T', total),
				sizeN.map((n, i) => c(`s${i}`, n))
			),
			...grid.map((row, i) =>
				oneWayTable(
					`s${i} by ownership`,
					c(`s${i}`, sizeN[i]),
					row.map((n, j) => c(`s${i}o${j}`, n))
				)
			)
		];
	}

	it('random linked families (segment of one table = total of another): protected together, never recoverable', () => {
		fc.assert(
			fc.property(familyArb, (grid) => {
				const views = publicViews(family(grid));
				expect(attackReleasedTables(views).filter((a) => a.determined)).toEqual([]);
			}),
			{ numRuns: 200 }
		);
	});

	it('the same families protected table by table are often attackable (so the attack test can fail)', () => {
		let leaks = 0;
		fc.assert(
			fc.property(familyArb, (grid) => {
				const views = family(grid).flatMap((s) => publicViews([s]));
				if (attackReleasedTables(views).some((a) => a.determined)) leaks++;
			}),
			{ numRuns: 100, seed: 42 }
		);
		expect(leaks).toBeGreaterThan(5);
	});
});
