/**
 * What a register import does with a campaign: nothing unless someone chose it. The
 * form names the choice explicitly (`enrol`: none, enrol, or enrol and invite); a campaign is used
 * only with "enrol" or "invite", and must then be named and still running. A campaign id posted
 * with "none" (a select left on its first entry) is ignored, never acted on.
 */
import type { Database } from '../db/types';
import { C, type CampaignDoc } from '../db/schema';
import { campaignPhase } from '$lib/campaign-phase';
import type { Bilingual } from '$lib/i18n';
import { ImportRefused } from './types';

export type EnrolChoice = 'none' | 'enrol' | 'invite';
export const ENROL_CHOICES: readonly EnrolChoice[] = ['none', 'enrol', 'invite'];

export interface RegisterImportChoice {
	campaignId: string | null;
	invite: boolean;
	/** The campaign's name, for the preview ("enrol N enterprises in …"). */
	campaignName: Bilingual | null;
}

export async function registerImportChoice(
	db: Database,
	fields: { enrol?: unknown; campaignId?: unknown },
	now: Date = new Date()
): Promise<RegisterImportChoice> {
	const enrol = fields.enrol;
	if (typeof enrol !== 'string' || !(ENROL_CHOICES as readonly string[]).includes(enrol))
		throw new ImportRefused({
			vi: 'Hãy chọn có đưa các doanh nghiệp vào một đợt khảo sát hay không.',
			en: 'Choose whether to enrol the enterprises in a campaign.'
		});
	if (enrol === 'none') return { campaignId: null, invite: false, campaignName: null };
	const id = typeof fields.campaignId === 'string' ? fields.campaignId.trim() : '';
	if (!id)
		throw new ImportRefused({
			vi: 'Hãy chọn đợt khảo sát để đưa doanh nghiệp vào.',
			en: 'Choose the campaign to enrol the enterprises in.'
		});
	const c = await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: id });
	if (!c)
		throw new ImportRefused({
			vi: 'Đợt khảo sát đã chọn không tồn tại.',
			en: 'The chosen campaign does not exist.'
		});
	const phase = campaignPhase(c, now);
	if (phase !== 'open' && phase !== 'scheduled')
		throw new ImportRefused({
			vi: `Không thể đưa doanh nghiệp vào “${c.name.vi}”: đợt khảo sát không còn nhận phiếu.`,
			en: `Cannot enrol enterprises in “${c.name.en}”: the campaign no longer accepts answers.`
		});
	return { campaignId: c._id, invite: enrol === 'invite', campaignName: c.name };
}
