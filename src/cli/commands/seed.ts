/** `techcap seed --demo [--scale N] [--reset]`: (re)generates the demo dataset and accounts. */
import { parseArgs, UsageError, type Command } from '../command';
import { getDatabase } from '../../lib/server/db/index';
import { seedDemo } from '../../lib/server/demo/seed';
import { DEMO_LOGINS } from '../../lib/server/demo/accounts';

const command: Command = {
	name: 'seed',
	summary: 'Generate the demo dataset (3 sectors x 3 years) and one demo account per role',
	usage: 'seed --demo [--scale N] [--reset] [--year YYYY]',
	async run(argv, io) {
		const args = parseArgs(argv, { values: ['scale', 'year'], booleans: ['demo', 'reset'] });
		if (!args.flags.demo) throw new UsageError('only --demo is supported');
		const scale = args.flags.scale === undefined ? 1 : Number(args.flags.scale);
		if (!Number.isFinite(scale) || scale <= 0 || scale > 20)
			throw new UsageError('--scale must be a number in (0, 20]');
		const year = args.flags.year === undefined ? undefined : Number(args.flags.year);
		if (year !== undefined && (!Number.isInteger(year) || year < 2002 || year > 2100))
			throw new UsageError('--year must be a year such as 2026');
		const db = await getDatabase();
		if (!args.flags.reset && (await db.collection('campaigns').countDocuments({})) > 0)
			throw new Error(
				'the database already has campaigns; add --reset to replace the demo data (this deletes campaigns, responses, scores, enterprises and releases)'
			);
		const started = Date.now();
		const summary = await seedDemo(db, {
			scale,
			year,
			reset: Boolean(args.flags.reset),
			onProgress: (done, total) => io.progress('seeding', done, total)
		});
		io.out(
			`seeded ${summary.campaigns} campaigns, ${summary.enterprises} enterprises, ${summary.responses} responses (${summary.submitted} submitted) in ${((Date.now() - started) / 1000).toFixed(1)} s`
		);
		for (const l of DEMO_LOGINS) io.out(`  ${l.role.padEnd(12)} ${l.email}  ${l.password}`);
		return 0;
	}
};

export default command;
