/**
 * Every collection TechCap stores, its document type, and its indexes: declared here once and
 * created at start-up on both engines (see `ensureIndexes`).
 */
import type { BaseDoc, IndexSpec } from './types';
import type { Advice } from '$lib/domain/plausibility';

export type Role = 'enterprise' | 'analyst' | 'policymaker' | 'admin';
export const ROLES: readonly Role[] = ['enterprise', 'analyst', 'policymaker', 'admin'] as const;

export interface UserDoc extends BaseDoc {
	email: string; // lower-cased, unique
	name: string;
	role: Role;
	/** Set for role 'enterprise': the one enterprise this account acts for. */
	enterpriseId?: string;
	passwordHash: string | null; // argon2id PHC string; null until an invitation is accepted
	locale: 'vi' | 'en';
	disabled: boolean;
	/** Analysts with microdata rights see unsuppressed values. */
	microdata?: boolean;
	/** Analysts who may publish a submitted draft release (administrators always may). */
	publisher?: boolean;
	createdAt: Date;
	updatedAt: Date;
}

export interface SessionDoc extends BaseDoc {
	/** _id is the SHA-256 of the opaque cookie value: a stolen database does not yield live cookies. */
	userId: string;
	createdAt: Date;
	expiresAt: Date;
	lastSeenAt: Date;
	userAgent?: string;
}

export interface InvitationDoc extends BaseDoc {
	/** _id is the SHA-256 of the token sent in the link. */
	email: string;
	role: Role;
	enterpriseId?: string;
	campaignId?: string;
	createdBy: string | null;
	createdAt: Date;
	expiresAt: Date;
	usedAt: Date | null;
	/** First time the link was opened (response tracking). */
	openedAt?: Date | null;
}

/** Failed-login counters per key ("acct:<email>" / "ip:<addr>"), shared by every app instance. */
export interface ThrottleDoc extends BaseDoc {
	failures: number;
	windowStart: Date;
	lockedUntil: Date | null;
	expiresAt: Date;
}

export type Ownership = 'state' | 'private' | 'fdi';
export type SizeClass = 'micro' | 'small' | 'medium' | 'large';

export interface EnterpriseDoc extends BaseDoc {
	taxCode: string; // unique, kept as a string (leading zeros, -NNN suffix)
	name: string;
	vsic: string; // VSIC 2018 4-digit code
	ward: string; // ward/commune code or name
	ownership: Ownership;
	foundedYear?: number;
	employees?: number;
	revenueBn?: number; // bn VND
	capitalBn?: number; // bn VND
	email?: string;
	createdAt: Date;
	updatedAt: Date;
}

export interface AuditDoc extends BaseDoc {
	at: Date;
	actorId: string | null;
	actorEmail: string | null;
	action: string;
	target: string;
	before?: unknown;
	after?: unknown;
	ip?: string;
}

export type CampaignStatus = 'draft' | 'open' | 'closed' | 'published';

export interface ReminderSettings {
	/** Send a reminder this many days before closing (e.g. [7, 2]); empty: no scheduled reminders. */
	daysBefore: number[];
	/** Most reminders (manual and scheduled) one enterprise receives in the campaign. */
	maxPerEnterprise: number;
}

/** A yearly assessment of one sector with one questionnaire version. */
export interface CampaignDoc extends BaseDoc {
	sector: string;
	year: number;
	/** `<sector>/<version>` of the questionnaire and rubric in `surveys/`. */
	surveyId: string;
	name: { vi: string; en: string };
	opensAt: Date;
	closesAt: Date;
	status: CampaignStatus;
	/** Minimum number of peers before a scorecard shows sector comparisons. */
	peerThreshold: number;
	/** Scheduled reminders; absent means the defaults in reminders.ts. */
	reminders?: ReminderSettings;
	/** Scheduled reminder slots already sent, e.g. `d7@<closesAt ISO>` (claimed atomically, so one instance sends each). */
	remindersDone?: string[];
	createdBy: string | null;
	createdAt: Date;
	updatedAt: Date;
}

export type ResponseStatus = 'invited' | 'in-progress' | 'submitted';

/** One enterprise's answers in one campaign (created when it is invited). */
export interface ResponseDoc extends BaseDoc {
	campaignId: string;
	enterpriseId: string;
	status: ResponseStatus;
	data: Record<string, unknown>;
	currentPageNo: number;
	/** Optimistic concurrency: every save must name the revision it started from. */
	revision: number;
	source: 'online' | 'import';
	importId?: string;
	createdAt: Date;
	updatedAt: Date;
	startedAt: Date | null;
	submittedAt: Date | null;
	/** Idempotency key of the submission (a double click or retry sends the same key). */
	submitKey: string | null;
	/** Summary of the current score, for lists; the full result lives in `scores`. */
	score: { total: number; K: number; level: string; rubricVersion: string; scoreId: string } | null;
	reopened: Array<{ at: Date; by: string; reason: string }>;
	/** Set by an admin when the enterprise declined to take part; no more reminders. */
	declined?: { at: Date; by: string; reason: string } | null;
	/**
	 * Plausibility warnings the enterprise saw on the review before submitting and confirmed by
	 * submitting (for an import: those its rows raised), with what each answer was compared with.
	 */
	plausibility?: Array<{ question: string; advice: Advice; confirmedAt: Date }>;
}

/** One scoring of a response with one rubric version. Rescoring adds documents, never edits old ones. */
export interface ScoreDoc extends BaseDoc {
	responseId: string;
	campaignId: string;
	enterpriseId: string;
	rubricVersion: string;
	referenceYear: number;
	total: number;
	K: number;
	level: string;
	groups: Record<string, number>;
	/** The rubric engine's result without priorities (StoredScoreResult: criteria, ladders, groups). */
	result: unknown;
	current: boolean;
	reason: 'submit' | 'import' | 'rescore';
	scoredAt: Date;
}

/**
 * A questionnaire + rubric version stored in the database (`C.rubrics`): uploaded by an admin or
 * derived from another version by editing reference values or level cut-offs. `_id` is
 * `<sector>/<version>`. Never updated once inserted: every change is a new version (see surveys/stored.ts).
 */
export interface SurveyVersionDoc extends BaseDoc {
	sector: string;
	version: string;
	questionnaire: Record<string, unknown>;
	rubric: Record<string, unknown>;
	/** The version's own reference values, one object per year (a snapshot, not shared). */
	referenceValues: Array<Record<string, unknown>>;
	origin: 'upload' | 'edit';
	/** The version this one was derived from (edits), or null (uploads). */
	basedOn: string | null;
	note: string;
	createdBy: string | null;
	createdAt: Date;
}

/** A rescoring job in `C.jobs` (shared with import jobs, told apart by `kind`), with progress for the UI. */
export interface RescoreJobDoc extends BaseDoc {
	kind: 'rescore';
	status: 'running' | 'done' | 'failed';
	campaignId: string;
	surveyId: string;
	done: number;
	total: number;
	failed: number;
	summary: unknown;
	error: string | null;
	createdBy: string | null;
	createdAt: Date;
	/** Heartbeat: a running job whose updatedAt is old died with its instance. */
	updatedAt: Date;
	finishedAt: Date | null;
}

/** What an import reads: the enterprise register or one campaign's responses. */
export type ImportKind = 'enterprises' | 'responses';
export type ImportMode = 'all-or-nothing' | 'valid-rows-only';
export type ImportStatus = 'analysed' | 'running' | 'committed' | 'rejected' | 'failed';

export interface ImportCounts {
	imported: number;
	updated: number;
	unchanged: number;
	rejected: number;
}

/** One import of a CSV file (`C.imports`): its options, analysis, outcome and problem report. */
export interface ImportDoc extends BaseDoc {
	kind: ImportKind;
	campaignId: string | null;
	fileName: string;
	fileBytes: number;
	/** SHA-256 of the file, so the same file imported twice can be recognised in the list. */
	fileSha256: string;
	/** Upload kept under os.tmpdir() between analysis and confirmation (removed afterwards). */
	tempPath: string | null;
	/**
	 * Chunks of the upload in `C.uploadChunks` when instances may not share a temp folder
	 * (MongoDB), so whichever instance receives the confirmation can run the import; else absent.
	 */
	sharedChunks?: number | null;
	mode: ImportMode;
	numberFormat: 'dot-decimal' | 'comma-decimal' | null;
	invite: boolean;
	status: ImportStatus;
	counts: ImportCounts;
	warnings: Array<{ code: string; message: { vi: string; en: string } }>;
	/** The first problems (row, column, value, message); `problemCount` says how many there were. */
	problems: Array<{
		row: number | null;
		column: string | null;
		value: string;
		message: { vi: string; en: string };
	}>;
	problemCount: number;
	message: { vi: string; en: string } | null;
	/**
	 * Register import with "invite": invitation e-mails queued, already sent by an earlier
	 * invitation of the campaign, enterprises without an e-mail address, and failures.
	 */
	invited?: { queued: number; already: number; noEmail: number; errors: number } | null;
	/** What the analysis step showed (columns mapped, first rows); null for CLI imports. */
	analysis?: {
		encoding: string;
		delimiter: string;
		/** `label`: what the target is, in both languages (absent on older imports). */
		mapping: Array<{ header: string; target: string | null; label?: { vi: string; en: string } | null }>;
		absent: string[];
		absentLabels?: Array<{ vi: string; en: string }>;
		preview: string[][];
		numberFormat: { format: 'dot-decimal' | 'comma-decimal'; confident: boolean };
	} | null;
	createdBy: string | null;
	createdAt: Date;
	updatedAt: Date;
	finishedAt: Date | null;
}

/** A long-running job's progress, readable by every app instance (`C.jobs`; `_id` = the import's). */
export interface JobDoc extends BaseDoc {
	kind: 'import';
	status: 'running' | 'committed' | 'rejected' | 'failed';
	phase: 'parse' | 'validate' | 'store' | 'done';
	/** Bytes of the file read so far, and the file's size. */
	bytes: number;
	total: number;
	rows: number;
	counts: ImportCounts;
	errors: number;
	/** Refreshed while the job runs: a running job not seen for a while was interrupted. */
	heartbeatAt: Date;
	createdAt: Date;
	updatedAt: Date;
}

/** Collection names: the only place they are spelled. */
export const C = {
	users: 'users',
	sessions: 'sessions',
	invitations: 'invitations',
	throttle: 'throttle',
	enterprises: 'enterprises',
	campaigns: 'campaigns',
	responses: 'responses',
	scores: 'scores',
	releases: 'releases',
	releaseRows: 'release_rows',
	benchmarks: 'benchmarks',
	rubrics: 'rubrics',
	imports: 'imports',
	uploadChunks: 'upload_chunks',
	jobs: 'jobs',
	mail: 'mail',
	audit: 'audit',
	programmes: 'programmes',
	supports: 'supports',
	boundaries: 'boundaries',
	meta: 'meta'
} as const;
export type CollectionName = (typeof C)[keyof typeof C];

/**
 * One uploaded version of the province's ward boundaries (the gap map's choropleth). The newest
 * version is drawn; earlier ones stay for the record.
 */
export interface BoundaryDoc extends BaseDoc {
	version: number;
	fileName: string;
	uploadedAt: Date;
	uploadedBy: string | null;
	/** Register ward id → GeoJSON Polygon/MultiPolygon, as checked by the domain reader. */
	boundaries: Array<{ ward: string; name: string; geometry: { type: string; coordinates: unknown } }>;
	/** Features of the file that named no register ward (position from 1 and label). */
	unmatched: Array<{ feature: number; label: string }>;
	/** Register wards the file had no boundary for. */
	missing: string[];
}

/** Collections of passing state that backups leave out (a restore empties them). */
export const TRANSIENT_COLLECTIONS: ReadonlySet<string> = new Set([C.uploadChunks]);

/** One piece of an upload waiting for confirmation (see imports/uploads.ts). */
export interface UploadChunkDoc extends BaseDoc {
	importId: string;
	/** Position from 0. */
	n: number;
	bytes: Uint8Array;
	createdAt: Date;
}

export const INDEXES: Record<string, IndexSpec[]> = {
	[C.users]: [{ keys: { email: 1 }, unique: true }, { keys: { enterpriseId: 1 } }],
	[C.sessions]: [{ keys: { userId: 1 } }, { keys: { expiresAt: 1 }, expireAfterSeconds: 0 }],
	[C.invitations]: [{ keys: { email: 1 } }, { keys: { campaignId: 1 } }],
	[C.throttle]: [{ keys: { expiresAt: 1 }, expireAfterSeconds: 0 }],
	[C.enterprises]: [{ keys: { taxCode: 1 }, unique: true }, { keys: { vsic: 1 } }],
	[C.campaigns]: [{ keys: { sector: 1, year: 1 } }],
	[C.responses]: [{ keys: { campaignId: 1, enterpriseId: 1 }, unique: true }, { keys: { enterpriseId: 1 } }],
	[C.scores]: [{ keys: { responseId: 1, rubricVersion: 1 } }, { keys: { campaignId: 1, current: 1 } }],
	[C.releases]: [{ keys: { campaignId: 1, version: 1 }, unique: true }],
	[C.releaseRows]: [{ keys: { releaseId: 1 } }],
	[C.benchmarks]: [{ keys: { releaseId: 1, by: 1 } }],
	[C.audit]: [{ keys: { at: -1 } }],
	[C.mail]: [
		{ keys: { status: 1, nextAttemptAt: 1 } },
		{ keys: { dedupeKey: 1 }, unique: true, sparse: true },
		{ keys: { campaignId: 1, enterpriseId: 1 } }
	],
	[C.jobs]: [{ keys: { status: 1 } }],
	[C.imports]: [{ keys: { createdAt: -1 } }, { keys: { campaignId: 1 } }],
	// Uploads never confirmed go after a day, as their temp files do.
	[C.uploadChunks]: [{ keys: { importId: 1 } }, { keys: { createdAt: 1 }, expireAfterSeconds: 86400 }],
	[C.rubrics]: [{ keys: { sector: 1 } }],
	[C.boundaries]: [{ keys: { version: 1 }, unique: true }],
	// Policy follow-up: one record per programme, enterprise and year.
	[C.supports]: [
		{ keys: { programmeId: 1, enterpriseId: 1, year: 1 }, unique: true },
		{ keys: { enterpriseId: 1 } }
	]
};
