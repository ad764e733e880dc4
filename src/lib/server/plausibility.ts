/**
 * What an enterprise's numeric answers are compared with (soft warnings, never blocking): its own
 * answers last year (with the rubric's per-question ratios) and the usual range of each question in
 * the sector's latest published release. Releases store those ranges when they are built, only for
 * questions answered by at least the disclosure minimum, so the form never sees anyone's answer.
 */
import type { Database } from './db/types';
import { C, type CampaignDoc, type EnterpriseDoc, type ResponseDoc } from './db/schema';
import type { ReleaseDoc } from './releases/types';
import { compiledQuestionnaire, type ResponseContext } from './responses';
import { lastYearNumbers } from './last-year';
import { loadSurvey } from './surveys';
import { questionTitles } from '$lib/domain/answers/sheet';
import type { Locale } from '$lib/i18n';
import {
	plausibilityWarnings,
	usualRange,
	type Advice,
	type PlausibilityBasis,
	type UsualRange
} from '$lib/domain/plausibility';

/** Names of the questionnaire's numeric questions (text questions of input type number). */
export function numericQuestions(surveyId: string): string[] {
	return compiledQuestionnaire(surveyId)
		.questions.filter((q) => q.type === 'text' && q.text?.inputType === 'number')
		.map((q) => q.name);
}

/**
 * The usual range of every numeric question over the given responses (a release's rows), for the
 * release document; questions with fewer than `minN` numeric answers are left out.
 */
export async function publishedUsualRanges(
	db: Database,
	surveyId: string,
	responseIds: readonly string[],
	minN: number
): Promise<Record<string, UsualRange>> {
	const names = numericQuestions(surveyId);
	const values = new Map<string, number[]>(names.map((n) => [n, []]));
	const projection: Record<string, 1> = Object.fromEntries(names.map((n) => [`data.${n}`, 1 as const]));
	const BATCH = 500;
	for (let i = 0; i < responseIds.length; i += BATCH) {
		const docs = await db
			.collection<ResponseDoc>(C.responses)
			.find({ _id: { $in: responseIds.slice(i, i + BATCH) } }, { projection });
		for (const d of docs)
			for (const n of names) {
				const v = d.data?.[n];
				if (typeof v === 'number' && Number.isFinite(v)) values.get(n)!.push(v);
			}
	}
	const out: Record<string, UsualRange> = {};
	for (const [n, v] of values) {
		const r = usualRange(v, minN);
		if (r) out[n] = r;
	}
	return out;
}

/** The latest published release of the sector that has usual ranges, as the form uses them. */
export async function sectorUsualRanges(
	db: Database,
	sector: string,
	questions: readonly string[]
): Promise<PlausibilityBasis['usual']> {
	const [release] = await db
		.collection<ReleaseDoc>(C.releases)
		.find(
			{ sector, status: 'ready', usualRanges: { $exists: true } },
			{ projection: { year: 1, usualRanges: 1 }, sort: { year: -1, version: -1 }, limit: 1 }
		);
	if (!release?.usualRanges) return null;
	const ranges: Record<string, UsualRange> = {};
	// A question renamed or dropped since that release has no range.
	for (const q of questions) if (release.usualRanges[q]) ranges[q] = release.usualRanges[q];
	return Object.keys(ranges).length ? { year: release.year, ranges } : null;
}

/** Everything one response's answers are compared with. */
export async function plausibilityBasis(db: Database, ctx: ResponseContext): Promise<PlausibilityBasis> {
	const { campaign } = ctx;
	const [lastYear, usual] = await Promise.all([
		lastYearNumbers(db, ctx),
		sectorUsualRanges(db, campaign.sector, numericQuestions(campaign.surveyId))
	]);
	return {
		lastYear,
		usual,
		ratios: { ...(loadSurvey(campaign.surveyId).rubric.plausibility?.ratios ?? {}) }
	};
}

/** A warning as stored with a submitted response: what was compared, and when it was confirmed. */
export interface ConfirmedWarning {
	question: string;
	advice: Advice;
	confirmedAt: Date;
}

/** The warnings the answers raise, stamped with the moment the enterprise confirmed them. */
export function confirmedWarnings(
	answers: Record<string, unknown>,
	basis: PlausibilityBasis,
	at: Date
): ConfirmedWarning[] {
	return plausibilityWarnings(answers, basis).map((w) => ({ ...w, confirmedAt: at }));
}

/** One confirmed warning as analysts read it in campaign tracking. */
export interface TrackedWarning {
	responseId: string;
	enterpriseName: string;
	taxCode: string;
	source: ResponseDoc['source'];
	question: string;
	title: string;
	value: number;
	advice: Advice;
	confirmedAt: string;
}

/** Every warning stored with the campaign's submitted responses (online confirmed, or imported). */
export async function campaignWarnings(
	db: Database,
	campaign: { _id: string; surveyId: string },
	locale: Locale
): Promise<TrackedWarning[]> {
	const responses = await db
		.collection<ResponseDoc>(C.responses)
		.find(
			{ campaignId: campaign._id, status: 'submitted' },
			{ projection: { enterpriseId: 1, source: 1, plausibility: 1 } }
		);
	const flagged = responses.filter((r) => r.plausibility?.length);
	if (!flagged.length) return [];
	const enterprises = await db
		.collection<EnterpriseDoc>(C.enterprises)
		.find({ _id: { $in: flagged.map((r) => r.enterpriseId) } }, { projection: { name: 1, taxCode: 1 } });
	const byId = new Map(enterprises.map((e) => [e._id, e]));
	const titles = questionTitles(loadSurvey(campaign.surveyId).questionnaire, locale);
	return flagged.flatMap((r) =>
		r.plausibility!.map((w) => ({
			responseId: r._id,
			enterpriseName: byId.get(r.enterpriseId)?.name ?? r.enterpriseId,
			taxCode: byId.get(r.enterpriseId)?.taxCode ?? '',
			source: r.source,
			question: w.question,
			title: titles.get(w.question) ?? w.question,
			value: w.advice.value,
			advice: w.advice,
			confirmedAt: new Date(w.confirmedAt).toISOString()
		}))
	);
}

/** Sector-wide comparisons (usual ranges, ratios) for a campaign, shared by every row of an import. */
export async function campaignBasis(
	db: Database,
	campaign: { sector: string; surveyId: string }
): Promise<Omit<PlausibilityBasis, 'lastYear'>> {
	return {
		usual: await sectorUsualRanges(db, campaign.sector, numericQuestions(campaign.surveyId)),
		ratios: { ...(loadSurvey(campaign.surveyId).rubric.plausibility?.ratios ?? {}) }
	};
}

/**
 * Each enterprise's numeric answers in its latest earlier submission of the sector, for a batch of
 * imported rows at once (the same answers `lastYearNumbers` gives one response).
 */
export async function lastYearNumbersFor(
	db: Database,
	campaign: { sector: string; year: number; surveyId: string },
	enterpriseIds: readonly string[]
): Promise<Map<string, Record<string, number>>> {
	const out = new Map<string, Record<string, number>>();
	if (!enterpriseIds.length) return out;
	const earlier = await db
		.collection<CampaignDoc>(C.campaigns)
		.find({ sector: campaign.sector, year: { $lt: campaign.year } }, { sort: { year: -1 }, limit: 5 });
	const names = numericQuestions(campaign.surveyId);
	const projection: Record<string, 1> = {
		enterpriseId: 1,
		...Object.fromEntries(names.map((n) => [`data.${n}`, 1 as const]))
	};
	for (const c of earlier) {
		const missing = enterpriseIds.filter((id) => !out.has(id));
		if (!missing.length) break;
		const prev = await db
			.collection<ResponseDoc>(C.responses)
			.find({ campaignId: c._id, enterpriseId: { $in: missing }, status: 'submitted' }, { projection });
		for (const p of prev) {
			const nums: Record<string, number> = {};
			for (const n of names) {
				const v = p.data?.[n];
				if (typeof v === 'number' && Number.isFinite(v)) nums[n] = v;
			}
			out.set(p.enterpriseId, nums);
		}
	}
	return out;
}
