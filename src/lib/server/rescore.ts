/**
 * Rescoring a campaign with a rubric version: every submitted response is scored again and the new
 * score becomes current; earlier score documents stay (current: false), so the scores of each
 * rubric version remain reproducible and comparable. Used by `techcap rescore` and the admin UI
 * (as a job with progress in `C.jobs`).
 *
 * Rescoring with another version makes it the campaign's version (campaign.surveyId), so later
 * submissions and scorecards use the same rules as the rescored responses: a campaign's scores then
 * never mix two versions.
 */
import type { Database } from './db/types';
import { C, type CampaignDoc, type RescoreJobDoc, type ResponseDoc } from './db/schema';
import { newId } from './db/ids';
import { recordAudit, type Actor } from './audit';
import { storeScore } from './responses';
import { maybeTransaction } from './db/transactions';
import { loadSurveyAsync, UnknownSurveyError } from './surveys';
import type { Bilingual } from '$lib/i18n';

export class RescoreError extends Error {
	constructor(readonly text: Bilingual) {
		super(text.en);
		this.name = 'RescoreError';
	}
}

export interface RescoreSummary {
	campaignId: string;
	surveyId: string;
	previousSurveyId: string;
	campaignUpdated: boolean;
	/** Submitted responses found. */
	total: number;
	rescored: number;
	failed: number;
	/** Responses whose level differs from their previous current score. */
	levelChanged: number;
	/** Mean of (new total − previous total) over rescored responses that had a score. */
	meanDelta: number;
	failures: Array<{ responseId: string; message: string }>;
	ms: number;
}

/** `--rubric` accepts `<sector>/<version>` or just `<version>` (the campaign's sector). */
export function resolveSurveyId(campaign: CampaignDoc, rubric?: string): string {
	if (!rubric) return campaign.surveyId;
	return rubric.includes('/') ? rubric : `${campaign.sector}/${rubric}`;
}

/** Refuses a version that does not exist, is for another sector, or would swap an open campaign's questionnaire. */
async function checkTarget(db: Database, campaign: CampaignDoc, surveyId: string) {
	let survey;
	try {
		survey = await loadSurveyAsync(db, surveyId);
	} catch (e) {
		if (e instanceof UnknownSurveyError || (e instanceof Error && e.message.startsWith('survey id')))
			throw new RescoreError({
				vi: `Phiên bản bộ tiêu chí '${surveyId}' không tồn tại.`,
				en: e.message
			});
		throw e;
	}
	if (survey.sector !== campaign.sector)
		throw new RescoreError({
			vi: `Phiên bản ${surveyId} thuộc ngành khác với đợt khảo sát (${campaign.sector}).`,
			en: `Version ${surveyId} is for sector '${survey.sector}', the campaign is '${campaign.sector}'.`
		});
	if (surveyId !== campaign.surveyId) {
		const current = await loadSurveyAsync(db, campaign.surveyId).catch(() => null);
		const sameQuestionnaire =
			current !== null && JSON.stringify(current.questionnaire) === JSON.stringify(survey.questionnaire);
		// Enterprises answering now have drafts for the old questionnaire: do not swap it under them.
		if (!sameQuestionnaire && (campaign.status === 'open' || campaign.status === 'draft'))
			throw new RescoreError({
				vi: `Đợt khảo sát đang mở: chỉ được chấm lại bằng phiên bản có cùng phiếu hỏi với ${campaign.surveyId}.`,
				en: `The campaign is ${campaign.status}: rescore only with a version that has the same questionnaire as ${campaign.surveyId}.`
			});
	}
	return survey;
}

const BATCH = 200;

export async function rescoreCampaign(
	db: Database,
	opts: {
		campaignId: string;
		/** `<sector>/<version>` or `<version>`; default: the campaign's own version. */
		rubric?: string;
		actor: Actor | null;
		onProgress?: (done: number, total: number) => void | Promise<void>;
	}
): Promise<RescoreSummary> {
	const started = Date.now();
	const campaigns = db.collection<CampaignDoc>(C.campaigns);
	const campaign = await campaigns.findOne({ _id: opts.campaignId });
	if (!campaign)
		throw new RescoreError({
			vi: `Không tìm thấy đợt khảo sát '${opts.campaignId}'.`,
			en: `No campaign '${opts.campaignId}'.`
		});
	const surveyId = resolveSurveyId(campaign, opts.rubric);
	const survey = await checkTarget(db, campaign, surveyId);
	const previousSurveyId = campaign.surveyId;
	let campaignUpdated = false;
	if (surveyId !== previousSurveyId) {
		await campaigns.updateOne({ _id: campaign._id }, { $set: { surveyId, updatedAt: new Date() } });
		campaignUpdated = true;
	}
	const scorer = survey.scorer(campaign.year);
	const responses = db.collection<ResponseDoc>(C.responses);
	const filter = { campaignId: campaign._id, status: 'submitted' };
	const total = await responses.countDocuments(filter);
	await opts.onProgress?.(0, total);
	const summary: RescoreSummary = {
		campaignId: campaign._id,
		surveyId,
		previousSurveyId,
		campaignUpdated,
		total,
		rescored: 0,
		failed: 0,
		levelChanged: 0,
		meanDelta: 0,
		failures: [],
		ms: 0
	};
	let deltaSum = 0;
	let deltaCount = 0;
	let done = 0;
	let lastId = '';
	for (;;) {
		// Keyset pagination: responses submitted while we run are picked up if their id sorts later.
		const batch = await responses.find(lastId ? { ...filter, _id: { $gt: lastId } } : filter, {
			sort: { _id: 1 },
			limit: BATCH
		});
		if (!batch.length) break;
		for (const response of batch) {
			lastId = response._id;
			try {
				const score = scorer.score(response.data);
				const scoreId = newId();
				// The new score and the response's summary change together (see submitResponse).
				await maybeTransaction(db, async (session) => {
					await storeScore(db, response, { ...campaign, surveyId }, score, scoreId, 'rescore', session);
					await responses.updateOne(
						{ _id: response._id, status: 'submitted' },
						{
							$set: {
								score: {
									total: score.total,
									K: score.K,
									level: score.level,
									rubricVersion: score.rubricVersion,
									scoreId
								}
							}
						},
						{ session }
					);
				});
				if (response.score) {
					deltaSum += score.total - response.score.total;
					deltaCount++;
					if (response.score.level !== score.level) summary.levelChanged++;
				}
				summary.rescored++;
			} catch (e) {
				summary.failed++;
				if (summary.failures.length < 20)
					summary.failures.push({
						responseId: response._id,
						message: e instanceof Error ? e.message : String(e)
					});
			}
			done++;
		}
		await opts.onProgress?.(done, Math.max(total, done));
	}
	summary.total = Math.max(total, done);
	summary.meanDelta = deltaCount ? Math.round((deltaSum / deltaCount) * 100) / 100 : 0;
	summary.ms = Date.now() - started;
	await recordAudit(db, {
		actor: opts.actor,
		action: 'campaign.rescore',
		target: `campaigns/${campaign._id}`,
		before: { surveyId: previousSurveyId },
		after: {
			surveyId,
			rescored: summary.rescored,
			failed: summary.failed,
			levelChanged: summary.levelChanged
		}
	});
	return summary;
}

/** One line for people: what was rescored, with what, and what changed. */
export function summaryLine(s: RescoreSummary): string {
	const switched = s.campaignUpdated ? ` (campaign version ${s.previousSurveyId} → ${s.surveyId})` : '';
	return (
		`rescored ${s.rescored}/${s.total} submitted responses of campaign ${s.campaignId} with ${s.surveyId}${switched}` +
		` in ${(s.ms / 1000).toFixed(1)} s: ${s.levelChanged} changed level, mean total change ${s.meanDelta >= 0 ? '+' : ''}${s.meanDelta.toFixed(2)}, ${s.failed} failed`
	);
}

/** A running job not updated for this long died with its app instance. */
export const STALE_JOB_MS = 2 * 60_000;

/**
 * Starts a rescoring job in this process and returns its id at once; progress is written to the
 * job document (any instance can show it). Refuses while another rescoring of the campaign runs.
 */
export async function startRescoreJob(
	db: Database,
	actor: Actor | null,
	campaignId: string,
	rubric?: string
): Promise<string> {
	const jobs = db.collection<RescoreJobDoc>(C.jobs);
	const running = await jobs.findOne({
		kind: 'rescore',
		campaignId,
		status: 'running',
		updatedAt: { $gt: new Date(Date.now() - STALE_JOB_MS) }
	});
	if (running)
		throw new RescoreError({
			vi: 'Đợt khảo sát này đang được chấm lại; hãy chờ xong.',
			en: 'This campaign is already being rescored; wait for it to finish.'
		});
	const campaign = await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: campaignId });
	if (!campaign)
		throw new RescoreError({ vi: 'Không tìm thấy đợt khảo sát.', en: `No campaign '${campaignId}'.` });
	const surveyId = resolveSurveyId(campaign, rubric);
	await checkTarget(db, campaign, surveyId);
	const now = new Date();
	const job: RescoreJobDoc = {
		_id: newId(),
		kind: 'rescore',
		status: 'running',
		campaignId,
		surveyId,
		done: 0,
		total: 0,
		failed: 0,
		summary: null,
		error: null,
		createdBy: actor?.email ?? null,
		createdAt: now,
		updatedAt: now,
		finishedAt: null
	};
	await jobs.insertOne(job);
	void runJob(db, job, actor);
	return job._id;
}

async function runJob(db: Database, job: RescoreJobDoc, actor: Actor | null): Promise<void> {
	const jobs = db.collection<RescoreJobDoc>(C.jobs);
	let last = 0;
	try {
		const summary = await rescoreCampaign(db, {
			campaignId: job.campaignId,
			rubric: job.surveyId,
			actor,
			onProgress: async (done, total) => {
				// Throttled: one write per batch at most every 250 ms keeps the heartbeat fresh and cheap.
				if (done !== 0 && done < total && Date.now() - last < 250) return;
				last = Date.now();
				await jobs.updateOne({ _id: job._id }, { $set: { done, total, updatedAt: new Date() } });
			}
		});
		await jobs.updateOne(
			{ _id: job._id },
			{
				$set: {
					status: 'done',
					done: summary.rescored + summary.failed,
					total: summary.total,
					failed: summary.failed,
					summary,
					updatedAt: new Date(),
					finishedAt: new Date()
				}
			}
		);
	} catch (e) {
		const message =
			e instanceof RescoreError ? `${e.text.vi} / ${e.text.en}` : e instanceof Error ? e.message : String(e);
		if (!(e instanceof RescoreError)) console.error(`TechCap: rescore job ${job._id} failed`, e);
		await jobs
			.updateOne(
				{ _id: job._id },
				{ $set: { status: 'failed', error: message, updatedAt: new Date(), finishedAt: new Date() } }
			)
			.catch(() => undefined);
	}
}

export async function getJob(db: Database, id: string): Promise<RescoreJobDoc | null> {
	return db.collection<RescoreJobDoc>(C.jobs).findOne({ _id: String(id), kind: 'rescore' });
}

export async function listRescoreJobs(db: Database, limit = 20): Promise<RescoreJobDoc[]> {
	return db.collection<RescoreJobDoc>(C.jobs).find({ kind: 'rescore' }, { sort: { createdAt: -1 }, limit });
}
