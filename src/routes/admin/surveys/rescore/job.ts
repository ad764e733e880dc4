import { STALE_JOB_MS } from '$lib/server/rescore';
import type { RescoreJobDoc } from '$lib/server/db/schema';
import type { RescoreSummary } from '$lib/server/rescore';

/** What the rescore page shows of a job; a running job without a recent heartbeat is 'stale'. */
export function jobView(j: RescoreJobDoc) {
	const stale = j.status === 'running' && Date.now() - j.updatedAt.getTime() > STALE_JOB_MS;
	const s = j.summary as RescoreSummary | null;
	return {
		id: j._id,
		campaignId: j.campaignId,
		surveyId: j.surveyId,
		status: stale ? ('stale' as const) : j.status,
		done: j.done,
		total: j.total,
		failed: j.failed,
		error: j.error,
		createdBy: j.createdBy,
		createdAt: j.createdAt.toISOString(),
		result: s ? { rescored: s.rescored, total: s.total, changed: s.levelChanged, failed: s.failed } : null
	};
}

export type JobView = ReturnType<typeof jobView>;
