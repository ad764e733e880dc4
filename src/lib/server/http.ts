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
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await reader.cancel().catch(() => {});
			return tooLarge(maxBytes);
		}
		chunks.push(value);
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

function tooLarge(maxBytes: number): BodyResult {
	return {
		ok: false,
		status: 422,
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
