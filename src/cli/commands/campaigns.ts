/** `techcap campaigns`: lists campaigns with id, sector, year, status and participation counts. */
import { parseArgs, UsageError, type Command } from '../command';
import { getDatabase } from '../../lib/server/db/index';
import { listCampaigns } from '../../lib/server/campaigns';

const command: Command = {
	name: 'campaigns',
	summary: 'List campaigns: id, sector, year, status, questionnaire version and response counts',
	usage: 'campaigns [--json]',
	async run(argv, io) {
		const args = parseArgs(argv, { booleans: ['json'] });
		if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
		const rows = await listCampaigns(await getDatabase());
		if (args.flags.json) {
			for (const c of rows)
				io.out(
					JSON.stringify({
						id: c._id,
						sector: c.sector,
						year: c.year,
						status: c.status,
						surveyId: c.surveyId,
						closesAt: c.closesAt,
						counts: c.counts
					})
				);
			return 0;
		}
		const header = ['id', 'sector', 'year', 'status', 'survey', 'invited', 'started', 'submitted', 'total'];
		const table = rows.map((c) => [
			c._id,
			c.sector,
			String(c.year),
			c.status,
			c.surveyId,
			String(c.counts.invited),
			String(c.counts.inProgress),
			String(c.counts.submitted),
			String(c.counts.total)
		]);
		const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
		const line = (r: string[]) =>
			r
				.map((v, i) => v.padEnd(widths[i]))
				.join('  ')
				.trimEnd();
		io.out(line(header));
		for (const r of table) io.out(line(r));
		if (!rows.length) io.err('no campaigns');
		return 0;
	}
};

export default command;
