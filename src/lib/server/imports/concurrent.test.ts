/** Which failures of an import's commit mean "the data changed meanwhile, run it again". */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEmbeddedDatabase } from '../db/embedded';
import { ConcurrentChange, isConcurrentChange } from './concurrent';

describe('isConcurrentChange', () => {
	it('is true for a row changed under the commit and for a duplicate key another writer created', async () => {
		expect(isConcurrentChange(new ConcurrentChange())).toBe(true);
		const dir = await mkdtemp(join(tmpdir(), 'techcap-concurrent-'));
		const db = await openEmbeddedDatabase(dir);
		try {
			const c = db.collection<{ _id: string; taxCode: string }>('enterprises');
			await c.createIndex({ keys: { taxCode: 1 }, unique: true });
			await c.insertOne({ _id: 'a', taxCode: '0101' });
			const duplicate = await c.insertOne({ _id: 'b', taxCode: '0101' }).catch((e: unknown) => e);
			expect(isConcurrentChange(duplicate)).toBe(true);
		} finally {
			await db.close();
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('is false for any other failure', () => {
		expect(isConcurrentChange(new Error('disk full'))).toBe(false);
		expect(isConcurrentChange({ code: 11001 })).toBe(false);
		expect(isConcurrentChange(null)).toBe(false);
		expect(isConcurrentChange('11000')).toBe(false);
	});
});
