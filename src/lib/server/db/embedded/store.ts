/**
 * Storage core of the embedded engine: one SQLite file (durable, shared between processes) and
 * an in-memory copy of every collection (mingo queries run over it).
 *
 * Durability. WAL journal with `synchronous=NORMAL`: a commit is written to the WAL file before
 * `COMMIT` returns, so killing the process (kill -9, crash) loses nothing acknowledged; the OS
 * writes the WAL page cache out by itself. Only an OS crash or power loss can lose the last
 * commits; `TECHCAP_EMBEDDED_SYNC=full` fsyncs every commit for that case (slower).
 *
 * Several processes. Each write runs in `BEGIN IMMEDIATE` (one writer at a time across
 * processes) and appends (collection, id) rows to `changelog` in the same transaction. Before
 * every operation a process reads `PRAGMA data_version` (changes only when another connection
 * committed); when it moved, the process re-reads the documents named in the changelog since the
 * last sequence number it saw. Writes re-check after taking the lock, so unique checks always see
 * the latest committed state. Old changelog rows are pruned; a process that fell behind the
 * pruned point reloads everything.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { DuplicateKeyError, type IndexSpec } from '../types';
import { encodeKey, pathValues, type Doc } from './values';
import { Checkpointer } from './checkpoint';

export const DB_FILE = 'techcap.sqlite';
const FORMAT_VERSION = '1';
/** Changelog rows kept after pruning: a process further behind than this reloads everything. */
const CHANGELOG_KEEP = 5000;
const PRUNE_EVERY_WRITES = 500;
const INDEX_CHANGE = '$index';
/**
 * Changelog row "reload the collection named by id whole": written instead of further rows once
 * one transaction has changed RELOAD_AFTER documents of a collection. An import of 100,000 rows
 * then logs ~1,000 rows instead of 200,000 (~1 s less), and another process reads the collection
 * in one scan instead of 200,000 lookups.
 */
const COLL_RELOAD = '$reload';
const RELOAD_AFTER = 1000;

export interface IndexDef {
	name: string;
	fields: string[];
	unique: boolean;
	sparse: boolean;
	expireAfterSeconds?: number;
	spec: IndexSpec;
}

/**
 * Documents whose serialized form is at least this large are "cold": the cache keeps only their
 * index keys, and reads fetch the body from SQLite (a primary-key lookup plus deserialize, which
 * a cached Buffer needed too). Keeping bodies out of memory is what lets one process hold a
 * whole sector's responses and score documents (100,000 rows ≈ 700 MB serialized) in a few
 * hundred MB; small documents (sessions, jobs, campaigns) stay as objects for fast scans.
 * SQLite's page cache (see CACHE_KIB) keeps recently used bodies close.
 */
export const COLD_DOC_BYTES = Number(process.env.TECHCAP_EMBEDDED_COLD_BYTES ?? 1024);
/**
 * Serialized bytes of small documents kept as objects, per process (objects take ~3× that in the
 * heap). Past it, new documents go cold too: a department's register of a few thousand
 * enterprises stays hot, a 100,000-enterprise one does not take the heap with it.
 */
export const HOT_BUDGET_BYTES = Number(process.env.TECHCAP_EMBEDDED_HOT_MB ?? 8) * 1024 * 1024;

/** Bytes of hot documents, shared by the collections of one store. */
export interface HotBudget {
	used: number;
	readonly limit: number;
	/** Documents at least this large are always cold. */
	readonly coldBytes: number;
}

export interface StoreOptions {
	/** Hot budget in serialized bytes (default HOT_BUDGET_BYTES; 0 keeps every document cold). */
	hotBytes?: number;
	/** Size from which a document is always cold (default COLD_DOC_BYTES). */
	coldBytes?: number;
}
/** How long one SQLite call may block the thread waiting for another process's lock. */
const BUSY_WAIT_MS = 200;

/** Another process holds the database's write lock (see Store.begin). */
export class WriteLockBusy extends Error {}

/** Page size of new database files (see the constructor). */
const PAGE_BYTES = 16384;
/** SQLite page cache per connection, in KiB. */
const CACHE_KIB = 32 * 1024;

/** A document kept as an object (see HOT_BUDGET_BYTES). */
interface HotEntry {
	doc: Doc;
	/** Serialized size, counted in the hot budget. */
	size: number;
	/** Natural (insertion) order within the collection. */
	ord: number;
}

/**
 * A cold document (body only in SQLite) as one exactly sized array, because a sector's responses
 * and scores make hundreds of thousands of them: [natural order, TTL expiry in ms (0: never),
 * then pairs of (slot, encoded key)] — where it sits in the indexes, since its body is not at hand
 * to recompute that; slot ≥ 0 is a lookup field, slot < 0 the unique index −slot−1. Never changed
 * in place (the undo log may hold it).
 */
type ColdEntry = (number | string)[];
const COLD_KEYS_FROM = 2;

type Entry = HotEntry | ColdEntry;

function isCold(e: Entry): e is ColdEntry {
	return Array.isArray(e);
}

function ordOfEntry(e: Entry): number {
	return isCold(e) ? (e[0] as number) : e.ord;
}

/** `placed` copied into an exactly sized cold entry (a pushed-to array keeps ~2× spare slots). */
function coldEntry(ord: number, expiry: number, placed: (number | string)[]): ColdEntry {
	const e: ColdEntry = new Array(COLD_KEYS_FROM + placed.length);
	e[0] = ord;
	e[1] = expiry === Infinity ? 0 : expiry;
	for (let i = 0; i < placed.length; i++) e[COLD_KEYS_FROM + i] = placed[i];
	return e;
}

/** Copies read from SQLite: private to the caller, so they need no clone. */
const fresh = new WeakSet<object>();

export function isFresh(doc: object): boolean {
	return fresh.has(doc);
}

/** Reads cold documents' bodies (the current state inside an open write transaction too). */
export interface BodyReader {
	one(coll: string, id: string): Doc;
	/** Bodies of `ids` (all must exist), by id. */
	many(coll: string, ids: readonly string[]): Map<string, Doc>;
	/** Bodies of the whole collection, by id. */
	all(coll: string): Map<string, Doc>;
}

/** Below this many cold reads, one statement per document is as fast as a batch. */
const BATCH_READ_FROM = 16;

export class CollState {
	readonly entries = new Map<string, Entry>();
	indexes: IndexDef[] = [];
	/**
	 * Equality lookups: field → encoded value → ids, for every field of each index (match()
	 * intersects them, so a compound-index query reads only the documents it returns).
	 */
	lookups = new Map<string, LookupMap>();
	/**
	 * Lookup fields that have held an array (multikey, as MongoDB says): their documents' values
	 * cannot be told from the key they were found under. Cleared only when indexes are rebuilt.
	 */
	private multikey = new Set<string>();
	/** Unique indexes: index name → encoded full key → id. */
	uniques = new Map<string, Map<string, string>>();
	/** The lookup and unique maps by slot, in the order of `lookups` and of the unique indexes. */
	private lookupSlots: LookupMap[] = [];
	private uniqueSlots: Map<string, string>[] = [];
	/** Earliest moment a TTL index may expire a document (Infinity: nothing to expire). */
	nextExpiry = Infinity;
	private list: Doc[] | null = null;
	/** Cold entries (see COLD_DOC_BYTES). */
	private cold = 0;

	constructor(
		readonly name: string,
		private readonly readBody: BodyReader,
		private readonly budget: HotBudget
	) {}

	private docOf(id: string, e: Entry): Doc {
		if (!isCold(e)) return e.doc;
		const d = this.readBody.one(this.name, id);
		fresh.add(d);
		return d;
	}

	/**
	 * Documents in natural order; the array and the cached documents in it are shared, never
	 * mutate them (documents of cold entries are fresh private copies, see isFresh).
	 */
	docs(): Doc[] {
		if (this.list) return this.list;
		if (this.cold < BATCH_READ_FROM) {
			const list = Array.from(this.entries, ([id, e]) => this.docOf(id, e));
			if (this.cold === 0) this.list = list;
			return list;
		}
		// One scan of the collection's rows instead of a lookup per document. Bodies read from
		// SQLite are not kept: that would undo keeping them cold.
		const bodies = this.readBody.all(this.name);
		return Array.from(this.entries, ([id, e]) => (isCold(e) ? this.freshBody(bodies, id) : e.doc));
	}

	get(id: string): Doc | undefined {
		const e = this.entries.get(id);
		return e ? this.docOf(id, e) : undefined;
	}

	/** The documents of existing `ids`, in that order; cold bodies are read in batches. */
	getMany(ids: readonly string[]): Doc[] {
		if (this.cold < BATCH_READ_FROM || ids.length < BATCH_READ_FROM) return ids.map((id) => this.get(id)!);
		const coldIds: string[] = [];
		for (const id of ids) if (isCold(this.entries.get(id)!)) coldIds.push(id);
		const bodies = coldIds.length >= BATCH_READ_FROM ? this.readBody.many(this.name, coldIds) : null;
		return ids.map((id) => {
			const e = this.entries.get(id)!;
			if (!isCold(e)) return e.doc;
			return bodies ? this.freshBody(bodies, id) : this.docOf(id, e);
		});
	}

	private freshBody(bodies: Map<string, Doc>, id: string): Doc {
		const d = bodies.get(id);
		if (!d) throw new Error(`embedded engine: document ${this.name}/${id} is indexed but missing`);
		fresh.add(d);
		return d;
	}

	has(id: string): boolean {
		return this.entries.has(id);
	}

	ordOf(id: string): number {
		const e = this.entries.get(id);
		return e ? ordOfEntry(e) : Number.MAX_SAFE_INTEGER;
	}

	get coldCount(): number {
		return this.cold;
	}

	ttlIndexes(): IndexDef[] {
		return this.indexes.filter((i) => i.expireAfterSeconds !== undefined);
	}

	/**
	 * Replaces the indexes and rebuilds lookups; throws DuplicateKeyError if a unique one fails.
	 * Cold entries are replaced (their slots change), so no undo log may hold any: createIndex
	 * runs in a write transaction of its own (see Store.createIndex).
	 */
	setIndexes(defs: IndexDef[]): void {
		const lookups = new Map<string, LookupMap>();
		const uniques = new Map<string, Map<string, string>>();
		for (const def of defs) {
			for (const f of def.fields) if (!lookups.has(f)) lookups.set(f, new Map());
			if (def.unique) uniques.set(def.name, new Map());
		}
		const prev = {
			indexes: this.indexes,
			lookups: this.lookups,
			uniques: this.uniques,
			multikey: this.multikey
		};
		this.indexes = defs;
		this.lookups = lookups;
		this.uniques = uniques;
		this.multikey = new Set();
		this.slot();
		const rekeyed: [string, ColdEntry][] = [];
		try {
			for (const [id, e] of this.entries) {
				const doc = this.docOf(id, e);
				this.checkUnique(id, doc);
				const keys = this.addKeys(id, doc);
				if (isCold(e)) rekeyed.push([id, coldEntry(e[0] as number, this.expiryOf(doc), keys)]);
			}
			for (const [id, e] of rekeyed) this.entries.set(id, e);
		} catch (err) {
			Object.assign(this, prev);
			this.slot();
			throw err;
		}
		this.recomputeExpiry();
	}

	/** Throws DuplicateKeyError if `doc` (stored under `id`) would break a unique index. */
	checkUnique(id: string, doc: Doc): void {
		for (const def of this.indexes) {
			if (!def.unique) continue;
			const map = this.uniques.get(def.name)!;
			for (const key of uniqueKeys(def, doc)) {
				const holder = map.get(key);
				if (holder !== undefined && holder !== id) {
					const dup: Record<string, unknown> = {};
					for (const f of def.fields) {
						const v = pathValues(doc, f)[0];
						dup[f] = v === undefined ? null : v;
					}
					throw new DuplicateKeyError(this.name, def.name, dup);
				}
			}
		}
	}

	/**
	 * Puts a document into the cache and its indexes (no unique check: see checkUnique). `size` is
	 * its serialized length when known: large documents are then kept cold (body in SQLite only).
	 */
	set(callerId: string, doc: Doc, ord: number, size: number, ownCopy?: () => Doc): void {
		// The id is kept by the entry map and every index: our own copy, not a caller's slice.
		const id = ownString(callerId);
		const cold = size >= this.budget.coldBytes || this.budget.used + size > this.budget.limit;
		// A hot entry keeps the object, so a caller's document that it must not keep is copied first.
		const old = this.entries.get(id);
		if (old) {
			this.unplace(id, old);
			ord = ordOfEntry(old);
		}
		const keys = this.addKeys(id, doc);
		const exp = this.expiryOf(doc);
		const entry: Entry = cold ? coldEntry(ord, exp, keys) : { doc: ownCopy ? ownCopy() : doc, size, ord }; // a hot entry keeps the object: copy first if asked
		this.entries.set(id, entry);
		this.counted(entry);
		if (exp < this.nextExpiry) this.nextExpiry = exp;
	}

	/** Puts back an entry saved by the undo log (the SQLite row was rolled back already). */
	restore(id: string, entry: Entry | null): void {
		if (!entry) {
			this.delete(id);
			return;
		}
		const old = this.entries.get(id);
		if (old) this.unplace(id, old);
		if (isCold(entry)) this.replaceKeys(id, entry);
		else this.addKeys(id, entry.doc);
		this.entries.set(id, entry);
		this.counted(entry);
		const exp = isCold(entry) ? (entry[1] as number) || Infinity : this.expiryOf(entry.doc);
		if (exp < this.nextExpiry) this.nextExpiry = exp;
	}

	private counted(entry: Entry): void {
		if (isCold(entry)) this.cold++;
		else this.budget.used += entry.size;
		this.list = null;
	}

	/** Gives this collection's hot bytes back to the budget (the collection is being replaced). */
	release(): void {
		for (const e of this.entries.values()) if (!isCold(e)) this.budget.used -= e.size;
	}

	entry(id: string): Entry | null {
		return this.entries.get(id) ?? null;
	}

	delete(id: string): void {
		const old = this.entries.get(id);
		if (!old) return;
		this.unplace(id, old);
		this.entries.delete(id);
		this.list = null;
	}

	private unplace(id: string, e: Entry): void {
		if (!isCold(e)) {
			this.removeKeys(id, e.doc);
			this.budget.used -= e.size;
		} else {
			this.cold--;
			for (let i = COLD_KEYS_FROM; i < e.length; i += 2) {
				const slot = e[i] as number;
				const k = e[i + 1] as string;
				if (slot >= 0) unindex(this.lookupSlots[slot], k, id);
				else {
					const map = this.uniqueSlots[-slot - 1];
					if (map.get(k) === id) map.delete(k);
				}
			}
		}
	}

	/**
	 * The index's own id sets of documents whose `field` equals one of the encoded keys (shared:
	 * never change them), or null if the field is not indexed.
	 */
	lookup(field: string, keys: string[]): Set<string>[] | null {
		const map = this.lookups.get(field);
		if (!map) return null;
		const out: Set<string>[] = [];
		for (const k of keys) {
			const ids = map.get(k);
			if (ids !== undefined) out.push(typeof ids === 'string' ? new Set([ids]) : ids);
		}
		return out;
	}

	/**
	 * For each id indexed under one of `keys` of a never-multikey `field`: the key it is under.
	 * Null when the field is not indexed, has held an array, or the keys hold more than `max` ids.
	 */
	keyOfIds(field: string, keys: string[], max: number): Map<string, string> | null {
		const map = this.lookups.get(field);
		if (!map || this.multikey.has(field)) return null;
		const out = new Map<string, string>();
		for (const k of keys) {
			const ids = map.get(k);
			if (ids === undefined) continue;
			if (typeof ids === 'string') out.set(ids, k);
			else for (const id of ids) out.set(id, k);
			if (out.size > max) return null;
		}
		return out;
	}

	expiryOf(doc: Doc): number {
		let min = Infinity;
		for (const def of this.indexes) {
			if (def.expireAfterSeconds === undefined) continue;
			for (const v of pathValues(doc, def.fields[0]).flat()) {
				if (v instanceof Date) min = Math.min(min, v.getTime() + def.expireAfterSeconds * 1000);
			}
		}
		return min;
	}

	recomputeExpiry(): void {
		let min = Infinity;
		if (this.indexes.some((i) => i.expireAfterSeconds !== undefined)) {
			for (const e of this.entries.values())
				min = Math.min(min, isCold(e) ? (e[1] as number) || Infinity : this.expiryOf(e.doc));
		}
		this.nextExpiry = min;
	}

	private slot(): void {
		this.lookupSlots = [...this.lookups.values()];
		this.uniqueSlots = this.indexes.filter((d) => d.unique).map((d) => this.uniques.get(d.name)!);
	}

	/** Indexes `doc` under `id`; returns where it went (kept by cold entries to undo it later). */
	private addKeys(id: string, doc: Doc): (number | string)[] {
		const placed: (number | string)[] = [];
		let slot = 0;
		for (const [field, map] of this.lookups) {
			for (const k of lookupKeys(doc, field, this.multikey)) placed.push(slot, index(map, k, id));
			slot++;
		}
		slot = -1;
		for (const def of this.indexes) {
			if (!def.unique) continue;
			const map = this.uniques.get(def.name)!;
			for (const key of uniqueKeys(def, doc)) {
				// A compound key is a new JSON string already; a single field's may be a caller's slice.
				const k = def.fields.length === 1 ? ownString(key) : key;
				map.set(k, id);
				placed.push(slot, k);
			}
			slot--;
		}
		return placed;
	}

	/** Re-adds a cold entry's recorded keys (putting it back after a rollback). */
	private replaceKeys(id: string, e: ColdEntry): void {
		for (let i = COLD_KEYS_FROM; i < e.length; i += 2) {
			const slot = e[i] as number;
			const k = e[i + 1] as string;
			if (slot >= 0) index(this.lookupSlots[slot], k, id);
			else this.uniqueSlots[-slot - 1].set(k, id);
		}
	}

	private removeKeys(id: string, doc: Doc): void {
		for (const [field, map] of this.lookups) {
			for (const k of lookupKeys(doc, field)) unindex(map, k, id);
		}
		for (const def of this.indexes) {
			if (!def.unique) continue;
			const map = this.uniques.get(def.name)!;
			for (const k of uniqueKeys(def, doc)) if (map.get(k) === id) map.delete(k);
		}
	}
}

/** Ids sharing one key of a lookup, with that key (so cold entries can share the string). */
class IdSet extends Set<string> {
	constructor(readonly key: string) {
		super();
	}
}

/**
 * Encoded key → ids. A key held by one document maps to its id itself: most keys of the big
 * collections (enterpriseId, responseId) are unique, and a Set per document cost ~150 bytes each.
 */
type LookupMap = Map<string, string | IdSet>;

/** Adds `id` under `k`; returns the key string to remember (shared with the map where possible). */
function index(map: LookupMap, k: string, id: string): string {
	const v = map.get(k);
	if (v === undefined) {
		const own = ownString(k);
		map.set(own, id);
		return own;
	}
	if (typeof v !== 'string') {
		v.add(id);
		return v.key;
	}
	if (v === id) return ownString(k);
	const set = new IdSet(ownString(k));
	set.add(v);
	set.add(id);
	map.set(set.key, set);
	return set.key;
}

function unindex(map: LookupMap, k: string, id: string): void {
	const v = map.get(k);
	if (v === undefined) return;
	if (typeof v === 'string') {
		if (v === id) map.delete(k);
		return;
	}
	v.delete(id);
	if (v.size === 0) map.delete(k);
}

/**
 * `s` as a new index key keeps it: flat and unshared. A string value is its own key, and a
 * caller's string may be a slice of a large one (a CSV chunk) that the index would keep alive
 * whole; V8 never slices strings shorter than 13 characters. Internalizing (using it as a
 * property name) copies it flat once. Only done when a key enters a map (not for keys already
 * there, like a campaign id shared by 100,000 responses).
 */
function ownString(s: string): string {
	if (s.length < 13) return s;
	// One reused holder: a new object per key (dictionary-mode once keyed by an arbitrary string) was
	// ~1 KB of garbage and 2 us per call; this is ~0.7 us (measured on 300k ids).
	internHolder[s] = 1;
	let own = s;
	for (const k in internHolder) own = k;
	delete internHolder[s];
	return own;
}
const internHolder: Record<string, 1> = Object.create(null);

/**
 * Keys under which a document is found by an equality filter on `field` (multikey aware); a field
 * met holding an array is added to `multikey`.
 */
function lookupKeys(doc: Doc, field: string, multikey?: Set<string>): string[] {
	const keys: string[] = [];
	for (const v of pathValues(doc, field)) {
		keys.push(encodeKey(v));
		if (Array.isArray(v)) {
			multikey?.add(field);
			for (const el of v) keys.push(encodeKey(el));
		}
	}
	return keys;
}

/** Encoded full keys of a document in a unique index (one per array element combination). */
function uniqueKeys(def: IndexDef, doc: Doc): string[] {
	const perField = def.fields.map((f) => pathValues(doc, f));
	if (def.sparse && perField.every((vals) => vals.every((v) => v === undefined))) return [];
	// The usual document: one value per field, none an array — one key, no combinations to build.
	if (perField.every((vals) => vals.length === 1 && !Array.isArray(vals[0]))) {
		if (perField.length === 1) return [encodeKey(perField[0][0])];
		return [JSON.stringify(perField.map((vals) => encodeKey(vals[0])))];
	}
	if (perField.length === 1) return [...fieldKeys(perField[0])];
	// JSON of the parts: injective even though string keys may contain any character.
	let combos: string[][] = [[]];
	for (const vals of perField) {
		const keys = fieldKeys(vals);
		const next: string[][] = [];
		for (const c of combos) for (const k of keys) next.push([...c, k]);
		combos = next;
	}
	// JSON.stringify builds a new flat string: nothing of the document's strings is retained.
	return [...new Set(combos.map((c) => JSON.stringify(c)))];
}

/** Encoded keys of one field's values in a unique index (array elements one by one). */
function fieldKeys(vals: unknown[]): Set<string> {
	const keys = new Set<string>();
	for (const v of vals) {
		if (Array.isArray(v)) {
			if (v.length === 0) keys.add('\u0000u'); // MongoDB indexes [] as undefined, not null
			for (const el of v) keys.add(encodeKey(el));
		} else keys.add(encodeKey(v));
	}
	return keys;
}

export function indexName(spec: IndexSpec): string {
	return (
		spec.name ??
		Object.entries(spec.keys)
			.map(([k, d]) => `${k}_${d}`)
			.join('_')
	);
}

export function toIndexDef(spec: IndexSpec): IndexDef {
	const fields = Object.keys(spec.keys);
	if (fields.length === 0) throw new Error('an index needs at least one key');
	for (const [f, d] of Object.entries(spec.keys)) {
		if (d !== 1 && d !== -1) throw new Error(`index key '${f}' must have direction 1 or -1`);
	}
	if (spec.expireAfterSeconds !== undefined) {
		if (fields.length !== 1) throw new Error('a TTL index (expireAfterSeconds) must have exactly one key');
		if (!(spec.expireAfterSeconds >= 0)) throw new Error('expireAfterSeconds must be a number >= 0');
	}
	return {
		name: indexName(spec),
		fields,
		unique: !!spec.unique,
		sparse: !!spec.sparse,
		expireAfterSeconds: spec.expireAfterSeconds,
		spec
	};
}

function sameIndex(a: IndexSpec, b: IndexSpec): boolean {
	return (
		JSON.stringify(Object.entries(a.keys)) === JSON.stringify(Object.entries(b.keys)) &&
		!!a.unique === !!b.unique &&
		!!a.sparse === !!b.sparse &&
		a.expireAfterSeconds === b.expireAfterSeconds
	);
}

interface UndoEntry {
	coll: CollState;
	id: string;
	before: Entry | null;
}

/** Synchronous SQLite + cache store. Callers (the Database) serialise access with a mutex. */
export class Store {
	readonly file: string;
	private readonly db: Database.Database;
	private readonly colls = new Map<string, CollState>();
	private readonly knownCollections = new Set<string>();
	private lastSeq = 0;
	private dataVersion = -1;
	private ordCounter = 0;
	private writesSincePrune = 0;
	/** Undo log of the open write transaction (null when none is open). */
	private undo: UndoEntry[] | null = null;
	private savepointDepth = 0;
	/** Collections whose index list changed in the open write transaction. */
	private indexesTouched = new Set<string>();

	private readonly stmt: {
		dataVersion: Database.Statement<[], number>;
		changes: Database.Statement<[number], { seq: number; coll: string; id: string }>;
		maxSeq: Database.Statement<[], number | null>;
		getDoc: Database.Statement<[string, string], Buffer>;
		getDocs: Database.Statement<[string, string], [string, Buffer]>;
		collDocs: Database.Statement<[string], [string, Buffer]>;
		allDocs: Database.Statement<[], { coll: string; id: string; doc: Buffer }>;
		allIndexes: Database.Statement<[], { coll: string; name: string; spec: string }>;
		collIndexes: Database.Statement<[string], { name: string; spec: string }>;
		putDoc: Database.Statement<[string, string, Buffer]>;
		delDoc: Database.Statement<[string, string]>;
		log: Database.Statement<[string, string]>;
		putIndex: Database.Statement<[string, string, string]>;
		putColl: Database.Statement<[string]>;
		listColls: Database.Statement<[], string>;
		getMeta: Database.Statement<[string], string>;
		setMeta: Database.Statement<[string, string]>;
		prune: Database.Statement<[number]>;
	};

	private readonly budget: HotBudget;
	/** Moves committed WAL pages into the database file off the main thread (see checkpoint.ts). */
	readonly checkpointer: Checkpointer;
	/** Pages the open write transaction wrote, roughly: a document's body pages plus index and log pages. */
	private txPages = 0;
	/** Changelog rows written per collection by the open write transaction (see COLL_RELOAD). */
	private logged = new Map<string, number>();

	constructor(
		readonly dir: string,
		options: StoreOptions = {}
	) {
		this.budget = {
			used: 0,
			limit: options.hotBytes ?? HOT_BUDGET_BYTES,
			coldBytes: options.coldBytes ?? COLD_DOC_BYTES
		};
		mkdirSync(dir, { recursive: true });
		this.file = join(dir, DB_FILE);
		this.db = new Database(this.file, { timeout: 5000 });
		// Only takes effect when the file is created: 16 KiB pages hold a score document (2–5 KB) without
		// overflow chains, which made bulk writes ~40% faster than the default 4 KiB in our measurements.
		this.db.pragma(`page_size = ${PAGE_BYTES}`);
		this.db.pragma('journal_mode = WAL');
		const sync = (process.env.TECHCAP_EMBEDDED_SYNC ?? '').toLowerCase() === 'full' ? 'FULL' : 'NORMAL';
		this.db.pragma(`synchronous = ${sync}`);
		this.db.pragma('busy_timeout = 5000');
		this.db.pragma(`cache_size = -${CACHE_KIB}`);
		// Checkpoints are the checkpointer's (a background thread), not part of whichever COMMIT crosses the threshold.
		this.db.pragma('wal_autocheckpoint = 0');
		this.checkpointer = new Checkpointer(this.file, () => {
			this.db.pragma('wal_checkpoint(PASSIVE)');
		});
		this.db.exec('BEGIN IMMEDIATE');
		try {
			this.db.exec(`
				CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
				CREATE TABLE IF NOT EXISTS docs (coll TEXT NOT NULL, id TEXT NOT NULL, doc BLOB NOT NULL, UNIQUE (coll, id));
				-- No AUTOINCREMENT: seq = max + 1 stays increasing because pruning never removes the newest row.
				CREATE TABLE IF NOT EXISTS changelog (seq INTEGER PRIMARY KEY, coll TEXT NOT NULL, id TEXT NOT NULL);
				CREATE TABLE IF NOT EXISTS indexes (coll TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL, UNIQUE (coll, name));
				CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY) WITHOUT ROWID;
			`);
			const format = this.db.prepare(`SELECT value FROM meta WHERE key = 'format'`).pluck().get() as
				string | undefined;
			if (format === undefined) {
				this.db.prepare(`INSERT INTO meta (key, value) VALUES ('format', ?)`).run(FORMAT_VERSION);
			} else if (format !== FORMAT_VERSION) {
				throw new Error(
					`${this.file} has storage format ${format}; this version of TechCap reads format ${FORMAT_VERSION}`
				);
			}
			this.db.exec('COMMIT');
		} catch (e) {
			this.db.exec('ROLLBACK');
			this.db.close();
			throw e;
		}
		const p = <P extends unknown[], R>(sql: string) => this.db.prepare<P, R>(sql);
		this.stmt = {
			dataVersion: p<[], number>('PRAGMA data_version').pluck(),
			changes: p('SELECT seq, coll, id FROM changelog WHERE seq > ? ORDER BY seq'),
			maxSeq: p<[], number | null>('SELECT max(seq) FROM changelog').pluck(),
			getDoc: p<[string, string], Buffer>('SELECT doc FROM docs WHERE coll = ? AND id = ?').pluck(),
			getDocs: p<[string, string], [string, Buffer]>(
				'SELECT id, doc FROM docs WHERE coll = ? AND id IN (SELECT value FROM json_each(?))'
			).raw(),
			collDocs: p<[string], [string, Buffer]>('SELECT id, doc FROM docs WHERE coll = ? ORDER BY rowid').raw(),
			allDocs: p('SELECT coll, id, doc FROM docs ORDER BY rowid'),
			allIndexes: p('SELECT coll, name, spec FROM indexes ORDER BY rowid'),
			collIndexes: p('SELECT name, spec FROM indexes WHERE coll = ? ORDER BY rowid'),
			putDoc: p(
				'INSERT INTO docs (coll, id, doc) VALUES (?, ?, ?) ON CONFLICT (coll, id) DO UPDATE SET doc = excluded.doc'
			),
			delDoc: p('DELETE FROM docs WHERE coll = ? AND id = ?'),
			log: p('INSERT INTO changelog (coll, id) VALUES (?, ?)'),
			putIndex: p(
				'INSERT INTO indexes (coll, name, spec) VALUES (?, ?, ?) ON CONFLICT (coll, name) DO UPDATE SET spec = excluded.spec'
			),
			putColl: p('INSERT OR IGNORE INTO collections (name) VALUES (?)'),
			listColls: p<[], string>('SELECT name FROM collections ORDER BY name').pluck(),
			getMeta: p<[string], string>('SELECT value FROM meta WHERE key = ?').pluck(),
			setMeta: p(
				'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'
			),
			prune: p('DELETE FROM changelog WHERE seq <= ?')
		};
		this.db.transaction(() => this.reloadAll())();
		this.dataVersion = this.stmt.dataVersion.get()!;
		// From now on SQLite's own (thread-blocking) waits stay short; see begin().
		this.db.pragma(`busy_timeout = ${BUSY_WAIT_MS}`);
	}

	/** Closes the store; the checkpoint thread first, so this connection is the last and SQLite's own close checkpoints the WAL. */
	async close(): Promise<void> {
		await this.checkpointer.close();
		if (this.db.open) this.db.close();
	}

	get open(): boolean {
		return this.db.open;
	}

	coll(name: string): CollState {
		let c = this.colls.get(name);
		if (!c) this.colls.set(name, (c = new CollState(name, this.readBody, this.budget)));
		return c;
	}

	private readonly readBody: BodyReader = {
		one: (coll, id) => {
			const buf = this.stmt.getDoc.get(coll, id);
			if (!buf)
				throw new Error(`embedded engine: document ${coll}/${id} is indexed but missing from ${this.file}`);
			return deserialize(buf) as Doc;
		},
		many: (coll, ids) => {
			const out = new Map<string, Doc>();
			// Batches through json_each: one statement per 500 ids (~2× faster than one per id).
			for (let i = 0; i < ids.length; i += 500) {
				for (const [id, buf] of this.stmt.getDocs.all(coll, JSON.stringify(ids.slice(i, i + 500))))
					out.set(id, deserialize(buf) as Doc);
			}
			return out;
		},
		all: (coll) => {
			const out = new Map<string, Doc>();
			for (const [id, buf] of this.stmt.collDocs.iterate(coll)) out.set(id, deserialize(buf) as Doc);
			return out;
		}
	};

	listCollections(): string[] {
		return this.stmt.listColls.all();
	}

	get inWrite(): boolean {
		return this.undo !== null;
	}

	// ---- keeping up with other processes ----

	/** Cheap check before each operation: catches up if another connection committed. */
	sync(): void {
		const v = this.stmt.dataVersion.get()!;
		if (v === this.dataVersion) return;
		this.dataVersion = v;
		if (this.db.inTransaction) this.catchUp();
		else this.db.transaction(() => this.catchUp())();
	}

	private catchUp(): void {
		const pruned = Number(this.stmt.getMeta.get('pruned_through') ?? 0);
		if (this.lastSeq < pruned) {
			this.reloadAll();
			return;
		}
		const seen = new Set<string>();
		for (const row of this.stmt.changes.iterate(this.lastSeq)) {
			this.lastSeq = row.seq;
			const key = `${row.coll}\u0000${row.id}`;
			if (seen.has(key)) continue;
			seen.add(key);
			if (row.coll === INDEX_CHANGE) {
				this.loadIndexes(row.id);
				continue;
			}
			if (row.coll === COLL_RELOAD) {
				this.reloadCollection(row.id);
				continue;
			}
			this.knownCollections.add(row.coll);
			const buf = this.stmt.getDoc.get(row.coll, row.id);
			const c = this.coll(row.coll);
			if (buf) c.set(row.id, deserialize(buf) as Doc, ++this.ordCounter, buf.length);
			else c.delete(row.id);
		}
	}

	private reloadAll(): void {
		this.colls.clear();
		this.budget.used = 0;
		this.knownCollections.clear();
		// Indexes first: each document is then indexed as it is read (setIndexes afterwards would
		// read every cold body a second time).
		const byColl = new Map<string, IndexDef[]>();
		for (const row of this.stmt.allIndexes.iterate()) {
			const list = byColl.get(row.coll) ?? [];
			list.push(toIndexDef(JSON.parse(row.spec) as IndexSpec));
			byColl.set(row.coll, list);
		}
		for (const [name, defs] of byColl) this.coll(name).setIndexes(defs);
		for (const row of this.stmt.allDocs.iterate()) {
			this.coll(row.coll).set(row.id, deserialize(row.doc) as Doc, ++this.ordCounter, row.doc.length);
		}
		for (const name of this.stmt.listColls.all()) this.knownCollections.add(name);
		this.lastSeq = this.stmt.maxSeq.get() ?? 0;
	}

	/** Replaces one collection's cache by what the file holds (see COLL_RELOAD). */
	private reloadCollection(name: string): void {
		const old = this.colls.get(name);
		old?.release();
		const c = new CollState(name, this.readBody, this.budget);
		this.colls.set(name, c);
		this.knownCollections.add(name);
		c.setIndexes(this.stmt.collIndexes.all(name).map((r) => toIndexDef(JSON.parse(r.spec) as IndexSpec)));
		for (const [id, buf] of this.stmt.collDocs.iterate(name))
			c.set(id, deserialize(buf) as Doc, ++this.ordCounter, buf.length);
	}

	private loadIndexes(collName: string): void {
		const defs = this.stmt.collIndexes.all(collName).map((r) => toIndexDef(JSON.parse(r.spec) as IndexSpec));
		this.coll(collName).setIndexes(defs);
	}

	// ---- write transactions ----

	/**
	 * Opens the write transaction. Throws WriteLockBusy when another process has held the write
	 * lock for BUSY_WAIT_MS: SQLite waits by sleeping the thread, which in a server is every
	 * request's thread, so longer waits happen between tries, asynchronously (database.ts).
	 */
	begin(): void {
		if (this.undo) throw new Error('bug: write transaction already open');
		try {
			this.db.exec('BEGIN IMMEDIATE');
		} catch (e) {
			if ((e as { code?: string }).code === 'SQLITE_BUSY') {
				throw new WriteLockBusy(
					`embedded database ${this.file} is busy: another process holds its write lock`,
					{
						cause: e
					}
				);
			}
			throw e;
		}
		this.undo = [];
		this.txPages = 0;
		this.logged.clear();
		try {
			this.sync();
		} catch (e) {
			this.rollback();
			throw e;
		}
	}

	commit(): void {
		if (!this.undo) throw new Error('bug: no write transaction to commit');
		if (++this.writesSincePrune >= PRUNE_EVERY_WRITES) {
			this.writesSincePrune = 0;
			const through = this.lastSeq - CHANGELOG_KEEP;
			if (through > 0) {
				this.stmt.prune.run(through);
				this.stmt.setMeta.run('pruned_through', String(through));
			}
		}
		this.db.exec('COMMIT');
		this.undo = null;
		this.indexesTouched.clear();
		this.checkpointer.committed(this.txPages + 1);
	}

	rollback(): void {
		if (this.db.inTransaction) this.db.exec('ROLLBACK');
		const undo = this.undo ?? [];
		this.undo = null;
		this.savepointDepth = 0;
		this.undoTo(undo, 0);
		for (const name of this.indexesTouched) this.loadIndexes(name);
		this.indexesTouched.clear();
		// Our own changelog rows are gone with the rollback.
		this.lastSeq = Math.min(this.lastSeq, this.stmt.maxSeq.get() ?? 0);
	}

	/** Runs `fn` so that, if it throws, none of its changes remain (the transaction stays open). */
	atomic<R>(fn: () => R): R {
		if (!this.undo) throw new Error('bug: atomic() outside a write transaction');
		const name = `sp${++this.savepointDepth}`;
		const mark = this.undo.length;
		const seqMark = this.lastSeq;
		// The savepoint's rollback takes its changelog rows with it, the reload marker too.
		const loggedMark = new Map(this.logged);
		this.db.exec(`SAVEPOINT ${name}`);
		try {
			const r = fn();
			this.db.exec(`RELEASE ${name}`);
			this.savepointDepth--;
			return r;
		} catch (e) {
			this.db.exec(`ROLLBACK TO ${name}`);
			this.db.exec(`RELEASE ${name}`);
			this.savepointDepth--;
			this.undoTo(this.undo, mark);
			this.lastSeq = seqMark;
			this.logged = loggedMark;
			throw e;
		}
	}

	private undoTo(undo: UndoEntry[], mark: number): void {
		for (let i = undo.length - 1; i >= mark; i--) {
			const u = undo[i];
			u.coll.restore(u.id, u.before);
		}
		undo.length = mark;
	}

	private touch(c: CollState): void {
		if (this.knownCollections.has(c.name)) return;
		this.stmt.putColl.run(c.name);
		this.knownCollections.add(c.name);
	}

	private logChange(coll: string, id: string): void {
		const n = (this.logged.get(coll) ?? 0) + 1;
		this.logged.set(coll, n);
		if (n > RELOAD_AFTER + 1 && coll !== INDEX_CHANGE) return;
		const row = n === RELOAD_AFTER + 1 && coll !== INDEX_CHANGE ? [COLL_RELOAD, coll] : [coll, id];
		this.lastSeq = Number(this.stmt.log.run(row[0], row[1]).lastInsertRowid);
	}

	/**
	 * Inserts or replaces a document (unique indexes checked first). Inside begin()/commit().
	 * Without `serialized` the cache takes ownership of `doc`; with it, `doc` may share values
	 * with the caller and only `serialized` (or a copy read back from it) is kept.
	 */
	put(c: CollState, doc: Doc, serialized?: Buffer): void {
		const undo = this.undo;
		if (!undo) throw new Error('bug: put() outside a write transaction');
		c.checkUnique(doc._id, doc);
		this.touch(c);
		const buf = serialized ?? serialize(doc);
		this.stmt.putDoc.run(c.name, doc._id, buf);
		this.txPages += 2 + buf.length / PAGE_BYTES;
		this.logChange(c.name, doc._id);
		undo.push({ coll: c, id: doc._id, before: c.entry(doc._id) });
		// A document given with its serialized form may share values with the caller: a hot entry
		// keeps a copy read back from it (a cold one keeps nothing of the object).
		c.set(
			doc._id,
			doc,
			++this.ordCounter,
			buf.length,
			serialized ? () => deserialize(buf) as Doc : undefined
		);
	}

	remove(c: CollState, id: string): void {
		const undo = this.undo;
		if (!undo) throw new Error('bug: remove() outside a write transaction');
		const before = c.entry(id);
		if (!before) return;
		this.stmt.delDoc.run(c.name, id);
		this.txPages += 2;
		this.logChange(c.name, id);
		undo.push({ coll: c, id, before });
		c.delete(id);
	}

	/** Creates (or confirms) an index; inside begin()/commit(). */
	createIndex(c: CollState, spec: IndexSpec): string {
		const def = toIndexDef(spec);
		const existing = c.indexes.find((i) => i.name === def.name);
		if (existing) {
			if (sameIndex(existing.spec, spec)) return def.name;
			throw new Error(`index '${def.name}' on '${c.name}' already exists with different options (code 85)`);
		}
		if (this.undo?.length) throw new Error('bug: createIndex needs a write transaction of its own');
		c.setIndexes([...c.indexes, def]); // throws DuplicateKeyError on existing duplicates
		this.indexesTouched.add(c.name);
		try {
			this.touch(c);
			this.stmt.putIndex.run(c.name, def.name, JSON.stringify(spec));
			this.logChange(INDEX_CHANGE, c.name);
		} catch (e) {
			c.setIndexes(c.indexes.filter((i) => i !== def));
			throw e;
		}
		return def.name;
	}
}
