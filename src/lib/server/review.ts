/**
 * Review before submit: what the server would say about the answers if they were
 * submitted now (the problems of each question, and the level they would score) without storing
 * anything. The enterprise sees it on the review step and then confirms, or goes back.
 */
import type { Database } from './db/types';
import { answerProblem, compiledQuestionnaire, responseForEnterprise } from './responses';
import { AnswerError } from '$lib/domain/rubric';
import { loadSurvey } from './surveys';
import { isPlainObject } from '$lib/domain/survey/shape';
import { validateForSubmit } from '$lib/domain/survey';
import { pick, type Locale } from '$lib/i18n';
import { plausibilityWarnings, type Advice } from '$lib/domain/plausibility';
import { plausibilityBasis } from './plausibility';
import type { SessionUser } from './auth/types';

export interface ReviewProblem {
	question: string;
	item?: string;
	code: string;
	message: string;
}

export type ReviewOutcome =
	| { status: 404 }
	| { status: 422; message: string }
	| {
			status: 200;
			ok: boolean;
			problems: ReviewProblem[];
			/** The score the answers would get now; null while they cannot be submitted. */
			expected: { total: number; K: number; level: string } | null;
			/** Soft plausibility warnings submitting would confirm (stored with the response). */
			warnings: Array<{ question: string; advice: Advice }>;
	  };

export async function reviewResponse(
	db: Database,
	user: SessionUser,
	id: unknown,
	body: unknown,
	locale: Locale
): Promise<ReviewOutcome> {
	const ctx = await responseForEnterprise(db, user, id);
	if (!ctx) return { status: 404 };
	const data = isPlainObject(body) ? body.data : undefined;
	if (!isPlainObject(data))
		return {
			status: 422,
			message: pick(locale, { vi: 'Thiếu câu trả lời (data).', en: '`data` must be an object.' })
		};
	const { campaign } = ctx;
	const result = validateForSubmit(compiledQuestionnaire(campaign.surveyId), data);
	const problems = result.problems.map((p) => {
		const out: ReviewProblem = { question: p.question, code: p.code, message: pick(locale, p.message) };
		if (p.item !== undefined) out.item = p.item;
		return out;
	});
	const warnings = plausibilityWarnings(result.ok ? result.cleaned : data, await plausibilityBasis(db, ctx));
	if (!result.ok) return { status: 200, ok: false, problems, expected: null, warnings };
	let score;
	try {
		score = loadSurvey(campaign.surveyId).scorer(campaign.year).score(result.cleaned);
	} catch (e) {
		if (!(e instanceof AnswerError)) throw e;
		const p = answerProblem(e);
		const problem: ReviewProblem = { question: p.question, code: p.code, message: pick(locale, p.message) };
		if (p.item !== undefined) problem.item = p.item;
		return { status: 200, ok: false, problems: [problem], expected: null, warnings };
	}
	return {
		status: 200,
		ok: true,
		problems,
		expected: { total: score.total, K: score.K, level: score.level },
		warnings
	};
}
