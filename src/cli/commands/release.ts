/**
 * `techcap release`: the same review path as the web pages. `--campaign <id>` builds a draft;
 * `--submit`, `--publish`, `--return --reason` and `--discard` move a release through review;
 * `--list` shows the releases under review. The operator acts as an administrator (audited as 'cli').
 */
import { parseArgs, UsageError, type Command } from '../command';
import { getDatabase } from '../../lib/server/db/index';
import { LifecycleError } from '../../lib/server/campaign-lifecycle';
import {
	buildDraftRelease,
	discardDraftRelease,
	listPendingReleases,
	publishSubmittedRelease,
	returnSubmittedRelease,
	submitDraftRelease,
	type ReleaseActor
} from '../../lib/server/releases/review';
import type { ReleaseDoc } from '../../lib/server/releases';

const OPERATOR: ReleaseActor = { id: 'cli', email: 'cli', role: 'admin' };
const STEPS = ['campaign', 'submit', 'publish', 'return', 'discard'] as const;

const command: Command = {
	name: 'release',
	summary: 'Build a draft release of a closed campaign, then submit, publish, return or discard it',
	usage:
		'release --campaign <id> [--k <threshold, default 5>] | --submit <release> | --publish <release> | ' +
		'--return <release> --reason <text> | --discard <release> | --list  [--json]',
	async run(argv, io) {
		const args = parseArgs(argv, {
			values: [...STEPS, 'k', 'reason'],
			booleans: ['json', 'list']
		});
		if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
		const given = STEPS.filter((s) => args.flags[s] !== undefined);
		if (given.length + (args.flags.list ? 1 : 0) !== 1)
			throw new UsageError(
				'give exactly one of --campaign, --submit, --publish, --return, --discard, --list'
			);
		const db = await getDatabase();
		const json = args.flags.json === true;
		if (args.flags.list) {
			const pending = await listPendingReleases(db);
			if (json) io.out(JSON.stringify(pending));
			else if (!pending.length) io.out('no release under review');
			else
				for (const p of pending)
					io.out(`${p.id}  ${p.sector} ${p.year} version ${p.version}  ${p.status}  ${p.rows} rows`);
			return 0;
		}
		const step = given[0];
		const id = String(args.flags[step]);
		const k = args.flags.k === undefined ? undefined : Number(args.flags.k);
		if (k !== undefined && (step !== 'campaign' || !(Number.isInteger(k) && k >= 1 && k <= 100)))
			throw new UsageError('--k goes with --campaign and must be an integer between 1 and 100');
		if (step === 'return' && typeof args.flags.reason !== 'string')
			throw new UsageError('--return needs --reason <text>');
		const started = Date.now();
		try {
			let r: ReleaseDoc | null = null;
			if (step === 'campaign') r = await buildDraftRelease(db, OPERATOR, id, { k });
			else if (step === 'submit') r = await submitDraftRelease(db, OPERATOR, id);
			else if (step === 'publish') r = await publishSubmittedRelease(db, OPERATOR, id);
			else if (step === 'return') r = await returnSubmittedRelease(db, OPERATOR, id, args.flags.reason);
			else await discardDraftRelease(db, OPERATOR, id);
			const out = r
				? {
						id: r._id,
						campaignId: r.campaignId,
						sector: r.sector,
						year: r.year,
						version: r.version,
						status: r.status,
						rows: r.rowCount,
						suppression: r.suppression,
						seconds: (Date.now() - started) / 1000
					}
				: { id, status: 'discarded' };
			if (json) io.out(JSON.stringify(out));
			else if (!r) io.out(`release ${id}: draft discarded`);
			else
				io.out(
					`release ${r._id}: ${r.sector} ${r.year} version ${r.version}, ${r.status === 'ready' ? 'published' : r.status}, ${r.rowCount} rows, ` +
						`${r.suppression.primary}+${r.suppression.secondary} of ${r.suppression.cells} cells suppressed` +
						(r.status === 'draft' && step === 'campaign'
							? ` — next: techcap release --submit ${r._id}`
							: r.status === 'submitted'
								? ` — next: techcap release --publish ${r._id}`
								: '')
				);
			return 0;
		} catch (e) {
			if (e instanceof LifecycleError) {
				io.err(`techcap release: ${e.text.en}`);
				return 1;
			}
			throw e;
		}
	}
};

export default command;
