import { parseArgs, type Command } from '../command';
import { lintAll, lintPath, listSurveyIds } from '../../lib/server/surveys';

const command: Command = {
	name: 'lint',
	summary: 'Check questionnaires, rubrics and reference values (all shipped ones when no path is given)',
	usage: 'lint [paths...]   (a survey version folder, a rubric.json or a questionnaire.json)',
	async run(argv, io) {
		const { positionals } = parseArgs(argv, {});
		const issues = positionals.length ? positionals.flatMap((p) => lintPath(p)) : lintAll();
		for (const i of issues) io.out(`${i.file}: ${i.path}: ${i.message}`);
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
