/**
 * Policy tools: the rows targeting works on, the documents it stores, and who may see what.
 * A row is one assessed enterprise in a source: a published release (`C.releaseRows`, the normal case)
 * or, before anything is published, a closed campaign's current scores (`C.scores` + `C.enterprises`).
 */
import type { Ownership, SizeClass } from '$lib/domain/enterprise';
import type { LevelId } from '$lib/domain/rubric';
import type { Bilingual, CriterionState, Programme, Rescorer } from '$lib/domain/targeting';
import type { ViewerRights } from '$lib/domain/disclosure';
import { rowAccessOf, seesAllRows, seesIdentities } from '../authz';
import type { BaseDoc } from '../db/types';
import type { LoadedSurvey } from '../surveys';

export type { Bilingual };

/** One enterprise as the policy tools see it (criterion max and group come from the rubric). */
export interface PolicyRow {
	enterpriseId: string;
	/** Pseudonymous id shown to roles that may not see identities (the release's `pid`). */
	pseudonym: string;
	/** Identity: filled only for viewers allowed to see it (see {@link canSeeIdentities}). */
	name?: string;
	taxCode?: string;
	sector: string;
	year: number;
	size: SizeClass | null;
	ownership: Ownership | null;
	ward: string | null;
	vsic: string | null;
	total: number;
	K: number;
	level: LevelId;
	groups: Record<string, number>;
	criteria: Record<string, CriterionState>;
}

export type SourceKind = 'release' | 'campaign';

/** A data source the policy pages can read: `release:<id>` or `campaign:<id>`. */
export interface PolicySource {
	id: string;
	kind: SourceKind;
	refId: string;
	campaignId: string;
	sector: string;
	year: number;
	surveyId: string;
	label: Bilingual;
	/** Threshold k of the release's disclosure control (5 for campaign sources). */
	k: number;
}

export interface LoadedSource {
	source: PolicySource;
	survey: LoadedSurvey;
	rescorer: Rescorer;
	rows: PolicyRow[];
}

/** A support programme as stored: `_id` is the programme id (see `Programme`). */
export interface ProgrammeDoc extends BaseDoc, Omit<Programme, 'id'> {
	createdAt: Date;
	updatedAt: Date;
	createdBy: string | null;
	updatedBy: string | null;
	/** Incremented on every edit: a form that started from an older version is refused. */
	revision: number;
}

/** One enterprise supported by one programme in one year (follow-up). */
export interface SupportDoc extends BaseDoc {
	programmeId: string;
	enterpriseId: string;
	year: number;
	/** 'shortlist': marked from a shortlist of `sourceId`; 'manual': entered by hand. */
	origin: 'shortlist' | 'manual';
	sourceId: string | null;
	createdAt: Date;
	createdBy: string | null;
}

export class PolicyError extends Error {
	constructor(
		readonly text: Bilingual,
		readonly status = 400
	) {
		super(text.en);
		this.name = 'PolicyError';
	}
}

export interface Viewer {
	id: string;
	email: string;
	role: string;
	microdata?: boolean;
}

/**
 * Row-level data follows one rule for every policy path: {@link rowAccessOf} in `authz.ts` (see
 * docs/authorisation.md). Names and tax codes go to admins (every field) and policymakers (the
 * enterprises a shortlist selects, level only); analysts see pseudonyms, and only with microdata rights.
 */
export function canSeeIdentities(viewer: Pick<Viewer, 'role' | 'microdata'> | null | undefined): boolean {
	return seesIdentities(rowAccessOf(viewer));
}

/** Disclosure rights for the policy aggregates: suppressed figures only for those who see every row. */
export function policyRights(viewer: Pick<Viewer, 'role' | 'microdata'> | null | undefined): ViewerRights {
	return { microdata: seesAllRows(rowAccessOf(viewer)) };
}

/** The refusal of enterprise-level rows (shortlists) to viewers entitled to aggregates only. */
export const NO_ROWS: Bilingual = {
	vi: 'Danh sách theo từng doanh nghiệp chỉ dành cho quản trị viên, lãnh đạo quản lý và chuyên viên có quyền vi dữ liệu. Bạn vẫn xem được bản đồ khoảng cách và mô phỏng (số liệu tổng hợp đã bảo vệ).',
	en: 'Enterprise-level lists are for administrators, policymakers and analysts with microdata rights. You can still use the gap map and what-if (protected aggregates).'
};

/** The refusal of an unpublished (campaign) source to viewers entitled to published results only. */
export function unpublishedRefused(sourceId: string): PolicyError {
	return new PolicyError(
		{
			vi: `Nguồn "${sourceId.slice(0, 80)}" là điểm chưa công bố: chỉ quản trị viên và chuyên viên có quyền vi dữ liệu được dùng. Hãy chọn một bản phát hành đã công bố.`,
			en: `Source "${sourceId.slice(0, 80)}" holds unpublished scores: only administrators and analysts with microdata rights may use it. Choose a published release.`
		},
		403
	);
}

/** Programmes and support records are edited by admins and policymakers. */
export function canEditPolicy(viewer: Pick<Viewer, 'role'> | null | undefined): boolean {
	return viewer?.role === 'admin' || viewer?.role === 'policymaker';
}

/** A user-caused error's text in one language (PolicyError or TargetingInputError), else null. */
export function userErrorText(e: unknown, locale: 'vi' | 'en'): string | null {
	if (e instanceof PolicyError) return e.text[locale];
	if (e instanceof Error && e.name === 'TargetingInputError' && 'issues' in e)
		return (e as Error & { issues: { path: string; message: Bilingual }[] }).issues
			.map((i) => `${i.path}: ${i.message[locale]}`)
			.join('\n');
	return null;
}
