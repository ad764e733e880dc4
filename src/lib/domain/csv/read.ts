/**
 * Streaming CSV reader for real-world spreadsheets: detects encoding and delimiter, checks headers,
 * reports bad rows one by one and never holds more than one chunk (plus one unfinished record) in memory.
 *
 * PapaParse's Parser does the quoting rules; we feed it chunk by chunk and keep the unfinished tail,
 * which is how Papa's own streamers work, but pulled (async generator) so back-pressure is natural.
 */
import Papa from 'papaparse';
import { openTextStream, type CsvEncoding, type EncodingOption } from './encoding';
import { CsvFileError, columnLetter, type Bilingual, type CsvWarning } from './types';

export type Delimiter = ',' | ';' | '\t';
export type Newline = '\r\n' | '\n' | '\r';

export interface ReadCsvOptions {
	/** `auto` (default) detects; a fixed value forces that decoding (this is how a caller allows Windows-1258). */
	encoding?: EncodingOption;
	/** Detected among `,` `;` tab from the first records when omitted. */
	delimiter?: Delimiter;
	/** Headers that must be present (matched case- and whitespace-insensitively). */
	requiredColumns?: readonly string[];
	/** Headers that may be present. Any other header gives an `extra_columns` warning; absent ones `missing_optional_columns`. */
	optionalColumns?: readonly string[];
	/** Cells longer than this make their row a rowError. Default 100,000 characters. */
	maxFieldLength?: number;
	/** A record still unfinished after this many characters is skipped as one rowError. Default 1,000,000. */
	maxRecordChars?: number;
	/** More data rows than this → CsvFileError('too_many_rows'). Default unlimited. */
	maxRows?: number;
	/** More bytes than this → CsvFileError('file_too_large'). Default unlimited. */
	maxBytes?: number;
	/** Trim spaces around values (default true: spaces around survey answers are never meaningful). */
	trimValues?: boolean;
	/**
	 * Whether the first data row is a second header row of labels (as templates write it), by its
	 * cells keyed like a record: such a row is skipped, and row numbers stay those of the file.
	 */
	isLabelRow?: (record: Readonly<Record<string, string>>) => boolean;
}

export interface HeaderEvent {
	type: 'header';
	/** Row number of the header (1 unless the file starts with blank lines). */
	row: number;
	/** Record key for each position: the canonical option name when one matched, '' for an unnamed column. */
	columns: string[];
	/** Header cells as written (trimmed, BOM removed). */
	headers: string[];
	delimiter: Delimiter;
	newline: Newline;
	encoding: CsvEncoding;
	warnings: CsvWarning[];
}

export interface RowEvent {
	type: 'row';
	/** Row number as Excel shows it: header is row 1, a quoted multi-line cell stays one row. */
	row: number;
	record: Record<string, string>;
	/** The cells in file order (untrimmed), e.g. for a preview table. */
	fields: string[];
}

export interface RowErrorEvent {
	type: 'rowError';
	row: number;
	column: string | null;
	message: Bilingual;
}

export interface ProgressEvent {
	type: 'progress';
	/** Source bytes consumed so far. */
	bytes: number;
	/** Rows (records, including blank and bad ones) seen so far, header included. */
	rows: number;
}

export type CsvEvent = HeaderEvent | RowEvent | RowErrorEvent | ProgressEvent;

/** The key used to match headers: NFC, lower-case, single spaces, trimmed. Accents are kept on purpose:
 * in Vietnamese they distinguish words ("ma", "mã", "má"), so folding them could merge columns. */
export function headerKey(s: string): string {
	return s.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

const DEFAULT_MAX_FIELD = 100_000;
const DEFAULT_MAX_RECORD = 1_000_000;
/** Parse only when this much new text has arrived (avoids re-parsing a long unfinished tail per tiny chunk). */
const MIN_PARSE_CHARS = 16 * 1024;

interface PapaError {
	code: string;
	row?: number;
}
interface PapaResult {
	data: string[][];
	errors: PapaError[];
	meta: { cursor: number };
}

function parseChunk(text: string, delimiter: Delimiter, newline: Newline, final: boolean): PapaResult {
	const p = new Papa.Parser({ delimiter, newline, quoteChar: '"' });
	return p.parse(text, 0, !final) as PapaResult;
}

/** The first line break outside quotes decides the file's newline. */
export function detectNewline(text: string): Newline {
	let inQuotes = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 34) inQuotes = !inQuotes;
		else if (!inQuotes && c === 10) return '\n';
		else if (!inQuotes && c === 13)
			return text.charCodeAt(i + 1) === 10 ? '\r\n' : i + 1 < text.length ? '\r' : '\r\n';
	}
	return '\r\n';
}

/**
 * Pick the delimiter whose field count is > 1 on the header and most consistent over the first records.
 * Quotes are honoured (Papa parses each candidate), so a `;` inside a quoted header does not count.
 */
export function detectDelimiter(
	text: string,
	newline: Newline
): { delimiter: Delimiter; confident: boolean } {
	let best: { d: Delimiter; score: number; fields: number } | null = null;
	text = text.slice(0, 64 * 1024);
	for (const d of [',', ';', '\t'] as const) {
		const res = parseChunk(text, d, newline, false);
		let rows = res.data.filter((r) => r.some((f) => f.trim() !== ''));
		if (rows.length === 0)
			rows = parseChunk(text, d, newline, true).data.filter((r) => r.some((f) => f.trim() !== ''));
		rows = rows.slice(0, 50);
		if (rows.length === 0) continue;
		const fields = rows[0].length;
		if (fields < 2) continue;
		const consistent = rows.filter((r) => r.length === fields).length / rows.length;
		const score = consistent * 1000 + Math.min(fields, 999);
		if (!best || score > best.score) best = { d, score, fields };
	}
	return best ? { delimiter: best.d, confident: true } : { delimiter: ',', confident: false };
}

/** Find where a record that started at `state` ends, scanning char by char (only for over-long records). */
class RecordSkipper {
	private inQuotes = false;
	private afterQuote = false;
	private fieldStart = true;
	private pendingCR = false;
	constructor(
		private readonly delimiter: string,
		private readonly newline: Newline
	) {}
	/** Returns the index just after the record's end in `s`, or -1 if the record continues. */
	scan(s: string): number {
		const d = this.delimiter.charCodeAt(0);
		for (let i = 0; i < s.length; i++) {
			const c = s.charCodeAt(i);
			if (this.pendingCR) {
				this.pendingCR = false;
				if (c === 10) return i + 1;
			}
			if (this.inQuotes) {
				if (this.afterQuote) {
					this.afterQuote = false;
					if (c === 34) continue; // "" escape
					this.inQuotes = false; // fall through: this char follows a closing quote
				} else {
					const q = s.indexOf('"', i);
					if (q === -1) return -1;
					i = q;
					this.afterQuote = true;
					continue;
				}
			}
			if (c === 34 && this.fieldStart) {
				this.inQuotes = true;
				this.fieldStart = false;
				continue;
			}
			this.fieldStart = c === d;
			if (c === 10 && this.newline === '\n') return i + 1;
			if (c === 13) {
				if (this.newline === '\r') return i + 1;
				if (this.newline === '\r\n') {
					if (i + 1 < s.length) {
						if (s.charCodeAt(i + 1) === 10) return i + 2;
					} else this.pendingCR = true;
				}
			}
		}
		return -1;
	}
	get unclosedQuote(): boolean {
		return this.inQuotes;
	}
}

/**
 * Read a CSV byte stream as events. Fatal problems (encoding, headers, limits) throw CsvFileError;
 * bad rows become `rowError` events and reading continues. Blank rows (including `;;;` rows Excel
 * writes) are skipped silently but keep their row numbers.
 */
export async function* readCsv(
	source: AsyncIterable<Uint8Array>,
	options: ReadCsvOptions = {}
): AsyncGenerator<CsvEvent, void, undefined> {
	const maxField = options.maxFieldLength ?? DEFAULT_MAX_FIELD;
	const maxRecord = Math.max(options.maxRecordChars ?? DEFAULT_MAX_RECORD, maxField + 1);
	const trim = options.trimValues ?? true;
	const decoded = await openTextStream(source, options.encoding ?? 'auto');

	let bytes = 0;
	let rowNo = 0; // Excel row number of the last record seen
	let dataRows = 0;
	let pending = ''; // unparsed text (an unfinished record) from previous chunks
	let parts: string[] = []; // new text since the last parse
	let partsLen = 0;
	let nextParseAt = 0;
	let delimiter: Delimiter | undefined = options.delimiter;
	let newline: Newline | undefined;
	// Asserted so TS does not narrow it to null: it is assigned inside the nested generators.
	let header = null as HeaderEvent | null;
	let keys: string[] = [];
	let labelRowChecked = false;
	let skipper: RecordSkipper | null = null;
	let lastProgress = '';

	const checkBytes = () => {
		if (options.maxBytes !== undefined && bytes > options.maxBytes)
			throw new CsvFileError(
				'file_too_large',
				{
					vi: `Tệp lớn hơn giới hạn ${options.maxBytes.toLocaleString('vi-VN')} byte.`,
					en: `The file is larger than the limit of ${options.maxBytes.toLocaleString('en-US')} bytes.`
				},
				{ maxBytes: options.maxBytes }
			);
	};

	/** Turn parsed records into events. */
	function* emit(records: string[][], errors: PapaError[], complete: number): Generator<CsvEvent> {
		const badQuotes = new Set<number>();
		for (const e of errors)
			if (
				e.row !== undefined &&
				e.row < complete &&
				(e.code === 'InvalidQuotes' || e.code === 'MissingQuotes')
			)
				badQuotes.add(e.row);
		for (let i = 0; i < complete; i++) {
			const fields = records[i];
			rowNo++;
			if (newline === '\n' && fields.length > 0) {
				// A stray CRLF line in an LF file: drop the CR rather than keep it in the last cell.
				const last = fields[fields.length - 1];
				if (last.endsWith('\r')) fields[fields.length - 1] = last.slice(0, -1);
			}
			if (fields.every((f) => f.trim() === '')) continue;
			if (!header) {
				header = makeHeader(fields, rowNo);
				keys = header.columns;
				yield header;
				continue;
			}
			if (dataRows === 0 && !labelRowChecked) {
				labelRowChecked = true;
				if (options.isLabelRow) {
					const cells: Record<string, string> = {};
					keys.forEach((k, j) => {
						if (k && k !== '__proto__') cells[k] = (fields[j] ?? '').trim();
					});
					if (options.isLabelRow(cells)) continue;
				}
			}
			dataRows++;
			if (options.maxRows !== undefined && dataRows > options.maxRows)
				throw new CsvFileError(
					'too_many_rows',
					{
						vi: `Tệp có nhiều hơn ${options.maxRows.toLocaleString('vi-VN')} dòng dữ liệu, vượt giới hạn cho một lần nhập.`,
						en: `The file has more than ${options.maxRows.toLocaleString('en-US')} data rows, over the limit for one import.`
					},
					{ maxRows: options.maxRows }
				);
			if (badQuotes.has(i)) {
				yield {
					type: 'rowError',
					row: rowNo,
					column: null,
					message: {
						vi: `Dòng ${rowNo}: dấu ngoặc kép (") không đóng đúng cách; ô có dấu " phải được bao trong "…" và dấu " bên trong viết thành "".`,
						en: `Row ${rowNo}: a double quote (") is not closed properly; a cell containing " must be wrapped in "…" with inner quotes doubled ("").`
					}
				};
				continue;
			}
			yield* rowEvent(fields, rowNo);
		}
	}

	function* rowEvent(fields: string[], row: number): Generator<CsvEvent> {
		const n = keys.length;
		if (fields.length < n) {
			yield {
				type: 'rowError',
				row,
				column: null,
				message: {
					vi: `Dòng ${row} có ${fields.length} ô nhưng tiêu đề có ${n} cột (thiếu ${n - fields.length} ô).`,
					en: `Row ${row} has ${fields.length} fields but the header has ${n} columns (${n - fields.length} missing).`
				}
			};
			return;
		}
		if (fields.length > n) {
			// Extra cells that are empty are what Excel leaves after deleted columns: harmless.
			const extra = fields.slice(n).filter((f) => f.trim() !== '').length;
			if (extra > 0) {
				yield {
					type: 'rowError',
					row,
					column: null,
					message: {
						vi: `Dòng ${row} có ${fields.length} ô nhưng tiêu đề chỉ có ${n} cột (thừa ${fields.length - n} ô có dữ liệu ở cột ${columnLetter(n)} trở đi). Có thể một ô chứa dấu phân cách mà không được đặt trong ngoặc kép.`,
						en: `Row ${row} has ${fields.length} fields but the header has only ${n} columns (extra data from column ${columnLetter(n)} on). A cell may contain the delimiter without being quoted.`
					}
				};
				return;
			}
		}
		const record: Record<string, string> = {};
		for (let j = 0; j < n; j++) {
			const k = keys[j];
			// An unnamed column is not kept; `__proto__` would set the prototype, not add a cell.
			if (k === '' || k === '__proto__') continue;
			const v = fields[j];
			if (v.length > maxField) {
				yield {
					type: 'rowError',
					row,
					column: k,
					message: {
						vi: `Dòng ${row}, cột ${k}: ô dài ${v.length.toLocaleString('vi-VN')} ký tự, vượt giới hạn ${maxField.toLocaleString('vi-VN')}.`,
						en: `Row ${row}, column ${k}: the cell is ${v.length.toLocaleString('en-US')} characters long, over the limit of ${maxField.toLocaleString('en-US')}.`
					}
				};
				return;
			}
			record[k] = trim ? v.trim() : v;
		}
		yield { type: 'row', row, record, fields };
	}

	function makeHeader(fields: string[], row: number): HeaderEvent {
		const headers = fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF+/, '') : f).normalize('NFC').trim());
		const canonical = new Map<string, string>();
		for (const c of options.optionalColumns ?? []) canonical.set(headerKey(c), c);
		for (const c of options.requiredColumns ?? []) canonical.set(headerKey(c), c);
		const hasSpec = canonical.size > 0;
		const columns = headers.map((h) => (h === '' ? '' : (canonical.get(headerKey(h)) ?? h)));
		const warnings: CsvWarning[] = [...decoded.warnings];

		const seen = new Map<string, number[]>();
		columns.forEach((c, i) => {
			if (c === '') return;
			const k = headerKey(c);
			seen.set(k, [...(seen.get(k) ?? []), i]);
		});
		const dups = [...seen.values()].filter((ix) => ix.length > 1);
		if (dups.length) {
			const list = dups.map((ix) => `"${headers[ix[0]]}" (${ix.map(columnLetter).join(', ')})`).join('; ');
			throw new CsvFileError(
				'duplicate_headers',
				{
					vi: `Tiêu đề bị trùng: ${list}. Mỗi cột phải có tên riêng; hãy xoá hoặc đổi tên cột trùng.`,
					en: `Duplicate headers: ${list}. Every column needs its own name; delete or rename the duplicates.`
				},
				{ duplicates: dups.map((ix) => headers[ix[0]]) }
			);
		}
		const missing = (options.requiredColumns ?? []).filter((c) => !seen.has(headerKey(c)));
		if (missing.length) {
			const list = missing.join(', ');
			const delimHint =
				columns.length === 1
					? {
							vi: ' (Tệp chỉ có một cột: dấu phân cách có đúng không?)',
							en: ' (The file has a single column: is the delimiter right?)'
						}
					: { vi: '', en: '' };
			throw new CsvFileError(
				'missing_headers',
				{
					vi: `Thiếu cột bắt buộc: ${list}.${delimHint.vi} Hãy dùng tệp mẫu tải từ hệ thống.`,
					en: `Missing required columns: ${list}.${delimHint.en} Please use the template downloaded from the system.`
				},
				{ missing }
			);
		}
		if (hasSpec) {
			const extra = columns.filter((c) => c !== '' && !canonical.has(headerKey(c)));
			if (extra.length)
				warnings.push({
					code: 'extra_columns',
					message: {
						vi: `Các cột không có trong mẫu sẽ bị bỏ qua: ${extra.join(', ')}.`,
						en: `Columns not in the template will be ignored: ${extra.join(', ')}.`
					}
				});
			const absent = (options.optionalColumns ?? []).filter((c) => !seen.has(headerKey(c)));
			if (absent.length)
				warnings.push({
					code: 'missing_optional_columns',
					message: {
						vi: `Không có các cột sau; giá trị của chúng được coi là để trống: ${absent.join(', ')}.`,
						en: `These columns are absent; they count as empty: ${absent.join(', ')}.`
					}
				});
		}
		const unnamed = columns.map((c, i) => (c === '' ? columnLetter(i) : '')).filter(Boolean);
		if (unnamed.length)
			warnings.push({
				code: 'unnamed_columns',
				message: {
					vi: `Cột không có tiêu đề sẽ bị bỏ qua: ${unnamed.join(', ')}.`,
					en: `Columns without a header will be ignored: ${unnamed.join(', ')}.`
				}
			});
		return {
			type: 'header',
			row,
			columns,
			headers,
			delimiter: delimiter as Delimiter,
			newline: newline as Newline,
			encoding: decoded.encoding,
			warnings
		};
	}

	function* tooLong(row: number, unclosed: boolean, eof: boolean): Generator<CsvEvent> {
		if (!header)
			throw new CsvFileError(
				'header_too_long',
				{
					vi: `Dòng tiêu đề dài hơn ${maxRecord.toLocaleString('vi-VN')} ký tự: có thể thiếu dấu ngoặc kép đóng.`,
					en: `The header row is longer than ${maxRecord.toLocaleString('en-US')} characters: a closing quote may be missing.`
				},
				{ maxRecordChars: maxRecord }
			);
		dataRows++;
		const why =
			unclosed && eof
				? {
						vi: 'một dấu ngoặc kép (") mở ở dòng này không bao giờ được đóng, nên phần còn lại của tệp bị bỏ qua',
						en: 'a double quote (") opened in this row is never closed, so the rest of the file was skipped'
					}
				: {
						vi: `dòng dài hơn ${maxRecord.toLocaleString('vi-VN')} ký tự nên bị bỏ qua (có thể thiếu dấu ngoặc kép đóng)`,
						en: `the row is longer than ${maxRecord.toLocaleString('en-US')} characters and was skipped (a closing quote may be missing)`
					};
		yield {
			type: 'rowError',
			row,
			column: null,
			message: { vi: `Dòng ${row}: ${why.vi}.`, en: `Row ${row}: ${why.en}.` }
		};
	}

	for await (const chunk of decoded.chunks) {
		bytes += chunk.bytes;
		checkBytes();
		let text = chunk.text;
		if (skipper) {
			const end = skipper.scan(text);
			if (end === -1) {
				yield { type: 'progress', bytes, rows: rowNo };
				continue;
			}
			rowNo++;
			yield* tooLong(rowNo, false, false);
			skipper = null;
			text = text.slice(end);
			pending = '';
			nextParseAt = 0;
		}
		parts.push(text);
		partsLen += text.length;
		if (pending.length + partsLen < nextParseAt) continue;

		const input = pending + parts.join('');
		parts = [];
		partsLen = 0;
		if (!newline) newline = detectNewline(input);
		if (!delimiter) delimiter = detectDelimiter(input, newline).delimiter;
		const res = parseChunk(input, delimiter, newline, false);
		const complete = res.data.length;
		yield* emit(res.data, res.errors, complete);
		pending = input.slice(res.meta.cursor);
		if (pending.length > maxRecord) {
			skipper = new RecordSkipper(delimiter, newline);
			const end = skipper.scan(pending);
			if (end === -1) pending = '';
			else {
				rowNo++;
				yield* tooLong(rowNo, false, false);
				skipper = null;
				pending = pending.slice(end);
			}
		}
		nextParseAt = Math.max(pending.length * 2, pending.length + MIN_PARSE_CHARS);
		lastProgress = `${bytes}:${rowNo}`;
		yield { type: 'progress', bytes, rows: rowNo };
	}

	if (skipper) {
		rowNo++;
		yield* tooLong(rowNo, skipper.unclosedQuote, true);
	} else {
		const input = pending + parts.join('');
		if (input !== '') {
			if (!newline) newline = detectNewline(input);
			if (!delimiter) delimiter = detectDelimiter(input, newline).delimiter;
			const res = parseChunk(input, delimiter, newline, true);
			// An unclosed quote swallows the rest of the file into one record: report it as such.
			const missing = res.errors.find((e) => e.code === 'MissingQuotes');
			if (missing && header) {
				const before = res.data.length - 1;
				yield* emit(
					res.data,
					res.errors.filter((e) => e.code !== 'MissingQuotes'),
					before
				);
				rowNo++;
				yield* tooLong(rowNo, true, true);
			} else yield* emit(res.data, res.errors, res.data.length);
		}
	}
	if (!header)
		throw new CsvFileError('empty_file', {
			vi: 'Tệp không có dòng tiêu đề (tệp trống hoặc chỉ có dòng trống).',
			en: 'The file has no header row (it is empty or has only blank lines).'
		});
	if (lastProgress !== `${bytes}:${rowNo}`) yield { type: 'progress', bytes, rows: rowNo };
}
