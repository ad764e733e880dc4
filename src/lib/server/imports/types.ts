/** Shapes shared by the register and response imports. */
import type { ImportProblem, CsvWarning, NumberFormat } from '$lib/domain/csv';
import type { ImportCounts, ImportKind, ImportMode, ImportStatus } from '../db/schema';
import type { Actor } from '../audit';

export type { ImportCounts, ImportKind, ImportMode, ImportStatus };

/** A problem as the report lists it, plus the validator's code when it came from one (tests, logs). */
export interface RowProblem extends ImportProblem {
	code?: string;
	question?: string;
	item?: string;
}

export interface ImportProgress {
	phase: 'parse' | 'validate' | 'store' | 'done';
	bytes: number;
	total: number;
	rows: number;
	counts: ImportCounts;
	errors: number;
	/** Store phase: staged changes written so far, and how many there are. */
	stored?: number;
	toStore?: number;
}

export interface ImportRunOptions {
	/** Path of the CSV file (an upload's temp file or a CLI argument). */
	file: string;
	/** Shown in lists and the report; default the file's base name. */
	fileName?: string;
	/**
	 * Responses only: a second CSV of list rows (one row per machine, keyed by tax code) for a
	 * questionnaire with an equipment list (equipment.ts).
	 */
	equipmentFile?: string;
	equipmentFileName?: string;
	mode?: ImportMode;
	/** Explicit, or `auto` (default): detected from the first rows, with a warning when unsure. */
	numberFormat?: NumberFormat | 'auto';
	actor?: Actor | null;
	/** Continue an analysed import (the UI's two-step flow); a new id otherwise. */
	importId?: string;
	/** The caller already moved the analysed import to 'running' (see startImportJob). */
	claimed?: boolean;
	/** Called often (throttle inside if needed); an async callback is awaited (tests use it to pause). */
	onProgress?: (p: ImportProgress) => void | Promise<void>;
	/** Every problem, also those beyond the stored cap (the CLI streams them into --report). */
	onProblem?: (p: RowProblem) => void;
}

export interface ImportResult {
	importId: string;
	status: 'committed' | 'rejected' | 'failed';
	counts: ImportCounts;
	problemCount: number;
	/** The first problems (at most PROBLEM_CAP), in file order. */
	problems: RowProblem[];
	warnings: CsvWarning[];
	numberFormat: NumberFormat | null;
	/** Why the whole file was refused or failed (file-level errors), else null. */
	message: { vi: string; en: string } | null;
}

/** A problem with the whole import (campaign not importable, unreadable file): nothing stored. */
export class ImportRefused extends Error {
	constructor(readonly messages: { vi: string; en: string }) {
		super(messages.en);
		this.name = 'ImportRefused';
	}
}

/** The line the CLI ends with and the UI repeats. */
export function summaryLine(c: ImportCounts): string {
	return `imported ${c.imported}, updated ${c.updated}, rejected ${c.rejected}`;
}

export const EMPTY_COUNTS: ImportCounts = { imported: 0, updated: 0, unchanged: 0, rejected: 0 };
