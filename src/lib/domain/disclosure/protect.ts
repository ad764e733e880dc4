import {
	primaryReasons,
	resolveRules,
	type Cell,
	type CellStatus,
	type DisclosureRules,
	type PrimaryReason
} from './cells';
import { determineUnknowns } from './linear';
import { validateTable, type Constraint, type TableSpec } from './tables';

export interface ProtectOptions extends Partial<DisclosureRules> {
	/** Cost of suppressing a cell as a complement: its n (default) or |value| (for magnitude tables). */
	cost?: 'n' | 'value';
}

export interface ProtectedCell {
	key: string;
	n: number;
	value: number | null;
	status: CellStatus;
	/** Primary reasons (empty for published and secondary cells). */
	reasons: PrimaryReason[];
}

export interface ProtectedTable {
	id: string;
	cells: ProtectedCell[];
	constraints: Constraint[];
}

export interface ProtectionResult {
	tables: ProtectedTable[];
	/** Every cell of every table by key (a key shared by several tables has one status). */
	cells: ReadonlyMap<string, ProtectedCell>;
	primaryCount: number;
	secondaryCount: number;
	rules: DisclosureRules;
	/** Suppressed cells that stay exactly recoverable even after suppressing every related cell (should be empty). */
	unprotected: string[];
}

interface Merged {
	cells: Map<string, Cell>;
	order: string[];
	constraints: Constraint[];
}

function merge(tables: readonly TableSpec[]): Merged {
	const cells = new Map<string, Cell>();
	const owner = new Map<string, string>();
	const order: string[] = [];
	const seen = new Set<string>();
	const constraints: Constraint[] = [];
	const ids = new Set<string>();
	for (const t of tables) {
		if (ids.has(t.id)) throw new RangeError(`duplicate table id "${t.id}"`);
		ids.add(t.id);
		validateTable(t);
		for (const c of t.cells) {
			const prev = cells.get(c.key);
			if (!prev) {
				cells.set(c.key, c);
				owner.set(c.key, t.id);
				order.push(c.key);
				continue;
			}
			const pv = prev.value ?? null;
			const cv = c.value ?? null;
			if (
				prev.n !== c.n ||
				(pv !== null && cv !== null && Math.abs(pv - cv) > 1e-9 * Math.max(1, Math.abs(pv)))
			) {
				throw new RangeError(
					`cell "${c.key}" appears in tables "${owner.get(c.key)}" and "${t.id}" with different figures (n ${prev.n} vs ${c.n}, value ${pv} vs ${cv}): shared keys must be the same published figure`
				);
			}
			// Keep the richer record (a magnitude table may carry contributions for a key a count table shares).
			if (!prev.contributions && c.contributions) cells.set(c.key, { ...prev, ...c });
		}
		for (const con of t.constraints) {
			const sig = `${con.total}=${[...con.parts].sort().join('+')}`;
			if (seen.has(sig)) continue;
			seen.add(sig);
			constraints.push({ total: con.total, parts: [...con.parts] });
		}
	}
	return { cells, order, constraints };
}

/**
 * Secondary suppression on a set of linked tables (METHODOLOGY §5). Steps:
 * 1. primary suppression (threshold, dominance) on every cell;
 * 2. every additive relation holding a suppressed cell must hold at least two (else its total minus the
 *    published parts gives the cell away): add the cheapest complement, preferring cells that close another
 *    open relation over ones that open new relations, then smallest cost (n), zero cells last, then key;
 * 3. audit with exact elimination over ALL relations of ALL tables; while a suppressed cell is still
 *    uniquely determined, add the cheapest related cell that makes it undetermined.
 * Deterministic: the same input always gives the same pattern.
 */
export function protectTables(tables: readonly TableSpec[], options: ProtectOptions = {}): ProtectionResult {
	const rules = resolveRules(options);
	const costKind = options.cost ?? 'n';
	const { cells, order, constraints } = merge(tables);

	const reasons = new Map<string, PrimaryReason[]>();
	const suppressed = new Set<string>();
	for (const key of order) {
		const r = primaryReasons(cells.get(key) as Cell, rules);
		reasons.set(key, r);
		if (r.length) suppressed.add(key);
	}
	const primaryCount = suppressed.size;

	const members = constraints.map((c) => [c.total, ...c.parts]);
	const eqOf = new Map<string, number[]>();
	members.forEach((mem, e) => {
		for (const k of mem) {
			const list = eqOf.get(k);
			if (list) list.push(e);
			else eqOf.set(k, [e]);
		}
	});
	const cost = (k: string): number => {
		const c = cells.get(k) as Cell;
		return costKind === 'value' ? Math.abs(c.value ?? c.n) : c.n;
	};
	const countIn = (e: number, s: Set<string>): number =>
		members[e].reduce((a, k) => a + (s.has(k) ? 1 : 0), 0);

	/** Sort key for a complement candidate given the current pattern. */
	const rank = (k: string, s: Set<string>, skipEq: number): [number, number, number, string] => {
		let balance = 0;
		for (const e of eqOf.get(k) ?? []) {
			if (e === skipEq) continue;
			const cnt = countIn(e, s);
			if (cnt === 0)
				balance++; // would open a new relation needing its own complement
			else if (cnt === 1) balance--; // would close another open relation at the same time
		}
		const c = cells.get(k) as Cell;
		return [c.n === 0 ? 1 : 0, balance, cost(k), k];
	};
	const compare = (a: [number, number, number, string], b: [number, number, number, string]): number =>
		a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0);

	const closeSingletons = (s: Set<string>): void => {
		let changed = true;
		while (changed) {
			changed = false;
			for (let e = 0; e < members.length; e++) {
				if (countIn(e, s) !== 1) continue;
				const candidates = members[e].filter((k) => !s.has(k));
				if (candidates.length === 0) continue;
				candidates.sort((a, b) => compare(rank(a, s, e), rank(b, s, e)));
				s.add(candidates[0]);
				changed = true;
			}
		}
	};

	const determinedKeys = (s: Set<string>): string[] => {
		const unknown = order.filter((k) => s.has(k));
		const det = determineUnknowns(constraints, unknown, () => 0);
		return unknown.filter((k) => det.get(k)?.determined);
	};

	closeSingletons(suppressed);
	const unprotected: string[] = [];
	for (;;) {
		const det = determinedKeys(suppressed).filter((k) => !unprotected.includes(k));
		if (det.length === 0) break;
		const target = det[0];
		// Candidates: published cells sharing a relation with any suppressed cell.
		const cand = new Set<string>();
		for (const k of suppressed)
			for (const e of eqOf.get(k) ?? []) for (const m of members[e]) if (!suppressed.has(m)) cand.add(m);
		if (cand.size === 0) {
			unprotected.push(target);
			continue;
		}
		const sorted = [...cand].sort((a, b) => compare(rank(a, suppressed, -1), rank(b, suppressed, -1)));
		let chosen: Set<string> | null = null;
		for (const k of sorted) {
			const trial = new Set(suppressed);
			trial.add(k);
			closeSingletons(trial);
			if (!determinedKeys(trial).includes(target)) {
				chosen = trial;
				break;
			}
		}
		if (!chosen) {
			// No single complement helps: take the cheapest and continue, so the pattern keeps growing.
			chosen = new Set(suppressed);
			chosen.add(sorted[0]);
			closeSingletons(chosen);
		}
		for (const k of chosen) suppressed.add(k);
	}

	const out = new Map<string, ProtectedCell>();
	for (const key of order) {
		const c = cells.get(key) as Cell;
		const r = reasons.get(key) ?? [];
		out.set(key, {
			key,
			n: c.n,
			value: c.value ?? null,
			status: r.length ? 'suppressed-primary' : suppressed.has(key) ? 'suppressed-secondary' : 'published',
			reasons: r
		});
	}
	return {
		tables: tables.map((t) => ({
			id: t.id,
			cells: t.cells.map((c) => out.get(c.key) as ProtectedCell),
			constraints: t.constraints.map((c) => ({ total: c.total, parts: [...c.parts] }))
		})),
		cells: out,
		primaryCount,
		secondaryCount: suppressed.size - primaryCount,
		rules,
		unprotected
	};
}

/** Protect a single table (use {@link protectTables} for tables that share figures). */
export function protectTable(table: TableSpec, options: ProtectOptions = {}): ProtectedTable {
	return protectTables([table], options).tables[0];
}
