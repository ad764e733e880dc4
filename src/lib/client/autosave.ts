/**
 * Client-side autosave for a questionnaire response. Sends the whole answer snapshot (so a later
 * save supersedes an earlier one and nothing needs merging), one request at a time, debounced while
 * typing and immediately on page changes. Network failures keep the latest snapshot and retry with
 * backoff; a 409 means another tab or device saved first, and saving stops until the user reloads,
 * so no answer is silently overwritten.
 */

export type SaveState =
	'idle' | 'pending' | 'saving' | 'saved' | 'offline' | 'conflict' | 'invalid' | 'closed';

export interface Snapshot {
	data: Record<string, unknown>;
	currentPageNo: number;
}

export interface SaveProblem {
	question: string;
	message: string;
}

export interface AutosaveOptions {
	url: string;
	revision: number;
	debounceMs?: number;
	/** Backoff after failures: 1 s, 2 s, 4 s ... capped. */
	maxBackoffMs?: number;
	fetchImpl?: typeof fetch;
	onState?: (state: SaveState, detail?: { problems?: SaveProblem[]; message?: string }) => void;
	setTimer?: (fn: () => void, ms: number) => unknown;
	clearTimer?: (handle: unknown) => void;
}

export class Autosave {
	revision: number;
	state: SaveState = 'idle';
	private pending: Snapshot | null = null;
	private inFlight: Promise<void> | null = null;
	private timer: unknown = null;
	private failures = 0;
	private readonly opts: Required<Omit<AutosaveOptions, 'onState'>> & Pick<AutosaveOptions, 'onState'>;

	constructor(options: AutosaveOptions) {
		this.revision = options.revision;
		this.opts = {
			debounceMs: 800,
			maxBackoffMs: 30_000,
			fetchImpl: (...a) => fetch(...a),
			setTimer: (fn, ms) => setTimeout(fn, ms),
			clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
			...options
		};
	}

	/** Record a change; it is sent after the debounce delay. */
	change(snapshot: Snapshot): void {
		if (this.state === 'conflict' || this.state === 'closed') return;
		this.pending = snapshot;
		this.setState('pending');
		this.schedule(this.opts.debounceMs);
	}

	/** Send what is pending now (page change, before submit, on `online`). Resolves when saved or failed. */
	async flush(): Promise<boolean> {
		if (this.timer !== null) {
			this.opts.clearTimer(this.timer);
			this.timer = null;
		}
		while (this.inFlight) await this.inFlight;
		// After a conflict only a reload may save again: the server holds another tab's newer answers.
		if (this.state === 'conflict' || this.state === 'closed') return false;
		if (!this.pending) return this.state !== 'offline' && this.state !== 'invalid';
		this.inFlight = this.send(this.pending).finally(() => (this.inFlight = null));
		await this.inFlight;
		return this.pending === null && this.state === 'saved';
	}

	get hasUnsaved(): boolean {
		return this.pending !== null;
	}

	private schedule(ms: number): void {
		if (this.timer !== null) this.opts.clearTimer(this.timer);
		this.timer = this.opts.setTimer(() => {
			this.timer = null;
			void this.flush();
		}, ms);
	}

	private async send(snapshot: Snapshot): Promise<void> {
		this.setState('saving');
		let res: Response;
		try {
			res = await this.opts.fetchImpl(this.opts.url, {
				method: 'PUT',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ ...snapshot, revision: this.revision })
			});
		} catch {
			return this.retryLater();
		}
		if (res.ok) {
			const body = (await res.json()) as { revision: number };
			this.revision = body.revision;
			this.failures = 0;
			// A newer change may have arrived while this one was in flight: keep it pending.
			if (this.pending === snapshot) {
				this.pending = null;
				this.setState('saved');
			} else {
				this.setState('pending');
				this.schedule(0);
			}
			return;
		}
		if (res.status === 409) {
			const body = (await res.json().catch(() => ({}))) as { message?: string; closed?: boolean };
			this.setState(body.closed ? 'closed' : 'conflict', { message: body.message });
			return;
		}
		// 413: the answers are larger than the server accepts; sending them again cannot help.
		if (res.status === 422 || res.status === 413) {
			const body = (await res.json().catch(() => ({}))) as { problems?: SaveProblem[]; message?: string };
			this.setState('invalid', { problems: body.problems ?? [], message: body.message });
			return;
		}
		if (res.status === 401 || res.status === 403 || res.status === 404) {
			this.setState('conflict', { message: `HTTP ${res.status}` });
			return;
		}
		return this.retryLater();
	}

	private retryLater(): void {
		this.failures++;
		this.setState('offline');
		const delay = Math.min(this.opts.maxBackoffMs, 1000 * 2 ** (this.failures - 1));
		this.schedule(delay);
	}

	private setState(state: SaveState, detail?: { problems?: SaveProblem[]; message?: string }): void {
		this.state = state;
		this.opts.onState?.(state, detail);
	}
}
