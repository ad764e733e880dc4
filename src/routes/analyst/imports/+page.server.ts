import { rm } from 'node:fs/promises';
import { fail, redirect } from '@sveltejs/kit';
import { getDatabase, newId } from '$lib/server/db';
import { C, type CampaignDoc } from '$lib/server/db/schema';
import {
	analyseImport,
	ImportRefused,
	importStatus,
	readUpload,
	registerImportChoice,
	recentImports,
	removeStaleTempFiles,
	uploadPath,
	UploadError
} from '$lib/server/imports';
import { listQuestions } from '$lib/server/imports/equipment';
import { loadSurvey } from '$lib/server/surveys';
import { bodySizeLimit, bodyStatus, formatBytes } from '$lib/server/http';
import { pick, t } from '$lib/i18n';
import { campaignPhase } from '$lib/campaign-phase';
import type { Actions, PageServerLoad } from './$types';

/** Largest upload (bytes); adapter-node's BODY_SIZE_LIMIT must be at least this (see docs in the report). */
const MAX_UPLOAD = Number(process.env.TECHCAP_IMPORT_MAX_BYTES ?? 210 * 1024 * 1024);

/** Whether the campaign's questionnaire has an equipment list (its rows come in a second file). */
function hasEquipmentList(surveyId: string): boolean {
	try {
		return listQuestions(loadSurvey(surveyId).questionnaire).length > 0;
	} catch {
		return false;
	}
}

export const load: PageServerLoad = async ({ locals }) => {
	const db = await getDatabase();
	const now = new Date();
	const campaigns = await db
		.collection<CampaignDoc>(C.campaigns)
		.find({ status: { $in: ['open', 'closed'] } }, { sort: { year: -1, sector: 1 } });
	const imports = await recentImports(db);
	// A running import whose process died shows as interrupted here too, with honest counts.
	for (const i of imports)
		if (i.status === 'running') {
			const v = await importStatus(db, i._id);
			if (v) Object.assign(i, { status: v.status, counts: v.counts });
		}
	return {
		campaigns: campaigns.map((c) => ({
			id: c._id,
			name: pick(locals.locale, c.name),
			phase: campaignPhase(c, now),
			hasEquipment: hasEquipmentList(c.surveyId)
		})),
		imports: imports.map((i) => ({
			id: i._id,
			kind: i.kind,
			fileName: i.fileName,
			status: i.status,
			counts: i.counts,
			createdAt: i.createdAt.toISOString()
		}))
	};
};

export const actions: Actions = {
	analyse: async ({ request, locals }) => {
		const id = newId();
		const path = uploadPath(id);
		let upload;
		try {
			upload = await readUpload(
				request.body ?? new ReadableStream(),
				request.headers.get('content-type') ?? '',
				path,
				MAX_UPLOAD
			);
		} catch (e) {
			if (e instanceof UploadError) return fail(400, { error: pick(locals.locale, e.messages) });
			// Over the server's body limit (BODY_SIZE_LIMIT, below MAX_UPLOAD): the form says the limit.
			if (bodyStatus(e) === 413)
				return fail(413, {
					error: t(locals.locale, 'security.tooLarge', {
						limit: formatBytes(Math.min(bodySizeLimit(), MAX_UPLOAD))
					})
				});
			throw e;
		}
		if (!upload.file || upload.file.bytes === 0)
			return fail(400, { error: t(locals.locale, 'import.error.noFile') });
		const kind = upload.fields.kind;
		if (kind !== 'responses' && kind !== 'enterprises')
			return fail(400, { error: t(locals.locale, 'import.error.kind') });
		void removeStaleTempFiles();
		const db = await getDatabase();
		// A register import enrols in a campaign only when someone chose to.
		let campaignId = upload.fields.campaignId || null;
		let invite = false;
		if (kind === 'enterprises') {
			try {
				({ campaignId, invite } = await registerImportChoice(db, {
					enrol: upload.fields.enrol,
					campaignId: upload.fields.campaignId
				}));
			} catch (e) {
				await rm(upload.file.path, { force: true });
				if (e instanceof ImportRefused) return fail(400, { error: pick(locals.locale, e.messages) });
				throw e;
			}
		}
		const analysis = await analyseImport(db, {
			kind,
			file: upload.file.path,
			fileName: upload.file.name.slice(0, 200),
			campaignId,
			invite,
			actorId: locals.user!.id
		});
		redirect(303, `/analyst/imports/${analysis.importId}`);
	}
};
