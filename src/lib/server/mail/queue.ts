/**
 * The mail queue in the database (collection `mail`): enqueue (idempotent with a dedupe key),
 * list and read for the admin UI, and re-queue a failed or outbox message.
 */
import { newId } from '../db/ids';
import { C } from '../db/schema';
import {
	isDuplicateKeyError,
	type Collection,
	type Database,
	type Filter,
	type TxSession
} from '../db/types';
import { isMailTemplate, renderMail } from './templates';
import {
	MAIL_STATUSES,
	MAIL_TEMPLATES,
	MailInputError,
	type MailDoc,
	type MailLocale,
	type MailParams,
	type MailStatus,
	type MailTemplate
} from './types';

export const mailCollection = (db: Database): Collection<MailDoc> => db.collection<MailDoc>(C.mail);

export interface EnqueueMailInput<K extends MailTemplate = MailTemplate> {
	to: string;
	locale: MailLocale;
	template: K;
	params: MailParams[K];
	/** Same key → same message: enqueuing again returns the first one (e.g. `invite:<campaignId>:<enterpriseId>`). */
	dedupeKey?: string;
	campaignId?: string;
	enterpriseId?: string;
	/** Not sent before this time (scheduled reminders). Default: now. */
	notBefore?: Date;
}

export interface EnqueueOptions {
	now?: () => Date;
	/** Enqueue inside a caller's transaction (e.g. together with the invitation it announces). */
	session?: TxSession;
}

export interface EnqueueResult {
	mail: MailDoc;
	/** False when a message with the same dedupeKey already existed (it is returned unchanged). */
	created: boolean;
}

// One address, no display name, no line breaks: it goes into the To header and the envelope.
const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:".]+(\.[^\s@<>()[\]\\,;:".]+)+$/;

export function normaliseRecipient(to: unknown): string {
	if (typeof to !== 'string')
		throw new MailInputError('to', { vi: 'phải là địa chỉ e-mail', en: 'must be an e-mail address' });
	const t = to.trim();
	if (t.length > 254 || !EMAIL_RE.test(t))
		throw new MailInputError('to', {
			vi: `không phải địa chỉ e-mail hợp lệ: '${t}'`,
			en: `is not a valid e-mail address: '${t}'`
		});
	return t;
}

function checkKey(field: string, v: unknown): string | undefined {
	if (v === undefined) return undefined;
	if (typeof v !== 'string' || !v.trim() || v.length > 300)
		throw new MailInputError(field, {
			vi: 'phải là chuỗi không rỗng, tối đa 300 ký tự',
			en: 'must be a non-empty string of at most 300 characters'
		});
	return v;
}

/**
 * Renders and stores a message as `queued`. With a dedupeKey it is idempotent: if a message with
 * that key exists (in any status) it is returned with `created: false` and nothing is added.
 * Throws MailInputError (with the field) for an invalid address, template, locale or parameter.
 */
export async function enqueueMail<K extends MailTemplate>(
	db: Database,
	input: EnqueueMailInput<K>,
	options: EnqueueOptions = {}
): Promise<EnqueueResult> {
	const now = (options.now ?? (() => new Date()))();
	const to = normaliseRecipient(input.to);
	const rendered = renderMail(input.template as string, input.locale, input.params);
	const dedupeKey = checkKey('dedupeKey', input.dedupeKey);
	const campaignId = checkKey('campaignId', input.campaignId);
	const enterpriseId = checkKey('enterpriseId', input.enterpriseId);
	if (
		input.notBefore !== undefined &&
		!(input.notBefore instanceof Date && !Number.isNaN(input.notBefore.getTime()))
	)
		throw new MailInputError('notBefore', { vi: 'phải là ngày hợp lệ', en: 'must be a valid Date' });

	const coll = mailCollection(db);
	const session = options.session;
	if (dedupeKey) {
		// Looked up first: inside a MongoDB transaction a duplicate-key error would abort it.
		const existing = await coll.findOne({ dedupeKey }, { session });
		if (existing) return { mail: existing, created: false };
	}
	const doc: MailDoc = {
		_id: newId(),
		to,
		locale: input.locale,
		template: input.template,
		params: { ...(input.params as unknown as Record<string, unknown>) },
		...rendered,
		// Optional keys are left out, not null: the unique dedupeKey index is sparse.
		...(dedupeKey ? { dedupeKey } : {}),
		...(campaignId ? { campaignId } : {}),
		...(enterpriseId ? { enterpriseId } : {}),
		status: 'queued',
		attempts: 0,
		nextAttemptAt: input.notBefore ?? now,
		lastError: null,
		errors: [],
		sentAt: null,
		messageId: null,
		createdAt: now,
		updatedAt: now,
		leaseUntil: null,
		workerId: null,
		claimId: null
	};
	try {
		await coll.insertOne(doc, { session });
		return { mail: doc, created: true };
	} catch (e) {
		// A concurrent enqueue with the same key won the race: return its message.
		if (dedupeKey && !session && isDuplicateKeyError(e)) {
			const existing = await coll.findOne({ dedupeKey });
			if (existing) return { mail: existing, created: false };
		}
		throw e;
	}
}

export interface ListMailOptions {
	status?: MailStatus;
	campaignId?: string;
	enterpriseId?: string;
	/** One kind of message (invitation, reminder, ...). */
	template?: MailTemplate;
	/** Default 100, at most 1000. */
	limit?: number;
	skip?: number;
}

/** A row of the admin list: everything except the rendered bodies. */
export type MailSummary = Omit<MailDoc, 'html' | 'text' | 'params'>;

export function isMailStatus(v: unknown): v is MailStatus {
	return typeof v === 'string' && (MAIL_STATUSES as readonly string[]).includes(v);
}

function listFilter(o: {
	status?: MailStatus;
	campaignId?: string;
	enterpriseId?: string;
	template?: MailTemplate;
}): Filter {
	if (o.status !== undefined && !isMailStatus(o.status))
		throw new MailInputError('status', {
			vi: `phải là một trong ${MAIL_STATUSES.join(', ')}`,
			en: `must be one of ${MAIL_STATUSES.join(', ')} (got '${String(o.status)}')`
		});
	if (o.template !== undefined && !isMailTemplate(o.template))
		throw new MailInputError('template', {
			vi: `phải là một trong ${MAIL_TEMPLATES.join(', ')}`,
			en: `must be one of ${MAIL_TEMPLATES.join(', ')} (got '${String(o.template)}')`
		});
	const filter: Filter = {};
	if (o.status) filter.status = o.status;
	if (o.template) filter.template = o.template;
	if (o.campaignId) filter.campaignId = o.campaignId;
	if (o.enterpriseId) filter.enterpriseId = o.enterpriseId;
	return filter;
}

/** Newest first. */
export async function listMail(db: Database, options: ListMailOptions = {}): Promise<MailSummary[]> {
	const limit = Math.min(Math.max(Math.floor(options.limit ?? 100), 1), 1000);
	return mailCollection(db).find(listFilter(options), {
		sort: { createdAt: -1, _id: -1 },
		limit,
		skip: Math.max(Math.floor(options.skip ?? 0), 0),
		projection: { html: 0, text: 0, params: 0 }
	});
}

/** One message with its rendered subject, HTML and text (what was or will be sent), or null. */
export async function getMail(db: Database, id: string): Promise<MailDoc | null> {
	if (typeof id !== 'string' || !id) return null;
	return mailCollection(db).findOne({ _id: id });
}

/** Messages per status (all, or one campaign's): for the admin page and the CLI. */
export async function countMail(
	db: Database,
	options: { campaignId?: string; template?: MailTemplate } = {}
): Promise<Record<MailStatus, number>> {
	const rows = await mailCollection(db).aggregate<{ _id: MailStatus; n: number }>([
		{ $match: listFilter(options) },
		{ $group: { _id: '$status', n: { $sum: 1 } } }
	]);
	const out = Object.fromEntries(MAIL_STATUSES.map((s) => [s, 0])) as Record<MailStatus, number>;
	for (const r of rows) if (isMailStatus(r._id)) out[r._id] = r.n;
	return out;
}

/**
 * Puts a failed or outbox message back in the queue (an admin fixed the address or configured
 * SMTP). Attempts restart from zero; the error history is kept. Returns the updated message, or
 * null when it does not exist or is not failed/outbox (queued, sending and sent are left alone so a
 * sent message can never be sent again this way).
 */
export async function requeueMail(
	db: Database,
	id: string,
	options: { now?: () => Date } = {}
): Promise<MailDoc | null> {
	const now = (options.now ?? (() => new Date()))();
	return mailCollection(db).findOneAndUpdate(
		{ _id: id, status: { $in: ['failed', 'outbox'] } },
		{
			$set: {
				status: 'queued',
				attempts: 0,
				nextAttemptAt: now,
				permanentFailure: false,
				outboxAt: null,
				updatedAt: now,
				leaseUntil: null,
				workerId: null,
				claimId: null
			}
		},
		{ returnDocument: 'after' }
	);
}
