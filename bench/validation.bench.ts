/**
 * validation_compiled vs validation_surveycore: responses validated per second by the compiled
 * validator (src/lib/domain/survey) and by survey-core's own Model (one reused Model, as the
 * reference does), on the same generated responses; validation_speedup is their ratio.
 * Uses the real questionnaires under surveys/ when present, else the test fixture.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { Benchmark, BenchResult } from './harness';
import { denseResponseArbitrary, responseArbitrary } from '../src/lib/domain/survey/arbitrary';
import { compileQuestionnaire } from '../src/lib/domain/survey/compile';
import { validateWithSurveyCore } from '../src/lib/domain/survey/surveycore';
import { validateForSubmit } from '../src/lib/domain/survey/validate';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function questionnaires(): Array<{ label: string; json: object }> {
	const out: Array<{ label: string; json: object }> = [];
	const dir = join(root, 'surveys');
	if (existsSync(dir)) {
		for (const sector of readdirSync(dir, { withFileTypes: true })) {
			if (!sector.isDirectory()) continue;
			for (const v of readdirSync(join(dir, sector.name), { withFileTypes: true })) {
				const f = join(dir, sector.name, v.name, 'questionnaire.json');
				if (v.isDirectory() && existsSync(f)) {
					out.push({ label: `${sector.name}/${v.name}`, json: JSON.parse(readFileSync(f, 'utf8')) });
				}
			}
		}
	}
	if (!out.length) {
		const f = join(root, 'src/lib/domain/survey/fixtures/techcap-sample.json');
		out.push({ label: 'fixture', json: JSON.parse(readFileSync(f, 'utf8')) });
	}
	return out;
}

function rate(fn: () => void, count: number, minMs: number): number {
	let done = 0;
	const t0 = performance.now();
	let t = t0;
	while (t - t0 < minMs) {
		fn();
		done += count;
		t = performance.now();
	}
	return (done / (t - t0)) * 1000;
}

const bench: Benchmark = {
	names: ['validation_compiled', 'validation_surveycore', 'validation_speedup'],
	async run(log) {
		const qs = questionnaires();
		let compiledRate = 0;
		let coreRate = 0;
		let problems = 0;
		let responses = 0;
		const origWarn = console.warn;
		console.warn = () => {}; // survey-core warns for every refused value
		try {
			for (const { label, json } of qs) {
				const c = compileQuestionnaire(json);
				// Half sparse drafts (missing answers, bounds crossed), half dense complete answers.
				const data = [
					...fc.sample(responseArbitrary(c), { numRuns: 1000, seed: 1 }),
					...fc.sample(denseResponseArbitrary(c), { numRuns: 1000, seed: 2 })
				];
				for (const d of data) problems += validateForSubmit(c, d).problems.length;
				responses += data.length;
				const pass = () => {
					for (const d of data) validateForSubmit(c, d);
				};
				rate(pass, data.length, 1500); // JIT warm-up: the first passes run ~2x slower
				const r1 = rate(pass, data.length, 3000);
				const sample = data.filter((_, i) => i % 20 === 0);
				for (const d of sample.slice(0, 5)) validateWithSurveyCore(json, d, 'vi');
				const r2 = rate(
					() => {
						for (const d of sample) validateWithSurveyCore(json, d, 'vi');
					},
					sample.length,
					3000
				);
				log(
					`${label}: compiled ${r1.toFixed(0)}/s, survey-core ${r2.toFixed(1)}/s (${c.questions.length} questions)`
				);
				compiledRate += r1 / qs.length;
				coreRate += r2 / qs.length;
			}
		} finally {
			console.warn = origWarn;
		}
		const results: BenchResult[] = [
			{
				name: 'validation_compiled',
				value: compiledRate,
				unit: 'responses/s',
				target: { op: '>=', value: 20000 },
				details: {
					us_per_response: (1e6 / compiledRate).toFixed(1),
					questionnaires: qs.length,
					avg_problems_per_response: (problems / responses).toFixed(2)
				}
			},
			{
				name: 'validation_surveycore',
				value: coreRate,
				unit: 'responses/s',
				details: { ms_per_response: (1000 / coreRate).toFixed(2) }
			},
			{ name: 'validation_speedup', value: compiledRate / coreRate, unit: 'x' }
		];
		return results;
	}
};

export default bench;
