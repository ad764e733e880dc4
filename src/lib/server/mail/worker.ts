/**
 * The queue worker. Any number of workers (app instances, the CLI) may run at once: each message
 * is claimed atomically with findOneAndUpdate, which sets a lease; only the claim's holder can
 * record the outcome. A worker that dies mid-send leaves a `sending` message whose lease expires,
 * and another worker takes it over.
 *
 * Delivery guarantee, honestly: at-least-once, with one narrow window. If a worker dies after the
 * SMTP server accepted a message (250 after DATA) but before the database records it as sent,
 * the message is sent again after the lease expires. The window is kept small: the sent mark is
 * written immediately (retried a few times if the database hiccups) and every attempt carries the
 * same Message-ID (derived from the dedupe key), so the copy is recognisable and mailbox
 * providers that collapse identical Message-IDs show it once. A worker that merely restarts
 * (crash before or during the SMTP dialogue, before the 250) causes no duplicate: the server
 * discards an unfinished transaction.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Database } from '../db/types';
import { mailCollection } from './queue';
import {
	describeSendError,
	messageIdFor,
	transportFromEnv,
	type MailTransport,
	type SendFailure
} from './transport';
import type { MailAttemptError, MailDoc } from './types';

export interface ProcessMailOptions {
	/** Names this worker in the queue (claims, errors). Default: host:pid:random. */
	workerId?: string;
	now?: () => Date;
	/** Most messages handled in one run (default 50). */
	batch?: number;
	/** Claims before a message is marked failed (default 5). */
	maxAttempts?: number;
	/** How long a claim lasts (default 10 min; well above the SMTP timeouts). */
	leaseMs?: number;
	/** Backoff after the n-th failed attempt: baseMs × 2^(n−1), at most maxMs (default 1 min, 1 h). */
	backoff?: { baseMs?: number; maxMs?: number };
}

export interface ProcessMailResult {
	claimed: number;
	sent: number;
	/** Failed this time, queued again with backoff. */
	retried: number;
	failed: number;
	outbox: number;
	/** Our claim was taken over before we could record the outcome (we were too slow). */
	lost: number;
	/** Set when the run stopped early because the SMTP server is unreachable (remaining messages keep their attempts). */
	stoppedBecause?: string;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_LEASE_MS = 10 * 60_000;

export function defaultWorkerId(): string {
	return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Delay before the next try after `attempts` failed tries: 1, 2, 4, 8 … minutes, capped. */
export function backoffMs(attempts: number, baseMs = 60_000, maxMs = 3_600_000): number {
	return Math.min(baseMs * 2 ** Math.max(attempts - 1, 0), maxMs);
}

export interface ClaimOptions {
	workerId: string;
	now?: () => Date;
	leaseMs?: number;
}

/** A claimed message; `takenOverFrom` names the worker whose expired claim this one replaced. */
export type ClaimedMail = MailDoc & { claimId: string; takenOverFrom?: string };

/**
 * Claims the next due message for `workerId`: first a `sending` message whose lease expired (its
 * worker died), then the oldest due `queued` one. Atomic: two workers never hold the same claim.
 * Exported for tests that simulate a worker dying right after its claim.
 */
export async function claimNextMail(db: Database, options: ClaimOptions): Promise<ClaimedMail | null> {
	const now = (options.now ?? (() => new Date()))();
	const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS));
	const coll = mailCollection(db);
	const claimId = randomBytes(9).toString('base64url');
	const claim = {
		status: 'sending' as const,
		leaseUntil,
		workerId: options.workerId,
		claimId,
		updatedAt: now
	};

	// 'before' so we learn whose claim expired; the fields we wrote are known.
	const before = await coll.findOneAndUpdate(
		{ status: 'sending', leaseUntil: { $lt: now } },
		{ $set: claim, $inc: { attempts: 1 } },
		{ sort: { leaseUntil: 1 }, returnDocument: 'before' }
	);
	if (before)
		return {
			...before,
			...claim,
			attempts: before.attempts + 1,
			takenOverFrom: before.workerId ?? 'unknown'
		};

	const queued = await coll.findOneAndUpdate(
		{ status: 'queued', nextAttemptAt: { $lte: now } },
		{ $set: claim, $inc: { attempts: 1 } },
		{ sort: { nextAttemptAt: 1, createdAt: 1, _id: 1 }, returnDocument: 'after' }
	);
	return queued ? { ...queued, claimId } : null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Claims, sends and records up to `batch` due messages, one at a time (each claim is fresh when its
 * send starts). With an outbox transport, messages are filed as `outbox` instead of sent.
 */
export async function processMailQueue(
	db: Database,
	transport: MailTransport,
	options: ProcessMailOptions = {}
): Promise<ProcessMailResult> {
	const workerId = options.workerId ?? defaultWorkerId();
	const now = options.now ?? (() => new Date());
	const batch = Math.max(1, Math.floor(options.batch ?? 50));
	const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS));
	const coll = mailCollection(db);
	const result: ProcessMailResult = { claimed: 0, sent: 0, retried: 0, failed: 0, outbox: 0, lost: 0 };

	for (let i = 0; i < batch; i++) {
		const mail = await claimNextMail(db, { workerId, now, leaseMs: options.leaseMs });
		if (!mail) break;
		result.claimed++;
		const messageId = mail.messageId ?? messageIdFor(mail.dedupeKey ?? mail._id, transport.from);
		const history: MailAttemptError[] = mail.takenOverFrom
			? [
					{
						at: now(),
						attempt: mail.attempts - 1,
						workerId: mail.takenOverFrom,
						error: `stopped mid-send (lease expired); taken over by ${workerId}`
					}
				]
			: [];
		// Records the outcome only if our claim still stands (the claimId fences out late workers).
		const finish = async (set: Record<string, unknown>, entry?: MailAttemptError): Promise<boolean> => {
			const entries = entry ? [...history, entry] : history;
			const r = await coll.updateOne(
				{ _id: mail._id, claimId: mail.claimId },
				{
					$set: { ...set, leaseUntil: null, claimId: null, updatedAt: now() },
					...(entries.length ? { $push: { errors: { $each: entries, $slice: -10 } } } : {})
				}
			);
			return r.matchedCount > 0;
		};

		if (mail.takenOverFrom && mail.attempts > maxAttempts) {
			// Workers kept dying while holding this message: stop before it takes down another.
			const ok = await finish({
				status: 'failed',
				nextAttemptAt: null,
				lastError: `gave up after ${maxAttempts} attempts; the last worker stopped mid-send, so delivery is unknown`
			});
			result[ok ? 'failed' : 'lost']++;
			continue;
		}

		if (transport.kind === 'outbox') {
			// Filing in the outbox is not a delivery attempt: the claim's increment is undone.
			const ok = await finish({
				status: 'outbox',
				outboxAt: now(),
				messageId,
				nextAttemptAt: null,
				attempts: mail.attempts - 1
			});
			result[ok ? 'outbox' : 'lost']++;
			continue;
		}

		let sent: { response: string } | null = null;
		let failure: SendFailure | null = null;
		try {
			sent = await transport.send({
				to: mail.to,
				subject: mail.subject,
				html: mail.html,
				text: mail.text,
				messageId,
				headers: { 'X-TechCap-Mail-Id': mail._id }
			});
		} catch (e) {
			failure = describeSendError(e);
		}

		if (sent) {
			// The at-least-once window stays open until this write lands: retry it before giving up.
			const set = {
				status: 'sent',
				sentAt: now(),
				messageId,
				smtpResponse: sent.response,
				nextAttemptAt: null,
				// Earlier failures stay in `errors`; lastError describes the current state only.
				lastError: null
			};
			const record = async (tries: number): Promise<boolean> => {
				try {
					return await finish(set);
				} catch (e) {
					if (tries >= 3) throw e;
					await sleep(250 * 4 ** tries);
					return record(tries + 1);
				}
			};
			result[(await record(0)) ? 'sent' : 'lost']++;
			continue;
		}

		const f = failure ?? { message: 'unknown error', permanent: false, unreachable: false };
		const t = now();
		const final = f.permanent || mail.attempts >= maxAttempts;
		const ok = await finish(
			{
				status: final ? 'failed' : 'queued',
				nextAttemptAt: final
					? null
					: new Date(t.getTime() + backoffMs(mail.attempts, options.backoff?.baseMs, options.backoff?.maxMs)),
				lastError: f.permanent ? `recipient refused: ${f.message}` : f.message,
				permanentFailure: f.permanent
			},
			{ at: t, attempt: mail.attempts, workerId, error: f.message }
		);
		result[!ok ? 'lost' : final ? 'failed' : 'retried']++;
		if (f.unreachable) {
			// The server is down: trying the rest now would only spend their attempts.
			result.stoppedBecause = f.message;
			break;
		}
	}
	return result;
}

export interface MailWorkerOptions extends ProcessMailOptions {
	/** Default: transportFromEnv() (SMTP or outbox), closed by stop(). */
	transport?: MailTransport;
	/** Time between runs (default 30 s). */
	intervalMs?: number;
	onResult?: (r: ProcessMailResult) => void;
	onError?: (e: unknown) => void;
}

export interface MailWorker {
	readonly workerId: string;
	readonly transport: MailTransport;
	/** Runs the queue now (e.g. right after a bulk invitation), after any run in progress. */
	runNow(): Promise<ProcessMailResult>;
	/** Stops the timer, waits for the run in progress, closes a transport it created. */
	stop(): Promise<void>;
}

/**
 * Processes the queue every `intervalMs` in the background. The timer is unref'd (it never keeps
 * the process alive) and runs never overlap.
 */
export function startMailWorker(db: Database, options: MailWorkerOptions = {}): MailWorker {
	const ownTransport = !options.transport;
	const transport = options.transport ?? transportFromEnv();
	const workerId = options.workerId ?? defaultWorkerId();
	const intervalMs = Math.max(1000, options.intervalMs ?? 30_000);
	const onError =
		options.onError ??
		((e: unknown) => console.error(`mail worker ${workerId}: ${e instanceof Error ? e.message : String(e)}`));
	let chain: Promise<unknown> = Promise.resolve();
	let timer: NodeJS.Timeout | null = null;
	let stopped = false;

	const runNow = (): Promise<ProcessMailResult> => {
		const run = chain.then(async () => {
			if (stopped) return { claimed: 0, sent: 0, retried: 0, failed: 0, outbox: 0, lost: 0 };
			const r = await processMailQueue(db, transport, { ...options, workerId });
			options.onResult?.(r);
			return r;
		});
		chain = run.catch(() => {});
		return run;
	};
	const schedule = () => {
		if (stopped) return;
		timer = setTimeout(() => {
			runNow().catch(onError).finally(schedule);
		}, intervalMs);
		timer.unref();
	};
	schedule();

	return {
		workerId,
		transport,
		runNow,
		async stop() {
			stopped = true;
			if (timer) clearTimeout(timer);
			await chain;
			if (ownTransport) transport.close();
		}
	};
}
