/** A ~50 MB CSV generated on the fly is read with bounded memory. */
import { describe, expect, it } from 'vitest';
import { readCsv } from './read';

const COLUMNS = 20;
const TARGET_BYTES = 50 * 1024 * 1024;

async function* generate(): AsyncGenerator<Uint8Array> {
	const enc = new TextEncoder();
	const header = Array.from({ length: COLUMNS }, (_, i) => `q${i}`).join(';');
	yield enc.encode('\uFEFF' + header + '\r\n');
	let bytes = 0;
	let row = 0;
	while (bytes < TARGET_BYTES) {
		const lines: string[] = [];
		for (let k = 0; k < 500; k++, row++)
			lines.push(
				Array.from({ length: COLUMNS }, (_, i) =>
					i === 0
						? String(row).padStart(10, '0')
						: i === 1
							? `"Công ty ${row}; ""số"" ${row}\r\nchi nhánh"`
							: `${(row * i) % 1000},5`
				).join(';')
			);
		const chunk = enc.encode(lines.join('\r\n') + '\r\n');
		bytes += chunk.byteLength;
		yield chunk;
	}
}

describe('streaming', () => {
	it('reads ~50 MB with RSS growth under 150 MB', async () => {
		global.gc?.();
		const before = process.memoryUsage().rss;
		let peak = before;
		let rows = 0;
		let lastRow = 0;
		let bytes = 0;
		for await (const e of readCsv(generate(), { requiredColumns: ['q0', 'q1'] })) {
			if (e.type === 'row') {
				rows++;
				lastRow = e.row;
				if (rows % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
				if (rows === 1) expect(e.record.q1).toBe('Công ty 0; "số" 0\r\nchi nhánh');
			} else if (e.type === 'rowError') throw new Error(e.message.en);
			else if (e.type === 'progress') bytes = e.bytes;
		}
		peak = Math.max(peak, process.memoryUsage().rss);
		expect(bytes).toBeGreaterThanOrEqual(TARGET_BYTES);
		expect(lastRow).toBe(rows + 1);
		expect(rows).toBeGreaterThan(200_000);
		expect(peak - before).toBeLessThan(150 * 1024 * 1024);
	}, 120_000);
});
