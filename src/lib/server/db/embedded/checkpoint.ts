/**
 * WAL checkpoints on a background thread.
 *
 * With SQLite's automatic checkpoint the connection that commits copies the whole WAL into the
 * database file inside COMMIT: after a 100,000-row import (~320 MB of pages) that is ~0.9 s of the
 * import's time on the one JavaScript thread, and any small write that happens to cross the
 * threshold stalls a web request the same way. The store turns the automatic checkpoint off and
 * asks this checkpointer instead once enough pages were committed; a worker thread with its own
 * connection runs `PRAGMA wal_checkpoint(PASSIVE)`, which never blocks readers or writers.
 *
 * Durability is unchanged: a commit is in the WAL before COMMIT returns, the checkpoint only moves
 * pages into the main file. The worker starts on the first request (stores that never write much,
 * e.g. in tests, never start one); if it cannot start or dies, checkpoints run inline as before.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

/** Pages committed before a checkpoint is requested (SQLite's automatic default is 1000 too). */
export const CHECKPOINT_PAGES = 1000;

/**
 * The worker's code, evaluated as a script so the bundled server needs no separate entry file.
 * It loads better-sqlite3 from the path the main thread resolved.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
parentPort.on('message', (m) => {
	if (m === 'close') {
		try { db.close(); } finally { process.exit(0); }
	}
	try {
		const [r] = db.pragma('wal_checkpoint(PASSIVE)');
		parentPort.postMessage({ type: 'done', result: r });
	} catch (e) {
		parentPort.postMessage({ type: 'error', message: String(e && e.message || e) });
	}
});
`;

export interface CheckpointResult {
	busy: number;
	log: number;
	checkpointed: number;
}

export class Checkpointer {
	private worker: Worker | null = null;
	private failed = false;
	private pages = 0;
	/** Completed background checkpoints (for tests and diagnostics). */
	completed = 0;
	lastResult: CheckpointResult | null = null;
	private waiters: Array<() => void> = [];
	/** A request the worker has not answered yet: run inline if the worker dies first. */
	private outstanding = false;

	constructor(
		private readonly file: string,
		/** Runs a checkpoint on the caller's connection: the fallback when no worker runs. */
		private readonly inline: () => void,
		private readonly threshold = CHECKPOINT_PAGES
	) {}

	/** Called after every commit with an estimate of the pages it wrote. */
	committed(pages: number): void {
		this.pages += pages;
		if (this.pages < this.threshold) return;
		this.pages = 0;
		this.request();
	}

	private request(): void {
		const w = this.failed ? null : (this.worker ?? this.start());
		if (!w) {
			this.inline();
			this.completed++;
			return;
		}
		this.outstanding = true;
		w.postMessage('run');
	}

	private start(): Worker | null {
		try {
			const driver = createRequire(import.meta.url).resolve('better-sqlite3');
			const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: this.file, driver } });
			// Never keeps the process alive: pending pages are checkpointed when the last connection closes.
			w.unref();
			w.on('message', (m: { type: 'done' | 'error'; result?: CheckpointResult }) => {
				// An error leaves the pages for the next request (PASSIVE never blocks, so it is rare).
				this.outstanding = false;
				if (m.type === 'done') {
					this.completed++;
					this.lastResult = m.result ?? null;
					for (const f of this.waiters.splice(0)) f();
				}
			});
			w.on('error', (e) => {
				// After close() the store no longer cares (e.g. its folder was removed).
				if (this.worker === w)
					console.warn(
						`[embedded] WAL checkpoint thread failed (${e.message}); checkpoints run inline from now on`
					);
				this.fail(w);
			});
			w.on('exit', () => this.fail(w));
			this.worker = w;
			return w;
		} catch (e) {
			console.warn(
				`[embedded] could not start the WAL checkpoint thread (${(e as Error).message}); checkpoints run inline`
			);
			this.failed = true;
			return null;
		}
	}

	private fail(w: Worker): void {
		if (this.worker !== w) return;
		this.worker = null;
		this.failed = true;
		if (this.outstanding) {
			this.outstanding = false;
			try {
				this.inline();
				this.completed++;
			} catch {
				// The connection may be closing; the last close checkpoints anyway.
			}
		}
		for (const f of this.waiters.splice(0)) f();
	}

	/** Resolves after the next background checkpoint completes (tests). */
	nextCheckpoint(): Promise<void> {
		return new Promise((resolve) => this.waiters.push(resolve));
	}

	get running(): boolean {
		return this.worker !== null;
	}

	/**
	 * Stops the worker: resolves once it has closed its connection (after a checkpoint in progress
	 * finishes). Until then the database files are still changing, and the store's own connection
	 * would not be the last one, so it could not checkpoint and remove the WAL when it closes.
	 */
	close(): Promise<void> {
		const w = this.worker;
		this.worker = null;
		this.failed = true;
		for (const f of this.waiters.splice(0)) f();
		if (!w) return Promise.resolve();
		return new Promise((resolve) => {
			w.once('exit', () => resolve());
			// Unref'd while it only served checkpoints; whoever awaits close() now waits for its exit.
			w.ref();
			w.postMessage('close');
		});
	}
}
