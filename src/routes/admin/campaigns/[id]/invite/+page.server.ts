import { error, fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import {
	CampaignInputError,
	enterpriseSize,
	enterprisesByTaxCode,
	getCampaign,
	inviteEnterprises,
	parseRegisterFilters,
	previewInvitations,
	registerCandidates,
	sectorVsicCodes,
	taxCodesFromCsv
} from '$lib/server/campaigns';
import { recordAudit } from '$lib/server/audit';
import { C, type EnterpriseDoc } from '$lib/server/db/schema';
import { isMailLocale, type MailLocale } from '$lib/server/mail';
import { pick, t } from '$lib/i18n';
import { wardName } from '$lib/server/tracking';
import type { Actions, PageServerLoad } from './$types';

const MAX_CSV_BYTES = 2_000_000;

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const db = await getDatabase();
	const campaign = await getCampaign(db, params.id);
	if (!campaign) error(404, { message: 'Not found' });
	const filters = parseRegisterFilters(url.searchParams);
	const { enterprises, total } = await registerCandidates(db, campaign, filters, 500);
	const wards = (await db.collection<EnterpriseDoc>(C.enterprises).distinct('ward', {
		vsic: { $in: sectorVsicCodes(campaign) }
	})) as string[];
	return {
		campaign: { id: campaign._id, name: pick(locals.locale, campaign.name) },
		filters,
		vsicCodes: sectorVsicCodes(campaign),
		wards: wards
			.filter(Boolean)
			.map((id) => ({ id, name: wardName(id) }))
			.sort((a, b) => a.name.localeCompare(b.name, 'vi')),
		total,
		candidates: enterprises.map((e) => ({
			id: e._id,
			name: e.name,
			taxCode: e.taxCode,
			email: e.email ?? null,
			size: enterpriseSize(e),
			ownership: e.ownership,
			ward: e.ward ? wardName(e.ward) : '',
			vsic: e.vsic
		}))
	};
};

function formLocale(form: FormData): MailLocale {
	const l = form.get('defaultLocale');
	return isMailLocale(l) ? l : 'vi';
}

async function selected(form: FormData, campaignId: string) {
	const db = await getDatabase();
	const campaign = await getCampaign(db, campaignId);
	if (!campaign) error(404, { message: 'Not found' });
	const ids = form.getAll('enterpriseId').filter((x): x is string => typeof x === 'string');
	const enterprises = ids.length
		? await db.collection<EnterpriseDoc>(C.enterprises).find({ _id: { $in: ids.slice(0, 2000) } })
		: [];
	return { db, campaign, enterprises };
}

export const actions: Actions = {
	/** Tax codes from a CSV file → the same preview as a selection from the register. */
	csv: async ({ request, params, locals, url }) => {
		const form = await request.formData();
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { error: t(locals.locale, 'campaign.csvMissing') });
		if (file.size > MAX_CSV_BYTES) return fail(400, { error: t(locals.locale, 'campaign.csvTooLarge') });
		const db = await getDatabase();
		const campaign = await getCampaign(db, params.id);
		if (!campaign) error(404, { message: 'Not found' });
		try {
			const list = await taxCodesFromCsv(file.stream() as unknown as AsyncIterable<Uint8Array>);
			const { enterprises, problems } = await enterprisesByTaxCode(db, campaign, list);
			const preview = await previewInvitations(db, campaign, enterprises, {
				origin: url.origin,
				defaultLocale: formLocale(form)
			});
			return {
				preview,
				defaultLocale: formLocale(form),
				problems: problems.map((p) => ({ row: p.row, message: pick(locals.locale, p.message) }))
			};
		} catch (e) {
			if (e instanceof CampaignInputError) return fail(400, { error: pick(locals.locale, e.text) });
			throw e;
		}
	},
	preview: async ({ request, params, locals, url }) => {
		const form = await request.formData();
		const { db, campaign, enterprises } = await selected(form, params.id);
		if (!enterprises.length) return fail(400, { error: t(locals.locale, 'campaign.pickEnterprises') });
		const preview = await previewInvitations(db, campaign, enterprises, {
			origin: url.origin,
			defaultLocale: formLocale(form)
		});
		return { preview, defaultLocale: formLocale(form), problems: [] };
	},
	send: async ({ request, params, locals, url }) => {
		const form = await request.formData();
		const { db, campaign, enterprises } = await selected(form, params.id);
		if (!enterprises.length) return fail(400, { error: t(locals.locale, 'campaign.pickEnterprises') });
		const r = await inviteEnterprises(
			db,
			campaign,
			enterprises.map((e) => e._id),
			{ origin: url.origin, createdBy: locals.user!.id, defaultLocale: formLocale(form) }
		);
		await recordAudit(db, {
			actor: locals.user!,
			action: 'campaign.invite',
			target: `campaigns/${campaign._id}`,
			after: {
				added: r.added,
				already: r.already,
				queued: r.outcomes.filter((o) => o.result === 'queued').length
			}
		});
		return {
			sent: r.outcomes.map((o) => ({
				enterpriseId: o.enterpriseId,
				name: o.enterpriseName,
				email: o.email,
				locale: o.locale,
				result: o.result,
				link: o.link ?? null,
				message: o.message ? pick(locals.locale, o.message) : null
			}))
		};
	}
};
