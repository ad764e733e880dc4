/**
 * `techcap remind`: queue a reminder round for one campaign (the admin page's button), or run one
 * scheduled-reminder tick for every campaign. The worker (or `techcap mail --process`) sends them.
 */
import { parseArgs, requireFlag, UsageError, type Command } from '../command';
import { getDatabase } from '../../lib/server/db/index';
import { appOrigin, CampaignInputError } from '../../lib/server/campaigns';
import { campaignOrThrow, runScheduledReminders, sendReminders } from '../../lib/server/reminders';

const command: Command = {
	name: 'remind',
	summary:
		'Queue reminders to participants of a campaign that have not submitted (or run the scheduled tick)',
	usage: 'remind --campaign ID [--dry-run] [--origin URL] | remind --scheduled [--origin URL]',
	async run(argv, io) {
		const args = parseArgs(argv, { values: ['campaign', 'origin'], booleans: ['dry-run', 'scheduled'] });
		if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
		const origin =
			typeof args.flags.origin === 'string' ? args.flags.origin.replace(/\/+$/, '') : appOrigin();
		if (!/^https?:\/\/[^/]+$/.test(origin))
			throw new UsageError(`--origin must be like https://techcap.example.vn (got '${origin}')`);
		const db = await getDatabase();
		if (args.flags.scheduled) {
			if (args.flags.campaign || args.flags['dry-run'])
				throw new UsageError('--scheduled takes no --campaign or --dry-run');
			const runs = await runScheduledReminders(db, { origin });
			for (const r of runs)
				io.out(
					`${r.campaignId}  ${r.slots.join(',')}  ${
						r.claimedElsewhere ? 'claimed by another instance' : `queued ${r.result?.queued ?? 0}`
					}`
				);
			if (!runs.length) io.err('no scheduled reminders due');
			return 0;
		}
		const id = requireFlag(args, 'campaign');
		try {
			const campaign = await campaignOrThrow(db, id);
			const r = await sendReminders(db, campaign, { origin, dryRun: Boolean(args.flags['dry-run']) });
			for (const t of r.plan.targets)
				io.out(
					`${r.dryRun ? 'would remind' : 'remind'}  ${t.participant.taxCode}  ${t.recipient.email}  ${t.recipient.locale}  #${t.n}  (${t.participant.stage})`
				);
			for (const s of r.plan.skipped) io.out(`skip    ${s.participant.taxCode}  ${s.reason}`);
			for (const e of r.errors) io.err(`error   ${e.enterpriseId}: ${e.message.en}`);
			io.err(
				r.dryRun
					? `dry run: ${r.plan.targets.length} would be reminded, ${r.plan.skipped.length} skipped, ${r.plan.submitted} submitted`
					: `queued ${r.queued} reminder(s) (${r.duplicates} already queued), ${r.plan.skipped.length} skipped, ${r.plan.submitted} submitted`
			);
			return r.errors.length ? 1 : 0;
		} catch (e) {
			if (e instanceof CampaignInputError) {
				io.err(e.text.en);
				return 1;
			}
			throw e;
		}
	}
};

export default command;
