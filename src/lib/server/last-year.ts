/**
 * The enterprise's own numeric answers from its latest earlier submission in the same sector:
 * the questionnaire compares each new number with them and warns, softly, when one is
 * ten times larger or smaller. Only numbers of questions the current questionnaire still asks.
 */
import type { Database } from './db/types';
import { C, type CampaignDoc, type ResponseDoc } from './db/schema';
import { compiledQuestionnaire, type ResponseContext } from './responses';

export async function lastYearNumbers(db: Database, ctx: ResponseContext): Promise<Record<string, number>> {
	const { response, campaign } = ctx;
	const earlier = await db
		.collection<CampaignDoc>(C.campaigns)
		.find({ sector: campaign.sector, year: { $lt: campaign.year } }, { sort: { year: -1 }, limit: 5 });
	const compiled = compiledQuestionnaire(campaign.surveyId);
	const numeric = compiled.questions
		.filter((q) => q.type === 'text' && q.text?.inputType === 'number')
		.map((q) => q.name);
	for (const c of earlier) {
		const prev = await db
			.collection<ResponseDoc>(C.responses)
			.findOne({ campaignId: c._id, enterpriseId: response.enterpriseId, status: 'submitted' });
		if (!prev) continue;
		const out: Record<string, number> = {};
		for (const name of numeric) {
			const v = prev.data[name];
			if (typeof v === 'number' && Number.isFinite(v)) out[name] = v;
		}
		return out;
	}
	return {};
}
