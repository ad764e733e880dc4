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
