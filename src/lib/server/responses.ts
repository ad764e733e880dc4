/**
 * An enterprise's response to a campaign: open (prefilled from the register), autosave with
 * optimistic concurrency, submit (validated like the form, scored, idempotent), and reopen (admin).
 *
 * Every lookup is scoped by the caller's enterprise: a response id belonging to someone else is
 * indistinguishable from one that does not exist (404), so ids in URLs leak nothing.
 */
import type { Database, TxSession } from './db/types';
import { maybeTransaction } from './db/transactions';
import { C, type CampaignDoc, type EnterpriseDoc, type ResponseDoc, type ScoreDoc } from './db/schema';
import { newId } from './db/ids';
import { loadSurvey, loadSurveyAsync } from './surveys';
import { acceptingAnswers, enqueueThanksMail } from './campaigns';
import { recordAudit, type Actor } from './audit';
import { confirmedWarnings, plausibilityBasis } from './plausibility';
import {
	checkShape,
	compileQuestionnaire,
	validateForSubmit,
	withServerComputed,
	type CompiledQuestionnaire
} from '$lib/domain/survey';
import { AnswerError, storedScoreResult, type ScoreResult } from '$lib/domain/rubric';
import type { Bilingual } from '$lib/i18n';
import type { SessionUser } from './auth/types';

const compiledCache = new Map<string, CompiledQuestionnaire>();

/** The questionnaire's validator, compiled once per survey version. */
export function compiledQuestionnaire(surveyId: string): CompiledQuestionnaire {
	let c = compiledCache.get(surveyId);
	if (!c) compiledCache.set(surveyId, (c = compileQuestionnaire(loadSurvey(surveyId).questionnaire)));
	return c;
}

export interface ResponseContext {
	response: ResponseDoc;
	campaign: CampaignDoc;
}

/** The response if it belongs to the caller's enterprise, else null (the route answers 404). */
export async function responseForEnterprise(
	db: Database,
	user: SessionUser,
	id: unknown
): Promise<ResponseContext | null> {
	if (user.role !== 'enterprise' || !user.enterpriseId || typeof id !== 'string') return null;
	const response = await db
		.collection<ResponseDoc>(C.responses)
		.findOne({ _id: id, enterpriseId: user.enterpriseId });
	if (!response) return null;
	const campaign = await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: response.campaignId });
	if (!campaign) return null;
	// Versions saved by admins live in the database, possibly by another instance: make sure this
	// one has loaded the campaign's version before the synchronous lookups below.
	await loadSurveyAsync(db, campaign.surveyId);
	return { response, campaign };
}

/** Answers the register already knows, for a first visit (the respondent can correct them). */
export function prefillFromRegister(
	e: EnterpriseDoc,
	compiled: CompiledQuestionnaire
): Record<string, unknown> {
	const known: Record<string, unknown> = {
		profile_tax_code: e.taxCode,
		profile_name: e.name,
		profile_vsic: e.vsic,
		profile_ward: e.ward,
		profile_ownership: e.ownership,
		profile_founded_year: e.foundedYear,
		profile_employees: e.employees,
		profile_revenue_bn: e.revenueBn
	};
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(known)) {
		if (v === undefined || v === null || v === '') continue;
		if (!compiled.questions.some((q) => q.name === k)) continue;
		// Only keep values the form would accept, so a stale register entry cannot block the respondent.
		if (checkShape(compiled, { [k]: v }).length === 0) out[k] = v;
	}
	return out;
}

/** Data for the questionnaire page; a first visit gets the register's answers prefilled. */
export async function openResponse(db: Database, ctx: ResponseContext): Promise<ResponseDoc> {
	const { response } = ctx;
	if (response.status !== 'invited' || Object.keys(response.data).length > 0) return response;
	const enterprise = await db
		.collection<EnterpriseDoc>(C.enterprises)
		.findOne({ _id: response.enterpriseId });
	if (!enterprise) return response;
	const data = prefillFromRegister(enterprise, compiledQuestionnaire(ctx.campaign.surveyId));
	return { ...response, data };
}

export type SaveOutcome =
	| { status: 200; revision: number }
	| { status: 404 }
	| { status: 409; reason: 'conflict' | 'closed' | 'submitted'; revision: number; message: Bilingual }
	| {
			status: 422;
			problems: Array<{ question: string; code: string; message: Bilingual }>;
			message: Bilingual;
	  };

interface DraftBody {
	data: Record<string, unknown>;
	currentPageNo: number;
	revision: number;
}

function parseDraftBody(body: unknown): DraftBody | { problem: Bilingual } {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		return { problem: { vi: 'Dữ liệu phải là một đối tượng JSON.', en: 'The body must be a JSON object.' } };
	const b = body as Record<string, unknown>;
	const extra = Object.keys(b).filter((k) => !['data', 'currentPageNo', 'revision', 'submitKey'].includes(k));
	if (extra.length)
		return {
			problem: {
				vi: `Trường không hợp lệ: ${extra.join(', ')}.`,
				en: `Unknown field(s): ${extra.join(', ')}.`
			}
		};
	if (typeof b.revision !== 'number' || !Number.isInteger(b.revision) || b.revision < 0)
		return {
			problem: { vi: 'Thiếu số phiên bản (revision).', en: '`revision` must be a non-negative integer.' }
		};
	const page = b.currentPageNo ?? 0;
	if (typeof page !== 'number' || !Number.isInteger(page) || page < 0 || page > 200)
		return {
			problem: { vi: 'Số trang không hợp lệ.', en: '`currentPageNo` must be a small non-negative integer.' }
		};
	return { data: b.data as Record<string, unknown>, currentPageNo: page, revision: b.revision };
}

const SAVE_INVALID: Bilingual = {
	vi: 'Một số câu trả lời không hợp lệ; chưa lưu.',
	en: 'Some answers are not valid; nothing was saved.'
};

/** Autosave: shape-checked, stored only if the caller started from the current revision. */
export async function saveDraft(
	db: Database,
	user: SessionUser,
	id: unknown,
	body: unknown
): Promise<SaveOutcome> {
	const ctx = await responseForEnterprise(db, user, id);
	if (!ctx) return { status: 404 };
	const { response, campaign } = ctx;
	const parsed = parseDraftBody(body);
	if ('problem' in parsed)
		return {
			status: 422,
			problems: [{ question: '', code: 'bad-body', message: parsed.problem }],
			message: parsed.problem
		};
	if (response.status === 'submitted')
		return {
			status: 409,
			reason: 'submitted',
			revision: response.revision,
			message: { vi: 'Phiếu đã được nộp và khóa.', en: 'This response has been submitted and is locked.' }
		};
	const open = acceptingAnswers(campaign);
	if (!open.ok) return { status: 409, reason: 'closed', revision: response.revision, message: open.message };
	const compiled = compiledQuestionnaire(campaign.surveyId);
	const problems = checkShape(compiled, parsed.data);
	if (problems.length) return { status: 422, problems, message: SAVE_INVALID };
	// Computed answers are the server's, in drafts too: the client's are replaced.
	const data = withServerComputed(compiled, parsed.data);
	const now = new Date();
	const updated = await db.collection<ResponseDoc>(C.responses).findOneAndUpdate(
		{
			_id: response._id,
			enterpriseId: response.enterpriseId,
			revision: parsed.revision,
			status: { $ne: 'submitted' }
		},
		{
			// startedAt keeps the first save's time (null sorts before dates, so $min cannot be used).
			$set: {
				data,
				currentPageNo: parsed.currentPageNo,
				status: 'in-progress',
				updatedAt: now,
				startedAt: response.startedAt ?? now
			},
			$inc: { revision: 1 }
		},
		{ returnDocument: 'after' }
	);
	if (updated) return { status: 200, revision: updated.revision };
	return conflict(db, response._id);
}

async function conflict(db: Database, id: string): Promise<SaveOutcome> {
	const current = await db.collection<ResponseDoc>(C.responses).findOne({ _id: id });
	if (current?.status === 'submitted')
		return {
			status: 409,
			reason: 'submitted',
			revision: current.revision,
			message: { vi: 'Phiếu đã được nộp và khóa.', en: 'This response has been submitted and is locked.' }
		};
	return {
		status: 409,
		reason: 'conflict',
		revision: current?.revision ?? 0,
		message: {
			vi: 'Phiếu vừa được sửa ở một thẻ hoặc thiết bị khác. Hãy tải lại trang để xem câu trả lời mới nhất; thay đổi ở đây chưa được lưu.',
			en: 'This response was changed in another tab or device. Reload to see the latest answers; the changes made here were not saved.'
		}
	};
}

const SUBMIT_INVALID: Bilingual = {
	vi: 'Vui lòng sửa các câu trả lời được đánh dấu trước khi nộp.',
	en: 'Please correct the marked answers before submitting.'
};

/** A rubric guard's refusal as a form problem: the question, and `<row>.<column>` for a list cell. */
export function answerProblem(e: AnswerError): {
	question: string;
	code: string;
	message: Bilingual;
	item?: string;
} {
	const question = e.question.split('.')[0];
	const item = e.cell
		? `${e.cell.row}.${e.cell.column}`
		: e.question.includes('.')
			? e.question.slice(question.length + 1)
			: undefined;
	return { question, code: 'out-of-range', message: e.text, ...(item ? { item } : {}) };
}

export type SubmitOutcome =
	| { status: 200; alreadySubmitted: boolean; score: NonNullable<ResponseDoc['score']> }
	| Exclude<SaveOutcome, { status: 200 }>;

/**
 * Submit: the same checks as the form and more (choices, scales, ranges), then scoring with the
 * campaign's rubric. Idempotent: a retry or double click finds the response already submitted and
 * gets the same result; only one submission and one score are ever recorded.
 */
export async function submitResponse(
	db: Database,
	user: SessionUser,
	id: unknown,
	body: unknown
): Promise<SubmitOutcome> {
	const ctx = await responseForEnterprise(db, user, id);
	if (!ctx) return { status: 404 };
	const { response, campaign } = ctx;
	if (response.status === 'submitted' && response.score)
		return { status: 200, alreadySubmitted: true, score: response.score };
	const parsed = parseDraftBody(body);
	if ('problem' in parsed)
		return {
			status: 422,
			problems: [{ question: '', code: 'bad-body', message: parsed.problem }],
			message: parsed.problem
		};
	const submitKey =
		typeof (body as { submitKey?: unknown }).submitKey === 'string'
			? (body as { submitKey: string }).submitKey.slice(0, 100)
			: newId();
	const open = acceptingAnswers(campaign);
	if (!open.ok) return { status: 409, reason: 'closed', revision: response.revision, message: open.message };
	const compiled = compiledQuestionnaire(campaign.surveyId);
	const result = validateForSubmit(compiled, parsed.data);
	if (!result.ok) return { status: 422, problems: result.problems, message: SUBMIT_INVALID };
	const survey = loadSurvey(campaign.surveyId);
	let score: ScoreResult;
	try {
		score = survey.scorer(campaign.year).score(result.cleaned);
	} catch (e) {
		// What only the rubric can tell (an equipment year after the campaign's year): a 422 naming the cell.
		if (!(e instanceof AnswerError)) throw e;
		return { status: 422, problems: [answerProblem(e)], message: SUBMIT_INVALID };
	}
	const scoreId = newId();
	const summary = {
		total: score.total,
		K: score.K,
		level: score.level,
		rubricVersion: score.rubricVersion,
		scoreId
	};
	const now = new Date();
	// Submitting after the review that listed them is the enterprise's confirmation of the warnings.
	const plausibility = confirmedWarnings(result.cleaned, await plausibilityBasis(db, ctx), now);
	// The response, its score and its summary change together: a crash between them would leave a
	// submitted response without a scorecard.
	const { result: locked } = await maybeTransaction(db, async (session) => {
		// The revision check makes a stale tab's submit fail instead of overwriting newer answers.
		const locked = await db.collection<ResponseDoc>(C.responses).findOneAndUpdate(
			{
				_id: response._id,
				enterpriseId: response.enterpriseId,
				revision: parsed.revision,
				status: { $ne: 'submitted' }
			},
			{
				$set: {
					data: result.cleaned,
					currentPageNo: parsed.currentPageNo,
					status: 'submitted',
					submittedAt: now,
					updatedAt: now,
					submitKey,
					score: summary,
					plausibility,
					startedAt: response.startedAt ?? now
				},
				$inc: { revision: 1 }
			},
			{ returnDocument: 'after', session }
		);
		if (locked) await storeScore(db, locked, campaign, score, scoreId, 'submit', session);
		return locked;
	});
	if (!locked) {
		const current = await db.collection<ResponseDoc>(C.responses).findOne({ _id: response._id });
		if (current?.status === 'submitted' && current.score)
			return { status: 200, alreadySubmitted: true, score: current.score };
		return conflict(db, response._id) as Promise<SubmitOutcome>;
	}
	// First submission only (a retry returned above); never throws, so the submission stands.
	await enqueueThanksMail(db, { user, response: locked, campaign });
	return { status: 200, alreadySubmitted: false, score: summary };
}

/** Stores a score as the response's current one; earlier scores stay, marked not current. */
export async function storeScore(
	db: Database,
	response: ResponseDoc,
	campaign: CampaignDoc,
	score: ScoreResult,
	scoreId: string,
	reason: ScoreDoc['reason'],
	session?: TxSession
): Promise<void> {
	const scores = db.collection<ScoreDoc>(C.scores);
	await scores.updateMany(
		{ responseId: response._id, current: true, _id: { $ne: scoreId } },
		{ $set: { current: false } },
		{ session }
	);
	await scores.updateOne(
		{ _id: scoreId },
		{
			$setOnInsert: {
				responseId: response._id,
				campaignId: campaign._id,
				enterpriseId: response.enterpriseId,
				rubricVersion: score.rubricVersion,
				referenceYear: campaign.year,
				total: score.total,
				K: score.K,
				level: score.level,
				groups: score.groups,
				result: storedScoreResult(score),
				reason,
				scoredAt: new Date()
			},
			$set: { current: true }
		},
		{ upsert: true, session }
	);
}

/** The current full score of a response (recomputed and stored if a crash lost it). */
export async function currentScore(db: Database, ctx: ResponseContext): Promise<ScoreDoc | null> {
	const { response, campaign } = ctx;
	if (response.status !== 'submitted' || !response.score) return null;
	const found = await db.collection<ScoreDoc>(C.scores).findOne({ _id: response.score.scoreId });
	if (found) return found;
	const score = loadSurvey(campaign.surveyId).scorer(campaign.year).score(response.data);
	await storeScore(db, response, campaign, score, response.score.scoreId, 'submit');
	return db.collection<ScoreDoc>(C.scores).findOne({ _id: response.score.scoreId });
}

/** Admin only: unlock a submitted response so the enterprise can correct it; recorded in the audit log. */
export async function reopenResponse(
	db: Database,
	actor: Actor,
	id: string,
	reason: string
): Promise<boolean> {
	const responses = db.collection<ResponseDoc>(C.responses);
	const before = await responses.findOne({ _id: id });
	if (!before || before.status !== 'submitted') return false;
	const at = new Date();
	// The score belonged to the submission being withdrawn: lists, releases and rescoring must not
	// keep counting it while the enterprise corrects its answers. The score document stays as
	// history (not current); the resubmission scores afresh.
	const { result: after } = await maybeTransaction(db, async (session) => {
		const after = await responses.findOneAndUpdate(
			{ _id: id, status: 'submitted' },
			{
				$set: { status: 'in-progress', submitKey: null, updatedAt: at, score: null },
				$inc: { revision: 1 },
				$push: { reopened: { at, by: actor.id, reason: reason.slice(0, 500) } }
			},
			{ returnDocument: 'after', session }
		);
		if (after)
			await db
				.collection<ScoreDoc>(C.scores)
				.updateMany({ responseId: id, current: true }, { $set: { current: false } }, { session });
		return after;
	});
	if (!after) return false;
	await recordAudit(db, {
		actor,
		action: 'response.reopen',
		target: `responses/${id}`,
		before: { status: before.status, submittedAt: before.submittedAt, score: before.score },
		after: { status: after.status, reason }
	});
	return true;
}
