/**
 * `questionnaire_slow3g`: chromium (playwright-core, Debian's build) opens the demo enterprise's
 * questionnaire over an emulated slow mobile network — 1.6 Mbit/s down, 750 kbit/s up, 300 ms
 * round trip, cache disabled — and measures the time from navigation until the first question is
 * visible, with the bytes (as transferred, compressed) and requests the page needed by then.
 * The median of five loads is reported; the same page at 9 Mbit/s and 70 ms is a detail.
 *
 * The built server runs on loopback with the demo dataset (scale 0.1). Build folder:
 * TECHCAP_BENCH_BUILD_DIR (default build-bench, shared with the load benchmark);
 * TECHCAP_BENCH_NO_BUILD=1 reuses it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchResult } from './harness';

const ROOT = join(import.meta.dirname, '..');
const BUILD = process.env.TECHCAP_BENCH_BUILD_DIR ?? 'build-bench';
const RUNS = 5;

interface Network {
	name: string;
	/** Round trip added to every request, ms. */
	latency: number;
	/** Bits per second. */
	down: number;
	up: number;
}
const SLOW: Network = { name: 'slow3g', latency: 300, down: 1.6e6, up: 750e3 };
const FAST: Network = { name: 'fast', latency: 70, down: 9e6, up: 9e6 };

interface Load {
	ms: number;
	bytes: number;
	requests: number;
	/** Transferred bytes per resource type (script, stylesheet, document, fetch, …). */
	byType: Record<string, number>;
	largest: Array<{ url: string; bytes: number }>;
}

function build(log: (l: string) => void): void {
	if (process.env.TECHCAP_BENCH_NO_BUILD === '1' && existsSync(join(ROOT, BUILD, 'index.js'))) return;
	log(`building into ${BUILD}/ ...`);
	const r = spawnSync(
		process.execPath,
		[join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
		{
			cwd: ROOT,
			stdio: 'inherit',
			env: { ...process.env, TECHCAP_BUILD_DIR: BUILD, TECHCAP_KIT_OUT: `.svelte-kit-${BUILD}` }
		}
	);
	if (r.status !== 0) throw new Error('vite build failed');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const bench: Benchmark = {
	names: ['questionnaire_slow3g'],
	async run(log) {
		build(log);
		// tests/e2e/server and browser read the build folder and chromium path when they load.
		process.env.TECHCAP_BUILD_DIR = BUILD;
		const { startServer } = await import('../tests/e2e/server');
		const { launch, loginAs } = await import('../tests/e2e/browser');
		const { DEMO_LOGINS } = await import('../src/lib/server/demo/accounts');
		const enterprise = DEMO_LOGINS.find((l) => l.role === 'enterprise')!;
		const dir = mkdtempSync(join(tmpdir(), 'techcap-slow3g-'));
		const server = await startServer({
			TECHCAP_DATA_DIR: dir,
			TECHCAP_MAIL_WORKER: '0',
			TECHCAP_REMINDERS: '0'
		});
		const browser = await launch();
		try {
			const ctx = await browser.newContext({ baseURL: server.url, locale: 'vi-VN' });
			const login = await ctx.newPage();
			await loginAs(login, enterprise.email, enterprise.password);
			await login.goto('/enterprise');
			const href = await login.getByTestId('open-response').first().getAttribute('href');
			if (!href) throw new Error('the demo enterprise has no questionnaire to open');
			await login.close();

			const measure = async (net: Network): Promise<Load> => {
				const page = await ctx.newPage();
				const cdp = await ctx.newCDPSession(page);
				await cdp.send('Network.enable');
				await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
				await cdp.send('Network.emulateNetworkConditions', {
					offline: false,
					latency: net.latency,
					downloadThroughput: net.down / 8,
					uploadThroughput: net.up / 8
				});
				const types = new Map<string, { type: string; url: string }>();
				const done = new Map<string, number>();
				cdp.on('Network.requestWillBeSent', (e) =>
					types.set(e.requestId, { type: e.type ?? 'Other', url: e.request.url })
				);
				cdp.on('Network.loadingFinished', (e) => done.set(e.requestId, e.encodedDataLength));
				const t0 = performance.now();
				await page.goto(href, { waitUntil: 'commit' });
				await page.locator('.sd-question').first().waitFor({ state: 'visible', timeout: 60_000 });
				const ms = performance.now() - t0;
				const byType: Record<string, number> = {};
				const largest: Array<{ url: string; bytes: number }> = [];
				let bytes = 0;
				for (const [id, len] of done) {
					const info = types.get(id);
					bytes += len;
					const type = info?.type ?? 'Other';
					byType[type] = (byType[type] ?? 0) + len;
					largest.push({ url: new URL(info?.url ?? 'http://x/').pathname, bytes: len });
				}
				largest.sort((a, b) => b.bytes - a.bytes);
				const load = { ms, bytes, requests: types.size, byType, largest: largest.slice(0, 8) };
				await cdp.detach();
				await page.close();
				return load;
			};

			const slow: Load[] = [];
			for (let i = 0; i < RUNS; i++) {
				slow.push(await measure(SLOW));
				log(
					`slow3g run ${i + 1}: ${slow[i].ms.toFixed(0)} ms, ${slow[i].bytes} B, ${slow[i].requests} requests`
				);
			}
			const fast: number[] = [];
			for (let i = 0; i < 3; i++) fast.push((await measure(FAST)).ms);
			const mid = slow.find((l) => l.ms === median(slow.map((s) => s.ms)))!;
			const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
			const result: BenchResult = {
				name: 'questionnaire_slow3g',
				value: mid.ms / 1000,
				unit: 's',
				target: { op: '<', value: 2.5 },
				details: {
					runs_ms: slow.map((s) => s.ms.toFixed(0)).join(' '),
					transferred: kib(mid.bytes),
					requests: mid.requests,
					by_type: Object.entries(mid.byType)
						.sort((a, b) => b[1] - a[1])
						.map(([k, v]) => `${k} ${kib(v)}`)
						.join(', '),
					largest: mid.largest.map((l) => `${l.url} ${kib(l.bytes)}`).join(', '),
					fast_9mbit_70ms_s: (median(fast) / 1000).toFixed(2)
				}
			};
			return [result];
		} finally {
			await browser.close();
			await server.stop();
			rmSync(dir, { recursive: true, force: true });
		}
	}
};
export default bench;
