/**
 * Support programmes as data (`C.programmes`): listed by everyone with policy access, created and
 * edited by admins and policymakers, validated with the targeting domain and audited on every change.
 */
import {
	parseProgramme,
	TargetingInputError,
	type Programme,
	type ProgrammeContext,
	type TargetingIssue
} from '$lib/domain/targeting';
import type { GroupId } from '$lib/domain/rubric';
import { recordAudit } from '../audit';
import { C } from '../db/schema';
import { isDuplicateKeyError, type Database } from '../db/types';
import { listSectors, listVersions, loadSurvey } from '../surveys';
import { canEditPolicy, PolicyError, type ProgrammeDoc, type Viewer } from './types';

/** The criteria programmes may improve: the union over every sector's latest rubric. */
export function programmeContext(): Required<ProgrammeContext> & {
	criterionNames: Map<string, { vi: string; en: string }>;
	levels: { id: string; label: { vi: string; en: string } }[];
} {
	let levels: { id: string; label: { vi: string; en: string } }[] = [];
	const criteria = new Map<string, { group: GroupId; max: number }>();
	const criterionNames = new Map<string, { vi: string; en: string }>();
	const sectors = listSectors();
	for (const s of sectors) {
		const latest = listVersions(s.id).at(-1);
		if (!latest) continue;
		const rubric = loadSurvey(`${s.id}/${latest}`).rubric;
		if (!levels.length) levels = rubric.levels.map((l) => ({ id: l.id, label: l.label }));
		for (const c of rubric.criteria) {
			const prev = criteria.get(c.id);
			// Different maxima across sectors: the smallest keeps every sector's cap valid.
			criteria.set(c.id, { group: c.group, max: prev ? Math.min(prev.max, c.max) : c.max });
			if (!criterionNames.has(c.id)) criterionNames.set(c.id, c.name);
		}
	}
	return { rescorer: { criteria }, sectors: sectors.map((s) => s.id), criterionNames, levels };
}

export function toProgramme(d: ProgrammeDoc): Programme {
	return {
		id: d._id,
		name: d.name,
		type: d.type,
		improves: d.improves.map((i) => ({ criterion: i.criterion, points: i.points })),
		costPerEnterpriseVnd: d.costPerEnterpriseVnd,
		eligibility: structuredClone(d.eligibility)
	};
}

export async function listProgrammes(
	db: Database
): Promise<(Programme & { revision: number; updatedAt: Date })[]> {
	const docs = await db.collection<ProgrammeDoc>(C.programmes).find({}, { sort: { _id: 1 } });
	return docs.map((d) => ({ ...toProgramme(d), revision: d.revision, updatedAt: d.updatedAt }));
}

export async function getProgramme(
	db: Database,
	id: string
): Promise<(Programme & { revision: number }) | null> {
	if (typeof id !== 'string' || id.length > 64) return null;
	const d = await db.collection<ProgrammeDoc>(C.programmes).findOne({ _id: id });
	return d ? { ...toProgramme(d), revision: d.revision } : null;
}

export async function requireProgramme(db: Database, id: string): Promise<Programme> {
	const p = await getProgramme(db, id);
	if (!p)
		throw new PolicyError(
			{
				vi: `Không tìm thấy chương trình hỗ trợ "${String(id).slice(0, 64)}".`,
				en: `Support programme "${String(id).slice(0, 64)}" not found.`
			},
			404
		);
	return p;
}

export function forbid(): never {
	throw new PolicyError(
		{
			vi: 'Chỉ quản trị viên và lãnh đạo quản lý được sửa chương trình hỗ trợ.',
			en: 'Only administrators and policymakers may edit support programmes.'
		},
		403
	);
}

/**
 * Creates (`expectedRevision` absent) or updates a programme. Throws TargetingInputError listing every
 * problem (paths such as `$.improves[0].points`), PolicyError for conflicts and rights.
 */
export async function saveProgramme(
	db: Database,
	input: unknown,
	actor: Viewer | null,
	options: { expectedRevision?: number; ip?: string; now?: Date } = {}
): Promise<Programme & { revision: number }> {
	if (actor && !canEditPolicy(actor)) forbid();
	const p = parseProgramme(input, programmeContext());
	const coll = db.collection<ProgrammeDoc>(C.programmes);
	const now = options.now ?? new Date();
	const body = {
		name: { vi: p.name.vi.trim(), en: p.name.en.trim() },
		type: p.type,
		improves: p.improves.map((i) => ({ criterion: i.criterion, points: i.points })),
		costPerEnterpriseVnd: p.costPerEnterpriseVnd,
		eligibility: p.eligibility
	};
	if (options.expectedRevision === undefined) {
		const doc: ProgrammeDoc = {
			_id: p.id,
			...body,
			createdAt: now,
			updatedAt: now,
			createdBy: actor?.id ?? null,
			updatedBy: actor?.id ?? null,
			revision: 1
		};
		try {
			await coll.insertOne(doc);
		} catch (e) {
			if (isDuplicateKeyError(e))
				throw new TargetingInputError([
					{
						path: '$.id',
						message: {
							vi: `Mã chương trình "${p.id}" đã tồn tại.`,
							en: `Programme id "${p.id}" already exists.`
						}
					}
				]);
			throw e;
		}
		await recordAudit(db, {
			actor,
			action: 'programme.create',
			target: `programmes/${p.id}`,
			after: { id: p.id, ...body },
			ip: options.ip
		});
		return { id: p.id, ...body, revision: 1 };
	}
	const before = await coll.findOne({ _id: p.id });
	if (!before)
		throw new PolicyError(
			{ vi: `Không tìm thấy chương trình "${p.id}".`, en: `Programme "${p.id}" not found.` },
			404
		);
	const updated = await coll.findOneAndUpdate(
		{ _id: p.id, revision: options.expectedRevision },
		{ $set: { ...body, updatedAt: now, updatedBy: actor?.id ?? null }, $inc: { revision: 1 } },
		{ returnDocument: 'after' }
	);
	if (!updated)
		throw new PolicyError(
			{
				vi: 'Chương trình vừa được người khác sửa; hãy tải lại trang rồi sửa lại.',
				en: 'Someone else changed this programme meanwhile; reload the page and edit again.'
			},
			409
		);
	await recordAudit(db, {
		actor,
		action: 'programme.update',
		target: `programmes/${p.id}`,
		before: toProgramme(before),
		after: toProgramme(updated),
		ip: options.ip
	});
	return { ...toProgramme(updated), revision: updated.revision };
}

/** Issues as `path: message` lines in one language (forms and the CLI). */
export function issueLines(issues: readonly TargetingIssue[], locale: 'vi' | 'en'): string[] {
	return issues.map((i) => `${i.path}: ${i.message[locale]}`);
}
