/**
 * Reading request bodies safely: a hard byte limit enforced while streaming (a 10 MB body is refused
 * without being held in memory), UTF-8 that must be valid, and JSON that must parse. Everything a
 * caller gets back is plain JSON data; what it means is checked by the use case.
 */
export const MAX_JSON_BODY = 512 * 1024;

export type BodyResult =
	| { ok: true; value: unknown }
	| { ok: false; status: 400 | 413 | 415 | 422; code: string; message: { vi: string; en: string } };

export async function readJsonBody(request: Request, maxBytes = MAX_JSON_BODY): Promise<BodyResult> {
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/json\b/i.test(type))
		return {
			ok: false,
			status: 415,
			code: 'unsupported-media-type',
			message: {
				vi: 'Yêu cầu phải có Content-Type: application/json.',
				en: 'Send Content-Type: application/json.'
			}
		};
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (Number.isFinite(declared) && declared > maxBytes) return tooLarge(maxBytes);
	if (!request.body) return invalid('empty body');
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > maxBytes) {
				// Read the rest and drop it rather than cancel: cancelling makes adapter-node destroy
				// the socket, and a chunked upload (no Content-Length) would get a reset, not an
				// answer. The server's BODY_SIZE_LIMIT still bounds what is read.
				await drain(reader);
				return tooLarge(maxBytes);
			}
			chunks.push(value);
		}
	} catch (e) {
		// The server's own body limit (BODY_SIZE_LIMIT) ended the stream: the same answer.
		if (bodyStatus(e) === 413) return tooLarge(maxBytes);
		throw e;
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
	} catch {
		return invalid('the body is not valid UTF-8');
	}
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return invalid('the body is not valid JSON');
	}
}

/** Reads a stream to its end, discarding it; errors end the reading quietly. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
	try {
		for (;;) if ((await reader.read()).done) return;
	} catch {
		/* the server's body limit ended it */
	}
}

/** The HTTP status carried by an error SvelteKit raises while reading a body (413 over the limit). */
export function bodyStatus(e: unknown): number | null {
	const status = (e as { status?: unknown } | null)?.status;
	return typeof status === 'number' ? status : null;
}

function tooLarge(maxBytes: number): BodyResult {
	return {
		ok: false,
		status: 413,
		code: 'too-large',
		message: {
			vi: `Dữ liệu gửi lên quá lớn (tối đa ${Math.round(maxBytes / 1024)} KB).`,
			en: `The request body is too large (at most ${Math.round(maxBytes / 1024)} KB).`
		}
	};
}

function invalid(why: string): BodyResult {
	return {
		ok: false,
		status: 400,
		code: 'bad-request',
		message: { vi: 'Dữ liệu gửi lên không hợp lệ.', en: `Invalid request: ${why}.` }
	};
}

/** adapter-node's BODY_SIZE_LIMIT in bytes (`512K`, `12M`, `1G` or a number; default 512K). */
export function bodySizeLimit(raw: string | undefined = process.env.BODY_SIZE_LIMIT): number {
	const m = /^\s*(\d+(?:\.\d+)?)\s*([KMG]?)B?\s*$/i.exec(raw ?? '');
	if (!m) return 512 * 1024;
	const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G'];
	return Math.round(Number(m[1]) * unit);
}

/** "12 MB" / "512 KB": a byte limit as people read it. */
export function formatBytes(n: number): string {
	if (n >= 1024 ** 2) return `${Math.round((n / 1024 ** 2) * 10) / 10} MB`;
	return `${Math.max(1, Math.round(n / 1024))} KB`;
}

export type ParamResult = { ok: true; value: number } | { ok: false; message: { vi: string; en: string } };

/**
 * A whole-number query parameter (a page number, a year): digits only, within [min, max]; absent
 * or empty gives `fallback`. `1e309`, `-1`, `abc`, `1.5` are refused with a message, so the
 * caller answers 400 instead of computing with Infinity or NaN.
 */
export function intParam(
	name: string,
	raw: string | null,
	range: { min: number; max: number; fallback: number }
): ParamResult {
	if (raw === null || raw.trim() === '') return { ok: true, value: range.fallback };
	const s = raw.trim();
	const value = /^\d{1,9}$/.test(s) ? Number(s) : NaN;
	if (Number.isInteger(value) && value >= range.min && value <= range.max) return { ok: true, value };
	const shown = s.slice(0, 20);
	return {
		ok: false,
		message: {
			vi: `Tham số "${name}" = "${shown}" không hợp lệ: phải là số nguyên từ ${range.min} đến ${range.max}.`,
			en: `Parameter "${name}" = "${shown}" is not valid: it must be a whole number from ${range.min} to ${range.max}.`
		}
	};
}
