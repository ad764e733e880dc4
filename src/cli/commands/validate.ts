/**
 * `techcap validate --questionnaire <file.json> --response <file.json>`: checks one response
 * offline with the same compiled validator the server runs on submit and import, and prints
 * `{ "valid": bool, "errors": [...] }` (exit 0 valid, 1 invalid, 2 usage or unreadable input).
 */
import { readFileSync } from 'node:fs';
import { parseArgs, requireFlag, UsageError, type Command } from '../command';
import { compileQuestionnaire, QuestionnaireCompileError } from '../../lib/domain/survey/compile';
import { validateForSubmit } from '../../lib/domain/survey/validate';

function readJson(flag: string, file: string): unknown {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		throw new UsageError(`--${flag}: cannot read ${file}: ${(e as Error).message}`);
	}
	try {
		return JSON.parse(text);
	} catch (e) {
		throw new UsageError(`--${flag}: ${file} is not valid JSON: ${(e as Error).message}`);
	}
}

const command: Command = {
	name: 'validate',
	summary: 'Check one response against a questionnaire exactly as the server does (before an import)',
	usage: 'validate --questionnaire <file.json> --response <file.json>',
	async run(argv, io) {
		const args = parseArgs(argv, { values: ['questionnaire', 'response'] });
		if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
		const questionnaire = readJson('questionnaire', requireFlag(args, 'questionnaire'));
		const response = readJson('response', requireFlag(args, 'response'));
		let compiled;
		try {
			compiled = compileQuestionnaire(questionnaire);
		} catch (e) {
			if (e instanceof QuestionnaireCompileError) throw new UsageError(`--questionnaire: ${e.message}`);
			throw e;
		}
		const result = validateForSubmit(compiled, response);
		const errors = result.problems.map((p) => ({
			question: p.question,
			...(p.item === undefined ? {} : { item: p.item }),
			code: p.code,
			message: p.message
		}));
		io.out(JSON.stringify({ valid: result.ok, errors }, null, 2));
		return result.ok ? 0 : 1;
	}
};
export default command;
