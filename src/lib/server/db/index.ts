/**
 * The one owner of the database connection. `MONGODB_URI` set → MongoDB; otherwise the embedded
 * engine in `TECHCAP_DATA_DIR` (default ./data). Nothing connects at import time (the SvelteKit
 * build imports this module); the first `getDatabase()` opens and creates the indexes.
 */
import { resolve } from 'node:path';
import { C, INDEXES } from './schema';
import type {
	AuditDoc,
	CampaignDoc,
	EnterpriseDoc,
	InvitationDoc,
	ResponseDoc,
	ScoreDoc,
	SessionDoc,
	ThrottleDoc,
	UserDoc
} from './schema';
import type { BaseDoc, Collection, Database } from './types';

export * from './types';
export { newId } from './ids';
export { backupDatabase, restoreDatabase, type BackupManifest } from './backup';
export { maybeTransaction } from './transactions';

export interface OpenOptions {
	/** MongoDB connection string; when absent the embedded engine is used. */
	uri?: string;
	/** Folder of the embedded engine (default `TECHCAP_DATA_DIR` or ./data). */
	dir?: string;
	/** Create the indexes declared in schema.ts (default true). */
	indexes?: boolean;
}

export function defaultDataDir(): string {
	return resolve(process.env.TECHCAP_DATA_DIR || './data');
}

/** Opens a database explicitly (tests, CLI). The caller closes it. */
export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
	// Engines are loaded on demand: the embedded one needs a native module, MongoDB a driver.
	const db = options.uri
		? await (await import('./mongo')).openMongoDatabase(options.uri)
		: await (await import('./embedded/index')).openEmbeddedDatabase(options.dir ?? defaultDataDir());
	if (options.indexes !== false) {
		try {
			await ensureIndexes(db);
		} catch (e) {
			await db.close().catch(() => {});
			throw e;
		}
	}
	return db;
}

let current: Promise<Database> | null = null;

/** The application's database, opened once per process (from the environment). */
export function getDatabase(): Promise<Database> {
	if (!current) {
		const uri = process.env.MONGODB_URI?.trim() || undefined;
		const opening = openDatabase({ uri });
		current = opening;
		// A failed open is not cached: the next request tries again (e.g. MongoDB came up).
		opening.catch(() => {
			if (current === opening) current = null;
		});
	}
	return current;
}

export async function closeDatabase(): Promise<void> {
	const p = current;
	current = null;
	if (!p) return;
	const db = await p.catch(() => null);
	await db?.close();
}

/** Creates every index declared in schema.ts INDEXES (idempotent). */
export async function ensureIndexes(db: Database): Promise<void> {
	for (const [name, specs] of Object.entries(INDEXES)) {
		const coll = db.collection(name);
		for (const spec of specs) await coll.createIndex(spec);
	}
}

/** Typed collections of schema.ts. Collections without a document type there take a type argument. */
export function collections(db: Database) {
	return {
		users: db.collection<UserDoc>(C.users),
		sessions: db.collection<SessionDoc>(C.sessions),
		invitations: db.collection<InvitationDoc>(C.invitations),
		throttle: db.collection<ThrottleDoc>(C.throttle),
		enterprises: db.collection<EnterpriseDoc>(C.enterprises),
		audit: db.collection<AuditDoc>(C.audit),
		campaigns: db.collection<CampaignDoc>(C.campaigns),
		responses: db.collection<ResponseDoc>(C.responses),
		scores: db.collection<ScoreDoc>(C.scores)
	};
}

export const users = (db: Database): Collection<UserDoc> => db.collection<UserDoc>(C.users);
export const sessions = (db: Database): Collection<SessionDoc> => db.collection<SessionDoc>(C.sessions);
export const invitations = (db: Database): Collection<InvitationDoc> =>
	db.collection<InvitationDoc>(C.invitations);
export const throttle = (db: Database): Collection<ThrottleDoc> => db.collection<ThrottleDoc>(C.throttle);
export const enterprises = (db: Database): Collection<EnterpriseDoc> =>
	db.collection<EnterpriseDoc>(C.enterprises);
export const audit = (db: Database): Collection<AuditDoc> => db.collection<AuditDoc>(C.audit);
export const campaigns = (db: Database): Collection<CampaignDoc> => db.collection<CampaignDoc>(C.campaigns);
export const responses = (db: Database): Collection<ResponseDoc> => db.collection<ResponseDoc>(C.responses);
export const scores = (db: Database): Collection<ScoreDoc> => db.collection<ScoreDoc>(C.scores);

/** A collection of schema.ts `C` whose document type lives with its feature module. */
export function collectionOf<T extends BaseDoc>(
	db: Database,
	name: (typeof C)[keyof typeof C]
): Collection<T> {
	return db.collection<T>(name);
}
