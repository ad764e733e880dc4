/**
 * Document ids: 24 hex characters laid out like a MongoDB ObjectId (4-byte seconds, 5-byte
 * per-process random, 3-byte counter), so ids sort by creation time on both engines and look
 * the same in URLs whichever engine stored them. Built on node:crypto so the embedded engine
 * does not need to load the MongoDB driver.
 */
import { randomBytes, randomInt } from 'node:crypto';

const processUnique = randomBytes(5).toString('hex');
let counter = randomInt(0, 0xffffff);

export function newId(): string {
	counter = (counter + 1) & 0xffffff;
	const seconds = Math.floor(Date.now() / 1000) >>> 0;
	return seconds.toString(16).padStart(8, '0') + processUnique + counter.toString(16).padStart(6, '0');
}

const ID_RE = /^[0-9a-f]{24}$/;

/** True for ids made by `newId()` (or a MongoDB ObjectId's hex string). */
export function isGeneratedId(value: unknown): value is string {
	return typeof value === 'string' && ID_RE.test(value);
}

/** Creation time encoded in an id made by `newId()`. */
export function idTimestamp(id: string): Date {
	if (!isGeneratedId(id)) throw new Error(`not a generated id: ${JSON.stringify(id)}`);
	return new Date(parseInt(id.slice(0, 8), 16) * 1000);
}
