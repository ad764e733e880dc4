import {
	primaryReasons,
	resolveRules,
	type Cell,
	type CellStatus,
	type DisclosureRules,
	type PrimaryReason
} from './cells';
import { DeterminacyTracker } from './linear';
import { validateTable, type Constraint, type TableSpec } from './tables';

export interface ProtectOptions extends Partial<DisclosureRules> {
	/** Cost of suppressing a cell as a complement: its n (default) or |value| (for magnitude tables). */
	cost?: 'n' | 'value';
	/**
	 * Keys of cells whose figures are published elsewhere (a release's row count IS its total cell's n), so
	 * an intruder knows them: they are never suppressed as complements (that would hide nothing) and the audit
	 * treats them as known. One that fails a primary rule stays published and is listed in `forcedPublished`.
	 */
	published?: readonly string[];
}

/** A cell that failed a primary rule but was left published because its figures are public anyway. */
export interface ForcedPublishedCell {
	key: string;
	reasons: PrimaryReason[];
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
	/**
	 * Cells of `options.published` that failed a primary rule: their status is 'published' (suppressing them
	 * would hide nothing); the caller decides what else to withhold about them. Not in `primaryCount`.
	 */
	forcedPublished: ForcedPublishedCell[];
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
			if (
				(!prev.contributions && c.contributions) ||
				(!prev.magnitudes && c.magnitudes) ||
				(!prev.forced && c.forced)
			)
				cells.set(c.key, {
					...prev,
					...c,
					contributions: prev.contributions ?? c.contributions,
					magnitudes: prev.magnitudes ?? c.magnitudes,
					forced: prev.forced ?? c.forced
				});
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

/** Min-heap of constraint indices: the singleton closure handles open relations lowest index first. */
class IndexHeap {
	private readonly a: number[] = [];
	private readonly queued = new Set<number>();
	get size(): number {
		return this.a.length;
	}
	push(x: number): void {
		if (this.queued.has(x)) return;
		this.queued.add(x);
		const a = this.a;
		a.push(x);
		let i = a.length - 1;
		while (i > 0) {
			const up = (i - 1) >> 1;
			if (a[up] <= a[i]) break;
			[a[up], a[i]] = [a[i], a[up]];
			i = up;
		}
	}
	pop(): number | undefined {
		const a = this.a;
		if (a.length === 0) return undefined;
		const top = a[0];
		const last = a.pop() as number;
		if (a.length) {
			a[0] = last;
			let i = 0;
			for (;;) {
				const l = 2 * i + 1;
				const r = l + 1;
				let m = i;
				if (l < a.length && a[l] < a[m]) m = l;
				if (r < a.length && a[r] < a[m]) m = r;
				if (m === i) break;
				[a[m], a[i]] = [a[i], a[m]];
				i = m;
			}
		}
		this.queued.delete(top);
		return top;
	}
}

type Rank = [number, number, number, string];
const compareRank = (a: Rank, b: Rank): number =>
	a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0);

/**
 * Secondary suppression on a set of linked tables (METHODOLOGY §5). Steps:
 * 1. primary suppression (threshold, dominance) on every cell;
 * 2. every additive relation holding a suppressed cell must hold at least two (else its total minus the
 *    published parts gives the cell away): add the cheapest complement, preferring cells that close another
 *    open relation over ones that open new relations, then smallest cost (n), zero cells last, then key;
 * 3. audit with exact elimination over ALL relations of ALL tables; while a suppressed cell is still
 *    uniquely determined, add the cheapest related cell that makes it undetermined.
 * The audit is incremental ({@link DeterminacyTracker}): suppressing a cell updates the exact elimination
 * instead of solving the whole system again, and a candidate complement is tried and rolled back, so a
 * release with thousands of cells is protected in well under a second.
 * Cells named in `options.published` are public elsewhere: the audit counts them as known, and they are never
 * complements (a primary one is left published and reported in `forcedPublished`).
 * Deterministic: the same input always gives the same pattern.
 */
export function protectTables(tables: readonly TableSpec[], options: ProtectOptions = {}): ProtectionResult {
	const rules = resolveRules(options);
	const costKind = options.cost ?? 'n';
	const { cells, order, constraints } = merge(tables);

	const idx = new Map<string, number>();
	order.forEach((k, i) => idx.set(k, i));
	const info = order.map((k) => cells.get(k) as Cell);
	const reasons: PrimaryReason[][] = info.map((c) => primaryReasons(c, rules));
	const members = constraints.map((c) => [c.total, ...c.parts].map((k) => idx.get(k) as number));
	const tracker = new DeterminacyTracker(
		order.length,
		members.map((mem) => mem.map((cell, j) => ({ cell, coef: j === 0 ? 1 : -1 })))
	);
	const cost = info.map((c) => (costKind === 'value' ? Math.abs(c.value ?? c.n) : c.n));
	const known = new Set<number>();
	for (const key of options.published ?? []) {
		const i = idx.get(key);
		if (i === undefined) throw new RangeError(`published cell "${key}" is in none of the tables`);
		known.add(i);
	}
	/** A cell that may still be suppressed as a complement. */
	const open = (k: number): boolean => !tracker.isUnknown(k) && !known.has(k);

	/** Sort key for a complement candidate given the current pattern. */
	const rank = (k: number, skipEq: number): Rank => {
		let balance = 0;
		for (const { constraint: e } of tracker.incidenceOf(k)) {
			if (e === skipEq) continue;
			const cnt = tracker.unknownCount(e);
			if (cnt === 0)
				balance++; // would open a new relation needing its own complement
			else if (cnt === 1) balance--; // would close another open relation at the same time
		}
		return [info[k].n === 0 ? 1 : 0, balance, cost[k], order[k]];
	};
	const byRank = (keys: Iterable<number>, skipEq: number): number[] =>
		[...keys]
			.map((k) => ({ k, r: rank(k, skipEq) }))
			.sort((a, b) => compareRank(a.r, b.r))
			.map((x) => x.k);

	/**
	 * Suppress `start` cells, then give every relation left with one suppressed cell its cheapest complement.
	 * Open relations are handled in passes of ascending index, as a full rescan would (a relation opened
	 * behind the current one waits for the next pass), but only relations touched by a new cell are queued.
	 */
	const suppressAndClose = (start: readonly number[]): void => {
		let pass = new IndexHeap();
		let nextPass = new IndexHeap();
		let at = -1;
		const suppress = (k: number): void => {
			tracker.add(k);
			for (const { constraint: e } of tracker.incidenceOf(k))
				if (tracker.unknownCount(e) === 1) (e > at ? pass : nextPass).push(e);
		};
		for (const k of start) suppress(k);
		for (;;) {
			const e = pass.pop();
			if (e === undefined) {
				if (nextPass.size === 0) break;
				[pass, nextPass, at] = [nextPass, new IndexHeap(), -1];
				continue;
			}
			at = e;
			if (tracker.unknownCount(e) !== 1) continue;
			const candidates = members[e].filter(open);
			if (candidates.length > 0) suppress(byRank(candidates, e)[0]);
		}
	};

	// Cells in few relations first: the elimination then stays sparse (about 7× less work on a real release
	// than key order); the pattern does not depend on this order, only the work does.
	const degree = (i: number): number => tracker.incidenceOf(i).length;
	const primary = order
		.map((_, i) => i)
		.filter((i) => reasons[i].length > 0 && !known.has(i))
		.sort((a, b) => degree(a) - degree(b) || a - b);
	const primaryCount = primary.length;
	suppressAndClose(primary);
	const unprotected = new Set<number>();

	/** Published cells that share a relation with any suppressed cell (the original, wide candidate set). */
	const neighbours = (): number[] => {
		const out = new Set<number>();
		for (let e = 0; e < members.length; e++) {
			if (tracker.unknownCount(e) === 0) continue;
			for (const m of members[e]) if (open(m)) out.add(m);
		}
		return [...out];
	};
	/** Suppress k (and close its relations) on trial; keep it only if `target` is then undetermined. */
	const tryComplement = (k: number, target: number): boolean => {
		tracker.begin();
		suppressAndClose([k]);
		if (tracker.isDetermined(target)) {
			tracker.rollback();
			return false;
		}
		tracker.commit();
		return true;
	};

	for (;;) {
		let target = -1;
		for (let i = 0; i < order.length; i++)
			if (!unprotected.has(i) && tracker.isDetermined(i)) {
				target = i;
				break;
			}
		if (target < 0) break;
		// A complement can only break this proof of the target's value if it enters one of the proof's
		// relations with a non-zero weight; such cells are tried first, in cost order.
		const proof = tracker.certificate(target) as ReadonlyMap<number, number>;
		const direct = new Set<number>();
		for (const e of proof.keys())
			for (const m of members[e]) {
				if (!open(m) || direct.has(m)) continue;
				let w = 0;
				for (const { constraint, coef } of tracker.incidenceOf(m)) w += coef * (proof.get(constraint) ?? 0);
				if (w !== 0) direct.add(m);
			}
		const first = byRank(direct, -1);
		if (first.some((k) => tryComplement(k, target))) continue;
		// Rare: only an indirect complement (through the relations it opens) can help; try every neighbour.
		const wide = byRank(
			neighbours().filter((k) => !direct.has(k)),
			-1
		);
		if (wide.some((k) => tryComplement(k, target))) continue;
		const cheapest = first[0] ?? byRank(neighbours(), -1)[0];
		if (cheapest === undefined) {
			unprotected.add(target);
			continue;
		}
		// No single complement helps: take the cheapest and continue, so the pattern keeps growing.
		suppressAndClose([cheapest]);
	}

	const out = new Map<string, ProtectedCell>();
	const forcedPublished: ForcedPublishedCell[] = [];
	for (const key of order) {
		const c = cells.get(key) as Cell;
		const i = idx.get(key) as number;
		if (known.has(i) && reasons[i].length) forcedPublished.push({ key, reasons: [...reasons[i]] });
		const r = known.has(i) ? [] : reasons[i];
		out.set(key, {
			key,
			n: c.n,
			value: c.value ?? null,
			status: r.length ? 'suppressed-primary' : tracker.isUnknown(i) ? 'suppressed-secondary' : 'published',
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
		secondaryCount: order.filter((_, i) => tracker.isUnknown(i)).length - primaryCount,
		rules,
		unprotected: [...unprotected].map((i) => order[i]),
		forcedPublished
	};
}

/** Protect a single table (use {@link protectTables} for tables that share figures). */
export function protectTable(table: TableSpec, options: ProtectOptions = {}): ProtectedTable {
	return protectTables([table], options).tables[0];
}
