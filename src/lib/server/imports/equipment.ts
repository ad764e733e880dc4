/**
 * Equipment lists of paper responses: a second CSV file beside the enterprises' answers, one row per
 * machine keyed by tax code (a paper form's equipment table is its own sheet; each file keeps fixed
 * columns; the answers file stays the template used before lists existed). Its cells are read like
 * the answers file (the same template machinery: numbers in the import's number format, choices as
 * code or label); each enterprise's rows, in file order, become its list answer, and the whole
 * response is then validated by the online form's validator (responses.ts).
 */
import {
	buildTemplate,
	mapRecord,
	readCsv,
	templateReadOptions,
	toCsvString,
	type NumberFormat,
	type Template
} from '$lib/domain/csv';
import { parseTaxCode } from '$lib/domain/enterprise';
import { fileChunks } from './source';
import type { RowProblem } from './types';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export const TAX_COLUMN = 'profile_tax_code';

/** The list questions (`matrixdynamic`) of a questionnaire, in form order. */
export function listQuestions(questionnaire: unknown): Json[] {
	const out: Json[] = [];
	const walk = (els: unknown) => {
		if (!Array.isArray(els)) return;
		for (const el of els) {
			if (!isObj(el)) continue;
			if (el.type === 'matrixdynamic') out.push(el);
			walk(el.elements);
		}
	};
	if (isObj(questionnaire) && Array.isArray(questionnaire.pages))
		for (const p of questionnaire.pages) if (isObj(p)) walk(p.elements);
	return out;
}

/** A list's equipment file: the tax code first, then one column per list column, read as its cell type. */
export interface EquipmentFileTemplate {
	/** The list question's name (the answer key the rows go under). */
	question: string;
	template: Template;
	/** List column names, in order (the tax code excluded). */
	columns: string[];
}

export function equipmentFileTemplate(list: Json): EquipmentFileTemplate {
	const columns = (Array.isArray(list.columns) ? list.columns : []).filter(isObj);
	const elements: Json[] = [
		{ type: 'text', name: TAX_COLUMN, title: { default: 'Tax code', vi: 'Mã số thuế' }, isRequired: true }
	];
	for (const c of columns) {
		const type = c.cellType === 'dropdown' ? 'dropdown' : c.cellType === 'comment' ? 'comment' : 'text';
		const { cellType: _cellType, ...rest } = c;
		void _cellType;
		elements.push({ ...rest, type });
	}
	return {
		question: String(list.name),
		template: buildTemplate({ pages: [{ name: 'equipment', elements }] }),
		columns: columns.map((c) => String(c.name))
	};
}

/** Rows of one enterprise: the list answer, and each row's line in the equipment file. */
export interface EnterpriseEquipment {
	rows: Json[];
	lines: number[];
	/** True when some row of the enterprise could not be read: the enterprise is rejected whole. */
	bad: boolean;
	/** `<row>.<column>` of cells that could not be read (the validator's "required" would repeat them). */
	unreadable: Set<string>;
}

export interface EquipmentFileResult {
	byTax: Map<string, EnterpriseEquipment>;
	problems: RowProblem[];
}

/** `<file>: <column>`: the report has one column field; this says which file it is in. */
export function fileColumn(fileName: string, column: string | null): string {
	return column ? `${fileName}: ${column}` : fileName;
}

function isLabelRow(record: Record<string, string>, t: Template): boolean {
	const norm = (s: string) => s.trim().normalize('NFC').toLowerCase();
	let labels = 0;
	for (const c of t.columns) {
		const v = norm(record[c.name] ?? '');
		if (v === '') continue;
		if (v === norm(c.title.vi) || v === norm(c.title.en)) labels++;
		else return false;
	}
	return labels > 0;
}

/** Reads a whole equipment file; never throws for bad rows (they are problems), only for a bad file. */
export async function readEquipmentFile(
	file: string,
	fileName: string,
	t: EquipmentFileTemplate,
	numberFormat: NumberFormat
): Promise<EquipmentFileResult> {
	const byTax = new Map<string, EnterpriseEquipment>();
	const problems: RowProblem[] = [];
	for await (const ev of readCsv(fileChunks(file), templateReadOptions(t.template))) {
		if (ev.type === 'rowError') {
			problems.push({
				row: ev.row,
				column: fileColumn(fileName, ev.column),
				value: '',
				message: ev.message,
				code: 'row'
			});
			continue;
		}
		if (ev.type !== 'row') continue;
		// The template's second line names the columns in the user's language; sent back, it is not data.
		if (isLabelRow(ev.record, t.template)) continue;
		const mapped = mapRecord(t.template, ev.record, { numberFormat });
		const raw = mapped.identifiers[TAX_COLUMN];
		// The template reader's own refusal of the cell (missing, the example marker) says why best.
		const refused = mapped.problems.find((p) => p.column === TAX_COLUMN);
		const tax = raw === undefined ? null : parseTaxCode(raw);
		if (!tax || !tax.ok) {
			problems.push({
				row: ev.row,
				column: fileColumn(fileName, TAX_COLUMN),
				value: raw ?? refused?.value ?? '',
				message:
					tax && !tax.ok
						? tax.error
						: (refused?.message ?? { vi: 'Thiếu mã số thuế.', en: 'The tax code is missing.' }),
				code: 'tax-code'
			});
			continue;
		}
		let e = byTax.get(tax.value);
		if (!e) byTax.set(tax.value, (e = { rows: [], lines: [], bad: false, unreadable: new Set() }));
		for (const p of mapped.problems) {
			e.bad = true;
			e.unreadable.add(`${e.rows.length + 1}.${p.column}`);
			problems.push({
				row: ev.row,
				column: fileColumn(fileName, p.column),
				value: p.value,
				message: {
					vi: `Tệp ${fileName}, dòng ${ev.row}, cột ${p.column}: ${p.message.vi}`,
					en: `File ${fileName}, row ${ev.row}, column ${p.column}: ${p.message.en}`
				},
				code: 'cell'
			});
		}
		const { [TAX_COLUMN]: _tax, ...row } = mapped.answers;
		void _tax;
		e.rows.push(row);
		e.lines.push(ev.row);
	}
	return { byTax, problems };
}

/**
 * The equipment file's template: column names (what the import reads), a label row in the user's
 * language (skipped when sent back) and one example row whose tax code marks it as an example, so a
 * template returned unchanged is refused on that row rather than imported.
 */
export function equipmentTemplateCsv(t: EquipmentFileTemplate, locale: 'vi' | 'en', example: Json[]): string {
	const names = t.template.columns.map((c) => c.name);
	const label = Object.fromEntries(t.template.columns.map((c) => [c.name, c.title[locale]]));
	const rows = example.map((r) => {
		const out: Record<string, string> = {};
		for (const c of t.template.columns) {
			const v = r[c.name];
			out[c.name] =
				v === undefined || v === null
					? ''
					: typeof v === 'number' && locale === 'vi'
						? String(v).replace('.', ',')
						: String(v);
		}
		out[TAX_COLUMN] = locale === 'vi' ? 'VÍ DỤ - xóa dòng này' : 'EXAMPLE - delete this row';
		return out;
	});
	return toCsvString([label, ...rows], names, { delimiter: locale === 'vi' ? ';' : ',' });
}
