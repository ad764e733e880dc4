/**
 * Durability and multi-process safety of the embedded engine, with real processes:
 * kill -9 after acknowledged writes, kill -9 inside a transaction, two writers on one folder.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { BaseDoc } from '../types';
import { openEmbeddedDatabase } from './index';

const CHILD = fileURLToPath(new URL('./durability.child.ts', import.meta.url));

interface Child {
	proc: ChildProcessWithoutNullStreams;
	lines: string[];
	/** Resolves when a line satisfying `pred` has been printed (or rejects if the child exits). */
	waitFor(pred: (line: string) => boolean, timeoutMs?: number): Promise<string>;
	exited: Promise<number | null>;
}

const children: Child[] = [];
const dirs: string[] = [];

afterEach(async () => {
	for (const c of children.splice(0)) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
	for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function start(args: string[]): Child {
	const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
		cwd: process.cwd(),
		stdio: ['pipe', 'pipe', 'pipe']
	});
	const lines: string[] = [];
	const waiters: { pred: (l: string) => boolean; resolve: (l: string) => void }[] = [];
	let stderr = '';
	proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
	createInterface({ input: proc.stdout }).on('line', (line) => {
		lines.push(line);
		for (const w of [...waiters]) {
			if (w.pred(line)) {
				waiters.splice(waiters.indexOf(w), 1);
				w.resolve(line);
			}
		}
	});
	const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
	const child: Child = {
		proc,
		lines,
		exited,
		waitFor(pred, timeoutMs = 30_000) {
			const seen = lines.find(pred);
			if (seen) return Promise.resolve(seen);
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`child timed out; stderr: ${stderr}`)), timeoutMs);
				waiters.push({
					pred,
					resolve: (l) => {
						clearTimeout(timer);
						resolve(l);
					}
				});
				void exited.then((code) => {
					clearTimeout(timer);
					reject(new Error(`child exited (${code}) before the expected line; stderr: ${stderr}`));
				});
			});
		}
	};
	children.push(child);
	return child;
}

async function tempDir(): Promise<string> {
	const d = await mkdtemp(join(tmpdir(), 'techcap-dur-'));
	dirs.push(d);
	return d;
}

async function killHard(c: Child): Promise<void> {
	c.proc.kill('SIGKILL');
	await c.exited;
}

describe('embedded durability (real processes, SIGKILL)', () => {
	it('keeps every acknowledged write when the process is killed mid-stream', async () => {
		const dir = await tempDir();
		const child = start(['insert', dir, '1000000', 'doc']);
		await child.waitFor((l) => l === 'ack 400');
		await killHard(child);
		const acked = child.lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4)));
		expect(acked.length).toBeGreaterThanOrEqual(401);

		const db = await openEmbeddedDatabase(dir);
		try {
			const docs = await db.collection<BaseDoc & { i: number }>('docs').find({}, { sort: { i: 1 } });
			const present = new Set(docs.map((d) => d.i));
			for (const i of acked) expect(present.has(i)).toBe(true);
			// Writes are sequential, so what survived is exactly a prefix 0..m (nothing torn or skipped).
			expect(docs.map((d) => d.i)).toEqual(Array.from({ length: docs.length }, (_, i) => i));
		} finally {
			await db.close();
		}
	});

	it('leaves nothing of a transaction whose process was killed before it committed', async () => {
		const dir = await tempDir();
		const child = start(['tx', dir]);
		await child.waitFor((l) => l === 'in-tx');
		await killHard(child);
		const db = await openEmbeddedDatabase(dir);
		try {
			const c = db.collection<BaseDoc & { touched?: boolean }>('docs');
			expect(await c.findOne({ _id: 'before-tx' })).toEqual({ _id: 'before-tx' });
			expect(await c.countDocuments()).toBe(1);
			// The folder is writable again: the dead process's lock went with it.
			await c.insertOne({ _id: 'after' });
			expect(await c.countDocuments()).toBe(2);
		} finally {
			await db.close();
		}
	});

	it('two processes writing one folder: each unique value won exactly once, no lost increments', async () => {
		const dir = await tempDir();
		const count = 150;
		const a = start(['race', dir, String(count), '7']);
		const b = start(['race', dir, String(count), '12345']);
		await Promise.all([a.waitFor((l) => l === 'ready'), b.waitFor((l) => l === 'ready')]);
		// This process watches the same folder while the children write.
		const watcher = await openEmbeddedDatabase(dir);
		try {
			a.proc.stdin.write('go\n');
			b.proc.stdin.write('go\n');
			await Promise.all([a.waitFor((l) => l === 'done', 60_000), b.waitFor((l) => l === 'done', 60_000)]);
			for (let i = 0; i < count; i++) {
				const winners = [a, b].filter((c) => c.lines.includes(`won ${i}`)).length;
				const losers = [a, b].filter((c) => c.lines.includes(`dup ${i}`)).length;
				expect([i, winners, losers]).toEqual([i, 1, 1]);
			}
			console.log(
				`[durability] race: process A won ${a.lines.filter((l) => l.startsWith('won')).length}, B won ${b.lines.filter((l) => l.startsWith('won')).length}`
			);
			const users = watcher.collection<BaseDoc & { email: string }>('users');
			expect(await users.countDocuments()).toBe(count);
			expect(new Set((await users.find({})).map((u) => u.email)).size).toBe(count);
			const counter = await watcher.collection<BaseDoc & { n: number }>('counters').findOne({ _id: 'n' });
			expect(counter?.n).toBe(2 * count);
		} finally {
			await watcher.close();
		}
	}, 90_000);
});
