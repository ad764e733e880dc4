/**
 * Reads one upload (multipart/form-data) with busboy, the maintained streaming parser: small text
 * fields are kept, the first file part is written to a temp file as it arrives, so a 200 MB CSV
 * never sits in memory (SvelteKit's `request.formData()` would buffer it whole).
 */
import busboy from 'busboy';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

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
const MAX_FIELDS = 50;

const notAForm = () =>
	new UploadError({
		vi: 'Yêu cầu không phải biểu mẫu tải tệp.',
		en: 'The request is not a file upload form.'
	});
const tooLarge = (maxBytes: number) =>
	new UploadError({
		vi: `Tệp lớn hơn giới hạn ${Math.round(maxBytes / 1e6)} MB.`,
		en: `The file is larger than the limit of ${Math.round(maxBytes / 1e6)} MB.`
	});
const fieldTooLong = () =>
	new UploadError({ vi: 'Trường biểu mẫu quá dài.', en: 'A form field is too long.' });
const cutShort = () => new UploadError({ vi: 'Tệp tải lên bị gián đoạn.', en: 'The upload was cut short.' });

/**
 * Reads `body` (a multipart/form-data stream with the given Content-Type) and writes the first file
 * part to `filePath`. Throws UploadError when the body is malformed or the file exceeds `maxBytes`
 * (the partial file is then removed).
 */
export async function readUpload(
	body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
	contentType: string,
	filePath: string,
	maxBytes: number
): Promise<Upload> {
	if (!/^multipart\/form-data/i.test(contentType)) throw notAForm();
	let parser: busboy.Busboy;
	try {
		parser = busboy({
			headers: { 'content-type': contentType },
			limits: { fileSize: maxBytes, files: 1, fieldSize: MAX_FIELD, fields: MAX_FIELDS },
			defParamCharset: 'utf8'
		});
	} catch {
		throw notAForm(); // no boundary
	}
	// An error of the body itself (e.g. the server's body size limit) is the caller's to answer,
	// not a malformed form: remember it and throw it as it is.
	let bodyError: unknown = null;
	async function* chunks(): AsyncGenerator<Uint8Array> {
		try {
			if (Symbol.asyncIterator in body) yield* body as AsyncIterable<Uint8Array>;
			else {
				const reader = (body as ReadableStream<Uint8Array>).getReader();
				for (;;) {
					const { done, value } = await reader.read();
					if (done) return;
					yield value;
				}
			}
		} catch (e) {
			bodyError = e;
			throw e;
		}
	}
	const input = Readable.from(chunks());
	const fields: Record<string, string> = {};
	let file: Upload['file'] = null;
	let failure: UploadError | null = null;
	const writes: Promise<void>[] = [];

	parser.on('field', (name, value, info) => {
		if (info.valueTruncated) failure ??= fieldTooLong();
		else fields[name] = value;
	});
	parser.on('file', (_name, stream, info) => {
		let bytes = 0;
		stream.on('data', (d: Buffer) => (bytes += d.length));
		stream.on('limit', () => {
			// No need to read the rest of a file that is refused anyway.
			failure ??= tooLarge(maxBytes);
			input.destroy(failure);
		});
		writes.push(
			pipeline(stream, createWriteStream(filePath)).then(() => {
				if (!stream.truncated) file = { path: filePath, name: info.filename || 'upload.csv', bytes };
			})
		);
	});

	try {
		await pipeline(input, parser).catch((e: unknown) => {
			throw (
				failure ??
				bodyError ??
				(/Unexpected end of form|Malformed/i.test(String(e)) ? cutShort() : notAForm())
			);
		});
		await Promise.all(writes);
		if (failure) throw failure;
	} catch (e) {
		await Promise.allSettled(writes);
		await rm(filePath, { force: true });
		throw e instanceof UploadError || e === bodyError ? e : cutShort();
	}
	return { fields, file };
}
