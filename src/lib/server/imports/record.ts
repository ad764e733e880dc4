/** The inverse of `mapRecord`: answers as template cells (tests, examples, exports for correction). */
import type { Template } from '$lib/domain/csv';

export function answersToRecord(
	template: Template,
	answers: Record<string, unknown>
): Record<string, string> {
	const out: Record<string, string> = {};
	for (const c of template.columns) {
		let v = answers[c.dataKey];
		if (c.subKey !== undefined)
			v = v && typeof v === 'object' ? (v as Record<string, unknown>)[c.subKey] : undefined;
		if (v === undefined || v === null) out[c.name] = '';
		else if (Array.isArray(v)) out[c.name] = v.map(String).join('|');
		else out[c.name] = String(v);
	}
	return out;
}
