import { readiness } from '../readiness';
import type { RequestHandler } from './$types';

/** Readiness: the database answers and we are not stopping (503 otherwise: route traffic elsewhere). */
export const GET: RequestHandler = () => readiness();
