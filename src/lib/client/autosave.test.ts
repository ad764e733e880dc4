import { describe, expect, test } from 'vitest';
import { Autosave, type SaveState } from './autosave';

/** A fake server that records bodies and answers with scripted statuses. */
function fakeServer(script: Array<number | 'network'>) {
	const bodies: Array<{ data: Record<string, unknown>; revision: number }> = [];
	let revision = 1;
	const fetchImpl = (async (_url: string, init: RequestInit) => {
		const body = JSON.parse(String(init.body));
		bodies.push(body);
		const step = script.shift() ?? 200;
		if (step === 'network') throw new TypeError('Failed to fetch');
		if (step === 200) {
			revision++;
			return new Response(JSON.stringify({ revision }), { status: 200 });
		}
		return new Response(JSON.stringify({ message: 'x', problems: [{ question: 'q', message: 'bad' }] }), {
			status: step
		});
	}) as unknown as typeof fetch;
	return { bodies, fetchImpl };
}

/** Timers run only when the test says so. */
function manualTimers() {
	const queue: Array<{ fn: () => void; ms: number }> = [];
	return {
		setTimer: (fn: () => void, ms: number) => {
			const h = { fn, ms };
			queue.push(h);
			return h;
		},
		clearTimer: (h: unknown) => {
			const i = queue.indexOf(h as { fn: () => void; ms: number });
			if (i >= 0) queue.splice(i, 1);
		},
		runNext: () => queue.shift()?.fn(),
		delays: () => queue.map((q) => q.ms)
	};
}

describe('Autosave', () => {
	test('debounces many changes into one save of the latest snapshot', async () => {
		const srv = fakeServer([200]);
		const timers = manualTimers();
		const a = new Autosave({ url: '/x', revision: 1, fetchImpl: srv.fetchImpl, ...timers });
		a.change({ data: { a: 1 }, currentPageNo: 0 });
		a.change({ data: { a: 2 }, currentPageNo: 0 });
		a.change({ data: { a: 3 }, currentPageNo: 1 });
		expect(timers.delays()).toEqual([800]);
		await a.flush();
		expect(srv.bodies).toEqual([{ data: { a: 3 }, currentPageNo: 1, revision: 1 }]);
		expect(a.state).toBe('saved');
		expect(a.revision).toBe(2);
	});

	test('a network failure keeps the snapshot and retries with growing backoff, losing nothing', async () => {
		const srv = fakeServer(['network', 'network', 200]);
		const timers = manualTimers();
		const states: SaveState[] = [];
		const a = new Autosave({
			url: '/x',
			revision: 5,
			fetchImpl: srv.fetchImpl,
			onState: (s) => states.push(s),
			...timers
		});
		a.change({ data: { a: 'kept' }, currentPageNo: 2 });
		await a.flush();
		expect(a.state).toBe('offline');
		expect(timers.delays()).toEqual([1000]);
		await a.flush();
		expect(timers.delays()).toEqual([2000]);
		// The user keeps typing while offline: the newest snapshot is what eventually lands.
		a.change({ data: { a: 'kept', b: 'more' }, currentPageNo: 2 });
		await a.flush();
		expect(a.state).toBe('saved');
		expect(srv.bodies.at(-1)).toEqual({ data: { a: 'kept', b: 'more' }, currentPageNo: 2, revision: 5 });
		expect(states).toContain('offline');
	});

	test("a 409 conflict stops saving so the other tab's answers are not overwritten", async () => {
		const srv = fakeServer([409]);
		const timers = manualTimers();
		const a = new Autosave({ url: '/x', revision: 1, fetchImpl: srv.fetchImpl, ...timers });
		a.change({ data: { a: 1 }, currentPageNo: 0 });
		await a.flush();
		expect(a.state).toBe('conflict');
		a.change({ data: { a: 2 }, currentPageNo: 0 });
		await a.flush();
		expect(srv.bodies).toHaveLength(1);
	});

	test.each([422, 413])('a %i reports the problems and does not retry', async (status) => {
		const srv = fakeServer([status]);
		const timers = manualTimers();
		let problems: unknown;
		const a = new Autosave({
			url: '/x',
			revision: 1,
			fetchImpl: srv.fetchImpl,
			onState: (_s, d) => (problems = d?.problems ?? problems),
			...timers
		});
		a.change({ data: { a: 1 }, currentPageNo: 0 });
		await a.flush();
		expect(a.state).toBe('invalid');
		expect(problems).toEqual([{ question: 'q', message: 'bad' }]);
		expect(timers.delays()).toEqual([]);
	});
});
