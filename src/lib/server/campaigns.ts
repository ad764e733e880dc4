/**
 * Campaigns: one sector, one year, one questionnaire version, an opening and a closing date.
 * Enterprises take part through a response document created when they are invited, so tracking
 * (invited → started → submitted) is a query over one collection.
 */
import type { Database } from './db/types';
import { C, type CampaignDoc, type CampaignStatus, type EnterpriseDoc, type ResponseDoc } from './db/schema';
import { newId } from './db/ids';
import { isDuplicateKeyError } from './db/types';
import { listSectors, listVersions } from './surveys';
import type { Bilingual } from '$lib/i18n';

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
	if (!versions.some((v) => `${sector.id}/${v}` === surveyId))
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
	return d.toLocaleDateString(locale === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh' });
}

export async function setCampaignStatus(db: Database, id: string, status: CampaignStatus): Promise<void> {
	await db
		.collection<CampaignDoc>(C.campaigns)
		.updateOne({ _id: id }, { $set: { status, updatedAt: new Date() } });
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
