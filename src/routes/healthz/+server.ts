import { readiness } from './readiness';
import type { RequestHandler } from './$types';

/** Readiness under its historical name (kept for existing probes); see also /healthz/live and /healthz/ready. */
export const GET: RequestHandler = () => readiness();
