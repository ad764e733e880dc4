/** The connection owner: environment selection, memoisation, declared indexes, backup/restore. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
	backupDatabase,
	closeDatabase,
	ensureIndexes,
	getDatabase,
	isDuplicateKeyError,
	openDatabase,
	restoreDatabase,
	users,
	type BaseDoc
} from './index';
import { C, INDEXES } from './schema';

const dirs: string[] = [];
const savedEnv = { ...process.env };
afterEach(async () => {
	await closeDatabase();
	process.env = { ...savedEnv };
	for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
	const d = await mkdtemp(join(tmpdir(), 'techcap-db-'));
	dirs.push(d);
	return d;
}

describe('getDatabase', () => {
	it('opens the embedded engine in TECHCAP_DATA_DIR once, with every declared index', async () => {
		delete process.env.MONGODB_URI;
		process.env.TECHCAP_DATA_DIR = await tempDir();
		const [a, b] = await Promise.all([getDatabase(), getDatabase()]);
		expect(a).toBe(b);
		expect(a.engine).toBe('embedded');
		const now = new Date();
		const base = {
			name: 'A',
			role: 'admin' as const,
			passwordHash: null,
			locale: 'vi' as const,
			disabled: false
		};
		await users(a).insertOne({ ...base, email: 'a@x.vn', createdAt: now, updatedAt: now });
		await expect(
			users(a).insertOne({ ...base, email: 'a@x.vn', createdAt: now, updatedAt: now })
		).rejects.toSatisfy(isDuplicateKeyError);
		// TTL on sessions is declared in schema.ts: an expired session disappears.
		const sessions = a.collection<BaseDoc & { expiresAt: Date }>(C.sessions);
		await sessions.insertOne({ expiresAt: new Date(Date.now() - 1000) });
		// Removed by the engine's sweep (every second), not at once: MongoDB's monitor takes up to 60 s.
		const deadline = Date.now() + 5000;
		while ((await sessions.countDocuments()) > 0 && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 100));
		}
		expect(await sessions.countDocuments()).toBe(0);
		expect((await a.listCollections()).sort()).toEqual(Object.keys(INDEXES).sort());
		await closeDatabase();
		const c = await getDatabase();
		expect(c).not.toBe(a);
		expect(await users(c).countDocuments()).toBe(1);
	});

	it('reports an unreachable MONGODB_URI and tries again on the next call', async () => {
		process.env.MONGODB_URI = 'mongodb://127.0.0.1:1/x';
		await expect(getDatabase()).rejects.toThrow('cannot reach MongoDB at 127.0.0.1:1');
		process.env.MONGODB_URI = '';
		process.env.TECHCAP_DATA_DIR = await tempDir();
		expect((await getDatabase()).engine).toBe('embedded');
	}, 20_000);

	it('ensureIndexes is idempotent', async () => {
		const db = await openDatabase({ dir: await tempDir() });
		await ensureIndexes(db);
		await db.close();
	});
});

describe('backupDatabase / restoreDatabase', () => {
	it('round-trips every collection (Dates included) and replaces current contents', async () => {
		const db = await openDatabase({ dir: await tempDir() });
		try {
			const ent = db.collection<BaseDoc & { taxCode: string; at?: Date }>(C.enterprises);
			await ent.insertMany([
				{ _id: 'e1', taxCode: '0100109106', at: new Date('2024-01-02T03:04:05.678Z') },
				{ _id: 'e2', taxCode: '0300588569-001' }
			]);
			await db.collection(C.audit).insertOne({ action: 'x', at: new Date(0) });
			const out = await tempDir();
			const manifest = await backupDatabase(db, out);
			expect(manifest.consistent).toBe(true);
			expect(manifest.collections[C.enterprises]).toEqual({ file: 'enterprises.jsonl', count: 2 });
			expect(await readFile(join(out, 'enterprises.jsonl'), 'utf8')).toContain('"$date"');

			await ent.insertOne({ _id: 'e3', taxCode: '999' });
			await ent.deleteOne({ _id: 'e1' });
			await db.collection('scratch').insertOne({ v: 1 });
			await restoreDatabase(db, out);
			expect(await ent.find({}, { sort: { _id: 1 } })).toEqual([
				{ _id: 'e1', taxCode: '0100109106', at: new Date('2024-01-02T03:04:05.678Z') },
				{ _id: 'e2', taxCode: '0300588569-001' }
			]);
			expect(await db.collection('scratch').countDocuments()).toBe(0);
			// Unique indexes still hold after a restore.
			await expect(ent.insertOne({ taxCode: '0100109106' })).rejects.toSatisfy(isDuplicateKeyError);
		} finally {
			await db.close();
		}
	});

	it('refuses a truncated backup without touching the database', async () => {
		const db = await openDatabase({ dir: await tempDir() });
		try {
			const c = db.collection(C.audit);
			await c.insertMany([{ a: 1 }, { a: 2 }]);
			const out = await tempDir();
			await backupDatabase(db, out);
			const file = join(out, 'audit.jsonl');
			const text = await readFile(file, 'utf8');
			await writeFile(file, text.split('\n')[0] + '\n');
			await c.insertOne({ a: 3 });
			await expect(restoreDatabase(db, out)).rejects.toThrow(/audit\.jsonl: 1 documents, manifest says 2/);
			expect(await c.countDocuments()).toBe(3);
		} finally {
			await db.close();
		}
	});
});
