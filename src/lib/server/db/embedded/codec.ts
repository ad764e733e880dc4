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
 * The JSON text of a value, or throws a TypeError naming the path of what cannot be stored.
 * JSON.stringify does the writing; the replacer sees each original value (`holder[key]`, before
 * Date's toJSON) and remembers where each object sits, for the error message.
 */
export function encodeValue(value: unknown): string {
	const paths = new WeakMap<object, string>();
	return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
		const raw = key === '' ? v : this[key];
		const path = key === '' ? '' : fieldPath(paths.get(this) ?? '', key);
		if (raw === null) return null;
		switch (typeof raw) {
			case 'string':
			case 'boolean':
			case 'undefined': // dropped from objects, null in arrays
				return raw;
			case 'number':
				return Number.isFinite(raw) ? raw : { $numberDouble: String(raw) };
			case 'bigint':
			case 'function':
			case 'symbol':
				throw new TypeError(`cannot store a ${typeof raw} at '${path}'`);
		}
		if (Array.isArray(raw)) {
			paths.set(raw, path);
			return raw;
		}
		if (raw instanceof Date) {
			if (Number.isNaN(raw.getTime())) throw new TypeError(`invalid Date at '${path}'`);
			return { $date: raw.toISOString() };
		}
		if (raw instanceof Uint8Array) return { $binary: Buffer.from(raw).toString('base64') };
		if (raw instanceof RegExp) return { $regex: raw.source, $options: raw.flags };
		if (!isPlainObject(raw as object)) {
			const name = (raw as object).constructor?.name ?? 'object';
			throw new TypeError(`cannot store a ${name} at '${path}': use plain objects, arrays and Dates`);
		}
		// The first key of a stored object must not read as a tag.
		for (const k in raw as object) {
			if (TAGS.has(k)) throw new TypeError(`the field name '${k}' at '${path}' is reserved`);
			break;
		}
		paths.set(raw as object, path);
		return raw;
	});
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
