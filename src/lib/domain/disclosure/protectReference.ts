/**
 * Test oracle (not part of the public API): the plain, slow form of protectTables' search, which re-solves
 * the whole system for every candidate complement. protect.test.ts checks that the incremental version
 * finds the same pattern on random linked tables.
 */
import { primaryReasons, resolveRules, type Cell } from './cells';
import { determineUnknowns } from './linear';
import type { ProtectOptions } from './protect';
import type { Constraint, TableSpec } from './tables';

/** Keys of every suppressed cell (primary and secondary); `audit: false` stops after "two per relation". */
export function referenceSuppression(
	tables: readonly TableSpec[],
	options: ProtectOptions = {},
	audit = true
): string[] {
	const rules = resolveRules(options);
	const cells = new Map<string, Cell>();
	const constraints: Constraint[] = [];
	const seen = new Set<string>();
	for (const t of tables) {
		for (const c of t.cells) if (!cells.has(c.key)) cells.set(c.key, c);
		for (const con of t.constraints) {
			const sig = `${con.total}=${[...con.parts].sort().join('+')}`;
			if (!seen.has(sig)) constraints.push(con);
			seen.add(sig);
		}
	}
	const order = [...cells.keys()];
	const members = constraints.map((c) => [c.total, ...c.parts]);
	const eqOf = new Map<string, number[]>();
	members.forEach((mem, e) => mem.forEach((k) => eqOf.set(k, [...(eqOf.get(k) ?? []), e])));
	const cost = (k: string): number => {
		const c = cells.get(k) as Cell;
		return options.cost === 'value' ? Math.abs(c.value ?? c.n) : c.n;
	};
	const countIn = (e: number, s: Set<string>): number => members[e].filter((k) => s.has(k)).length;
	const rank = (k: string, s: Set<string>, skip: number): [number, number, number, string] => {
		let balance = 0;
		for (const e of eqOf.get(k) ?? []) {
			if (e === skip) continue;
			const n = countIn(e, s);
			balance += n === 0 ? 1 : n === 1 ? -1 : 0;
		}
		return [(cells.get(k) as Cell).n === 0 ? 1 : 0, balance, cost(k), k];
	};
	const sortByRank = (keys: string[], s: Set<string>, skip: number): string[] => {
		const r = new Map(keys.map((k) => [k, rank(k, s, skip)]));
		return keys.sort((a, b) => {
			const x = r.get(a) as [number, number, number, string];
			const y = r.get(b) as [number, number, number, string];
			return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || (x[3] < y[3] ? -1 : 1);
		});
	};
	const close = (s: Set<string>): void => {
		for (let changed = true; changed;) {
			changed = false;
			for (let e = 0; e < members.length; e++) {
				if (countIn(e, s) !== 1) continue;
				s.add(
					sortByRank(
						members[e].filter((k) => !s.has(k)),
						s,
						e
					)[0]
				);
				changed = true;
			}
		}
	};
	const determined = (s: Set<string>): string[] => {
		const unknown = order.filter((k) => s.has(k));
		const det = determineUnknowns(constraints, unknown, () => 0);
		return unknown.filter((k) => det.get(k)?.determined);
	};

	const s = new Set(order.filter((k) => primaryReasons(cells.get(k) as Cell, rules).length > 0));
	close(s);
	if (!audit) return order.filter((k) => s.has(k));
	const unprotected = new Set<string>();
	for (;;) {
		const target = determined(s).find((k) => !unprotected.has(k));
		if (target === undefined) break;
		const cand = new Set<string>();
		for (const k of s)
			for (const e of eqOf.get(k) ?? []) for (const m of members[e]) if (!s.has(m)) cand.add(m);
		if (cand.size === 0) {
			unprotected.add(target);
			continue;
		}
		const sorted = sortByRank([...cand], s, -1);
		let chosen: Set<string> | null = null;
		for (const k of sorted) {
			const trial = new Set([...s, k]);
			close(trial);
			if (!determined(trial).includes(target)) {
				chosen = trial;
				break;
			}
		}
		if (!chosen) {
			chosen = new Set([...s, sorted[0]]);
			close(chosen);
		}
		for (const k of chosen) s.add(k);
	}
	return order.filter((k) => s.has(k));
}
