/**
 * shortlist_50k: a shortlist over 50,000 generated candidates (mechanical rubric) for a programme
 * improving 3 criteria, with a budget for 2,000 places. Reported: median seconds of 3 runs of
 * buildShortlist (effects, selection, explanations, baseline); data generation is not timed.
 * Details: the same with per-enterprise costs (knapsack path), for information.
 */
import { buildShortlist, rubricRescorer, type Programme } from '../src/lib/domain/targeting';
import { syntheticCandidates } from '../src/lib/domain/targeting/test-support';
import { loadSurvey } from '../src/lib/server/surveys';
import type { Benchmark } from './harness';

const N = 50_000;
const PLACES = 2_000;
const COST = 50_000_000;

const programme: Programme = {
	id: 'bench-equipment',
	name: { vi: 'Đổi mới thiết bị (benchmark)', en: 'Equipment renewal (benchmark)' },
	type: 'equipment',
	improves: [
		{ criterion: 'T1', points: 2 },
		{ criterion: 'T3', points: 2 },
		{ criterion: 'O14', points: 1 }
	],
	costPerEnterpriseVnd: COST,
	eligibility: {
		sizes: ['micro', 'small', 'medium'],
		levels: ['lac-hau', 'trung-binh', 'trung-binh-tien-tien']
	}
};

function time(f: () => void): number {
	const t0 = process.hrtime.bigint();
	f();
	return Number(process.hrtime.bigint() - t0) / 1e9;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const bench: Benchmark = {
	names: ['shortlist_50k'],
	async run(log) {
		const rescorer = rubricRescorer(loadSurvey('mechanical/2025.1').rubric);
		const candidates = syntheticCandidates({ count: N, seed: 'bench-shortlist', rescorer });
		const varying = syntheticCandidates({
			count: N,
			seed: 'bench-shortlist',
			rescorer,
			costs: { min: 30_000_000, max: 70_000_000, step: 1_000_000 }
		});
		log(`generated ${N} candidates`);
		const budgetVnd = PLACES * COST;
		let last = buildShortlist({ candidates, programme, rescorer, budgetVnd });
		const runs = [0, 1, 2].map(() =>
			time(() => (last = buildShortlist({ candidates, programme, rescorer, budgetVnd })))
		);
		let lastVarying = last;
		const varyingSeconds = time(
			() => (lastVarying = buildShortlist({ candidates: varying, programme, rescorer, budgetVnd }))
		);
		return [
			{
				name: 'shortlist_50k',
				value: median(runs),
				unit: 's',
				target: { op: '<', value: 2 },
				details: {
					runs: runs.map((r) => r.toFixed(3)).join(', '),
					eligible: last.eligible,
					selected: last.selected.length,
					method: last.method,
					upgraded: last.summary.upgraded,
					vs_baseline_upgraded: last.difference.upgraded,
					vs_baseline_points: last.difference.pointsGained,
					varying_costs_s: varyingSeconds.toFixed(3),
					varying_costs_method: lastVarying.method,
					varying_costs_selected: lastVarying.selected.length,
					varying_costs_upgraded: lastVarying.summary.upgraded,
					varying_costs_upper_bound: lastVarying.approximation?.upperBound ?? 'exact'
				}
			}
		];
	}
};

export default bench;
