import { describe, expect, it } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { acceptedEncoding, compressHtml } from './compress';

const page = '<!doctype html><html><body>' + 'Câu trả lời của doanh nghiệp. '.repeat(200) + '</body></html>';
const req = (enc: string | null, method = 'GET') =>
	new Request('http://x/enterprise', { method, headers: enc === null ? {} : { 'accept-encoding': enc } });
const html = (body = page, headers: Record<string, string> = {}) =>
	new Response(body, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...headers } });

describe('acceptedEncoding', () => {
	it('prefers brotli, then gzip; q=0 refuses', () => {
		expect(acceptedEncoding('gzip, deflate, br, zstd')).toBe('br');
		expect(acceptedEncoding('gzip;q=0.8, br;q=0')).toBe('gzip');
		expect(acceptedEncoding('identity')).toBeNull();
		expect(acceptedEncoding(null)).toBeNull();
	});
});

describe('compressHtml', () => {
	it('compresses a page the browser accepts in brotli or gzip, losslessly', async () => {
		const b = await compressHtml(req('gzip, br'), html());
		expect(b.headers.get('content-encoding')).toBe('br');
		expect(b.headers.get('vary')).toContain('Accept-Encoding');
		const packed = Buffer.from(await b.arrayBuffer());
		expect(packed.length).toBeLessThan(Buffer.byteLength(page) / 5);
		expect(brotliDecompressSync(packed).toString('utf8')).toBe(page);
		const g = await compressHtml(req('gzip'), html());
		expect(g.headers.get('content-encoding')).toBe('gzip');
		expect(gunzipSync(Buffer.from(await g.arrayBuffer())).toString('utf8')).toBe(page);
	});

	it('leaves alone what it must not touch', async () => {
		for (const [r, res] of [
			[req(null), html()],
			[req('br', 'HEAD'), html()],
			[req('br'), new Response(page, { headers: { 'content-type': 'application/json' } })],
			[req('br'), html(page, { 'content-encoding': 'gzip' })]
		] as const) {
			const out = await compressHtml(r, res);
			expect(out).toBe(res);
		}
		const small = await compressHtml(req('br'), html('<p>ok</p>'));
		expect(small.headers.get('content-encoding')).toBeNull();
		expect(await small.text()).toBe('<p>ok</p>');
	});

	it('keeps the status and the other headers', async () => {
		const res = new Response(page, {
			status: 404,
			headers: { 'content-type': 'text/html', 'x-frame-options': 'DENY', 'set-cookie': 'a=b' }
		});
		const out = await compressHtml(req('br'), res);
		expect(out.status).toBe(404);
		expect(out.headers.get('x-frame-options')).toBe('DENY');
		expect(out.headers.get('set-cookie')).toBe('a=b');
	});
});
