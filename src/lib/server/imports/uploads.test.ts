import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { randomBytes, createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { openDatabase } from '../db';
import { newId } from '../db/ids';
import { backupDatabase } from '../db/backup';
import type { Database } from '../db/types';
import { C, type EnterpriseDoc, type ImportDoc, type UploadChunkDoc } from '../db/schema';
import { analyseImport } from './analyse';
import { startImportJob } from './jobs';
import { getImport } from './status';
import { ImportRefused } from './types';
import { uploadPath } from './source';
import { importFixture, type ImportFixture } from './testing';
import { UPLOAD_CHUNK_BYTES, dropSharedUpload, localUploadFile, shareUpload, uploadsShared } from './uploads';

let fx: ImportFixture;
beforeEach(async () => {
	fx = await importFixture();
});
afterEach(async () => {
	vi.unstubAllEnvs();
	await fx.cleanup();
});

// Unique per run: the rebuilt files live in the shared temp folder.
const imp1 = newId();
const imp2 = newId();
const imp3 = newId();
const imp4 = newId();
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** An import record as analysis writes it, for a file that is not (or no longer) on this instance. */
function record(
	id: string,
	bytes: Uint8Array,
	sharedChunks: number | null,
	tempPath: string | null
): ImportDoc {
	const now = new Date();
	return {
		_id: id,
		kind: 'enterprises',
		campaignId: null,
		fileName: 'x.csv',
		fileBytes: bytes.length,
		fileSha256: sha(bytes),
		tempPath,
		sharedChunks,
		mode: 'all-or-nothing',
		numberFormat: null,
		invite: false,
		status: 'analysed',
		counts: { imported: 0, updated: 0, unchanged: 0, rejected: 0 },
		warnings: [],
		problems: [],
		problemCount: 0,
		message: null,
		createdBy: null,
		createdAt: now,
		updatedAt: now,
		finishedAt: null
	};
}

async function waitForEnd(db: Database, id: string): Promise<ImportDoc> {
	for (let i = 0; i < 200; i++) {
		const imp = (await getImport(db, id))!;
		if (imp.status !== 'running' && imp.status !== 'analysed') return imp;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error('import did not end');
}

describe('uploads shared through the database', () => {
	it('an upload comes back byte for byte on an instance without the temp file', async () => {
		const bytes = randomBytes(2 * UPLOAD_CHUNK_BYTES + 12345);
		const file = await fx.file('up.bin', bytes);
		expect(await shareUpload(fx.db, imp1, file)).toBe(3);
		await rm(file);
		const path = await localUploadFile(fx.db, record(imp1, bytes, 3, file));
		try {
			expect(sha(await readFile(path))).toBe(sha(bytes));
		} finally {
			await rm(path, { force: true });
		}
		await dropSharedUpload(fx.db, imp1);
		expect(await fx.db.collection(C.uploadChunks).countDocuments({ importId: imp1 })).toBe(0);
	});

	it('backups leave the chunks of pending uploads out', async () => {
		await shareUpload(fx.db, imp4, await fx.file('b.bin', randomBytes(100)));
		const manifest = await backupDatabase(fx.db, join(fx.dir, 'backup'));
		expect(Object.keys(manifest.collections)).toContain(C.campaigns);
		expect(Object.keys(manifest.collections)).not.toContain(C.uploadChunks);
	});

	it('uses the local temp file when this instance has it (nothing read from the database)', async () => {
		const bytes = randomBytes(1000);
		const file = await fx.file('local.bin', bytes);
		expect(await localUploadFile(fx.db, record(imp2, bytes, null, file))).toBe(file);
	});

	it('a damaged or missing chunk is refused with a clear message, and leaves no partial file', async () => {
		const bytes = randomBytes(UPLOAD_CHUNK_BYTES + 10);
		const file = await fx.file('dmg.bin', bytes);
		await shareUpload(fx.db, imp3, file);
		await rm(file);
		const chunks = fx.db.collection<UploadChunkDoc>(C.uploadChunks);
		await chunks.updateOne({ _id: `${imp3}:1` }, { $set: { bytes: new Uint8Array(10) } });
		const damaged = await localUploadFile(fx.db, record(imp3, bytes, 2, file)).catch((e: unknown) => e);
		expect(damaged).toBeInstanceOf(ImportRefused);
		expect((damaged as ImportRefused).messages.en).toMatch(/damaged/);
		await expect(stat(`${uploadPath(imp3)}.part`)).rejects.toThrow();
		await expect(stat(uploadPath(imp3))).rejects.toThrow();

		await chunks.deleteOne({ _id: `${imp3}:1` });
		const gone = await localUploadFile(fx.db, record(imp3, bytes, 2, file)).catch((e: unknown) => e);
		expect((gone as ImportRefused).messages.en).toMatch(/no longer on the server/);
		const none = await localUploadFile(fx.db, record(imp4, bytes, null, file)).catch((e: unknown) => e);
		expect(none).toBeInstanceOf(ImportRefused);
	});

	it('MongoDB shares uploads by default, the embedded engine does not; the environment overrides', () => {
		expect(uploadsShared(fx.db)).toBe(false);
		expect(uploadsShared({ ...fx.db, engine: 'mongodb' } as Database)).toBe(true);
		vi.stubEnv('TECHCAP_SHARE_UPLOADS', '1');
		expect(uploadsShared(fx.db)).toBe(true);
		vi.stubEnv('TECHCAP_SHARE_UPLOADS', '0');
		expect(uploadsShared({ ...fx.db, engine: 'mongodb' } as Database)).toBe(false);
	});

	it('an upload analysed on one instance is imported by another that never saw the file', async () => {
		vi.stubEnv('TECHCAP_SHARE_UPLOADS', '1');
		const file = await fx.file(
			'reg.csv',
			'taxCode,name,vsic,ownership,ward\r\n0101234567,Công ty A,2819,private,hoan-kiem\r\n0309876543,Công ty B,2592,fdi,hoan-kiem\r\n'
		);
		const analysis = await analyseImport(fx.db, { kind: 'enterprises', file, fileName: 'reg.csv' });
		expect(analysis.error).toBeNull();
		// The second instance runs on another machine: the first one's temp file is not there.
		await rm(file);
		const other = await openDatabase({ dir: join(fx.dir, 'db') });
		try {
			const imp = (await getImport(other, analysis.importId))!;
			expect(imp.sharedChunks).toBe(1);
			const actor = { id: 'u1', email: 'analyst@example.vn' };
			expect(await startImportJob(other, imp, { mode: 'all-or-nothing', numberFormat: 'auto', actor })).toBe(
				true
			);
			const done = await waitForEnd(other, imp._id);
			expect(done.status).toBe('committed');
			expect(await other.collection<EnterpriseDoc>(C.enterprises).countDocuments({})).toBe(2);
			await vi.waitFor(async () => expect(await other.collection(C.uploadChunks).countDocuments({})).toBe(0));
		} finally {
			await other.close();
		}
	});

	it('a job that dies before recording its outcome is marked failed and finished, not left running', async () => {
		const bytes = new TextEncoder().encode('x\r\n');
		const file = await fx.file('r.csv', 'x\r\n');
		// A responses import of a campaign that does not exist: the job throws before it records anything.
		const imp: ImportDoc = { ...record(newId(), bytes, null, file), kind: 'responses', campaignId: 'gone' };
		await fx.db.collection<ImportDoc>(C.imports).insertOne(imp);
		const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
		const actor = { id: 'u1', email: 'analyst@example.vn' };
		expect(await startImportJob(fx.db, imp, { mode: 'all-or-nothing', numberFormat: 'auto', actor })).toBe(
			true
		);
		const done = await waitForEnd(fx.db, imp._id);
		expect(done.status).toBe('failed');
		expect(done.message?.en).toMatch(/failed and stored nothing/);
		expect(done.finishedAt).toBeInstanceOf(Date);
		quiet.mockRestore();
	});

	it('without a shared copy, a confirmation on an instance without the file fails the import saying why', async () => {
		const file = await fx.file(
			'reg.csv',
			'taxCode,name,vsic,ownership,ward\r\n0101234567,A,2819,private,hoan-kiem\r\n'
		);
		const analysis = await analyseImport(fx.db, { kind: 'enterprises', file, fileName: 'reg.csv' });
		await rm(file);
		const imp = (await getImport(fx.db, analysis.importId))!;
		expect(imp.sharedChunks).toBeNull();
		const actor = { id: 'u1', email: 'analyst@example.vn' };
		expect(await startImportJob(fx.db, imp, { mode: 'all-or-nothing', numberFormat: 'auto', actor })).toBe(
			true
		);
		const done = await waitForEnd(fx.db, imp._id);
		expect(done.status).toBe('failed');
		expect(done.message?.vi).toMatch(/tải tệp lên lại/);
		expect(await fx.db.collection<EnterpriseDoc>(C.enterprises).countDocuments({})).toBe(0);
	});
});
