/**
 * How the embedded engine writes a document into SQLite and reads it back: JSON text, with the
 * few values JSON lacks written as one-key objects in MongoDB's Extended JSON spelling
 * (`{"$date": ISO}`, `{"$binary": base64}`, `{"$numberDouble": "NaN"}`, `{"$regex", "$options"}`).
 * JSON text keeps the file readable with any SQLite tool and lets SQLite's JSON functions compute
 * index keys (see keys.ts).
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

function fieldPath(path: string, key: string | number): string {
	return path ? `${path}.${key}` : String(key);
}

/** The JSON text of a value, or throws a TypeError naming the path of what cannot be stored. */
export function encodeValue(v: unknown, path = ''): string {
	if (v === null) return 'null';
	switch (typeof v) {
		case 'string':
			return JSON.stringify(v);
		case 'boolean':
			return v ? 'true' : 'false';
		case 'number':
			return Number.isFinite(v) ? String(v) : `{"$numberDouble":"${v}"}`;
		case 'undefined':
			return 'null'; // reached for array elements only
		case 'bigint':
		case 'function':
		case 'symbol':
			throw new TypeError(`cannot store a ${typeof v} at '${path}'`);
	}
	if (Array.isArray(v)) {
		let out = '[';
		for (let i = 0; i < v.length; i++) {
			if (i) out += ',';
			out += encodeValue(v[i], fieldPath(path, i));
		}
		return out + ']';
	}
	if (v instanceof Date) {
		if (Number.isNaN(v.getTime())) throw new TypeError(`invalid Date at '${path}'`);
		return `{"$date":"${v.toISOString()}"}`;
	}
	if (v instanceof Uint8Array) return `{"$binary":"${Buffer.from(v).toString('base64')}"}`;
	if (v instanceof RegExp) return `{"$regex":${JSON.stringify(v.source)},"$options":"${v.flags}"}`;
	if (!isPlainObject(v as object)) {
		const name = (v as object).constructor?.name ?? 'object';
		throw new TypeError(`cannot store a ${name} at '${path}': use plain objects, arrays and Dates`);
	}
	let out = '{';
	let first = true;
	for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
		if (x === undefined) continue;
		if (first && TAGS.has(k)) throw new TypeError(`the field name '${k}' at '${path}' is reserved`);
		if (!first) out += ',';
		out += `${JSON.stringify(k)}:${encodeValue(x, fieldPath(path, k))}`;
		first = false;
	}
	return out + '}';
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
