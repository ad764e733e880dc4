import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedDatabase } from './index';
import type { Database } from '../types';

const dirs: string[] = [];
const handles: Database[] = [];
afterEach(async () => {
	for (const h of handles.splice(0)) await h.close();
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function open(dir: string): Promise<Database> {
	const db = await openEmbeddedDatabase(dir);
	handles.push(db);
	return db;
}

describe('waiting for another connection’s write lock', () => {
	it('a write waits past SQLite’s busy timeout without blocking the event loop, then succeeds', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'techcap-lock-'));
		dirs.push(dir);
		// Two handles on one folder: separate SQLite connections, as two processes have.
		const importer = await open(dir);
		const server = await open(dir);
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		let entered!: () => void;
		const inside = new Promise<void>((r) => (entered = r));
		const tx = importer.withTransaction(async (session) => {
			await importer.collection('things').insertOne({ _id: 'a', by: 'importer' }, { session });
			entered();
			await held;
		});
		await inside;

		// The event loop must keep turning while the server's write waits for the lock.
		let maxGap = 0;
		let last = Date.now();
		const ticker = setInterval(() => {
			const now = Date.now();
			maxGap = Math.max(maxGap, now - last);
			last = now;
		}, 10);
		const write = server.collection('things').insertOne({ _id: 'b', by: 'server' });
		// Longer than SQLite's busy timeout (200 ms): the old behaviour failed or froze here.
		await new Promise((r) => setTimeout(r, 1200));
		release();
		await tx;
		await write;
		clearInterval(ticker);

		expect(maxGap).toBeLessThan(600);
		const ids = (await server.collection('things').find({}, { sort: { _id: 1 } })).map((d) => d._id);
		expect(ids).toEqual(['a', 'b']);
	});
});
