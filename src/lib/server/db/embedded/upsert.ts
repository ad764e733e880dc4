/**
 * The document an upsert starts from: MongoDB copies the filter's equality conditions
 * (`field: value`, `field: {$eq: value}`, and those inside a top-level `$and`).
 */
import { roundTrip } from './codec';

export function isOperatorObject(v: unknown): v is Record<string, unknown> {
	if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return false;
	if (v instanceof RegExp || v instanceof Uint8Array) return false;
	const keys = Object.keys(v);
	return keys.length > 0 && keys[0].startsWith('$');
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
				if ('$eq' in v && Object.keys(v).length === 1) setPath(seed, k, roundTrip(v.$eq));
				continue;
			}
			setPath(seed, k, roundTrip(v));
		}
	};
	visit(filter);
	return seed;
}
