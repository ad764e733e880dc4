/**
 * Writing CSV for Excel users: UTF-8 with BOM (Excel misreads Vietnamese without it), CRLF, RFC 4180
 * quoting, and text cells defused against formula injection.
 */
import type { Delimiter } from './read';
import type { NumberFormat } from './numbers';
import type { ImportProblem } from './types';

export type CsvCell = string | number | boolean | Date | null | undefined | readonly (string | number)[];

export type CsvColumn = string | { key: string; header?: string };

export interface WriteCsvOptions {
	/** Start with a UTF-8 BOM (default true). */
	bom?: boolean;
	/** Default `,`. Use `;` with `comma-decimal` for Vietnamese Excel. */
	delimiter?: Delimiter;
	/** Default `\r\n` (RFC 4180; what Excel writes). */
	newline?: '\r\n' | '\n';
	/** How numbers are written (default `dot-decimal`). */
	numberFormat?: NumberFormat;
	/** Prefix risky text cells with `'` (default true). */
	escapeFormulas?: boolean;
}

const RISKY_FIRST = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * OWASP CSV-injection guidance: a text cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`
 * so spreadsheets show it as text instead of evaluating it. Only text is escaped: values passed as
 * JavaScript numbers are written as numbers, so genuine negatives stay numeric (`-5`, not `'-5`).
 */
export function escapeFormula(cell: string): string {
	return cell.length > 0 && RISKY_FIRST.has(cell[0]) ? `'${cell}` : cell;
}

function formatNumber(n: number, format: NumberFormat): string {
	if (!Number.isFinite(n)) return '';
	const s = String(n);
	return format === 'comma-decimal' ? s.replace('.', ',') : s;
}

function makeCellWriter(options: WriteCsvOptions): (v: CsvCell) => string {
	const delimiter = options.delimiter ?? ',';
	const format = options.numberFormat ?? 'dot-decimal';
	const escape = options.escapeFormulas ?? true;
	const needsQuotes = new RegExp(`["\\r\\n${delimiter === '\t' ? '\\t' : delimiter}]|^\\s|\\s$`);
	const quote = (s: string) => (needsQuotes.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
	return (v) => {
		if (v === null || v === undefined) return '';
		if (typeof v === 'number') return quote(formatNumber(v, format));
		if (typeof v === 'boolean') return v ? 'true' : 'false';
		if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
		if (Array.isArray(v)) {
			// Several codes in one cell, the same `|` convention the import reads.
			const s = v.map((x) => (typeof x === 'number' ? formatNumber(x, format) : x)).join('|');
			return quote(escape ? escapeFormula(s) : s);
		}
		const s = String(v);
		return quote(escape ? escapeFormula(s) : s);
	};
}

function normaliseColumns(columns: readonly CsvColumn[]): { key: string; header: string }[] {
	return columns.map((c) =>
		typeof c === 'string' ? { key: c, header: c } : { key: c.key, header: c.header ?? c.key }
	);
}

/**
 * Lines of a CSV file, header first (prefixed with the BOM when asked), each ending with the newline.
 * Pull-based: pipe it with `Readable.from(csvLines(...))` to stream an export of any size.
 */
export async function* csvLines(
	rows: Iterable<Record<string, CsvCell>> | AsyncIterable<Record<string, CsvCell>>,
	columns: readonly CsvColumn[],
	options: WriteCsvOptions = {}
): AsyncGenerator<string, void, undefined> {
	const cols = normaliseColumns(columns);
	const cell = makeCellWriter(options);
	const nl = options.newline ?? '\r\n';
	const d = options.delimiter ?? ',';
	yield ((options.bom ?? true) ? '\uFEFF' : '') + cols.map((c) => cell(c.header)).join(d) + nl;
	for await (const r of rows) yield cols.map((c) => cell(r[c.key])).join(d) + nl;
}

/** The whole CSV as one string (for small files: templates, codebooks, reports). */
export function toCsvString(
	rows: Iterable<Record<string, CsvCell>>,
	columns: readonly CsvColumn[],
	options: WriteCsvOptions = {}
): string {
	const cols = normaliseColumns(columns);
	const cell = makeCellWriter(options);
	const nl = options.newline ?? '\r\n';
	const d = options.delimiter ?? ',';
	const out: string[] = [((options.bom ?? true) ? '\uFEFF' : '') + cols.map((c) => cell(c.header)).join(d)];
	for (const r of rows) out.push(cols.map((c) => cell(r[c.key])).join(d));
	return out.join(nl) + nl;
}

/** Long values (a 100,000-character cell that was rejected) are cut so the report stays readable. */
const MAX_REPORT_VALUE = 200;

export const REPORT_COLUMNS: readonly CsvColumn[] = [
	{ key: 'row', header: 'row' },
	{ key: 'column', header: 'column' },
	{ key: 'value', header: 'value' },
	{ key: 'message_vi', header: 'message_vi' },
	{ key: 'message_en', header: 'message_en' }
];

function reportRow(p: ImportProblem): Record<string, CsvCell> {
	const value = p.value.length > MAX_REPORT_VALUE ? `${p.value.slice(0, MAX_REPORT_VALUE)}…` : p.value;
	return { row: p.row, column: p.column, value, message_vi: p.message.vi, message_en: p.message.en };
}

/** The problem report users download: row, column, value, message (vi), message (en). */
export function reportToCsv(problems: Iterable<ImportProblem>, options: WriteCsvOptions = {}): string {
	return toCsvString(
		(function* () {
			for (const p of problems) yield reportRow(p);
		})(),
		REPORT_COLUMNS,
		options
	);
}

/** Streaming form of `reportToCsv` for very large reports. */
export function reportCsvLines(
	problems: Iterable<ImportProblem> | AsyncIterable<ImportProblem>,
	options: WriteCsvOptions = {}
): AsyncGenerator<string, void, undefined> {
	return csvLines(
		(async function* () {
			for await (const p of problems) yield reportRow(p);
		})(),
		REPORT_COLUMNS,
		options
	);
}
