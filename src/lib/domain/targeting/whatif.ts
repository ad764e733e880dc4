/**
 * What-if scenario: raise one criterion or one group for a segment and project the level
 * distribution. Each enterprise's modified criterion points are rescored with the rubric engine
 * (through the Rescorer), never estimated from aggregates.
 */
import { GROUP_IDS, roundTo, type GroupId, type LevelId } from '../rubric';
import { pointsOf } from './rescorer';
import { inSegment } from './segment';
import { levelIndex } from './effect';
import { TargetingInputError, type Candidate, type Rescorer, type SegmentFilter } from './types';

export type Raise = number | 'max';
export type WhatIfChange = { criterion: string; raise: Raise } | { group: GroupId; raise: Raise };

export interface WhatIfInput {
	candidates: readonly Candidate[];
	segment: SegmentFilter;
	change: WhatIfChange;
	rescorer: Rescorer;
}

export interface WhatIfResult {
	change: WhatIfChange;
	/** Enterprises in the segment (callers apply disclosure control to small n). */
	n: number;
	before: Record<LevelId, number>;
	after: Record<LevelId, number>;
	/** Enterprises whose level rises. */
	upgraded: number;
	meanTotalBefore: number | null;
	meanTotalAfter: number | null;
	enterprises: {
		enterpriseId: string;
		before: LevelId;
		after: LevelId;
		totalBefore: number;
		totalAfter: number;
	}[];
}

function checkChange(change: WhatIfChange, rescorer: Rescorer): void {
	const bad = (path: string, vi: string, en: string) => {
		throw new TargetingInputError([{ path, message: { vi, en } }]);
	};
	if ('criterion' in change) {
		if (!rescorer.criteria.has(change.criterion))
			bad(
				'change.criterion',
				`Tiêu chí "${change.criterion}" không có trong bộ tiêu chí.`,
				`Criterion "${change.criterion}" is not in the rubric.`
			);
	} else if (!GROUP_IDS.includes(change.group))
		bad(
			'change.group',
			`Nhóm "${String(change.group)}" không hợp lệ (T, E, O, R, I).`,
			`Invalid group "${String(change.group)}" (T, E, O, R, I).`
		);
	const r = change.raise;
	if (r !== 'max' && !(typeof r === 'number' && Number.isFinite(r) && r > 0))
		bad(
			'change.raise',
			`Mức tăng phải là số điểm dương hoặc "max" (nhận được ${JSON.stringify(r)}).`,
			`Raise must be a positive number of points or "max" (got ${JSON.stringify(r)}).`
		);
}

/**
 * The modified criterion points. A criterion rises by `raise` (capped at its max). A group rising by
 * `raise` points shares them among its criteria in proportion to each one's headroom (max − points),
 * so no criterion overflows; raising by the whole headroom or more puts every criterion at its max.
 */
export function raisePoints(
	points: Readonly<Record<string, number>>,
	change: WhatIfChange,
	rescorer: Rescorer
): Record<string, number> {
	const out = { ...points };
	const dp = rescorer.decimals;
	if ('criterion' in change) {
		const max = rescorer.criteria.get(change.criterion)?.max ?? 0;
		out[change.criterion] =
			change.raise === 'max' ? max : Math.min(max, roundTo(out[change.criterion] + change.raise, dp));
		return out;
	}
	const members = [...rescorer.criteria].filter(([, c]) => c.group === change.group);
	const headroom = members.reduce((a, [id, c]) => a + (c.max - out[id]), 0);
	if (headroom <= 0) return out;
	const toMax = change.raise === 'max' || change.raise >= headroom;
	for (const [id, c] of members) {
		const share = toMax ? c.max : out[id] + ((change.raise as number) * (c.max - out[id])) / headroom;
		out[id] = Math.min(c.max, roundTo(share, dp));
	}
	return out;
}

export function whatIf(input: WhatIfInput): WhatIfResult {
	const { rescorer, change } = input;
	checkChange(change, rescorer);
	const empty = () => Object.fromEntries(rescorer.levels.map((l) => [l.id, 0])) as Record<LevelId, number>;
	const before = empty();
	const after = empty();
	let upgraded = 0;
	let sumB = 0;
	let sumA = 0;
	const enterprises: WhatIfResult['enterprises'] = [];
	for (const c of input.candidates) {
		if (!inSegment(input.segment, c)) continue;
		const pts = pointsOf(c.current.criteria);
		const b = rescorer.rescore(pts);
		const a = rescorer.rescore(raisePoints(pts, change, rescorer));
		before[b.level]++;
		after[a.level]++;
		if (levelIndex(rescorer.levels, a.level) > levelIndex(rescorer.levels, b.level)) upgraded++;
		sumB += b.total;
		sumA += a.total;
		enterprises.push({
			enterpriseId: c.enterpriseId,
			before: b.level,
			after: a.level,
			totalBefore: b.total,
			totalAfter: a.total
		});
	}
	const n = enterprises.length;
	enterprises.sort((x, y) =>
		x.enterpriseId < y.enterpriseId ? -1 : x.enterpriseId > y.enterpriseId ? 1 : 0
	);
	return {
		change,
		n,
		before,
		after,
		upgraded,
		meanTotalBefore: n ? roundTo(sumB / n, rescorer.decimals) : null,
		meanTotalAfter: n ? roundTo(sumA / n, rescorer.decimals) : null,
		enterprises
	};
}
