/**
 * Realistic synthetic responses for a sector questionnaire (tests, demo data, benchmarks).
 *
 * Each enterprise gets a latent capability in [0, 1] that rises with size and is higher for
 * foreign-invested (and slightly for state-owned) firms; answers are drawn around it with noise.
 * Some answers are left out (missing), a few are extreme but valid (outliers), and questions hidden
 * by `visibleIf` are never answered (evaluated with survey-core's own ConditionRunner). Every answer
 * is valid for the questionnaire: choices from the list, numbers within min/max and validators.
 */
import { ConditionRunner } from 'survey-core';
import { indexQuestionnaire, isAnswerable, type QuestionInfo } from '../rubric/questionnaire';
import type { ReferenceValues } from '../rubric/types';
import { createRng, type Rng } from './prng';

export type Ownership = 'state' | 'private' | 'fdi';

export interface EnterpriseProfile {
	taxCode: string;
	name: string;
	vsic: string;
	ward: string;
	ownership: Ownership;
	foundedYear: number;
	employees: number;
	revenueBn: number;
	equipmentValueBn: number;
}

export interface SyntheticResponse {
	profile: EnterpriseProfile;
	answers: Record<string, unknown>;
	/** The latent technology capability (0–1) the answers were drawn around. */
	capability: number;
}

export interface GenerateOptions {
	questionnaire: unknown;
	sector: string;
	count: number;
	seed: number | string;
	/** Survey year (founding years stay at or before it). Default 2025. */
	year?: number;
	/** Sector norms to centre ratios on (recommended); sensible defaults otherwise. */
	referenceValues?: ReferenceValues;
	/** Chance that an optional-to-score answer is left out. Default 0.01. */
	missingRate?: number;
	/** Chance that a response carries one extreme (but valid) numeric answer. Default 0.03. */
	outlierRate?: number;
	/**
	 * Answer for these enterprises instead of inventing new ones (a panel followed over years):
	 * `count` is then ignored. Pass each one's capability, drifted by the caller between years.
	 */
	panel?: ReadonlyArray<{ profile: EnterpriseProfile; capability: number }>;
}

const DEFAULT_REFS: Record<string, number> = {
	equipment_per_employee_mn: 300,
	automation_share_pct: 30,
	energy_cost_share_pct: 7,
	revenue_per_employee_mn: 1500
};

/** Questions never left out: identity fields every later step relies on. */
const ALWAYS = new Set([
	'profile_tax_code',
	'profile_name',
	'profile_vsic',
	'profile_ward',
	'profile_ownership',
	'profile_employees',
	'profile_revenue_bn',
	'profile_equipment_value_bn',
	'respondent_name',
	'respondent_email'
]);

/** Numeric questions that may carry an outlier (close to their maximum). */
const OUTLIER_CANDIDATES = [
	't1_equipment_age',
	'e10_defect_rate_pct',
	'o16_training_hours',
	't6_energy_cost_pct',
	'e9_capacity_utilisation_pct',
	'i23_new_products'
];

const NAME_WORDS = [
	'Hồng Hà',
	'Thăng Long',
	'Đông Đô',
	'Sông Đà',
	'Tây Hồ',
	'Hà Thành',
	'Kinh Bắc',
	'Ba Vì',
	'Phú Gia',
	'Minh Phát',
	'An Khang',
	'Việt Tiến',
	'Tân Tiến',
	'Bình Minh',
	'Trường An',
	'Hưng Thịnh'
];
const SECTOR_WORD: Record<string, string> = { mechanical: 'Cơ khí', food: 'Thực phẩm', textiles: 'Dệt may' };
const FORMS: Record<Ownership, string[]> = {
	state: ['Công ty TNHH MTV', 'Tổng công ty'],
	private: ['Công ty TNHH', 'Công ty Cổ phần', 'Doanh nghiệp tư nhân'],
	fdi: ['Công ty TNHH', 'Công ty TNHH Quốc tế']
};
const GIVEN = [
	'An',
	'Bình',
	'Châu',
	'Dũng',
	'Giang',
	'Hà',
	'Hải',
	'Hương',
	'Khánh',
	'Lan',
	'Long',
	'Minh',
	'Nam',
	'Ngọc',
	'Phương',
	'Quân',
	'Thảo',
	'Trang',
	'Tuấn',
	'Việt'
];
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Đức', 'Thu', 'Quang', 'Hồng'];
const POSITIONS = [
	'Giám đốc',
	'Phó giám đốc',
	'Trưởng phòng kỹ thuật',
	'Kế toán trưởng',
	'Trưởng phòng hành chính'
];

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);
const round = (x: number, d = 0) => {
	const f = 10 ** d;
	return Math.round(x * f) / f;
};

const conditions = new Map<string, ConditionRunner>();
function visible(q: QuestionInfo, answers: Record<string, unknown>): boolean {
	if (!q.visibleIf) return true;
	let r = conditions.get(q.visibleIf);
	if (!r) conditions.set(q.visibleIf, (r = new ConditionRunner(q.visibleIf)));
	return r.runValues(answers) === true;
}

function choiceList(q: QuestionInfo): Array<string | number> {
	return (q.choices ?? []).filter((c) => c !== 'none' && c !== 'other');
}

/** Index into an ordered list (worst → best), centred on capability with noise. */
function orderedPick<T>(list: readonly T[], c: number, rng: Rng, spread = 0.18): T {
	const i = Math.round(clamp(c + rng.normal() * spread, 0, 1) * (list.length - 1));
	return list[i];
}

function makeProfile(
	rng: Rng,
	idx: ReturnType<typeof indexQuestionnaire>,
	sector: string,
	year: number,
	refs: Record<string, number>,
	usedTax: Set<string>
): { profile: EnterpriseProfile; c: number } {
	const r = rng.next();
	const ownership: Ownership = r < 0.06 ? 'state' : r < 0.2 ? 'fdi' : 'private';
	const median = ownership === 'private' ? 35 : ownership === 'state' ? 250 : 300;
	const employees = Math.round(
		clamp(median * Math.exp(rng.normal() * (ownership === 'private' ? 1.1 : 0.9)), 1, 20000)
	);
	const c = clamp(
		0.12 +
			0.11 * Math.log10(employees) +
			(ownership === 'fdi' ? 0.2 : ownership === 'state' ? 0.05 : 0) +
			rng.normal() * 0.12,
		0.02,
		0.98
	);
	const revPerEmp = refs.revenue_per_employee_mn * (0.45 + c) * Math.exp(rng.normal() * 0.45);
	const eqPerEmp = refs.equipment_per_employee_mn * (0.3 + 1.4 * c) * Math.exp(rng.normal() * 0.5);
	let taxCode: string;
	do {
		taxCode = '01' + String(rng.int(0, 99_999_999)).padStart(8, '0');
	} while (usedTax.has(taxCode));
	usedTax.add(taxCode);
	const vsicChoices = idx.byName.get('profile_vsic')?.choices ?? ['0000'];
	const wardChoices = idx.byName.get('profile_ward')?.choices ?? ['unknown'];
	const age =
		ownership === 'state' ? rng.int(15, 60) : Math.round(clamp(Math.exp(1.5 + rng.normal() * 0.8), 1, 60));
	return {
		c,
		profile: {
			taxCode,
			name: `${rng.pick(FORMS[ownership])} ${SECTOR_WORD[sector] ?? 'Sản xuất'} ${rng.pick(NAME_WORDS)}`,
			vsic: String(rng.pick(vsicChoices)),
			ward: String(rng.pick(wardChoices)),
			ownership,
			foundedYear: clamp(year - age, 1900, year),
			employees,
			revenueBn: round(clamp((employees * revPerEmp) / 1000, 0, 1_000_000), 2),
			equipmentValueBn: round(clamp((employees * eqPerEmp) / 1000, 0.01, 100_000), 2)
		}
	};
}

export function generateResponses(opts: GenerateOptions): SyntheticResponse[] {
	return [...iterateResponses(opts)];
}

/** The same responses one at a time, for streaming large counts with flat memory. */
export function* iterateResponses(opts: GenerateOptions): Generator<SyntheticResponse> {
	const rng = createRng(`${opts.sector}:${opts.seed}`);
	const idx = indexQuestionnaire(opts.questionnaire);
	const year = opts.year ?? 2025;
	const missingRate = opts.missingRate ?? 0.01;
	const outlierRate = opts.outlierRate ?? 0.03;
	const refs: Record<string, number> = { ...DEFAULT_REFS };
	for (const [k, v] of Object.entries(opts.referenceValues?.values ?? {})) refs[k] = v.value;
	const questions = idx.questions.filter(isAnswerable);
	const usedTax = new Set<string>();
	const total = opts.panel ? opts.panel.length : opts.count;
	for (let n = 0; n < total; n++) {
		const member = opts.panel?.[n];
		const { profile, c } = member
			? { profile: member.profile, c: clamp(member.capability, 0.02, 0.98) }
			: makeProfile(rng, idx, opts.sector, year, refs, usedTax);
		const outlier = rng.next() < outlierRate ? rng.pick(OUTLIER_CANDIDATES) : null;
		const answers: Record<string, unknown> = {};
		for (const q of questions) {
			if (!visible(q, answers)) continue;
			if (!ALWAYS.has(q.name) && rng.next() < missingRate) continue;
			const v =
				q.type === 'matrixdynamic'
					? equipmentList(q, opts.sector, year, profile, c, rng)
					: q.name === outlier
						? outlierValue(q, rng)
						: answer(q, answers, profile, c, refs, rng, n);
			if (v !== undefined) answers[q.name] = v;
		}
		yield { profile, answers, capability: c };
	}
}

const STAGES: Record<string, string[]> = {
	mechanical: ['Gia công cắt gọt', 'Dập', 'Hàn', 'Sơn phủ', 'Lắp ráp'],
	food: ['Sơ chế', 'Chế biến', 'Tiệt trùng', 'Đóng gói', 'Bảo quản lạnh'],
	textiles: ['Cắt', 'May', 'Hoàn thiện', 'Là, ép', 'Đóng gói']
};
const MACHINES: Record<string, string[]> = {
	mechanical: ['Máy tiện', 'Trung tâm gia công CNC', 'Máy dập thủy lực', 'Robot hàn', 'Buồng sơn tĩnh điện'],
	food: ['Máy rửa', 'Nồi nấu', 'Máy tiệt trùng UHT', 'Máy chiết rót', 'Kho lạnh'],
	textiles: ['Máy cắt vải tự động', 'Máy may 1 kim', 'Máy may lập trình', 'Máy là hơi', 'Máy đóng gói']
};
/** The list columns' choices, worst → best. */
const ORIGINS = ['unknown', 'domestic', 'china', 'other_asia', 'developed'];
const AUTOMATION = ['manual', 'mechanised', 'semi_automatic', 'automatic', 'cnc_robot'];

/**
 * An equipment list for about six enterprises in ten (the others answer the single questions):
 * 2–8 machines sharing the enterprise's equipment value, younger, better-origin and more automated
 * with capability, none made or put in use after the assessment year. Only a list whose columns
 * are the ones shipped questionnaires use is filled; any other list is left unanswered.
 */
function equipmentList(
	q: QuestionInfo,
	sector: string,
	year: number,
	p: EnterpriseProfile,
	c: number,
	rng: Rng
): Array<Record<string, unknown>> | undefined {
	const names = new Set(q.columns?.map(String));
	const needed = [
		'stage',
		'equipment_type',
		'year_made',
		'year_in_use',
		'origin',
		'automation',
		'value_bn',
		'residual_pct'
	];
	if (!needed.every((n) => names.has(n)) || rng.next() >= 0.6) return undefined;
	const count = Math.round(clamp(2 + Math.log10(Math.max(1, p.employees)) * 2 + rng.normal(), 2, 8));
	const weights = Array.from({ length: count }, () => Math.exp(rng.normal() * 0.8));
	const sum = weights.reduce((a, b) => a + b, 0);
	const meanAge = clamp(22 - 18 * c + rng.normal() * 3, 1, 40);
	return weights.map((w) => {
		const age = Math.round(clamp(meanAge * Math.exp(rng.normal() * 0.5), 0, 60));
		const made = year - age;
		const inUse = Math.min(year, made + rng.int(0, 2));
		return {
			stage: rng.pick(STAGES[sector] ?? STAGES.mechanical),
			equipment_type: rng.pick(MACHINES[sector] ?? MACHINES.mechanical),
			year_made: made,
			year_in_use: inUse,
			origin: orderedPick(ORIGINS, c, rng, 0.25),
			automation: orderedPick(AUTOMATION, c, rng, 0.25),
			value_bn: Math.max(0.001, round((p.equipmentValueBn * w) / sum, 3)),
			residual_pct: round(clamp(100 - 4.5 * (year - inUse) + rng.normal() * 8, 0, 100))
		};
	});
}

function outlierValue(q: QuestionInfo, rng: Rng): number {
	const max = q.max ?? 100;
	return round(max * (0.85 + 0.15 * rng.next()));
}

function answer(
	q: QuestionInfo,
	a: Record<string, unknown>,
	p: EnterpriseProfile,
	c: number,
	refs: Record<string, number>,
	rng: Rng,
	n: number
): unknown {
	const noise = (s: number) => Math.exp(rng.normal() * s);
	const inRange = (x: number, d = 0) => round(clamp(x, q.min ?? 0, q.max ?? Number.MAX_SAFE_INTEGER), d);
	switch (q.name) {
		case 'profile_tax_code':
			return p.taxCode;
		case 'profile_name':
			return p.name;
		case 'profile_vsic':
			return p.vsic;
		case 'profile_ward':
			return p.ward;
		case 'profile_ownership':
			return p.ownership;
		case 'profile_founded_year':
			return p.foundedYear;
		case 'profile_employees':
			return p.employees;
		case 'profile_revenue_bn':
			return p.revenueBn;
		case 'profile_equipment_value_bn':
			return p.equipmentValueBn;
		case 't1_equipment_age':
			return inRange(22 - 18 * c + rng.normal() * 3, 1);
		case 't3_equipment_investment_bn':
			return inRange(p.equipmentValueBn * (0.04 + 0.8 * c) * noise(0.4), 2);
		case 't5_automated_share_pct':
			return inRange(refs.automation_share_pct * (0.15 + 1.9 * c) * noise(0.3));
		case 't6_energy_cost_pct':
			return inRange(refs.energy_cost_share_pct * (1.6 - 1.1 * c) * noise(0.2), 1);
		case 'e9_capacity_utilisation_pct':
			return inRange(45 + 45 * c + rng.normal() * 10);
		case 'e10_defect_rate_pct':
			return inRange(12 * (1 - c) ** 2 + Math.abs(rng.normal()), 1);
		case 'e12_on_time_delivery_pct':
			return inRange(65 + 33 * c + rng.normal() * 6);
		case 'o15_engineers':
			return Math.min(p.employees, inRange(p.employees * (0.01 + 0.25 * c) * noise(0.3)));
		case 'o16_training_hours':
			return inRange(2 + 25 * c * noise(0.4), 1);
		case 'r18_has_rd_unit':
			return rng.next() < c * 1.1 - 0.15;
		case 'r18_rd_staff':
			return Math.min(
				p.employees,
				round(clamp(p.employees * (0.002 + 0.06 * c * c) * noise(0.4), 0, q.max ?? 10000) * 2) / 2
			);
		case 'r19_rd_spending_bn':
			return inRange(p.revenueBn * (0.0005 + 0.03 * c * c) * noise(0.5), 2);
		case 'i23_new_products':
			return inRange(8 * c ** 1.5 * noise(0.5));
		case 'i24_new_product_revenue_pct':
			return inRange(3 + 45 * c * noise(0.4));
		case 'i25_has_ip':
			return rng.next() < c * 0.8 - 0.05;
		case 'i25_ip':
			return {
				patents: Math.floor(c * c * 2 * rng.next()),
				utility_solutions: Math.floor(c * 2 * rng.next()),
				industrial_designs: Math.floor(c * 3 * rng.next()),
				trademarks: 1 + Math.floor(c * 4 * rng.next())
			};
		case 'respondent_name':
			return `${rng.pick(FAMILY)} ${rng.pick(MIDDLE)} ${rng.pick(GIVEN)}`;
		case 'respondent_position':
			return rng.pick(POSITIONS);
		case 'respondent_email':
			return `lienhe${n + 1}@example.vn`;
		case 'respondent_comment':
			return rng.next() < 0.1 ? 'Đề nghị có thêm chương trình hỗ trợ đổi mới công nghệ.' : undefined;
	}
	return byType(q, a, c, rng);
}

/** Answers for questions without a specific rule, by type; choices are ordered worst → best. */
function byType(q: QuestionInfo, a: Record<string, unknown>, c: number, rng: Rng): unknown {
	switch (q.type) {
		case 'radiogroup':
		case 'dropdown': {
			if (q.choicesFromQuestion) {
				// "Used most" on a FAT ladder: the highest step used about half the time, otherwise a lower one.
				const used = a[q.choicesFromQuestion];
				if (!Array.isArray(used) || used.length === 0) return undefined;
				const sorted = [...used].sort((x, y) => Number(x) - Number(y));
				return rng.next() < 0.45 ? sorted[sorted.length - 1] : rng.pick(sorted);
			}
			return orderedPick(choiceList(q), c, rng);
		}
		case 'checkbox': {
			const list = choiceList(q);
			if (q.name.startsWith('ladder_')) {
				// FAT ladder: the most advanced step tracks capability; lower steps are often kept in use.
				const ext = Math.round(clamp(1 + 4 * c + rng.normal() * 0.8, 1, 5));
				return list.filter((v) => Number(v) === ext || (Number(v) < ext && rng.next() < 0.5));
			}
			const picked = list.filter(() => rng.next() < 0.08 + 0.75 * c);
			if (picked.length) return picked;
			return q.choices?.includes('none') ? ['none'] : [list[0]];
		}
		case 'rating':
			return orderedPick(q.choices ?? [1, 2, 3, 4, 5], c, rng, 0.2);
		case 'boolean':
			return rng.next() < c;
		case 'matrix': {
			const cols = q.columns ?? [];
			const row: Record<string, unknown> = {};
			for (const r of q.rows ?? []) row[r] = orderedPick(cols, c, rng, 0.25);
			return row;
		}
		case 'multipletext': {
			const o: Record<string, number> = {};
			for (const it of q.items ?? []) o[it] = 0;
			return o;
		}
		case 'text':
			if (q.inputType === 'number') return round((q.min ?? 0) + ((q.max ?? 100) - (q.min ?? 0)) * 0.1 * c);
			return undefined;
		default:
			return undefined;
	}
}
