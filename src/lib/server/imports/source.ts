/** Files in and out of an import: streamed reads, size and SHA-256, temp files for uploads. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The file as 64 KiB chunks (readCsv pulls them, so back-pressure is natural). */
export async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
	const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
	try {
		for await (const chunk of stream) yield chunk as Buffer;
	} finally {
		stream.destroy();
	}
}

export async function fileInfo(path: string): Promise<{ bytes: number; sha256: string }> {
	const { size } = await stat(path);
	const hash = createHash('sha256');
	for await (const chunk of fileChunks(path)) hash.update(chunk);
	return { bytes: size, sha256: hash.digest('hex') };
}

export const UPLOAD_PREFIX = 'techcap-upload-';

export function uploadPath(id: string): string {
	return join(tmpdir(), `${UPLOAD_PREFIX}${id}.csv`);
}

/** Removes uploads and staging files left by imports that were never confirmed or were killed. */
export async function removeStaleTempFiles(maxAgeMs = 24 * 3600 * 1000): Promise<number> {
	let removed = 0;
	const dir = tmpdir();
	for (const name of await readdir(dir).catch(() => [] as string[])) {
		if (!name.startsWith(UPLOAD_PREFIX) && !name.startsWith('techcap-import-')) continue;
		const p = join(dir, name);
		const s = await stat(p).catch(() => null);
		if (s && Date.now() - s.mtimeMs > maxAgeMs) {
			await rm(p, { force: true });
			removed++;
		}
	}
	return removed;
}
