/**
 * Everything the enterprise scorecard shows, assembled from the stored score, the campaign's peers
 * (current scores in the same campaign) and the enterprise's earlier years.
 */
import type { Database } from './db/types';
import { C, type CampaignDoc, type ResponseDoc, type ScoreDoc } from './db/schema';
import { loadSurvey } from './surveys';
import { currentScore, type ResponseContext } from './responses';
import { comparePeers, topImprovements, type PeerScore } from '$lib/domain/scorecard';
import { storedCriteria, storedMissing, storedPoints, type StoredScoreResult } from '$lib/domain/rubric';

export async function buildScorecard(db: Database, ctx: ResponseContext) {
	const score = await currentScore(db, ctx);
	if (!score) return null;
	const { campaign, response } = ctx;
	const survey = loadSurvey(campaign.surveyId);
	// Groups and ladders are in both stored forms; criteria go through the stored-form readers.
	const result = score.result as Pick<StoredScoreResult, 'groups' | 'ladders'>;

	const peerDocs = await db.collection<ScoreDoc>(C.scores).aggregate<{
		total: number;
		groups: Record<string, number>;
		points?: Record<string, number>;
		criteria?: Array<{ id: string; points: number }>;
	}>([{ $match: { campaignId: campaign._id, current: true } }, { $project: { _id: 0, total: 1, groups: 1, points: '$result.points', criteria: '$result.criteria' } }]);
	const peers: PeerScore[] = peerDocs.map((p) => ({
		total: p.total,
		groups: p.groups,
		criteria: storedPoints(p)
	}));
	const comparison = comparePeers({ total: score.total }, peers, campaign.peerThreshold);

	const byId = new Map(survey.rubric.criteria.map((c) => [c.id, c]));
	const groupMax = Object.fromEntries(survey.rubric.groups.map((g) => [g.id, g.max]));
	const improvements = topImprovements(
		storedCriteria(score.result, survey.rubric.criteria).map((c) => ({
			id: c.id,
			group: c.group,
			points: c.points,
			max: c.max,
			name: byId.get(c.id)?.name,
			recommendation: byId.get(c.id)?.recommendation
		})),
		comparison.enough ? peers : null,
		groupMax,
		result.groups,
		{ count: 5 }
	);

	// Earlier years of the same enterprise (any campaign of the same sector, submitted).
	const earlier = await db
		.collection<ResponseDoc>(C.responses)
		.find({ enterpriseId: response.enterpriseId, status: 'submitted', _id: { $ne: response._id } });
	const campaigns = new Map(
		(
			await db
				.collection<CampaignDoc>(C.campaigns)
				.find({ _id: { $in: earlier.map((r) => r.campaignId) }, sector: campaign.sector })
		).map((c) => [c._id, c])
	);
	const history = earlier
		.filter(
			(r) => campaigns.has(r.campaignId) && r.score && campaigns.get(r.campaignId)!.year < campaign.year
		)
		.map((r) => ({
			year: campaigns.get(r.campaignId)!.year,
			total: r.score!.total,
			K: r.score!.K,
			level: r.score!.level
		}))
		.sort((a, b) => a.year - b.year);

	const ladderNames = Object.fromEntries(survey.rubric.ladders.functions.map((l) => [l.id, l.name]));

	return {
		campaign: { id: campaign._id, name: campaign.name, sector: campaign.sector, year: campaign.year },
		submittedAt: response.submittedAt,
		rubricVersion: score.rubricVersion,
		provisional: Boolean((survey.rubric as { provisional?: boolean }).provisional),
		total: score.total,
		K: score.K,
		level: score.level,
		levels: survey.rubric.levels.map((l) => ({
			id: l.id,
			label: l.label,
			minTotal: l.minTotal,
			minK: l.minK
		})),
		groups: survey.rubric.groups.map((g) => ({
			id: g.id,
			name: g.name,
			max: g.max,
			score: result.groups[g.id]
		})),
		comparison,
		ladders: {
			overall: { EXT: result.ladders.EXT, INT: result.ladders.INT, gap: result.ladders.gap },
			functions: Object.entries(result.ladders.functions).map(([id, v]) => ({
				id,
				name: ladderNames[id] ?? { vi: id, en: id },
				...v
			}))
		},
		improvements,
		history,
		missing: storedMissing(score.result)
	};
}

export type Scorecard = NonNullable<Awaited<ReturnType<typeof buildScorecard>>>;
