/**
 * Child process for crash.test.ts: runs a response import on the given data folder and, once the
 * commit has written its first batch, says so and waits to be killed (kill -9 mid-transaction).
 */
import { openDatabase } from '../db';
import { importResponses } from './responses';

const [dir, campaignId, file] = process.argv.slice(2);
const db = await openDatabase({ dir });
await importResponses(db, campaignId, {
	file,
	onProgress: async (p) => {
		if (p.phase === 'store' && (p.stored ?? 0) > 0) {
			console.log(`STORING ${p.stored}/${p.toStore}`);
			await new Promise((r) => setTimeout(r, 60_000));
		}
	}
});
console.log('DONE');
await db.close();
