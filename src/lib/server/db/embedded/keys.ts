/**
 * Index keys of the embedded engine and the part of a filter that SQLite can answer.
 *
 * Every field named by an index declared in schema.ts becomes a generated column of its
 * collection's table (computed by SQLite from the document's JSON), and every index a real SQLite
 * index over those columns; uniqueness is then SQLite's own. A key is encoded so that SQLite's
 * order of values is MongoDB's order of the types TechCap indexes:
 *
 *   null or missing  → -Infinity (before every number, as null sorts first in MongoDB)
 *   number           → the number            (REAL/INTEGER)
 *   string           → the string            (TEXT, compared byte by byte like MongoDB)
 *   false / true     → BLOB 02 00 / 02 01
 *   Date             → BLOB 03 + ISO-8601 text (chronological, as the ISO text of years 0–9999 is)
 *
 * In a sparse index a missing field is NULL (not indexed), as in MongoDB. Indexed fields hold one
 * such value: an array, an embedded object, a non-finite number or a date outside years 0–9999
 * is refused when written (a multikey index would need one row per element).
 *
 * A filter is pushed to SQL condition by condition; a condition SQLite cannot answer exactly is
 * left out and the whole filter is checked again by mingo on what SQL returned (`exact` false).
 */
import type { IndexSpec } from '../types';

export type SqlValue = string | number | Buffer | null;

/** The key of null and of a missing field in a non-sparse index. */
export const NULL_KEY = -Infinity;
const NULL_SQL = '-9e999';
const FALSE_KEY = Buffer.from([2, 0]);
const TRUE_KEY = Buffer.from([2, 1]);
const DATE_TAG = 3;

const FIELD_RE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** A dotted field name SQL can spell as a JSON path without quoting. */
export function isFieldPath(field: string): boolean {
	return FIELD_RE.test(field);
}

export interface IndexDef {
	name: string;
	fields: string[];
	unique: boolean;
	sparse: boolean;
	expireAfterSeconds?: number;
	spec: IndexSpec;
}

export function indexDef(spec: IndexSpec): IndexDef {
	const fields = Object.keys(spec.keys ?? {});
	if (fields.length === 0) throw new TypeError('an index needs at least one field');
	for (const f of fields) {
		if (!FIELD_RE.test(f) || f === '_id') {
			throw new TypeError(`the embedded engine cannot index the field ${JSON.stringify(f)}`);
		}
		const dir = spec.keys[f];
		if (dir !== 1 && dir !== -1) throw new TypeError(`index direction of '${f}' must be 1 or -1`);
	}
	if (spec.expireAfterSeconds !== undefined && fields.length !== 1) {
		throw new TypeError('a TTL index has exactly one field');
	}
	return {
		name: spec.name ?? fields.map((f) => `${f}_${spec.keys[f]}`).join('_'),
		fields,
		unique: !!spec.unique,
		sparse: !!spec.sparse,
		expireAfterSeconds: spec.expireAfterSeconds,
		spec
	};
}

/** Name of the generated column that holds a field's key (a sparse index has its own). */
export function columnName(field: string, sparse: boolean): string {
	return `${sparse ? 's' : 'k'}:${field}`;
}

export function quote(identifier: string): string {
	return `"${identifier.replaceAll('"', '""')}"`;
}

/** The SQL expression SQLite evaluates for a document's key (mirrored by `keyOf`). */
export function columnExpression(field: string, sparse: boolean): string {
	const path = `'$.${field}'`;
	const datePath = `'$.${field}."$date"'`;
	return `CASE json_type(doc, ${path})
		WHEN 'text' THEN json_extract(doc, ${path})
		WHEN 'integer' THEN json_extract(doc, ${path})
		WHEN 'real' THEN json_extract(doc, ${path})
		WHEN 'false' THEN X'0200'
		WHEN 'true' THEN X'0201'
		WHEN 'object' THEN CAST(X'03' || json_extract(doc, ${datePath}) AS BLOB)
		WHEN 'null' THEN ${NULL_SQL}
		ELSE ${sparse ? 'NULL' : NULL_SQL} END`;
}

/** The key of a Date (also the bound of a TTL sweep). */
export function dateKey(d: Date): Buffer {
	return Buffer.concat([Buffer.from([DATE_TAG]), Buffer.from(d.toISOString(), 'latin1')]);
}

/** A value a key can be compared with, or undefined when SQL cannot compare it exactly. */
function keyOfScalar(v: unknown): SqlValue | undefined {
	if (v === null) return NULL_KEY;
	if (typeof v === 'string') return v;
	if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
	if (typeof v === 'boolean') return v ? TRUE_KEY : FALSE_KEY;
	if (v instanceof Date) return indexableDate(v) ? dateKey(v) : undefined;
	return undefined;
}

function indexableDate(d: Date): boolean {
	const y = d.getUTCFullYear();
	return y >= 0 && y <= 9999;
}

/** The value at a dotted path, and whether an array stood on the way. */
function walk(doc: unknown, field: string): { value: unknown; array: boolean } {
	let cur: unknown = doc;
	for (const part of field.split('.')) {
		if (Array.isArray(cur)) return { value: undefined, array: true };
		if (cur === null || typeof cur !== 'object' || cur instanceof Date)
			return { value: undefined, array: false };
		cur = (cur as Record<string, unknown>)[part];
	}
	return { value: cur, array: Array.isArray(cur) };
}

/** The value at a dotted path (undefined past a scalar or an array). */
export function valueAt(doc: unknown, field: string): unknown {
	return walk(doc, field).value;
}

/**
 * Refuses a document whose indexed field holds what an index key cannot (see the header),
 * naming the collection and field.
 */
export function checkIndexedField(collection: string, doc: unknown, field: string): void {
	const { value, array } = walk(doc, field);
	const refuse = (what: string) => {
		throw new TypeError(`${collection}.${field} is indexed and cannot hold ${what}`);
	};
	if (array) refuse('an array');
	if (value === undefined || value === null) return;
	if (value instanceof Date) {
		if (!indexableDate(value)) refuse('a date outside the years 0–9999');
		return;
	}
	if (typeof value === 'number' && !Number.isFinite(value)) refuse(String(value));
	if (typeof value === 'object') refuse('an object');
}

/** A document's key for one field, as SQLite computes it (used to name a violated unique index). */
export function keyOf(doc: unknown, field: string, sparse: boolean): SqlValue {
	const { value } = walk(doc, field);
	if (value === undefined) return sparse ? null : NULL_KEY;
	return keyOfScalar(value) ?? null;
}

/** Where SQL finds a field's key: its generated column and whether that column is sparse. */
export interface KeyColumn {
	sql: string;
	sparse: boolean;
}

export interface SqlFilter {
	/** SQL condition (`1` when nothing could be pushed). */
	where: string;
	params: SqlValue[];
	/** True when the condition selects exactly what the filter matches. */
	exact: boolean;
}

const RANGE_OPS: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/** The range of keys a bound's type occupies, so `a < 5` keeps to numbers as MongoDB does. */
function bracket(col: string, bound: SqlValue): string | null {
	if (typeof bound === 'number') return bound === NULL_KEY ? null : `${col} > ${NULL_SQL} AND ${col} < ''`;
	if (typeof bound === 'string') return `${col} >= '' AND ${col} < X''`;
	if (Buffer.isBuffer(bound) && bound[0] === DATE_TAG) return `${col} >= X'03' AND ${col} < X'04'`;
	return null;
}

function isOperatorObject(v: unknown): v is Record<string, unknown> {
	if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date || v instanceof RegExp) {
		return false;
	}
	const keys = Object.keys(v);
	return keys.length > 0 && keys[0].startsWith('$');
}

/** SQL for one field's condition, or null when SQLite cannot answer it exactly. */
function fieldCondition(col: string, cond: unknown, nullable: boolean, params: SqlValue[]): string | null {
	const equal = (v: unknown): string | null => {
		const key = keyOfScalar(v);
		if (key === undefined || (key === NULL_KEY && !nullable)) return null;
		params.push(key);
		return `${col} = ?`;
	};
	if (!isOperatorObject(cond)) return equal(cond);
	const ops = Object.keys(cond);
	if (ops.length === 1 && ops[0] === '$eq') return equal(cond.$eq);
	if (ops.length === 1 && ops[0] === '$in') {
		const values = cond.$in;
		if (!Array.isArray(values)) return null;
		if (values.length === 0) return '0';
		const keys = values.map(keyOfScalar);
		if (keys.some((k) => k === undefined || (k === NULL_KEY && !nullable))) return null;
		params.push(...(keys as SqlValue[]));
		return `${col} IN (${keys.map(() => '?').join(', ')})`;
	}
	if (!ops.every((op) => op in RANGE_OPS)) return null;
	const bounds = ops.map((op) => keyOfScalar(cond[op]));
	const first = bounds[0];
	const range = first === undefined ? null : bracket(col, first);
	if (range === null) return null;
	// Bounds of different types match nothing in MongoDB; leave that odd case to mingo.
	if (!bounds.every((b) => b !== undefined && bracket(col, b) === range)) return null;
	const terms = ops.map((op) => `${col} ${RANGE_OPS[op]} ?`);
	params.push(...(bounds as SqlValue[]));
	return `${terms.join(' AND ')} AND ${range}`;
}

/** `_id` is a TEXT column holding only strings: conditions on strings are exact. */
function idCondition(cond: unknown, params: SqlValue[]): string | null {
	if (typeof cond === 'string') {
		params.push(cond);
		return 'id = ?';
	}
	if (!isOperatorObject(cond)) return null;
	const ops = Object.keys(cond);
	if (ops.length === 1 && ops[0] === '$eq' && typeof cond.$eq === 'string') {
		params.push(cond.$eq);
		return 'id = ?';
	}
	if (ops.length === 1 && ops[0] === '$in' && Array.isArray(cond.$in)) {
		const ids = cond.$in as unknown[];
		if (!ids.every((x): x is string => typeof x === 'string')) return null;
		if (ids.length === 0) return '0';
		params.push(...ids);
		return `id IN (${ids.map(() => '?').join(', ')})`;
	}
	if (ops.every((op) => op in RANGE_OPS && typeof cond[op] === 'string')) {
		params.push(...ops.map((op) => cond[op] as string));
		return ops.map((op) => `id ${RANGE_OPS[op]} ?`).join(' AND ');
	}
	return null;
}

/** The part of `filter` SQLite answers through `_id` and the key columns. */
export function sqlFilter(
	filter: Record<string, unknown>,
	columns: ReadonlyMap<string, KeyColumn>
): SqlFilter {
	const terms: string[] = [];
	const params: SqlValue[] = [];
	let exact = true;
	for (const [field, cond] of Object.entries(filter)) {
		let term: string | null = null;
		if (field === '_id') term = idCondition(cond, params);
		else {
			const col = columns.get(field);
			if (col) term = fieldCondition(col.sql, cond, !col.sparse, params);
		}
		if (term === null) exact = false;
		else terms.push(`(${term})`);
	}
	return { where: terms.length ? terms.join(' AND ') : '1', params, exact };
}

/**
 * ORDER BY for a sort on `_id` and non-sparse key columns (whose order is MongoDB's), ties in
 * natural order; null when a field has no such column.
 */
export function sqlOrder(
	sort: Record<string, 1 | -1>,
	columns: ReadonlyMap<string, KeyColumn>
): string | null {
	const parts: string[] = [];
	for (const [field, dir] of Object.entries(sort)) {
		const col = field === '_id' ? 'id' : columns.get(field);
		if (!col || (typeof col !== 'string' && col.sparse)) return null;
		parts.push(`${typeof col === 'string' ? col : col.sql} ${dir === -1 ? 'DESC' : 'ASC'}`);
	}
	parts.push('seq ASC');
	return parts.join(', ');
}
