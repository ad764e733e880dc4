/**
 * Response import for a campaign: a CSV made from the questionnaire's template, every row checked
 * by `mapRecord` (cells) and `validateForSubmit` (the online form's rules), scored with the
 * campaign's rubric, staged on disk, then written in one transaction.
 *
 * Upsert rule (by tax code + campaign; the enterprise must already be in the register):
 * - no response in the campaign, or an invitation with no answers yet → the row is imported
 *   (status submitted, source 'import', importId recorded);
 * - an earlier import's response with the same answers → unchanged (nothing written, so
 *   re-importing the same file changes nothing); with different answers → updated (new score,
 *   the old one kept as not current);
 * - a response with answers given online (in progress or submitted), or an imported one that an
 *   admin reopened → a conflict row: an import never overwrites answers given online.
 * A campaign must be open or closed (late paper forms); draft and published ones are refused.
 */
import { campaignBasis, lastYearNumbersFor } from '../plausibility';
import { plausibilityWarnings, type Advice, type PlausibilityBasis } from '$lib/domain/plausibility';
import { importWarningText } from '$lib/client/plausibility-text';
import { t } from '$lib/i18n';
import {
	CsvFileError,
	buildTemplate,
	detectNumberFormat,
	readCsv,
	templateReadOptions,
	type NumberFormat,
	type Template
} from '$lib/domain/csv';
import type { CompiledQuestionnaire } from '$lib/domain/survey';
import { AnswerError, type StoredScoreResult } from '$lib/domain/rubric';
import type { BulkWriteOp, Database } from '../db/types';
import {
	C,
	type AuditDoc,
	type CampaignDoc,
	type EnterpriseDoc,
	type ResponseDoc,
	type ScoreDoc
} from '../db/schema';
import { newId } from '../db/ids';
import { loadSurvey } from '../surveys';
import { compiledQuestionnaire } from '../responses';
import { fileChunks } from './source';
import { StagingFile } from './staging';
import { ImportRun, canonicalJson } from './run';
import { checkRows } from './rows';
import { registerAliases } from './enterprises';
import { ImportRefused, type ImportResult, type ImportRunOptions, type RowProblem } from './types';
import {
	equipmentFileTemplate,
	fileColumn,
	listQuestions,
	readEquipmentFile,
	type EquipmentFileTemplate,
	type EnterpriseEquipment
} from './equipment';
import { basename } from 'node:path';
import { ConcurrentChange, isConcurrentChange } from './concurrent';

export interface ResponseImportContext {
	campaign: CampaignDoc;
	template: Template;
	compiled: CompiledQuestionnaire;
	/** The campaign's rubric, scoring straight into the form a score document keeps. */
	score(data: Record<string, unknown>): StoredScoreResult;
	/** The questionnaire's equipment list and the template of its file, or null without a list. */
	equipment: EquipmentFileTemplate | null;
}

const templates = new Map<string, Template>();

/** The template of a questionnaire version (cached: building it walks the whole JSON). */
export function templateFor(surveyId: string): Template {
	let t = templates.get(surveyId);
	if (!t) {
		// A list is not a column of the answers file: its rows come in their own file (equipment.ts).
		const built = buildTemplate(loadSurvey(surveyId).questionnaire, { separateLists: true });
		// Both imports read the same vocabulary: the register's words for ownership and wards.
		t = {
			...built,
			columns: built.columns.map((c) =>
				c.choices
					? {
							...c,
							choices: c.choices.map((o) => {
								const aliases = registerAliases(String(o.value));
								return aliases.length ? { ...o, aliases } : o;
							})
						}
					: c
			)
		};
		templates.set(surveyId, t);
	}
	return t;
}

export async function responseImportContext(
	db: Database,
	campaignId: string
): Promise<ResponseImportContext> {
	const campaign = await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: campaignId });
	if (!campaign)
		throw new ImportRefused({
			vi: `Không tìm thấy đợt khảo sát "${campaignId}".`,
			en: `Campaign "${campaignId}" does not exist.`
		});
	if (campaign.status !== 'open' && campaign.status !== 'closed')
		throw new ImportRefused({
			vi: `Đợt khảo sát đang ở trạng thái "${campaign.status}": chỉ nhập phiếu cho đợt đang mở hoặc đã đóng (chưa công bố).`,
			en: `The campaign is "${campaign.status}": responses can only be imported into an open or closed (not yet published) campaign.`
		});
	const survey = loadSurvey(campaign.surveyId);
	const scorer = survey.scorer(campaign.year);
	const [list] = listQuestions(survey.questionnaire);
	return {
		campaign,
		template: templateFor(campaign.surveyId),
		compiled: compiledQuestionnaire(campaign.surveyId),
		score: (data) => scorer.scoreStored(data),
		equipment: list ? equipmentFileTemplate(list) : null
	};
}

/** Detects the number format from the number cells of the first rows (the file is read again later). */
export async function detectFileNumberFormat(
	file: string,
	template: Template,
	maxRows = 2000
): Promise<ReturnType<typeof detectNumberFormat> & { delimiter: string }> {
	const numberColumns = template.columns.filter((c) => c.cell === 'number').map((c) => c.name);
	const samples: string[] = [];
	let delimiter = ',';
	let rows = 0;
	for await (const ev of readCsv(fileChunks(file), templateReadOptions(template))) {
		if (ev.type === 'header') delimiter = ev.delimiter;
		else if (ev.type === 'row') {
			for (const c of numberColumns) if (ev.record[c]) samples.push(ev.record[c]);
			if (++rows >= maxRows) break;
		}
	}
	return {
		...detectNumberFormat(samples, { fallback: delimiter === ';' ? 'comma-decimal' : 'dot-decimal' }),
		delimiter
	};
}

export function numberFormatWarning(d: ReturnType<typeof detectNumberFormat>): {
	code: string;
	message: { vi: string; en: string };
} {
	const name =
		d.format === 'comma-decimal'
			? { vi: 'dấu phẩy thập phân (1.234,5)', en: 'decimal comma (1.234,5)' }
			: { vi: 'dấu chấm thập phân (1,234.5)', en: 'decimal point (1,234.5)' };
	const ex = [
		...d.evidence.examples.ambiguous,
		...d.evidence.examples.dotDecimal,
		...d.evidence.examples.commaDecimal
	]
		.slice(0, 5)
		.join(', ');
	return {
		code: 'number_format_guessed',
		message: {
			vi: `Định dạng số được đoán là ${name.vi} nhưng chưa chắc chắn${ex ? ` (ví dụ: ${ex})` : ''}. Hãy chọn định dạng số rõ ràng nếu kết quả sai.`,
			en: `The number format was guessed as ${name.en} but the file is not conclusive${ex ? ` (e.g. ${ex})` : ''}. Choose the number format explicitly if values look wrong.`
		}
	};
}

interface Pending {
	row: number;
	taxCode: string;
	/** Cleaned answers. */
	data: Record<string, unknown>;
}

/** One staged change, written by the commit. */
interface Staged {
	op: 'insert' | 'update';
	row: number;
	responseId: string;
	enterpriseId: string;
	/** Update: the revision read during validation (the commit fails if it moved). */
	revision: number;
	startedAt: string | null;
	/** Cleaned answers. */
	data: Record<string, unknown>;
	scoreId: string;
	/** Soft plausibility warnings the row raised (reported, stored with the response, never blocking). */
	plausibility?: Array<{ question: string; advice: Advice }>;
}

const BATCH = 200;
const COMMIT_BATCH = 100;

/** The score document `storeScore` writes, built here so a whole batch goes in one bulk write. */
export function importScoreDoc(
	s: { scoreId: string; responseId: string; enterpriseId: string; score: StoredScoreResult },
	campaign: CampaignDoc,
	at: Date
): ScoreDoc {
	return {
		_id: s.scoreId,
		responseId: s.responseId,
		campaignId: campaign._id,
		enterpriseId: s.enterpriseId,
		rubricVersion: s.score.rubricVersion,
		referenceYear: campaign.year,
		total: s.score.total,
		K: s.score.K,
		level: s.score.level,
		groups: s.score.groups as unknown as Record<string, number>,
		result: s.score,
		reason: 'import',
		scoredAt: at,
		current: true
	};
}

/** Imports a response file into a campaign. Never throws for bad input: the result says why. */
export async function importResponses(
	db: Database,
	campaignId: string,
	options: ImportRunOptions
): Promise<ImportResult> {
	const ctx = await responseImportContext(db, campaignId);
	const run = await ImportRun.start(db, 'responses', campaignId, options);
	const staging = new StagingFile<Staged>(run.id);
	try {
		return await execute(db, ctx, run, staging, options);
	} catch (e) {
		if (e instanceof CsvFileError) return run.finish('rejected', e.messages);
		if (e instanceof ImportRefused) return run.finish('rejected', e.messages);
		if (isConcurrentChange(e))
			return run.finish('failed', {
				vi: 'Một số phiếu đã thay đổi trong lúc nhập (ví dụ doanh nghiệp vừa trả lời trực tuyến); không có gì được lưu. Hãy chạy lại lần nhập.',
				en: 'Some responses changed while importing (e.g. an enterprise answered online meanwhile); nothing was stored. Run the import again.'
			});
		await run
			.finish('failed', {
				vi: 'Lỗi hệ thống khi nhập; không có gì được lưu.',
				en: 'Internal error while importing; nothing was stored.'
			})
			.catch(() => {});
		throw e;
	} finally {
		await staging.remove();
	}
}

async function execute(
	db: Database,
	ctx: ResponseImportContext,
	run: ImportRun,
	staging: StagingFile<Staged>,
	options: ImportRunOptions
): Promise<ImportResult> {
	const { template, compiled, campaign } = ctx;
	const mode = options.mode ?? 'all-or-nothing';

	// Phase parse: settle the number format before any row is read for real.
	let format: NumberFormat;
	if (options.numberFormat && options.numberFormat !== 'auto') format = options.numberFormat;
	else {
		const d = await detectFileNumberFormat(options.file, template);
		format = d.format;
		if (!d.confident) run.warnings.push(numberFormatWarning(d));
	}
	run.numberFormat = format;
	await run.progress({ phase: 'validate' }, true);

	const eq = await readEquipment(ctx, run, options);

	const seen = new Map<string, number>();
	let pending: Pending[] = [];
	const sector = await campaignBasis(db, campaign);
	let flagged = 0;
	const flush = async () => {
		if (pending.length) flagged += await resolveBatch(db, ctx, run, staging, pending, sector);
		pending = [];
	};
	const extra = eq ? (tax: string) => eq.answersFor(tax) : undefined;
	for await (const batch of checkRows(options.file, template, compiled, format, extra)) {
		run.warnings.push(...batch.warnings);
		for (const item of batch.items) {
			if (item.kind === 'rowError') {
				run.problem(item.problem);
				continue;
			}
			const problems = item.cellProblems;
			let taxCode: string | null = null;
			if (item.taxCode !== null) {
				const first = seen.get(item.taxCode);
				if (first !== undefined)
					problems.push({
						row: item.row,
						column: template.columns[0].name,
						value: item.rawTax ?? '',
						message: {
							vi: `Mã số thuế ${item.taxCode} đã có ở dòng ${first}; mỗi doanh nghiệp chỉ một dòng.`,
							en: `Tax code ${item.taxCode} already appears in row ${first}; one row per enterprise.`
						},
						code: 'duplicate'
					});
				else {
					seen.set(item.taxCode, item.row);
					taxCode = item.taxCode;
				}
			}
			// Every problem of the row at once; a repeated tax code is the row's only
			// problem (the row is someone else's twin, its answers are not checked again).
			const duplicate = item.taxCode !== null && taxCode === null;
			const listProblems: RowProblem[] = [];
			if (!duplicate)
				for (const p of item.ruleProblems)
					if (eq && taxCode && p.question === eq.question) {
						if (!eq.enterprise(taxCode)?.unreadable.has(p.item ?? ''))
							listProblems.push(eq.locate(taxCode, p));
					} else problems.push(p);
			if (eq && taxCode && !duplicate) {
				const own = eq.enterprise(taxCode);
				// Checks the validator cannot make (no year after the assessment year): the rubric's guard.
				if (own && item.data && problems.length === 0 && listProblems.length === 0)
					try {
						ctx.score(item.data);
					} catch (e) {
						if (!(e instanceof AnswerError)) throw e;
						listProblems.push(eq.fromAnswerError(taxCode, e, item.row));
					}
				if (own?.bad || listProblems.length) problems.push(eq.rejectRow(taxCode, item.row));
			}
			if (problems.length === 0 && item.data && taxCode)
				pending.push({ row: item.row, taxCode, data: item.data });
			for (const p of problems) run.problem(p);
			for (const p of listProblems) run.problem(p, false);
		}
		if (pending.length >= BATCH) await flush();
		if (batch.progress) await run.progress(batch.progress);
	}
	await flush();
	// Rows for an enterprise the answers file does not have would be lost silently: each is refused.
	if (eq) for (const p of eq.orphans(seen)) run.problem(p);
	await run.progress({ bytes: run.totalBytes }, true);
	if (flagged)
		run.warnings.push({
			code: 'plausibility',
			message: {
				vi: t('vi', 'plausibility.importSummary', { count: flagged }),
				en: t('en', 'plausibility.importSummary', { count: flagged })
			}
		});

	if (run.counts.rejected > 0 && mode === 'all-or-nothing') {
		const { imported, updated } = run.counts;
		run.counts.imported = 0;
		run.counts.updated = 0;
		run.counts.unchanged = 0;
		return run.finish('rejected', {
			vi: `${run.counts.rejected} dòng có lỗi nên không dòng nào được lưu (chế độ "tất cả hoặc không"); ${imported + updated} dòng hợp lệ chưa được lưu. Sửa các lỗi trong báo cáo rồi nhập lại, hoặc chọn chế độ "chỉ các dòng hợp lệ".`,
			en: `${run.counts.rejected} row(s) have problems, so nothing was stored (all-or-nothing mode); ${imported + updated} valid row(s) were not stored. Fix the problems in the report and import again, or choose "valid rows only".`
		});
	}

	await run.progress({ phase: 'store', stored: 0, toStore: staging.count }, true);
	return db.withTransaction(async (session) => {
		const responses = db.collection<ResponseDoc>(C.responses);
		const scores = db.collection<ScoreDoc>(C.scores);
		let stored = 0;
		for await (const batch of staging.batches(COMMIT_BATCH)) {
			const now = new Date();
			const ops: BulkWriteOp<ResponseDoc>[] = [];
			let updates = 0;
			const scored = batch.map((s) => ({ ...s, score: ctx.score(s.data) }));
			for (const s of scored) {
				const summary = {
					total: s.score.total,
					K: s.score.K,
					level: s.score.level,
					rubricVersion: s.score.rubricVersion,
					scoreId: s.scoreId
				};
				if (s.op === 'insert')
					ops.push({
						insertOne: {
							document: {
								_id: s.responseId,
								campaignId: campaign._id,
								enterpriseId: s.enterpriseId,
								status: 'submitted',
								data: s.data,
								currentPageNo: 0,
								revision: 1,
								source: 'import',
								importId: run.id,
								createdAt: now,
								updatedAt: now,
								startedAt: now,
								submittedAt: now,
								submitKey: `import:${run.id}`,
								score: summary,
								plausibility: confirmed(s.plausibility, now),
								reopened: []
							}
						}
					});
				else {
					updates++;
					ops.push({
						updateOne: {
							filter: { _id: s.responseId, revision: s.revision },
							update: {
								$set: {
									status: 'submitted',
									data: s.data,
									source: 'import',
									importId: run.id,
									updatedAt: now,
									startedAt: s.startedAt ? new Date(s.startedAt) : now,
									submittedAt: now,
									submitKey: `import:${run.id}`,
									score: summary,
									plausibility: confirmed(s.plausibility, now)
								},
								$inc: { revision: 1 }
							}
						}
					});
				}
			}
			const res = await responses.bulkWrite(ops, { session, ordered: true });
			if (res.matchedCount !== updates) throw new ConcurrentChange();
			const updatedIds = batch.filter((s) => s.op === 'update').map((s) => s.responseId);
			if (updatedIds.length)
				await scores.updateMany(
					{ responseId: { $in: updatedIds }, current: true },
					{ $set: { current: false } },
					{ session }
				);
			await scores.insertMany(
				scored.map((s) => importScoreDoc(s, campaign, now)),
				{ session }
			);
			stored += batch.length;
			await run.progress({ stored });
		}
		const result = await run.finish('committed', null, session);
		await db.collection<AuditDoc>(C.audit).insertOne(
			{
				_id: newId(),
				at: new Date(),
				actorId: options.actor?.id ?? null,
				actorEmail: options.actor?.email ?? null,
				action: 'import.responses',
				target: `campaigns/${campaign._id}`,
				after: { importId: run.id, ...run.counts }
			},
			{ session }
		);
		return result;
	});
}

const confirmed = (w: Staged['plausibility'], at: Date) => (w ?? []).map((x) => ({ ...x, confirmedAt: at }));

/** Looks up a batch of valid rows and stages what each one changes; returns the warnings raised. */
async function resolveBatch(
	db: Database,
	ctx: ResponseImportContext,
	run: ImportRun,
	staging: StagingFile<Staged>,
	rows: Pending[],
	sector: Omit<PlausibilityBasis, 'lastYear'>
): Promise<number> {
	let flagged = 0;
	const enterprises = await db
		.collection<EnterpriseDoc>(C.enterprises)
		.find({ taxCode: { $in: rows.map((r) => r.taxCode) } }, { projection: { _id: 1, taxCode: 1 } });
	const byTax = new Map(enterprises.map((e) => [e.taxCode, e._id]));
	const existing = await db
		.collection<ResponseDoc>(C.responses)
		.find(
			{ campaignId: ctx.campaign._id, enterpriseId: { $in: enterprises.map((e) => e._id) } },
			{ projection: { _id: 1, enterpriseId: 1, status: 1, source: 1, data: 1, revision: 1, startedAt: 1 } }
		);
	const byEnterprise = new Map(existing.map((r) => [r.enterpriseId, r]));
	const lastYears = await lastYearNumbersFor(db, ctx.campaign, [...byTax.values()]);
	const column = ctx.template.columns[0].name;
	for (const r of rows) {
		const enterpriseId = byTax.get(r.taxCode);
		if (!enterpriseId) {
			run.problem({
				row: r.row,
				column,
				value: r.taxCode,
				message: {
					vi: `Không có doanh nghiệp mã số thuế ${r.taxCode} trong danh bạ: hãy nhập danh bạ doanh nghiệp trước.`,
					en: `No enterprise with tax code ${r.taxCode} in the register: import the register first.`
				},
				code: 'unknown-enterprise'
			});
			continue;
		}
		const prev = byEnterprise.get(enterpriseId);
		const hasAnswers = prev !== undefined && Object.keys(prev.data ?? {}).length > 0;
		if (prev && prev.source === 'import' && prev.status === 'submitted') {
			if (canonicalJson(prev.data) === canonicalJson(r.data)) {
				run.counts.unchanged++;
				continue;
			}
		} else if (prev && (prev.status !== 'invited' || hasAnswers)) {
			run.problem({
				row: r.row,
				column,
				value: r.taxCode,
				message: {
					vi: `Doanh nghiệp ${r.taxCode} đã trả lời trực tuyến trong đợt này (${prev.status}); việc nhập không ghi đè câu trả lời trực tuyến. Bỏ dòng này, hoặc nhờ quản trị viên xử lý phiếu trực tuyến trước.`,
					en: `Enterprise ${r.taxCode} has answered online in this campaign (${prev.status}); an import never overwrites online answers. Remove this row, or ask an admin to deal with the online response first.`
				},
				code: 'conflict'
			});
			continue;
		}
		const update = prev !== undefined;
		if (update && prev.source === 'import') run.counts.updated++;
		else run.counts.imported++;
		const warnings = plausibilityWarnings(r.data, { ...sector, lastYear: lastYears.get(enterpriseId) ?? {} });
		for (const w of warnings)
			run.problem(
				{
					row: r.row,
					column: w.question,
					value: String(w.advice.value),
					message: importWarningText(w.advice),
					code: 'plausibility',
					question: w.question
				},
				false
			);
		flagged += warnings.length;
		await staging.push({
			op: update ? 'update' : 'insert',
			row: r.row,
			responseId: prev?._id ?? newId(),
			enterpriseId,
			revision: prev?.revision ?? 0,
			startedAt: prev?.startedAt ? new Date(prev.startedAt).toISOString() : null,
			data: r.data,
			// Scored at commit: recomputing is cheaper than staging the full result and reading it back.
			scoreId: newId(),
			plausibility: warnings
		});
	}
	return flagged;
}

/** The equipment file of an import, read whole before the answers, and how its problems are reported. */
interface EquipmentInput {
	question: string;
	answersFor(taxCode: string): Record<string, unknown> | undefined;
	enterprise(taxCode: string): EnterpriseEquipment | undefined;
	/** A validator problem on the list (item `<row>.<column>`) placed at its line of the equipment file. */
	locate(taxCode: string, p: RowProblem): RowProblem;
	fromAnswerError(taxCode: string, e: AnswerError, answersRow: number): RowProblem;
	/** The answers row of an enterprise whose equipment rows were refused. */
	rejectRow(taxCode: string, row: number): RowProblem;
	/** Equipment rows whose tax code has no row in the answers file. */
	orphans(seen: ReadonlyMap<string, number>): RowProblem[];
}

async function readEquipment(
	ctx: ResponseImportContext,
	run: ImportRun,
	options: ImportRunOptions
): Promise<EquipmentInput | null> {
	if (!options.equipmentFile) return null;
	const t = ctx.equipment;
	if (!t)
		throw new ImportRefused({
			vi: 'Phiếu khảo sát của đợt này không có danh mục thiết bị: không nhập tệp thiết bị.',
			en: "This campaign's questionnaire has no equipment list: there is no equipment file to import."
		});
	const name = options.equipmentFileName ?? basename(options.equipmentFile);
	let format: NumberFormat;
	if (options.numberFormat && options.numberFormat !== 'auto') format = options.numberFormat;
	else {
		const d = await detectFileNumberFormat(options.equipmentFile, t.template);
		format = d.format;
		if (!d.confident) {
			const w = numberFormatWarning(d);
			run.warnings.push({
				...w,
				message: { vi: `${name}: ${w.message.vi}`, en: `${name}: ${w.message.en}` }
			});
		}
	}
	const read = await readEquipmentFile(options.equipmentFile, name, t, format);
	for (const p of read.problems) run.problem(p, p.code === 'row' || p.code === 'tax-code');
	const at = (taxCode: string, rowNo: number) => read.byTax.get(taxCode)?.lines[rowNo - 1] ?? null;
	const linesOf = (taxCode: string) => (read.byTax.get(taxCode)?.lines ?? []).join(', ');
	return {
		question: t.question,
		answersFor: (tax) => {
			const e = read.byTax.get(tax);
			return e ? { [t.question]: e.rows } : undefined;
		},
		enterprise: (tax) => read.byTax.get(tax),
		locate(tax, p) {
			const m = /^(\d+)\.(.+)$/.exec(p.item ?? '');
			const line = m ? at(tax, Number(m[1])) : null;
			const column = m ? m[2] : null;
			return {
				...p,
				row: line ?? read.byTax.get(tax)?.lines[0] ?? null,
				column: fileColumn(name, column),
				value: '',
				message: {
					vi: `Tệp ${name}, dòng ${line ?? '?'}${column ? `, cột ${column}` : ''}: ${p.message.vi}`,
					en: `File ${name}, row ${line ?? '?'}${column ? `, column ${column}` : ''}: ${p.message.en}`
				}
			};
		},
		fromAnswerError(tax, e, answersRow) {
			const line = e.cell ? at(tax, e.cell.row) : null;
			const column = e.cell?.column ?? null;
			if (e.question !== t.question || line === null)
				return { row: answersRow, column: e.question, value: '', message: e.text, code: 'out-of-range' };
			return {
				row: line,
				column: fileColumn(name, column),
				value: '',
				message: {
					vi: `Tệp ${name}, dòng ${line}, cột ${column}: ${e.text.vi}`,
					en: `File ${name}, row ${line}, column ${column}: ${e.text.en}`
				},
				code: 'out-of-range',
				question: t.question
			};
		},
		rejectRow(tax, row) {
			return {
				row,
				column: ctx.template.columns[0].name,
				value: tax,
				message: {
					vi: `Danh mục thiết bị của doanh nghiệp ${tax} (tệp ${name}, dòng ${linesOf(tax)}) có lỗi: doanh nghiệp không được nhập cho đến khi sửa.`,
					en: `The equipment list of enterprise ${tax} (file ${name}, rows ${linesOf(tax)}) has problems: the enterprise is not imported until they are fixed.`
				},
				code: 'equipment'
			};
		},
		orphans(seen) {
			const out: RowProblem[] = [];
			for (const [tax, e] of read.byTax) {
				if (seen.has(tax)) continue;
				for (const line of e.lines)
					out.push({
						row: line,
						column: fileColumn(name, 'profile_tax_code'),
						value: tax,
						message: {
							vi: `Tệp ${name}, dòng ${line}: mã số thuế ${tax} không có trong tệp câu trả lời; mỗi dòng thiết bị cần dòng câu trả lời của doanh nghiệp đó.`,
							en: `File ${name}, row ${line}: tax code ${tax} is not in the answers file; every equipment row needs its enterprise's answers row.`
						},
						code: 'unknown-tax-code'
					});
			}
			return out.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
		}
	};
}
