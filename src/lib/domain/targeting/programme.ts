/**
 * Support programmes are data that admins and policymakers edit; this validates one (from JSON or a
 * form) and reports every problem with its path, in Vietnamese and English.
 */
import { OWNERSHIPS, SIZE_CLASSES } from '../enterprise';
import { LEVEL_IDS } from '../rubric';
import {
	PROGRAMME_TYPES,
	TargetingInputError,
	type Programme,
	type Rescorer,
	type SegmentFilter,
	type TargetingIssue
} from './types';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const TOP_KEYS = ['id', 'name', 'type', 'improves', 'costPerEnterpriseVnd', 'eligibility'];
const ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const ELIGIBILITY_KEYS: Record<keyof SegmentFilter, { allowed?: readonly string[]; vi: string; en: string }> =
	{
		sizes: { allowed: SIZE_CLASSES, vi: 'quy mô', en: 'size class' },
		sectors: { vi: 'ngành', en: 'sector' },
		levels: { allowed: LEVEL_IDS, vi: 'mức trình độ', en: 'level' },
		wards: { vi: 'phường/xã', en: 'ward/commune' },
		ownerships: { allowed: OWNERSHIPS, vi: 'loại hình sở hữu', en: 'ownership' },
		vsic: { vi: 'mã VSIC', en: 'VSIC code' }
	};

/**
 * Validates a segment filter (programme eligibility or what-if segment). Each present key must be a
 * non-empty list of distinct strings (an empty list would silently exclude everyone).
 */
export function validateSegmentFilter(
	v: unknown,
	path: string,
	knownSectors?: readonly string[]
): TargetingIssue[] {
	const issues: TargetingIssue[] = [];
	const add = (p: string, vi: string, en: string) => issues.push({ path: p, message: { vi, en } });
	if (!isObj(v)) {
		add(path, 'Phải là một đối tượng (có thể rỗng: {}).', 'Must be an object (may be empty: {}).');
		return issues;
	}
	for (const [key, value] of Object.entries(v)) {
		const p = `${path}.${key}`;
		const rule = ELIGIBILITY_KEYS[key as keyof SegmentFilter] as
			(typeof ELIGIBILITY_KEYS)[keyof SegmentFilter] | undefined;
		if (!rule) {
			add(
				p,
				`Điều kiện không hỗ trợ; dùng: ${Object.keys(ELIGIBILITY_KEYS).join(', ')}.`,
				`Unsupported condition; use: ${Object.keys(ELIGIBILITY_KEYS).join(', ')}.`
			);
			continue;
		}
		if (!Array.isArray(value) || value.length === 0) {
			add(
				p,
				`Danh sách ${rule.vi} phải có ít nhất một giá trị (bỏ trường này nếu không giới hạn).`,
				`The ${rule.en} list needs at least one value (leave the field out for no restriction).`
			);
			continue;
		}
		const seen = new Set<string>();
		value.forEach((x, i) => {
			const pi = `${p}[${i}]`;
			if (typeof x !== 'string' || x.trim() === '') {
				add(pi, `Giá trị ${rule.vi} phải là chuỗi không rỗng.`, `A ${rule.en} must be a non-empty string.`);
				return;
			}
			if (seen.has(x)) add(pi, `Giá trị "${x}" bị lặp.`, `Duplicate value "${x}".`);
			seen.add(x);
			const allowed = key === 'sectors' ? knownSectors : rule.allowed;
			if (allowed && !allowed.includes(x))
				add(
					pi,
					`"${x}" không phải ${rule.vi} hợp lệ; dùng: ${allowed.join(', ')}.`,
					`"${x}" is not a valid ${rule.en}; use: ${allowed.join(', ')}.`
				);
			if (key === 'vsic' && !/^\d{1,5}$/.test(x))
				add(pi, `Mã VSIC "${x}" phải gồm 1–5 chữ số.`, `VSIC code "${x}" must be 1–5 digits.`);
		});
	}
	return issues;
}

export interface ProgrammeContext {
	/** The rubric's criteria (improved criteria must exist there). */
	rescorer?: Pick<Rescorer, 'criteria'>;
	/** Sector ids from surveys/sectors.json. */
	sectors?: readonly string[];
}

/** Every problem in a programme definition, with JSON paths such as `$.improves[1].points`. */
export function validateProgramme(v: unknown, ctx: ProgrammeContext = {}): TargetingIssue[] {
	const issues: TargetingIssue[] = [];
	const add = (p: string, vi: string, en: string) => issues.push({ path: p, message: { vi, en } });
	if (!isObj(v)) {
		add('$', 'Chương trình hỗ trợ phải là một đối tượng.', 'A support programme must be an object.');
		return issues;
	}
	for (const k of Object.keys(v))
		if (!TOP_KEYS.includes(k)) add(`$.${k}`, `Trường không xác định "${k}".`, `Unknown field "${k}".`);

	if (typeof v.id !== 'string' || !ID_RE.test(v.id))
		add(
			'$.id',
			'Mã chương trình phải gồm chữ thường, số, "-" hoặc "_" (tối đa 64 ký tự).',
			'Programme id must be lower-case letters, digits, "-" or "_" (at most 64 characters).'
		);
	if (!isObj(v.name))
		add('$.name', 'Thiếu tên chương trình {vi, en}.', 'Programme name {vi, en} is missing.');
	else
		for (const lang of ['vi', 'en'] as const)
			if (typeof v.name[lang] !== 'string' || (v.name[lang] as string).trim() === '')
				add(
					`$.name.${lang}`,
					`Thiếu tên chương trình (${lang === 'vi' ? 'tiếng Việt' : 'tiếng Anh'}).`,
					`Programme name (${lang === 'vi' ? 'Vietnamese' : 'English'}) is missing.`
				);
	if (typeof v.type !== 'string' || !(PROGRAMME_TYPES as readonly string[]).includes(v.type))
		add(
			'$.type',
			`Loại chương trình không hợp lệ; dùng: ${PROGRAMME_TYPES.join(', ')}.`,
			`Invalid programme type; use: ${PROGRAMME_TYPES.join(', ')}.`
		);

	if (!Array.isArray(v.improves) || v.improves.length === 0)
		add(
			'$.improves',
			'Cần ít nhất một tiêu chí được cải thiện, dạng [{criterion, points}].',
			'At least one improved criterion is needed, as [{criterion, points}].'
		);
	else {
		const seen = new Set<string>();
		v.improves.forEach((e, i) => {
			const p = `$.improves[${i}]`;
			if (!isObj(e)) return add(p, 'Phải là {criterion, points}.', 'Must be {criterion, points}.');
			for (const k of Object.keys(e))
				if (k !== 'criterion' && k !== 'points')
					add(`${p}.${k}`, `Trường không xác định "${k}".`, `Unknown field "${k}".`);
			const id = e.criterion;
			if (typeof id !== 'string' || id === '')
				add(`${p}.criterion`, 'Thiếu mã tiêu chí.', 'Criterion id is missing.');
			else {
				if (seen.has(id))
					add(`${p}.criterion`, `Tiêu chí ${id} được khai báo hai lần.`, `Criterion ${id} is listed twice.`);
				seen.add(id);
				const known = ctx.rescorer?.criteria;
				if (known && !known.has(id))
					add(
						`${p}.criterion`,
						`Tiêu chí "${id}" không có trong bộ tiêu chí; dùng: ${[...known.keys()].join(', ')}.`,
						`Criterion "${id}" is not in the rubric; use: ${[...known.keys()].join(', ')}.`
					);
			}
			const pts = e.points;
			if (typeof pts !== 'number' || !Number.isFinite(pts) || pts <= 0)
				add(
					`${p}.points`,
					`Số điểm tăng thêm phải là số dương (nhận được ${JSON.stringify(pts)}).`,
					`Points gained must be a positive number (got ${JSON.stringify(pts)}).`
				);
			else if (typeof id === 'string' && ctx.rescorer?.criteria.has(id)) {
				const max = ctx.rescorer.criteria.get(id)?.max ?? 0;
				if (pts > max)
					add(
						`${p}.points`,
						`Tiêu chí ${id} tối đa ${max} điểm; không thể tăng ${pts} điểm.`,
						`Criterion ${id} has at most ${max} points; it cannot gain ${pts}.`
					);
			}
		});
	}

	const cost = v.costPerEnterpriseVnd;
	if (typeof cost !== 'number' || !Number.isSafeInteger(cost) || cost <= 0)
		add(
			'$.costPerEnterpriseVnd',
			`Chi phí cho mỗi doanh nghiệp phải là số nguyên dương (VNĐ), nhận được ${JSON.stringify(cost)}.`,
			`Cost per enterprise must be a positive whole number of VND, got ${JSON.stringify(cost)}.`
		);

	if (v.eligibility === undefined)
		add(
			'$.eligibility',
			'Thiếu điều kiện tham gia (dùng {} nếu không giới hạn).',
			'Eligibility is missing (use {} for none).'
		);
	else issues.push(...validateSegmentFilter(v.eligibility, '$.eligibility', ctx.sectors));
	return issues;
}

/** The typed programme, or a TargetingInputError listing every issue. */
export function parseProgramme(v: unknown, ctx: ProgrammeContext = {}): Programme {
	const issues = validateProgramme(v, ctx);
	if (issues.length) throw new TargetingInputError(issues);
	return v as Programme;
}
