/**
 * After an administrator reopens a submitted response, the enterprise is told why and
 * until when, with a link to continue: one message per account of the enterprise (or to the
 * register's address when it has none), through the mail queue. Never throws: the reopening stands
 * even if no message could be queued.
 */
import type { Database } from './db/types';
import { C, type CampaignDoc, type EnterpriseDoc, type ResponseDoc, type UserDoc } from './db/schema';
import { appOrigin } from './campaigns';
import { enqueueMail } from './mail';

export async function enqueueReopenedMail(
	db: Database,
	input: { responseId: string; reason: string; origin?: string }
): Promise<number> {
	try {
		const response = await db.collection<ResponseDoc>(C.responses).findOne({ _id: input.responseId });
		if (!response) return 0;
		const campaign = await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: response.campaignId });
		const enterprise = await db
			.collection<EnterpriseDoc>(C.enterprises)
			.findOne({ _id: response.enterpriseId });
		if (!campaign || !enterprise) return 0;
		const accounts = await db
			.collection<UserDoc>(C.users)
			.find({ role: 'enterprise', enterpriseId: enterprise._id, disabled: false });
		const to: Array<{ email: string; locale: 'vi' | 'en' }> = accounts.map((u) => ({
			email: u.email,
			locale: u.locale
		}));
		if (to.length === 0 && enterprise.email) to.push({ email: enterprise.email, locale: 'vi' });
		const link = `${input.origin ?? appOrigin()}/enterprise/responses/${response._id}`;
		const count = response.reopened?.length ?? 0;
		for (const r of to) {
			await enqueueMail(db, {
				to: r.email,
				locale: r.locale,
				template: 'reopened',
				params: {
					enterpriseName: enterprise.name,
					campaignName: campaign.name[r.locale],
					reason: input.reason,
					closingDate: campaign.closesAt,
					link
				},
				// One message per reopening and recipient, even if the action is retried.
				dedupeKey: `reopened:${response._id}:${count}:${r.email}`,
				campaignId: campaign._id,
				enterpriseId: enterprise._id
			});
		}
		return to.length;
	} catch (e) {
		console.error(
			`TechCap: reopening mail for response ${input.responseId} not queued: ${e instanceof Error ? e.message : String(e)}`
		);
		return 0;
	}
}
