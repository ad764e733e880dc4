import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { detectDelimiter, readCsv, type HeaderEvent, type RowErrorEvent, type RowEvent } from './read';
import { chunked, collect, collectData } from './test-support';
import { CsvFileError } from './types';

const rowsOf = (ev: Awaited<ReturnType<typeof collect>>) => ev.filter((e): e is RowEvent => e.type === 'row');
const errorsOf = (ev: Awaited<ReturnType<typeof collect>>) =>
	ev.filter((e): e is RowErrorEvent => e.type === 'rowError');
const headerOf = (ev: Awaited<ReturnType<typeof collect>>) =>
	ev.find((e): e is HeaderEvent => e.type === 'header');

async function failure(p: Promise<unknown>): Promise<CsvFileError> {
	try {
		await p;
	} catch (e) {
		if (e instanceof CsvFileError) return e;
		throw e;
	}
	throw new Error('expected a CsvFileError');
}

describe('readCsv', () => {
	it('matches headers case- and whitespace-insensitively and keys records by the canonical name', async () => {
		const ev = await collect(' Tax_Code ,NAME\r\n0101234567,A\r\n', {
			requiredColumns: ['tax_code', 'name']
		});
		expect(headerOf(ev)?.headers).toEqual(['Tax_Code', 'NAME']);
		expect(rowsOf(ev)[0].record).toEqual({ tax_code: '0101234567', name: 'A' });
	});

	it('does not fold accents when matching headers', async () => {
		const e = await failure(collect('ma,ten\r\n1,2\r\n', { requiredColumns: ['mã'] }));
		expect(e.code).toBe('missing_headers');
	});

	it('detects the delimiter honouring quotes', () => {
		expect(detectDelimiter('"a,b,c";d;e\r\n"1,2";3;4\r\n', '\r\n').delimiter).toBe(';');
		expect(detectDelimiter('a,b\tc,d\r\n1,2\t3,4\r\n', '\r\n').delimiter).toBe(',');
		expect(detectDelimiter('single\r\nx\r\n', '\r\n')).toEqual({ delimiter: ',', confident: false });
	});

	it('respects a given delimiter and trims values unless told not to', async () => {
		const ev = await collect('a|b\n x | y \n'.replace(/\|/g, ';'), { delimiter: ';', trimValues: false });
		expect(rowsOf(ev)[0].record).toEqual({ a: ' x ', b: ' y ' });
	});

	it('gives a single-column hint when required headers are missing and nothing split', async () => {
		const e = await failure(collect('tax_code|name\n1|2\n', { requiredColumns: ['tax_code', 'name'] }));
		expect(e.messages.en).toContain('single column');
	});

	it('turns a cell over maxFieldLength into a row error and keeps going', async () => {
		const long = 'x'.repeat(150_000);
		const ev = await collect(`id,text\n1,short\n2,"${long}"\n3,ok\n`, {}, 8192);
		expect(rowsOf(ev).map((r) => r.row)).toEqual([2, 4]);
		const [err] = errorsOf(ev);
		expect(err.row).toBe(3);
		expect(err.column).toBe('text');
		expect(err.message.en).toContain('150,000 characters');
	});

	it('skips a record longer than maxRecordChars without buffering it, then resumes', async () => {
		// 300,000 chars of quoted text with newlines: more than the first (sniffed) chunk.
		const huge = `"${'a,\n'.repeat(100_000)}"`;
		const ev = await collect(
			`mã,text\n1,x\n2,${huge}\n3,"y ""q"""\n`,
			{ maxRecordChars: 5_000, maxFieldLength: 1_000 },
			1024
		);
		expect(rowsOf(ev).map((r) => [r.row, r.record.text])).toEqual([
			[2, 'x'],
			[4, 'y "q"']
		]);
		expect(errorsOf(ev).map((e) => e.row)).toEqual([3]);
		expect(errorsOf(ev)[0].message.en).toContain('longer than 5,000 characters');
	});

	it('reports an unclosed quote in a long file as one error at its row', async () => {
		const body = Array.from({ length: 2000 }, (_, i) => `${i},v${i}`).join('\n');
		const ev = await collect(`id,text\n1,"open\n${body}\n`, { maxRecordChars: 4_000 }, 512);
		const errs = errorsOf(ev);
		expect(errs).toHaveLength(1);
		expect(errs[0].row).toBe(2);
		expect(errs[0].message.en).toContain('never closed');
	});

	it('reports a malformed closing quote', async () => {
		const ev = await collect('id,text\n1,ok\n2,"bad"x\n');
		expect(rowsOf(ev).map((r) => r.row)).toEqual([2]);
		expect(errorsOf(ev).map((e) => e.row)).toEqual([3]);
	});

	it('enforces maxRows and maxBytes', async () => {
		const csv = 'a\n' + '1\n'.repeat(10);
		expect((await failure(collect(csv, { maxRows: 5 }))).code).toBe('too_many_rows');
		expect((await collect(csv, { maxRows: 10 })).length).toBeGreaterThan(10);
		expect((await failure(collect(csv, { maxBytes: 10 }, 4))).code).toBe('file_too_large');
	});

	it('drops the CR of a stray CRLF line in an LF file', async () => {
		const ev = await collect('a,b\n1,2\r\n3,4\n');
		expect(rowsOf(ev).map((r) => r.record.b)).toEqual(['2', '4']);
	});

	it('warns about unnamed columns and ignores them', async () => {
		const ev = await collect('a,,b\n1,zz,2\n');
		expect(headerOf(ev)?.warnings.map((w) => w.code)).toEqual(['unnamed_columns']);
		expect(rowsOf(ev)[0].record).toEqual({ a: '1', b: '2' });
	});

	it('reports progress in bytes and pulls the source lazily (back-pressure)', async () => {
		const body = Array.from({ length: 200_000 }, (_, i) => `${i},value${i}`).join('\n') + '\n';
		for (const [head, limit] of [
			['mã,v\n', 80 * 1024], // non-ASCII seen at once: only the 64 KiB sniff is read ahead
			['id,v\n', 1024 * 1024 + 16 * 1024] // pure ASCII: the sniff extends to 1 MiB looking for non-ASCII
		] as const) {
			const bytes = new TextEncoder().encode(head + body);
			let pulled = 0;
			async function* source() {
				for await (const c of chunked(bytes, 16 * 1024)) {
					pulled += c.byteLength;
					yield c;
				}
			}
			let firstRowPulled = -1;
			let lastProgress = 0;
			for await (const e of readCsv(source())) {
				if (e.type === 'row' && firstRowPulled < 0) firstRowPulled = pulled;
				if (e.type === 'progress') {
					expect(e.bytes).toBeGreaterThanOrEqual(lastProgress);
					lastProgress = e.bytes;
				}
			}
			expect(firstRowPulled).toBeGreaterThan(0);
			expect(firstRowPulled).toBeLessThanOrEqual(limit);
			expect(lastProgress).toBe(bytes.byteLength);
		}
	});

	it('gives the same events whatever the chunk size', async () => {
		const csv = '\uFEFFmã,tên\r\n1,"Nguyễn ""A""\r\nB"\r\n2,Đà Nẵng\r\n\r\n';
		const ref = await collectData(csv, {}, 1 << 20);
		for (const size of [1, 2, 3, 5, 13]) expect(await collectData(csv, {}, size)).toEqual(ref);
		expect(rowsOf(ref).map((r) => r.record['tên'])).toEqual(['Nguyễn "A"\r\nB', 'Đà Nẵng']);
	});
});

describe('readCsv encodings', () => {
	it('fails clearly on invalid UTF-8 found after the sniffed start', async () => {
		const head =
			'id,name\n' + Array.from({ length: 3000 }, (_, i) => `${i},Nguyễn Văn ${i}`).join('\n') + '\n';
		const enc = new TextEncoder().encode(head);
		const bad = new Uint8Array([...enc, ...new TextEncoder().encode('9999,'), 0xc3, 0x28, 0x0a]);
		expect(enc.byteLength).toBeGreaterThan(64 * 1024);
		const seen: number[] = [];
		const e = await failure(
			(async () => {
				for await (const ev of readCsv(chunked(bad, 4096))) if (ev.type === 'row') seen.push(ev.row);
			})()
		);
		expect(e.code).toBe('invalid_utf8');
		expect(e.messages.en).toContain('not valid UTF-8');
		expect(seen.length).toBeGreaterThan(100);
	});

	it('refuses an unrecognisable 8-bit file unless the caller chooses Windows-1258', async () => {
		// Latin-1 symbols that read as nothing Vietnamese either way.
		const bytes = new Uint8Array([...Buffer.from('a,b\n1,'), 0xa4, 0xa4, 0xbf, 0x20, 0xd7, 0xd7, 0xd9, 0x0a]);
		expect((await failure(collect(bytes))).code).toBe('unknown_encoding');
		const ev = await collect(bytes, { encoding: 'windows-1258' });
		expect(headerOf(ev)?.encoding).toBe('windows-1258');
		expect(headerOf(ev)?.warnings[0].code).toBe('converted_windows_1258');
		expect(rowsOf(ev)[0].record.b).toBe(
			iconv.decode(Buffer.from([0xa4, 0xa4, 0xbf, 0x20, 0xd7, 0xd7, 0xd9]), 'windows-1258')
		);
	});

	it('reads UTF-16 LE without BOM with a warning', async () => {
		const bytes = new Uint8Array(Buffer.from('a,b\r\n1,Hà Nội\r\n', 'utf16le'));
		const ev = await collect(bytes, {}, 3);
		expect(headerOf(ev)?.encoding).toBe('utf-16le');
		expect(headerOf(ev)?.warnings.map((w) => w.code)).toEqual(['utf16_without_bom']);
		expect(rowsOf(ev)[0].record.b).toBe('Hà Nội');
	});

	it('refuses binary data', async () => {
		expect((await failure(collect(new Uint8Array([1, 0, 2, 0, 0, 0, 3, 9, 0, 0])))).code).toBe('not_csv');
	});
});
