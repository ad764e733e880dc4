/** The enterprise dashboard: the caller's campaigns with status, deadlines and scores. */
import type { Database } from './db/types';
import { C, type CampaignDoc, type ResponseDoc } from './db/schema';
import { acceptingAnswers } from './campaigns';
import { campaignPhase } from '$lib/campaign-phase';
import type { SessionUser } from './auth/types';

export async function enterpriseDashboard(db: Database, user: SessionUser) {
	if (!user.enterpriseId) return [];
	const responses = await db
		.collection<ResponseDoc>(C.responses)
		.find({ enterpriseId: user.enterpriseId }, { projection: { data: 0 } });
	const campaigns = new Map(
		(
			await db.collection<CampaignDoc>(C.campaigns).find({ _id: { $in: responses.map((r) => r.campaignId) } })
		).map((c) => [c._id, c])
	);
	return responses
		.filter((r) => campaigns.has(r.campaignId))
		.map((r) => {
			const c = campaigns.get(r.campaignId)!;
			const open = acceptingAnswers(c);
			return {
				responseId: r._id,
				campaign: {
					name: c.name,
					year: c.year,
					sector: c.sector,
					closesAt: c.closesAt.toISOString(),
					// The phase staff see (scheduled, open, closed, published), named the same way.
					phase: campaignPhase(c)
				},
				status: r.status,
				open: open.ok,
				closedMessage: open.ok ? null : open.message,
				submittedAt: r.submittedAt?.toISOString() ?? null,
				// A reopened response keeps its last score but is being answered again: offer to continue.
				score:
					r.status === 'submitted' && r.score
						? { total: r.score.total, K: r.score.K, level: r.score.level }
						: null,
				reopenedReason: r.status !== 'submitted' ? (r.reopened?.at(-1)?.reason ?? null) : null
			};
		})
		.sort((a, b) => b.campaign.year - a.campaign.year);
}
