/**
 * Graceful failure: stopping cleanly and telling a database outage apart from a bug.
 *
 * Stopping: on SIGTERM/SIGINT adapter-node stops accepting connections, lets in-flight requests
 * finish (at most SHUTDOWN_TIMEOUT seconds, default 30) and then emits `sveltekit:shutdown`. We
 * then run the registered flush steps (mail worker, ...) in order and close the database last, so
 * the embedded engine checkpoints its WAL and MongoDB ends its sessions before the process exits.
 * From the signal on, `/healthz/ready` answers 503 so a load balancer stops routing to us.
 */
import { closeDatabase } from './db';

type Step = { name: string; run: () => unknown };

const steps: Step[] = [];
let draining = false;
let installed = false;
let finished: Promise<void> | null = null;

/** True from the stop signal on: readiness fails while in-flight requests finish. */
export function isDraining(): boolean {
	return draining;
}

/** Registers work to finish before the database closes (run in registration order). */
export function onShutdown(name: string, run: () => unknown): void {
	steps.push({ name, run });
}

/** Runs the flush steps, then closes the database. Idempotent; errors are logged, never thrown. */
export function runShutdown(reason: string, log: (line: string) => void = console.log): Promise<void> {
	draining = true;
	finished ??= (async () => {
		const started = Date.now();
		for (const step of steps) {
			try {
				await step.run();
			} catch (e) {
				log(`TechCap: shutdown step '${step.name}' failed: ${e instanceof Error ? e.message : String(e)}`);
			}
		}
		try {
			await closeDatabase();
		} catch (e) {
			log(`TechCap: closing the database failed: ${e instanceof Error ? e.message : String(e)}`);
		}
		log(`TechCap: stopped (${reason}) in ${Date.now() - started} ms, database closed`);
	})();
	return finished;
}

/** Hooks the process signals once (called at start-up). */
export function installShutdown(): void {
	if (installed) return;
	installed = true;
	const markDraining = () => {
		draining = true;
	};
	// adapter-node handles the signal itself; these listeners only flip readiness early.
	process.on('SIGTERM', markDraining);
	process.on('SIGINT', markDraining);
	process.once('sveltekit:shutdown', (reason: string) => {
		void runShutdown(reason);
	});
}

const UNAVAILABLE_NAMES = new Set([
	'DatabaseUnavailableError',
	'MongoServerSelectionError',
	'MongoNetworkError',
	'MongoNetworkTimeoutError',
	'MongoNotConnectedError',
	'MongoTopologyClosedError',
	'MongoPoolClearedError',
	'MongoExpiredSessionError'
]);

const UNAVAILABLE_MESSAGES =
	/embedded database is closed|database connection is not open|SQLITE_(BUSY|IOERR|CANTOPEN|FULL|LOCKED)|ECONNREFUSED/;

/**
 * Whether an error means the database cannot be reached (an outage we answer with 503 and recover
 * from) rather than a bug (500). Walks the `cause` chain, since wrappers keep the original there.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
	for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
		if (!(cur instanceof Error)) return false;
		if (UNAVAILABLE_NAMES.has(cur.name)) return true;
		const code = (cur as { code?: unknown }).code;
		if (typeof code === 'string' && /^SQLITE_(BUSY|IOERR|CANTOPEN|FULL|LOCKED)/.test(code)) return true;
		if (UNAVAILABLE_MESSAGES.test(cur.message)) return true;
		cur = cur.cause;
	}
	return false;
}
