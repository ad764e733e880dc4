/**
 * Worked examples: every expected point below is computed by hand from the rubric's bands and the
 * 2025 reference values (comments show the arithmetic), never by calling the engine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, compileRubric, computeK, ladderIndex, roundTo, scoreResponse } from './score';
import type { ReferenceValues, Rubric, ScoreResult } from './types';

const read = <T>(p: string): T => JSON.parse(readFileSync(join(process.cwd(), p), 'utf8')) as T;
const rubricOf = (s: string) => read<Rubric>(`surveys/${s}/2025.1/rubric.json`);
const refsOf = (s: string, y = 2025) => read<ReferenceValues>(`surveys/${s}/reference-values/${y}.json`);

const IDS = [
	'T1',
	'T2',
	'T3',
	'T4',
	'T5',
	'T6',
	'T7',
	'E8',
	'E9',
	'E10',
	'E11',
	'E12',
	'O13',
	'O14',
	'O15',
	'O16',
	'O17',
	'R18',
	'R19',
	'R20',
	'R21',
	'R22',
	'I23',
	'I24',
	'I25',
	'I26'
];

/** Hand calculation of K = Π (g/max)^(max/100), written out. */
const kByHand = (T: number, E: number, O: number, R: number, I: number) =>
	T === 0 || E === 0 || O === 0 || R === 0 || I === 0
		? 0
		: Math.pow(T / 30, 0.3) *
			Math.pow(E / 20, 0.2) *
			Math.pow(O / 19, 0.19) *
			Math.pow(R / 17, 0.17) *
			Math.pow(I / 14, 0.14);

type A = Record<string, unknown>;
const ladders = (fns: string[], used: number[][], most: Array<number | undefined>): A => {
	const a: A = {};
	fns.forEach((f, i) => {
		a[`ladder_${f}_used`] = used[i];
		if (most[i] !== undefined) a[`ladder_${f}_most`] = most[i];
	});
	return a;
};

/** A weak enterprise; numbers that feed ratios are given per sector. */
const low = (x: A): A => ({
	t1_equipment_age: 22, // >= 20 → 0
	t2_equipment_origin: 'domestic', // 1.5
	t7_line_integration: 'separate', // 0
	e9_capacity_utilisation_pct: 50, // [40,60) → 1
	e10_defect_rate_pct: 12, // >= 10 → 0
	e11_efficiency_practices: ['none'], // 0
	e12_on_time_delivery_pct: 60, // < 70 → 0
	o13_certifications: ['none'], // 0
	o14_management_software: 'paper', // 0
	o17_practices: { kpi: 'no', maintenance: 'no', lean: 'no' }, // 0
	r18_has_rd_unit: false, // iif → 0 (r18_rd_staff hidden)
	r19_rd_spending_bn: 0, // 0% → 0
	r20_design_capability: 'customer', // 0
	r21_cooperation: ['none'], // 0
	r22_tech_mastery: 2, // 0.75
	i23_new_products: 0, // 0; i24 hidden → iif → 0
	i25_has_ip: false, // 0
	i26_digital_tools: ['online_sales'], // 0.5
	...x
});

/** A middle enterprise. */
const middle = (x: A): A => ({
	t1_equipment_age: 8, // [6,10) → 3
	t2_equipment_origin: 'china', // 2
	t7_line_integration: 'partly_linked', // 1
	e9_capacity_utilisation_pct: 80, // [75,90) → 3
	e10_defect_rate_pct: 3, // [2,5) → 2
	e11_efficiency_practices: ['energy_per_unit', 'material_yield'], // 1 + 1 = 2
	e12_on_time_delivery_pct: 90, // [85,95) → 2
	o14_management_software: 'separate', // 2
	o16_training_hours: 10, // [8,16) → 2
	o17_practices: { kpi: 'yes', maintenance: 'partly', lean: 'no' }, // 1 + 0.5 + 0 = 1.5
	r18_has_rd_unit: true,
	r20_design_capability: 'adapt', // 1
	r21_cooperation: ['university'], // 1
	r22_tech_mastery: 3, // 1.5
	i23_new_products: 3, // [2,4) → 2
	i24_new_product_revenue_pct: 15, // [10,20) → 2
	i25_has_ip: true,
	i25_ip: { patents: 0, utility_solutions: 0, industrial_designs: 1, trademarks: 2 }, // 0.5·1 + 0.25·2 = 1
	i26_digital_tools: ['cloud', 'cad_cam'], // 0.5 + 0.75 = 1.25
	...x
});

/** A strong enterprise. */
const high = (x: A): A => ({
	t1_equipment_age: 2, // [0,3) → 5
	t2_equipment_origin: 'developed', // 4
	t7_line_integration: 'integrated', // 3
	e9_capacity_utilisation_pct: 95, // >= 90 → 4
	e10_defect_rate_pct: 0.5, // [0,1) → 4
	e11_efficiency_practices: ['energy_per_unit', 'material_yield', 'energy_audit', 'recovery', 'targets'], // 5, cap 4
	e12_on_time_delivery_pct: 98, // >= 95 → 3
	o14_management_software: 'erp_mes', // 4
	o16_training_hours: 40, // >= 16 → 3
	o17_practices: { kpi: 'yes', maintenance: 'yes', lean: 'yes' }, // 3
	r18_has_rd_unit: true,
	r20_design_capability: 'own_ip', // 3
	r21_cooperation: ['university', 'institute', 'foreign_partner', 'customer_supplier'], // 4, cap 3
	i23_new_products: 10, // >= 8 → 4
	i24_new_product_revenue_pct: 40, // >= 35 → 4
	i25_has_ip: true,
	i25_ip: { patents: 2, utility_solutions: 1, industrial_designs: 0, trademarks: 3 }, // 3 + 1 + 0 + 0.75 = 4.75, min 3
	i26_digital_tools: ['online_sales', 'cloud', 'cad_cam', 'iot', 'analytics', 'cybersecurity'], // 4, cap 3
	...x
});

interface Example {
	name: string;
	answers: A;
	points: number[];
	groups: { T: number; E: number; O: number; R: number; I: number };
	total: number;
	level: string;
	priorities: string[];
	ladders?: { EXT: number; INT: number; gap: number };
}

const MECH_FNS = ['design', 'machining', 'welding', 'surface_finishing', 'quality_control'];
const FOOD_FNS = ['input_testing', 'processing', 'preservation', 'packaging', 'production_planning'];
const TEX_FNS = ['design', 'cutting', 'sewing', 'finishing', 'production_planning'];

const EXAMPLES: Record<string, Example[]> = {
	// mechanical 2025 norms: equipment 420 mn/employee, automation 32 %, energy 6 %, revenue 1600 mn/employee
	mechanical: [
		{
			name: 'low: 20-person private workshop',
			answers: low({
				profile_employees: 20,
				profile_revenue_bn: 8, // 400 mn/employee ÷ 1600 = 0.25 → E8 0
				profile_equipment_value_bn: 2, // 100 mn/employee ÷ 420 = 0.238 → T4 0
				t3_equipment_investment_bn: 0.05, // 0.05 ÷ 2 = 2.5 % → T3 0
				t5_automated_share_pct: 5, // 5 ÷ 32 = 0.156 → T5 0
				t6_energy_cost_pct: 10, // 10 ÷ 6 = 1.67 → T6 0
				o15_engineers: 1, // 1 ÷ 20 = 5 % → O15 2
				o16_training_hours: 2, // → O16 0
				...ladders(MECH_FNS, [[1], [1, 2], [1], [1, 2], [1]], [undefined, 1, 1, 2, 1])
			}),
			points: [0, 1.5, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0.75, 0, 0, 0, 0.5],
			groups: { T: 1.5, E: 1, O: 2, R: 0.75, I: 0.5 },
			total: 5.75,
			level: 'lac-hau',
			// stakes of 5 in criterion order: T1, T3, T4, E8, O13
			priorities: ['T1', 'T3', 'T4', 'E8', 'O13'],
			// EXT 1,2,1,2,1 → 1.4; INT 1 (single tick),1,1,2,1 → 1.2; gaps 0,1,0,0,0 → 0.2
			ladders: { EXT: 1.4, INT: 1.2, gap: 0.2 }
		},
		{
			name: 'middle: 100-person private manufacturer',
			answers: middle({
				profile_employees: 100,
				profile_revenue_bn: 160, // 1600 ÷ 1600 = 1.0 → E8 3
				profile_equipment_value_bn: 42, // 420 ÷ 420 = 1.0 → T4 3
				t3_equipment_investment_bn: 8.4, // 8.4 ÷ 42 = 20 % → T3 2
				t5_automated_share_pct: 32, // 1.0 → T5 3
				t6_energy_cost_pct: 6, // 1.0 → T6 2
				o13_certifications: ['iso9001'], // 2
				o15_engineers: 8, // 8 % → 2
				r18_rd_staff: 1.5, // 1.5 % → 2
				r19_rd_spending_bn: 0.8, // 0.8 ÷ 160 = 0.5 % → 2
				...ladders(MECH_FNS, Array(5).fill([1, 2, 3]), Array(5).fill(2))
			}),
			points: [3, 2, 2, 3, 3, 2, 1, 3, 3, 2, 2, 2, 2, 2, 2, 2, 1.5, 2, 2, 1, 1, 1.5, 2, 2, 1, 1.25],
			groups: { T: 16, E: 12, O: 9.5, R: 7.5, I: 6.25 },
			total: 51.25,
			level: 'trung-binh-tien-tien',
			// below half of max: T3 2/5 and O13 2/5 (stake 3), then T7, R20, R21, I25 1/3 (stake 2), I26 1.25/3;
			// limit 5 keeps the first five in stake order, ties in criterion order
			priorities: ['T3', 'O13', 'T7', 'R20', 'R21'],
			ladders: { EXT: 3, INT: 2, gap: 1 }
		},
		{
			name: 'high: 500-person FDI plant',
			answers: high({
				profile_employees: 500,
				profile_revenue_bn: 2000, // 4000 ÷ 1600 = 2.5 → E8 5
				profile_equipment_value_bn: 500, // 1000 ÷ 420 = 2.38 → T4 5
				t3_equipment_investment_bn: 450, // 90 % → T3 5
				t5_automated_share_pct: 70, // 70 ÷ 32 = 2.19 → T5 4
				t6_energy_cost_pct: 3, // 3 ÷ 6 = 0.5 → T6 4
				o13_certifications: ['iso9001', 'iso14001', 'iso45001', 'iso50001', 'iatf16949', 'iso3834'], // 7, cap 5
				o15_engineers: 120, // 24 % → 4
				r18_rd_staff: 30, // 6 % → 4
				r19_rd_spending_bn: 50, // 2.5 % → 4
				r22_tech_mastery: 4, // 2.25
				...ladders(MECH_FNS, Array(5).fill([3, 4, 5]), Array(5).fill(4))
			}),
			points: [5, 4, 5, 5, 4, 4, 3, 5, 4, 4, 4, 3, 5, 4, 4, 3, 3, 4, 4, 3, 3, 2.25, 4, 4, 3, 3],
			groups: { T: 30, E: 20, O: 19, R: 16.25, I: 14 },
			total: 99.25,
			level: 'hien-dai',
			priorities: [],
			ladders: { EXT: 5, INT: 4, gap: 1 }
		}
	],
	// food 2025 norms: equipment 365, automation 37 %, energy 8 %, revenue 2650
	food: [
		{
			name: 'low: 10-person family processor (group O at 0 → K = 0)',
			answers: low({
				profile_employees: 10,
				profile_revenue_bn: 5, // 500 ÷ 2650 = 0.19 → E8 0
				profile_equipment_value_bn: 1, // 100 ÷ 365 = 0.27 → T4 1
				t3_equipment_investment_bn: 0.05, // 5 % → T3 1
				t5_automated_share_pct: 10, // 10 ÷ 37 = 0.27 → T5 1
				t6_energy_cost_pct: 12, // 12 ÷ 8 = 1.5 → T6 0
				o15_engineers: 0, // 0 % → 0
				o16_training_hours: 0, // 0
				...ladders(FOOD_FNS, [[1], [1], [1, 2], [1], [1]], [1, 1, 1, 1, 1])
			}),
			points: [0, 1.5, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.75, 0, 0, 0, 0.5],
			groups: { T: 4.5, E: 1, O: 0, R: 0.75, I: 0.5 },
			total: 6.75,
			level: 'lac-hau',
			// stakes 5: T1, E8, O13; then 4: T3, T4
			priorities: ['T1', 'E8', 'O13', 'T3', 'T4'],
			ladders: { EXT: 1.2, INT: 1, gap: 0.2 }
		},
		{
			name: 'middle: 200-person private processor',
			answers: middle({
				profile_employees: 200,
				profile_revenue_bn: 530, // 2650 → 1.0 → 3
				profile_equipment_value_bn: 73, // 365 → 1.0 → 3
				t3_equipment_investment_bn: 14.6, // 20 % → 2
				t5_automated_share_pct: 37, // 1.0 → 3
				t6_energy_cost_pct: 8, // 1.0 → 2
				o13_certifications: ['haccp'], // 1
				o15_engineers: 16, // 8 % → 2
				r18_rd_staff: 3, // 1.5 % → 2
				r19_rd_spending_bn: 2.65, // 0.5 % → 2
				...ladders(FOOD_FNS, Array(5).fill([2, 3]), Array(5).fill(3))
			}),
			points: [3, 2, 2, 3, 3, 2, 1, 3, 3, 2, 2, 2, 1, 2, 2, 2, 1.5, 2, 2, 1, 1, 1.5, 2, 2, 1, 1.25],
			groups: { T: 16, E: 12, O: 8.5, R: 7.5, I: 6.25 },
			total: 50.25,
			level: 'trung-binh-tien-tien',
			// O13 1/5 stake 4, T3 2/5 stake 3, then stake 2: T7, R20, R21 (I25, I26 cut by the limit of 5)
			priorities: ['O13', 'T3', 'T7', 'R20', 'R21'],
			ladders: { EXT: 3, INT: 3, gap: 0 }
		},
		{
			name: 'high: 400-person FDI dairy',
			answers: high({
				profile_employees: 400,
				profile_revenue_bn: 1060, // 2650 → 1.0 → E8 3
				profile_equipment_value_bn: 365, // 912.5 ÷ 365 = 2.5 → 5
				t3_equipment_investment_bn: 292, // 80 % → 5
				t5_automated_share_pct: 60, // 1.62 → 4
				t6_energy_cost_pct: 4, // 0.5 → 4
				o13_certifications: ['iso9001', 'iso22000', 'haccp', 'iso14001'], // 2+1+1+1 = 5
				o15_engineers: 60, // 15 % → 3
				r18_rd_staff: 10, // 2.5 % → 3
				r19_rd_spending_bn: 21.2, // 2 % → 4
				r22_tech_mastery: 5, // 3
				...ladders(FOOD_FNS, Array(5).fill([4, 5]), Array(5).fill(5))
			}),
			points: [5, 4, 5, 5, 4, 4, 3, 3, 4, 4, 4, 3, 5, 4, 3, 3, 3, 3, 4, 3, 3, 3, 4, 4, 3, 3],
			groups: { T: 30, E: 18, O: 18, R: 16, I: 14 },
			total: 96,
			level: 'hien-dai',
			priorities: [],
			ladders: { EXT: 5, INT: 5, gap: 0 }
		}
	],
	// textiles 2025 norms: equipment 125, automation 17 %, energy 7 %, revenue 640
	textiles: [
		{
			name: 'low: 50-person garment workshop',
			answers: low({
				profile_employees: 50,
				profile_revenue_bn: 12, // 240 ÷ 640 = 0.375 → E8 1
				profile_equipment_value_bn: 2.5, // 50 ÷ 125 = 0.4 → T4 1
				t3_equipment_investment_bn: 0, // 0 % → 0
				t5_automated_share_pct: 0, // 0
				t6_energy_cost_pct: 7, // 1.0 → 2
				o15_engineers: 0, // 0
				o16_training_hours: 5, // [4,8) → 1
				...ladders(TEX_FNS, [[1], [1, 2], [2], [1], [1, 2]], [1, 1, 2, 1, 2])
			}),
			points: [0, 1.5, 0, 1, 0, 2, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0.75, 0, 0, 0, 0.5],
			groups: { T: 4.5, E: 2, O: 1, R: 0.75, I: 0.5 },
			total: 8.75,
			level: 'lac-hau',
			// stakes 5: T1, T3, O13; then 4: T4, T5
			priorities: ['T1', 'T3', 'O13', 'T4', 'T5'],
			ladders: { EXT: 1.6, INT: 1.4, gap: 0.2 }
		},
		{
			name: 'middle: 300-person garment exporter',
			answers: middle({
				profile_employees: 300,
				profile_revenue_bn: 192, // 640 → 1.0 → 3
				profile_equipment_value_bn: 37.5, // 125 → 1.0 → 3
				t3_equipment_investment_bn: 7.5, // 20 % → 2
				t5_automated_share_pct: 17, // 1.0 → 3
				t6_energy_cost_pct: 7, // 1.0 → 2
				o13_certifications: ['iso9001', 'social'], // 2 + 1 = 3
				o15_engineers: 24, // 8 % → 2
				r18_rd_staff: 4.5, // 1.5 % → 2
				r19_rd_spending_bn: 0.96, // 0.5 % → 2
				...ladders(TEX_FNS, Array(5).fill([2, 3, 4]), Array(5).fill(3))
			}),
			points: [3, 2, 2, 3, 3, 2, 1, 3, 3, 2, 2, 2, 3, 2, 2, 2, 1.5, 2, 2, 1, 1, 1.5, 2, 2, 1, 1.25],
			groups: { T: 16, E: 12, O: 10.5, R: 7.5, I: 6.25 },
			total: 52.25,
			level: 'trung-binh-tien-tien',
			// T3 2/5 stake 3; O13 3/5 is not below half; then stake 2: T7, R20, R21, I25
			priorities: ['T3', 'T7', 'R20', 'R21', 'I25'],
			ladders: { EXT: 4, INT: 3, gap: 1 }
		},
		{
			name: 'high: 1000-person FDI textile mill',
			answers: high({
				profile_employees: 1000,
				profile_revenue_bn: 1600, // 1600 ÷ 640 = 2.5 → 5
				profile_equipment_value_bn: 300, // 300 ÷ 125 = 2.4 → 5
				t3_equipment_investment_bn: 240, // 80 % → 5
				t5_automated_share_pct: 40, // 2.35 → 4
				t6_energy_cost_pct: 3.5, // 0.5 → 4
				o13_certifications: ['iso9001', 'oekotex', 'social', 'iso14001'], // 5
				o15_engineers: 150, // 15 % → 3
				r18_rd_staff: 25, // 2.5 % → 3
				r19_rd_spending_bn: 16, // 1 % → 3
				r22_tech_mastery: 4, // 2.25
				...ladders(TEX_FNS, Array(5).fill([3, 4, 5]), Array(5).fill(4))
			}),
			points: [5, 4, 5, 5, 4, 4, 3, 5, 4, 4, 4, 3, 5, 4, 3, 3, 3, 3, 3, 3, 3, 2.25, 4, 4, 3, 3],
			groups: { T: 30, E: 20, O: 18, R: 14.25, I: 14 },
			total: 96.25,
			level: 'hien-dai',
			priorities: [],
			ladders: { EXT: 5, INT: 4, gap: 1 }
		}
	]
};

describe('worked examples, criterion by criterion', () => {
	for (const [sector, examples] of Object.entries(EXAMPLES)) {
		const rubric = rubricOf(sector);
		const refs = refsOf(sector);
		for (const ex of examples)
			it(`${sector} ${ex.name}`, () => {
				const r: ScoreResult = scoreResponse(rubric, refs, ex.answers);
				expect(r.rubricVersion).toBe(`${sector}/2025.1`);
				expect(r.criteria.map((c) => [c.id, c.points])).toEqual(IDS.map((id, i) => [id, ex.points[i]]));
				expect(r.criteria.filter((c) => c.missing).map((c) => c.id)).toEqual([]);
				// The hand-made arrays must themselves be consistent with the stated group totals.
				for (const g of ['T', 'E', 'O', 'R', 'I'] as const)
					expect(ex.points.filter((_, i) => IDS[i].startsWith(g)).reduce((a, b) => a + b, 0)).toBeCloseTo(
						ex.groups[g],
						9
					);
				expect(r.groups).toEqual(ex.groups);
				expect(r.total).toBe(ex.total);
				const { T, E, O, R, I } = ex.groups;
				expect(r.K).toBe(Math.round(kByHand(T, E, O, R, I) * 1000) / 1000);
				expect(r.level).toBe(ex.level);
				expect(r.priorities.map((p) => p.criterion)).toEqual(ex.priorities);
				if (ex.ladders)
					expect({ EXT: r.ladders.EXT, INT: r.ladders.INT, gap: r.ladders.gap }).toEqual(ex.ladders);
			});
	}
});

describe('K and classification against hand calculation', () => {
	const rubric = rubricOf('mechanical');

	it('K for the middle mechanical enterprise is 0.509', () => {
		// ln K = 0.30·ln(16/30) + 0.20·ln(12/20) + 0.19·ln(9.5/19) + 0.17·ln(7.5/17) + 0.14·ln(6.25/14)
		//      = −0.18858 − 0.10217 − 0.13170 − 0.13911 − 0.11291 = −0.67447 → K = 0.50943
		expect(computeK(rubric, { T: 16, E: 12, O: 9.5, R: 7.5, I: 6.25 })).toBe(0.509);
	});

	it('a balanced enterprise has K equal to its share of points', () => {
		// every group at 60 % of its maximum → K = 0.6^(0.3+0.2+0.19+0.17+0.14) = 0.6
		expect(classify(rubric, { T: 18, E: 12, O: 11.4, R: 10.2, I: 8.4 })).toEqual({
			total: 60,
			K: 0.6,
			level: 'trung-binh-tien-tien'
		});
	});

	it('any group at 0 gives K = 0 and the lowest level even with a high total', () => {
		expect(classify(rubric, { T: 30, E: 20, O: 19, R: 17, I: 0 })).toEqual({
			total: 86,
			K: 0,
			level: 'lac-hau'
		});
	});

	it('the level needs both the total and K cut-offs', () => {
		// total 70 ≥ 65 (tien-tien) but K: (30/30)^.3·(20/20)^.2·(19/19)^.19·(1/17)^.17·(0/14)… use R = 1, I = 0 → K = 0
		// lopsided but non-zero: T=30,E=20,O=15,R=2,I=3 → total 70; K by hand:
		const K = kByHand(30, 20, 15, 2, 3); // 0.5658…
		const r = classify(rubric, { T: 30, E: 20, O: 15, R: 2, I: 3 });
		expect(r.total).toBe(70);
		expect(r.K).toBe(Math.round(K * 1000) / 1000);
		expect(r.K).toBeLessThan(0.6);
		expect(r.level).toBe('trung-binh-tien-tien');
	});

	it('rejects group scores out of range', () => {
		expect(() => classify(rubric, { T: 31, E: 0, O: 0, R: 0, I: 0 })).toThrow(
			'group T must be a number between 0 and 30, got 31'
		);
		expect(() => classify(rubric, { T: 1, E: -1, O: 0, R: 0, I: 0 })).toThrow('group E');
	});

	it('honours configured K weights', () => {
		const r2 = structuredClone(rubric);
		r2.k.weights = { T: 1, E: 0, O: 0, R: 0, I: 0 };
		expect(computeK(r2, { T: 15, E: 1, O: 1, R: 1, I: 1 })).toBe(0.5);
	});
});

describe('missing answers', () => {
	const rubric = rubricOf('mechanical');
	const refs = refsOf('mechanical');
	const base = EXAMPLES.mechanical[1].answers;

	it('a missing answer scores 0 and is flagged; other criteria are unaffected', () => {
		const a = { ...base };
		delete a.t1_equipment_age;
		delete a.profile_employees; // T4, E8, O15, R18 read it
		const r = scoreResponse(rubric, refs, a);
		const missing = r.criteria.filter((c) => c.missing).map((c) => c.id);
		expect(missing).toEqual(['T1', 'T4', 'E8', 'O15', 'R18']);
		expect(r.criteria.find((c) => c.id === 'T1')?.points).toBe(0);
		expect(r.criteria.find((c) => c.id === 'T2')?.points).toBe(2);
		expect(r.total).toBe(51.25 - 3 - 3 - 3 - 2 - 2);
	});

	it('treats empty strings, empty lists, unknown choices and non-numbers as missing', () => {
		const r = scoreResponse(rubric, refs, {
			...base,
			t1_equipment_age: '',
			t2_equipment_origin: 'mars',
			e11_efficiency_practices: [],
			e9_capacity_utilisation_pct: 'lots'
		});
		const m = new Set(r.criteria.filter((c) => c.missing).map((c) => c.id));
		expect([...m]).toEqual(['T1', 'T2', 'E9', 'E11']);
	});

	it('a question hidden by visibleIf on an untaken branch is not missing', () => {
		const r = scoreResponse(rubric, refs, { ...base, r18_has_rd_unit: false, r18_rd_staff: undefined });
		expect(r.criteria.find((c) => c.id === 'R18')).toMatchObject({ points: 0, missing: false });
		const r2 = scoreResponse(rubric, refs, { ...base, r18_has_rd_unit: true, r18_rd_staff: undefined });
		expect(r2.criteria.find((c) => c.id === 'R18')).toMatchObject({ points: 0, missing: true });
	});

	it('numeric strings from CSV imports are read as numbers', () => {
		const r = scoreResponse(rubric, refs, { ...base, t1_equipment_age: '8' });
		expect(r.criteria[0]).toMatchObject({ points: 3, missing: false });
	});
});

describe('ladders, rounding, reference years', () => {
	it('ladderIndex follows FAT: EXT = max used, INT = most used, gap = EXT − INT', () => {
		expect(ladderIndex([1, 3, 4], 3)).toEqual({ EXT: 4, INT: 3, gap: 1 });
		expect(ladderIndex([2], undefined)).toEqual({ EXT: 2, INT: 2, gap: 0 });
		expect(ladderIndex([2, 3], undefined)).toEqual({ EXT: 3, INT: null, gap: null });
		expect(ladderIndex(undefined, undefined)).toEqual({ EXT: null, INT: null, gap: null });
		expect(ladderIndex([1, 2], 4)).toEqual({ EXT: 4, INT: 4, gap: 0 });
	});

	it('rounds half up to the configured decimals', () => {
		expect(roundTo(1.005, 2)).toBe(1.01);
		expect(roundTo(0.50943, 3)).toBe(0.509);
		expect(roundTo(2.675, 2)).toBe(2.68);
	});

	it('scores against the reference values passed in (2024 norms differ from 2025)', () => {
		const rubric = rubricOf('mechanical');
		// revenue 1520 mn/employee: ÷ 1500 (2024) = 1.013 → 3; ÷ 1600 (2025) = 0.95 → 3; ÷ 1700 (2026) = 0.894 → 2
		const a = { ...EXAMPLES.mechanical[1].answers, profile_revenue_bn: 152 };
		const e8 = (y: number) => compileRubric(rubric, refsOf('mechanical', y)).score(a).criteria[7].points;
		expect([e8(2024), e8(2025), e8(2026)]).toEqual([3, 3, 2]);
	});
});
