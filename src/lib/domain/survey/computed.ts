/**
 * Computed (expression) answers are the server's: whatever the client posted for them is replaced
 * by the value survey-core's rules give from the other answers. Submit and import get this from
 * validateForSubmit; drafts (autosave) from `withServerComputed`, which replaces each computed
 * value the client posted and keeps every other answer as posted (a draft may hold answers of
 * questions hidden for now).
 */
import type { CompiledQuestionnaire } from './types';
import { evaluateConditions } from './validate';

export function withServerComputed(
	compiled: CompiledQuestionnaire,
	data: Record<string, unknown>
): Record<string, unknown> {
	if (compiled.expressions.length === 0) return data;
	const values: Record<string, unknown> = {};
	for (const [key, role] of compiled.keys) {
		if (role.kind !== 'computed' && data[key] !== undefined) values[key] = data[key];
	}
	evaluateConditions(compiled, values);
	const out = { ...data };
	for (const q of compiled.expressions) {
		// Only what the client posted is replaced: a draft does not gain keys it never had.
		if (!Object.hasOwn(data, q.name)) continue;
		const v = values[q.name];
		if (v === undefined || v === null) delete out[q.name];
		else out[q.name] = v;
	}
	return out;
}
