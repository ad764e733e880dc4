/** Programme form fields → the plain object `validateProgramme` checks (it reports every problem). */
import type { SegmentFilter } from '$lib/domain/targeting';
import { parseAmount, parseObjective, type ShortlistRequest } from './shortlist';
import { PolicyError } from './types';

const list = (s: FormDataEntryValue | null) =>
	String(s ?? '')
		.split(/[,;\s]+/)
		.map((x) => x.trim())
		.filter(Boolean);

export function programmeFromForm(form: FormData): Record<string, unknown> {
	const improves = String(form.get('improves') ?? '')
		.split(/[,;\n]+/)
		.map((x) => x.trim())
		.filter(Boolean)
		.map((tok) => {
			const [criterion, pts] = tok.split(':').map((x) => x.trim());
			const n = pts === undefined ? NaN : Number(pts.replace(',', '.'));
			return { criterion: criterion ?? '', points: Number.isFinite(n) ? n : (pts ?? null) };
		});
	const costRaw = String(form.get('cost') ?? '').replace(/[\s.,_]/g, '');
	const eligibility: Record<string, string[]> = {};
	for (const key of ['sizes', 'ownerships', 'levels', 'sectors'] as const) {
		const v = form.getAll(key).map(String).filter(Boolean);
		if (v.length) eligibility[key] = v;
	}
	const wards = list(form.get('wards'));
	if (wards.length) eligibility.wards = wards;
	const vsic = list(form.get('vsic'));
	if (vsic.length) eligibility.vsic = vsic;
	return {
		id: String(form.get('id') ?? '').trim(),
		name: { vi: String(form.get('nameVi') ?? ''), en: String(form.get('nameEn') ?? '') },
		type: String(form.get('type') ?? ''),
		improves,
		costPerEnterpriseVnd: /^\d+$/.test(costRaw) ? Number(costRaw) : costRaw,
		eligibility: eligibility as SegmentFilter
	};
}

/** The form's improves text for an existing programme. */
export function improvesText(improves: readonly { criterion: string; points: number }[]): string {
	return improves.map((i) => `${i.criterion}:${i.points}`).join(', ');
}

/** Shortlist request from query or form fields: source, programme, mode (budget|slots), amount, objective. */
export function shortlistRequestFrom(get: (name: string) => string | null): ShortlistRequest {
	const mode = get('mode') === 'slots' ? 'slots' : 'budget';
	const amount = parseAmount(get('amount'), mode);
	if (amount === undefined)
		throw new PolicyError(
			mode === 'slots'
				? { vi: 'Nhập số suất hỗ trợ.', en: 'Enter the number of places.' }
				: { vi: 'Nhập ngân sách (VNĐ).', en: 'Enter the budget (VND).' }
		);
	return {
		sourceId: String(get('source') ?? ''),
		programmeId: String(get('programme') ?? ''),
		...(mode === 'slots' ? { slots: amount } : { budgetVnd: amount }),
		objective: parseObjective(get('objective'))
	};
}
