import { error, fail, redirect } from '@sveltejs/kit';
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
import { intParam } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

const MAX_CSV_BYTES = 2_000_000;
/** Candidates per page; "all matching" selects across pages up to MAX_SELECTED. */
const PAGE_SIZE = 50;
const MAX_SELECTED = 2000;

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const db = await getDatabase();
	const campaign = await getCampaign(db, params.id);
	if (!campaign) error(404, { message: 'Not found' });
	const filters = parseRegisterFilters(url.searchParams);
	const p = intParam('page', url.searchParams.get('page'), { min: 1, max: 100_000, fallback: 1 });
	if (!p.ok) error(400, pick(locals.locale, p.message));
	const { enterprises, total } = await registerCandidates(
		db,
		campaign,
		filters,
		PAGE_SIZE,
		(p.value - 1) * PAGE_SIZE
	);
	const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
	// Past the last page (the list shrank, or a typed URL): the last page, with the same filters.
	if (p.value > pages) {
		const to = new URLSearchParams(url.searchParams);
		to.set('page', String(pages));
		redirect(303, `${url.pathname}?${to}`);
	}
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
		page: p.value,
		pages,
		maxSelected: MAX_SELECTED,
		pageSize: PAGE_SIZE,
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
		? await db.collection<EnterpriseDoc>(C.enterprises).find({ _id: { $in: ids.slice(0, MAX_SELECTED) } })
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
	/** Every candidate matching the filters, across pages (the filters come with the form). */
	matching: async ({ request, params, locals, url }) => {
		const form = await request.formData();
		const db = await getDatabase();
		const campaign = await getCampaign(db, params.id);
		if (!campaign) error(404, { message: 'Not found' });
		const filters = parseRegisterFilters(
			new URLSearchParams([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string'))
		);
		const { enterprises, total } = await registerCandidates(db, campaign, filters, MAX_SELECTED);
		if (!total) return fail(400, { error: t(locals.locale, 'campaign.pickEnterprises') });
		if (total > MAX_SELECTED)
			return fail(400, {
				error: t(locals.locale, 'campaign.tooManyMatching', { n: total, max: MAX_SELECTED })
			});
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
