/**
 * Test support for the auth tests: a fresh embedded database in a temporary folder, with the
 * declared indexes, and a clock the test can move.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedDatabase } from '../db/embedded/index';
import { INDEXES } from '../db/schema';
import type { Database } from '../db/types';

export interface TestDb {
	db: Database;
	cleanup(): Promise<void>;
}

export async function openTestDb(): Promise<TestDb> {
	const dir = await mkdtemp(join(tmpdir(), 'techcap-auth-'));
	const db = await openEmbeddedDatabase(dir);
	for (const [name, specs] of Object.entries(INDEXES)) {
		for (const spec of specs) await db.collection(name).createIndex(spec);
	}
	return {
		db,
		async cleanup() {
			await db.close();
			await rm(dir, { recursive: true, force: true });
		}
	};
}

/**
 * A clock starting at a fixed instant; `advance` moves it forward. The start lies years ahead so
 * the engines' TTL indexes, which run on real time, never remove documents a test still needs.
 */
export function testClock(start = '2036-03-02T08:00:00Z') {
	let t = new Date(start).getTime();
	return {
		now: () => new Date(t),
		advance(ms: { minutes?: number; hours?: number; days?: number; seconds?: number }) {
			t +=
				(ms.seconds ?? 0) * 1000 +
				(ms.minutes ?? 0) * 60_000 +
				(ms.hours ?? 0) * 3_600_000 +
				(ms.days ?? 0) * 86_400_000;
		}
	};
}

export const GOOD_PASSWORD = 'correct horse battery';
