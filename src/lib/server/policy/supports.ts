/**
 * Follow-up: which enterprises a programme supported (and when), and whether their scores rose
 * more than others' between two assessments (difference-in-differences with n and a 95 % CI).
 */
import { followUp, inSegment, type FollowUpResult } from '$lib/domain/targeting';
import { recordAudit } from '../audit';
import { C, type EnterpriseDoc } from '../db/schema';
import { newId } from '../db/ids';
import { isDuplicateKeyError, type Database } from '../db/types';
import { requireProgramme } from './programmes';
import { rowAccessOf, seesAllRows } from '../authz';
import { candidateOf, shortlistFor, type ShortlistRequest } from './shortlist';
import { auditingRefusals } from './refusals';
import { loadSource } from './sources';
import {
	canEditPolicy,
	canSeeIdentities,
	PolicyError,
	type PolicySource,
	type SupportDoc,
	type Viewer
} from './types';

function checkYear(year: number): void {
	if (!Number.isInteger(year) || year < 2000 || year > 2100)
		throw new PolicyError({
			vi: `Năm hỗ trợ "${String(year)}" không hợp lệ (2000–2100).`,
			en: `Invalid support year "${String(year)}" (2000–2100).`
		});
}

function mustEdit(actor: Viewer | null): void {
	if (actor && !canEditPolicy(actor))
		throw new PolicyError(
			{
				vi: 'Chỉ quản trị viên và lãnh đạo quản lý được ghi nhận hỗ trợ.',
				en: 'Only administrators and policymakers may record support.'
			},
			403
		);
}

/** Records support for enterprises (existing records are kept: recording twice is harmless). */
export async function recordSupports(
	db: Database,
	input: {
		programmeId: string;
		year: number;
		enterpriseIds: readonly string[];
		origin: SupportDoc['origin'];
		sourceId?: string | null;
	},
	actor: Viewer | null,
	ip?: string
): Promise<{ added: number; already: number }> {
	mustEdit(actor);
	checkYear(input.year);
	await requireProgramme(db, input.programmeId);
	const coll = db.collection<SupportDoc>(C.supports);
	const now = new Date();
	let added = 0;
	let already = 0;
	for (const enterpriseId of [...new Set(input.enterpriseIds)].sort()) {
		try {
			await coll.insertOne({
				_id: newId(),
				programmeId: input.programmeId,
				enterpriseId,
				year: input.year,
				origin: input.origin,
				sourceId: input.sourceId ?? null,
				createdAt: now,
				createdBy: actor?.id ?? null
			});
			added++;
		} catch (e) {
			if (!isDuplicateKeyError(e)) throw e;
			already++;
		}
	}
	await recordAudit(db, {
		actor,
		action: 'support.record',
		target: `programmes/${input.programmeId}`,
		after: {
			year: input.year,
			origin: input.origin,
			sourceId: input.sourceId ?? null,
			enterpriseIds: [...input.enterpriseIds],
			added,
			already
		},
		ip
	});
	return { added, already };
}

/** Marks the shortlist of `req` (rebuilt here, so the page cannot inject other enterprises) as supported. */
export async function markShortlistSupported(
	db: Database,
	req: ShortlistRequest,
	year: number,
	actor: Viewer,
	ip?: string
) {
	mustEdit(actor);
	const view = await shortlistFor(db, req, actor, { via: 'support', ip });
	return recordSupports(
		db,
		{
			programmeId: req.programmeId,
			year,
			enterpriseIds: view.selectedIds,
			origin: 'shortlist',
			sourceId: req.sourceId
		},
		actor,
		ip
	);
}

/** Manual entry by tax code (what a programme office has on its lists). */
export async function recordSupportByTaxCode(
	db: Database,
	input: { programmeId: string; year: number; taxCode: string },
	actor: Viewer,
	ip?: string
) {
	mustEdit(actor);
	const code = String(input.taxCode ?? '').trim();
	const e = code ? await db.collection<EnterpriseDoc>(C.enterprises).findOne({ taxCode: code }) : null;
	if (!e)
		throw new PolicyError({
			vi: `Không có doanh nghiệp mã số thuế "${code.slice(0, 20)}" trong danh bạ.`,
			en: `No enterprise with tax code "${code.slice(0, 20)}" in the register.`
		});
	return recordSupports(
		db,
		{ programmeId: input.programmeId, year: input.year, enterpriseIds: [e._id], origin: 'manual' },
		actor,
		ip
	);
}

export async function removeSupport(db: Database, id: string, actor: Viewer, ip?: string): Promise<void> {
	mustEdit(actor);
	const coll = db.collection<SupportDoc>(C.supports);
	const before = await coll.findOne({ _id: String(id) });
	if (!before)
		throw new PolicyError({ vi: 'Không tìm thấy bản ghi hỗ trợ.', en: 'Support record not found.' }, 404);
	await coll.deleteOne({ _id: before._id });
	await recordAudit(db, { actor, action: 'support.remove', target: `supports/${before._id}`, before, ip });
}

export interface SupportListItem {
	id: string;
	programmeId: string;
	year: number;
	origin: SupportDoc['origin'];
	createdAt: string;
	/** Identities for admins and policymakers only. */
	name?: string;
	taxCode?: string;
}

/** Support records (newest year first), with names for viewers allowed to see them. */
export async function listSupports(
	db: Database,
	viewer: Pick<Viewer, 'role' | 'microdata'> | null,
	filter: { programmeId?: string } = {}
): Promise<SupportListItem[]> {
	const docs = await db
		.collection<SupportDoc>(C.supports)
		.find(filter.programmeId ? { programmeId: filter.programmeId } : {}, {
			sort: { year: -1, programmeId: 1, createdAt: -1 },
			limit: 2000
		});
	const ids = canSeeIdentities(viewer);
	const who = ids
		? new Map(
				(
					await db
						.collection<EnterpriseDoc>(C.enterprises)
						.find({ _id: { $in: docs.map((d) => d.enterpriseId) } }, { projection: { name: 1, taxCode: 1 } })
				).map((e) => [e._id, e])
			)
		: null;
	return docs.map((d) => ({
		id: d._id,
		programmeId: d.programmeId,
		year: d.year,
		origin: d.origin,
		createdAt: new Date(d.createdAt).toISOString(),
		...(who ? { name: who.get(d.enterpriseId)?.name, taxCode: who.get(d.enterpriseId)?.taxCode } : {})
	}));
}

export interface FollowUpView {
	programmeId: string;
	before: PolicySource;
	after: PolicySource;
	/** Support years counted: from the earlier assessment's year up to (not including) the later one's. */
	years: { from: number; to: number };
	comparison: 'eligible' | 'all';
	result: FollowUpResult;
}

/**
 * DiD between two sources of the same sector: supported = support records of the programme in
 * [before.year, after.year); controls = the other enterprises in both sources, by default only those
 * the programme's eligibility admitted in the earlier source (a fairer comparison group).
 * Means over 1 to k − 1 enterprises are a few firms' own score changes: viewers who do not see
 * every row (`rowAccessOf`) are refused the estimate then, and unpublished sources altogether.
 */
export async function followUpFor(
	db: Database,
	input: {
		programmeId: string;
		beforeSourceId: string;
		afterSourceId: string;
		comparison?: 'eligible' | 'all';
	},
	viewer: Pick<Viewer, 'role' | 'microdata'> | null
): Promise<FollowUpView> {
	return auditingRefusals(
		db,
		viewer,
		{ path: 'policy/follow-up', sourceIds: [input.beforeSourceId, input.afterSourceId] },
		() => estimate(db, input, viewer)
	);
}

async function estimate(
	db: Database,
	input: Parameters<typeof followUpFor>[1],
	viewer: Pick<Viewer, 'role' | 'microdata'> | null
): Promise<FollowUpView> {
	const access = rowAccessOf(viewer);
	const programme = await requireProgramme(db, input.programmeId);
	const before = await loadSource(db, input.beforeSourceId, access);
	const after = await loadSource(db, input.afterSourceId, access);
	if (before.source.sector !== after.source.sector)
		throw new PolicyError({
			vi: 'Hai nguồn dữ liệu phải cùng một ngành.',
			en: 'Both data sources must be of the same sector.'
		});
	if (after.source.year <= before.source.year)
		throw new PolicyError({
			vi: 'Lần đánh giá sau phải ở năm muộn hơn lần đánh giá trước.',
			en: 'The later assessment must be of a later year than the earlier one.'
		});
	const years = { from: before.source.year, to: after.source.year };
	const supports = await db
		.collection<SupportDoc>(C.supports)
		.find(
			{ programmeId: programme.id, year: { $gte: years.from, $lt: years.to } },
			{ projection: { enterpriseId: 1 } }
		);
	// Only this sector's enterprises: a programme's records for other sectors are not "missing" here.
	const inSector = new Set([...before.rows, ...after.rows].map((r) => r.enterpriseId));
	const supported = [...new Set(supports.map((s) => s.enterpriseId))].filter((id) => inSector.has(id)).sort();
	const supportedSet = new Set(supported);
	const comparison = input.comparison ?? 'eligible';
	const controls =
		comparison === 'eligible'
			? before.rows
					.filter(
						(r) => !supportedSet.has(r.enterpriseId) && inSegment(programme.eligibility, candidateOf(r))
					)
					.map((r) => r.enterpriseId)
			: undefined;
	const result = followUp({
		supported,
		before: new Map(before.rows.map((r) => [r.enterpriseId, r.total])),
		after: new Map(after.rows.map((r) => [r.enterpriseId, r.total])),
		controls
	});
	const k = Math.max(before.source.k, after.source.k);
	// An empty group reveals nothing (its figures are null); 1 to k − 1 enterprises would.
	const small = (n: number) => n > 0 && n < k;
	if (!seesAllRows(access) && (small(result.nTreated) || small(result.nControl)))
		throw new PolicyError(
			{
				vi: `Ước lượng bị ẩn: nhóm được hỗ trợ (${result.nTreated}) hoặc nhóm so sánh (${result.nControl}) có ít hơn ${k} doanh nghiệp, nên con số sẽ lộ điểm của từng doanh nghiệp.`,
				en: `Estimate withheld: the supported group (${result.nTreated}) or the comparison group (${result.nControl}) has fewer than ${k} enterprises, so the figures would reveal individual enterprises' scores.`
			},
			403
		);
	return { programmeId: programme.id, before: before.source, after: after.source, years, comparison, result };
}
