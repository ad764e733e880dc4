/**
 * Review before submit: when the respondent presses "Hoàn thành", the answers are checked by the
 * server without being stored (problems per question, the level they would get), and submitting
 * waits for an explicit confirmation. `ask()` resolves true only when the respondent confirmed
 * answers the server found complete; anything else (problems, no connection, going back) is false.
 */
import type { Advice } from '$lib/domain/plausibility';

export type ReviewState = 'closed' | 'loading' | 'ready' | 'blocked' | 'offline';

export interface ReviewProblem {
	question: string;
	item?: string;
	code: string;
	message: string;
}

export interface ReviewInfo {
	ok: boolean;
	problems: ReviewProblem[];
	expected: { total: number; K: number; level: string } | null;
	/** Soft plausibility warnings: submitting confirms them (they are stored with the response). */
	warnings?: Array<{ question: string; advice: Advice }>;
}

export interface ReviewOptions {
	url: string;
	fetchImpl?: typeof fetch;
	onState?: (state: ReviewState, info: ReviewInfo | null) => void;
}

export class Review {
	state: ReviewState = 'closed';
	info: ReviewInfo | null = null;
	private decide: ((go: boolean) => void) | null = null;
	private data: Record<string, unknown> | null = null;
	private readonly fetchImpl: typeof fetch;

	constructor(private readonly opts: ReviewOptions) {
		this.fetchImpl = opts.fetchImpl ?? ((...a) => fetch(...a));
	}

	/** Check `data` on the server and wait for the respondent's decision. */
	ask(data: Record<string, unknown>): Promise<boolean> {
		// A question still open (double click on "Hoàn thành") is answered "no" and replaced.
		this.decide?.(false);
		this.data = data;
		const decision = new Promise<boolean>((resolve) => (this.decide = resolve));
		void this.check();
		return decision;
	}

	/** After a failed check: try again with the same answers. */
	retry(): void {
		if (this.state === 'offline' && this.data) void this.check();
	}

	/** Submit: only once the server has found the answers complete. */
	confirm(): void {
		if (this.state !== 'ready') return;
		this.finish(true);
	}

	/** Back to the questionnaire. */
	cancel(): void {
		if (this.state === 'closed') return;
		this.finish(false);
	}

	private async check(): Promise<void> {
		const data = this.data;
		this.info = null;
		this.set('loading');
		let info: ReviewInfo;
		try {
			const res = await this.fetchImpl(this.opts.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ data })
			});
			if (!res.ok) throw new Error(`HTTP ${res.status}`);
			info = (await res.json()) as ReviewInfo;
		} catch {
			// Answered meanwhile (cancelled, or asked again with other answers): not ours to report.
			if (this.data === data && this.state === 'loading') this.set('offline');
			return;
		}
		if (this.data !== data || this.state !== 'loading') return;
		this.info = info;
		this.set(info.ok ? 'ready' : 'blocked');
	}

	private finish(go: boolean): void {
		const decide = this.decide;
		this.decide = null;
		this.data = null;
		this.set('closed');
		decide?.(go);
	}

	private set(state: ReviewState): void {
		this.state = state;
		this.opts.onState?.(state, this.info);
	}
}
