import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Checkpointer } from './checkpoint';
import { DB_FILE, Store } from './store';

const CHILD = fileURLToPath(new URL('./durability.child.ts', import.meta.url));
const dirs: string[] = [];
function tempDir(): string {
	const d = mkdtempSync(join(tmpdir(), 'techcap-ckpt-'));
	dirs.push(d);
	return d;
}
afterEach(() => {
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function writeMany(store: Store, n: number, bytes: number, coll = 'things'): void {
	const c = store.coll(coll);
	store.begin();
	for (let i = 0; i < n; i++) store.put(c, { _id: `d${i}`, body: 'x'.repeat(bytes) });
	store.commit();
}

describe('background WAL checkpoints', () => {
	it('a large commit is checkpointed by the worker, not inside COMMIT', async () => {
		const dir = tempDir();
		const store = new Store(dir);
		try {
			expect(store.checkpointer.running).toBe(false);
			const next = store.checkpointer.nextCheckpoint();
			// ~24 MB: well past the 1000-page threshold in one transaction.
			writeMany(store, 3000, 8000);
			// The pages are still only in the WAL: COMMIT did not copy them (the worker, started just
			// now, needs tens of milliseconds to load before it can).
			expect(statSync(join(dir, DB_FILE)).size).toBeLessThan(1_000_000);
			expect(store.checkpointer.running).toBe(true);
			await next;
			const r = store.checkpointer.lastResult!;
			expect(r.busy).toBe(0);
			expect(r.log).toBeGreaterThan(1000);
			expect(r.checkpointed).toBe(r.log);
			expect(statSync(join(dir, DB_FILE)).size).toBeGreaterThan(24_000_000);
		} finally {
			await store.close();
		}
		// Everything committed is there for a fresh process.
		const again = new Store(dir);
		try {
			expect(again.coll('things').docs()).toHaveLength(3000);
		} finally {
			await again.close();
		}
	});

	it('close waits for the checkpoint thread, and leaves no WAL behind', async () => {
		const dir = tempDir();
		const store = new Store(dir);
		const first = store.checkpointer.nextCheckpoint();
		writeMany(store, 3000, 8000);
		await first; // the worker is up and holds its own connection
		writeMany(store, 3000, 8000, 'others'); // and is checkpointing these pages while we close
		await store.close();
		// Nothing is still writing: the WAL was checkpointed and removed by the last connection's close.
		const wal = join(dir, DB_FILE + '-wal');
		expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
		expect(statSync(join(dir, DB_FILE)).size).toBeGreaterThan(48_000_000);
	});

	it('a process whose last work is close() finishes it and exits cleanly', () => {
		// The worker is unref'd while idle; were it still unref'd during close(), node would exit with
		// code 13 (an unsettled top-level await) before the close completed.
		const dir = tempDir();
		const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, 'bulk', dir], { encoding: 'utf8' });
		expect({ status: child.status, out: child.stdout.trim(), err: child.stderr }).toEqual({
			status: 0,
			out: 'closed',
			err: ''
		});
		const wal = join(dir, DB_FILE + '-wal');
		expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
	});

	it('small commits do not start a worker', async () => {
		const store = new Store(tempDir());
		try {
			for (let i = 0; i < 20; i++) writeMany(store, 1, 100);
			expect(store.checkpointer.running).toBe(false);
			expect(store.checkpointer.completed).toBe(0);
		} finally {
			await store.close();
		}
	});

	it('runs the checkpoint inline when the worker cannot do it', async () => {
		let inline = 0;
		// The worker cannot open a database in a folder that does not exist, so it exits.
		const cp = new Checkpointer(join(tempDir(), 'missing', 'x.sqlite'), () => inline++, 10);
		const next = cp.nextCheckpoint();
		cp.committed(11);
		await next;
		expect(inline).toBe(1);
		expect(cp.running).toBe(false);
		cp.committed(11);
		expect(inline).toBe(2);
		await cp.close();
	});

	it('counts pages across commits until the threshold', () => {
		let inline = 0;
		const cp = new Checkpointer('/nonexistent', () => inline++, 10);
		void cp.close(); // closed: every request runs inline
		cp.committed(4);
		cp.committed(5);
		expect(inline).toBe(0);
		cp.committed(1);
		expect(inline).toBe(1);
		cp.committed(9);
		expect(inline).toBe(1);
	});
});
