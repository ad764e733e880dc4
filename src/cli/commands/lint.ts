import { parseArgs, UsageError, type Command } from '../command';
import { lintAll, lintPath, listSurveyIds } from '../../lib/server/surveys';

const command: Command = {
	name: 'lint',
	summary: 'Check questionnaires, rubrics and reference values (all shipped ones when no path is given)',
	usage: 'lint [--lang en|vi] [paths...]   (a survey version folder, a rubric.json or a questionnaire.json)',
	async run(argv, io) {
		const { positionals, flags } = parseArgs(argv, { values: ['lang'] });
		const lang = (flags.lang ?? 'en') as string;
		if (lang !== 'vi' && lang !== 'en') throw new UsageError('--lang must be vi or en');
		const issues = positionals.length ? positionals.flatMap((p) => lintPath(p)) : lintAll();
		// English is the validators' technical wording; --lang vi prints the problem as an admin reads it.
		for (const i of issues) io.out(`${i.file}: ${i.path}: ${i.text?.[lang] ?? i.message}`);
		const what = positionals.length
			? `${positionals.length} path(s)`
			: `${listSurveyIds().length} survey version(s)`;
		if (issues.length) {
			io.err(`lint: ${issues.length} problem(s) in ${what}`);
			return 1;
		}
		io.err(`lint: ${what} checked, no problems`);
		return 0;
	}
};
export default command;
