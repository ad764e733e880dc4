/**
 * Versions that cannot be differenced. Republishing a campaign after one response was reopened
 * gave a version with one row less: subtracting the two versions' public tables gave that enterprise's
 * figures. A cell of the new version is published only when its contributors differ from EVERY earlier
 * published version of the release either not at all or by at least k enterprises; a cell that differs
 * by 1 … k − 1 is withheld (reason 'version') and secondary suppression then runs on the DIFFERENCE of the
 * two versions (cells unchanged since the earlier version count as known there: their difference is 0).
 *
 * An enterprise "changed" in a cell when it joined it, left it, or stayed with different figures (a
 * rescore changes its contribution to every sum of the cell).
 */
import type { Cell } from './cells';
import { protectTables, type ProtectOptions, type ProtectionResult } from './protect';
import type { TableSpec } from './tables';

/** Per cell key: member id → signature of the member's contribution (equal signatures: no change). */
export type Membership = Map<string, Map<string, string>>;

/** Adds `member` with `signature` to every cell in `keys`. */
export function addMember(m: Membership, keys: Iterable<string>, member: string, signature: string): void {
	for (const key of keys) {
		let cell = m.get(key);
		if (!cell) m.set(key, (cell = new Map()));
		cell.set(member, signature);
	}
}

/** Number of changed members per cell key (over the keys of both versions). */
export function changedMembers(earlier: Membership, next: Membership): Map<string, number> {
	const out = new Map<string, number>();
	for (const key of new Set([...earlier.keys(), ...next.keys()])) {
		const a = earlier.get(key) ?? new Map<string, string>();
		const b = next.get(key) ?? new Map<string, string>();
		let changed = 0;
		for (const [id, sig] of b) if (a.get(id) !== sig) changed++;
		for (const id of a.keys()) if (!b.has(id)) changed++;
		out.set(key, changed);
	}
	return out;
}

export interface VersionDifference {
	/** The earlier version compared. */
	version: number;
	/** Cells whose contributors changed by 1 … k − 1: withheld in the new version. */
	sensitive: string[];
	/** Cells with no change: the difference is 0, known to anyone (never a complement). */
	unchanged: string[];
}

/** Classifies the changes of the new version against one earlier version. */
export function versionDifference(
	version: number,
	changes: ReadonlyMap<string, number>,
	k: number
): VersionDifference {
	const sensitive: string[] = [];
	const unchanged: string[] = [];
	for (const [key, c] of [...changes].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) {
		if (c === 0) unchanged.push(key);
		else if (c < k) sensitive.push(key);
	}
	return { version, sensitive, unchanged };
}

/**
 * The protection run of a new version against ONE earlier version: the new version's tables with the
 * sensitive cells withheld (reason 'version') and the unchanged cells treated as known — in the system of
 * differences between the two versions their difference is 0 — so complements are taken among cells that
 * did change (by k or more). Run once per earlier version and once on the new version alone; the union of
 * the patterns protects every one of those systems (withholding more never makes a cell recoverable).
 */
export function protectAgainstVersion(
	tables: readonly TableSpec[],
	diff: VersionDifference,
	options: ProtectOptions = {}
): ProtectionResult {
	const sensitive = new Set(diff.sensitive);
	const keys = new Set(tables.flatMap((t) => t.cells.map((c) => c.key)));
	const marked: TableSpec[] = tables.map((t) => ({
		...t,
		cells: t.cells.map((c): Cell =>
			sensitive.has(c.key) ? { ...c, forced: [...(c.forced ?? []), 'version'] } : c
		)
	}));
	const published = new Set(options.published ?? []);
	for (const key of diff.unchanged) if (keys.has(key) && !sensitive.has(key)) published.add(key);
	return protectTables(marked, { ...options, published: [...published] });
}
