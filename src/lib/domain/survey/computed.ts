/**
 * Computed (expression) answers are the server's: whatever the client posted for them is replaced
 * by the value survey-core's rules give from the other answers. Submit and import get this from
 * validateForSubmit; drafts (autosave) from `withServerComputed`, which replaces each computed
 * value the client posted and keeps every other answer as posted (a draft may hold answers of
 * questions hidden for now). A matrix's posted total row is replaced by the server's the same way.
 */
import type { CompiledQuestionnaire } from './types';
import { evaluateConditions, matrixTotals } from './validate';

export function withServerComputed(
	compiled: CompiledQuestionnaire,
	data: Record<string, unknown>
): Record<string, unknown> {
	const totals = [...compiled.keys].filter(([k, r]) => r.kind === 'total' && Object.hasOwn(data, k));
	if (totals.length) {
		data = { ...data };
		// A posted total is the client's guess: the draft keeps the server's, from the rows posted.
		for (const [k, role] of totals) {
			const t = matrixTotals(role.question, data[role.question.name]);
			if (t) data[k] = t;
		}
	}
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
