/**
 * HTTP load on the BUILT server (adapter-node, embedded engine), driven from a second process on
 * loopback (this file re-run with TECHCAP_LOAD_CLIENT set):
 *
 * - `mixed_load`: 100 concurrent users for 60 s — enterprise users log in, autosave, look at their
 *   dashboard, submit once half-way, then read their scorecard; a few admins read the campaign
 *   dashboard and export the audit log. Zero errors required; afterwards every acknowledged write
 *   is checked in the database (no lost writes). p50/p99 per operation.
 * - `autosave_latency`: 50 clients for 30 s, each saving every 200 ms (250 saves/s
 *   offered; back-to-back when the server falls behind). Target p99 < 100 ms at ≥ 200 saves/s.
 *
 * The benchmark makes its own build folder (build-bench) and a temp data folder with the demo
 * dataset plus its own enterprises, users and responses (library functions, as the CLI does).
 * TECHCAP_BENCH_NO_BUILD=1 reuses an existing build-bench. Durations: TECHCAP_LOAD_SECONDS scales both.
 * TECHCAP_LOAD_REPORT=<path> keeps each scenario's raw report (<path>.<mode>.json: every request's
 * start and latency), to see when slow requests happened (a burst of sign-ins, the submissions).
 *
 * The client writes its report to a file (it holds every latency, far more than a pipe buffer) and
 * the server and the client are stopped on every way out of the benchmark: finally blocks for
 * errors, and handlers for signals and crashes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchResult } from './harness';

const ROOT = join(import.meta.dirname, '..');
const BUILD = 'build-bench';
const PASSWORD = 'Tai-kiem-thu-2026!';

interface VirtualUser {
	email: string;
	role: 'enterprise' | 'admin';
	responseId?: string;
	/** Complete, valid answers for the response's questionnaire (copied from a submitted peer). */
	answers?: Record<string, unknown>;
}

interface ClientConfig {
	base: string;
	mode: 'mixed' | 'autosave';
	seconds: number;
	users: VirtualUser[];
	password: string;
	/** Where the client writes its ClientReport as JSON before it exits. */
	reportFile: string;
}

interface UserOutcome {
	responseId?: string;
	lastRevision: number | null;
	lastComment: string | null;
	submitted: boolean;
}

interface ClientReport {
	latencies: Record<string, number[]>;
	/** When each request started, in ms from the start of the run (parallel to `latencies`). */
	startedAt: Record<string, number[]>;
	errors: Record<string, number>;
	errorSamples: string[];
	outcomes: UserOutcome[];
	elapsedMs: number;
}

// ---------------------------------------------------------------- client (second process)

async function runClient(cfg: ClientConfig): Promise<ClientReport> {
	const latencies: Record<string, number[]> = {};
	const startedAt: Record<string, number[]> = {};
	const errors: Record<string, number> = {};
	const errorSamples: string[] = [];
	let started = performance.now();
	let deadline = started + cfg.seconds * 1000;
	let half = started + (cfg.seconds * 1000) / 2;

	interface Answer {
		status: number;
		headers: Headers;
		text: string;
	}

	async function op(
		name: string,
		path: string,
		init: RequestInit,
		ok: (s: number) => boolean
	): Promise<Answer | null> {
		const t0 = performance.now();
		try {
			const r = await fetch(cfg.base + path, { ...init, redirect: 'manual' });
			const text = await r.text();
			(latencies[name] ??= []).push(performance.now() - t0);
			(startedAt[name] ??= []).push(t0 - started);
			if (!ok(r.status)) {
				errors[name] = (errors[name] ?? 0) + 1;
				if (errorSamples.length < 10) errorSamples.push(`${name} ${r.status} ${text.slice(0, 200)}`);
				return null;
			}
			return { status: r.status, headers: r.headers, text };
		} catch (e) {
			errors[name] = (errors[name] ?? 0) + 1;
			if (errorSamples.length < 10) errorSamples.push(`${name} ${String(e)}`);
			return null;
		}
	}

	async function login(u: VirtualUser): Promise<string | null> {
		const r = await op(
			'login',
			'/login',
			{
				method: 'POST',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					origin: cfg.base,
					accept: 'text/html'
				},
				body: new URLSearchParams({ email: u.email, password: cfg.password }).toString()
			},
			(s) => s === 303
		);
		const c = r?.headers.getSetCookie().find((x) => x.startsWith('techcap_session='));
		return c ? c.split(';')[0] : null;
	}

	const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

	async function enterprise(u: VirtualUser, out: UserOutcome, signedIn: string | null): Promise<void> {
		const cookie = signedIn ?? (await login(u));
		if (!cookie) {
			errors.login = (errors.login ?? 0) + 1;
			return;
		}
		const headers = { cookie, 'content-type': 'application/json' };
		// Current revision: a stale save answers 409 with it.
		const probe = await fetch(`${cfg.base}/api/v1/responses/${u.responseId}`, {
			method: 'PUT',
			headers,
			body: JSON.stringify({ data: {}, currentPageNo: 0, revision: 999_999 })
		});
		let revision = ((await probe.json()) as { revision: number }).revision;
		let n = 0;
		const interval = cfg.mode === 'autosave' ? 200 : 0;
		while (performance.now() < deadline) {
			const t0 = performance.now();
			if (cfg.mode === 'mixed' && !out.submitted && performance.now() > half) {
				const r = await op(
					'submit',
					`/api/v1/responses/${u.responseId}/submit`,
					{
						method: 'POST',
						headers,
						body: JSON.stringify({
							data: u.answers,
							currentPageNo: 0,
							revision,
							submitKey: `bench-${u.responseId}`
						})
					},
					(s) => s === 200
				);
				if (r) out.submitted = true;
				continue;
			}
			if (out.submitted) {
				await op(
					'scorecard',
					`/enterprise/responses/${u.responseId}/scorecard`,
					{ headers: { cookie } },
					(s) => s === 200
				);
				await op('dashboard', '/enterprise', { headers: { cookie } }, (s) => s === 200);
				await pause(50 + Math.random() * 150);
				continue;
			}
			const comment = `lưu ${++n} ${u.email}`;
			const data = { ...u.answers, respondent_comment: comment };
			const r = await op(
				'autosave',
				`/api/v1/responses/${u.responseId}`,
				{ method: 'PUT', headers, body: JSON.stringify({ data, currentPageNo: n % 5, revision }) },
				(s) => s === 200
			);
			if (r) {
				revision = (JSON.parse(r.text) as { revision: number }).revision;
				out.lastRevision = revision;
				out.lastComment = comment;
			}
			if (cfg.mode === 'mixed') {
				if (n % 10 === 0) await op('dashboard', '/enterprise', { headers: { cookie } }, (s) => s === 200);
				await pause(Math.random() * 100);
			} else {
				const wait = interval - (performance.now() - t0);
				if (wait > 0) await pause(wait);
			}
		}
	}

	async function admin(u: VirtualUser): Promise<void> {
		let cookie = await login(u);
		let n = 0;
		while (cookie && performance.now() < deadline) {
			await op('admin_dashboard', '/admin/campaigns', { headers: { cookie } }, (s) => s === 200);
			await op('export', '/admin/audit/export', { headers: { cookie } }, (s) => s === 200);
			if (++n % 10 === 0) cookie = await login(u); // sign in again now and then
			await pause(200 + Math.random() * 300);
		}
	}

	const outcomes: UserOutcome[] = cfg.users.map((u) => ({
		responseId: u.responseId,
		lastRevision: null,
		lastComment: null,
		submitted: false
	}));
	// The autosave measurement starts once everyone is signed in (50 argon2 logins at once would
	// otherwise be measured as save latency); the mixed load includes its logins.
	const cookies =
		cfg.mode === 'autosave' ? await Promise.all(cfg.users.map((u) => login(u))) : cfg.users.map(() => null);
	if (cfg.mode === 'autosave') {
		delete latencies.login;
		delete startedAt.login;
		started = performance.now();
		deadline = started + cfg.seconds * 1000;
		half = started + (cfg.seconds * 1000) / 2;
	}
	await Promise.all(
		cfg.users.map((u, i) => (u.role === 'admin' ? admin(u) : enterprise(u, outcomes[i], cookies[i])))
	);
	return { latencies, startedAt, errors, errorSamples, outcomes, elapsedMs: performance.now() - started };
}

if (process.env.TECHCAP_LOAD_CLIENT) {
	// The configuration comes in a file: with every user's answers it exceeds what an env var holds.
	const cfg = JSON.parse(readFileSync(process.env.TECHCAP_LOAD_CLIENT, 'utf8')) as ClientConfig;
	runClient(cfg).then(
		(report) => {
			// Written synchronously, so it is complete before exit (open keep-alive sockets would
			// otherwise keep the process alive).
			writeFileSync(cfg.reportFile, JSON.stringify(report));
			process.exit(0);
		},
		(e) => {
			console.error(e);
			process.exit(1);
		}
	);
}

// ---------------------------------------------------------------- driver (benchmark process)

/** Child processes this benchmark started and that are still running (servers, load clients). */
const children = new Set<ChildProcess>();
let exitHandlers = false;

/**
 * Keeps `child` in `children` until it exits, so that no way out of the benchmark leaves it
 * running: a signal to this process stops the children and exits; an uncaught error ends in the
 * 'exit' event, where they are sent SIGTERM (nothing can be awaited there).
 */
function track(child: ChildProcess): ChildProcess {
	if (child.exitCode === null && child.signalCode === null) {
		children.add(child);
		child.once('exit', () => children.delete(child));
	}
	if (!exitHandlers) {
		exitHandlers = true;
		process.once('exit', () => {
			for (const c of children) c.kill('SIGTERM');
		});
		for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
			process.once(signal, () => {
				void stopChildren().finally(() => process.exit(128 + constants.signals[signal]));
			});
	}
	return child;
}

/** SIGTERM to every running child, SIGKILL to those still running after 20 s. */
async function stopChildren(): Promise<void> {
	const running = [...children];
	const exited = running.map((c) => new Promise((r) => c.once('exit', r)));
	for (const c of running) c.kill('SIGTERM');
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise((r) => (timer = setTimeout(r, 20_000)));
	await Promise.race([Promise.all(exited), late]);
	clearTimeout(timer);
	for (const c of children) c.kill('SIGKILL');
}

function quantile(xs: number[], q: number): number {
	if (!xs.length) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	const h = (s.length - 1) * q;
	const lo = Math.floor(h);
	return s[lo] + (h - lo) * ((s[Math.ceil(h)] ?? s[lo]) - s[lo]);
}

function build(log: (l: string) => void): void {
	if (process.env.TECHCAP_BENCH_NO_BUILD === '1' && existsSync(join(ROOT, BUILD, 'index.js'))) return;
	log(`building into ${BUILD}/ ...`);
	const r = spawnSync(
		process.execPath,
		[join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
		{
			cwd: ROOT,
			stdio: ['ignore', 'ignore', 'inherit'],
			env: { ...process.env, TECHCAP_BUILD_DIR: BUILD, TECHCAP_KIT_OUT: '.svelte-kit-bench' }
		}
	);
	if (r.status !== 0) throw new Error('vite build failed');
}

/** Demo dataset plus `enterprises` new enterprises, each with a user and an invited response in an open campaign. */
async function prepareData(dir: string, enterprises: number, admins: number): Promise<VirtualUser[]> {
	process.env.TECHCAP_DATA_DIR = dir;
	const { openDatabase } = await import('../src/lib/server/db/index');
	const { seedDemo } = await import('../src/lib/server/demo/seed');
	const { addParticipants } = await import('../src/lib/server/campaigns');
	const { createUser } = await import('../src/lib/server/auth/index');
	const { C } = await import('../src/lib/server/db/schema');
	const db = await openDatabase({ dir });
	try {
		await seedDemo(db, { scale: 0.1 });
		const open = await db.collection<{ _id: string; status: string }>(C.campaigns).find({ status: 'open' });
		const users: VirtualUser[] = [];
		const template = await db
			.collection<{ _id: string } & Record<string, unknown>>(C.enterprises)
			.findOne({});
		for (let i = 0; i < enterprises; i++) {
			const campaign = open[i % open.length];
			const peer = await db
				.collection<{ _id: string; data: Record<string, unknown> }>(C.responses)
				.findOne({ campaignId: campaign._id, status: 'submitted' });
			const id = `bench-ent-${i}`;
			await db.collection(C.enterprises).insertOne({
				...template,
				_id: id,
				taxCode: String(9_100_000_000 + i),
				name: `Doanh nghiệp tải ${i}`,
				email: `ent${i}@bench.techcap.vn`
			});
			const { added } = await addParticipants(db, campaign._id, [id]);
			const response = await db
				.collection<{ _id: string }>(C.responses)
				.findOne({ campaignId: campaign._id, enterpriseId: id });
			if (!added.length || !response) throw new Error(`could not add ${id} to ${campaign._id}`);
			const email = `ent${i}@bench.techcap.vn`;
			await createUser(db, {
				email,
				name: `Người dùng tải ${i}`,
				role: 'enterprise',
				enterpriseId: id,
				password: PASSWORD,
				locale: 'vi'
			});
			users.push({ email, role: 'enterprise', responseId: response._id, answers: peer?.data ?? {} });
		}
		for (let i = 0; i < admins; i++) {
			const email = `admin${i}@bench.techcap.vn`;
			await createUser(db, {
				email,
				name: `Quản trị tải ${i}`,
				role: 'admin',
				password: PASSWORD,
				locale: 'vi'
			});
			users.push({ email, role: 'admin' });
		}
		return users;
	} finally {
		await db.close();
	}
}

function runClientProcess(cfg: Omit<ClientConfig, 'reportFile'>, dir: string): Promise<ClientReport> {
	const file = join(dir, 'load-client.json');
	const reportFile = join(dir, 'load-report.json');
	writeFileSync(file, JSON.stringify({ ...cfg, reportFile }));
	return new Promise((resolve, reject) => {
		const child = track(
			spawn(
				process.execPath,
				[join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'bench/load.bench.ts')],
				{
					cwd: ROOT,
					env: { ...process.env, TECHCAP_LOAD_CLIENT: file },
					stdio: ['ignore', 'inherit', 'inherit']
				}
			)
		);
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			if (code !== 0) {
				reject(new Error(`load client exited with ${code ?? signal}`));
				return;
			}
			try {
				resolve(JSON.parse(readFileSync(reportFile, 'utf8')) as ClientReport);
			} catch (e) {
				reject(new Error(`load client report ${reportFile} unreadable: ${String(e)}`));
			}
		});
	});
}

/** Every acknowledged write is in the database: last saved answers, submissions and their scores. */
async function lostWrites(
	dir: string,
	outcomes: UserOutcome[]
): Promise<{ lost: number; checked: number; submitted: number }> {
	const { openDatabase } = await import('../src/lib/server/db/index');
	const db = await openDatabase({ dir, indexes: false });
	try {
		let lost = 0;
		let checked = 0;
		let submitted = 0;
		for (const o of outcomes) {
			if (!o.responseId) continue;
			const r = await db
				.collection<{ _id: string; status: string; revision: number; data: Record<string, unknown> }>(
					'responses'
				)
				.findOne({ _id: o.responseId });
			checked++;
			if (!r) {
				lost++;
				continue;
			}
			if (o.lastRevision !== null && r.revision < o.lastRevision) lost++;
			if (o.submitted) {
				submitted++;
				const score = await db
					.collection('scores')
					.countDocuments({ responseId: o.responseId, current: true });
				if (r.status !== 'submitted' || score !== 1) lost++;
			} else if (o.lastComment !== null && r.data.respondent_comment !== o.lastComment) lost++;
		}
		return { lost, checked, submitted };
	} finally {
		await db.close();
	}
}

async function scenario(
	log: (l: string) => void,
	mode: 'mixed' | 'autosave',
	users: number,
	admins: number,
	seconds: number
): Promise<{ report: ClientReport; lost: Awaited<ReturnType<typeof lostWrites>>; ops: number }> {
	const dir = mkdtempSync(join(tmpdir(), `techcap-load-${mode}-`));
	// tests/e2e/server reads the build folder when it loads: set it first.
	process.env.TECHCAP_BUILD_DIR = BUILD;
	const { startServer } = await import('../tests/e2e/server');
	try {
		log(`${mode}: preparing ${users} enterprise users and ${admins} admins ...`);
		const virtual = await prepareData(dir, users, admins);
		const server = await startServer({ TECHCAP_DATA_DIR: dir, TECHCAP_DEMO: '0', TECHCAP_MAIL_WORKER: '0' });
		track(server.process);
		let report: ClientReport;
		try {
			log(`${mode}: ${virtual.length} users for ${seconds} s against ${server.url} ...`);
			report = await runClientProcess(
				{ base: server.url, mode, seconds, users: virtual, password: PASSWORD },
				dir
			);
		} finally {
			await server.stop();
		}
		if (process.env.TECHCAP_LOAD_REPORT)
			writeFileSync(`${process.env.TECHCAP_LOAD_REPORT}.${mode}.json`, JSON.stringify(report));
		const lost = await lostWrites(dir, report.outcomes);
		const ops = Object.values(report.latencies).reduce((s, l) => s + l.length, 0);
		for (const s of report.errorSamples) log(`error: ${s}`);
		log(`${mode}: ${ops} requests in ${(report.elapsedMs / 1000).toFixed(1)} s`);
		return { report, lost, ops };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

function perOperation(report: ClientReport): Record<string, string> {
	const details: Record<string, string> = {};
	for (const [name, l] of Object.entries(report.latencies).sort())
		details[name] =
			`n=${l.length} p50=${quantile(l, 0.5).toFixed(1)} ms p99=${quantile(l, 0.99).toFixed(1)} ms errors=${report.errors[name] ?? 0}`;
	return details;
}

const bench: Benchmark = {
	names: ['mixed_load', 'autosave_latency'],
	async run(log) {
		const scale = Number(process.env.TECHCAP_LOAD_SECONDS ?? 0) || null;
		const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
		build(log);
		const results: BenchResult[] = [];
		if (!only || only === 'mixed_load') {
			const { report, lost, ops } = await scenario(log, 'mixed', 95, 5, scale ?? 60);
			const errors = Object.values(report.errors).reduce((s, n) => s + n, 0);
			results.push({
				name: 'mixed_load',
				value: errors,
				unit: 'errors',
				target: { op: '<=', value: 0 },
				details: {
					lost_writes: `${lost.lost} (checked ${lost.checked} responses, ${lost.submitted} submitted)`,
					ops_per_s: (ops / (report.elapsedMs / 1000)).toFixed(1),
					...perOperation(report)
				}
			});
			results.push({
				name: 'mixed_load_lost_writes',
				value: lost.lost,
				unit: 'writes',
				target: { op: '<=', value: 0 }
			});
		}
		if (!only || only === 'autosave_latency') {
			const { report, lost } = await scenario(log, 'autosave', 50, 0, scale ? Math.max(scale / 2, 5) : 30);
			const saves = report.latencies.autosave ?? [];
			const errors = Object.values(report.errors).reduce((s, n) => s + n, 0);
			const rate = saves.length / (report.elapsedMs / 1000);
			results.push({
				name: 'autosave_latency',
				value: quantile(saves, 0.99),
				unit: 'ms p99',
				target: { op: '<', value: 100 },
				details: {
					p50_ms: quantile(saves, 0.5).toFixed(1),
					saves: saves.length,
					errors,
					lost_writes: lost.lost
				}
			});
			results.push({
				name: 'autosave_throughput',
				value: rate,
				unit: 'saves/s',
				target: { op: '>=', value: 200 }
			});
		}
		return results;
	}
};

export default bench;
