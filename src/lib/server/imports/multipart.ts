/**
 * A streaming multipart/form-data reader for one upload: small text fields are kept, the file part
 * is written to a temp file as it arrives, so a 200 MB CSV never sits in memory (SvelteKit's
 * `request.formData()` would buffer it whole).
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';

export class UploadError extends Error {
	constructor(readonly messages: { vi: string; en: string }) {
		super(messages.en);
		this.name = 'UploadError';
	}
}

export interface Upload {
	fields: Record<string, string>;
	file: { path: string; name: string; bytes: number } | null;
}

const MAX_FIELD = 64 * 1024;
const CRLF2 = Buffer.from('\r\n\r\n');

/**
 * Reads `body` (a multipart/form-data stream with the given Content-Type) and writes the first file
 * part to `filePath`. Throws UploadError when the body is malformed or the file exceeds `maxBytes`.
 */
export async function readUpload(
	body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
	contentType: string,
	filePath: string,
	maxBytes: number
): Promise<Upload> {
	const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	if (!/^multipart\/form-data/i.test(contentType) || !m)
		throw new UploadError({
			vi: 'Yêu cầu không phải biểu mẫu tải tệp.',
			en: 'The request is not a file upload form.'
		});
	const delimiter = Buffer.from(`\r\n--${m[1] ?? m[2]}`);
	const fields: Record<string, string> = {};
	let file: Upload['file'] = null;
	// Prepending CRLF lets the first boundary be found like every other one.
	let buf = Buffer.from('\r\n');
	let state: 'preamble' | 'headers' | 'body' | 'done' = 'preamble';
	let part: { name: string; filename: string | null; chunks: Buffer[]; size: number } | null = null;
	let out: ReturnType<typeof createWriteStream> | null = null;
	let fileBytes = 0;

	const write = async (data: Buffer) => {
		if (!part || data.length === 0) return;
		part.size += data.length;
		if (part.filename !== null && out) {
			fileBytes += data.length;
			if (fileBytes > maxBytes)
				throw new UploadError({
					vi: `Tệp lớn hơn giới hạn ${Math.round(maxBytes / 1e6)} MB.`,
					en: `The file is larger than the limit of ${Math.round(maxBytes / 1e6)} MB.`
				});
			if (!out.write(data)) await new Promise<void>((r) => out!.once('drain', r));
		} else {
			if (part.size > MAX_FIELD)
				throw new UploadError({ vi: 'Trường biểu mẫu quá dài.', en: 'A form field is too long.' });
			part.chunks.push(data);
		}
	};
	const endPart = async () => {
		if (!part) return;
		if (part.filename !== null && out) {
			const o = out;
			out = null;
			await new Promise<void>((r, j) => o.end((e?: Error | null) => (e ? j(e) : r())));
			file = { path: filePath, name: part.filename, bytes: fileBytes };
		} else if (part.filename === null) fields[part.name] = Buffer.concat(part.chunks).toString('utf8');
		part = null;
	};

	const source: AsyncIterable<Uint8Array> =
		Symbol.asyncIterator in body
			? (body as AsyncIterable<Uint8Array>)
			: streamIterator(body as ReadableStream<Uint8Array>);
	try {
		for await (const chunk of source) {
			buf = buf.length ? Buffer.concat([buf, Buffer.from(chunk)]) : Buffer.from(chunk);
			for (;;) {
				if (state === 'preamble' || state === 'body') {
					const i = buf.indexOf(delimiter);
					if (i === -1) {
						// Keep a tail that may hold the start of the delimiter.
						const keep = Math.min(buf.length, delimiter.length);
						if (state === 'body') await write(buf.subarray(0, buf.length - keep));
						buf = Buffer.from(buf.subarray(buf.length - keep));
						break;
					}
					if (state === 'body') await write(buf.subarray(0, i));
					await endPart();
					const after = buf.subarray(i + delimiter.length);
					if (after.length < 2) {
						buf = Buffer.from(buf.subarray(i));
						break;
					}
					if (after[0] === 45 && after[1] === 45) {
						state = 'done';
						break;
					}
					buf = Buffer.from(after);
					state = 'headers';
				}
				if (state === 'headers') {
					const j = buf.indexOf(CRLF2);
					if (j === -1) {
						if (buf.length > MAX_FIELD)
							throw new UploadError({
								vi: 'Phần đầu biểu mẫu không hợp lệ.',
								en: 'Malformed form part headers.'
							});
						break;
					}
					const headers = buf.subarray(0, j).toString('utf8');
					buf = Buffer.from(buf.subarray(j + 4));
					const disp = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
					const name = /\bname="([^"]*)"/i.exec(disp)?.[1] ?? '';
					const fn = /\bfilename="([^"]*)"/i.exec(disp);
					const isFile = fn !== null && file === null && out === null;
					part = { name, filename: isFile ? fn[1] || 'upload.csv' : fn ? '' : null, chunks: [], size: 0 };
					if (isFile) {
						out = createWriteStream(filePath);
						fileBytes = 0;
					} else if (fn) part = { name, filename: '', chunks: [], size: 0 }; // a second file: ignored
					state = 'body';
				}
			}
			if (state === 'done') break;
		}
		if (state !== 'done')
			throw new UploadError({ vi: 'Tệp tải lên bị gián đoạn.', en: 'The upload was cut short.' });
	} catch (e) {
		const o = out as ReturnType<typeof createWriteStream> | null;
		o?.destroy();
		await rm(filePath, { force: true });
		throw e;
	}
	return { fields, file };
}

async function* streamIterator(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
	const reader = stream.getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			yield value;
		}
	} finally {
		reader.releaseLock();
	}
}
