/** Shared shapes of the CSV domain: bilingual messages, fatal file errors, per-cell problems. */

/** Every user-facing text in Vietnamese and English. */
export interface Bilingual {
	vi: string;
	en: string;
}

export type CsvFileErrorCode =
	| 'empty_file'
	| 'not_csv'
	| 'excel_workbook'
	| 'tcvn3'
	| 'unknown_encoding'
	| 'invalid_utf8'
	| 'file_too_large'
	| 'too_many_rows'
	| 'header_too_long'
	| 'duplicate_headers'
	| 'missing_headers';

/**
 * A problem with the file as a whole: nothing in it can be imported. `message` is the English text
 * (for logs); show `messages` to users.
 */
export class CsvFileError extends Error {
	readonly code: CsvFileErrorCode;
	readonly messages: Bilingual;
	/** Extra machine-readable detail, e.g. the duplicate or missing column names. */
	readonly detail: Record<string, unknown>;
	constructor(code: CsvFileErrorCode, messages: Bilingual, detail: Record<string, unknown> = {}) {
		super(messages.en);
		this.name = 'CsvFileError';
		this.code = code;
		this.messages = messages;
		this.detail = detail;
	}
}

/** A problem with one cell (or a whole row when `column` is null), as the import report lists it. */
export interface ImportProblem {
	/** Row number as Excel shows it: the header is row 1. Null for file-level notes. */
	row: number | null;
	column: string | null;
	value: string;
	message: Bilingual;
}

/** A problem found by `mapRecord` in one record; the caller adds the row number. */
export interface CellProblem {
	column: string;
	value: string;
	message: Bilingual;
}

export interface CsvWarning {
	code: string;
	message: Bilingual;
}

/** Excel's column letters (0 → A, 26 → AA), so messages point where users look. */
export function columnLetter(index: number): string {
	let n = index + 1;
	let s = '';
	while (n > 0) {
		const r = (n - 1) % 26;
		s = String.fromCharCode(65 + r) + s;
		n = Math.floor((n - 1) / 26);
	}
	return s;
}
