/** Helpers for the CSV tests (not used by the application). */
import { readCsv, type CsvEvent, type ReadCsvOptions } from './read';

/** Serve bytes in chunks of `size`, like a file or upload stream would. */
export async function* chunked(data: Uint8Array | string, size = 64 * 1024): AsyncGenerator<Uint8Array> {
	const b = typeof data === 'string' ? new TextEncoder().encode(data) : data;
	for (let i = 0; i < b.length; i += size) yield b.subarray(i, Math.min(b.length, i + size));
}

export async function collect(
	data: Uint8Array | string,
	options: ReadCsvOptions = {},
	size?: number
): Promise<CsvEvent[]> {
	const out: CsvEvent[] = [];
	for await (const e of readCsv(chunked(data, size), options)) out.push(e);
	return out;
}

/** Events without progress, for comparing runs with different chunk sizes. */
export async function collectData(data: Uint8Array | string, options: ReadCsvOptions = {}, size?: number) {
	return (await collect(data, options, size)).filter((e) => e.type !== 'progress');
}
