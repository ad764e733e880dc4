/**
 * Embedded engine throughput: acknowledged single-document inserts (each its own durable
 * SQLite commit), indexed equality finds, and a $group over the whole collection.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedDatabase } from '../src/lib/server/db/embedded/index';
import type { BaseDoc } from '../src/lib/server/db/types';
import type { Benchmark, BenchResult } from './harness';

interface Row extends BaseDoc {
	taxCode: string;
	sector: string;
	score: number;
	at: Date;
}

const INSERTS = 5000;
const FINDS = 20000;
const SECTORS = ['food', 'textile', 'wood', 'mechanics', 'electronics'];

const bench: Benchmark = {
	names: ['embedded_insert', 'embedded_find_indexed', 'embedded_aggregate'],
	async run(log) {
		const dir = await mkdtemp(join(tmpdir(), 'techcap-bench-'));
		const db = await openEmbeddedDatabase(dir);
		try {
			const c = db.collection<Row>('enterprises');
			await c.createIndex({ keys: { taxCode: 1 }, unique: true });
			await c.createIndex({ keys: { sector: 1 } });

			let t = performance.now();
			for (let i = 0; i < INSERTS; i++) {
				await c.insertOne({
					taxCode: String(100000000 + i),
					sector: SECTORS[i % SECTORS.length],
					score: (i * 37) % 100,
					at: new Date()
				});
			}
			const insertSec = (performance.now() - t) / 1000;
			log(`${INSERTS} single inserts in ${insertSec.toFixed(2)} s`);

			t = performance.now();
			let found = 0;
			for (let i = 0; i < FINDS; i++) {
				const doc = await c.findOne({ taxCode: String(100000000 + ((i * 7919) % INSERTS)) });
				if (doc) found++;
			}
			const findSec = (performance.now() - t) / 1000;
			if (found !== FINDS) throw new Error(`indexed find missed: ${found}/${FINDS}`);

			const ROUNDS = 50;
			t = performance.now();
			for (let i = 0; i < ROUNDS; i++) {
				await c.aggregate([
					{ $match: { score: { $gte: 10 } } },
					{
						$group: {
							_id: '$sector',
							n: { $sum: 1 },
							med: { $median: { input: '$score', method: 'approximate' } }
						}
					}
				]);
			}
			const aggMs = (performance.now() - t) / ROUNDS;

			const results: BenchResult[] = [
				{
					name: 'embedded_insert',
					value: INSERTS / insertSec,
					unit: 'docs/s',
					target: { op: '>=', value: 1000 }
				},
				{
					name: 'embedded_find_indexed',
					value: FINDS / findSec,
					unit: 'queries/s',
					target: { op: '>=', value: 5000 }
				},
				{
					name: 'embedded_aggregate',
					value: aggMs,
					unit: 'ms',
					details: { documents: INSERTS, pipeline: '$match + $group with $median' }
				}
			];
			return results;
		} finally {
			await db.close();
			await rm(dir, { recursive: true, force: true });
		}
	}
};

export default bench;
