/**
 * `techcap shortlist --release <id> --programme <id> (--budget <VND> | --slots <n>) --out <file>`:
 * the same optimal shortlist as /policy/shortlist, written as CSV (UTF-8 with BOM). Pseudonymised
 * unless --identified (names and tax codes; recorded in the audit log).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs, requireFlag, UsageError, type Command } from '../command';
import { getDatabase } from '../../lib/server/db/index';
import { recordAudit } from '../../lib/server/audit';
import {
	parseAmount,
	parseObjective,
	shortlistCsv,
	shortlistFor,
	userErrorText
} from '../../lib/server/policy';

const command: Command = {
	name: 'shortlist',
	summary: 'Build the optimal support shortlist of a programme for a release and export it as CSV',
	usage:
		'shortlist (--release <id> | --campaign <id>) --programme <id> (--budget <VND> | --slots <n>) --out <file.csv> [--objective upgrades|points] [--identified] [--locale vi|en] [--json]',
	async run(argv, io) {
		const args = parseArgs(argv, {
			values: ['release', 'campaign', 'programme', 'budget', 'slots', 'out', 'objective', 'locale'],
			booleans: ['identified', 'json']
		});
		if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
		const release = args.flags.release;
		const campaign = args.flags.campaign;
		if ((typeof release === 'string') === (typeof campaign === 'string'))
			throw new UsageError('give exactly one of --release <id> or --campaign <id>');
		const sourceId = typeof release === 'string' ? `release:${release}` : `campaign:${String(campaign)}`;
		const programmeId = requireFlag(args, 'programme');
		const out = requireFlag(args, 'out');
		const hasBudget = typeof args.flags.budget === 'string';
		if (hasBudget === (typeof args.flags.slots === 'string'))
			throw new UsageError('give exactly one of --budget <VND> or --slots <n>');
		const locale = args.flags.locale === 'en' ? 'en' : 'vi';
		if (args.flags.locale !== undefined && args.flags.locale !== 'vi' && args.flags.locale !== 'en')
			throw new UsageError('--locale must be vi or en');
		const db = await getDatabase();
		try {
			const amount = parseAmount(
				hasBudget ? args.flags.budget : args.flags.slots,
				hasBudget ? 'budget' : 'slots'
			);
			const req = {
				sourceId,
				programmeId,
				...(hasBudget ? { budgetVnd: amount } : { slots: amount }),
				objective: parseObjective(args.flags.objective)
			};
			// The operator running the CLI has database access; identities still need an explicit flag.
			const view = await shortlistFor(
				db,
				req,
				// The operator's terminal: identified as an admin, else pseudonymised rows (microdata rights).
				args.flags.identified ? { role: 'admin' } : { role: 'analyst', microdata: true }
			);
			writeFileSync(out, shortlistCsv(view, locale));
			if (view.identities)
				await recordAudit(db, {
					actor: null,
					action: 'shortlist.export',
					target: `programmes/${programmeId}`,
					after: { ...req, rows: view.rows.length, via: 'cli' }
				});
			const s = view.shortlist;
			const summary = {
				out,
				source: sourceId,
				programme: programmeId,
				method: s.method,
				selected: s.summary.count,
				spentVnd: s.summary.spentVnd,
				upgraded: s.summary.upgraded,
				pointsGained: s.summary.pointsGained,
				baseline: s.baseline.summary,
				difference: s.difference,
				candidates: s.candidates,
				eligible: s.eligible,
				excluded: s.excluded.byReason
			};
			if (args.flags.json) io.out(JSON.stringify(summary));
			else
				io.out(
					`${out}: ${s.summary.count} enterprises, ${s.summary.spentVnd} VND, ${s.summary.upgraded} expected level upgrades (+${s.summary.pointsGained} points); baseline (lowest scores first) ${s.baseline.summary.upgraded} upgrades; difference ${s.difference.upgraded >= 0 ? '+' : ''}${s.difference.upgraded}. ${s.eligible} of ${s.candidates} eligible (${s.method}).`
				);
			return 0;
		} catch (e) {
			const text = userErrorText(e, 'en');
			if (text === null) throw e;
			io.err(text);
			return 1;
		}
	}
};

export default command;
