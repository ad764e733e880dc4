/**
 * map_record_rate: rows/s of `mapRecord` alone (cells → SurveyJS answers) on 100,000 generated
 * mechanical/2025.1 rows, as the response import calls it once per CSV row. Best of three passes
 * over records held in memory, so parsing, validation and scoring are not in it.
 * MAP_BENCH_ROWS overrides the row count.
 */
import type { Benchmark } from './harness';
import { loadSurvey } from '../src/lib/server/surveys';
import { iterateResponses } from '../src/lib/domain/generator';
import { mapRecord } from '../src/lib/domain/csv';
import { answersToRecord } from '../src/lib/server/imports/record';
import { templateFor } from '../src/lib/server/imports/responses';

const ROWS = Number(process.env.MAP_BENCH_ROWS ?? 100_000);
const SURVEY = 'mechanical/2025.1';
const PASSES = 3;

const bench: Benchmark = {
	names: ['map_record_rate'],
	async run(log) {
		const survey = loadSurvey(SURVEY);
		const template = templateFor(SURVEY);
		const records: Record<string, string>[] = [];
		for (const r of iterateResponses({
			questionnaire: survey.questionnaire,
			sector: 'mechanical',
			count: ROWS,
			seed: 'bench-map-record',
			referenceValues: survey.referenceValuesFor(2025),
			missingRate: 0
		}))
			records.push(answersToRecord(template, r.answers));
		log(`generated ${records.length} rows × ${template.columns.length} columns`);

		const options = { numberFormat: 'dot-decimal' } as const;
		let ms = Infinity;
		for (let pass = 0; pass < PASSES; pass++) {
			let problems = 0;
			const t0 = performance.now();
			for (const r of records) problems += mapRecord(template, r, options).problems.length;
			ms = Math.min(ms, performance.now() - t0);
			// Generated rows are valid: a problem means the benchmark measures error paths.
			if (problems) throw new Error(`${problems} cell problems in generated rows`);
		}
		return [
			{
				name: 'map_record_rate',
				value: Math.round(records.length / (ms / 1000)),
				unit: 'rows/s',
				details: {
					us_per_row: ((ms * 1000) / records.length).toFixed(2)
				}
			}
		];
	}
};
export default bench;
