/**
 * Crash safety with a real process: an import killed with SIGKILL in the middle of its commit
 * leaves the data exactly as before; running it again completes it.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db';
import type { Database } from '../db/types';
import { C } from '../db/schema';
import { importResponses } from './responses';
import { importStatus } from './status';
import { generated, importFixture, registerOf, responsesCsv, type ImportFixture } from './testing';

const CHILD = fileURLToPath(new URL('./crash.child.ts', import.meta.url));
let fx: ImportFixture | null = null;
afterEach(async () => {
	await fx?.cleanup();
	fx = null;
});

async function snapshot(db: Database) {
	const out: Record<string, string> = {};
	for (const name of [C.enterprises, C.responses, C.scores, C.audit]) {
		const docs = await db.collection(name).find({}, { sort: { _id: 1 } });
		out[name] = JSON.stringify(docs);
	}
	return out;
}

describe('import crash safety', () => {
	it(
		'kill -9 during the commit leaves the data unchanged; a re-run completes',
		{ timeout: 120_000 },
		async () => {
			fx = await importFixture();
			const rs = generated(1400, 'crash');
			await registerOf(fx.db, rs);
			// Earlier data that must survive untouched: 100 rows imported before.
			const first = await fx.file(
				'first.csv',
				responsesCsv(
					fx.template,
					rs.slice(0, 100).map((r) => r.answers)
				)
			);
			expect(
				(await importResponses(fx.db, fx.campaign._id, { file: first, mode: 'valid-rows-only' })).status
			).toBe('committed');
			const file = await fx.file(
				'all.csv',
				responsesCsv(
					fx.template,
					rs.map((r) => r.answers)
				)
			);
			const before = await snapshot(fx.db);
			await fx.db.close();

			const child = spawn(
				process.execPath,
				['--import', 'tsx', CHILD, join(fx.dir, 'db'), fx.campaign._id, file],
				{
					cwd: process.cwd(),
					stdio: ['ignore', 'pipe', 'pipe']
				}
			);
			let stderr = '';
			child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
			const exited = new Promise<number | null>((r) =>
				child.on('exit', (code, signal) => r(code ?? (signal ? -1 : null)))
			);
			const storing = await new Promise<string>((resolve, reject) => {
				createInterface({ input: child.stdout }).on('line', (l) => l.startsWith('STORING') && resolve(l));
				void exited.then(() => reject(new Error(`child exited early: ${stderr}`)));
			});
			expect(storing).toMatch(/^STORING 100\//);
			child.kill('SIGKILL');
			expect(await exited).toBe(-1);

			const db = await openDatabase({ dir: join(fx.dir, 'db') });
			fx.db = db;
			expect(await snapshot(db)).toEqual(before);
			const interrupted = await db
				.collection<{ _id: string; status: string }>(C.jobs)
				.findOne({ status: 'running' });
			expect(interrupted).not.toBeNull();
			const later = await importStatus(db, interrupted!._id, new Date(Date.now() + 10 * 60_000));
			expect(later?.status).toBe('failed');

			const rerun = await importResponses(db, fx.campaign._id, { file, mode: 'valid-rows-only' });
			expect(rerun.status).toBe('committed');
			const valid = rerun.counts.imported + rerun.counts.unchanged;
			expect(rerun.counts.unchanged).toBe(100 - (await rejectedAmongFirst(rerun.problems.map((p) => p.row))));
			expect(await db.collection(C.responses).countDocuments({})).toBe(valid);
			expect(await db.collection(C.scores).countDocuments({ current: true })).toBe(valid);
		}
	);
});

/** Rows 2..101 are the first hundred generated responses; those rejected then are rejected now too. */
async function rejectedAmongFirst(rows: Array<number | null>): Promise<number> {
	return new Set(rows.filter((r): r is number => r !== null && r <= 101)).size;
}
