/**
 * An upload waiting for confirmation, reachable by every app instance.
 *
 * The UI imports in two requests: the upload is analysed (preview, mapping), then confirmed. Behind
 * a load balancer the confirmation can reach another instance than the upload did. Instances of
 * the embedded engine share one machine and so one temp folder; MongoDB instances may not, so
 * there the analysed upload is also kept in the database (`C.uploadChunks`, 1 MiB per document,
 * removed when the import ends or after a day by a TTL index) and the confirming instance writes
 * it back to its own temp folder, checked against the SHA-256 taken at upload.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import type { Database } from '../db/types';
import { C, type ImportDoc, type UploadChunkDoc } from '../db/schema';
import { fileChunks, uploadPath } from './source';
import { ImportRefused } from './types';

export const UPLOAD_CHUNK_BYTES = 1 << 20;

/** Whether uploads go to the database too: MongoDB by default; TECHCAP_SHARE_UPLOADS=1/0 overrides. */
export function uploadsShared(db: Database): boolean {
	const v = process.env.TECHCAP_SHARE_UPLOADS;
	if (v === '1' || v === '0') return v === '1';
	return db.engine === 'mongodb';
}

/** Stores `file` as the chunks of import `importId`; returns how many. */
export async function shareUpload(db: Database, importId: string, file: string): Promise<number> {
	const chunks = db.collection<UploadChunkDoc>(C.uploadChunks);
	const createdAt = new Date();
	let n = 0;
	let pending: Uint8Array[] = [];
	let size = 0;
	const put = async () => {
		if (size === 0) return;
		await chunks.insertOne({
			_id: `${importId}:${n}`,
			importId,
			n,
			bytes: Buffer.concat(pending, size),
			createdAt
		});
		n++;
		pending = [];
		size = 0;
	};
	for await (const chunk of fileChunks(file)) {
		let c = chunk;
		while (c.length) {
			const take = Math.min(c.length, UPLOAD_CHUNK_BYTES - size);
			pending.push(c.subarray(0, take));
			size += take;
			c = c.subarray(take);
			if (size === UPLOAD_CHUNK_BYTES) await put();
		}
	}
	await put();
	return n;
}

/** MongoDB gives binary fields back as BSON Binary, the embedded engine as bytes. */
function bytesOf(v: unknown): Uint8Array {
	if (v instanceof Uint8Array) return v;
	const inner = (v as { buffer?: unknown } | null)?.buffer;
	if (inner instanceof Uint8Array) return inner;
	throw new Error('upload chunk without bytes');
}

const GONE = {
	vi: 'Tệp tải lên không còn trên máy chủ (quá một ngày chưa xác nhận, hoặc máy chủ đã khởi động lại). Hãy tải tệp lên lại.',
	en: 'The uploaded file is no longer on the server (not confirmed within a day, or the server restarted). Upload the file again.'
};

/**
 * A path on this instance holding the import's upload: its temp file when this instance has it,
 * else one written from the shared chunks. Throws ImportRefused when neither exists, or when
 * what was rebuilt is not the file that was uploaded.
 */
export async function localUploadFile(db: Database, imp: ImportDoc): Promise<string> {
	if (imp.tempPath) {
		const s = await stat(imp.tempPath).catch(() => null);
		if (s && s.size === imp.fileBytes) return imp.tempPath;
	}
	const count = imp.sharedChunks ?? 0;
	if (count === 0) throw new ImportRefused(GONE);
	const chunks = db.collection<UploadChunkDoc>(C.uploadChunks);
	const path = uploadPath(imp._id);
	const partial = `${path}.part`;
	const out = createWriteStream(partial);
	const hash = createHash('sha256');
	try {
		for (let n = 0; n < count; n++) {
			// One chunk at a time: a 200 MB upload never sits in memory.
			const chunk = await chunks.findOne({ _id: `${imp._id}:${n}` });
			if (!chunk) throw new ImportRefused(GONE);
			const bytes = bytesOf(chunk.bytes);
			hash.update(bytes);
			if (!out.write(bytes)) await new Promise<void>((r) => out.once('drain', () => r()));
		}
		await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
		if (hash.digest('hex') !== imp.fileSha256)
			throw new ImportRefused({
				vi: 'Tệp tải lên lưu trên máy chủ không còn nguyên vẹn. Hãy tải tệp lên lại.',
				en: 'The stored upload is not the file that was uploaded (damaged). Upload the file again.'
			});
		await rename(partial, path);
		return path;
	} catch (e) {
		out.destroy();
		await rm(partial, { force: true });
		throw e;
	}
}

export async function dropSharedUpload(db: Database, importId: string): Promise<void> {
	await db.collection<UploadChunkDoc>(C.uploadChunks).deleteMany({ importId });
}
