/**
 * The form of a ScoreResult kept in score documents. A full result repeats, for each of the 26
 * criteria, facts of the rubric (group, maximum, answers read) and the priorities repeat its
 * recommendations in two languages: most of a score's bytes, and of an import's time spent
 * serializing and reading them back. The stored form keeps what the response decided (points per
 * criterion, missing answers, ladders, totals); the rest is rebuilt from the rubric when shown.
 */
import type { Classification, Criterion, CriterionScore, GroupId, ScoreResult } from './types';

export interface StoredScoreResult extends Classification {
	rubricVersion: string;
	groups: Record<GroupId, number>;
	/** Points per criterion id. */
	points: Record<string, number>;
	/** Criteria whose answer was missing or unusable (they scored 0). */
	missing: string[];
	ladders: ScoreResult['ladders'];
}

export function storedScoreResult(r: ScoreResult): StoredScoreResult {
	const points: Record<string, number> = {};
	const missing: string[] = [];
	for (const c of r.criteria) {
		points[c.id] = c.points;
		if (c.missing) missing.push(c.id);
	}
	return {
		rubricVersion: r.rubricVersion,
		total: r.total,
		K: r.K,
		level: r.level,
		groups: r.groups,
		points,
		missing,
		ladders: r.ladders
	};
}

/** Score documents written before the stored form kept the engine's full criteria list. */
interface LegacyResult {
	criteria?: { id: string; points: number; missing?: boolean }[];
}

/** Points per criterion of a stored result (either form; {} when there is none). */
export function storedPoints(result: unknown): Record<string, number> {
	if (!result || typeof result !== 'object') return {};
	const r = result as Partial<StoredScoreResult> & LegacyResult;
	if (r.points && typeof r.points === 'object') return r.points;
	return Object.fromEntries((r.criteria ?? []).map((c) => [c.id, c.points]));
}

/** Criteria with a missing answer in a stored result (either form). */
export function storedMissing(result: unknown): string[] {
	if (!result || typeof result !== 'object') return [];
	const r = result as Partial<StoredScoreResult> & LegacyResult;
	if (Array.isArray(r.missing)) return r.missing;
	return (r.criteria ?? []).filter((c) => c.missing).map((c) => c.id);
}

/** The criteria scores of a stored result, with group and maximum from the rubric's criteria. */
export function storedCriteria(
	result: unknown,
	criteria: readonly Pick<Criterion, 'id' | 'group' | 'max'>[]
): Omit<CriterionScore, 'answersUsed'>[] {
	const points = storedPoints(result);
	const missing = new Set(storedMissing(result));
	return criteria.map((c) => ({
		id: c.id,
		group: c.group,
		points: points[c.id] ?? 0,
		max: c.max,
		missing: missing.has(c.id)
	}));
}
