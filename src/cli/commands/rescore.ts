/**
 * `techcap rescore --campaign <id> [--rubric <version>]`: scores every submitted response of a
 * campaign again; earlier scores are kept (not current). With --rubric the version also becomes
 * the campaign's version, so new submissions use the same rules.
 */
import { parseArgs, requireFlag, UsageError, type Command } from '../command';
import { getDatabase } from '../../lib/server/db/index';
import { refreshStoredSurveys } from '../../lib/server/surveys';
import { RescoreError, rescoreCampaign, summaryLine } from '../../lib/server/rescore';

const command: Command = {
	name: 'rescore',
	summary: 'Rescore every submitted response of a campaign with a rubric version, keeping earlier scores',
	usage: 'rescore --campaign <id> [--rubric <sector>/<version> | <version>] [--json]',
	async run(argv, io) {
		const args = parseArgs(argv, { values: ['campaign', 'rubric'], booleans: ['json'] });
		if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
		const campaignId = requireFlag(args, 'campaign');
		const rubric = args.flags.rubric === undefined ? undefined : requireFlag(args, 'rubric');
		const db = await getDatabase();
		const refreshed = await refreshStoredSurveys(db);
		for (const bad of refreshed.invalid)
			io.err(`warning: stored version ${bad.id} no longer validates (${bad.issues.length} problem(s))`);
		try {
			const summary = await rescoreCampaign(db, {
				campaignId,
				rubric,
				actor: null,
				onProgress: (done, total) => io.progress('rescoring', done, total)
			});
			if (args.flags.json) io.out(JSON.stringify(summary));
			else io.out(summaryLine(summary));
			for (const f of summary.failures) io.err(`${f.responseId}: ${f.message}`);
			return summary.failed ? 1 : 0;
		} catch (e) {
			if (e instanceof RescoreError) {
				io.err(e.text.en);
				return 1;
			}
			throw e;
		}
	}
};

export default command;
