/**
 * The parts of each document a read needs, so that SQLite hands back only those instead of the
 * whole document as JSON text that would be parsed and mostly thrown away (a response's answers,
 * a score's full result).
 *
 * A read that projects (a find with a projection, a pipeline opening with `$project` or `$group`)
 * needs only the fields it names; whatever mingo still evaluates (a filter SQL could not answer
 * exactly, a sort) needs its fields too. The trimmed document keeps those fields exactly as stored
 * and in stored order, and mingo applies the projection or pipeline to it as before: trimming only
 * leaves out what the projection would drop, so results do not change. When a read could depend on
 * a field it does not name (`$$ROOT`, `$getField`, a `$slice` projection, a field name SQL cannot
 * spell) it gets the whole document.
 */
import { isFieldPath } from './keys';

/** Fields to keep (plus `_id`), fields to drop, or null for the whole document. */
export type Needs = { include: string[] } | { exclude: string[] } | null;

/** Operators whose field names are not `$`-prefixed strings, or that read the whole document. */
const OPAQUE = new Set([
	'$getField',
	'$setField',
	'$unsetField',
	'$top',
	'$topN',
	'$bottom',
	'$bottomN',
	'$function',
	'$accumulator',
	'$where',
	'$meta'
]);

/** Field paths an aggregation expression reads (`'$a.b'` → `a.b`), or null when it may read any. */
function expressionFields(expr: unknown, out: string[]): boolean {
	if (typeof expr === 'string') {
		if (!expr.startsWith('$')) return true;
		if (expr.startsWith('$$')) return !/^\$\$(ROOT|CURRENT)\b/.test(expr);
		const path = expr.slice(1);
		if (!isFieldPath(path)) return false;
		out.push(path);
		return true;
	}
	if (Array.isArray(expr)) return expr.every((e) => expressionFields(e, out));
	if (expr === null || typeof expr !== 'object' || expr instanceof Date || expr instanceof RegExp)
		return true;
	for (const [k, v] of Object.entries(expr)) {
		if (OPAQUE.has(k)) return false;
		if (!expressionFields(v, out)) return false;
	}
	return true;
}

/** What a projection (find's, or a `$project` stage) needs. */
export function projectionNeeds(projection: Record<string, unknown>): Needs {
	const include: string[] = [];
	const exclude: string[] = [];
	let computed = false;
	for (const [field, spec] of Object.entries(projection)) {
		if (!isFieldPath(field)) return null;
		if (typeof spec === 'number' || typeof spec === 'boolean') {
			if (spec) include.push(field);
			else if (field !== '_id') exclude.push(field);
			continue;
		}
		if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
			// A literal string or a `$path` computes the field from what it names.
			if (typeof spec !== 'string') return null;
		} else {
			const keys = Object.keys(spec);
			// `$slice`/`$elemMatch` keep the other fields; a nested projection is left to mingo.
			if (!keys.length || !keys[0].startsWith('$') || keys.some((k) => ['$slice', '$elemMatch'].includes(k)))
				return null;
		}
		if (!expressionFields(spec, include)) return null;
		computed = true;
	}
	if (include.length || computed) return { include };
	return exclude.length ? { exclude } : null;
}

/** What the first stage of a pipeline after its `$match` needs (a `$project`, `$group` or `$count`). */
export function stageNeeds(stage: Record<string, unknown> | undefined): Needs {
	if (!stage) return null;
	if ('$project' in stage) {
		const p = stage.$project;
		return p && typeof p === 'object' && !Array.isArray(p)
			? projectionNeeds(p as Record<string, unknown>)
			: null;
	}
	if ('$count' in stage) return { include: [] };
	if ('$group' in stage) {
		const include: string[] = [];
		return expressionFields(stage.$group, include) ? { include } : null;
	}
	return null;
}

/** Fields a query filter reads, or null when it may read any (`$expr`, `$where`, ...). */
export function filterFields(filter: Record<string, unknown>): string[] | null {
	const out: string[] = [];
	for (const [field, cond] of Object.entries(filter)) {
		if (field === '$and' || field === '$or' || field === '$nor') {
			if (!Array.isArray(cond)) return null;
			for (const sub of cond) {
				if (sub === null || typeof sub !== 'object') return null;
				const fields = filterFields(sub as Record<string, unknown>);
				if (!fields) return null;
				out.push(...fields);
			}
		} else if (isFieldPath(field)) out.push(field);
		else return null;
	}
	return out;
}

/** `needs` widened by the fields something else still reads (`extra` null: anything). */
export function widen(needs: Needs, extra: string[] | null): Needs {
	if (!needs || !extra) return null;
	if ('include' in needs) return { include: [...needs.include, ...extra] };
	const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
	return { exclude: needs.exclude.filter((x) => !extra.some((f) => related(x, f))) };
}

interface PathTree {
	/** The whole value at this path is needed. */
	whole: boolean;
	children: Map<string, PathTree>;
}

function pathTree(paths: string[]): PathTree {
	const root: PathTree = { whole: false, children: new Map() };
	for (const path of paths) {
		let node = root;
		for (const part of path.split('.')) {
			if (node.whole) break;
			let child = node.children.get(part);
			if (!child) node.children.set(part, (child = { whole: false, children: new Map() }));
			node = child;
		}
		node.whole = true;
		node.children.clear();
	}
	return root;
}

/**
 * SQL building the object `src` (JSONB) with only the keys of `node`, in stored order; a key needed in
 * part is trimmed the same way when its value is a plain object. Arrays and the tagged objects of
 * the codec (Dates, bytes: a `$` key) are kept whole, which is always safe.
 */
function objectSql(src: string, node: PathTree, depth: number): string {
	const e = `e${depth}`;
	const value = `${src} -> ${e}.fullkey`;
	// Nested objects are read as JSONB (json_each's text value would be parsed again).
	const inner = `jsonb_extract(${src}, ${e}.fullkey)`;
	const partial = [...node.children].filter(([, child]) => !child.whole);
	const trimmed = partial.map(
		([key, child]) =>
			`WHEN ${e}.key = '${key}' AND ${e}.type = 'object' AND NOT EXISTS (SELECT 1 FROM json_each(${inner}) AS t${depth} WHERE substr(t${depth}.key, 1, 1) = '$') THEN ${objectSql(inner, child, depth + 1)}`
	);
	const keys = [...node.children.keys()].map((k) => `'${k}'`).join(', ');
	const pick = trimmed.length ? `CASE ${trimmed.join(' ')} ELSE ${value} END` : value;
	return `(SELECT json_group_object(${e}.key, ${pick}) FROM json_each(${src}) AS ${e} WHERE ${e}.key IN (${keys}))`;
}

/** SQL giving a row's document as JSON text, trimmed to what `needs` keeps. */
export function documentSql(needs: Needs): string {
	if (!needs) return 'json(doc)';
	if ('exclude' in needs) {
		if (!needs.exclude.length) return 'json(doc)';
		return `json(json_remove(doc, ${needs.exclude.map((f) => `'$.${f}'`).join(', ')}))`;
	}
	return objectSql('doc', pathTree(['_id', ...needs.include]), 0);
}
