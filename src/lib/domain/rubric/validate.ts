/**
 * Validates a rubric against its questionnaire and the sector's reference values, reporting every
 * problem with file, JSON path and what is wrong. A rubric that passes can be compiled and scored
 * without runtime surprises (unknown questions, uncovered values, missing norms).
 */
import { checkPlausibilityRules } from '../plausibility';
import { FormulaError, formulaReferences, formulaVariables, parseFormula } from './formula';
import {
	AGGREGATE_ROLES,
	EQUIPMENT_AGGREGATES,
	EQUIPMENT_ROLES,
	NUMERIC_ROLES,
	type EquipmentAggregate,
	type EquipmentRole
} from './equipment';
import {
	indexQuestionnaire,
	lintQuestionnaire,
	type QuestionInfo,
	type QuestionnaireIndex
} from './questionnaire';
import {
	GROUP_IDS,
	LEVEL_IDS,
	MAPPING_KINDS,
	RubricValidationError,
	type GroupId,
	type ReferenceValues,
	type Rubric,
	type RubricIssue
} from './types';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBi = (v: unknown) =>
	isObj(v) && typeof v.vi === 'string' && v.vi !== '' && typeof v.en === 'string' && v.en !== '';
/** Float sums (0.3 + 0.2 + ...) are compared with this tolerance. */
const EPS = 1e-9;
const fmt = (n: number) => String(Math.round(n * 1e6) / 1e6);

export interface ReferenceFile {
	file: string;
	json: unknown;
}

export interface SurveyBundleInput {
	rubric: unknown;
	rubricFile: string;
	questionnaire: unknown;
	questionnaireFile: string;
	references: ReferenceFile[];
	/**
	 * A version stored before the `sharedQuestions` declaration existed: its sharing is not checked
	 * (the rule guards new versions against a slip; it does not change how a version scores).
	 */
	storedBeforeSharedQuestions?: boolean;
}

/** Says where to add a problem: the English text is the technical message, both texts are shown. */
type Add = (path: string, en: string, vi: string) => void;
const issue = (file: string, path: string, en: string, vi: string): RubricIssue => ({
	file,
	path,
	message: en,
	text: { vi, en }
});
const adder =
	(file: string, issues: RubricIssue[]): Add =>
	(path, en, vi) =>
		issues.push(issue(file, path, en, vi));

/** Checks one reference-value file (Appendix II-style norms for one sector and year). */
export function validateReferenceValues(json: unknown, file: string, sector?: string): RubricIssue[] {
	const issues: RubricIssue[] = [];
	const add = adder(file, issues);
	if (!isObj(json))
		return [
			issue(
				file,
				'$',
				'reference values must be a JSON object',
				'Tệp giá trị tham chiếu phải là một đối tượng JSON.'
			)
		];
	if (typeof json.sector !== 'string')
		add('$.sector', 'sector must be a string', 'Mã ngành (sector) phải là một chuỗi ký tự.');
	else if (sector && json.sector !== sector)
		add(
			'$.sector',
			`sector '${json.sector}' does not match '${sector}'`,
			`Mã ngành '${json.sector}' không khớp với ngành '${sector}' của bộ tiêu chí.`
		);
	if (!Number.isInteger(json.year)) add('$.year', 'year must be an integer', 'Năm phải là một số nguyên.');
	if (typeof json.provisional !== 'boolean')
		add(
			'$.provisional',
			'provisional must be true or false',
			'Trường "tạm thời" (provisional) phải là true hoặc false.'
		);
	if (typeof json.source !== 'string')
		add(
			'$.source',
			'source must say where the values come from',
			'Trường nguồn (source) phải ghi rõ các giá trị được lấy từ đâu.'
		);
	if (!isObj(json.values))
		add(
			'$.values',
			'values must be an object of {value, unit, label}',
			'Danh sách giá trị (values) phải là một đối tượng gồm {value, unit, label}.'
		);
	else
		for (const [k, v] of Object.entries(json.values)) {
			if (!isObj(v) || !isNum(v.value) || v.value <= 0)
				add(
					`$.values.${k}.value`,
					`reference value '${k}' must be a positive number`,
					`Giá trị tham chiếu '${k}' phải là một số dương.`
				);
			else if (!isBi(v.label) || !isBi(v.unit))
				add(
					`$.values.${k}`,
					`reference value '${k}' needs bilingual label and unit {vi, en}`,
					`Giá trị tham chiếu '${k}' cần có nhãn và đơn vị bằng cả tiếng Việt và tiếng Anh {vi, en}.`
				);
		}
	return issues;
}

/** Validates the rubric only (the questionnaire and references are trusted to be well-formed). */
export function validateRubric(input: SurveyBundleInput): RubricIssue[] {
	const file = input.rubricFile;
	const issues: RubricIssue[] = [];
	const add = adder(file, issues);
	const r = input.rubric;
	if (!isObj(r))
		return [issue(file, '$', 'a rubric must be a JSON object', 'Bộ tiêu chí phải là một đối tượng JSON.')];
	const qidx = indexQuestionnaire(input.questionnaire);
	const refKeys = input.references.map((ref) => ({
		file: ref.file,
		keys: new Set(isObj(ref.json) && isObj(ref.json.values) ? Object.keys(ref.json.values) : [])
	}));

	const FIELD_VI = { sector: 'Mã ngành', version: 'Phiên bản', questionnaire: 'Bảng hỏi' } as const;
	for (const key of ['sector', 'version', 'questionnaire'] as const)
		if (typeof r[key] !== 'string' || r[key] === '')
			add(
				`$.${key}`,
				`${key} must be a non-empty string`,
				`${FIELD_VI[key]} (${key}) phải là một chuỗi ký tự không rỗng.`
			);
	if (typeof r.provisional !== 'boolean')
		add(
			'$.provisional',
			'provisional must be true or false',
			'Trường "tạm thời" (provisional) phải là true hoặc false.'
		);
	if (!isBi(r.title))
		add(
			'$.title',
			'title must be {"vi": ..., "en": ...}',
			'Tên bộ tiêu chí phải có cả tiếng Việt và tiếng Anh: {"vi": ..., "en": ...}.'
		);
	if (!Number.isInteger(r.referenceYear))
		add(
			'$.referenceYear',
			'referenceYear must be an integer year',
			'Năm tham chiếu (referenceYear) phải là một năm, viết bằng số nguyên.'
		);
	if (!isObj(r.rounding) || !Number.isInteger(r.rounding.points) || !Number.isInteger(r.rounding.k))
		add(
			'$.rounding',
			'rounding must be {"points": <decimals>, "k": <decimals>}',
			'Cách làm tròn phải có dạng {"points": <số chữ số thập phân>, "k": <số chữ số thập phân>}.'
		);
	else
		for (const key of ['points', 'k'] as const) {
			const d = r.rounding[key] as number;
			// Negative decimals round 7.4 points to 10; more than 6 shows float noise.
			if (d < 0 || d > 6)
				add(
					`$.rounding.${key}`,
					`rounding.${key} must be 0 to 6 decimals, got ${d}`,
					`Làm tròn ${key === 'k' ? 'hệ số K' : 'điểm'} phải từ 0 đến 6 chữ số thập phân, đang là ${d}.`
				);
		}
	if (r.method !== undefined && r.method !== CIRCULAR_17 && r.method !== 'custom')
		add(
			'$.method',
			`method must be "${CIRCULAR_17}" or "custom", got ${JSON.stringify(r.method)}`,
			`Phương pháp (method) phải là "${CIRCULAR_17}" hoặc "custom", đang là ${JSON.stringify(r.method)}.`
		);
	const circular = r.method === CIRCULAR_17;
	if (input.references.length === 0)
		add(
			'$',
			'no reference-value file found for this sector',
			'Không tìm thấy tệp giá trị tham chiếu nào cho ngành này.'
		);

	// Groups: the Circular's five groups, maxima adding up to 100.
	const groupMax = new Map<GroupId, number>();
	if (!Array.isArray(r.groups))
		add('$.groups', 'groups must be an array', 'Danh sách nhóm phải là một mảng.');
	else {
		r.groups.forEach((g, i) => {
			if (!isObj(g) || !GROUP_IDS.includes(g.id as GroupId)) {
				const name = isObj(g) ? String(g.id) : g;
				return add(
					`$.groups[${i}].id`,
					`unknown group '${name}' (expected T, E, O, R, I)`,
					`Không có nhóm '${name}' (các nhóm hợp lệ: T, E, O, R, I).`
				);
			}
			const id = g.id as GroupId;
			if (groupMax.has(id))
				add(`$.groups[${i}].id`, `duplicate group '${id}'`, `Nhóm '${id}' bị khai báo hai lần.`);
			if (!isNum(g.max) || g.max <= 0)
				add(
					`$.groups[${i}].max`,
					`group ${id}: max must be a positive number`,
					`Nhóm ${id}: điểm tối đa phải là một số dương.`
				);
			if (!isBi(g.name))
				add(
					`$.groups[${i}].name`,
					`group ${id}: name must be {"vi", "en"}`,
					`Nhóm ${id}: tên nhóm phải có cả tiếng Việt và tiếng Anh {"vi", "en"}.`
				);
			groupMax.set(id, isNum(g.max) ? g.max : 0);
		});
		for (const id of GROUP_IDS)
			if (!groupMax.has(id)) add('$.groups', `group '${id}' is missing`, `Thiếu nhóm '${id}'.`);
		const sum = [...groupMax.values()].reduce((a, b) => a + b, 0);
		if (Math.abs(sum - 100) > EPS)
			add(
				'$.groups',
				`group maxima add up to ${fmt(sum)}, not 100`,
				`Tổng điểm tối đa của các nhóm là ${fmt(sum)}, không phải 100.`
			);
	}

	// K: weighted geometric mean of group fractions; weights are exponents that add up to 1.
	if (!isObj(r.k) || !isObj(r.k.weights))
		add(
			'$.k.weights',
			'k.weights must map each group to its exponent',
			'Trọng số hệ số K (k.weights) phải gán cho mỗi nhóm một số mũ.'
		);
	else {
		const w = r.k.weights;
		let sum = 0;
		for (const id of GROUP_IDS) {
			if (!isNum(w[id]) || w[id] < 0)
				add(
					`$.k.weights.${id}`,
					`K weight of group ${id} must be a number >= 0`,
					`Trọng số K của nhóm ${id} phải là một số lớn hơn hoặc bằng 0.`
				);
			else sum += w[id];
		}
		for (const k of Object.keys(w))
			if (!GROUP_IDS.includes(k as GroupId))
				add(`$.k.weights.${k}`, `unknown group '${k}'`, `Không có nhóm '${k}'.`);
		if (Math.abs(sum - 1) > 1e-6)
			add(
				'$.k.weights',
				`K weights add up to ${fmt(sum)}, not 1`,
				`Tổng các trọng số K là ${fmt(sum)}, không phải 1.`
			);
	}

	checkLevels(r.levels, add);

	if (
		!isObj(r.priorities) ||
		!isNum(r.priorities.below) ||
		r.priorities.below < 0 ||
		r.priorities.below > 1 ||
		!Number.isInteger(r.priorities.limit)
	)
		add(
			'$.priorities',
			'priorities must be {"below": <share of max, 0–1>, "limit": <count>}',
			'Mục ưu tiên (priorities) phải có dạng {"below": <tỷ lệ so với điểm tối đa, từ 0 đến 1>, "limit": <số lượng>}.'
		);

	checkLadders(r.ladders, qidx, add);
	for (const p of checkPlausibilityRules(r.plausibility, (q) => {
		const info = qidx.byName.get(q);
		return info ? info.type === 'text' && info.inputType === 'number' : null;
	}))
		add(p.path, p.message, p.vi);

	// Criteria and their mappings.
	if (!Array.isArray(r.criteria) || r.criteria.length === 0) {
		add(
			'$.criteria',
			'criteria must be a non-empty array',
			'Danh sách tiêu chí phải là một mảng không rỗng.'
		);
		return issues;
	}
	const ids = new Set<string>();
	const perGroup = new Map<GroupId, number>();
	r.criteria.forEach((c, i) => {
		const at = `$.criteria[${i}]`;
		if (!isObj(c)) return add(at, 'criterion must be an object', 'Tiêu chí phải là một đối tượng.');
		const id = typeof c.id === 'string' && c.id !== '' ? c.id : `#${i}`;
		if (typeof c.id !== 'string' || c.id === '')
			add(
				`${at}.id`,
				'criterion id must be a non-empty string',
				'Mã tiêu chí phải là một chuỗi ký tự không rỗng.'
			);
		else if (ids.has(c.id))
			add(`${at}.id`, `duplicate criterion id '${c.id}'`, `Mã tiêu chí '${c.id}' bị trùng.`);
		ids.add(id);
		if (!Number.isInteger(c.no))
			add(
				`${at}.no`,
				`criterion ${id}: no must be its number in the Circular (integer)`,
				`Tiêu chí ${id}: số thứ tự (no) phải là số của tiêu chí trong Thông tư (số nguyên).`
			);
		if (!GROUP_IDS.includes(c.group as GroupId))
			add(
				`${at}.group`,
				`criterion ${id}: unknown group '${String(c.group)}'`,
				`Tiêu chí ${id}: không có nhóm '${String(c.group)}'.`
			);
		const max = isNum(c.max) && c.max > 0 ? c.max : NaN;
		if (Number.isNaN(max))
			add(
				`${at}.max`,
				`criterion ${id}: max must be a positive number`,
				`Tiêu chí ${id}: điểm tối đa phải là một số dương.`
			);
		else if (GROUP_IDS.includes(c.group as GroupId))
			perGroup.set(c.group as GroupId, (perGroup.get(c.group as GroupId) ?? 0) + max);
		if (!isBi(c.name))
			add(
				`${at}.name`,
				`criterion ${id}: name must be {"vi", "en"}`,
				`Tiêu chí ${id}: tên tiêu chí phải có cả tiếng Việt và tiếng Anh {"vi", "en"}.`
			);
		if (typeof c.source !== 'string' || c.source === '')
			add(
				`${at}.source`,
				`criterion ${id}: source must explain where the bands come from`,
				`Tiêu chí ${id}: trường nguồn (source) phải giải thích các khoảng điểm được lấy từ đâu.`
			);
		if (!isBi(c.recommendation))
			add(
				`${at}.recommendation`,
				`criterion ${id}: recommendation must be {"vi", "en"}`,
				`Tiêu chí ${id}: khuyến nghị phải có cả tiếng Việt và tiếng Anh {"vi", "en"}.`
			);
		checkMapping(c.mapping, `${at}.mapping`, id, max, qidx, refKeys, add);
	});
	checkStructure(r.criteria, circular, groupMax, add);
	if (!(input.storedBeforeSharedQuestions && r.sharedQuestions === undefined))
		checkShared(r.criteria, r.sharedQuestions, qidx, add);
	for (const [g, gmax] of groupMax) {
		const sum = perGroup.get(g) ?? 0;
		if (Math.abs(sum - gmax) > EPS)
			add(
				'$.criteria',
				`criteria of group ${g} add up to ${fmt(sum)} points, not the group maximum ${fmt(gmax)}`,
				`Tổng điểm các tiêu chí của nhóm ${g} là ${fmt(sum)}, không bằng điểm tối đa của nhóm (${fmt(gmax)}).`
			);
	}
	return issues;
}

export const CIRCULAR_17 = 'circular-17';
/** Circular 17/2019/TT-BKHCN: criteria per group, their numbers and the group maxima. */
const CIRCULAR_GROUPS: Record<GroupId, { count: number; first: number; max: number }> = {
	T: { count: 7, first: 1, max: 30 },
	E: { count: 5, first: 8, max: 20 },
	O: { count: 5, first: 13, max: 19 },
	R: { count: 5, first: 18, max: 17 },
	I: { count: 4, first: 23, max: 14 }
};

/**
 * Criterion ids that name a group (T7, E10) must sit in that group; a rubric that declares
 * `"method": "circular-17"` must have the Circular's 26 criteria, 7/5/5/5/4 per group, numbered
 * in the group's range, and the group maxima 30/20/19/17/14.
 */
function checkStructure(
	criteria: unknown[],
	circular: boolean,
	groupMax: ReadonlyMap<GroupId, number>,
	add: Add
): void {
	const count = new Map<GroupId, number>();
	const numbers = new Set<number>();
	criteria.forEach((c, i) => {
		if (!isObj(c) || !GROUP_IDS.includes(c.group as GroupId)) return;
		const g = c.group as GroupId;
		count.set(g, (count.get(g) ?? 0) + 1);
		const m = typeof c.id === 'string' ? /^([A-Za-z])\d+$/.exec(c.id) : null;
		if (m && GROUP_IDS.includes(m[1].toUpperCase() as GroupId) && m[1].toUpperCase() !== g)
			add(
				`$.criteria[${i}].group`,
				`criterion ${c.id} is placed in group ${g}, but its id names group ${m[1].toUpperCase()}`,
				`Tiêu chí ${c.id} được xếp vào nhóm ${g}, nhưng mã của nó lại thuộc nhóm ${m[1].toUpperCase()}.`
			);
		if (!circular || !Number.isInteger(c.no)) return;
		const no = c.no as number;
		const spec = CIRCULAR_GROUPS[g];
		const last = spec.first + spec.count - 1;
		if (no < spec.first || no > last)
			add(
				`$.criteria[${i}].no`,
				`criterion ${String(c.id)}: Circular 17 numbers group ${g}'s criteria ${spec.first}–${last}, not ${no}`,
				`Tiêu chí ${String(c.id)}: Thông tư 17 đánh số các tiêu chí của nhóm ${g} từ ${spec.first} đến ${last}, không có số ${no}.`
			);
		else if (numbers.has(no))
			add(
				`$.criteria[${i}].no`,
				`criterion number ${no} is used twice`,
				`Số thứ tự tiêu chí ${no} được dùng hai lần.`
			);
		numbers.add(no);
	});
	if (!circular) return;
	if (criteria.length !== 26)
		add(
			'$.criteria',
			`Circular 17 has 26 criteria (7/5/5/5/4), this rubric has ${criteria.length}`,
			`Thông tư 17 có 26 tiêu chí (7/5/5/5/4), bộ tiêu chí này có ${criteria.length}.`
		);
	for (const g of GROUP_IDS) {
		const spec = CIRCULAR_GROUPS[g];
		const n = count.get(g) ?? 0;
		if (n !== spec.count)
			add(
				'$.criteria',
				`group ${g} has ${n} criteria, Circular 17 gives it ${spec.count}`,
				`Nhóm ${g} có ${n} tiêu chí, trong khi Thông tư 17 quy định ${spec.count}.`
			);
		const max = groupMax.get(g);
		if (max !== undefined && Math.abs(max - spec.max) > EPS)
			add(
				'$.groups',
				`group ${g}: maximum ${fmt(max)}, Circular 17 gives it ${spec.max}`,
				`Nhóm ${g}: điểm tối đa là ${fmt(max)}, trong khi Thông tư 17 quy định ${spec.max}.`
			);
	}
}

/** Question names a criterion reads (the part before a `.row` / `.item`). */
function questionsOf(mapping: unknown): string[] {
	if (!isObj(mapping)) return [];
	const out = new Set<string>();
	if (typeof mapping.question === 'string') out.add(mapping.question.split('.')[0]);
	if (mapping.kind === 'equipment') for (const q of questionsOf(mapping.fallback)) out.add(q);
	for (const key of ['expression', 'value'] as const) {
		if (typeof mapping[key] !== 'string') continue;
		try {
			for (const v of formulaVariables(parseFormula(mapping[key] as string))) out.add(v.split('.')[0]);
		} catch {
			// reported by checkFormula
		}
	}
	return [...out];
}

/**
 * One answer feeding two criteria counts twice in the total: allowed only when the rubric says so
 * in `sharedQuestions` (denominators such as the number of employees are shared on purpose).
 */
function checkShared(criteria: unknown[], declared: unknown, qidx: QuestionnaireIndex, add: Add): void {
	const shared = new Set<string>();
	if (declared !== undefined) {
		if (!Array.isArray(declared) || !declared.every((x) => typeof x === 'string'))
			return add(
				'$.sharedQuestions',
				'sharedQuestions must be an array of question names',
				'Danh sách câu hỏi dùng chung (sharedQuestions) phải là một mảng tên câu hỏi.'
			);
		declared.forEach((q: string, i) => {
			if (!qidx.byName.has(q))
				add(`$.sharedQuestions[${i}]`, `unknown question '${q}'`, `Bảng hỏi không có câu hỏi '${q}'.`);
			shared.add(q);
		});
	}
	const users = new Map<string, string[]>();
	criteria.forEach((c, i) => {
		if (!isObj(c)) return;
		const id = typeof c.id === 'string' ? c.id : `#${i}`;
		for (const q of questionsOf(c.mapping)) users.set(q, [...(users.get(q) ?? []), id]);
	});
	for (const [q, ids] of users)
		if (ids.length > 1 && !shared.has(q))
			add(
				'$.sharedQuestions',
				`question '${q}' feeds criteria ${ids.join(', ')}: list it in sharedQuestions if that is intended`,
				`Câu hỏi '${q}' được dùng để tính điểm cho các tiêu chí ${ids.join(', ')}: nếu đúng ý đồ, hãy khai báo nó trong sharedQuestions.`
			);
}

function checkLevels(levels: unknown, add: Add): void {
	if (!Array.isArray(levels))
		return add('$.levels', 'levels must be an array', 'Danh sách mức trình độ phải là một mảng.');
	const found = levels.map((l) => (isObj(l) ? String(l.id) : '?'));
	if (found.join() !== LEVEL_IDS.join())
		return add(
			'$.levels',
			`levels must be ${LEVEL_IDS.join(', ')} in this order (found ${found.join(', ')})`,
			`Các mức trình độ phải là ${LEVEL_IDS.join(', ')} theo đúng thứ tự này (đang có: ${found.join(', ')}).`
		);
	levels.forEach((l, i) => {
		const lv = l as Json;
		const at = `$.levels[${i}]`;
		if (!isBi(lv.label))
			add(
				`${at}.label`,
				`level '${lv.id}': label must be {"vi", "en"}`,
				`Mức '${lv.id}': nhãn phải có cả tiếng Việt và tiếng Anh {"vi", "en"}.`
			);
		if (!isNum(lv.minTotal) || lv.minTotal < 0 || lv.minTotal > 100)
			add(
				`${at}.minTotal`,
				`level '${lv.id}': minTotal must be between 0 and 100`,
				`Mức '${lv.id}': tổng điểm tối thiểu (minTotal) phải nằm trong khoảng 0 đến 100.`
			);
		if (!isNum(lv.minK) || lv.minK < 0 || lv.minK > 1)
			add(
				`${at}.minK`,
				`level '${lv.id}': minK must be between 0 and 1`,
				`Mức '${lv.id}': hệ số K tối thiểu (minK) phải nằm trong khoảng 0 đến 1.`
			);
		if (i === 0) {
			if (lv.minTotal !== 0 || lv.minK !== 0)
				add(
					at,
					`the lowest level '${lv.id}' must start at minTotal 0 and minK 0`,
					`Mức thấp nhất '${lv.id}' phải bắt đầu từ tổng điểm 0 và hệ số K bằng 0.`
				);
			return;
		}
		const prev = levels[i - 1] as Json;
		if (isNum(lv.minTotal) && isNum(prev.minTotal) && lv.minTotal <= prev.minTotal)
			add(
				`${at}.minTotal`,
				`levels out of order: '${lv.id}' minTotal ${lv.minTotal} is not above '${prev.id}' minTotal ${prev.minTotal}`,
				`Các mức sai thứ tự: tổng điểm tối thiểu của '${lv.id}' (${lv.minTotal}) không lớn hơn của '${prev.id}' (${prev.minTotal}).`
			);
		if (isNum(lv.minK) && isNum(prev.minK) && lv.minK < prev.minK)
			add(
				`${at}.minK`,
				`levels out of order: '${lv.id}' minK ${lv.minK} is below '${prev.id}' minK ${prev.minK}`,
				`Các mức sai thứ tự: hệ số K tối thiểu của '${lv.id}' (${lv.minK}) nhỏ hơn của '${prev.id}' (${prev.minK}).`
			);
	});
}

function checkLadders(ladders: unknown, qidx: QuestionnaireIndex, add: Add): void {
	if (!isObj(ladders) || !Array.isArray(ladders.functions))
		return add(
			'$.ladders',
			'ladders must be {"functions": [...]}',
			'Thang bậc (ladders) phải có dạng {"functions": [...]}.'
		);
	const seen = new Set<string>();
	ladders.functions.forEach((f, i) => {
		const at = `$.ladders.functions[${i}]`;
		if (!isObj(f) || typeof f.id !== 'string')
			return add(at, 'ladder function needs an id', 'Chức năng của thang bậc cần có mã (id).');
		if (seen.has(f.id))
			add(
				`${at}.id`,
				`duplicate ladder function '${f.id}'`,
				`Chức năng '${f.id}' của thang bậc bị khai báo hai lần.`
			);
		seen.add(f.id);
		if (!isBi(f.name))
			add(
				`${at}.name`,
				`ladder '${f.id}': name must be {"vi", "en"}`,
				`Thang bậc '${f.id}': tên phải có cả tiếng Việt và tiếng Anh {"vi", "en"}.`
			);
		const used = typeof f.used === 'string' ? qidx.byName.get(f.used) : undefined;
		if (!used)
			add(
				`${at}.used`,
				`unknown question '${String(f.used)}'`,
				`Bảng hỏi không có câu hỏi '${String(f.used)}'.`
			);
		else if (used.type !== 'checkbox')
			add(
				`${at}.used`,
				`ladder question '${used.name}' must be a checkbox`,
				`Câu hỏi thang bậc '${used.name}' phải là câu hỏi chọn nhiều (checkbox).`
			);
		else if (!isLadderSteps(used))
			add(
				`${at}.used`,
				`ladder question '${used.name}' must offer steps 1, 2, 3, 4, 5 as choice values`,
				`Câu hỏi thang bậc '${used.name}' phải có các lựa chọn là các bậc 1, 2, 3, 4, 5.`
			);
		const most = typeof f.most === 'string' ? qidx.byName.get(f.most) : undefined;
		if (!most)
			add(
				`${at}.most`,
				`unknown question '${String(f.most)}'`,
				`Bảng hỏi không có câu hỏi '${String(f.most)}'.`
			);
		else if (most.type !== 'radiogroup' && most.type !== 'dropdown')
			add(
				`${at}.most`,
				`ladder question '${most.name}' must be a radiogroup or dropdown`,
				`Câu hỏi thang bậc '${most.name}' phải là câu hỏi chọn một (radiogroup hoặc dropdown).`
			);
		else if (!most.choices || most.choices.some((c) => ![1, 2, 3, 4, 5].includes(c as number)))
			add(
				`${at}.most`,
				`ladder question '${most.name}' must offer only steps 1–5`,
				`Câu hỏi thang bậc '${most.name}' chỉ được có các lựa chọn là các bậc từ 1 đến 5.`
			);
	});
}

function isLadderSteps(q: QuestionInfo): boolean {
	const vals = (q.choices ?? []).filter((c) => c !== 'none');
	return vals.length === 5 && vals.every((v, i) => v === i + 1);
}

type RefKeys = Array<{ file: string; keys: Set<string> }>;

function checkQuestionRef(ref: string, at: string, qidx: QuestionnaireIndex, add: Add): QuestionInfo | null {
	const dot = ref.indexOf('.');
	const name = dot < 0 ? ref : ref.slice(0, dot);
	const q = qidx.byName.get(name);
	if (!q) {
		add(at, `unknown question '${name}'`, `Bảng hỏi không có câu hỏi '${name}'.`);
		return null;
	}
	if (dot >= 0) {
		const sub = ref.slice(dot + 1);
		if (q.type === 'matrix' && !q.rows?.includes(sub))
			add(at, `matrix '${name}' has no row '${sub}'`, `Câu hỏi dạng bảng '${name}' không có dòng '${sub}'.`);
		else if (q.type === 'multipletext' && !q.items?.includes(sub))
			add(
				at,
				`multipletext '${name}' has no item '${sub}'`,
				`Câu hỏi nhiều ô nhập '${name}' không có ô '${sub}'.`
			);
		else if (q.type !== 'matrix' && q.type !== 'multipletext')
			add(
				at,
				`question '${name}' has no rows or items ('${ref}')`,
				`Câu hỏi '${name}' không có dòng hay ô con nào ('${ref}').`
			);
	} else if (q.type === 'html' || q.type === 'expression') {
		add(
			at,
			`question '${name}' is display-only and has no answer`,
			`Câu hỏi '${name}' chỉ để hiển thị, không có câu trả lời.`
		);
	}
	return q;
}

function checkFormula(src: unknown, at: string, qidx: QuestionnaireIndex, refKeys: RefKeys, add: Add): void {
	if (typeof src !== 'string' || src.trim() === '')
		return add(at, 'formula must be a non-empty string', 'Công thức phải là một chuỗi ký tự không rỗng.');
	try {
		const ast = parseFormula(src);
		for (const v of formulaVariables(ast)) checkQuestionRef(v, at, qidx, add);
		for (const key of formulaReferences(ast)) checkReference(key, at, refKeys, add);
	} catch (e) {
		// The parser's own words stay in the technical detail; the admin is told which formula.
		if (e instanceof FormulaError)
			add(
				at,
				`bad formula: ${e.message}`,
				`Không đọc được công thức "${src}"; lỗi cú pháp cụ thể ở phần chi tiết kỹ thuật.`
			);
		else throw e;
	}
}

function checkReference(key: string, at: string, refKeys: RefKeys, add: Add): void {
	for (const r of refKeys)
		if (!r.keys.has(key))
			add(
				at,
				`reference value '${key}' is missing from ${r.file}`,
				`Tệp ${r.file} không có giá trị tham chiếu '${key}'.`
			);
}

function checkMapping(
	m: unknown,
	at: string,
	id: string,
	max: number,
	qidx: QuestionnaireIndex,
	refKeys: RefKeys,
	add: Add
): void {
	if (!isObj(m))
		return add(
			at,
			`criterion ${id}: mapping must be an object`,
			`Tiêu chí ${id}: cách tính điểm (mapping) phải là một đối tượng.`
		);
	if (!MAPPING_KINDS.includes(m.kind as never))
		return add(
			`${at}.kind`,
			`unknown mapping kind '${String(m.kind)}' (expected ${MAPPING_KINDS.join(', ')})`,
			`Không có kiểu tính điểm '${String(m.kind)}' (các kiểu hợp lệ: ${MAPPING_KINDS.join(', ')}).`
		);
	const checkPoints = (p: unknown, path: string) => {
		if (!isNum(p) || p < 0)
			add(path, `points must be a number >= 0`, 'Số điểm phải là một số lớn hơn hoặc bằng 0.');
		else if (p > max + EPS)
			add(
				path,
				`points ${p} exceed the criterion maximum ${max}`,
				`Số điểm ${p} vượt quá điểm tối đa của tiêu chí (${max}).`
			);
	};
	const best = bestPoints(m);
	if (best !== null && !Number.isNaN(max) && best < max - EPS)
		add(
			at,
			`criterion ${id}: no answer reaches its maximum ${fmt(max)} (the best answer scores ${fmt(best)})`,
			`Tiêu chí ${id}: không câu trả lời nào đạt được điểm tối đa ${fmt(max)} (câu trả lời tốt nhất chỉ được ${fmt(best)} điểm).`
		);
	const needName = () =>
		add(`${at}.question`, 'question must be a question name', 'Trường câu hỏi phải là tên của một câu hỏi.');
	switch (m.kind) {
		case 'equipment':
			return checkEquipment(m, at, id, max, qidx, refKeys, checkPoints, add);
		case 'choice':
		case 'multi': {
			if (typeof m.question !== 'string') return needName();
			const q = checkQuestionRef(m.question, `${at}.question`, qidx, add);
			if (!q) return;
			const dot = m.question.indexOf('.');
			const allowed = dot >= 0 && q.type === 'matrix' ? q.columns : q.choices;
			if (m.kind === 'multi' && q.type !== 'checkbox')
				add(
					`${at}.question`,
					`a multi mapping needs a checkbox question, '${q.name}' is ${q.type}`,
					`Cách tính điểm nhiều lựa chọn (multi) cần một câu hỏi chọn nhiều (checkbox), nhưng '${q.name}' là ${q.type}.`
				);
			if (m.kind === 'choice' && q.type === 'checkbox')
				add(
					`${at}.question`,
					`'${q.name}' is a checkbox: use a multi mapping`,
					`'${q.name}' là câu hỏi chọn nhiều (checkbox): hãy dùng cách tính điểm nhiều lựa chọn (multi).`
				);
			if (!allowed)
				return add(
					`${at}.question`,
					`question '${q.name}' has no choices`,
					`Câu hỏi '${q.name}' không có lựa chọn nào.`
				);
			if (!isObj(m.points))
				return add(
					`${at}.points`,
					'points must map choice values to points',
					'Bảng điểm (points) phải gán số điểm cho từng giá trị lựa chọn.'
				);
			const values = allowed.map(String);
			for (const [k, p] of Object.entries(m.points)) {
				if (!values.includes(k))
					add(
						`${at}.points.${k}`,
						`question '${m.question}' has no choice '${k}'`,
						`Câu hỏi '${m.question}' không có lựa chọn '${k}'.`
					);
				checkPoints(p, `${at}.points.${k}`);
			}
			for (const v of values)
				if (!(v in m.points))
					add(
						`${at}.points`,
						`choice '${v}' of question '${m.question}' has no points`,
						`Lựa chọn '${v}' của câu hỏi '${m.question}' chưa được gán điểm.`
					);
			if (m.kind === 'multi') {
				if (!isNum(m.cap) || m.cap <= 0)
					add(`${at}.cap`, 'cap must be a positive number', 'Mức trần điểm (cap) phải là một số dương.');
				else if (m.cap > max + EPS)
					add(
						`${at}.cap`,
						`cap ${m.cap} exceeds the criterion maximum ${max}`,
						`Mức trần ${m.cap} vượt quá điểm tối đa của tiêu chí (${max}).`
					);
			}
			return;
		}
		case 'bands': {
			if (typeof m.question !== 'string') return needName();
			const q = checkQuestionRef(m.question, `${at}.question`, qidx, add);
			if (!q) return;
			const numeric =
				(q.type === 'text' && q.inputType === 'number') ||
				q.type === 'rating' ||
				(m.question.includes('.') && q.type === 'multipletext');
			if (!numeric)
				add(
					`${at}.question`,
					`numeric bands need a number question, '${q.name}' is ${q.type}`,
					`Khoảng điểm theo giá trị số cần một câu hỏi nhập số, nhưng '${q.name}' là ${q.type}.`
				);
			return checkBands(m.bands, `${at}.bands`, q.min ?? 0, q.max, checkPoints, add);
		}
		case 'ratio':
			checkFormula(m.value, `${at}.value`, qidx, refKeys, add);
			if (typeof m.reference !== 'string') needReference(`${at}.reference`, add);
			else checkReference(m.reference, `${at}.reference`, refKeys, add);
			return checkBands(m.bands, `${at}.bands`, 0, null, checkPoints, add);
		case 'formula':
			checkFormula(m.expression, `${at}.expression`, qidx, refKeys, add);
			if (m.bands !== undefined) checkBands(m.bands, `${at}.bands`, 0, null, checkPoints, add);
			return;
	}
}

const needReference = (path: string, add: Add) =>
	add(
		path,
		'reference must name a reference value',
		'Trường tham chiếu phải là tên của một giá trị tham chiếu.'
	);

const EQUIPMENT_KEYS = new Set([
	'kind',
	'question',
	'aggregate',
	'columns',
	'years',
	'automated',
	'points',
	'reference',
	'bands',
	'fallback'
]);

/**
 * An equipment mapping: a list question, an aggregate, every column it names present in the list
 * with the right kind of cell (numbers for years, value and residual; choices for origin and
 * automation), the aggregate's own parameters, bands tiling the aggregate's range, and a fallback
 * that is an ordinary single-question mapping.
 */
function checkEquipment(
	m: Json,
	at: string,
	id: string,
	max: number,
	qidx: QuestionnaireIndex,
	refKeys: RefKeys,
	checkPoints: (p: unknown, path: string) => void,
	add: Add
): void {
	for (const k of Object.keys(m))
		if (!EQUIPMENT_KEYS.has(k))
			add(
				`${at}.${k}`,
				`criterion ${id}: unknown key '${k}' in an equipment mapping`,
				`Tiêu chí ${id}: cách tính điểm theo danh mục thiết bị không có trường '${k}'.`
			);
	const agg = m.aggregate as EquipmentAggregate;
	if (!EQUIPMENT_AGGREGATES.includes(agg))
		add(
			`${at}.aggregate`,
			`unknown aggregate '${String(m.aggregate)}' (expected ${EQUIPMENT_AGGREGATES.join(', ')})`,
			`Không có phép tổng hợp '${String(m.aggregate)}' (các phép hợp lệ: ${EQUIPMENT_AGGREGATES.join(', ')}).`
		);
	if (m.fallback !== undefined) {
		if (isObj(m.fallback) && m.fallback.kind === 'equipment')
			add(
				`${at}.fallback`,
				'the fallback must be a single-question mapping, not another equipment mapping',
				'Cách tính dự phòng (fallback) phải dựa trên một câu hỏi đơn, không được là một cách tính theo danh mục thiết bị khác.'
			);
		else checkMapping(m.fallback, `${at}.fallback`, id, max, qidx, refKeys, add);
	}
	const q = typeof m.question === 'string' ? qidx.byName.get(m.question) : undefined;
	if (typeof m.question !== 'string')
		add(`${at}.question`, 'question must be a question name', 'Trường câu hỏi phải là tên của một câu hỏi.');
	else if (!q)
		add(`${at}.question`, `unknown question '${m.question}'`, `Bảng hỏi không có câu hỏi '${m.question}'.`);
	else if (q.type !== 'matrixdynamic')
		add(
			`${at}.question`,
			`an equipment mapping needs a list (matrixdynamic), '${q.name}' is ${q.type}`,
			`Cách tính điểm theo danh mục thiết bị cần một câu hỏi dạng danh sách (matrixdynamic), nhưng '${q.name}' là ${q.type}.`
		);
	const colJson = new Map<string, Json>();
	if (q?.type === 'matrixdynamic' && Array.isArray(q.json.columns))
		for (const c of q.json.columns) if (isObj(c) && typeof c.name === 'string') colJson.set(c.name, c);
	const cols = isObj(m.columns) ? m.columns : null;
	if (!cols)
		add(
			`${at}.columns`,
			'columns must map roles (value, yearMade, ...) to column names',
			'Trường cột (columns) phải gán mỗi vai trò (value, yearMade, ...) cho một tên cột.'
		);
	const choicesOf = (role: EquipmentRole): string[] | null => {
		const c = cols && typeof cols[role] === 'string' ? colJson.get(cols[role] as string) : undefined;
		return c && Array.isArray(c.choices) ? c.choices.map((x) => String(isObj(x) ? x.value : x)) : null;
	};
	if (cols && q?.type === 'matrixdynamic') {
		for (const [role, col] of Object.entries(cols)) {
			const path = `${at}.columns.${role}`;
			if (!EQUIPMENT_ROLES.includes(role as EquipmentRole)) {
				add(
					path,
					`unknown role '${role}' (expected ${EQUIPMENT_ROLES.join(', ')})`,
					`Không có vai trò '${role}' (các vai trò hợp lệ: ${EQUIPMENT_ROLES.join(', ')}).`
				);
				continue;
			}
			const c = typeof col === 'string' ? colJson.get(col) : undefined;
			const colName = `${q.name}.${String(col)}`;
			if (!c) {
				add(
					path,
					`list '${q.name}' has no column '${String(col)}'`,
					`Danh sách '${q.name}' không có cột '${String(col)}'.`
				);
				continue;
			}
			const numeric = c.cellType === 'text' && c.inputType === 'number';
			if (NUMERIC_ROLES.has(role as EquipmentRole) && !numeric)
				add(
					path,
					`role '${role}' needs a number column, '${colName}' is not one`,
					`Vai trò '${role}' cần một cột nhập số, nhưng '${colName}' không phải.`
				);
			if (!NUMERIC_ROLES.has(role as EquipmentRole) && c.cellType !== 'dropdown')
				add(
					path,
					`role '${role}' needs a dropdown column, '${colName}' is not one`,
					`Vai trò '${role}' cần một cột chọn từ danh sách (dropdown), nhưng '${colName}' không phải.`
				);
			if (role === 'residual' && (!isNum(c.max) || c.max > 100))
				add(
					path,
					`residual value is a % of the original value: '${colName}' must have max <= 100`,
					`Giá trị còn lại tính theo % nguyên giá: cột '${colName}' phải có giá trị tối đa (max) không quá 100.`
				);
		}
		if (EQUIPMENT_AGGREGATES.includes(agg))
			for (const role of AGGREGATE_ROLES[agg])
				if (cols[role] === undefined)
					add(
						`${at}.columns`,
						`aggregate '${agg}' needs the '${role}' column`,
						`Phép tổng hợp '${agg}' cần cột có vai trò '${role}'.`
					);
	}
	const onlyFor = (key: string, aggs: EquipmentAggregate[]) => {
		if (m[key] !== undefined && !aggs.includes(agg))
			add(
				`${at}.${key}`,
				`'${key}' applies only to aggregate ${aggs.join(', ')}`,
				`Trường '${key}' chỉ dùng cho phép tổng hợp ${aggs.join(', ')}.`
			);
	};
	onlyFor('years', ['renewal']);
	onlyFor('automated', ['automated-share']);
	onlyFor('points', ['origin']);
	if (
		agg === 'renewal' &&
		!(Number.isInteger(m.years) && (m.years as number) >= 1 && (m.years as number) <= 50)
	)
		add(
			`${at}.years`,
			'renewal needs years: the window in whole years (1–50)',
			'Phép tổng hợp đổi mới (renewal) cần trường years: khoảng thời gian tính bằng số năm nguyên (1–50).'
		);
	if (agg === 'automated-share') {
		const levels = choicesOf('automation');
		if (!Array.isArray(m.automated) || m.automated.length === 0)
			add(
				`${at}.automated`,
				'automated must list the automation levels that count as automated',
				'Trường automated phải liệt kê các mức tự động hóa được tính là tự động.'
			);
		else if (levels)
			m.automated.forEach((v, i) => {
				if (!levels.includes(String(v)))
					add(
						`${at}.automated[${i}]`,
						`the automation column has no choice '${String(v)}'`,
						`Cột mức tự động hóa không có lựa chọn '${String(v)}'.`
					);
			});
	}
	if (agg === 'origin') {
		if (!isObj(m.points))
			add(
				`${at}.points`,
				'origin needs points per origin group',
				'Phép tổng hợp theo xuất xứ (origin) cần số điểm cho từng nhóm xuất xứ.'
			);
		else {
			const groups = choicesOf('origin');
			for (const [k, p] of Object.entries(m.points)) {
				if (groups && !groups.includes(k))
					add(
						`${at}.points.${k}`,
						`the origin column has no choice '${k}'`,
						`Cột xuất xứ không có lựa chọn '${k}'.`
					);
				checkPoints(p, `${at}.points.${k}`);
			}
			for (const g of groups ?? [])
				if (!(g in m.points))
					add(`${at}.points`, `origin group '${g}' has no points`, `Nhóm xuất xứ '${g}' chưa được gán điểm.`);
		}
		if (m.bands !== undefined || m.reference !== undefined)
			add(
				at,
				'origin is scored by its points per group: no bands or reference',
				'Xuất xứ được chấm theo điểm của từng nhóm: không dùng khoảng điểm (bands) hay giá trị tham chiếu (reference).'
			);
		return;
	}
	if (m.reference !== undefined) {
		if (typeof m.reference !== 'string') needReference(`${at}.reference`, add);
		else checkReference(m.reference, `${at}.reference`, refKeys, add);
	}
	const hi = m.reference === undefined && agg !== 'mean-age' ? 100 : null;
	checkBands(m.bands, `${at}.bands`, 0, hi, checkPoints, add);
}

/** The most points any answer can get through this mapping; null when it cannot be told statically. */
function bestPoints(m: Json): number | null {
	const nums = (xs: unknown[]) => xs.filter(isNum);
	if (m.kind === 'equipment' && isObj(m.points)) {
		const pts = nums(Object.values(m.points));
		return pts.length ? Math.max(...pts) : null;
	}
	if ((m.kind === 'choice' || m.kind === 'multi') && isObj(m.points)) {
		const pts = nums(Object.values(m.points));
		if (!pts.length) return null;
		if (m.kind === 'choice') return Math.max(...pts);
		const sum = pts.filter((p) => p > 0).reduce((a, b) => a + b, 0);
		return isNum(m.cap) ? Math.min(sum, m.cap) : sum;
	}
	if (Array.isArray(m.bands)) {
		const pts = nums(m.bands.map((b) => (isObj(b) ? b.points : undefined)));
		return pts.length ? Math.max(...pts) : null;
	}
	return null;
}

/** Bands must tile [lo, hi] exactly: sorted, no gaps, no overlaps (`to` of one = `from` of the next). */
function checkBands(
	bands: unknown,
	at: string,
	lo: number,
	hi: number | null,
	checkPoints: (p: unknown, path: string) => void,
	add: Add
): void {
	if (!Array.isArray(bands) || bands.length === 0)
		return add(
			at,
			'bands must be a non-empty array of {from, to, points}',
			'Khoảng điểm (bands) phải là một mảng không rỗng gồm các {from, to, points}.'
		);
	const ok = bands.every((b, i) => {
		const good = isObj(b) && (b.from === null || isNum(b.from)) && (b.to === null || isNum(b.to));
		if (!good)
			add(
				`${at}[${i}]`,
				'band must be {"from": number|null, "to": number|null, "points": number}',
				'Mỗi khoảng điểm phải có dạng {"from": số hoặc null, "to": số hoặc null, "points": số}.'
			);
		else checkPoints(b.points, `${at}[${i}].points`);
		return good;
	});
	if (!ok) return;
	const bs = bands as Array<{ from: number | null; to: number | null }>;
	bs.forEach((b, i) => {
		if (b.from !== null && b.to !== null && b.to <= b.from)
			add(
				`${at}[${i}]`,
				`band is empty: from ${b.from} is not below to ${b.to}`,
				`Khoảng điểm rỗng: cận dưới ${b.from} không nhỏ hơn cận trên ${b.to}.`
			);
		if (i > 0 && b.from === null)
			add(
				`${at}[${i}].from`,
				'only the first band may start unbounded (from null)',
				'Chỉ khoảng điểm đầu tiên được để trống cận dưới (from null).'
			);
		if (i < bs.length - 1 && b.to === null)
			add(
				`${at}[${i}].to`,
				'only the last band may be unbounded (to null)',
				'Chỉ khoảng điểm cuối cùng được để trống cận trên (to null).'
			);
	});
	const first = bs[0];
	if (first.from !== null && first.from > lo)
		add(
			`${at}[0].from`,
			`bands leave a gap: values from ${lo} to ${first.from} are not covered`,
			`Các khoảng điểm bị hở: giá trị từ ${lo} đến ${first.from} không thuộc khoảng nào.`
		);
	for (let i = 1; i < bs.length; i++) {
		const prev = bs[i - 1].to;
		const from = bs[i].from;
		if (prev === null || from === null) continue;
		if (from > prev)
			add(
				`${at}[${i}].from`,
				`bands leave a gap: values from ${prev} to ${from} are not covered`,
				`Các khoảng điểm bị hở: giá trị từ ${prev} đến ${from} không thuộc khoảng nào.`
			);
		else if (from < prev)
			add(
				`${at}[${i}].from`,
				`bands overlap: values from ${from} to ${prev} fall in two bands`,
				`Các khoảng điểm chồng lên nhau: giá trị từ ${from} đến ${prev} thuộc hai khoảng.`
			);
	}
	const last = bs[bs.length - 1];
	if (last.to !== null && (hi === null || last.to <= hi))
		add(
			`${at}[${bs.length - 1}].to`,
			`bands leave a gap: values from ${last.to}${hi === null ? ' up' : ` to ${hi}`} are not covered`,
			`Các khoảng điểm bị hở: giá trị từ ${last.to}${hi === null ? ' trở lên' : ` đến ${hi}`} không thuộc khoảng nào.`
		);
}

/**
 * Lints a whole survey version: the questionnaire's house rules, every reference-value file, and
 * the rubric against both. Returns all issues; an empty list means the version can be used.
 */
export function validateSurveyBundle(input: SurveyBundleInput): RubricIssue[] {
	const sector =
		isObj(input.rubric) && typeof input.rubric.sector === 'string' ? input.rubric.sector : undefined;
	return [
		...lintQuestionnaire(input.questionnaire, input.questionnaireFile),
		...input.references.flatMap((r) => validateReferenceValues(r.json, r.file, sector)),
		...validateRubric(input)
	];
}

/** Validates and returns the typed rubric, or throws RubricValidationError listing every issue. */
export function loadRubric(input: SurveyBundleInput): Rubric {
	const issues = validateSurveyBundle(input);
	if (issues.length) throw new RubricValidationError(issues);
	return input.rubric as Rubric;
}

/** Typed reference values after validation (throws RubricValidationError). */
export function loadReferenceValues(json: unknown, file: string, sector?: string): ReferenceValues {
	const issues = validateReferenceValues(json, file, sector);
	if (issues.length) throw new RubricValidationError(issues);
	return json as ReferenceValues;
}
