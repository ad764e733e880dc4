/** Synthetic candidates for tests and the benchmark (seeded: the same seed gives the same data). */
import { OWNERSHIPS, SIZE_CLASSES } from '../enterprise';
import { createRng } from '../generator/prng';
import { roundTo } from '../rubric';
import type { Candidate, CriterionState, Rescorer } from './types';

export interface SyntheticCandidateOptions {
	count: number;
	seed: string | number;
	rescorer: Rescorer;
	sectors?: readonly string[];
	wards?: readonly string[];
	/** When set, each candidate gets its own cost: a random multiple of `step` in [min, max]. */
	costs?: { min: number; max: number; step: number };
}

/** Criterion points drawn around a per-enterprise capability, so totals spread over every level. */
export function syntheticCandidates(opts: SyntheticCandidateOptions): Candidate[] {
	const rng = createRng(opts.seed);
	const sectors = opts.sectors ?? ['mechanical'];
	const wards = opts.wards ?? ['ba-dinh', 'hoan-kiem', 'cua-nam', 'ngoc-ha'];
	const crit = [...opts.rescorer.criteria];
	const out: Candidate[] = [];
	const width = String(opts.count).length;
	for (let i = 0; i < opts.count; i++) {
		const capability = rng.next();
		const criteria: Record<string, CriterionState> = {};
		const points: Record<string, number> = {};
		for (const [id, c] of crit) {
			const x = Math.min(1, Math.max(0, capability + 0.25 * rng.normal()));
			// Whole and half points, as the bands of real rubrics give.
			const p = roundTo(Math.round(x * c.max * 2) / 2, opts.rescorer.decimals);
			criteria[id] = { points: p, max: c.max, group: c.group };
			points[id] = p;
		}
		const r = opts.rescorer.rescore(points);
		const cand: Candidate = {
			enterpriseId: `E${String(i).padStart(width, '0')}`,
			label: `Enterprise ${i}`,
			sector: rng.pick(sectors),
			size: rng.pick(SIZE_CLASSES),
			ownership: rng.pick(OWNERSHIPS),
			ward: rng.pick(wards),
			vsic: rng.pick(['2511', '2592', '2811', '2821']),
			current: { total: r.total, K: r.K, level: r.level, criteria }
		};
		if (opts.costs) {
			const { min, max, step } = opts.costs;
			cand.costVnd = min + step * rng.int(0, Math.floor((max - min) / step));
		}
		out.push(cand);
	}
	return out;
}
