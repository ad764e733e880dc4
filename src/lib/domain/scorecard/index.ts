/**
 * The enterprise scorecard's comparisons with its sector peers: median and top quartile per group,
 * percentile rank, and the improvements that matter most. Pure: the caller supplies peer scores.
 *
 * Peers are shown only when at least `k` enterprises contribute (default 5, METHODOLOGY §5), so a
 * scorecard never reveals another enterprise's score.
 */
import { percentileRank, quantile } from '../statistics';
import type { Bilingual } from '../enterprise';

export const GROUP_IDS = ['T', 'E', 'O', 'R', 'I'] as const;
export type GroupKey = (typeof GROUP_IDS)[number];

export interface PeerScore {
	total: number;
	groups: Record<string, number>;
	/** criterion id → points */
	criteria: Record<string, number>;
}

export interface PeerComparison {
	n: number;
	enough: boolean;
	k: number;
	median: Record<GroupKey, number> | null;
	topQuartile: Record<GroupKey, number> | null;
	totalMedian: number | null;
	totalTopQuartile: number | null;
	/** 0–100: share of peers strictly below plus half the ties. */
	percentileRank: number | null;
}

function sorted(values: number[]): number[] {
	return [...values].sort((a, b) => a - b);
}

export function comparePeers(own: { total: number }, peers: PeerScore[], k = 5): PeerComparison {
	const n = peers.length;
	if (n < k)
		return {
			n,
			enough: false,
			k,
			median: null,
			topQuartile: null,
			totalMedian: null,
			totalTopQuartile: null,
			percentileRank: null
		};
	const median = {} as Record<GroupKey, number>;
	const top = {} as Record<GroupKey, number>;
	for (const g of GROUP_IDS) {
		const v = sorted(peers.map((p) => p.groups[g] ?? 0));
		median[g] = round2(quantile(v, 0.5));
		top[g] = round2(quantile(v, 0.75));
	}
	const totals = sorted(peers.map((p) => p.total));
	const rank = percentileRank(own.total, totals);
	return {
		n,
		enough: true,
		k,
		median,
		topQuartile: top,
		totalMedian: round2(quantile(totals, 0.5)),
		totalTopQuartile: round2(quantile(totals, 0.75)),
		percentileRank: rank === null ? null : round2(rank)
	};
}

export interface CriterionInfo {
	id: string;
	group: string;
	points: number;
	max: number;
	name?: Bilingual;
	recommendation?: Bilingual;
}

export interface Improvement {
	criterion: string;
	group: string;
	name?: Bilingual;
	points: number;
	max: number;
	/** What the best peers (90th percentile) reach on this criterion, or the maximum without peers. */
	bestInClass: number;
	/** Points this enterprise could gain by reaching best-in-class. */
	gain: number;
	/** Gain weighted by the criterion's share of its group: points in a small group count more for K. */
	weight: number;
	recommendation?: Bilingual;
}

/**
 * The 3–5 improvements that matter most: the gap to best-in-class (peers' 90th percentile, or the
 * criterion maximum when peers are too few), weighted by the points at stake relative to the
 * group's maximum, since K multiplies group shares and a weak group drags the level down most.
 */
export function topImprovements(
	criteria: CriterionInfo[],
	peers: PeerScore[] | null,
	groupMax: Record<string, number>,
	groupScores: Record<string, number>,
	opts: { count?: number; minGain?: number } = {}
): Improvement[] {
	const count = opts.count ?? 5;
	const out: Improvement[] = [];
	for (const c of criteria) {
		const best =
			peers && peers.length ? quantile(sorted(peers.map((p) => p.criteria[c.id] ?? 0)), 0.9) : c.max;
		const bestInClass = Math.min(c.max, Math.max(best, 0));
		const gain = round2(Math.max(0, bestInClass - c.points));
		if (gain <= (opts.minGain ?? 0)) continue;
		const gMax = groupMax[c.group] || 1;
		const groupShare = (groupScores[c.group] ?? 0) / gMax;
		// Lower group share → larger weight (a geometric mean is most sensitive to its smallest factor).
		const weight = round2((gain / gMax) * (1 + (1 - groupShare)) * 100);
		out.push({
			criterion: c.id,
			group: c.group,
			name: c.name,
			points: c.points,
			max: c.max,
			bestInClass: round2(bestInClass),
			gain,
			weight,
			recommendation: c.recommendation
		});
	}
	out.sort((a, b) => b.weight - a.weight || b.gain - a.gain || a.criterion.localeCompare(b.criterion));
	return out.slice(0, Math.max(3, Math.min(count, out.length))).slice(0, count);
}

function round2(x: number): number {
	return Math.round(x * 100) / 100;
}
