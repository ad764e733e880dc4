/**
 * How the embedded engine writes a document into SQLite and reads it back: JSON, with the
 * few values JSON lacks written as one-key objects in MongoDB's Extended JSON spelling
 * (`{"$date": ISO}`, `{"$binary": base64}`, `{"$numberDouble": "NaN"}`, `{"$regex", "$options"}`).
 * SQLite keeps it as JSONB (its binary JSON: index keys are computed from it without parsing text,
 * see keys.ts) and gives it back as text (`json(doc)`), so the file stays readable with any SQLite
 * tool.
 *
 * Encoding refuses what it cannot give back faithfully (functions, class instances, bigints,
 * invalid Dates) and names the field; `undefined` fields are dropped and `undefined` array
 * elements become null, as the MongoDB driver does with `ignoreUndefined`.
 */

export type Doc = Record<string, unknown> & { _id: string };

/** Keys that mark an encoded value; a stored object must not start with one of them. */
const TAGS = new Set(['$date', '$binary', '$numberDouble', '$regex']);

function isPlainObject(v: object): v is Record<string, unknown> {
	const proto = Object.getPrototypeOf(v);
	return proto === Object.prototype || proto === null;
}

function fieldPath(path: string, key: string): string {
	return path ? `${path}.${key}` : String(key);
}

/**
 * `v` with every Date, byte array, regular expression and non-finite number replaced by its
 * tagged object, copying only the arrays and objects on the way to one (most of a document is
 * returned as it is); throws a TypeError naming the path of a value that cannot be stored.
 */
function tagged(v: unknown, path: string): unknown {
	switch (typeof v) {
		case 'string':
		case 'boolean':
		case 'undefined': // JSON.stringify drops it from objects and writes null in arrays
			return v;
		case 'number':
			return Number.isFinite(v) ? v : { $numberDouble: String(v) };
		case 'bigint':
		case 'function':
		case 'symbol':
			throw new TypeError(`cannot store a ${typeof v} at '${path}'`);
	}
	if (v === null) return v;
	if (Array.isArray(v)) {
		let out: unknown[] | null = null;
		for (let i = 0; i < v.length; i++) {
			const t = tagged(v[i], fieldPath(path, String(i)));
			if (t !== v[i] && !out) out = v.slice(0, i);
			out?.push(t);
		}
		return out ?? v;
	}
	if (v instanceof Date) {
		if (Number.isNaN(v.getTime())) throw new TypeError(`invalid Date at '${path}'`);
		return { $date: v.toISOString() };
	}
	if (v instanceof Uint8Array) return { $binary: Buffer.from(v).toString('base64') };
	if (v instanceof RegExp) return { $regex: v.source, $options: v.flags };
	if (!isPlainObject(v as object)) {
		const name = (v as object).constructor?.name ?? 'object';
		throw new TypeError(`cannot store a ${name} at '${path}': use plain objects, arrays and Dates`);
	}
	const o = v as Record<string, unknown>;
	const keys = Object.keys(o);
	if (keys.length && TAGS.has(keys[0])) {
		throw new TypeError(`the field name '${keys[0]}' at '${path}' is reserved`);
	}
	let out: Record<string, unknown> | null = null;
	for (let i = 0; i < keys.length; i++) {
		const k = keys[i];
		const t = tagged(o[k], fieldPath(path, k));
		if (t !== o[k] && !out) {
			// No prototype: a key named __proto__ stays an own property of the copy.
			out = Object.create(null) as Record<string, unknown>;
			for (let j = 0; j < i; j++) out[keys[j]] = o[keys[j]];
		}
		if (out) out[k] = t;
	}
	return out ?? o;
}

/** The JSON text of a value, or throws a TypeError naming the path of what cannot be stored. */
export function encodeValue(value: unknown): string {
	return JSON.stringify(tagged(value, ''));
}

/** Turns the one-key tagged objects of a parsed document back into Dates, bytes and numbers. */
function revive(v: unknown): unknown {
	if (v === null || typeof v !== 'object') return v;
	if (Array.isArray(v)) {
		for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
		return v;
	}
	const o = v as Record<string, unknown>;
	const keys = Object.keys(o);
	if (keys.length === 1 && typeof o[keys[0]] === 'string') {
		const s = o[keys[0]] as string;
		if (keys[0] === '$date') return new Date(s);
		if (keys[0] === '$binary') return new Uint8Array(Buffer.from(s, 'base64'));
		if (keys[0] === '$numberDouble') return Number(s);
	}
	if (keys.length === 2 && keys[0] === '$regex' && keys[1] === '$options') {
		return new RegExp(String(o.$regex), String(o.$options));
	}
	for (const k of keys) o[k] = revive(o[k]);
	return o;
}

export function decodeDocument(text: string): Doc {
	const doc = JSON.parse(text) as Doc;
	// Most documents hold no tagged value at all; then there is nothing to walk.
	return text.includes('"$') ? (revive(doc) as Doc) : doc;
}

/** A private copy of a value, as a stored and re-read one would be (for documents built in memory). */
export function roundTrip<T>(v: T): T {
	return revive(JSON.parse(encodeValue(v))) as T;
}
