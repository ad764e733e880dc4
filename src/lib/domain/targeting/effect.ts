/**
 * Expected effect of a programme on one enterprise: the programme's assumed gains are added to the
 * criteria it improves (capped at each criterion's max), then the enterprise is reclassified with
 * the rubric engine (through the Rescorer). "Expected" means "under the programme's assumption".
 */
import { roundTo, type GroupId, type LevelDef, type LevelId } from '../rubric';
import type { Candidate, Programme, Rescorer, Rescored } from './types';

export interface LevelGap {
	/** The next level up, or null at the top level. */
	next: LevelId | null;
	/** Total points still missing for the next level (0 when only K holds the enterprise back). */
	points: number;
	/** Shortfall of the synchronisation coefficient K for the next level. */
	K: number;
}

export interface CriterionChange {
	criterion: string;
	group: GroupId;
	before: number;
	after: number;
	max: number;
}

export interface ExpectedEffect {
	enterpriseId: string;
	before: Rescored;
	after: Rescored;
	criteria: CriterionChange[];
	/** after.total − before.total. */
	pointsGained: number;
	/** Levels climbed (0 when the level does not change). */
	levelsUp: number;
	gapBefore: LevelGap;
	gapAfter: LevelGap;
	/**
	 * True when the stored classification differs from rescoring the stored criterion points
	 * (e.g. scored under another rubric version): `before` is the rescored one, so gains compare like with like.
	 */
	stale: boolean;
}

export function levelIndex(levels: readonly LevelDef[], level: LevelId): number {
	const i = levels.findIndex((l) => l.id === level);
	if (i < 0) throw new RangeError(`unknown level '${level}'`);
	return i;
}

/** What separates a classification from the next level's cut-offs (Circular 17: total AND K). */
export function gapToNext(
	levels: readonly LevelDef[],
	r: { total: number; K: number; level: LevelId },
	decimals = 2
): LevelGap {
	const i = levelIndex(levels, r.level);
	const next = levels[i + 1];
	if (!next) return { next: null, points: 0, K: 0 };
	return {
		next: next.id,
		points: Math.max(0, roundTo(next.minTotal - r.total, decimals)),
		K: Math.max(0, roundTo(next.minK - r.K, 6))
	};
}

const lists = new WeakMap<Rescorer, { id: string; group: GroupId; max: number }[]>();
function criteriaList(r: Rescorer): { id: string; group: GroupId; max: number }[] {
	let l = lists.get(r);
	if (!l) lists.set(r, (l = [...r.criteria].map(([id, c]) => ({ id, group: c.group, max: c.max }))));
	return l;
}

/** The numbers the shortlist ranks by, without the per-criterion detail (computed for every candidate). */
export interface EffectSummary {
	beforeTotal: number;
	pointsGained: number;
	levelsUp: number;
}

function groupSums(candidate: Candidate, rescorer: Rescorer): Record<GroupId, number> {
	const crit = candidate.current.criteria;
	let t = 0;
	let e = 0;
	let o = 0;
	let r = 0;
	let i = 0;
	for (const def of criteriaList(rescorer)) {
		const id = def.id;
		const c = crit[id] as (typeof crit)[string] | undefined;
		if (!c)
			throw new RangeError(
				`candidate ${candidate.enterpriseId}: criterion ${id} has no points (current.criteria.${id})`
			);
		const p = c.points;
		if (typeof p !== 'number' || !(p >= 0 && p <= def.max))
			throw new RangeError(
				`candidate ${candidate.enterpriseId}: criterion ${id} needs points between 0 and ${def.max}, got ${String(p)}`
			);
		if (def.group === 'T') t += p;
		else if (def.group === 'E') e += p;
		else if (def.group === 'O') o += p;
		else if (def.group === 'R') r += p;
		else i += p;
	}
	return { T: t, E: e, O: o, R: r, I: i };
}

/**
 * The programme's assumed gains added to the candidate's criteria (capped at each max); group sums
 * are updated by the changed criteria only, and both states reclassified.
 */
function applyGains(
	programme: Pick<Programme, 'improves'>,
	candidate: Candidate,
	rescorer: Rescorer,
	changes: CriterionChange[] | null
): { before: Rescored; after: Rescored } {
	const sums = groupSums(candidate, rescorer);
	const crit = candidate.current.criteria;
	const after = { ...sums };
	let changed = false;
	for (const imp of programme.improves) {
		const def = rescorer.criteria.get(imp.criterion);
		if (!def)
			throw new RangeError(`programme improves criterion '${imp.criterion}', which the rubric does not have`);
		const before = crit[imp.criterion].points;
		const now = Math.min(def.max, roundTo(before + imp.points, rescorer.decimals));
		after[def.group] += now - before;
		if (now !== before) changed = true;
		changes?.push({ criterion: imp.criterion, group: def.group, before, after: now, max: def.max });
	}
	const b = rescorer.classifyGroups(sums);
	return { before: b, after: changed ? rescorer.classifyGroups(after) : b };
}

/** Ranking numbers only; the shortlist calls this for all 50,000 candidates, so it allocates little. */
export function effectSummary(
	programme: Pick<Programme, 'improves'>,
	candidate: Candidate,
	rescorer: Rescorer
): EffectSummary {
	const { before, after } = applyGains(programme, candidate, rescorer, null);
	return {
		beforeTotal: before.total,
		pointsGained: roundTo(after.total - before.total, rescorer.decimals),
		levelsUp:
			after.level === before.level
				? 0
				: levelIndex(rescorer.levels, after.level) - levelIndex(rescorer.levels, before.level)
	};
}

export function expectedEffect(
	programme: Pick<Programme, 'improves'>,
	candidate: Candidate,
	rescorer: Rescorer
): ExpectedEffect {
	const criteria: CriterionChange[] = [];
	const { before, after } = applyGains(programme, candidate, rescorer, criteria);
	const cur = candidate.current;
	const dp = rescorer.decimals;
	return {
		enterpriseId: candidate.enterpriseId,
		before,
		after,
		criteria,
		pointsGained: roundTo(after.total - before.total, dp),
		levelsUp: levelIndex(rescorer.levels, after.level) - levelIndex(rescorer.levels, before.level),
		gapBefore: gapToNext(rescorer.levels, before, dp),
		gapAfter: gapToNext(rescorer.levels, after, dp),
		stale: cur.level !== before.level || Math.abs(cur.total - before.total) > 10 ** -dp / 2
	};
}
