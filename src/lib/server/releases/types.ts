/**
 * Documents of the annual sector database: a release is an immutable snapshot of one
 * campaign's submitted responses; benchmarks are its protected aggregates, materialised per
 * segmentation so dashboards and the API only read.
 */
import type { CellStatus, PrimaryReason, StatisticRules } from '$lib/domain/disclosure';
import type { Constraint } from '$lib/domain/disclosure';
import type { GroupId, LevelId } from '$lib/domain/rubric';
import type { BaseDoc } from '../db/types';
import type { UsualRange } from '$lib/domain/plausibility';

export type Bilingual = { vi: string; en: string };

/** Segment dimensions, in the canonical order used in cell keys and `by` strings. */
export const DIMENSIONS = ['size', 'ownership', 'ward', 'vsic'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface ReleaseCoverage {
	/** Enterprises invited to the campaign (response documents). */
	invited: number;
	/** Submitted responses with a current score: the rows of the release. */
	submitted: number;
	/** submitted / invited (null when nobody was invited). */
	responseRate: number | null;
	/** Enterprises of the sector's VSIC codes in the register (enterprises collection) at publication. */
	registerTotal: number;
	/** Register totals per size class: the post-stratification strata (sector × size). */
	registerBySize: Record<string, number>;
	/** submitted / registerTotal. */
	registerCoverage: number | null;
	/**
	 * Response rates per stratum, frozen at publication. Optional: releases published before it was
	 * added lack it (readers must cope).
	 */
	byStratum?: StratumCoverageTable;
}

/** The strata whose response rates a release documents (the post-stratification cells and ownership). */
export const STRATUM_DIMENSIONS = ['size', 'ownership'] as const;
export type StratumDimension = (typeof STRATUM_DIMENSIONS)[number];
export type StratumCoverageTable = Record<StratumDimension, StratumCoverage[]>;

/**
 * One stratum's coverage as PUBLISHED (the release document is public through the API). A stratum whose
 * benchmark cell is withheld (threshold, dominance or secondary suppression) has `invited`, `submitted`,
 * `responseRate` and `registerCoverage` null and `flag` ':c': `submitted` is that cell's n, a rate plus the
 * published overall totals solves for it, and a small `invited` bounds it (1 invited → 1 submitted). The
 * register count is register data (also in `registerBySize`) and stays.
 */
export interface StratumCoverage {
	/** Size class (Decree 80/2021) or ownership class; 'unknown' when the register lacks it. */
	value: string;
	/** Register enterprises of the sector in the stratum (null when the register has no such class). */
	register: number | null;
	/** Participants in the stratum (null: withheld). */
	invited: number | null;
	/** Release rows in the stratum (null: withheld). */
	submitted: number | null;
	/** submitted / invited (null: nobody invited, or withheld). */
	responseRate: number | null;
	/** submitted / register (null: no register figure, or withheld). */
	registerCoverage: number | null;
	flag: ':c' | null;
}

export type ReleaseStatus = 'building' | 'draft' | 'submitted' | 'ready';

export interface ReleaseStep {
	by: { id: string; email: string } | null;
	at: Date;
}

export interface ReleaseReview {
	built: ReleaseStep;
	submitted?: ReleaseStep;
	/** The last time a reviewer sent the release back to draft, and why. */
	returned?: ReleaseStep & { reason: string };
	published?: ReleaseStep;
}

export interface ReleaseDoc extends BaseDoc {
	campaignId: string;
	sector: string;
	year: number;
	/** 1, 2, ...: republishing a campaign makes a new version; old versions stay readable. */
	version: number;
	/**
	 * 'building' while written; 'draft' and 'submitted' are under review (staff only, never shown to
	 * readers); 'ready' is published. Older releases were published straight to 'ready'.
	 */
	status: ReleaseStatus;
	/** Who built, submitted, sent back and published the release (absent on older releases). */
	review?: ReleaseReview;
	surveyId: string;
	rubricVersion: string;
	referenceYear: number;
	/** The campaign's fieldwork dates; the reference period is the calendar year before/of `year`. */
	referencePeriod: { from: string; to: string };
	fieldwork: { opensAt: Date; closesAt: Date };
	campaignName: Bilingual;
	methodology: Bilingual;
	coverage: ReleaseCoverage;
	disclosure: {
		k: number;
		dominance: { topN: number; share: number } | null;
		/** p % rule on score and money magnitudes (absent on releases published before the rule existed: not applied). */
		pPercent?: number | null;
		/** Rules for the statistics of published cells (absent on older releases: the defaults apply to views). */
		statistics?: StatisticRules;
		/**
		 * How earlier versions of the same campaign were protected against differencing (absent on older
		 * releases): the versions compared and the cells withheld for it.
		 */
		versions?: { compared: number[]; withheld: number };
	};
	/** Post-stratification used for the weighted estimates (absent on older releases). */
	weighting?: WeightingInfo;
	/** Maximum points of each group (Circular 17), for shares of the maximum. */
	groupMax: Record<GroupId, number>;
	ladderFunctions: Array<{ id: string; name: Bilingual }>;
	rowCount: number;
	/**
	 * Per numeric question, the range most respondents' answers fell in (p10–p90), for the soft
	 * warnings of next year's questionnaire; only questions answered by the disclosure minimum
	 * (absent on older releases).
	 */
	usualRanges?: Record<string, UsualRange>;
	/** How the pseudonymous ids were made: 'hmac-env' (TECHCAP_PSEUDONYM_KEY) or 'hmac-salt' (per release). */
	pseudonym: 'hmac-env' | 'hmac-salt';
	publishedAt: Date;
	publishedBy: { id: string; email: string } | null;
	/** Counts of suppressed cells across all tables of the release. */
	suppression: { primary: number; secondary: number; cells: number };
}

/** One submitted response frozen at publication (enterprise attributes as they were then). */
export interface ReleaseRowDoc extends BaseDoc {
	releaseId: string;
	/** Pseudonymous id, stable within a release: HMAC-SHA256 of the enterprise id. */
	pid: string;
	/** Server-side only (never exported unless an admin asks for identified microdata). */
	enterpriseId: string;
	responseId: string;
	size: string;
	ownership: string;
	ward: string;
	vsic: string;
	employees: number | null;
	revenueBn: number | null;
	total: number;
	K: number;
	level: LevelId;
	groups: Record<string, number>;
	criteria: Record<string, number>;
	ladders: Record<string, { EXT: number | null; INT: number | null }>;
	rubricVersion: string;
	submittedAt: Date | null;
}

/** n, mean, sample sd, type 7 percentiles and a 95 % CI of the mean. */
export interface StatBlock {
	n: number;
	mean: number | null;
	sd: number | null;
	min: number | null;
	p25: number | null;
	median: number | null;
	p75: number | null;
	p90: number | null;
	max: number | null;
	lower: number | null;
	upper: number | null;
}

/** The strata of the weighted estimates: size classes, collapsed until each holds enough respondents. */
export interface WeightingInfo {
	/** Minimum respondents per collapsed stratum. */
	minRespondents: number;
	/** Respondents and weights are null in public views when they would give a withheld size cell away. */
	strata: Array<{
		key: string;
		members: string[];
		register: number;
		respondents: number | null;
		weight: number | null;
	}>;
	/** Respondents whose size class is not in the register ('unknown'): not in weighted estimates. */
	excluded: number | null;
	/** False when the strata's respondent counts would pin a withheld size cell (see weightedPublishable). */
	published: boolean;
}

/**
 * Design-weighted (post-stratified by size against the register) estimate for one measure: weighted mean,
 * linearised 95 % CI, weighted sd and percentiles; `n` is the UNWEIGHTED number of respondents used.
 * Older releases stored only n, mean, lower, upper and coverage.
 */
export interface WeightedBlock {
	n: number;
	mean: number | null;
	lower: number | null;
	upper: number | null;
	coverage: number | null;
	sd?: number | null;
	min?: null;
	max?: null;
	p25?: number | null;
	median?: number | null;
	p75?: number | null;
	p90?: number | null;
	/** Estimated register enterprises in the segment (Σ weights). */
	populationEstimate?: number;
}

/** Everything published for one segment cell (all of it follows the cell's disclosure status). */
export interface CellStats {
	key: string;
	segment: Partial<Record<Dimension, string>>;
	n: number;
	/** Sum of revenue (bn VND) over respondents reporting it: a magnitude under the dominance rule. */
	revenueBn: number | null;
	total: StatBlock;
	K: StatBlock;
	groups: Record<string, StatBlock>;
	weighted: WeightedBlock | null;
	/** Weighted K, group scores and ladder indices (absent on older releases). */
	weightedMeasures?: {
		K: WeightedBlock;
		groups: Record<string, WeightedBlock>;
		ladders: Record<string, { EXT: number | null; INT: number | null }>;
	} | null;
	/**
	 * Whether the weighted figures may be published: false when they would add an equation that pins a
	 * withheld cell (set after protection; absent on older releases: treated as false).
	 */
	weightedPublishable?: boolean;
	/** Mean ladder indices per business function (FAT EXT / INT). */
	ladders: Record<string, { n: number; EXT: number | null; INT: number | null }>;
}

/** A protected cell as stored (unsuppressed figures + status; views are made with applyRole). */
export interface StoredCell {
	key: string;
	n: number;
	value: number | null;
	status: CellStatus;
	reasons: PrimaryReason[];
}

export interface StoredTable {
	id: string;
	cells: StoredCell[];
	constraints: Constraint[];
}

/** Materialised benchmarks of one release for one segmentation (`by`: '' | 'size' | 'size,ownership' ...). */
export interface BenchmarkDoc extends BaseDoc {
	releaseId: string;
	by: string;
	dims: Dimension[];
	/** Protected tables that belong to this segmentation (segments; for one dimension also distributions). */
	tables: StoredTable[];
	/** Statistics per segment cell, by key. */
	stats: Record<string, CellStats>;
	createdAt: Date;
}
