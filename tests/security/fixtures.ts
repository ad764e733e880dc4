/**
 * Test actors on a running demo server, made through the app itself: the demo enterprise (A) and
 * a second enterprise (B) that an admin invites to an open campaign and that sets its password.
 */
import { acceptInvite, idsIn, login, loginAsRole, send } from './client';

export interface EnterpriseActor {
	cookie: string;
	/** Responses listed on the actor's dashboard. */
	responseIds: string[];
	/** Responses still open for answers (the dashboard's "start/continue" links). */
	openIds: string[];
	/** Submitted responses (their scorecard links). */
	submittedIds: string[];
	dashboard: string;
}

export async function enterpriseActor(base: string, cookie: string): Promise<EnterpriseActor> {
	const d = await send(base, '/enterprise', { cookie });
	if (d.status !== 200) throw new Error(`dashboard: ${d.status}`);
	const submittedIds = [...d.text.matchAll(/\/enterprise\/responses\/([A-Za-z0-9_-]+)\/scorecard/g)].map(
		(m) => m[1]
	);
	const responseIds = idsIn(d.text, '/enterprise/responses');
	return {
		cookie,
		dashboard: d.text,
		responseIds,
		submittedIds: [...new Set(submittedIds)],
		openIds: responseIds.filter((id) => !submittedIds.includes(id))
	};
}

export const enterpriseA = async (base: string) =>
	enterpriseActor(base, await loginAsRole(base, 'enterprise'));

/** Open campaigns on the admin list (status column in Vietnamese, the default locale). */
export async function openCampaignIds(base: string, admin: string): Promise<string[]> {
	const page = await send(base, '/admin/campaigns', { cookie: admin });
	const ids: string[] = [];
	for (const row of page.text.split('<tr').slice(1)) {
		const id = idsIn(row, '/admin/campaigns')[0];
		if (id && row.replace(/<[^>]+>/g, ' ').includes('Đang mở')) ids.push(id);
	}
	return ids;
}

let counter = 0;

/**
 * A new enterprise user: the admin adds an eligible enterprise to an open campaign, which issues an
 * invitation link for the enterprise's contact e-mail; accepting it signs the new user in.
 */
export async function newEnterprise(
	base: string,
	opts: { name?: string; password?: string } = {}
): Promise<EnterpriseActor & { name: string }> {
	const password = opts.password ?? 'Kiem-thu-an-ninh-2026!';
	const admin = await loginAsRole(base, 'admin');
	for (const campaignId of await openCampaignIds(base, admin)) {
		const detail = await send(base, `/admin/campaigns/${campaignId}`, { cookie: admin });
		const eligible = [
			...detail.text.matchAll(
				/name="enterpriseId"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="enterpriseId"/g
			)
		].map((m) => m[1] ?? m[2]);
		for (const enterpriseId of eligible) {
			const r = await send(base, `/admin/campaigns/${campaignId}?/invite`, {
				method: 'POST',
				cookie: admin,
				form: { enterpriseId }
			});
			const token = /\/invite\/([A-Za-z0-9_-]{20,})/.exec(r.text)?.[1];
			if (!token) continue; // enterprise without e-mail, or it already has an account
			const name = opts.name ?? `Kiểm thử ${++counter}`;
			const cookie = await acceptInvite(base, token, name, password);
			return { ...(await enterpriseActor(base, cookie)), name };
		}
	}
	throw new Error('no eligible enterprise with an e-mail address in any open campaign');
}

export { login };
