/**
 * protect_tables: secondary suppression (protectTables) on one release's linked tables, as the release
 * build calls it (k = 5, default dominance). The release build calls it once per release, so each call
 * must stay well under a second. Inputs:
 * - synthetic releases of 200 and 6,667 responses (syntheticRelease, fixed seed: runs anywhere), the
 *   same shape as the real dumps (46 tables, ~4,800 cells, ~920 relations);
 * - the real dumps specs-200.json and specs-6667.json when PROTECT_FIXTURES (default /work/fixtures)
 *   holds them (they are not in the repository; skipped with a message otherwise).
 * Reported: median ms of 5 calls after one warm-up call (the first call, with JIT, is in the details).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RULES } from '../src/lib/domain/disclosure/cells';
import { protectTables } from '../src/lib/domain/disclosure/protect';
import { syntheticRelease } from '../src/lib/domain/disclosure/syntheticRelease';
import type { TableSpec } from '../src/lib/domain/disclosure/tables';
import type { Benchmark, BenchResult } from './harness';

const FIXTURES = process.env.PROTECT_FIXTURES ?? '/work/fixtures';
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(name: string, specs: TableSpec[]): BenchResult {
	const call = () => protectTables(specs, { k: 5, dominance: DEFAULT_RULES.dominance });
	let t0 = performance.now();
	let r = call();
	const first = performance.now() - t0;
	const runs: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		t0 = performance.now();
		r = call();
		runs.push(performance.now() - t0);
	}
	let secondaryN = 0;
	for (const c of r.cells.values()) if (c.status === 'suppressed-secondary') secondaryN += c.n;
	return {
		name,
		value: median(runs),
		unit: 'ms',
		target: { op: '<=', value: 300 },
		details: {
			first_call_ms: first.toFixed(1),
			runs_ms: runs.map((x) => x.toFixed(1)).join(', '),
			tables: specs.length,
			cells: r.cells.size,
			primary: r.primaryCount,
			secondary: r.secondaryCount,
			secondary_n: secondaryN,
			unprotected: r.unprotected.length
		}
	};
}

const bench: Benchmark = {
	names: [
		'protect_tables',
		'protect_synthetic_200',
		'protect_synthetic_6667',
		'protect_fixture_200',
		'protect_fixture_6667'
	],
	async run(log) {
		const results: BenchResult[] = [];
		for (const responses of [200, 6667]) {
			const specs = syntheticRelease({ responses, seed: 1 });
			results.push(measure(`protect_synthetic_${responses}`, specs));
		}
		for (const n of [200, 6667]) {
			const file = join(FIXTURES, `specs-${n}.json`);
			if (!existsSync(file)) {
				log(
					`skipped protect_fixture_${n}: ${file} not found (set PROTECT_FIXTURES to the folder of the dumps)`
				);
				continue;
			}
			results.push(measure(`protect_fixture_${n}`, JSON.parse(readFileSync(file, 'utf8')) as TableSpec[]));
		}
		return results;
	}
};

export default bench;
