/**
 * Pages rendered by the server are compressed here: adapter-node serves the built assets
 * precompressed but sends rendered HTML as it is, and a questionnaire page carries its
 * questionnaire (tens of kilobytes of bilingual JSON) inline. Brotli when the browser accepts it,
 * else gzip; small or already encoded responses are left alone.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const br = promisify(brotliCompress);
const gz = promisify(gzip);
/** Below this a compressed body saves less than a packet. */
const MIN_BYTES = 1400;

/** Which encoding the request accepts, by preference (q=0 refuses one). */
export function acceptedEncoding(header: string | null): 'br' | 'gzip' | null {
	const accepted = new Set<string>();
	for (const part of (header ?? '').toLowerCase().split(',')) {
		const [name, ...params] = part.trim().split(';');
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		if (name && !(q && Number(q.slice(2)) === 0)) accepted.add(name.trim());
	}
	if (accepted.has('br')) return 'br';
	if (accepted.has('gzip')) return 'gzip';
	return null;
}

export async function compressHtml(request: Request, response: Response): Promise<Response> {
	const type = response.headers.get('content-type') ?? '';
	if (!type.startsWith('text/html') || response.headers.has('content-encoding') || !response.body)
		return response;
	if (request.method === 'HEAD') return response;
	const encoding = acceptedEncoding(request.headers.get('accept-encoding'));
	if (!encoding) return response;
	const body = Buffer.from(await response.arrayBuffer());
	const headers = new Headers(response.headers);
	headers.append('vary', 'Accept-Encoding');
	if (body.length < MIN_BYTES) return new Response(body, { status: response.status, headers });
	const packed =
		encoding === 'br'
			? await br(body, {
					params: {
						// Fast enough per request, most of the gain of the slowest settings.
						[constants.BROTLI_PARAM_QUALITY]: 5,
						[constants.BROTLI_PARAM_SIZE_HINT]: body.length
					}
				})
			: await gz(body, { level: 6 });
	headers.set('content-encoding', encoding);
	headers.set('content-length', String(packed.length));
	return new Response(new Uint8Array(packed), {
		status: response.status,
		statusText: response.statusText,
		headers
	});
}
