/**
 * The first step of the UI's two-step flow: read the head of an uploaded file and show what an
 * import would do with it (columns mapped or ignored, first rows, number format) before anything
 * is committed.
 */
import {
	CsvFileError,
	headerKey,
	readCsv,
	templateColumnLabel,
	templateReadOptions,
	type Bilingual,
	type CsvWarning,
	type ReadCsvOptions
} from '$lib/domain/csv';
import type { Database } from '../db/types';
import { C, type ImportDoc, type ImportKind, type ImportMode } from '../db/schema';
import { newId } from '../db/ids';
import { fileChunks, fileInfo } from './source';
import {
	detectRegisterNumberFormat,
	REGISTER_COLUMNS,
	REGISTER_READ_OPTIONS,
	registerColumns,
	registerFieldOf,
	type RegisterField
} from './enterprises';
import { detectFileNumberFormat, numberFormatWarning, responseImportContext } from './responses';
import { EMPTY_COUNTS, ImportRefused } from './types';
import { shareUpload, uploadsShared } from './uploads';

export interface ColumnMapping {
	header: string;
	/** Template column or register field it feeds; null when ignored. */
	target: string | null;
	/** What the target is, for people (the code stays a detail); absent on older analyses. */
	label?: Bilingual | null;
}

/** Register fields as staff call them. */
export const REGISTER_FIELD_LABELS: Record<RegisterField, Bilingual> = {
	taxCode: { vi: 'Mã số thuế', en: 'Tax code' },
	name: { vi: 'Tên doanh nghiệp', en: 'Enterprise name' },
	vsic: { vi: 'Mã ngành VSIC', en: 'VSIC code' },
	ownership: { vi: 'Loại hình sở hữu', en: 'Ownership' },
	ward: { vi: 'Phường/xã', en: 'Ward/commune' },
	employees: { vi: 'Số lao động', en: 'Employees' },
	revenueBn: { vi: 'Doanh thu (tỷ đồng)', en: 'Revenue (bn VND)' },
	capitalBn: { vi: 'Vốn (tỷ đồng)', en: 'Capital (bn VND)' },
	email: { vi: 'E-mail liên hệ', en: 'Contact e-mail' }
};

export interface Analysis {
	importId: string;
	kind: ImportKind;
	campaignId: string | null;
	fileName: string;
	fileBytes: number;
	encoding: string;
	delimiter: string;
	mapping: ColumnMapping[];
	/** Expected columns the file does not have (they count as empty). */
	absent: string[];
	/** The same, as labels (absent on older analyses). */
	absentLabels?: Bilingual[];
	preview: string[][];
	previewRows: number;
	numberFormat: { format: 'dot-decimal' | 'comma-decimal'; confident: boolean };
	warnings: CsvWarning[];
	/** A file-level error: the file cannot be imported as it is. */
	error: { vi: string; en: string } | null;
}

const PREVIEW_ROWS = 10;

async function head(file: string, options: ReadCsvOptions) {
	let header: {
		headers: string[];
		columns: string[];
		delimiter: string;
		encoding: string;
		warnings: CsvWarning[];
	} | null = null;
	const preview: string[][] = [];
	const rowErrors: CsvWarning[] = [];
	for await (const ev of readCsv(fileChunks(file), options)) {
		if (ev.type === 'header') header = ev;
		else if (ev.type === 'row') {
			preview.push(ev.fields);
			if (preview.length >= PREVIEW_ROWS) break;
		} else if (ev.type === 'rowError' && rowErrors.length < 5)
			rowErrors.push({ code: 'row_error', message: ev.message });
	}
	return { header, preview, rowErrors };
}

/** Analyses `file` and records an import waiting for confirmation (status 'analysed'). */
export async function analyseImport(
	db: Database,
	input: {
		kind: ImportKind;
		file: string;
		fileName: string;
		campaignId?: string | null;
		mode?: ImportMode;
		invite?: boolean;
		actorId?: string | null;
	}
): Promise<Analysis> {
	const info = await fileInfo(input.file);
	const analysis: Analysis = {
		importId: newId(),
		kind: input.kind,
		campaignId: input.campaignId ?? null,
		fileName: input.fileName,
		fileBytes: info.bytes,
		encoding: '',
		delimiter: '',
		mapping: [],
		absent: [],
		preview: [],
		previewRows: 0,
		numberFormat: { format: 'dot-decimal', confident: true },
		warnings: [],
		error: null
	};
	try {
		if (input.kind === 'responses') {
			if (!input.campaignId)
				throw new ImportRefused({ vi: 'Hãy chọn đợt khảo sát.', en: 'Choose a campaign.' });
			const ctx = await responseImportContext(db, input.campaignId);
			const opts = templateReadOptions(ctx.template);
			const h = await head(input.file, opts);
			const known = new Set(ctx.template.columns.map((c) => headerKey(c.name)));
			fill(analysis, h, (c) => (known.has(headerKey(c)) ? c : null));
			const byKey = new Map(ctx.template.columns.map((c) => [headerKey(c.name), c]));
			for (const m of analysis.mapping) {
				const col = m.target ? byKey.get(headerKey(m.target)) : undefined;
				m.label = col ? templateColumnLabel(col) : null;
			}
			const present = new Set(h.header?.columns.map(headerKey));
			const missing = ctx.template.columns.filter((c) => !present.has(headerKey(c.name)));
			analysis.absent = missing.map((c) => c.name);
			analysis.absentLabels = missing.map(templateColumnLabel);
			const d = await detectFileNumberFormat(input.file, ctx.template);
			analysis.numberFormat = { format: d.format, confident: d.confident };
			if (!d.confident) analysis.warnings.push(numberFormatWarning(d));
		} else {
			const h = await head(input.file, REGISTER_READ_OPTIONS);
			if (h.header) registerColumns(h.header.columns);
			fill(analysis, h, (c) => registerFieldOf(c));
			analysis.warnings = analysis.warnings.filter((w) => w.code !== 'missing_optional_columns');
			for (const m of analysis.mapping)
				m.label = m.target ? (REGISTER_FIELD_LABELS[m.target as RegisterField] ?? null) : null;
			const present = new Set(analysis.mapping.map((m) => m.target));
			const missing = REGISTER_COLUMNS.filter((c) => !present.has(c.field));
			analysis.absent = missing.map((c) => c.field);
			analysis.absentLabels = missing.map((c) => REGISTER_FIELD_LABELS[c.field]);
			if (h.header) {
				const d = await detectRegisterNumberFormat(input.file);
				analysis.numberFormat = { format: d.format, confident: d.confident };
				if (!d.confident) analysis.warnings.push(numberFormatWarning(d));
			}
		}
	} catch (e) {
		if (e instanceof CsvFileError || e instanceof ImportRefused) analysis.error = e.messages;
		else throw e;
	}
	// Before the record: a crash in between leaves only chunks, which their TTL index removes.
	const sharedChunks =
		!analysis.error && uploadsShared(db) ? await shareUpload(db, analysis.importId, input.file) : null;
	const now = new Date();
	await db.collection<ImportDoc>(C.imports).insertOne({
		_id: analysis.importId,
		kind: input.kind,
		campaignId: analysis.campaignId,
		fileName: input.fileName,
		fileBytes: info.bytes,
		fileSha256: info.sha256,
		tempPath: analysis.error ? null : input.file,
		sharedChunks,
		mode: input.mode ?? 'all-or-nothing',
		numberFormat: null,
		invite: input.invite === true,
		status: analysis.error ? 'rejected' : 'analysed',
		counts: { ...EMPTY_COUNTS },
		warnings: analysis.warnings,
		problems: [],
		problemCount: 0,
		message: analysis.error,
		analysis: {
			encoding: analysis.encoding,
			delimiter: analysis.delimiter,
			mapping: analysis.mapping,
			absent: analysis.absent,
			...(analysis.absentLabels ? { absentLabels: analysis.absentLabels } : {}),
			// Cells are cut so a pathological file cannot bloat the record.
			preview: analysis.preview.map((r) =>
				r.slice(0, 200).map((c) => (c.length > 200 ? `${c.slice(0, 200)}…` : c))
			),
			numberFormat: analysis.numberFormat
		},
		createdBy: input.actorId ?? null,
		createdAt: now,
		updatedAt: now,
		finishedAt: analysis.error ? now : null
	});
	return analysis;
}

function fill(
	a: Analysis,
	h: Awaited<ReturnType<typeof head>>,
	target: (column: string) => string | null
): void {
	if (!h.header) return;
	a.encoding = h.header.encoding;
	a.delimiter = h.header.delimiter === '\t' ? 'tab' : h.header.delimiter;
	a.mapping = h.header.headers.map((header, i) => ({
		header,
		target: h.header!.columns[i] ? target(h.header!.columns[i]) : null
	}));
	a.preview = h.preview;
	a.previewRows = h.preview.length;
	a.warnings = [...h.header.warnings, ...h.rowErrors];
}
