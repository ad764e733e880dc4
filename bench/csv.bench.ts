/**
 * csv_parse_rate: rows/s of `readCsv` (decode, detect, parse, header checks, records) on 100,000
 * generated response rows with 60 columns, fed as 64 KiB chunks like a file stream.
 * Also prints PapaParse's raw rate on the same text (the ceiling) and peak RSS.
 */
import Papa from 'papaparse';
import type { Benchmark } from './harness';
import { readCsv } from '../src/lib/domain/csv/read';

const ROWS = 100_000;
const COLUMNS = 60;
const CHUNK = 64 * 1024;

function generate(): { text: string; chunks: Uint8Array[] } {
	const header = [
		'profile_tax_code',
		'profile_name',
		...Array.from({ length: COLUMNS - 2 }, (_, i) => `q${i}`)
	];
	const lines = [header.join(',')];
	for (let r = 0; r < ROWS; r++) {
		const cells = [
			String(100_000_000 + r).padStart(10, '0'),
			r % 10 === 0 ? `"Công ty ${r}, chi nhánh"` : `Công ty ${r}`
		];
		for (let i = 0; i < COLUMNS - 2; i++) {
			const k = (r * 31 + i * 7) % 100;
			cells.push(
				i % 5 === 0 ? `${k}.5` : i % 5 === 1 ? `${k % 4}|${(k + 1) % 4}` : i % 5 === 2 ? '' : String(k % 5)
			);
		}
		lines.push(cells.join(','));
	}
	const text = '\uFEFF' + lines.join('\r\n') + '\r\n';
	const bytes = new TextEncoder().encode(text);
	const chunks: Uint8Array[] = [];
	for (let i = 0; i < bytes.length; i += CHUNK) chunks.push(bytes.subarray(i, i + CHUNK));
	return { text, chunks };
}

const bench: Benchmark = {
	names: ['csv_parse_rate'],
	async run(log) {
		const { text, chunks } = generate();
		log(`generated ${ROWS} rows × ${COLUMNS} columns, ${(text.length / 1e6).toFixed(1)} M chars`);
		async function* source() {
			yield* chunks;
		}
		let peak = process.memoryUsage().rss;
		const t0 = performance.now();
		let rows = 0;
		for await (const e of readCsv(source(), { requiredColumns: ['profile_tax_code'] })) {
			if (e.type === 'row') rows++;
			else if (e.type === 'rowError') throw new Error(e.message.en);
			else if (e.type === 'progress') peak = Math.max(peak, process.memoryUsage().rss);
		}
		const ms = performance.now() - t0;
		if (rows !== ROWS) throw new Error(`read ${rows} rows, expected ${ROWS}`);

		const t1 = performance.now();
		const raw = Papa.parse<string[]>(text, { delimiter: ',', newline: '\r\n' });
		const rawMs = performance.now() - t1;
		return [
			{
				name: 'csv_parse_rate',
				value: Math.round(ROWS / (ms / 1000)),
				unit: 'rows/s',
				details: {
					papaparse_raw_rows_per_s: Math.round((raw.data.length - 1) / (rawMs / 1000)),
					seconds: (ms / 1000).toFixed(2),
					peak_rss_mb: Math.round(peak / 1024 / 1024)
				}
			}
		];
	}
};
export default bench;
