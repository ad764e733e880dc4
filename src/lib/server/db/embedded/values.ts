/**
 * Value helpers of the embedded engine: copying documents in and out of the cache, the key
 * encoding of in-memory indexes, and the equality fields that seed an upserted document.
 */

export type Doc = Record<string, unknown> & { _id: string };

function isPlainObject(v: object): v is Record<string, unknown> {
	const proto = Object.getPrototypeOf(v);
	return proto === Object.prototype || proto === null;
}

/**
 * Deep copy of a stored value. Callers get copies so they cannot corrupt the cache; a hand
 * written copy of plain data and Dates is several times faster than `structuredClone`.
 */
export function clone<T>(v: T): T {
	if (v === null || typeof v !== 'object') return v;
	if (Array.isArray(v)) return v.map(clone) as T;
	if (v instanceof Date) return new Date(v.getTime()) as T;
	if (isPlainObject(v)) {
		const out: Record<string, unknown> = {};
		for (const k of Object.keys(v)) out[k] = clone(v[k]);
		return out as T;
	}
	return structuredClone(v);
}

/**
 * Copy of a document as it will be stored: `undefined` fields are dropped (as the MongoDB driver
 * does with `ignoreUndefined`), and values the engine cannot store faithfully are refused with
 * the path that holds them.
 */
export function toStored(v: unknown, path: string): unknown {
	if (v === null) return null;
	switch (typeof v) {
		case 'string':
		case 'number':
		case 'boolean':
			return v;
		case 'undefined':
			return null; // only reached for array elements: BSON stores them as null
		case 'bigint':
		case 'function':
		case 'symbol':
			throw new TypeError(`cannot store a ${typeof v} at '${path}'`);
	}
	if (Array.isArray(v)) return v.map((x, i) => toStored(x, `${path}.${i}`));
	if (v instanceof Date) {
		if (Number.isNaN(v.getTime())) throw new TypeError(`invalid Date at '${path}'`);
		return new Date(v.getTime());
	}
	if (v instanceof Uint8Array) return new Uint8Array(v);
	if (v instanceof RegExp) return new RegExp(v.source, v.flags);
	if (!isPlainObject(v as object)) {
		const name = (v as object).constructor?.name ?? 'object';
		throw new TypeError(`cannot store a ${name} at '${path}': use plain objects, arrays and Dates`);
	}
	const out: Record<string, unknown> = {};
	for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
		if (x === undefined) continue;
		out[k] = toStored(x, path ? `${path}.${k}` : k);
	}
	return out;
}

/**
 * True when `v` is already what toStored would produce (plain objects, arrays, valid Dates and
 * scalars, no `undefined`), so it can be serialized without the copy. Anything else, including
 * what toStored refuses, answers false and goes through toStored.
 */
export function isStorable(v: unknown): boolean {
	if (v === null) return true;
	switch (typeof v) {
		case 'string':
		case 'number':
		case 'boolean':
			return true;
		case 'object':
			break;
		default:
			return false;
	}
	if (Array.isArray(v)) {
		for (let i = 0; i < v.length; i++) if (!(i in v) || !isStorable(v[i])) return false;
		return true;
	}
	if (v instanceof Date) return !Number.isNaN(v.getTime());
	if (!isPlainObject(v as object)) return false;
	// for-in allocates nothing on objects with an enum cache (Object.keys copies the key list:
	// ~180 MB of garbage over a 100k-row import). It also visits inherited enumerable keys, which
	// only exist if Object.prototype was polluted; checking their values too is harmless, since
	// serialize and toStored both keep own properties only. No hasOwn call: ~45% faster.
	for (const k in v as Record<string, unknown>) {
		if (!isStorable((v as Record<string, unknown>)[k])) return false;
	}
	return true;
}

/** First character of every key that is not a plain string (strings never start with it unescaped). */
const TAG = '\u0000';

/**
 * Canonical string of a value for index maps: equal values (as MongoDB compares them for
 * equality, without collation) give equal strings, different values different strings.
 * A string is its own key (unless it starts with NUL, then it is escaped): the index then holds
 * the document's own string instead of a tagged copy, which for 100,000 ids is ~10 MB less heap.
 * Every other value is tagged after a NUL, which keeps 1 and '1' apart.
 */
export function encodeKey(v: unknown): string {
	if (typeof v === 'string') return v.charCodeAt(0) === 0 ? `${TAG}s:${v}` : v;
	return TAG + tagged(v);
}

/** The string an encoded key stands for, or null when it encodes another type. */
export function stringOfKey(k: string): string | null {
	if (k.charCodeAt(0) !== 0) return k;
	return k.startsWith(`${TAG}s:`) ? k.slice(3) : null;
}

/** Type-tagged encoding; strings inside arrays and objects are JSON-quoted so commas cannot collide. */
function tagged(v: unknown): string {
	if (v === null || v === undefined) return 'n';
	switch (typeof v) {
		case 'number':
			return Object.is(v, -0) ? 'd:0' : `d:${v}`;
		case 'string':
			return `s:${JSON.stringify(v)}`;
		case 'boolean':
			return v ? 'b:1' : 'b:0';
	}
	if (v instanceof Date) return `t:${v.getTime()}`;
	if (Array.isArray(v)) return `a:[${v.map(tagged).join(',')}]`;
	if (v instanceof Uint8Array) return `x:${Buffer.from(v).toString('hex')}`;
	if (v instanceof RegExp) return `r:${v.source}/${v.flags}`;
	const entries = Object.entries(v as Record<string, unknown>);
	// Field order matters for embedded-document equality in MongoDB, so keep it.
	return `o:{${entries.map(([k, x]) => `${JSON.stringify(k)}:${tagged(x)}`).join(',')}}`;
}

/**
 * Values a dotted path reaches in a document, traversing arrays the way a multikey index does.
 * A missing field yields `[undefined]` (indexed as null, as MongoDB does).
 */
export function pathValues(doc: unknown, path: string): unknown[] {
	// The usual index field: one segment of a document (what the loop below gives, without its
	// three arrays; index maintenance calls this a few times per written document).
	if (path.indexOf('.') < 0 && doc !== null && typeof doc === 'object' && !Array.isArray(doc))
		return [(doc as Record<string, unknown>)[path]];
	const parts = path.split('.');
	let current: unknown[] = [doc];
	for (const part of parts) {
		const next: unknown[] = [];
		for (const c of current) {
			if (Array.isArray(c)) {
				if (/^\d+$/.test(part)) next.push(c[Number(part)]);
				else
					for (const el of c) {
						next.push(
							el !== null && typeof el === 'object' ? (el as Record<string, unknown>)[part] : undefined
						);
					}
			} else if (c !== null && typeof c === 'object') {
				next.push((c as Record<string, unknown>)[part]);
			} else {
				next.push(undefined);
			}
		}
		current = next;
	}
	return current.length ? current : [undefined];
}

/** The value at a dotted path without array traversal (for projections of index keys). */
export function getPath(doc: unknown, path: string): unknown {
	let cur: unknown = doc;
	for (const part of path.split('.')) {
		if (cur === null || typeof cur !== 'object') return undefined;
		cur = (cur as Record<string, unknown>)[part];
	}
	return cur;
}

function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
	const parts = path.split('.');
	let cur = doc;
	for (let i = 0; i < parts.length - 1; i++) {
		const next = cur[parts[i]];
		if (next === null || typeof next !== 'object' || Array.isArray(next)) {
			const created: Record<string, unknown> = {};
			cur[parts[i]] = created;
			cur = created;
		} else cur = next as Record<string, unknown>;
	}
	cur[parts[parts.length - 1]] = value;
}

/** True when `v` is an object whose first key is an operator such as `$gt`. */
export function isOperatorObject(v: unknown): v is Record<string, unknown> {
	if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return false;
	if (v instanceof RegExp || v instanceof Uint8Array) return false;
	const keys = Object.keys(v);
	return keys.length > 0 && keys[0].startsWith('$');
}

/**
 * The document an upsert starts from: MongoDB copies the filter's equality conditions
 * (`field: value`, `field: {$eq: value}`, and those inside a top-level `$and`).
 */
export function upsertSeed(filter: Record<string, unknown>): Record<string, unknown> {
	const seed: Record<string, unknown> = {};
	const visit = (f: Record<string, unknown>) => {
		for (const [k, v] of Object.entries(f)) {
			if (k === '$and' && Array.isArray(v)) {
				for (const sub of v) if (sub && typeof sub === 'object') visit(sub as Record<string, unknown>);
				continue;
			}
			if (k.startsWith('$')) continue;
			if (v instanceof RegExp) continue;
			if (isOperatorObject(v)) {
				if ('$eq' in v && Object.keys(v).length === 1) setPath(seed, k, clone(v.$eq));
				continue;
			}
			setPath(seed, k, clone(v));
		}
	};
	visit(filter);
	return seed;
}
