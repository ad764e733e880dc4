/**
 * Targeting: support programmes, candidates for support, and the rescoring interface the shortlist
 * builder and the what-if scenario use. Pure data and types (no SvelteKit, no database).
 */
import type { Ownership, SizeClass } from '../enterprise';
import type { Bilingual, GroupId, LevelDef, LevelId } from '../rubric';

export type { Bilingual };

export const PROGRAMME_TYPES = [
	'equipment',
	'training',
	'management',
	'rnd',
	'digital',
	'innovation',
	'other'
] as const;
export type ProgrammeType = (typeof PROGRAMME_TYPES)[number];

export const PROGRAMME_TYPE_LABELS: Record<ProgrammeType, Bilingual> = {
	equipment: { vi: 'Đổi mới thiết bị', en: 'Equipment renewal' },
	training: { vi: 'Đào tạo', en: 'Training' },
	management: { vi: 'Hệ thống quản lý', en: 'Management systems' },
	rnd: { vi: 'Nghiên cứu và phát triển', en: 'Research and development' },
	digital: { vi: 'Chuyển đổi số', en: 'Digital transformation' },
	innovation: { vi: 'Đổi mới sáng tạo', en: 'Innovation' },
	other: { vi: 'Khác', en: 'Other' }
};

/** Which enterprises a programme (or a what-if segment) covers; an absent list means "any". */
export interface SegmentFilter {
	sizes?: SizeClass[];
	/** Sector ids as in surveys/sectors.json (e.g. 'mechanical'). */
	sectors?: string[];
	levels?: LevelId[];
	/** Ward/commune ids (surveys/common/wards-*.json). */
	wards?: string[];
	ownerships?: Ownership[];
	/** VSIC code prefixes, e.g. '25' (a division) or '2592'. */
	vsic?: string[];
}
export type Eligibility = SegmentFilter;

export interface ProgrammeImprovement {
	criterion: string;
	/** Editable assumption: points the programme adds to this criterion (capped at the criterion max). */
	points: number;
}

export interface Programme {
	id: string;
	name: Bilingual;
	type: ProgrammeType;
	improves: ProgrammeImprovement[];
	/** Cost of supporting one enterprise, VND (a positive integer). */
	costPerEnterpriseVnd: number;
	eligibility: Eligibility;
}

export interface CriterionState {
	points: number;
	max: number;
	group: GroupId;
}

/** One enterprise as the shortlist builder sees it: its profile and its current (released) score. */
export interface Candidate {
	enterpriseId: string;
	/** Display name; callers leave it out for roles that may not see identities. */
	label?: string;
	sector: string;
	size: SizeClass | null;
	ownership: Ownership | null;
	ward: string | null;
	vsic: string | null;
	current: {
		total: number;
		K: number;
		level: LevelId;
		criteria: Record<string, CriterionState>;
	};
	/** Overrides the programme's cost for this enterprise (VND, positive integer). */
	costVnd?: number;
}

export interface Rescored {
	total: number;
	K: number;
	level: LevelId;
	groups: Record<GroupId, number>;
}

/**
 * What targeting needs from the rubric engine: its levels (lowest first, with cut-offs) and a way to
 * reclassify a full set of criterion points exactly as scoring a response would.
 */
export interface Rescorer {
	readonly levels: readonly LevelDef[];
	/** Criterion id → group and max, in the rubric's order. */
	readonly criteria: ReadonlyMap<string, { group: GroupId; max: number }>;
	/** Decimals criterion points and totals are rounded to. */
	readonly decimals: number;
	/** Maximum total score (sum of criterion maxima, 100 under Circular 17). */
	readonly maxTotal: number;
	rescore(points: Readonly<Record<string, number>>): Rescored;
	/** Reclassifies unrounded group sums (rounded here as the engine rounds them). */
	classifyGroups(sums: Readonly<Record<GroupId, number>>): Rescored;
}

/** A problem in user-supplied targeting input: where, and why, in both languages. */
export interface TargetingIssue {
	path: string;
	message: Bilingual;
}

export class TargetingInputError extends Error {
	constructor(readonly issues: TargetingIssue[]) {
		super(issues.map((i) => `${i.path}: ${i.message.en}`).join('\n'));
		this.name = 'TargetingInputError';
	}
}
