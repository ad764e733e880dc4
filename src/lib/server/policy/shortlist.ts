/**
 * Shortlists through the server: a source's rows become targeting candidates, the domain builds the
 * optimal selection with its explanations and baseline, and the result is shaped for a viewer
 * (identities only for roles allowed to see them) and for CSV export.
 */
import { toCsvString, type CsvCell, type CsvColumn } from '$lib/domain/csv';
import { OWNERSHIP_LABELS, SIZE_CLASS_LABELS } from '$lib/domain/enterprise';
import {
	buildShortlist,
	EXCLUSION_REASON_LABELS,
	type Candidate,
	type ExclusionReason,
	type Objective,
	type Programme,
	type Shortlist
} from '$lib/domain/targeting';
import { recordAudit } from '../audit';
import { rowAccessOf, seesAllRows, seesIdentities } from '../authz';
import type { Database } from '../db/types';
import { requireProgramme } from './programmes';
import { auditingRefusals } from './refusals';
import { loadSource } from './sources';
import {
	NO_ROWS,
	PolicyError,
	type Bilingual,
	type PolicyRow,
	type PolicySource,
	type Viewer
} from './types';

export function candidateOf(r: PolicyRow): Candidate {
	return {
		enterpriseId: r.enterpriseId,
		sector: r.sector,
		size: r.size,
		ownership: r.ownership,
		ward: r.ward,
		vsic: r.vsic,
		current: { total: r.total, K: r.K, level: r.level, criteria: r.criteria }
	};
}

export interface ShortlistRequest {
	sourceId: string;
	programmeId: string;
	budgetVnd?: number;
	slots?: number;
	objective?: Objective;
}

export interface ShortlistRow {
	rank: number;
	pseudonym: string;
	/** Only for viewers allowed to see identities. */
	enterpriseId?: string;
	name?: string;
	taxCode?: string;
	size: string | null;
	ownership: string | null;
	ward: string | null;
	vsic: string | null;
	costVnd: number;
	levelBefore: string;
	totalBefore: number;
	KBefore: number;
	gapPoints: number;
	gapK: number;
	nextLevel: string | null;
	criteria: { criterion: string; before: number; after: number; max: number }[];
	levelAfter: string;
	totalAfter: number;
	KAfter: number;
	pointsGained: number;
	levelsUp: number;
	explanation: Bilingual;
}

/**
 * What a policymaker gets to choose whom to support: the selected enterprises by name, with their
 * cost and current and expected level; no points, scores, attributes or pseudonyms (a pseudonym
 * would link the name to the release's microdata rows).
 */
export interface ShortlistTarget {
	rank: number;
	name: string;
	taxCode: string;
	costVnd: number;
	levelBefore: string;
	levelAfter: string;
	levelsUp: number;
}

export interface ShortlistView {
	source: PolicySource;
	programme: Programme;
	identities: boolean;
	/** 'rows': every field ({@link rows}); 'targets': the selection as {@link targets} only. */
	detail: 'rows' | 'targets';
	levels: { id: string; label: Bilingual }[];
	shortlist: Omit<Shortlist, 'selected' | 'excluded' | 'baseline'> & {
		excluded: Omit<Shortlist['excluded'], 'list'>;
		baseline: { count: number; summary: Shortlist['baseline']['summary'] };
	};
	excludedReasons: { reason: ExclusionReason; count: number; label: Bilingual }[];
	/** Full rows, for viewers who see every row (admins, analysts with microdata rights); else empty. */
	rows: ShortlistRow[];
	/** The selection for policymakers (`detail: 'targets'`); else empty. */
	targets: ShortlistTarget[];
	/** Enterprise ids of the selection (server-side use: marking as supported). Never sent to pages. */
	selectedIds: string[];
	skipped: number;
}

/** Parses a positive VND budget or a number of places from form/CLI text (spaces, dots and commas as thousands separators). */
export function parseAmount(raw: unknown, what: 'budget' | 'slots'): number | undefined {
	if (raw === null || raw === undefined) return undefined;
	const s = String(raw).trim();
	if (s === '') return undefined;
	const digits = s.replace(/[\s.,_]/g, '');
	if (!/^\d{1,16}$/.test(digits))
		throw new PolicyError(
			what === 'budget'
				? {
						vi: `Ngân sách "${s.slice(0, 30)}" phải là số tiền VNĐ (chỉ gồm chữ số).`,
						en: `Budget "${s.slice(0, 30)}" must be an amount of VND (digits only).`
					}
				: {
						vi: `Số suất "${s.slice(0, 30)}" phải là số nguyên.`,
						en: `Places "${s.slice(0, 30)}" must be a whole number.`
					}
		);
	const n = Number(digits);
	if (!Number.isSafeInteger(n) || n <= 0)
		throw new PolicyError(
			what === 'budget'
				? { vi: 'Ngân sách phải lớn hơn 0.', en: 'The budget must be greater than 0.' }
				: { vi: 'Số suất phải lớn hơn 0.', en: 'The number of places must be greater than 0.' }
		);
	return n;
}

export function parseObjective(raw: unknown): Objective {
	if (raw === null || raw === undefined || raw === '' || raw === 'upgrades') return 'upgrades';
	if (raw === 'points') return 'points';
	throw new PolicyError({
		vi: `Mục tiêu "${String(raw).slice(0, 30)}" không hợp lệ (upgrades hoặc points).`,
		en: `Unknown objective "${String(raw).slice(0, 30)}" (upgrades or points).`
	});
}

/** Who asked, from where and how: identified shortlists are audited per view and per download. */
export interface ShortlistAudit {
	via: 'page' | 'csv' | 'cli' | 'support';
	ip?: string;
}

/**
 * Builds the shortlist of `req` for `viewer`. Deterministic: the same data and request give the same
 * list. The row-level rule (`rowAccessOf`, authz.ts) decides what leaves: viewers entitled to
 * aggregates only are refused (403); policymakers get {@link ShortlistTarget}s from published releases;
 * every view with names (`audit.via` other than 'support', which is audited as the support it records)
 * is written to the audit log before it is returned.
 */
export async function shortlistFor(
	db: Database,
	req: ShortlistRequest,
	viewer: Pick<Viewer, 'role' | 'microdata'> | (Viewer & { microdata?: boolean }) | null,
	audit?: ShortlistAudit
): Promise<ShortlistView> {
	return auditingRefusals(
		db,
		viewer,
		{ path: 'policy/shortlist', sourceIds: [String(req.sourceId)], ip: audit?.ip },
		() => buildView(db, req, viewer, audit)
	);
}

async function buildView(
	db: Database,
	req: ShortlistRequest,
	viewer: Pick<Viewer, 'role' | 'microdata'> | (Viewer & { microdata?: boolean }) | null,
	audit?: ShortlistAudit
): Promise<ShortlistView> {
	const access = rowAccessOf(viewer);
	if (access === 'none') throw new PolicyError(NO_ROWS, 403);
	if ((req.budgetVnd === undefined) === (req.slots === undefined))
		throw new PolicyError({
			vi: 'Nhập đúng một trong hai: ngân sách (VNĐ) hoặc số suất hỗ trợ.',
			en: 'Give exactly one of: a budget (VND) or a number of places.'
		});
	const identities = seesIdentities(access);
	const full = seesAllRows(access);
	const programme = await requireProgramme(db, req.programmeId);
	const loaded = await loadSource(db, req.sourceId, access);
	const byId = new Map(loaded.rows.map((r) => [r.enterpriseId, r]));
	const s = buildShortlist({
		candidates: loaded.rows.map(candidateOf),
		programme,
		rescorer: loaded.rescorer,
		budgetVnd: req.budgetVnd,
		slots: req.slots,
		objective: req.objective ?? 'upgrades'
	});
	const targets: ShortlistTarget[] = full
		? []
		: s.selected.map((c) => {
				const r = byId.get(c.enterpriseId) as PolicyRow;
				return {
					rank: c.rank,
					name: r.name ?? '',
					taxCode: r.taxCode ?? '',
					costVnd: c.costVnd,
					levelBefore: c.effect.before.level,
					levelAfter: c.effect.after.level,
					levelsUp: c.effect.levelsUp
				};
			});
	const rows: ShortlistRow[] = !full
		? []
		: s.selected.map((c) => {
				const r = byId.get(c.enterpriseId) as PolicyRow;
				const e = c.effect;
				return {
					rank: c.rank,
					pseudonym: r.pseudonym,
					...(identities ? { enterpriseId: r.enterpriseId, name: r.name, taxCode: r.taxCode } : {}),
					size: r.size,
					ownership: r.ownership,
					ward: r.ward,
					vsic: r.vsic,
					costVnd: c.costVnd,
					levelBefore: e.before.level,
					totalBefore: e.before.total,
					KBefore: e.before.K,
					gapPoints: e.gapBefore.points,
					gapK: e.gapBefore.K,
					nextLevel: e.gapBefore.next,
					criteria: e.criteria.map((x) => ({
						criterion: x.criterion,
						before: x.before,
						after: x.after,
						max: x.max
					})),
					levelAfter: e.after.level,
					totalAfter: e.after.total,
					KAfter: e.after.K,
					pointsGained: e.pointsGained,
					levelsUp: e.levelsUp,
					explanation: c.explanation
				};
			});
	if (identities && audit && audit.via !== 'support' && s.selected.length > 0)
		await recordAudit(db, {
			actor: viewer && 'id' in viewer && 'email' in viewer ? viewer : null,
			action: audit.via === 'csv' ? 'shortlist.export' : 'shortlist.view',
			target: `programmes/${req.programmeId}`,
			after: { ...req, via: audit.via, rows: s.selected.length, detail: full ? 'rows' : 'targets' },
			ip: audit.ip
		});
	const excludedReasons = (Object.keys(s.excluded.byReason) as ExclusionReason[])
		.filter((k) => s.excluded.byReason[k] > 0)
		.map((reason) => ({
			reason,
			count: s.excluded.byReason[reason],
			label: EXCLUSION_REASON_LABELS[reason]
		}));
	const { selected, excluded, baseline, ...rest } = s;
	const { list: _list, ...excludedCounts } = excluded;
	void _list;
	return {
		source: loaded.source,
		programme,
		identities,
		levels: loaded.rescorer.levels.map((l) => ({ id: l.id, label: l.label })),
		shortlist: {
			...rest,
			excluded: excludedCounts,
			baseline: { count: baseline.enterpriseIds.length, summary: baseline.summary }
		},
		excludedReasons,
		detail: full ? 'rows' : 'targets',
		rows,
		targets,
		selectedIds: selected.map((c) => c.enterpriseId),
		skipped: loaded.skipped
	};
}

const HEAD = {
	vi: {
		rank: 'Thứ tự',
		pseudonym: 'Mã ẩn danh',
		name: 'Tên doanh nghiệp',
		taxCode: 'Mã số thuế',
		size: 'Quy mô',
		ownership: 'Loại hình sở hữu',
		ward: 'Phường/xã',
		vsic: 'Mã VSIC',
		cost: 'Chi phí hỗ trợ (VNĐ)',
		levelBefore: 'Mức hiện tại',
		totalBefore: 'Điểm hiện tại',
		KBefore: 'K hiện tại',
		gap: 'Điểm còn thiếu để lên mức',
		criteria: 'Tiêu chí (trước → sau/tối đa)',
		levelAfter: 'Mức dự kiến',
		totalAfter: 'Điểm dự kiến',
		gained: 'Điểm tăng',
		up: 'Số bậc tăng',
		why: 'Giải thích'
	},
	en: {
		rank: 'Rank',
		pseudonym: 'Pseudonym',
		name: 'Enterprise name',
		taxCode: 'Tax code',
		size: 'Size class',
		ownership: 'Ownership',
		ward: 'Ward/commune',
		vsic: 'VSIC code',
		cost: 'Support cost (VND)',
		levelBefore: 'Current level',
		totalBefore: 'Current score',
		KBefore: 'Current K',
		gap: 'Points missing to next level',
		criteria: 'Criteria (before → after/max)',
		levelAfter: 'Expected level',
		totalAfter: 'Expected score',
		gained: 'Points gained',
		up: 'Levels up',
		why: 'Explanation'
	}
} as const;

/**
 * The shortlist as CSV (UTF-8 with BOM, formula-escaped by the domain writer). Name and tax code
 * columns exist only when the view was built with identities; otherwise the pseudonym stands alone.
 */
export function shortlistCsv(view: ShortlistView, locale: 'vi' | 'en'): string {
	const h = HEAD[locale];
	const level = (id: string) => view.levels.find((l) => l.id === id)?.label[locale] ?? id;
	if (view.detail === 'targets') {
		const columns: CsvColumn[] = [
			{ key: 'rank', header: h.rank },
			{ key: 'name', header: h.name },
			{ key: 'taxCode', header: h.taxCode },
			{ key: 'cost', header: h.cost },
			{ key: 'levelBefore', header: h.levelBefore },
			{ key: 'levelAfter', header: h.levelAfter },
			{ key: 'up', header: h.up }
		];
		const rows: Record<string, CsvCell>[] = view.targets.map((r) => ({
			rank: r.rank,
			name: r.name,
			taxCode: r.taxCode,
			cost: r.costVnd,
			levelBefore: level(r.levelBefore),
			levelAfter: level(r.levelAfter),
			up: r.levelsUp
		}));
		return toCsvString(rows, columns);
	}
	const columns: CsvColumn[] = [
		{ key: 'rank', header: h.rank },
		{ key: 'pseudonym', header: h.pseudonym },
		...(view.identities
			? [
					{ key: 'name', header: h.name },
					{ key: 'taxCode', header: h.taxCode }
				]
			: []),
		{ key: 'size', header: h.size },
		{ key: 'ownership', header: h.ownership },
		{ key: 'ward', header: h.ward },
		{ key: 'vsic', header: h.vsic },
		{ key: 'cost', header: h.cost },
		{ key: 'levelBefore', header: h.levelBefore },
		{ key: 'totalBefore', header: h.totalBefore },
		{ key: 'KBefore', header: h.KBefore },
		{ key: 'gap', header: h.gap },
		{ key: 'criteria', header: h.criteria },
		{ key: 'levelAfter', header: h.levelAfter },
		{ key: 'totalAfter', header: h.totalAfter },
		{ key: 'gained', header: h.gained },
		{ key: 'up', header: h.up },
		{ key: 'why', header: h.why }
	];
	const rows: Record<string, CsvCell>[] = view.rows.map((r) => ({
		rank: r.rank,
		pseudonym: r.pseudonym,
		name: view.identities ? (r.name ?? '') : undefined,
		// Text, not a number: tax codes keep their leading zeros.
		taxCode: view.identities ? (r.taxCode ?? '') : undefined,
		size: r.size ? (SIZE_CLASS_LABELS[r.size as keyof typeof SIZE_CLASS_LABELS]?.[locale] ?? r.size) : '',
		ownership: r.ownership
			? (OWNERSHIP_LABELS[r.ownership as keyof typeof OWNERSHIP_LABELS]?.[locale] ?? r.ownership)
			: '',
		ward: r.ward ?? '',
		vsic: r.vsic ?? '',
		cost: r.costVnd,
		levelBefore: level(r.levelBefore),
		totalBefore: r.totalBefore,
		KBefore: r.KBefore,
		gap: r.nextLevel ? r.gapPoints : '',
		criteria: r.criteria.map((c) => `${c.criterion} ${c.before} → ${c.after}/${c.max}`).join('; '),
		levelAfter: level(r.levelAfter),
		totalAfter: r.totalAfter,
		gained: r.pointsGained,
		up: r.levelsUp,
		why: r.explanation[locale]
	}));
	return toCsvString(rows, columns);
}

export function shortlistFilename(view: ShortlistView): string {
	return `techcap-shortlist-${view.programme.id}-${view.source.sector}-${view.source.year}.csv`;
}
