import { parseArgs, requireFlag, UsageError, type Command } from '../command';
import { loadSurvey } from '../../lib/server/surveys';
import { iterateResponses } from '../../lib/domain/generator';

const command: Command = {
	name: 'generate',
	summary: 'Print synthetic responses (JSON lines of {profile, answers}) for a survey version',
	usage: 'generate --survey <sector>/<version> --count <N> --seed <S> [--year <Y>]',
	async run(argv, io) {
		const args = parseArgs(argv, { values: ['survey', 'count', 'seed', 'year'] });
		const survey = loadSurvey(requireFlag(args, 'survey'));
		const count = Number(requireFlag(args, 'count'));
		if (!Number.isInteger(count) || count < 0 || count > 1_000_000)
			throw new UsageError('--count must be an integer from 0 to 1000000');
		const seed = requireFlag(args, 'seed');
		const year = typeof args.flags.year === 'string' ? Number(args.flags.year) : survey.rubric.referenceYear;
		if (!Number.isInteger(year)) throw new UsageError('--year must be a year');
		const rows = iterateResponses({
			questionnaire: survey.questionnaire,
			sector: survey.sector,
			count,
			seed,
			year,
			referenceValues: survey.referenceValuesFor(year)
		});
		let done = 0;
		for (const r of rows) {
			io.out(JSON.stringify(r));
			if (++done % 1000 === 0 || done === count) if (count >= 1000) io.progress('generate', done, count);
		}
		return 0;
	}
};
export default command;
