/**
 * scoring_throughput: responses scored per second on one core, per sector (reported: the slowest).
 * scoring_vs_surveyjs: the same rubric rules written as SurveyJS expressions (calculatedValues in a
 * survey-core Model, the obvious alternative) on the same responses, in the same run; ratio of speeds.
 */
import { Model } from 'survey-core';
import { generateResponses } from '../src/lib/domain/generator';
import type { Band, Criterion, Rubric } from '../src/lib/domain/rubric';
import { loadSurvey } from '../src/lib/server/surveys';
import type { Benchmark, BenchResult } from './harness';

const SECTORS = ['mechanical', 'food', 'textiles'];

function bandsExpr(x: string, bands: Band[]): string {
	let e = String(bands[bands.length - 1].points);
	for (let i = bands.length - 2; i >= 0; i--) e = `iif(${x} < ${bands[i].to}, ${bands[i].points}, ${e})`;
	return e;
}

/** One criterion as a SurveyJS expression (missing answers: SurveyJS semantics, close enough for timing). */
function toSurveyJs(c: Criterion, refs: Record<string, number>): string {
	const m = c.mapping;
	const q = (name: string) => `{${name}}`;
	switch (m.kind) {
		case 'choice': {
			let e = '0';
			for (const [v, p] of Object.entries(m.points))
				e = `iif(${q(m.question)} = ${/^\d+$/.test(v) ? v : `'${v}'`}, ${p}, ${e})`;
			return e;
		}
		case 'multi':
			return `min(${m.cap}, ${Object.entries(m.points)
				.map(([v, p]) => `iif(${q(m.question)} contains '${v}', ${p}, 0)`)
				.join(' + ')})`;
		case 'bands':
			return bandsExpr(q(m.question), m.bands);
		case 'ratio':
			return bandsExpr(`((${m.value}) / ${refs[m.reference]})`, m.bands);
		case 'formula':
			return m.bands ? bandsExpr(`(${m.expression})`, m.bands) : `max(0, min(${c.max}, ${m.expression}))`;
	}
}

function surveyJsModel(rubric: Rubric, refs: Record<string, number>): Model {
	const calculatedValues = rubric.criteria.map((c) => ({
		name: `c_${c.id}`,
		expression: toSurveyJs(c, refs)
	}));
	calculatedValues.push({ name: 'total', expression: rubric.criteria.map((c) => `{c_${c.id}}`).join(' + ') });
	// Answers live in the data; questions are not needed for expressions to read them.
	return new Model({ calculatedValues, elements: [{ type: 'html', name: 'h', html: '-' }] });
}

const bench: Benchmark = {
	names: ['scoring_throughput', 'scoring_vs_surveyjs'],
	async run(log) {
		const perSector: Record<string, number> = {};
		const ratios: Record<string, number> = {};
		const sjsRates: Record<string, number> = {};
		let agree = 0;
		let compared = 0;
		for (const sector of SECTORS) {
			const survey = loadSurvey(`${sector}/2025.1`);
			const refs = survey.referenceValuesFor();
			const responses = generateResponses({
				questionnaire: survey.questionnaire,
				sector,
				count: 5000,
				seed: 'bench',
				referenceValues: refs
			}).map((r) => r.answers);
			const scorer = survey.scorer();
			// Warm up (JIT), then time whole passes for at least one second.
			let sink = 0;
			for (let i = 0; i < 20000; i++) sink += scorer.score(responses[i % responses.length]).total;
			// Best of three timed windows: other processes on a shared machine only ever slow a window down.
			let best = 0;
			for (let w = 0; w < 3; w++) {
				let n = 0;
				const t0 = process.hrtime.bigint();
				let elapsed: number;
				do {
					for (const r of responses) sink += scorer.score(r).total;
					n += responses.length;
					elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
				} while (elapsed < 0.6);
				best = Math.max(best, n / elapsed);
			}
			perSector[sector] = Math.round(best);

			const refMap: Record<string, number> = {};
			for (const [k, v] of Object.entries(refs.values)) refMap[k] = v.value;
			const model = surveyJsModel(survey.rubric, refMap);
			const sample = responses.slice(0, 400);
			for (const r of sample.slice(0, 20)) {
				model.data = r;
				sink += Number(model.getVariable('total')) || 0;
			}
			const t1 = process.hrtime.bigint();
			for (const r of sample) {
				model.data = r;
				const sjsTotal = Number(model.getVariable('total'));
				const ours = scorer.score(r);
				// Cross-check the translation on complete responses (missing-answer rules differ by design).
				if (!ours.criteria.some((c) => c.missing)) {
					compared++;
					if (Math.abs(sjsTotal - ours.total) < 0.011) agree++;
				}
			}
			const sjsSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
			// The timed SurveyJS loop also ran our scorer once per response: subtract that share.
			const sjsRate = sample.length / Math.max(1e-9, sjsSeconds - sample.length / perSector[sector]);
			sjsRates[sector] = Math.round(sjsRate);
			ratios[sector] = perSector[sector] / sjsRate;
			log(
				`${sector}: ${perSector[sector]} responses/s; SurveyJS expressions ${Math.round(sjsRate)} responses/s (sink ${sink % 7})`
			);
		}
		log(`SurveyJS translation agrees with the engine on ${agree}/${compared} complete responses`);
		const slowest = Math.min(...Object.values(perSector));
		const minRatio = Math.min(...Object.values(ratios));
		const results: BenchResult[] = [
			{
				name: 'scoring_throughput',
				value: slowest,
				unit: 'responses/s',
				target: { op: '>=', value: 50000 },
				details: {
					...perSector,
					method: 'best of 3 windows of >= 0.6 s, 5000 generated responses',
					node: process.version
				}
			},
			{
				name: 'scoring_vs_surveyjs',
				value: Math.round(minRatio * 10) / 10,
				unit: 'x',
				target: { op: '>=', value: 100 },
				details: {
					...Object.fromEntries(Object.entries(sjsRates).map(([k, v]) => [`surveyjs_${k}`, v])),
					agreement: `${agree}/${compared}`
				}
			}
		];
		return results;
	}
};
export default bench;
