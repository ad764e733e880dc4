import { error, json } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { getJob } from '$lib/server/rescore';
import { jobView } from '../../rescore/job';
import type { RequestHandler } from './$types';

/** Progress of one rescoring job, polled by the rescore page (admin only, under /admin). */
export const GET: RequestHandler = async ({ params }) => {
	const job = await getJob(await getDatabase(), params.id);
	if (!job) error(404, { message: 'Not found' });
	return json(jobView(job), { headers: { 'cache-control': 'no-store' } });
};
