/**
 * The CPU half of a response import: read the CSV, map each row's cells (`mapRecord`), read its
 * tax code, and run the online form's rules (`validateForSubmit`). No database and no state
 * across rows, so it could move to another thread; a worker thread sharing the batches was
 * measured and gained nothing on two cores (both threads read the file, V8's GC helpers compete
 * for the same cores) while costing memory, so it is not used.
 *
 * What needs the whole file or the database stays with the caller: duplicate tax codes across
 * rows (a row's validation problems are dropped when its tax code repeats an earlier row, as if
 * it had never been validated), the register lookup and staging.
 *
 * The cleaned answers of a valid row travel as the object itself. They used to be serialized here,
 * one v8 Serializer per row, and deserialized again at commit: each of those is a C++ object with a
 * weak handle, and freeing ~500,000 of them cost about a quarter of the import's scavenge pauses.
 * The staging file serializes a few hundred rows at a time instead (see staging.ts).
 */
import {
	mapRecord,
	readCsv,
	templateReadOptions,
	type CsvWarning,
	type NumberFormat,
	type Template
} from '$lib/domain/csv';
import { validateForSubmit, type CompiledQuestionnaire, type Problem } from '$lib/domain/survey';
import { parseTaxCode } from '$lib/domain/enterprise';
import { fileChunks } from './source';
import type { RowProblem } from './types';

/** A CSV row the reader could not take apart (too many fields, unterminated quote...). */
export interface RowErrorItem {
	kind: 'rowError';
	problem: RowProblem;
}

/** A row read and checked. */
export interface CheckedRowItem {
	kind: 'row';
	row: number;
	/** The tax code when the row has a valid one; the caller checks it is not a repeat. */
	taxCode: string | null;
	/** The tax code cell as written (for the duplicate message). */
	rawTax: string | null;
	/** Problems found before validation (cells that could not be read, an invalid tax code). */
	cellProblems: RowProblem[];
	/** The validator's problems (empty when valid or not validated). */
	ruleProblems: RowProblem[];
	/** The cleaned answers when the row passed validation, else null. */
	data: Record<string, unknown> | null;
}

export type RowItem = RowErrorItem | CheckedRowItem;

export interface RowBatch {
	/** Header warnings (first batch only). */
	warnings: CsvWarning[];
	/** Reading progress after this batch, when the reader reported some. */
	progress: { bytes: number; rows: number } | null;
	items: RowItem[];
}

/** Rows per batch. */
export const ROWS_PER_BATCH = 200;

/** Which template column a validator problem points at. */
export function problemColumn(template: Template, p: Problem): string | null {
	if (p.question === '') return null;
	const names = new Set(template.columns.map((c) => c.name));
	if (p.item && names.has(`${p.question}.${p.item}`)) return `${p.question}.${p.item}`;
	if (p.code === 'other-required' && names.has(`${p.question}-Comment`)) return `${p.question}-Comment`;
	if (names.has(p.question)) return p.question;
	const first = template.columns.find((c) => c.question === p.question);
	return first?.name ?? p.question;
}

/** Checks one parsed row (see the module header for what is left to the caller). */
/** Answers from elsewhere for a tax code (an equipment file's rows), merged before validation. */
export type ExtraAnswers = (taxCode: string) => Record<string, unknown> | undefined;

export function checkRow(
	template: Template,
	compiled: CompiledQuestionnaire,
	row: number,
	record: Record<string, string>,
	numberFormat: NumberFormat,
	extra?: ExtraAnswers
): CheckedRowItem {
	const mapped = mapRecord(template, record, { numberFormat });
	const cellProblems: RowProblem[] = mapped.problems.map((p) => ({ row, ...p, code: 'cell' }));
	const rawTax = mapped.identifiers.profile_tax_code ?? Object.values(mapped.identifiers)[0];
	let taxCode: string | null = null;
	if (rawTax !== undefined) {
		const t = parseTaxCode(rawTax);
		if (t.ok) taxCode = t.value;
		else
			cellProblems.push({
				row,
				column: template.columns[0].name,
				value: rawTax,
				message: t.error,
				code: 'tax-code'
			});
	}
	const more = taxCode !== null ? extra?.(taxCode) : undefined;
	if (more) Object.assign(mapped.answers, more);
	const ruleProblems: RowProblem[] = [];
	let data: Record<string, unknown> | null = null;
	// Every problem of the row in one pass: the rules run even when some cells could not
	// be read, so a range error elsewhere in the row is not discovered only on the next import.
	// Questions whose cells could not be read are left out of the rule problems ("required" on top
	// of "not a valid code" would only repeat the same problem).
	const unreadable = new Set(
		mapped.problems
			.map((p) => template.columns.find((c) => c.name === p.column)?.question)
			.filter((q): q is string => !!q)
	);
	{
		const v = validateForSubmit(compiled, mapped.answers);
		for (const p of v.problems) {
			if (unreadable.has(p.question)) continue;
			const column = problemColumn(template, p);
			ruleProblems.push({
				row,
				column,
				value: column ? (record[column] ?? '') : '',
				message: p.message,
				code: p.code,
				question: p.question,
				...(p.item ? { item: p.item } : {})
			});
		}
		if (v.ok && cellProblems.length === 0) data = v.cleaned;
	}
	return { kind: 'row', row, taxCode, rawTax: rawTax ?? null, cellProblems, ruleProblems, data };
}

/** Reads and checks a whole file, ROWS_PER_BATCH rows at a time. Throws CsvFileError for file-level problems. */
export async function* checkRows(
	file: string,
	template: Template,
	compiled: CompiledQuestionnaire,
	numberFormat: NumberFormat,
	extra?: ExtraAnswers
): AsyncGenerator<RowBatch> {
	let batch: RowBatch = { warnings: [], progress: null, items: [] };
	for await (const ev of readCsv(fileChunks(file), templateReadOptions(template))) {
		if (ev.type === 'header') batch.warnings.push(...ev.warnings);
		else if (ev.type === 'progress') batch.progress = { bytes: ev.bytes, rows: ev.rows };
		else if (ev.type === 'rowError')
			batch.items.push({
				kind: 'rowError',
				problem: { row: ev.row, column: ev.column, value: '', message: ev.message, code: 'row' }
			});
		else batch.items.push(checkRow(template, compiled, ev.row, ev.record, numberFormat, extra));
		if (batch.items.length >= ROWS_PER_BATCH) {
			yield batch;
			batch = { warnings: [], progress: null, items: [] };
		}
	}
	if (batch.items.length || batch.warnings.length || batch.progress) yield batch;
}
