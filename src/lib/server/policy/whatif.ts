/**
 * What-if through the server: raise a criterion or a group for a segment of a source and project the
 * level distribution by rescoring every enterprise's modified criterion points with the rubric engine.
 * A segment with fewer than k enterprises is withheld from viewers who do not see every row
 * (`rowAccessOf` in authz.ts); unpublished sources are refused to them.
 */
import { GROUP_IDS, type GroupId } from '$lib/domain/rubric';
import {
	TargetingInputError,
	validateSegmentFilter,
	whatIf,
	type Raise,
	type SegmentFilter,
	type WhatIfChange,
	type WhatIfResult
} from '$lib/domain/targeting';
import { rowAccessOf, seesAllRows } from '../authz';
import type { Database } from '../db/types';
import { listSectors } from '../surveys';
import { candidateOf } from './shortlist';
import { auditingRefusals } from './refusals';
import { loadSource } from './sources';
import { PolicyError, type Bilingual, type PolicySource, type Viewer } from './types';

export interface WhatIfView {
	source: PolicySource;
	segment: SegmentFilter;
	change: WhatIfChange;
	levels: { id: string; label: Bilingual }[];
	k: number;
	/** True when n < k and the viewer has no microdata rights: no figures at all. */
	withheld: boolean;
	result: Omit<WhatIfResult, 'enterprises'> | null;
}

/** Parses the change from form fields: target `T` (group) or `T1` (criterion), raise a number or 'max'. */
export function parseChange(target: unknown, raise: unknown): WhatIfChange {
	const t = String(target ?? '').trim();
	const r = String(raise ?? '')
		.trim()
		.replace(',', '.');
	let value: Raise;
	if (r === 'max') value = 'max';
	else {
		const n = Number(r);
		if (r === '' || !Number.isFinite(n) || n <= 0)
			throw new PolicyError({
				vi: `Mức tăng "${r.slice(0, 20)}" phải là số điểm dương hoặc "max".`,
				en: `Raise "${r.slice(0, 20)}" must be a positive number of points or "max".`
			});
		value = n;
	}
	if ((GROUP_IDS as readonly string[]).includes(t)) return { group: t as GroupId, raise: value };
	if (t === '')
		throw new PolicyError({
			vi: 'Chọn tiêu chí hoặc nhóm cần nâng.',
			en: 'Choose a criterion or group to raise.'
		});
	return { criterion: t, raise: value };
}

/** Segment from form fields (each a single value or empty for any). */
export function segmentFromFields(
	fields: Partial<Record<'size' | 'ownership' | 'ward' | 'vsic' | 'level', string | null>>
): SegmentFilter {
	const seg: SegmentFilter = {};
	const one = (v: string | null | undefined) => (v && v.trim() ? [v.trim().slice(0, 60)] : undefined);
	const sizes = one(fields.size);
	const ownerships = one(fields.ownership);
	const wards = one(fields.ward);
	const vsic = one(fields.vsic);
	const levels = one(fields.level);
	if (sizes) seg.sizes = sizes as SegmentFilter['sizes'];
	if (ownerships) seg.ownerships = ownerships as SegmentFilter['ownerships'];
	if (wards) seg.wards = wards;
	if (vsic) seg.vsic = vsic;
	if (levels) seg.levels = levels as SegmentFilter['levels'];
	return seg;
}

export async function whatIfFor(
	db: Database,
	input: { sourceId: string; segment: SegmentFilter; change: WhatIfChange },
	viewer: Pick<Viewer, 'role' | 'microdata'> | null
): Promise<WhatIfView> {
	return auditingRefusals(db, viewer, { path: 'policy/what-if', sourceIds: [input.sourceId] }, () =>
		project(db, input, viewer)
	);
}

async function project(
	db: Database,
	input: { sourceId: string; segment: SegmentFilter; change: WhatIfChange },
	viewer: Pick<Viewer, 'role' | 'microdata'> | null
): Promise<WhatIfView> {
	const access = rowAccessOf(viewer);
	const issues = validateSegmentFilter(
		input.segment,
		'$.segment',
		listSectors().map((s) => s.id)
	);
	if (issues.length) throw new TargetingInputError(issues);
	const loaded = await loadSource(db, input.sourceId, access);
	const full = whatIf({
		candidates: loaded.rows.map(candidateOf),
		segment: input.segment,
		change: input.change,
		rescorer: loaded.rescorer
	});
	const { enterprises: _e, ...result } = full;
	void _e;
	const withheld = full.n > 0 && full.n < loaded.source.k && !seesAllRows(access);
	return {
		source: loaded.source,
		segment: input.segment,
		change: input.change,
		levels: loaded.rescorer.levels.map((l) => ({ id: l.id, label: l.label })),
		k: loaded.source.k,
		withheld,
		result: withheld ? null : result
	};
}
