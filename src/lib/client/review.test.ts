import { describe, expect, it } from 'vitest';
import { Review, type ReviewInfo, type ReviewState } from './review';

const READY: ReviewInfo = { ok: true, problems: [], expected: { total: 61.2, K: 0.93, level: 'L3' } };
const BLOCKED: ReviewInfo = {
	ok: false,
	problems: [{ question: 'profile_employees', code: 'required', message: 'Vui lòng trả lời.' }],
	expected: null
};

/** A fetch whose answers the test releases one by one. */
function server() {
	const calls: Array<{ body: unknown; respond: (r: Response | Error) => void }> = [];
	const fetchImpl = ((_url: string, init: RequestInit) =>
		new Promise<Response>((resolve, reject) => {
			calls.push({
				body: JSON.parse(String(init.body)),
				respond: (r) => (r instanceof Error ? reject(r) : resolve(r))
			});
		})) as unknown as typeof fetch;
	return { calls, fetchImpl };
}

const reply = (info: ReviewInfo) => new Response(JSON.stringify(info), { status: 200 });
const tick = () => new Promise((r) => setTimeout(r, 0));

function setup() {
	const s = server();
	const states: ReviewState[] = [];
	const review = new Review({ url: '/r', fetchImpl: s.fetchImpl, onState: (st) => states.push(st) });
	return { ...s, review, states };
}

describe('Review', () => {
	it('complete answers: shows the expected level and submits only on confirm', async () => {
		const { calls, review, states } = setup();
		let decided: boolean | null = null;
		void review.ask({ a: 1 }).then((go) => (decided = go));
		expect(review.state).toBe('loading');
		expect(calls[0].body).toEqual({ data: { a: 1 } });
		calls[0].respond(reply(READY));
		await tick();
		expect(review.state).toBe('ready');
		expect(review.info).toEqual(READY);
		expect(decided).toBeNull();
		review.confirm();
		await tick();
		expect(decided).toBe(true);
		expect(states).toEqual(['loading', 'ready', 'closed']);
	});

	it('going back resolves false', async () => {
		const { calls, review } = setup();
		const decision = review.ask({});
		calls[0].respond(reply(READY));
		await tick();
		review.cancel();
		await expect(decision).resolves.toBe(false);
		expect(review.state).toBe('closed');
	});

	it('problems block the confirmation', async () => {
		const { calls, review } = setup();
		const decision = review.ask({});
		calls[0].respond(reply(BLOCKED));
		await tick();
		expect(review.state).toBe('blocked');
		review.confirm();
		expect(review.state).toBe('blocked');
		review.cancel();
		await expect(decision).resolves.toBe(false);
	});

	it('confirm while loading does nothing', async () => {
		const { calls, review } = setup();
		const decision = review.ask({});
		review.confirm();
		expect(review.state).toBe('loading');
		calls[0].respond(reply(READY));
		await tick();
		review.confirm();
		await expect(decision).resolves.toBe(true);
	});

	it.each([
		['no connection', new Error('offline')],
		['a server error', new Response('{}', { status: 500 })]
	])('%s: offline, retry checks the same answers again', async (_label, failure) => {
		const { calls, review } = setup();
		const decision = review.ask({ x: 2 });
		calls[0].respond(failure);
		await tick();
		expect(review.state).toBe('offline');
		review.confirm();
		expect(review.state).toBe('offline');
		review.retry();
		expect(review.state).toBe('loading');
		expect(calls[1].body).toEqual({ data: { x: 2 } });
		calls[1].respond(reply(READY));
		await tick();
		review.confirm();
		await expect(decision).resolves.toBe(true);
	});

	it('asking again answers the earlier question "no"; a late reply to it is ignored', async () => {
		const { calls, review } = setup();
		const first = review.ask({ v: 1 });
		const second = review.ask({ v: 2 });
		await expect(first).resolves.toBe(false);
		calls[1].respond(reply(BLOCKED));
		await tick();
		calls[0].respond(reply(READY));
		await tick();
		expect(review.state).toBe('blocked');
		review.cancel();
		await expect(second).resolves.toBe(false);
	});

	it('a reply after going back is ignored', async () => {
		const { calls, review } = setup();
		const decision = review.ask({});
		review.cancel();
		await expect(decision).resolves.toBe(false);
		calls[0].respond(reply(READY));
		await tick();
		expect(review.state).toBe('closed');
		review.cancel(); // nothing to cancel
		review.retry(); // nothing to retry
		expect(calls).toHaveLength(1);
	});
});
