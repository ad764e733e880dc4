import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readUpload, UploadError } from './multipart';

const dirs: string[] = [];
afterAll(async () => {
	for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function body(form: FormData, chunk = 7) {
	const req = new Request('http://x/', { method: 'POST', body: form });
	const bytes = new Uint8Array(await req.arrayBuffer());
	async function* chunks() {
		for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
	}
	return { type: req.headers.get('content-type')!, chunks };
}

describe('readUpload', () => {
	it('streams the file part to disk in tiny chunks and keeps the fields', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'mp-'));
		dirs.push(dir);
		const content = 'a,b\r\n1,"x\r\n--y"\r\n'.repeat(500) + 'Tiếng Việt';
		const form = new FormData();
		form.set('kind', 'responses');
		form.set('file', new File([content], 'đáp án.csv', { type: 'text/csv' }));
		form.set('campaignId', 'c1');
		const b = await body(form);
		const up = await readUpload(b.chunks(), b.type, join(dir, 'f.csv'), 1e6);
		expect(up.fields).toEqual({ kind: 'responses', campaignId: 'c1' });
		expect(up.file?.bytes).toBe(Buffer.byteLength(content));
		expect(await readFile(join(dir, 'f.csv'), 'utf8')).toBe(content);
	});

	it('refuses files over the limit and removes the partial file', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'mp-'));
		dirs.push(dir);
		const form = new FormData();
		form.set('file', new File(['x'.repeat(5000)], 'big.csv'));
		const b = await body(form, 1000);
		await expect(readUpload(b.chunks(), b.type, join(dir, 'g.csv'), 1000)).rejects.toBeInstanceOf(
			UploadError
		);
		await expect(readFile(join(dir, 'g.csv'))).rejects.toThrow();
		await expect(readUpload(b.chunks(), 'application/json', join(dir, 'h.csv'), 1000)).rejects.toThrow(
			/not a file upload/
		);
	});

	it('refuses a body cut short and an over-long field, naming the problem, and keeps no file', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'mp-'));
		dirs.push(dir);
		const form = new FormData();
		form.set('file', new File(['a,b\r\n1,2\r\n'.repeat(200)], 'x.csv'));
		const b = await body(form, 64);
		const all: Uint8Array[] = [];
		for await (const c of b.chunks()) all.push(c);
		async function* cut() {
			yield* all.slice(0, all.length - 3);
		}
		await expect(readUpload(cut(), b.type, join(dir, 'cut.csv'), 1e6)).rejects.toThrow(/cut short/);
		await expect(readFile(join(dir, 'cut.csv'))).rejects.toThrow();

		const long = new FormData();
		long.set('kind', 'x'.repeat(70 * 1024));
		const lb = await body(long, 4096);
		await expect(readUpload(lb.chunks(), lb.type, join(dir, 'l.csv'), 1e6)).rejects.toThrow(
			/field is too long/
		);
		await expect(readUpload(lb.chunks(), 'multipart/form-data', join(dir, 'l.csv'), 1e6)).rejects.toThrow(
			/not a file upload/
		);
	});

	it("passes an error of the body itself (the server's size limit) through unchanged", async () => {
		const dir = await mkdtemp(join(tmpdir(), 'mp-'));
		dirs.push(dir);
		const form = new FormData();
		form.set('file', new File(['x'.repeat(5000)], 'x.csv'));
		const b = await body(form, 1000);
		const limit = Object.assign(new Error('Content-length exceeds limit'), { status: 413 });
		async function* failing() {
			let n = 0;
			for await (const c of b.chunks()) {
				if (++n === 3) throw limit;
				yield c;
			}
		}
		await expect(readUpload(failing(), b.type, join(dir, 'b.csv'), 1e6)).rejects.toBe(limit);
		await expect(readFile(join(dir, 'b.csv'))).rejects.toThrow();
	});
});
