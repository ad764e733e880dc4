import { error, json } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { importStatus } from '$lib/server/imports';
import type { RequestHandler } from './$types';

/** Progress of an import job, read from the database so any app instance can answer. */
export const GET: RequestHandler = async ({ params }) => {
	const status = await importStatus(await getDatabase(), params.id);
	if (!status) error(404, { message: 'Not found' });
	return json(status, { headers: { 'cache-control': 'no-store' } });
};
