/** `techcap mail`: process the mail queue once, list it, show or re-queue a message. */
import { parseArgs, UsageError, type Command } from '../command';
import { getDatabase } from '../../lib/server/db/index';
import {
	countMail,
	getMail,
	isMailStatus,
	listMail,
	MAIL_STATUSES,
	MailConfigError,
	processMailQueue,
	requeueMail,
	transportFromEnv
} from '../../lib/server/mail/index';

const ACTIONS = ['process', 'list', 'show', 'requeue'] as const;

function positiveInt(flag: string, raw: string | true | undefined, max: number): number | undefined {
	if (raw === undefined) return undefined;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1 || n > max)
		throw new UsageError(`--${flag} must be a whole number from 1 to ${max} (got '${String(raw)}')`);
	return n;
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

const command: Command = {
	name: 'mail',
	summary:
		'Process the e-mail queue once (SMTP from the environment, or the outbox), list it, show or re-queue a message',
	usage:
		'mail --process [--batch N] | --list [--status queued|sending|sent|failed|outbox] [--campaign ID] [--limit N] | --show ID | --requeue ID',
	async run(argv, io) {
		const args = parseArgs(argv, {
			values: ['status', 'campaign', 'limit', 'batch', 'show', 'requeue'],
			booleans: ['process', 'list']
		});
		if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
		const chosen = ACTIONS.filter((a) => args.flags[a] !== undefined);
		if (chosen.length !== 1)
			throw new UsageError('give exactly one of --process, --list, --show ID, --requeue ID');
		const action = chosen[0];
		const status = args.flags.status;
		if (status !== undefined && (action !== 'list' || !isMailStatus(status)))
			throw new UsageError(
				action !== 'list'
					? '--status only goes with --list'
					: `--status must be one of ${MAIL_STATUSES.join(', ')} (got '${String(status)}')`
			);
		const limit = positiveInt('limit', args.flags.limit, 1000);
		const batch = positiveInt('batch', args.flags.batch, 10_000);

		if (action === 'process') {
			let transport;
			try {
				transport = transportFromEnv();
			} catch (e) {
				if (e instanceof MailConfigError) {
					io.err(`techcap mail: ${e.message}`);
					return 1;
				}
				throw e;
			}
			const db = await getDatabase();
			try {
				io.err(`sending through ${transport.description}`);
				const r = await processMailQueue(db, transport, { batch: batch ?? 500 });
				io.out(
					`claimed ${r.claimed}, sent ${r.sent}, outbox ${r.outbox}, retry later ${r.retried}, failed ${r.failed}` +
						(r.lost ? `, taken over by another worker ${r.lost}` : '')
				);
				if (r.stoppedBecause) io.err(`stopped early, the SMTP server is unreachable: ${r.stoppedBecause}`);
				const c = await countMail(db);
				io.out(`queue now: ${MAIL_STATUSES.map((s) => `${s} ${c[s]}`).join(', ')}`);
				return r.stoppedBecause ? 1 : 0;
			} finally {
				transport.close();
			}
		}

		const db = await getDatabase();
		if (action === 'list') {
			const rows = await listMail(db, {
				status: isMailStatus(status) ? status : undefined,
				campaignId: typeof args.flags.campaign === 'string' ? args.flags.campaign : undefined,
				limit: limit ?? 50
			});
			if (!rows.length) {
				io.err('no messages');
				return 0;
			}
			io.out(['id', 'created', 'status', 'attempts', 'to', 'template', 'subject', 'last error'].join('\t'));
			for (const m of rows)
				io.out(
					[
						m._id,
						iso(m.createdAt),
						m.status,
						m.attempts,
						m.to,
						`${m.template}/${m.locale}`,
						m.subject,
						m.lastError ?? ''
					].join('\t')
				);
			return 0;
		}

		const id = String(args.flags[action]);
		if (action === 'requeue') {
			const m = await requeueMail(db, id);
			if (!m) {
				const existing = await getMail(db, id);
				io.err(
					existing
						? `techcap mail: message ${id} is ${existing.status}; only failed or outbox messages can be re-queued`
						: `techcap mail: no message ${id}`
				);
				return 1;
			}
			io.out(`re-queued ${id} to ${m.to}`);
			return 0;
		}

		const m = await getMail(db, id);
		if (!m) {
			io.err(`techcap mail: no message ${id}`);
			return 1;
		}
		io.out(`To: ${m.to}`);
		io.out(`Subject: ${m.subject}`);
		io.out(
			`Status: ${m.status} (attempts ${m.attempts}; created ${iso(m.createdAt)}; sent ${iso(m.sentAt)})`
		);
		if (m.messageId) io.out(`Message-ID: ${m.messageId}`);
		for (const e of m.errors) io.out(`Error: ${iso(e.at)} attempt ${e.attempt} (${e.workerId}): ${e.error}`);
		io.out('');
		io.out(m.text);
		return 0;
	}
};

export default command;
