/** Starting a confirmed import in the background of the app process (the UI polls its job). */
import { rm } from 'node:fs/promises';
import type { Database } from '../db/types';
import type { ImportDoc, ImportMode } from '../db/schema';
import type { Actor } from '../audit';
import { importResponses } from './responses';
import { importEnterprises } from './enterprises';
import type { NumberFormat } from '$lib/domain/csv';

/**
 * Runs the analysed import `imp` without waiting for it. The upload's temp file is removed when the
 * job ends. Returns false when the import is not waiting for confirmation.
 */
export function startImportJob(
	db: Database,
	imp: ImportDoc,
	choice: { mode: ImportMode; numberFormat: NumberFormat | 'auto'; actor: Actor }
): boolean {
	if (imp.status !== 'analysed' || !imp.tempPath) return false;
	const file = imp.tempPath;
	const common = {
		file,
		fileName: imp.fileName,
		importId: imp._id,
		mode: choice.mode,
		numberFormat: choice.numberFormat,
		actor: choice.actor
	};
	const job =
		imp.kind === 'responses'
			? importResponses(db, imp.campaignId ?? '', common)
			: importEnterprises(db, { ...common, campaignId: imp.campaignId, invite: imp.invite });
	void job
		.catch((e: unknown) => console.error(`[import ${imp._id}] failed:`, e))
		.finally(() => rm(file, { force: true }).catch(() => {}));
	return true;
}
