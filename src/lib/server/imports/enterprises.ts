/**
 * Enterprise register import: creates or updates enterprises by tax code, optionally adds them to
 * a campaign and invites new contacts (an e-mail with no account and no pending invitation).
 *
 * Accepted headers (case, spaces and Unicode form do not matter; see REGISTER_COLUMNS):
 *   taxCode   | Mã số thuế | MST | Tax code                       (required)
 *   name      | Tên doanh nghiệp | Tên | Name | Enterprise name   (required)
 *   vsic      | Mã VSIC | Mã ngành | VSIC code                    (required, 4 digits)
 *   ownership | Loại hình sở hữu | Sở hữu | Ownership           (required: state/private/fdi or a label)
 *   ward      | Phường/xã | Phường xã | Ward | Ward/commune       (required: id or name from the ward list)
 *   employees | Số lao động | Lao động | Employees
 *   revenueBn | Doanh thu (tỷ đồng) | Doanh thu | Revenue (bn VND) | Revenue
 *   capitalBn | Vốn (tỷ đồng) | Nguồn vốn | Capital (bn VND) | Capital
 *   email     | Email liên hệ | Email | Contact email
 * An empty optional cell leaves the stored value as it is; a row equal to the register is unchanged.
 * The register rows commit in one transaction; participation and invitations follow (both
 * idempotent, so a re-run after a crash completes them).
 */
import {
	CsvFileError,
	detectNumberFormat,
	headerKey,
	matchKey,
	parseLocaleNumber,
	readCsv,
	type Bilingual,
	type NumberFormat
} from '$lib/domain/csv';
import {
	OWNERSHIP_LABELS,
	OWNERSHIPS,
	parseTaxCode,
	parseVsic4,
	type Ownership
} from '$lib/domain/enterprise';
import type { BulkWriteOp, Database } from '../db/types';
import { C, type AuditDoc, type CampaignDoc, type EnterpriseDoc, type ImportDoc } from '../db/schema';
import { newId } from '../db/ids';
import { listWards } from '../surveys';
import { addParticipants, appOrigin, inviteEnterprises, type InviteOutcome } from '../campaigns';
import { fileChunks } from './source';
import { StagingFile } from './staging';
import { ImportRun } from './run';
import { numberFormatWarning } from './responses';
import { ImportRefused, type ImportResult, type ImportRunOptions, type RowProblem } from './types';
import { ConcurrentChange, isConcurrentChange } from './concurrent';

export type RegisterField =
	'taxCode' | 'name' | 'vsic' | 'ownership' | 'ward' | 'employees' | 'revenueBn' | 'capitalBn' | 'email';

export const REGISTER_COLUMNS: ReadonlyArray<{ field: RegisterField; required: boolean; headers: string[] }> =
	[
		{ field: 'taxCode', required: true, headers: ['taxCode', 'tax_code', 'Tax code', 'Mã số thuế', 'MST'] },
		{
			field: 'name',
			required: true,
			headers: ['name', 'Name', 'Enterprise name', 'Tên doanh nghiệp', 'Tên']
		},
		{ field: 'vsic', required: true, headers: ['vsic', 'VSIC code', 'Mã VSIC', 'Mã ngành'] },
		{ field: 'ownership', required: true, headers: ['ownership', 'Loại hình sở hữu', 'Sở hữu'] },
		{ field: 'ward', required: true, headers: ['ward', 'Ward/commune', 'Phường/xã', 'Phường xã'] },
		{ field: 'employees', required: false, headers: ['employees', 'Số lao động', 'Lao động'] },
		{
			field: 'revenueBn',
			required: false,
			headers: ['revenueBn', 'revenue', 'Revenue (bn VND)', 'Doanh thu (tỷ đồng)', 'Doanh thu']
		},
		{
			field: 'capitalBn',
			required: false,
			headers: ['capitalBn', 'capital', 'Capital (bn VND)', 'Vốn (tỷ đồng)', 'Nguồn vốn', 'Vốn']
		},
		{ field: 'email', required: false, headers: ['email', 'Contact email', 'Email liên hệ'] }
	];

const HEADER_FIELD = new Map<string, RegisterField>();
for (const c of REGISTER_COLUMNS) for (const h of c.headers) HEADER_FIELD.set(headerKey(h), c.field);
const ALL_HEADERS = [
	...new Map(REGISTER_COLUMNS.flatMap((c) => c.headers).map((h) => [headerKey(h), h])).values()
];
const NUMBER_FIELDS: RegisterField[] = ['employees', 'revenueBn', 'capitalBn'];

export function registerFieldOf(header: string): RegisterField | null {
	return HEADER_FIELD.get(headerKey(header)) ?? null;
}

/** Field → the header it is read from, checked once per file. */
export function registerColumns(columns: string[]): Map<RegisterField, string> {
	const found = new Map<RegisterField, string[]>();
	for (const c of columns) {
		const f = registerFieldOf(c);
		if (f) found.set(f, [...(found.get(f) ?? []), c]);
	}
	const dups = [...found].filter(([, hs]) => hs.length > 1);
	if (dups.length) {
		const list = dups.map(([f, hs]) => `${f}: ${hs.join(' / ')}`).join('; ');
		throw new CsvFileError(
			'duplicate_headers',
			{
				vi: `Nhiều cột cùng chỉ một trường: ${list}. Giữ lại một cột cho mỗi trường.`,
				en: `Several columns mean the same field: ${list}. Keep one column per field.`
			},
			{ duplicates: dups.map(([f]) => f) }
		);
	}
	const missing = REGISTER_COLUMNS.filter((c) => c.required && !found.has(c.field));
	if (missing.length) {
		const list = missing.map((c) => `${c.field} (${c.headers[3] ?? c.headers[1]})`).join(', ');
		throw new CsvFileError(
			'missing_headers',
			{
				vi: `Thiếu cột bắt buộc: ${list}. Tên cột được chấp nhận có trong hướng dẫn nhập danh bạ.`,
				en: `Missing required columns: ${list}. The accepted column names are listed in the register import help.`
			},
			{ missing: missing.map((c) => c.field) }
		);
	}
	return new Map([...found].map(([f, hs]) => [f, hs[0]]));
}

export const REGISTER_READ_OPTIONS = { optionalColumns: ALL_HEADERS };

/**
 * The number format of a register file, from its number columns (first 2,000 rows); `;`-separated
 * files lean to the decimal comma. The analysis shows this very result, so the format announced
 * before confirming is the one the import uses.
 */
export async function detectRegisterNumberFormat(file: string) {
	const samples: string[] = [];
	let delimiter = ',';
	let n = 0;
	let cols: Map<RegisterField, string> | null = null;
	for await (const ev of readCsv(fileChunks(file), REGISTER_READ_OPTIONS)) {
		if (ev.type === 'header') {
			delimiter = ev.delimiter;
			cols = registerColumns(ev.columns);
		} else if (ev.type === 'row' && cols) {
			for (const f of NUMBER_FIELDS) {
				const c = cols.get(f);
				if (c && ev.record[c]) samples.push(ev.record[c]);
			}
			if (++n >= 2000) break;
		}
	}
	return detectNumberFormat(samples, { fallback: delimiter === ';' ? 'comma-decimal' : 'dot-decimal' });
}

interface RegisterRow {
	taxCode: string;
	name: string;
	vsic: string;
	ownership: Ownership;
	ward: string;
	employees?: number;
	revenueBn?: number;
	capitalBn?: number;
	email?: string;
}

const OWNERSHIP_WORDS = new Map<string, Ownership>();
for (const o of OWNERSHIPS) {
	OWNERSHIP_WORDS.set(o, o);
	OWNERSHIP_WORDS.set(matchKey(OWNERSHIP_LABELS[o].vi), o);
	OWNERSHIP_WORDS.set(matchKey(OWNERSHIP_LABELS[o].en), o);
}
for (const [w, o] of [
	['nhà nước', 'state'],
	['state-owned', 'state'],
	['doanh nghiệp nhà nước', 'state'],
	['ngoài nhà nước', 'private'],
	['tư nhân', 'private'],
	['non-state', 'private'],
	['doanh nghiệp ngoài nhà nước', 'private'],
	['có vốn đầu tư nước ngoài', 'fdi'],
	['doanh nghiệp có vốn đầu tư nước ngoài', 'fdi'],
	['foreign-invested', 'fdi'],
	['foreign-invested (fdi)', 'fdi'],
	['non-state (private)', 'private']
] as const)
	OWNERSHIP_WORDS.set(matchKey(w), o);

/**
 * The register's vocabulary for a choice code: the words the register import reads as
 * this ownership class or ward, so the responses import accepts them too ("Ngoài nhà nước",
 * "Láng" for the ward whose label is "Phường Láng").
 */
export function registerAliases(code: string): string[] {
	const out: string[] = [];
	for (const [word, o] of OWNERSHIP_WORDS) if (o === code && word !== code) out.push(word);
	for (const w of listWards()) if (w.id === code) out.push(w.name);
	return out;
}

let wardIndex: Map<string, string> | null = null;
function wardId(s: string): string | null {
	if (!wardIndex) {
		wardIndex = new Map();
		for (const w of listWards()) {
			wardIndex.set(matchKey(w.id), w.id);
			wardIndex.set(matchKey(w.name), w.id);
		}
	}
	return wardIndex.get(matchKey(s)) ?? null;
}

const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:".]+(\.[^\s@<>()[\]\\,;:".]+)+$/;

/** Reads one register row; problems name the column (as written in the file). */
export function readRegisterRow(
	record: Record<string, string>,
	columns: Map<RegisterField, string>,
	format: NumberFormat
): {
	row: RegisterRow | null;
	problems: Array<{ column: string; value: string; message: Bilingual; reject: boolean }>;
} {
	const problems: Array<{ column: string; value: string; message: Bilingual; reject: boolean }> = [];
	const cell = (f: RegisterField) => (columns.has(f) ? (record[columns.get(f)!] ?? '').trim() : '');
	const bad = (f: RegisterField, message: Bilingual, reject = true) =>
		problems.push({ column: columns.get(f) ?? f, value: cell(f), message, reject });
	const out: Partial<RegisterRow> = {};

	const tax = parseTaxCode(cell('taxCode'));
	if (tax.ok) out.taxCode = tax.value;
	else bad('taxCode', tax.error);
	const name = cell('name').normalize('NFC');
	if (name === '') bad('name', { vi: 'Thiếu tên doanh nghiệp.', en: 'The enterprise name is missing.' });
	else if (name.length > 300)
		bad('name', { vi: 'Tên dài quá 300 ký tự.', en: 'The name is longer than 300 characters.' });
	else out.name = name;
	const vsic = parseVsic4(cell('vsic'));
	if (vsic.ok) out.vsic = vsic.value;
	else bad('vsic', vsic.error);
	const own = OWNERSHIP_WORDS.get(matchKey(cell('ownership')));
	if (own) out.ownership = own;
	else
		bad('ownership', {
			vi: `"${cell('ownership')}" không phải loại hình sở hữu: dùng state/private/fdi hoặc "${OWNERSHIPS.map((o) => OWNERSHIP_LABELS[o].vi).join('" / "')}".`,
			en: `"${cell('ownership')}" is not an ownership type: use state/private/fdi or "${OWNERSHIPS.map((o) => OWNERSHIP_LABELS[o].en).join('" / "')}".`
		});
	const ward = cell('ward');
	if (ward === '') bad('ward', { vi: 'Thiếu phường/xã.', en: 'The ward/commune is missing.' });
	else {
		const id = wardId(ward);
		out.ward = id ?? ward.normalize('NFC');
		if (!id)
			bad(
				'ward',
				{
					vi: `"${ward}" không có trong danh sách phường/xã; được lưu như đã ghi.`,
					en: `"${ward}" is not in the ward/commune list; stored as written.`
				},
				false
			);
	}
	for (const f of NUMBER_FIELDS) {
		const v = cell(f);
		if (v === '') continue;
		const n = parseLocaleNumber(v, format);
		if (n === null || n < 0 || (f === 'employees' && !Number.isInteger(n)))
			bad(f, {
				vi: `"${v}" không phải ${f === 'employees' ? 'số nguyên' : 'số'} không âm (định dạng ${format === 'comma-decimal' ? '1.234,5' : '1,234.5'}).`,
				en: `"${v}" is not a non-negative ${f === 'employees' ? 'whole number' : 'number'} (format ${format === 'comma-decimal' ? '1.234,5' : '1,234.5'}).`
			});
		else out[f as 'employees'] = n;
	}
	const email = cell('email').toLowerCase();
	if (email !== '') {
		if (email.length > 254 || !EMAIL_RE.test(email))
			bad('email', {
				vi: `"${email}" không phải địa chỉ e-mail hợp lệ.`,
				en: `"${email}" is not a valid e-mail address.`
			});
		else out.email = email;
	}
	return { row: problems.some((p) => p.reject) ? null : (out as RegisterRow), problems };
}

export interface EnterpriseImportOptions extends ImportRunOptions {
	/** Add every enterprise of the file to this campaign (idempotent). */
	campaignId?: string | null;
	/**
	 * Send the campaign's invitation e-mail to every enterprise of the file (needs campaignId): the
	 * same invitation as the campaign's invite page, once per enterprise and campaign.
	 */
	invite?: boolean;
	/** The app's public origin for the links in those e-mails (default: ORIGIN, see appOrigin). */
	origin?: string;
}

export interface EnterpriseImportResult extends ImportResult {
	/**
	 * Invitation e-mails queued by this import; `link` is the personal single-use link of an
	 * enterprise without an account (shown once: the token is stored hashed), null for the others.
	 */
	invitations: Array<{ taxCode: string; email: string; link: string | null }>;
	/** What the invite step did (also recorded on the import), null when it did not run. */
	invited: NonNullable<ImportDoc['invited']> | null;
	participantsAdded: number;
}

interface Staged {
	op: 'insert' | 'update';
	row: number;
	id: string;
	/** Update: the document's updatedAt when read (the commit fails if it moved). */
	updatedAt: string | null;
	set: Partial<RegisterRow>;
}

const BATCH = 1000;

export async function importEnterprises(
	db: Database,
	options: EnterpriseImportOptions
): Promise<EnterpriseImportResult> {
	let campaign: CampaignDoc | null = null;
	if (options.campaignId) {
		campaign = await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: options.campaignId });
		if (!campaign)
			throw new ImportRefused({
				vi: `Không tìm thấy đợt khảo sát "${options.campaignId}".`,
				en: `Campaign "${options.campaignId}" does not exist.`
			});
	}
	if (options.invite && !campaign)
		throw new ImportRefused({
			vi: 'Mời doanh nghiệp cần chọn một đợt khảo sát (lời mời là để tham gia một đợt).',
			en: 'Inviting needs a campaign (an invitation is to take part in a campaign).'
		});
	const run = await ImportRun.start(db, 'enterprises', campaign?._id ?? null, options);
	const staging: RegisterStaging = Object.assign(new StagingFile<Staged>(run.id), {
		acceptedTaxCodes: [] as string[]
	});
	const extra: Pick<EnterpriseImportResult, 'invitations' | 'invited' | 'participantsAdded'> = {
		invitations: [],
		invited: null,
		participantsAdded: 0
	};
	try {
		const result = await execute(db, run, staging, options);
		if (result.status !== 'committed') return { ...result, ...extra };
		// After the commit: both steps are idempotent, so a crash here is completed by a re-run.
		const accepted = await acceptedEnterprises(db, staging.acceptedTaxCodes);
		if (campaign && !options.invite)
			extra.participantsAdded = (
				await addParticipants(
					db,
					campaign._id,
					accepted.map((e) => e._id)
				)
			).added.length;
		if (options.invite && campaign) {
			// Inviting adds the participants itself (the campaign invite page's flow).
			const { outcomes, added } = await inviteEnterprises(
				db,
				campaign,
				accepted.map((e) => e._id),
				{ origin: options.origin ?? appOrigin(), createdBy: options.actor?.id ?? null }
			);
			const taxCodeOf = new Map(accepted.map((e) => [e._id, e.taxCode]));
			extra.invitations = outcomes
				.filter((o) => o.result === 'queued')
				.map((o) => ({
					taxCode: taxCodeOf.get(o.enterpriseId) ?? '',
					email: o.email ?? '',
					link: o.link ?? null
				}));
			extra.participantsAdded = added.length;
			extra.invited = tally(outcomes);
			await db
				.collection<ImportDoc>(C.imports)
				.updateOne({ _id: run.id }, { $set: { invited: extra.invited } });
		}
		return { ...result, ...extra };
	} catch (e) {
		const refused = e instanceof CsvFileError || e instanceof ImportRefused;
		if (refused) return { ...(await run.finish('rejected', e.messages)), ...extra };
		if (isConcurrentChange(e))
			return {
				...(await run.finish('failed', {
					vi: 'Danh bạ đã thay đổi trong lúc nhập; không có gì được lưu. Hãy chạy lại.',
					en: 'The register changed while importing; nothing was stored. Run the import again.'
				})),
				...extra
			};
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

type RegisterStaging = StagingFile<Staged> & { acceptedTaxCodes: string[] };

async function acceptedEnterprises(db: Database, taxCodes: string[]): Promise<EnterpriseDoc[]> {
	const out: EnterpriseDoc[] = [];
	for (let i = 0; i < taxCodes.length; i += BATCH)
		out.push(
			...(await db
				.collection<EnterpriseDoc>(C.enterprises)
				.find(
					{ taxCode: { $in: taxCodes.slice(i, i + BATCH) } },
					{ projection: { _id: 1, taxCode: 1, email: 1, name: 1 } }
				))
		);
	return out;
}

function tally(outcomes: InviteOutcome[]): NonNullable<ImportDoc['invited']> {
	const n = (r: InviteOutcome['result']) => outcomes.filter((o) => o.result === r).length;
	return { queued: n('queued'), already: n('already'), noEmail: n('no-email'), errors: n('error') };
}

async function execute(
	db: Database,
	run: ImportRun,
	staging: RegisterStaging,
	options: EnterpriseImportOptions
): Promise<ImportResult> {
	const mode = options.mode ?? 'all-or-nothing';
	let format: NumberFormat;
	if (options.numberFormat && options.numberFormat !== 'auto') format = options.numberFormat;
	else {
		const d = await detectRegisterNumberFormat(options.file);
		format = d.format;
		if (!d.confident) run.warnings.push(numberFormatWarning(d));
	}
	run.numberFormat = format;
	await run.progress({ phase: 'validate' }, true);

	let columns = new Map<RegisterField, string>();
	const seen = new Map<string, number>();
	let pending: Array<{ row: number; data: RegisterRow }> = [];
	const flush = async () => {
		if (pending.length) await resolveBatch(db, run, staging, pending);
		pending = [];
	};
	for await (const ev of readCsv(fileChunks(options.file), REGISTER_READ_OPTIONS)) {
		if (ev.type === 'header') {
			columns = registerColumns(ev.columns);
			// readCsv lists every alias not present; only absent optional *fields* are worth a note.
			run.warnings.push(...ev.warnings.filter((w) => w.code !== 'missing_optional_columns'));
			const absent = REGISTER_COLUMNS.filter((c) => !c.required && !columns.has(c.field)).map((c) => c.field);
			if (absent.length)
				run.warnings.push({
					code: 'missing_optional_columns',
					message: {
						vi: `Không có các cột: ${absent.join(', ')}; giá trị đang lưu được giữ nguyên.`,
						en: `These columns are absent: ${absent.join(', ')}; stored values are kept.`
					}
				});
		} else if (ev.type === 'progress') await run.progress({ bytes: ev.bytes, rows: ev.rows });
		else if (ev.type === 'rowError')
			run.problem({ row: ev.row, column: ev.column, value: '', message: ev.message, code: 'row' });
		else {
			const { row, problems } = readRegisterRow(ev.record, columns, format);
			const rowProblems: Array<RowProblem & { reject: boolean }> = problems.map((p) => ({
				row: ev.row,
				...p,
				code: 'cell'
			}));
			if (row) {
				const first = seen.get(row.taxCode);
				if (first !== undefined)
					rowProblems.push({
						row: ev.row,
						column: columns.get('taxCode')!,
						value: row.taxCode,
						message: {
							vi: `Mã số thuế ${row.taxCode} đã có ở dòng ${first}; mỗi doanh nghiệp chỉ một dòng.`,
							en: `Tax code ${row.taxCode} already appears in row ${first}; one row per enterprise.`
						},
						code: 'duplicate',
						reject: true
					});
				else {
					seen.set(row.taxCode, ev.row);
					pending.push({ row: ev.row, data: row });
				}
			}
			const rejected = rowProblems.some((p) => p.reject);
			for (const { reject, ...p } of rowProblems) run.problem(p, reject && rejected);
			if (pending.length >= BATCH) await flush();
		}
	}
	await flush();
	await run.progress({ bytes: run.totalBytes }, true);

	if (run.counts.rejected > 0 && mode === 'all-or-nothing') {
		const valid = run.counts.imported + run.counts.updated;
		run.counts.imported = run.counts.updated = run.counts.unchanged = 0;
		staging.acceptedTaxCodes = [];
		return run.finish('rejected', {
			vi: `${run.counts.rejected} dòng có lỗi nên không dòng nào được lưu (chế độ "tất cả hoặc không"); ${valid} dòng hợp lệ chưa được lưu.`,
			en: `${run.counts.rejected} row(s) have problems, so nothing was stored (all-or-nothing mode); ${valid} valid row(s) were not stored.`
		});
	}

	await run.progress({ phase: 'store', stored: 0, toStore: staging.count }, true);
	return db.withTransaction(async (session) => {
		const coll = db.collection<EnterpriseDoc>(C.enterprises);
		let stored = 0;
		for await (const batch of staging.batches(500)) {
			const now = new Date();
			let updates = 0;
			const ops: BulkWriteOp<EnterpriseDoc>[] = batch.map((s) => {
				if (s.op === 'insert')
					return {
						insertOne: { document: { _id: s.id, ...(s.set as RegisterRow), createdAt: now, updatedAt: now } }
					};
				updates++;
				return {
					updateOne: {
						filter: { _id: s.id, updatedAt: s.updatedAt ? new Date(s.updatedAt) : null },
						update: { $set: { ...s.set, updatedAt: now } }
					}
				};
			});
			const res = await coll.bulkWrite(ops, { session, ordered: true });
			if (res.matchedCount !== updates) throw new ConcurrentChange();
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
				action: 'import.enterprises',
				target: 'enterprises',
				after: { importId: run.id, ...run.counts }
			},
			{ session }
		);
		return result;
	});
}

async function resolveBatch(
	db: Database,
	run: ImportRun,
	staging: RegisterStaging,
	rows: Array<{ row: number; data: RegisterRow }>
): Promise<void> {
	const existing = await db
		.collection<EnterpriseDoc>(C.enterprises)
		.find({ taxCode: { $in: rows.map((r) => r.data.taxCode) } });
	const byTax = new Map(existing.map((e) => [e.taxCode, e]));
	for (const r of rows) {
		staging.acceptedTaxCodes.push(r.data.taxCode);
		const prev = byTax.get(r.data.taxCode);
		if (!prev) {
			run.counts.imported++;
			await staging.push({ op: 'insert', row: r.row, id: newId(), updatedAt: null, set: r.data });
			continue;
		}
		const set: Partial<RegisterRow> = {};
		for (const [k, v] of Object.entries(r.data) as Array<[keyof RegisterRow, unknown]>)
			if (v !== undefined && prev[k] !== v) (set as Record<string, unknown>)[k] = v;
		if (Object.keys(set).length === 0) {
			run.counts.unchanged++;
			continue;
		}
		run.counts.updated++;
		await staging.push({
			op: 'update',
			row: r.row,
			id: prev._id,
			updatedAt: prev.updatedAt ? new Date(prev.updatedAt).toISOString() : null,
			set
		});
	}
}
