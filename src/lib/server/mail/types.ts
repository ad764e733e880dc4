/**
 * The mail queue's document and the templates' parameters. A message is rendered when it is
 * enqueued (what an admin previews is exactly what goes out) and stored with its delivery state.
 */
import type { BaseDoc } from '../db/types';

export type MailLocale = 'vi' | 'en';
export const MAIL_LOCALES: readonly MailLocale[] = ['vi', 'en'] as const;

export type MailTemplate =
	'invitation' | 'reminder' | 'thanks' | 'password-reset' | 'reopened' | 'account-invitation';
export const MAIL_TEMPLATES: readonly MailTemplate[] = [
	'invitation',
	'reminder',
	'thanks',
	'password-reset',
	'reopened',
	'account-invitation'
] as const;

/**
 * queued → sending → sent, or back to queued (retry with backoff), or failed (gave up / refused).
 * outbox: no SMTP configured; rendered and kept for admins to read (nothing is lost in a demo).
 */
export type MailStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'outbox';
export const MAIL_STATUSES: readonly MailStatus[] = [
	'queued',
	'sending',
	'sent',
	'failed',
	'outbox'
] as const;

export interface InvitationParams {
	enterpriseName: string;
	campaignName: string;
	/** The sector's display name in the recipient's language. */
	sector: string;
	/** Shown as a calendar date in Vietnam time (UTC+7). Date or ISO 8601 string. */
	closingDate: Date | string;
	/** Absolute http(s) link to the enterprise's personal survey invitation. */
	link: string;
	/** The sending authority, e.g. "Sở Khoa học và Công nghệ Hà Nội"; default: a generic name per language. */
	department?: string;
}

export interface ReminderParams {
	enterpriseName: string;
	campaignName: string;
	closingDate: Date | string;
	/** Whole days until closing; 0 means "closes today". */
	daysLeft: number;
	link: string;
	department?: string;
}

export interface ThanksParams {
	enterpriseName: string;
	campaignName: string;
	/** Absolute http(s) link to the enterprise's scorecard. */
	scorecardLink: string;
	department?: string;
}

/** A one-time link to set a new password (and sign in), asked for on the login page. */
export interface PasswordResetParams {
	name: string;
	/** Absolute http(s) link `/reset/<token>`. */
	link: string;
	/** Whole minutes the link stays valid. */
	minutes: number;
	department?: string;
}

/** An administrator reopened a submitted response for corrections. */
export interface ReopenedParams {
	enterpriseName: string;
	campaignName: string;
	/** The administrator's reason, as typed. */
	reason: string;
	/** Until when the enterprise can answer (the campaign's closing date). */
	closingDate: Date | string;
	/** Absolute http(s) link to continue answering. */
	link: string;
	department?: string;
}

/** An administrator's invitation to create a TechCap account, outside any campaign. */
export interface AccountInvitationParams {
	/** The role's name in the recipient's language, e.g. "Doanh nghiệp", "Analyst". */
	roleName: string;
	/** The enterprise the account will belong to (enterprise accounts only). */
	enterpriseName?: string;
	/** Absolute http(s) link `/invite/<token>`. */
	link: string;
	/** Shown as a calendar date in the department's time zone. */
	expiresAt: Date | string;
	department?: string;
}

export interface MailParams {
	invitation: InvitationParams;
	reminder: ReminderParams;
	thanks: ThanksParams;
	'password-reset': PasswordResetParams;
	reopened: ReopenedParams;
	'account-invitation': AccountInvitationParams;
}

export interface RenderedMail {
	subject: string;
	html: string;
	text: string;
}

/** One failed delivery attempt, kept (last 10) so admins see why a message is late or failed. */
export interface MailAttemptError {
	at: Date;
	attempt: number;
	workerId: string;
	error: string;
}

export interface MailDoc extends BaseDoc {
	to: string;
	locale: MailLocale;
	template: MailTemplate;
	params: Record<string, unknown>;
	subject: string;
	html: string;
	text: string;
	/** Makes enqueuing idempotent (unique sparse index), e.g. `invite:<campaignId>:<enterpriseId>`. Absent when not given. */
	dedupeKey?: string;
	campaignId?: string;
	enterpriseId?: string;
	status: MailStatus;
	/** Claims so far (a claim counts even when its worker died, so a message that crashes workers ends as failed). */
	attempts: number;
	/** Earliest time a worker may claim a queued message. */
	nextAttemptAt: Date | null;
	/** Why the last attempt failed (null once sent); the history is in `errors`. */
	lastError: string | null;
	/** Set when the SMTP server refused the recipient (5xx at RCPT): retrying cannot help (a bounce). */
	permanentFailure?: boolean;
	errors: MailAttemptError[];
	sentAt: Date | null;
	/** The SMTP Message-ID header, derived from dedupeKey (or _id): identical on every attempt. */
	messageId: string | null;
	/** The server's reply when it accepted the message, e.g. "250 OK: queued as ...". */
	smtpResponse?: string;
	/** Set when the message went to the outbox instead of SMTP. */
	outboxAt?: Date | null;
	createdAt: Date;
	updatedAt: Date;
	/** While status is sending: the claim is valid until then; afterwards another worker may take it over. */
	leaseUntil: Date | null;
	workerId: string | null;
	/** Random per claim: a worker whose claim was taken over cannot record its late outcome. */
	claimId: string | null;
}

/**
 * Bad input for the mail API. `field` is the parameter path (e.g. "params.link"); `text` has both
 * languages for forms; `message` is the English text with the field, for logs and the CLI.
 */
export class MailInputError extends Error {
	constructor(
		readonly field: string,
		readonly text: { vi: string; en: string }
	) {
		super(`${field}: ${text.en}`);
		this.name = 'MailInputError';
	}
}
