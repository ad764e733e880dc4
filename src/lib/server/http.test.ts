import { describe, expect, test } from 'vitest';
import { bodySizeLimit, formatBytes, intParam, readJsonBody } from './http';

function req(body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) {
	return new Request('http://x/api', { method: 'PUT', body, headers, duplex: 'half' } as RequestInit);
}

describe('readJsonBody', () => {
	test('parses JSON', async () => {
		expect(await readJsonBody(req('{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
	});

	test('a 10 MB body is refused with 413 without being read whole', async () => {
		const big = '{"data":{"x":"' + 'a'.repeat(10 * 1024 * 1024) + '"}}';
		const out = await readJsonBody(req(big));
		expect(out).toMatchObject({ ok: false, status: 413, code: 'too-large' });
	});

	test('a streamed body without content-length gets 413, read to its end and dropped (a cancel would reset the connection)', async () => {
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
		expect(out).toMatchObject({ ok: false, status: 413, code: 'too-large' });
		expect(sent).toBe(201);
	});

	test("the server's own body limit ending the stream is answered 413 too", async () => {
		let n = 0;
		const stream = new ReadableStream<Uint8Array>({
			pull(ctrl) {
				if (++n > 3) ctrl.error(Object.assign(new Error('Payload Too Large'), { status: 413 }));
				else ctrl.enqueue(new TextEncoder().encode('{"a":'));
			}
		});
		expect(await readJsonBody(req(stream))).toMatchObject({ ok: false, status: 413 });
	});

	test('whole-number query parameters: 1e309, -1, abc and 1.5 are refused with a message', () => {
		const r = { min: 0, max: 100_000, fallback: 0 };
		expect(intParam('page', null, r)).toEqual({ ok: true, value: 0 });
		expect(intParam('page', '', r)).toEqual({ ok: true, value: 0 });
		expect(intParam('page', '12', r)).toEqual({ ok: true, value: 12 });
		for (const bad of ['1e309', '-1', 'abc', '1.5', 'Infinity', '0x10', '100001', '9'.repeat(400)]) {
			const out = intParam('page', bad, r);
			expect(out.ok, bad).toBe(false);
			if (!out.ok) expect(out.message.en).toMatch(/whole number from 0 to 100000/);
		}
	});

	test('BODY_SIZE_LIMIT as adapter-node reads it', () => {
		expect(bodySizeLimit(undefined)).toBe(512 * 1024);
		expect(bodySizeLimit('12M')).toBe(12 * 1024 * 1024);
		expect(bodySizeLimit('512K')).toBe(512 * 1024);
		expect(bodySizeLimit('1000')).toBe(1000);
		expect(formatBytes(12 * 1024 * 1024)).toBe('12 MB');
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
