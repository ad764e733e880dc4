import { determineUnknowns } from './linear';
import type { ReleasedTable } from './release';
import type { Constraint } from './tables';

export interface RecoveryAttempt {
	key: string;
	/** True when the published figures and the tables' additive relations fix the cell's value exactly. */
	determined: boolean;
	value: number | null;
}

/**
 * The intruder: using only what was published (public views of any number of tables, plus their additive
 * relations, which are public knowledge), try to recover every suppressed cell of `measure` exactly by
 * solving the linear system — this covers "total minus the other segments" and every difference between
 * linked tables. A figure published in any table counts as known everywhere; `elsewhere` adds figures the
 * intruder reads outside the tables (e.g. a release's row count, which is its total cell's n).
 */
export function attackReleasedTables(
	tables: readonly ReleasedTable[],
	measure: 'n' | 'value' = 'n',
	elsewhere: Readonly<Record<string, number>> = {}
): RecoveryAttempt[] {
	const known = new Map<string, number>();
	const all = new Set<string>();
	const suppressed = new Set<string>();
	const constraints: Constraint[] = [];
	for (const t of tables) {
		if (t.view !== 'public')
			throw new RangeError(`table "${t.id}" is a microdata view: attack the public view`);
		for (const c of t.cells) {
			all.add(c.key);
			const v = c[measure];
			if (v !== null) known.set(c.key, v);
			if (c.suppressed) suppressed.add(c.key);
		}
		constraints.push(...t.constraints);
	}
	for (const [key, v] of Object.entries(elsewhere)) {
		if (!Number.isFinite(v))
			throw new RangeError(`figure known elsewhere for "${key}" is not a finite number`);
		known.set(key, v);
	}
	const unknown = [...all].filter((k) => !known.has(k)).sort();
	const det = determineUnknowns(constraints, unknown, (k) => known.get(k) as number);
	return [...suppressed]
		.filter((k) => !known.has(k))
		.sort()
		.map((key) => {
			const d = det.get(key);
			return { key, determined: d?.determined ?? false, value: d?.determined ? d.value : null };
		});
}
