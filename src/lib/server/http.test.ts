import { describe, expect, test } from 'vitest';
import { readJsonBody } from './http';

function req(body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) {
	return new Request('http://x/api', { method: 'PUT', body, headers, duplex: 'half' } as RequestInit);
}

describe('readJsonBody', () => {
	test('parses JSON', async () => {
		expect(await readJsonBody(req('{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
	});

	test('a 10 MB body is refused with 422 without being read whole', async () => {
		const big = '{"data":{"x":"' + 'a'.repeat(10 * 1024 * 1024) + '"}}';
		const out = await readJsonBody(req(big));
		expect(out).toMatchObject({ ok: false, status: 422, code: 'too-large' });
	});

	test('a streamed body without content-length is cut off at the limit', async () => {
		const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
		let sent = 0;
		const stream = new ReadableStream<Uint8Array>({
			pull(ctrl) {
				sent++;
				if (sent > 200) ctrl.close();
				else ctrl.enqueue(chunk);
			}
		});
		const out = await readJsonBody(req(stream));
		expect(out).toMatchObject({ ok: false, status: 422, code: 'too-large' });
		expect(sent).toBeLessThan(20);
	});

	test('invalid UTF-8, invalid JSON and the wrong content type are refused clearly', async () => {
		expect(await readJsonBody(req(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))).toMatchObject({
			ok: false,
			status: 400
		});
		expect(await readJsonBody(req('{nope'))).toMatchObject({ ok: false, status: 400 });
		expect(await readJsonBody(req('{}', { 'content-type': 'text/plain' }))).toMatchObject({
			ok: false,
			status: 415
		});
	});
});
