/**
 * Backup and restore, the same on both engines: one Extended-JSON-lines file per collection
 * (`<collection>.jsonl`, Dates kept) plus `manifest.json`. Both run inside a transaction when
 * the engine allows it (embedded always; MongoDB on a replica set), so a backup is a consistent
 * snapshot and a restore replaces everything or nothing.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { BaseDoc, Database } from './types';
import { TRANSIENT_COLLECTIONS } from './schema';
import { maybeTransaction } from './transactions';

export interface BackupManifest {
	format: 1;
	createdAt: string;
	engine: Database['engine'];
	/** False when MongoDB ran without transactions (standalone): collections read one by one. */
	consistent: boolean;
	collections: Record<string, { file: string; count: number }>;
}

const NAME_RE = /^[A-Za-z0-9_.-]+$/;

async function ejson() {
	return (await import('mongodb')).BSON.EJSON;
}

export async function backupDatabase(db: Database, dir: string): Promise<BackupManifest> {
	const EJSON = await ejson();
	await mkdir(dir, { recursive: true });
	const names = (await db.listCollections()).filter((n) => !TRANSIENT_COLLECTIONS.has(n));
	for (const n of names) {
		if (!NAME_RE.test(n)) throw new Error(`collection name '${n}' cannot be used as a backup file name`);
	}
	const { result: contents, consistent } = await maybeTransaction(db, async (session) => {
		const out = new Map<string, string[]>();
		for (const name of names) {
			const docs = await db.collection<BaseDoc>(name).find({}, { session, sort: { _id: 1 } });
			out.set(
				name,
				docs.map((d) => EJSON.stringify(d, { relaxed: true }))
			);
		}
		return out;
	});
	const manifest: BackupManifest = {
		format: 1,
		createdAt: new Date().toISOString(),
		engine: db.engine,
		consistent,
		collections: {}
	};
	for (const [name, lines] of contents) {
		const file = `${name}.jsonl`;
		await writeFile(join(dir, file), lines.length ? lines.join('\n') + '\n' : '');
		manifest.collections[name] = { file, count: lines.length };
	}
	// The manifest is written last: a folder without it is an incomplete backup.
	await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
	return manifest;
}

async function readLines(path: string, EJSON: Awaited<ReturnType<typeof ejson>>): Promise<BaseDoc[]> {
	const docs: BaseDoc[] = [];
	const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
	let line = 0;
	for await (const text of rl) {
		line++;
		if (!text.trim()) continue;
		try {
			const doc = EJSON.parse(text, { relaxed: true }) as BaseDoc;
			if (typeof doc?._id !== 'string') throw new Error('missing string _id');
			docs.push(doc);
		} catch (e) {
			throw new Error(`${path}:${line}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
		}
	}
	return docs;
}

/** Replaces the database's contents with a backup made by `backupDatabase`. */
export async function restoreDatabase(db: Database, dir: string): Promise<BackupManifest> {
	const EJSON = await ejson();
	let manifest: BackupManifest;
	try {
		manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
	} catch (e) {
		throw new Error(`${dir} is not a complete backup: manifest.json unreadable (${(e as Error).message})`, {
			cause: e
		});
	}
	if (manifest.format !== 1)
		throw new Error(`${dir}/manifest.json: unknown backup format ${manifest.format}`);
	// Read and check every file before touching the database.
	const contents = new Map<string, BaseDoc[]>();
	for (const [name, { file, count }] of Object.entries(manifest.collections)) {
		if (!NAME_RE.test(name) || file !== `${name}.jsonl`) throw new Error(`manifest: bad entry for '${name}'`);
		const docs = await readLines(join(dir, file), EJSON);
		if (docs.length !== count) {
			throw new Error(`${file}: ${docs.length} documents, manifest says ${count} (truncated backup?)`);
		}
		contents.set(name, docs);
	}
	const existing = await db.listCollections();
	await maybeTransaction(db, async (session) => {
		for (const name of new Set([...existing, ...contents.keys()])) {
			const coll = db.collection<BaseDoc>(name);
			await coll.deleteMany({}, { session });
			const docs = contents.get(name) ?? [];
			for (let i = 0; i < docs.length; i += 1000) {
				await coll.insertMany(docs.slice(i, i + 1000), { session });
			}
		}
	});
	return manifest;
}
