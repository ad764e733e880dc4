/**
 * Builds the app once and runs the real adapter-node server on a free loopback port with a fresh
 * embedded data folder (and the demo dataset), the way a user starts it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
/** The adapter-node output to test (TECHCAP_BUILD_DIR, as in svelte.config.js). */
export const BUILD_DIR = join(ROOT, process.env.TECHCAP_BUILD_DIR ?? 'build');

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
		});
	});
}

export function buildApp(): void {
	if (process.env.TECHCAP_E2E_NO_BUILD === '1') return;
	const r = spawnSync(
		process.execPath,
		[join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
		{
			cwd: ROOT,
			stdio: 'inherit'
		}
	);
	if (r.status !== 0) throw new Error('vite build failed');
}

export interface RunningServer {
	url: string;
	dataDir: string;
	process: ChildProcess;
	output: () => string;
	stop: () => Promise<void>;
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
	const port = await freePort();
	const dataDir = mkdtempSync(join(tmpdir(), 'techcap-e2e-'));
	const url = `http://127.0.0.1:${port}`;
	let log = '';
	const child = spawn(process.execPath, [join(BUILD_DIR, 'index.js')], {
		cwd: ROOT,
		env: {
			...process.env,
			MONGODB_URI: '',
			TECHCAP_DATA_DIR: dataDir,
			TECHCAP_DEMO: '1',
			TECHCAP_DEMO_SCALE: '0.1',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: url,
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (d) => (log += d));
	child.stderr?.on('data', (d) => (log += d));
	const running = () => child.exitCode === null && child.signalCode === null;
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (!running()) throw new Error(`server exited early:\n${log}`);
		try {
			const r = await fetch(`${url}/healthz`);
			if (r.ok) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			// Not left running behind the error.
			child.kill('SIGKILL');
			rmSync(dataDir, { recursive: true, force: true });
			throw new Error(`server did not become healthy:\n${log}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		url,
		dataDir,
		process: child,
		output: () => log,
		stop: async () => {
			if (running()) {
				const exited = new Promise((r) => child.once('exit', r));
				child.kill('SIGTERM');
				await exited;
			}
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
