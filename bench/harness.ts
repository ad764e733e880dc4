/**
 * Benchmarks live outside the test suite. Each `bench/<name>.bench.ts` default-exports a Benchmark;
 * `npm run bench` runs all, `npm run bench -- --only <name>` one (a file may report several names,
 * e.g. scoring_throughput and scoring_vs_surveyjs; --only matches the file's names).
 *
 * Every result is printed as: BENCH <name> <value> <unit> target <op> <value>
 */
export interface BenchResult {
	name: string;
	value: number;
	unit: string;
	target?: { op: '>=' | '<=' | '<' | '>'; value: number };
	/** Extra context printed on following lines (e.g. p50, peak RSS). */
	details?: Record<string, string | number>;
}

export interface Benchmark {
	/** Names this benchmark reports; `--only` selects by any of them. */
	names: string[];
	run(log: (line: string) => void): Promise<BenchResult[]>;
}

export function formatResult(r: BenchResult): string {
	const v = Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(r.value < 10 ? 3 : 1);
	const t = r.target ? ` target ${r.target.op} ${r.target.value}` : '';
	return `BENCH ${r.name} ${v} ${r.unit}${t}`;
}

export function meets(r: BenchResult): boolean | null {
	if (!r.target) return null;
	const { op, value } = r.target;
	return op === '>='
		? r.value >= value
		: op === '<='
			? r.value <= value
			: op === '<'
				? r.value < value
				: r.value > value;
}
