/**
 * Campaigns: one sector, one year, one questionnaire version, an opening and a closing date.
 * Enterprises take part through a response document created when they are invited, so tracking
 * (invited → started → submitted) is a query over one collection.
 */
import type { Database } from './db/types';
import {
	C,
	type CampaignDoc,
	type CampaignStatus,
	type EnterpriseDoc,
	type Ownership,
	type ResponseDoc,
	type SizeClass,
	type UserDoc
} from './db/schema';
import { newId } from './db/ids';
import { isDuplicateKeyError } from './db/types';
import { listSectors, listVersions, surveyExists } from './surveys';
import { AuthInputError } from './auth/types';
import { createInvitation, invitationPath } from './auth/invitations';
import {
	enqueueMail,
	mailCollection,
	MailInputError,
	renderInvitation,
	type MailLocale,
	type RenderedMail
} from './mail';
import { CsvFileError, headerKey, readCsv } from '$lib/domain/csv';
import {
	isOwnership,
	isSizeClass,
	parseTaxCode,
	registerEntryMatches,
	sectorKindOfVsic,
	sizeClass
} from '$lib/domain/enterprise';
import type { Bilingual } from '$lib/i18n';
import { endOfLocalDay, formatDate, startOfLocalDay } from '$lib/time';
import { departmentTimeZone } from './timezone';

export class CampaignInputError extends Error {
	constructor(
		readonly text: Bilingual,
		readonly field?: string
	) {
		super(text.en);
		this.name = 'CampaignInputError';
	}
}

export const DEFAULT_PEER_THRESHOLD = 5;

export interface NewCampaign {
	sector: string;
	year: number;
	surveyId?: string;
	name?: Bilingual;
	opensAt: Date;
	closesAt: Date;
	status?: CampaignStatus;
	peerThreshold?: number;
	createdBy: string | null;
}

export async function createCampaign(db: Database, input: NewCampaign): Promise<CampaignDoc> {
	const sector = listSectors().find((s) => s.id === input.sector);
	if (!sector)
		throw new CampaignInputError(
			{ vi: 'Ngành không tồn tại.', en: `Unknown sector '${input.sector}'.` },
			'sector'
		);
	if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
		throw new CampaignInputError(
			{ vi: 'Năm không hợp lệ.', en: 'The year must be between 2000 and 2100.' },
			'year'
		);
	const versions = listVersions(sector.id);
	const surveyId = input.surveyId ?? `${sector.id}/${versions.at(-1)}`;
	const known =
		versions.some((v) => `${sector.id}/${v}` === surveyId) ||
		(surveyId.startsWith(`${sector.id}/`) && (await surveyExists(db, surveyId)));
	if (!known)
		throw new CampaignInputError(
			{ vi: 'Phiên bản phiếu khảo sát không tồn tại.', en: `Unknown questionnaire version '${surveyId}'.` },
			'surveyId'
		);
	if (
		!(input.opensAt instanceof Date) ||
		isNaN(+input.opensAt) ||
		!(input.closesAt instanceof Date) ||
		isNaN(+input.closesAt)
	)
		throw new CampaignInputError(
			{ vi: 'Ngày mở/đóng không hợp lệ.', en: 'Invalid opening or closing date.' },
			'opensAt'
		);
	if (+input.closesAt <= +input.opensAt)
		throw new CampaignInputError(
			{ vi: 'Ngày đóng phải sau ngày mở.', en: 'The closing date must be after the opening date.' },
			'closesAt'
		);
	const now = new Date();
	const doc: CampaignDoc = {
		_id: newId(),
		sector: sector.id,
		year: input.year,
		surveyId,
		name: input.name ?? {
			vi: `Khảo sát ${sector.name.vi} năm ${input.year}`,
			en: `${sector.name.en} survey ${input.year}`
		},
		opensAt: input.opensAt,
		closesAt: input.closesAt,
		status: input.status ?? 'open',
		peerThreshold: input.peerThreshold ?? DEFAULT_PEER_THRESHOLD,
		createdBy: input.createdBy,
		createdAt: now,
		updatedAt: now
	};
	await db.collection<CampaignDoc>(C.campaigns).insertOne(doc);
	return doc;
}

export async function getCampaign(db: Database, id: string): Promise<CampaignDoc | null> {
	if (typeof id !== 'string') return null;
	return db.collection<CampaignDoc>(C.campaigns).findOne({ _id: id });
}

export interface CampaignSummary extends CampaignDoc {
	counts: { invited: number; inProgress: number; submitted: number; total: number };
}

/** Campaigns with participation counts, newest year first (one aggregation for all counts). */
export async function listCampaigns(db: Database): Promise<CampaignSummary[]> {
	const campaigns = await db.collection<CampaignDoc>(C.campaigns).find({}, { sort: { year: -1, sector: 1 } });
	const rows = await db
		.collection<ResponseDoc>(C.responses)
		.aggregate<{ _id: { c: string; s: string }; n: number }>([
			{ $group: { _id: { c: '$campaignId', s: '$status' }, n: { $sum: 1 } } }
		]);
	const counts = new Map<string, CampaignSummary['counts']>();
	for (const r of rows) {
		const c = counts.get(r._id.c) ?? { invited: 0, inProgress: 0, submitted: 0, total: 0 };
		if (r._id.s === 'invited') c.invited += r.n;
		else if (r._id.s === 'in-progress') c.inProgress += r.n;
		else if (r._id.s === 'submitted') c.submitted += r.n;
		c.total += r.n;
		counts.set(r._id.c, c);
	}
	return campaigns.map((c) => ({
		...c,
		counts: counts.get(c._id) ?? { invited: 0, inProgress: 0, submitted: 0, total: 0 }
	}));
}

/** Whether answers may still be saved and submitted: open status and inside the dates. */
export function acceptingAnswers(
	c: CampaignDoc,
	now = new Date()
): { ok: true } | { ok: false; message: Bilingual } {
	if (c.status !== 'open')
		return { ok: false, message: { vi: 'Đợt khảo sát này không còn mở.', en: 'This campaign is not open.' } };
	if (+now < +c.opensAt)
		return {
			ok: false,
			message: {
				vi: `Đợt khảo sát mở từ ngày ${fmtDate(c.opensAt, 'vi')}.`,
				en: `This campaign opens on ${fmtDate(c.opensAt, 'en')}.`
			}
		};
	if (+now > +c.closesAt)
		return {
			ok: false,
			message: {
				vi: `Đợt khảo sát đã đóng ngày ${fmtDate(c.closesAt, 'vi')}. Vui lòng liên hệ Sở nếu cần gia hạn.`,
				en: `This campaign closed on ${fmtDate(c.closesAt, 'en')}. Please contact the department if you need an extension.`
			}
		};
	return { ok: true };
}

function fmtDate(d: Date, locale: 'vi' | 'en'): string {
	return formatDate(d, locale, departmentTimeZone());
}

/**
 * Opening and closing dates as typed (`YYYY-MM-DD`, calendar days in the department's zone): the
 * campaign opens at local midnight of the first and closes at the end (23:59:59) of the second.
 */
export function campaignDatesFromForm(
	opens: unknown,
	closes: unknown,
	timeZone: string = departmentTimeZone()
): { opensAt: Date; closesAt: Date } {
	const opensAt = typeof opens === 'string' ? startOfLocalDay(opens, timeZone) : null;
	if (!opensAt)
		throw new CampaignInputError(
			{ vi: 'Hãy chọn ngày mở hợp lệ.', en: 'Choose a valid opening date.' },
			'opensAt'
		);
	const closesAt = typeof closes === 'string' ? endOfLocalDay(closes, timeZone) : null;
	if (!closesAt)
		throw new CampaignInputError(
			{ vi: 'Hãy chọn ngày đóng hợp lệ.', en: 'Choose a valid closing date.' },
			'closesAt'
		);
	if (+closesAt <= +opensAt)
		throw new CampaignInputError(
			{
				vi: 'Ngày đóng phải bằng hoặc sau ngày mở.',
				en: 'The closing date must be on or after the opening date.'
			},
			'closesAt'
		);
	return { opensAt, closesAt };
}

export async function extendCampaign(db: Database, id: string, closesAt: Date): Promise<CampaignDoc | null> {
	return db
		.collection<CampaignDoc>(C.campaigns)
		.findOneAndUpdate(
			{ _id: id },
			{ $set: { closesAt, status: 'open', updatedAt: new Date() } },
			{ returnDocument: 'after' }
		);
}

/**
 * Adds enterprises to a campaign (a response document each, status 'invited'). An enterprise that
 * already takes part is left as it is, so inviting twice never duplicates or resets answers.
 */
export async function addParticipants(
	db: Database,
	campaignId: string,
	enterpriseIds: string[]
): Promise<{ added: string[]; already: string[] }> {
	const responses = db.collection<ResponseDoc>(C.responses);
	const added: string[] = [];
	const already: string[] = [];
	for (const enterpriseId of [...new Set(enterpriseIds)]) {
		const now = new Date();
		try {
			// The unique (campaignId, enterpriseId) index makes a second invitation a no-op.
			await responses.insertOne({
				_id: newId(),
				campaignId,
				enterpriseId,
				status: 'invited',
				data: {},
				currentPageNo: 0,
				revision: 0,
				source: 'online',
				createdAt: now,
				updatedAt: now,
				startedAt: null,
				submittedAt: null,
				submitKey: null,
				score: null,
				reopened: []
			});
			added.push(enterpriseId);
		} catch (e) {
			if (isDuplicateKeyError(e)) already.push(enterpriseId);
			else throw e;
		}
	}
	return { added, already };
}

export async function getEnterprise(db: Database, id: string): Promise<EnterpriseDoc | null> {
	if (typeof id !== 'string') return null;
	return db.collection<EnterpriseDoc>(C.enterprises).findOne({ _id: id });
}

export interface Participant {
	responseId: string;
	enterpriseId: string;
	enterpriseName: string;
	taxCode: string;
	status: ResponseDoc['status'];
	submittedAt: Date | null;
	updatedAt: Date;
	score: ResponseDoc['score'];
	reopenedCount: number;
}

export async function campaignParticipants(db: Database, campaignId: string): Promise<Participant[]> {
	const responses = await db
		.collection<ResponseDoc>(C.responses)
		.find({ campaignId }, { projection: { data: 0 }, sort: { updatedAt: -1 } });
	const enterprises = new Map(
		(
			await db
				.collection<EnterpriseDoc>(C.enterprises)
				.find({ _id: { $in: responses.map((r) => r.enterpriseId) } }, { projection: { name: 1, taxCode: 1 } })
		).map((e) => [e._id, e])
	);
	return responses.map((r) => ({
		responseId: r._id,
		enterpriseId: r.enterpriseId,
		enterpriseName: enterprises.get(r.enterpriseId)?.name ?? r.enterpriseId,
		taxCode: enterprises.get(r.enterpriseId)?.taxCode ?? '',
		status: r.status,
		submittedAt: r.submittedAt,
		updatedAt: r.updatedAt,
		score: r.score,
		reopenedCount: r.reopened?.length ?? 0
	}));
}

/** Register enterprises of the campaign's sector that are not yet taking part. */
export async function eligibleEnterprises(
	db: Database,
	campaign: CampaignDoc,
	limit = 500
): Promise<EnterpriseDoc[]> {
	const sector = listSectors().find((s) => s.id === campaign.sector);
	const codes = sector?.vsic.map((v) => v.code) ?? [];
	const taking = new Set(
		(
			await db
				.collection<ResponseDoc>(C.responses)
				.find({ campaignId: campaign._id }, { projection: { enterpriseId: 1 } })
		).map((r) => r.enterpriseId)
	);
	const all = await db
		.collection<EnterpriseDoc>(C.enterprises)
		.find({ vsic: { $in: codes } }, { sort: { name: 1 }, limit: limit + taking.size });
	return all.filter((e) => !taking.has(e._id)).slice(0, limit);
}

// ---- bulk invitations ----

/** The enterprise's size class (Decree 80/2021, thresholds by the VSIC section), null when unknown. */
export function enterpriseSize(
	e: Pick<EnterpriseDoc, 'vsic' | 'employees' | 'revenueBn' | 'capitalBn'>
): SizeClass | null {
	const kind = sectorKindOfVsic(e.vsic);
	return kind
		? sizeClass({ employees: e.employees, revenueBn: e.revenueBn, capitalBn: e.capitalBn }, kind)
		: null;
}

/** VSIC codes of the campaign's sector: the register population a campaign may cover. */
export function sectorVsicCodes(campaign: Pick<CampaignDoc, 'sector'>): string[] {
	return (
		listSectors()
			.find((s) => s.id === campaign.sector)
			?.vsic.map((v) => v.code) ?? []
	);
}

export interface RegisterFilters {
	size?: SizeClass | 'unknown';
	ownership?: Ownership;
	ward?: string;
	vsic?: string;
	/** Part of the name or tax code. */
	q?: string;
}

/** Parses filters from query parameters; unknown values are dropped (a filter never errors). */
export function parseRegisterFilters(params: URLSearchParams): RegisterFilters {
	const f: RegisterFilters = {};
	const size = params.get('size');
	if (size === 'unknown' || isSizeClass(size)) f.size = size;
	const own = params.get('ownership');
	if (isOwnership(own)) f.ownership = own;
	for (const k of ['ward', 'vsic', 'q'] as const) {
		const v = params.get(k)?.trim();
		if (v) f[k] = v.slice(0, 100);
	}
	return f;
}

/**
 * Register enterprises of the campaign's sector, not yet taking part, matching the filters (sorted
 * by name; the text filter ignores tone marks and case, or matches the start of a tax code).
 * `total` counts every match; `enterprises` holds at most `limit` of them from `offset` on.
 */
export async function registerCandidates(
	db: Database,
	campaign: CampaignDoc,
	filters: RegisterFilters = {},
	limit = 1000,
	offset = 0
): Promise<{ enterprises: EnterpriseDoc[]; total: number }> {
	const codes = sectorVsicCodes(campaign);
	const taking = new Set(
		(
			await db
				.collection<ResponseDoc>(C.responses)
				.find({ campaignId: campaign._id }, { projection: { enterpriseId: 1 } })
		).map((r) => r.enterpriseId)
	);
	const query: Record<string, unknown> = { vsic: filters.vsic ? filters.vsic : { $in: codes } };
	if (filters.vsic && !codes.includes(filters.vsic)) return { enterprises: [], total: 0 };
	if (filters.ownership) query.ownership = filters.ownership;
	if (filters.ward) query.ward = filters.ward;
	const q = filters.q ?? '';
	const all = (await db.collection<EnterpriseDoc>(C.enterprises).find(query, { sort: { name: 1 } })).filter(
		(e) =>
			!taking.has(e._id) &&
			(!filters.size || (enterpriseSize(e) ?? 'unknown') === filters.size) &&
			registerEntryMatches(e, q)
	);
	return { enterprises: all.slice(offset, offset + limit), total: all.length };
}

const TAX_CODE_HEADERS = new Set(
	['taxCode', 'tax code', 'tax_code', 'mst', 'mã số thuế', 'ma so thue', 'ma_so_thue'].map(headerKey)
);

export interface TaxCodeList {
	/** Normalised tax codes in file order, without repeats. */
	taxCodes: Array<{ row: number; taxCode: string }>;
	problems: Array<{ row: number; message: Bilingual }>;
}

/**
 * Tax codes from a CSV file (a column named taxCode / MST / Mã số thuế, or the only column). Bad
 * cells are reported with their row; a file without such a column throws CampaignInputError.
 */
export async function taxCodesFromCsv(
	source: AsyncIterable<Uint8Array>,
	options: { maxRows?: number; maxBytes?: number } = {}
): Promise<TaxCodeList> {
	const out: TaxCodeList = { taxCodes: [], problems: [] };
	const seen = new Set<string>();
	let column: string | null = null;
	try {
		for await (const ev of readCsv(source, {
			maxRows: options.maxRows ?? 5000,
			maxBytes: options.maxBytes ?? 2_000_000
		})) {
			if (ev.type === 'header') {
				column =
					ev.columns.find((c) => TAX_CODE_HEADERS.has(headerKey(c))) ??
					(ev.columns.filter(Boolean).length === 1 ? ev.columns.find(Boolean)! : null);
				if (!column)
					throw new CampaignInputError(
						{
							vi: `Không tìm thấy cột mã số thuế (đặt tên cột là "MST" hoặc "Mã số thuế"); các cột có: ${ev.headers.join(', ')}.`,
							en: `No tax code column (name it "taxCode" or "MST"); the columns are: ${ev.headers.join(', ')}.`
						},
						'file'
					);
			} else if (ev.type === 'rowError') out.problems.push({ row: ev.row, message: ev.message });
			else if (ev.type === 'row' && column) {
				const parsed = parseTaxCode(ev.record[column] ?? '');
				if (!parsed.ok) out.problems.push({ row: ev.row, message: parsed.error });
				else if (!seen.has(parsed.value)) {
					seen.add(parsed.value);
					out.taxCodes.push({ row: ev.row, taxCode: parsed.value });
				}
			}
		}
	} catch (e) {
		if (e instanceof CsvFileError) throw new CampaignInputError(e.messages, 'file');
		throw e;
	}
	if (!column) throw new CampaignInputError({ vi: 'Tệp CSV trống.', en: 'The CSV file is empty.' }, 'file');
	return out;
}

/** Register enterprises for tax codes; unknown codes and enterprises outside the sector are problems. */
export async function enterprisesByTaxCode(
	db: Database,
	campaign: CampaignDoc,
	list: TaxCodeList
): Promise<{ enterprises: EnterpriseDoc[]; problems: TaxCodeList['problems'] }> {
	const codes = new Set(sectorVsicCodes(campaign));
	const found = new Map(
		(
			await db
				.collection<EnterpriseDoc>(C.enterprises)
				.find({ taxCode: { $in: list.taxCodes.map((t) => t.taxCode) } })
		).map((e) => [e.taxCode, e])
	);
	const problems = [...list.problems];
	const enterprises: EnterpriseDoc[] = [];
	for (const { row, taxCode } of list.taxCodes) {
		const e = found.get(taxCode);
		if (!e)
			problems.push({
				row,
				message: {
					vi: `Mã số thuế ${taxCode} không có trong danh bạ doanh nghiệp.`,
					en: `Tax code ${taxCode} is not in the enterprise register.`
				}
			});
		else if (!codes.has(e.vsic))
			problems.push({
				row,
				message: {
					vi: `${e.name} (${taxCode}) có mã VSIC ${e.vsic}, không thuộc ngành của đợt khảo sát.`,
					en: `${e.name} (${taxCode}) has VSIC ${e.vsic}, outside the campaign's sector.`
				}
			});
		else enterprises.push(e);
	}
	problems.sort((a, b) => a.row - b.row);
	return { enterprises, problems };
}

/** The app's public origin for links in e-mails (ORIGIN, as adapter-node needs it anyway). */
export function appOrigin(): string {
	return (process.env.ORIGIN || `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
}

/** Where an enterprise with an account goes from an e-mail: the login page, then its dashboard. */
export function loginLink(origin: string): string {
	return `${origin}/login?next=${encodeURIComponent('/enterprise')}`;
}

export interface Recipient {
	enterpriseId: string;
	enterpriseName: string;
	taxCode: string;
	/** null: the register has no e-mail and the enterprise has no account. */
	email: string | null;
	locale: MailLocale;
	/** True when the enterprise already has an account (it gets the login link, not an invitation). */
	hasAccount: boolean;
}

/**
 * Who receives the enterprise's campaign mail: its account holder (in the account's language), else
 * the register's contact address in `defaultLocale`.
 */
export async function campaignRecipients(
	db: Database,
	enterprises: EnterpriseDoc[],
	defaultLocale: MailLocale = 'vi'
): Promise<Recipient[]> {
	const users = new Map(
		(
			await db
				.collection<UserDoc>(C.users)
				.find(
					{ role: 'enterprise', enterpriseId: { $in: enterprises.map((e) => e._id) }, disabled: false },
					{ sort: { createdAt: 1 } }
				)
		).map((u) => [u.enterpriseId!, u])
	);
	return enterprises.map((e) => {
		const u = users.get(e._id);
		return {
			enterpriseId: e._id,
			enterpriseName: e.name,
			taxCode: e.taxCode,
			email: u?.email ?? e.email ?? null,
			locale: u?.locale ?? defaultLocale,
			hasAccount: Boolean(u)
		};
	});
}

export const inviteKey = (campaignId: string, enterpriseId: string) => `invite:${campaignId}:${enterpriseId}`;

function invitationParams(campaign: CampaignDoc, r: Recipient, link: string) {
	const sector = listSectors().find((s) => s.id === campaign.sector);
	return {
		enterpriseName: r.enterpriseName,
		campaignName: campaign.name[r.locale],
		sector: sector?.name[r.locale] ?? campaign.sector,
		closingDate: campaign.closesAt,
		link
	};
}

/** Days an invitation link stays valid: until a week after closing, at least 14 days. */
function invitationTtlDays(campaign: CampaignDoc, now: Date): number {
	return Math.min(365, Math.max(14, Math.ceil((+campaign.closesAt - +now) / 86_400_000) + 7));
}

export interface InvitationPreview {
	recipients: Array<Recipient & { alreadyInvited: boolean }>;
	/** The message the first recipient with an address would receive (a sample link in place of the token). */
	sample: (RenderedMail & { to: string; locale: MailLocale }) | null;
}

/** What bulk invitation would send, without sending or creating anything. */
export async function previewInvitations(
	db: Database,
	campaign: CampaignDoc,
	enterprises: EnterpriseDoc[],
	options: { origin: string; defaultLocale?: MailLocale }
): Promise<InvitationPreview> {
	const recipients = await campaignRecipients(db, enterprises, options.defaultLocale);
	const sent = new Set(
		(
			await mailCollection(db).find(
				{ dedupeKey: { $in: recipients.map((r) => inviteKey(campaign._id, r.enterpriseId)) } },
				{ projection: { dedupeKey: 1 } }
			)
		).map((m) => m.dedupeKey)
	);
	const first = recipients.find((r) => r.email);
	const sample = first
		? {
				to: first.email!,
				locale: first.locale,
				...renderInvitation(
					first.locale,
					invitationParams(
						campaign,
						first,
						first.hasAccount ? loginLink(options.origin) : `${options.origin}/invite/…`
					)
				)
			}
		: null;
	return {
		recipients: recipients.map((r) => ({
			...r,
			alreadyInvited: sent.has(inviteKey(campaign._id, r.enterpriseId))
		})),
		sample
	};
}

export interface InviteOutcome {
	enterpriseId: string;
	enterpriseName: string;
	email: string | null;
	locale: MailLocale;
	/** queued: a new invitation e-mail; already: one was sent before (not sent again); no-email; error. */
	result: 'queued' | 'already' | 'no-email' | 'error';
	/** The personal link (new invitations only), for admins to pass on when e-mail is not an option. */
	link?: string;
	message?: Bilingual;
}

/**
 * Bulk invitation: each enterprise becomes a participant (addParticipants) and gets one invitation
 * e-mail, keyed `invite:<campaignId>:<enterpriseId>` so it is never invited twice, even by two
 * admins at once. Enterprises with an account get the login link; the others a personal
 * single-use invitation link (role enterprise, this campaign).
 */
export async function inviteEnterprises(
	db: Database,
	campaign: CampaignDoc,
	enterpriseIds: string[],
	options: { origin: string; createdBy: string | null; defaultLocale?: MailLocale; now?: () => Date }
): Promise<{ outcomes: InviteOutcome[]; added: string[]; already: string[] }> {
	const now = (options.now ?? (() => new Date()))();
	const ids = [...new Set(enterpriseIds)];
	const enterprises = await db.collection<EnterpriseDoc>(C.enterprises).find({ _id: { $in: ids } });
	const { added, already } = await addParticipants(
		db,
		campaign._id,
		enterprises.map((e) => e._id)
	);
	const recipients = await campaignRecipients(db, enterprises, options.defaultLocale);
	const outcomes: InviteOutcome[] = [];
	for (const r of recipients) {
		const base = {
			enterpriseId: r.enterpriseId,
			enterpriseName: r.enterpriseName,
			email: r.email,
			locale: r.locale
		};
		const dedupeKey = inviteKey(campaign._id, r.enterpriseId);
		if (await mailCollection(db).findOne({ dedupeKey }, { projection: { _id: 1 } })) {
			outcomes.push({ ...base, result: 'already' });
			continue;
		}
		if (!r.email) {
			outcomes.push({
				...base,
				result: 'no-email',
				message: {
					vi: 'Danh bạ không có địa chỉ e-mail: đã thêm vào đợt khảo sát, hãy liên hệ trực tiếp.',
					en: 'No e-mail address in the register: added to the campaign, contact it directly.'
				}
			});
			continue;
		}
		try {
			let link = loginLink(options.origin);
			if (!r.hasAccount) {
				const inv = await createInvitation(
					db,
					{
						email: r.email,
						role: 'enterprise',
						enterpriseId: r.enterpriseId,
						campaignId: campaign._id,
						createdBy: options.createdBy,
						ttlDays: invitationTtlDays(campaign, now)
					},
					{ now: () => now }
				);
				link = `${options.origin}${invitationPath(inv.token)}`;
			}
			const { created } = await enqueueMail(db, {
				to: r.email,
				locale: r.locale,
				template: 'invitation',
				params: invitationParams(campaign, r, link),
				dedupeKey,
				campaignId: campaign._id,
				enterpriseId: r.enterpriseId
			});
			outcomes.push(
				created
					? { ...base, result: 'queued', ...(r.hasAccount ? {} : { link }) }
					: { ...base, result: 'already' }
			);
		} catch (e) {
			if (e instanceof AuthInputError || e instanceof MailInputError)
				outcomes.push({ ...base, result: 'error', message: e.text });
			else throw e;
		}
	}
	return { outcomes, added, already };
}

/**
 * "Thank you, here is your scorecard", queued after a first submission (dedupe `thanks:<responseId>`).
 * Never throws: the submission is what matters; a failure is logged.
 */
export async function enqueueThanksMail(
	db: Database,
	input: {
		user: { email: string; locale: MailLocale };
		response: ResponseDoc;
		campaign: CampaignDoc;
		origin?: string;
	}
): Promise<void> {
	try {
		const { user, response, campaign } = input;
		const enterprise = await getEnterprise(db, response.enterpriseId);
		await enqueueMail(db, {
			to: user.email,
			locale: user.locale,
			template: 'thanks',
			params: {
				enterpriseName: enterprise?.name ?? user.email,
				campaignName: campaign.name[user.locale],
				scorecardLink: `${input.origin ?? appOrigin()}/enterprise/responses/${response._id}/scorecard`
			},
			dedupeKey: `thanks:${response._id}`,
			campaignId: campaign._id,
			enterpriseId: response.enterpriseId
		});
	} catch (e) {
		console.error(
			`TechCap: thank-you mail for response ${input.response._id} not queued: ${e instanceof Error ? e.message : String(e)}`
		);
	}
}
