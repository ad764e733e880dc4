/**
 * `techcap backup` and `techcap restore` through the real CLI on the embedded engine: back up,
 * change data, restore, and find the original state (every collection, document for document).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/lib/server/db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { ROOT } from '../e2e/server';

const work = mkdtempSync(join(tmpdir(), 'techcap-backup-'));
const dataDir = join(work, 'data');
const backupDir = join(work, 'backup');

function cli(...args: string[]) {
	const r = spawnSync(
		process.execPath,
		[join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/cli/techcap.ts'), ...args],
		{
			cwd: ROOT,
			env: { ...process.env, MONGODB_URI: '', TECHCAP_DATA_DIR: dataDir },
			encoding: 'utf8'
		}
	);
	return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every collection but the audit log (backup and restore add entries there by design). */
async function snapshot(db: Database): Promise<Record<string, string[]>> {
	const out: Record<string, string[]> = {};
	for (const name of (await db.listCollections()).sort()) {
		if (name === 'audit') continue;
		const docs = await db.collection(name).find({}, { sort: { _id: 1 } });
		out[name] = docs.map((d) => JSON.stringify(d));
	}
	return out;
}

async function withDb<R>(fn: (db: Database) => Promise<R>): Promise<R> {
	const db = await openDatabase({ dir: dataDir });
	try {
		return await fn(db);
	} finally {
		await db.close();
	}
}

describe('backup and restore (CLI, embedded engine)', () => {
	let original: Record<string, string[]>;
	beforeAll(async () => {
		original = await withDb(async (db) => {
			await seedDemo(db, { scale: 0.03 });
			return snapshot(db);
		});
	});
	afterAll(() => rmSync(work, { recursive: true, force: true }));

	it('backs up every collection with counts in the manifest', () => {
		const r = cli('backup', backupDir);
		expect(r.code, r.err).toBe(0);
		expect(r.out).toMatch(/backed up \d+ documents in \d+ collections from the embedded engine/);
		expect(Object.keys(original)).toEqual(
			expect.arrayContaining(['users', 'responses', 'scores', 'campaigns', 'enterprises'])
		);
	});

	it('refuses to overwrite a backup folder without --force', () => {
		const r = cli('backup', backupDir);
		expect(r.code).toBe(2);
		expect(r.err).toMatch(/not empty/);
	});

	it('restore asks for --yes before replacing data, then brings back the exact original state', async () => {
		const changed = await withDb(async (db) => {
			await db.collection('responses').deleteMany({ status: 'submitted' });
			await db.collection('users').updateMany({}, { $set: { disabled: true } });
			await db.collection('campaigns').insertOne({ _id: 'added-after-backup', name: 'x' });
			await db.collection('scratch').insertOne({ _id: 'new-collection' });
			return snapshot(db);
		});
		expect(changed).not.toEqual(original);

		const refused = cli('restore', backupDir);
		expect(refused.code).toBe(2);
		expect(refused.err).toMatch(/--yes/);

		const r = cli('restore', backupDir, '--yes');
		expect(r.code, r.err).toBe(0);
		expect(r.out).toMatch(/restored \d+ documents/);

		await withDb(async (db) => {
			const restored = await snapshot(db);
			expect(restored.scratch ?? []).toEqual([]);
			delete restored.scratch;
			expect(restored).toEqual(original);
			const actions = (await db.collection<{ _id: string; action: string }>('audit').find({})).map(
				(a) => a.action
			);
			expect(actions).toContain('database.backup');
			expect(actions).toContain('database.restore');
		});
	});

	it('a truncated backup is refused before anything is touched', async () => {
		const broken = join(work, 'broken');
		expect(cli('backup', broken).code).toBe(0);
		const { writeFileSync, readFileSync } = await import('node:fs');
		const file = join(broken, 'users.jsonl');
		writeFileSync(file, readFileSync(file, 'utf8').split('\n').slice(0, 1).join('\n') + '\n');
		const before = await withDb(snapshot);
		const r = cli('restore', broken, '--yes');
		expect(r.code).toBe(1);
		expect(r.err).toMatch(/users\.jsonl: \d+ documents, manifest says \d+/);
		expect(await withDb(snapshot)).toEqual(before);
	});
});
