/** Fixtures shared by the disclosure tests (not part of the public API). */
import { applyRole, type ReleasedTable } from './release';
import { primaryReasons, DEFAULT_RULES } from './cells';
import type { ProtectedTable } from './protect';
import type { TableSpec } from './tables';

/** Deliberately under-protected: primary suppression only, no complements. */
export function primaryOnly(spec: TableSpec): ReleasedTable {
	const t: ProtectedTable = {
		id: spec.id,
		constraints: spec.constraints.map((c) => ({ total: c.total, parts: [...c.parts] })),
		cells: spec.cells.map((c) => {
			const reasons = primaryReasons(c, DEFAULT_RULES);
			return {
				key: c.key,
				n: c.n,
				value: c.value ?? null,
				reasons,
				status: reasons.length ? 'suppressed-primary' : 'published'
			};
		})
	};
	return applyRole(t, { microdata: false });
}
