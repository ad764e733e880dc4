import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** Liveness: the process serves requests. Never touches the database, so an outage does not restart us. */
export const GET: RequestHandler = () =>
	json(
		{ status: 'ok', uptimeSeconds: Math.round(process.uptime()) },
		{ headers: { 'cache-control': 'no-store' } }
	);
