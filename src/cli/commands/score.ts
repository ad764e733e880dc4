import { readFileSync } from 'node:fs';
import { parseArgs, requireFlag, UsageError, type Command } from '../command';
import { loadSurvey } from '../../lib/server/surveys';
import { AnswerError, type ScoreResult } from '../../lib/domain/rubric';

function readAnswers(file: string): Record<string, unknown> {
	let json: unknown;
	try {
		json = JSON.parse(readFileSync(file, 'utf8'));
	} catch (e) {
		throw new Error(`${file}: ${(e as Error).message}`, { cause: e });
	}
	if (json === null || typeof json !== 'object' || Array.isArray(json))
		throw new Error(`${file}: a response must be a JSON object of answers`);
	// Accept the generator's {profile, answers} lines as well as bare SurveyJS data.
	const o = json as Record<string, unknown>;
	if (o.answers && typeof o.answers === 'object' && !Array.isArray(o.answers))
		return o.answers as Record<string, unknown>;
	return o;
}

function explain(r: ScoreResult, labels: Map<string, string>): string[] {
	const lines = [`rubric ${r.rubricVersion}`, '', 'criterion  group  points /  max  missing  answers used'];
	for (const c of r.criteria)
		lines.push(
			`${c.id.padEnd(10)} ${c.group.padEnd(6)} ${c.points.toFixed(2).padStart(6)} / ${String(c.max).padStart(4)}  ${(c.missing ? 'yes' : '').padEnd(7)}  ${c.answersUsed.join(', ')}   ${labels.get(c.id) ?? ''}`
		);
	lines.push('', `groups   T=${r.groups.T} E=${r.groups.E} O=${r.groups.O} R=${r.groups.R} I=${r.groups.I}`);
	lines.push(`total    ${r.total}`, `K        ${r.K}`, `level    ${r.level}`, '');
	lines.push('ladder               EXT  INT  gap');
	for (const [id, l] of Object.entries(r.ladders.functions))
		lines.push(
			`${id.padEnd(20)} ${String(l.EXT ?? '-').padStart(3)}  ${String(l.INT ?? '-').padStart(3)}  ${String(l.gap ?? '-').padStart(3)}`
		);
	lines.push(
		`${'overall'.padEnd(20)} ${String(r.ladders.EXT ?? '-').padStart(3)}  ${String(r.ladders.INT ?? '-').padStart(3)}  ${String(r.ladders.gap ?? '-').padStart(3)}`
	);
	if (r.priorities.length) {
		lines.push('', 'priorities (points at stake)');
		for (const p of r.priorities)
			lines.push(
				`  ${p.criterion.padEnd(5)} ${p.pointsAtStake.toFixed(2).padStart(5)}  ${p.recommendation.en}`
			);
	}
	return lines;
}

const command: Command = {
	name: 'score',
	summary: "Score one response with a survey version's rubric and print the result as JSON",
	usage: 'score --survey <sector>/<version> --response <file.json> [--year <reference year>] [--explain]',
	async run(argv, io) {
		const args = parseArgs(argv, { values: ['survey', 'response', 'year'], booleans: ['explain'] });
		const survey = loadSurvey(requireFlag(args, 'survey'));
		const yearFlag = args.flags.year;
		let year: number | undefined;
		if (typeof yearFlag === 'string') {
			year = Number(yearFlag);
			if (!Number.isInteger(year)) throw new UsageError(`--year must be a year, got '${yearFlag}'`);
		}
		const file = requireFlag(args, 'response');
		let result: ScoreResult;
		try {
			result = survey.scorer(year).score(readAnswers(file));
		} catch (e) {
			// A value the questionnaire would refuse is never scored: name the question, score nothing.
			if (e instanceof AnswerError) {
				io.err(`${file}: not scored: ${e.text.en}`);
				return 1;
			}
			throw e;
		}
		if (args.flags.explain) {
			const labels = new Map(survey.rubric.criteria.map((c) => [c.id, c.name.en]));
			for (const l of explain(result, labels)) io.out(l);
		} else io.out(JSON.stringify(result, null, 2));
		return 0;
	}
};
export default command;
