/** Reading imports back: the job's progress for polling, the import record, the problem report. */
import { CODEBOOK_COLUMNS, reportToCsv, templateLabelRecord, toCsvString } from '$lib/domain/csv';
import type { Database } from '../db/types';
import { C, type ImportDoc, type JobDoc } from '../db/schema';
import { templateFor } from './responses';
import { equipmentFileTemplate, equipmentTemplateCsv, listQuestions } from './equipment';
import { answersToRecord } from './record';
import { loadSurvey } from '../surveys';
import { generateResponses } from '$lib/domain/generator';
import { ownerDead, type JobOwner } from './owner';

/**
 * A running job not heard from for this long was interrupted (crash, kill, restart). Reading and
 * checking write a heartbeat every few seconds; the commit writes none (it runs in one
 * transaction), so it gets longer. A job whose process is known dead is interrupted at once.
 */
export const STALE_JOB_MS = 60 * 1000;
export const STALE_COMMIT_MS = 10 * 60 * 1000;

const INTERRUPTED = {
	vi: 'Lần nhập bị gián đoạn (máy chủ dừng giữa chừng); không có gì được lưu. Hãy nhập lại.',
	en: 'The import was interrupted (the server stopped midway); nothing was stored. Import the file again.'
};

/** Whether a running job was interrupted: its process is gone, or it has been silent too long. */
export function jobInterrupted(job: JobDoc & { owner?: Partial<JobOwner> }, now = new Date()): boolean {
	if (job.status !== 'running') return false;
	if (ownerDead(job.owner)) return true;
	return +now - +job.heartbeatAt > (job.phase === 'store' ? STALE_COMMIT_MS : STALE_JOB_MS);
}

export interface ImportStatusView {
	id: string;
	kind: ImportDoc['kind'];
	status: ImportDoc['status'];
	phase: JobDoc['phase'] | null;
	bytes: number;
	total: number;
	rows: number;
	/** 0–1 while reading the file; null when unknown (storing runs inside one transaction). */
	fraction: number | null;
	counts: ImportDoc['counts'];
	problemCount: number;
	message: ImportDoc['message'];
	fileName: string;
}

export async function importStatus(
	db: Database,
	id: string,
	now = new Date()
): Promise<ImportStatusView | null> {
	if (typeof id !== 'string' || id.length > 100) return null;
	const imp = await db.collection<ImportDoc>(C.imports).findOne({ _id: id }, { projection: { problems: 0 } });
	if (!imp) return null;
	const job = await db.collection<JobDoc>(C.jobs).findOne({ _id: id });
	let status = imp.status;
	let message = imp.message;
	const interrupted = !!job && jobInterrupted(job, now);
	if (interrupted) {
		status = 'failed';
		message = INTERRUPTED;
		// Recorded once, with honest counts: nothing was committed (rows found faulty stay counted).
		const counts = { imported: 0, updated: 0, unchanged: 0, rejected: job.counts.rejected };
		await db
			.collection<JobDoc>(C.jobs)
			.updateOne({ _id: id, status: 'running' }, { $set: { status: 'failed', counts, updatedAt: now } });
		await db
			.collection<ImportDoc>(C.imports)
			.updateOne(
				{ _id: id, status: 'running' },
				{ $set: { status: 'failed', message, counts, updatedAt: now, finishedAt: now } }
			);
		imp.counts = counts;
	}
	const reading = job && (job.phase === 'parse' || job.phase === 'validate');
	return {
		id,
		kind: imp.kind,
		status,
		phase: job?.phase ?? null,
		bytes: job?.bytes ?? 0,
		total: job?.total ?? imp.fileBytes,
		rows: job?.rows ?? 0,
		fraction:
			job?.phase === 'done' ? 1 : reading && job.total > 0 ? Math.min(1, job.bytes / job.total) : null,
		counts: job?.status === 'running' && !interrupted ? job.counts : imp.counts,
		problemCount: job?.status === 'running' && !interrupted ? job.errors : imp.problemCount,
		message,
		fileName: imp.fileName
	};
}

export async function getImport(db: Database, id: string): Promise<ImportDoc | null> {
	if (typeof id !== 'string' || id.length > 100) return null;
	return db.collection<ImportDoc>(C.imports).findOne({ _id: id });
}

export async function recentImports(db: Database, limit = 20): Promise<ImportDoc[]> {
	return db
		.collection<ImportDoc>(C.imports)
		.find({}, { sort: { createdAt: -1 }, limit, projection: { problems: 0 } });
}

/** The problem report as CSV (row, column, value, message vi/en), formula-escaped. */
export function problemReportCsv(imp: Pick<ImportDoc, 'problems' | 'message' | 'warnings'>): string {
	const file = [
		...(imp.message ? [{ row: null, column: null, value: '', message: imp.message }] : []),
		...imp.warnings.map((w) => ({ row: null, column: null, value: '', message: w.message }))
	];
	return reportToCsv([...file, ...imp.problems]);
}

/** The response template (header row) and its codebook, as CSV strings, for a survey version. */
export function templateFiles(
	surveyId: string,
	locale: 'vi' | 'en' = 'vi'
): { template: string; codebook: string; equipment: string | null } {
	const t = templateFor(surveyId);
	// One example row, realistic answers from the generator; its tax code is marked as an
	// example, so a template sent back unchanged is refused on that row instead of imported.
	const survey = loadSurvey(surveyId);
	const [example] = generateResponses({
		questionnaire: survey.questionnaire,
		sector: survey.sector,
		count: 1,
		seed: 'template-example',
		missingRate: 0,
		outlierRate: 0
	});
	const record: Record<string, string> = answersToRecord(t, example.answers);
	const idColumn = t.columns[0]?.name;
	if (idColumn) record[idColumn] = locale === 'vi' ? 'VÍ DỤ - xóa dòng này' : 'EXAMPLE - delete this row';
	const [list] = listQuestions(survey.questionnaire);
	// The equipment example comes from the first generated enterprise that lists its machines.
	const withList = list
		? generateResponses({
				questionnaire: survey.questionnaire,
				sector: survey.sector,
				count: 20,
				seed: 'template-example',
				missingRate: 0,
				outlierRate: 0
			}).find((r) => Array.isArray(r.answers[String(list.name)]))
		: undefined;
	const rows = withList?.answers[String(list!.name)];
	const equipment = list
		? equipmentTemplateCsv(
				equipmentFileTemplate(list),
				locale,
				Array.isArray(rows) && rows.length ? rows.slice(0, 1) : [{}]
			)
		: null;
	return {
		equipment,
		// Second line: each column's label in the user's language (the import recognises and skips it).
		template: toCsvString(
			[templateLabelRecord(t, locale), record],
			t.columns.map((c) => c.name)
		),
		codebook: toCsvString(
			t.codebook.map((r) => ({ ...r })),
			CODEBOOK_COLUMNS
		)
	};
}

/**
 * The register template: headers as the import reads them, in the user's language, and
 * one example row marked as such (refused if sent back unchanged). Vietnamese: `;` and decimal
 * comma, as Vietnamese Excel writes; English: `,` and decimal point.
 */
export function registerTemplate(locale: 'vi' | 'en'): string {
	const vi = locale === 'vi';
	const columns = vi
		? [
				'Mã số thuế',
				'Tên doanh nghiệp',
				'Mã VSIC',
				'Loại hình sở hữu',
				'Phường/xã',
				'Số lao động',
				'Doanh thu (tỷ đồng)',
				'Vốn (tỷ đồng)',
				'Email liên hệ'
			]
		: [
				'Tax code',
				'Enterprise name',
				'VSIC code',
				'ownership',
				'Ward/commune',
				'employees',
				'Revenue (bn VND)',
				'Capital (bn VND)',
				'Contact email'
			];
	const example = vi
		? [
				'VÍ DỤ - xóa dòng này',
				'Công ty TNHH Cơ khí Ví Dụ',
				'2592',
				'Ngoài nhà nước',
				'Láng',
				'45',
				'12,5',
				'8',
				'lienhe@vidu.vn'
			]
		: [
				'EXAMPLE - delete this row',
				'Example Engineering Co., Ltd',
				'2592',
				'Non-state (private)',
				'Láng',
				'45',
				'12.5',
				'8',
				'contact@example.vn'
			];
	return toCsvString([Object.fromEntries(columns.map((c, i) => [c, example[i]]))], columns, {
		delimiter: vi ? ';' : ','
	});
}
