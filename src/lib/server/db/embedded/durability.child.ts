/**
 * Child process for durability.test.ts: opens an embedded database folder and writes to it,
 * printing one line per acknowledged write, so the parent can kill it at a known point.
 *
 *   insert <dir> <count> <prefix>   insert docs one by one, "ack <i>" after each
 *   tx <dir>                        commit "before-tx", then hang inside a transaction with 200 writes
 *   race <dir> <count> <seed>       wait for "go" on stdin, then insert u<i>@x.vn (unique) in a
 *                                   seeded random order, bumping a shared counter after each
 *   bulk <dir>                      insert ~24 MB (starts the checkpoint thread), close, "closed";
 *                                   nothing else keeps the process alive while close() waits
 */
import { createInterface } from 'node:readline';
import { isDuplicateKeyError, type BaseDoc } from '../types';
import { openEmbeddedDatabase } from './index';

interface Doc extends BaseDoc {
	[k: string]: unknown;
}

const [mode, dir, ...rest] = process.argv.slice(2);
const say = (line: string) => process.stdout.write(line + '\n');
const hang = () => new Promise<never>(() => setInterval(() => {}, 1 << 30));

async function main(): Promise<void> {
	const db = await openEmbeddedDatabase(dir);
	if (mode === 'insert') {
		const [count, prefix] = [Number(rest[0]), rest[1]];
		const c = db.collection<Doc>('docs');
		for (let i = 0; i < count; i++) {
			await c.insertOne({ _id: `${prefix}-${i}`, i, payload: 'x'.repeat(200) });
			say(`ack ${i}`);
		}
		say('done');
		await hang();
	} else if (mode === 'tx') {
		const c = db.collection<Doc>('docs');
		await c.insertOne({ _id: 'before-tx' });
		say('ack before-tx');
		await db.withTransaction(async (session) => {
			for (let i = 0; i < 200; i++) await c.insertOne({ _id: `tx-${i}` }, { session });
			await c.updateOne({ _id: 'before-tx' }, { $set: { touched: true } }, { session });
			say('in-tx');
			await hang();
		});
	} else if (mode === 'bulk') {
		const docs = Array.from({ length: 3000 }, (_, i) => ({ _id: `b${i}`, body: 'x'.repeat(8000) }));
		await db.collection<Doc>('docs').insertMany(docs);
		await db.close();
		say('closed');
	} else if (mode === 'race') {
		const count = Number(rest[0]);
		// Different orders per process make both contend for the same values at the same time.
		let seed = Number(rest[1]) || 1;
		const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const order = Array.from({ length: count }, (_, i) => i);
		for (let i = count - 1; i > 0; i--) {
			const j = Math.floor(rand() * (i + 1));
			[order[i], order[j]] = [order[j], order[i]];
		}
		const users = db.collection<Doc>('users');
		const counters = db.collection<Doc>('counters');
		await users.createIndex({ keys: { email: 1 }, unique: true });
		say('ready');
		const rl = createInterface({ input: process.stdin });
		await new Promise<void>((resolve) => rl.on('line', (l) => l === 'go' && resolve()));
		rl.close();
		for (const i of order) {
			try {
				await users.insertOne({ email: `u${i}@x.vn`, by: process.pid });
				say(`won ${i}`);
			} catch (e) {
				if (!isDuplicateKeyError(e)) throw e;
				say(`dup ${i}`);
			}
			await counters.findOneAndUpdate({ _id: 'n' }, { $inc: { n: 1 } }, { upsert: true });
		}
		await db.close();
		say('done');
	} else {
		throw new Error(`unknown mode ${mode}`);
	}
}

main().catch((e) => {
	process.stderr.write(`child failed: ${e instanceof Error ? e.stack : String(e)}\n`);
	process.exit(1);
});
