/**
 * Helpers for the equipment-list tests (not used by the application): a sector's 2025.1
 * questionnaire and rubric with the equipment list added the way version 2026.1 adds it (the list
 * first on the equipment page, the four single questions asked only without a list, T1/T2/T3/T5
 * read from the list with the 2025.1 mapping as fallback).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Mapping, ReferenceValues, Rubric, SingleMapping } from './types';

const read = <T>(p: string): T => JSON.parse(readFileSync(join(process.cwd(), p), 'utf8')) as T;

export const LIST = 'equipment_list';
export const COLUMNS = {
	value: 'value_bn',
	yearMade: 'year_made',
	yearInUse: 'year_in_use',
	origin: 'origin',
	automation: 'automation',
	residual: 'residual_pct'
} as const;

type Json = Record<string, unknown>;

export function withEquipmentList(sector: string): {
	questionnaire: Json;
	rubric: Rubric;
	refs: (year: number) => ReferenceValues;
	base: { questionnaire: Json; rubric: Rubric };
} {
	const questionnaire = read<Json>(`surveys/${sector}/2025.1/questionnaire.json`);
	const rubric = read<Rubric>(`surveys/${sector}/2025.1/rubric.json`);
	const base = {
		questionnaire: structuredClone(questionnaire),
		rubric: structuredClone(rubric)
	};
	const list = read<Json>('tests/fixtures/equipment/list-question.json');
	const page = (questionnaire.pages as Json[]).find((p) => p.name === 'page_equipment')!;
	const elements = page.elements as Json[];
	for (const el of elements)
		if (
			[
				't1_equipment_age',
				't2_equipment_origin',
				't3_equipment_investment_bn',
				't5_automated_share_pct'
			].includes(el.name as string)
		)
			el.visibleIf = `{${LIST}} empty`;
	elements.unshift(list);
	rubric.version = '2026.1';
	rubric.sharedQuestions = [...(rubric.sharedQuestions ?? []), LIST];
	const columns = (...roles: (keyof typeof COLUMNS)[]) =>
		Object.fromEntries(roles.map((r) => [r, COLUMNS[r]]));
	for (const c of rubric.criteria) {
		const m = c.mapping as SingleMapping;
		let next: Mapping | null = null;
		if (c.id === 'T1' && m.kind === 'bands')
			next = {
				kind: 'equipment',
				question: LIST,
				aggregate: 'mean-age',
				columns: columns('value', 'yearMade'),
				bands: m.bands,
				fallback: structuredClone(m)
			};
		else if (c.id === 'T2' && m.kind === 'choice')
			next = {
				kind: 'equipment',
				question: LIST,
				aggregate: 'origin',
				columns: columns('value', 'origin'),
				points: m.points,
				fallback: structuredClone(m)
			};
		else if (c.id === 'T3' && m.kind === 'formula')
			next = {
				kind: 'equipment',
				question: LIST,
				aggregate: 'renewal',
				years: 3,
				columns: columns('value', 'yearInUse'),
				bands: m.bands,
				fallback: structuredClone(m)
			};
		else if (c.id === 'T5' && m.kind === 'ratio')
			next = {
				kind: 'equipment',
				question: LIST,
				aggregate: 'automated-share',
				columns: columns('value', 'automation'),
				automated: ['semi_automatic', 'automatic', 'cnc_robot'],
				reference: m.reference,
				bands: m.bands,
				fallback: structuredClone(m)
			};
		if (next) c.mapping = next;
	}
	return {
		questionnaire,
		rubric,
		refs: (year) => read<ReferenceValues>(`surveys/${sector}/reference-values/${year}.json`),
		base
	};
}

/** The worked example of docs/methodology.md: 10 billion VND of equipment in four rows. */
export const WORKED_EXAMPLE = [
	{
		stage: 'Gia công',
		equipment_type: 'CNC machining centre',
		year_made: 2021,
		year_in_use: 2022,
		origin: 'developed',
		automation: 'cnc_robot',
		value_bn: 6,
		residual_pct: 70
	},
	{
		stage: 'Dập',
		equipment_type: 'Hydraulic press',
		year_made: 2010,
		year_in_use: 2012,
		origin: 'china',
		automation: 'semi_automatic',
		value_bn: 2,
		residual_pct: 35
	},
	{
		stage: 'Hàn',
		equipment_type: 'Welding line',
		year_made: 2024,
		year_in_use: 2025,
		origin: 'domestic',
		automation: 'automatic',
		value_bn: 1.5,
		residual_pct: 90
	},
	{
		stage: 'Gia công',
		equipment_type: 'Lathe',
		year_made: 1998,
		year_in_use: 2005,
		origin: 'other_asia',
		automation: 'manual',
		value_bn: 0.5,
		residual_pct: 5
	}
];
