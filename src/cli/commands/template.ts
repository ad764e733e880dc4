/**
 * `techcap template --campaign <id> [--out file.csv]`: the campaign's response template (one column
 * per answer cell) and its codebook (`<out>.codebook.csv`, or printed after the template).
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs, requireFlag, UsageError, type Command } from '../command';
import { getDatabase } from '../../lib/server/db/index';
import { C, type CampaignDoc } from '../../lib/server/db/schema';
import { templateFiles } from '../../lib/server/imports';

const command: Command = {
	name: 'template',
	summary: "Write a campaign's CSV response template and its codebook",
	usage: 'template --campaign <id> [--out <file.csv>]  (with an equipment list also <file>.equipment.csv)',
	async run(argv, io) {
		const args = parseArgs(argv, { values: ['campaign', 'out'] });
		if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
		const id = requireFlag(args, 'campaign');
		const campaign = await (await getDatabase()).collection<CampaignDoc>(C.campaigns).findOne({ _id: id });
		if (!campaign) {
			io.err(`no campaign '${id}' (see: techcap campaigns)`);
			return 1;
		}
		const files = templateFiles(campaign.surveyId);
		if (typeof args.flags.out === 'string') {
			const out = resolve(args.flags.out);
			const codebook = out.replace(/(\.csv)?$/i, '.codebook.csv');
			await writeFile(out, files.template);
			await writeFile(codebook, files.codebook);
			io.out(`template ${out}`);
			io.out(`codebook ${codebook}`);
			if (files.equipment !== null) {
				// The equipment list's rows go in their own file, keyed by tax code.
				const equipment = out.replace(/(\.csv)?$/i, '.equipment.csv');
				await writeFile(equipment, files.equipment);
				io.out(`equipment ${equipment}`);
			}
		} else {
			io.out(files.template.trimEnd());
			io.out('');
			io.out(files.codebook.trimEnd());
			if (files.equipment !== null) {
				io.out('');
				io.out(files.equipment.trimEnd());
			}
		}
		return 0;
	}
};

export default command;
