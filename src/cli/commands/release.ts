/** `techcap release --campaign <id> [--k 5]`: publishes a closed campaign as a new release version. */
import { parseArgs, requireFlag, UsageError, type Command } from '../command';
import { getDatabase } from '../../lib/server/db/index';
import { publishCampaign, ReleaseError } from '../../lib/server/releases';

const command: Command = {
	name: 'release',
	summary: 'Publish a closed campaign: an immutable release with protected benchmarks',
	usage: 'release --campaign <id> [--k <threshold, default 5>] [--json]',
	async run(argv, io) {
		const args = parseArgs(argv, { values: ['campaign', 'k'], booleans: ['json'] });
		if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
		const campaignId = requireFlag(args, 'campaign');
		const k = args.flags.k === undefined ? undefined : Number(args.flags.k);
		if (k !== undefined && !(Number.isInteger(k) && k >= 1 && k <= 100))
			throw new UsageError('--k must be an integer between 1 and 100');
		const started = Date.now();
		try {
			const r = await publishCampaign(await getDatabase(), campaignId, null, { k });
			const out = {
				id: r._id,
				campaignId,
				sector: r.sector,
				year: r.year,
				version: r.version,
				rows: r.rowCount,
				suppression: r.suppression,
				seconds: (Date.now() - started) / 1000
			};
			if (args.flags.json) io.out(JSON.stringify(out));
			else
				io.out(
					`release ${r._id}: ${r.sector} ${r.year} version ${r.version}, ${r.rowCount} rows, ${r.suppression.primary}+${r.suppression.secondary} of ${r.suppression.cells} cells suppressed (${out.seconds.toFixed(1)} s)`
				);
			return 0;
		} catch (e) {
			if (e instanceof ReleaseError) {
				io.err(e.message);
				return 1;
			}
			throw e;
		}
	}
};

export default command;
