/** Starting a confirmed import in the background of the app process (the UI polls its job). */
import { rm } from 'node:fs/promises';
import type { Database } from '../db/types';
import { C, type ImportDoc, type ImportMode } from '../db/schema';
import type { Actor } from '../audit';
import { importResponses } from './responses';
import { importEnterprises } from './enterprises';
import { dropSharedUpload, localUploadFile } from './uploads';
import { ImportRefused } from './types';
import type { NumberFormat } from '$lib/domain/csv';

/**
 * Runs the analysed import `imp` without waiting for it, on this instance even when another one
 * received the upload (see uploads.ts). The upload's temp file and shared copy are removed when
 * the job ends. Returns false when the import is not waiting for confirmation; an upload that is
 * gone fails the import with a message saying so.
 */
export async function startImportJob(
	db: Database,
	imp: ImportDoc,
	choice: { mode: ImportMode; numberFormat: NumberFormat | 'auto'; actor: Actor; origin?: string }
): Promise<boolean> {
	if (imp.status !== 'analysed' || !imp.tempPath) return false;
	// Claim before answering: the page the browser is redirected to then already shows the
	// progress (the job's own start reads the whole file first), and a double click starts one job.
	const claimed = await db
		.collection<ImportDoc>(C.imports)
		.findOneAndUpdate(
			{ _id: imp._id, status: 'analysed' },
			{ $set: { status: 'running', updatedAt: new Date() } }
		);
	if (!claimed) return false;
	let file: string;
	try {
		file = await localUploadFile(db, claimed);
	} catch (e) {
		if (!(e instanceof ImportRefused)) throw e;
		await markFailed(db, imp._id, e.messages);
		await dropSharedUpload(db, imp._id);
		return true;
	}
	const common = {
		file,
		fileName: imp.fileName,
		importId: imp._id,
		mode: choice.mode,
		numberFormat: choice.numberFormat,
		actor: choice.actor,
		claimed: true
	};
	const job =
		imp.kind === 'responses'
			? importResponses(db, imp.campaignId ?? '', common)
			: importEnterprises(db, {
					...common,
					campaignId: imp.campaignId,
					invite: imp.invite,
					origin: choice.origin
				});
	void job
		.catch(async (e: unknown) => {
			console.error(`[import ${imp._id}] failed:`, e);
			// A job that died before recording its own outcome must not look as if it still runs.
			await markFailed(db, imp._id, {
				vi: 'Lần nhập gặp lỗi và không lưu gì. Hãy thử lại hoặc báo quản trị viên.',
				en: 'The import failed and stored nothing. Try again or tell an administrator.'
			}).catch(() => {});
		})
		.finally(async () => {
			await rm(file, { force: true }).catch(() => {});
			await dropSharedUpload(db, imp._id).catch(() => {});
		});
	return true;
}

/** Ends a claimed import that could not record its own outcome (still 'running') as failed. */
async function markFailed(db: Database, id: string, message: ImportDoc['message']): Promise<void> {
	const now = new Date();
	await db
		.collection<ImportDoc>(C.imports)
		.updateOne(
			{ _id: id, status: 'running' },
			{ $set: { status: 'failed', message, updatedAt: now, finishedAt: now } }
		);
}
