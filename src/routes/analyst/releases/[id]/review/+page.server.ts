import { error, fail, redirect } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { LifecycleError } from '$lib/server/campaign-lifecycle';
import {
	canBuildReleases,
	canPublishReleases,
	discardDraftRelease,
	publishSubmittedRelease,
	releaseForReview,
	returnSubmittedRelease,
	submitDraftRelease
} from '$lib/server/releases/review';
import { wardName } from '$lib/server/tracking';
import { pick, type Locale } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

const DONE = ['draft', 'submitted', 'returned', 'published'] as const;

export const load: PageServerLoad = async ({ params, locals, url }) => {
	try {
		const review = await releaseForReview(await getDatabase(), locals.user, params.id);
		const done = url.searchParams.get('done');
		const wards = review.tables.find((t) => t.dim === 'ward')?.segments ?? [];
		return {
			review,
			wardNames: Object.fromEntries(
				wards.flatMap((s) => (s.segment.ward ? [[s.segment.ward, wardName(s.segment.ward)]] : []))
			),
			done: (DONE as readonly string[]).includes(done ?? '') ? (done as (typeof DONE)[number]) : null,
			canBuild: canBuildReleases(locals.user),
			canPublish: canPublishReleases(locals.user),
			isAdmin: locals.user?.role === 'admin',
			me: locals.user?.id ?? null
		};
	} catch (e) {
		if (e instanceof LifecycleError) error(e.code === 'forbidden' ? 403 : 404, pick(locals.locale, e.text));
		throw e;
	}
};

function refusal(e: unknown, locale: Locale) {
	if (!(e instanceof LifecycleError)) throw e;
	const status =
		e.code === 'forbidden' ? 403 : e.code === 'not-found' ? 404 : e.code === 'conflict' ? 409 : 400;
	return fail(status, { error: pick(locale, e.text), field: e.field ?? null });
}

export const actions: Actions = {
	submit: async ({ params, locals }) => {
		try {
			await submitDraftRelease(await getDatabase(), locals.user, params.id);
		} catch (e) {
			return refusal(e, locals.locale);
		}
		redirect(303, `/analyst/releases/${params.id}/review?done=submitted`);
	},
	discard: async ({ params, locals }) => {
		try {
			await discardDraftRelease(await getDatabase(), locals.user, params.id);
		} catch (e) {
			return refusal(e, locals.locale);
		}
		redirect(303, '/analyst?discarded=1#publish');
	},
	publish: async ({ params, locals }) => {
		try {
			await publishSubmittedRelease(await getDatabase(), locals.user, params.id);
		} catch (e) {
			return refusal(e, locals.locale);
		}
		redirect(303, `/analyst/releases/${params.id}/review?done=published`);
	},
	return: async ({ params, locals, request }) => {
		const form = await request.formData();
		try {
			await returnSubmittedRelease(await getDatabase(), locals.user, params.id, form.get('reason'));
		} catch (e) {
			return refusal(e, locals.locale);
		}
		redirect(303, `/analyst/releases/${params.id}/review?done=returned`);
	}
};
