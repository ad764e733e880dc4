/**
 * Exports of the sector database: aggregates with suppression flags, microdata (pseudonymised,
 * audited), a codebook generated from the questionnaire and rubric. UTF-8 with BOM, formula-escaped
 * ($lib/domain/csv writers), so Excel shows Vietnamese correctly and no cell runs as a formula.
 */
import { csvLines, toCsvString, type CsvCell, type CsvColumn } from '$lib/domain/csv';
import { SUPPRESSION_TEXT } from '$lib/domain/disclosure';
import { OWNERSHIP_LABELS, SIZE_CLASS_LABELS, isOwnership, isSizeClass } from '$lib/domain/enterprise';
import { recordAudit, type Actor } from '../audit';
import { rowAccessOf, seesAllRows } from '../authz';
import { C } from '../db/schema';
import type { Database } from '../db/types';
import { loadSurvey } from '../surveys';
import { getRelease, type BenchmarkView } from '../releases/read';
import { DIMENSIONS, type ReleaseRowDoc } from '../releases/types';

export type Locale = 'vi' | 'en';

/**
 * CSV dialects: Excel on Vietnamese Windows splits on ';' and reads ',' as the decimal mark; the standard
 * dialect is ',' and '.'. Both start with a UTF-8 BOM.
 */
export type CsvDialect = 'excel-vi' | 'standard';
export const CSV_DIALECTS: readonly CsvDialect[] = ['excel-vi', 'standard'];

/** The dialect for a request: an explicit valid choice, else the page language's (vi → excel-vi). */
export function dialectFor(raw: string | null | undefined, locale: Locale): CsvDialect {
	return raw && (CSV_DIALECTS as readonly string[]).includes(raw)
		? (raw as CsvDialect)
		: locale === 'vi'
			? 'excel-vi'
			: 'standard';
}

export function dialectOptions(d: CsvDialect): {
	delimiter: ';' | ',';
	numberFormat: 'comma-decimal' | 'dot-decimal';
} {
	return d === 'excel-vi'
		? { delimiter: ';', numberFormat: 'comma-decimal' }
		: { delimiter: ',', numberFormat: 'dot-decimal' };
}

/** A figure as a NUMBER cell (so spreadsheets can compute with it); withheld figures are empty. */
const fig = (v: number | null | undefined): number | null =>
	v === null || v === undefined ? null : Math.round(v * 1000) / 1000;

export function segmentLabel(dim: string, value: string | undefined, locale: Locale): string {
	if (value === undefined) return '';
	if (dim === 'size' && isSizeClass(value)) return SIZE_CLASS_LABELS[value][locale];
	if (dim === 'ownership' && isOwnership(value)) return OWNERSHIP_LABELS[value][locale];
	if (value === 'unknown') return locale === 'vi' ? 'Không rõ' : 'Unknown';
	return value;
}

const H = {
	vi: {
		sector: 'Ngành',
		year: 'Năm',
		version: 'Phiên bản',
		segment: 'Phân tổ',
		n: 'Số DN (n)',
		flag: 'Ký hiệu',
		mean: 'Điểm TB',
		lower: 'KTC 95% dưới',
		upper: 'KTC 95% trên',
		median: 'Trung vị',
		p25: 'P25',
		p75: 'P75',
		p90: 'P90',
		K: 'K trung bình',
		wmean: 'Điểm TB có trọng số',
		wlower: 'KTC 95% dưới (trọng số)',
		wupper: 'KTC 95% trên (trọng số)',
		revenue: 'Tổng doanh thu (tỷ đồng)'
	},
	en: {
		sector: 'Sector',
		year: 'Year',
		version: 'Version',
		segment: 'Segment',
		n: 'Enterprises (n)',
		flag: 'Flag',
		mean: 'Mean score',
		lower: '95% CI lower',
		upper: '95% CI upper',
		median: 'Median',
		p25: 'P25',
		p75: 'P75',
		p90: 'P90',
		K: 'Mean K',
		wmean: 'Weighted mean score',
		wlower: '95% CI lower (weighted)',
		wupper: '95% CI upper (weighted)',
		revenue: 'Revenue total (bn VND)'
	}
} as const;

/**
 * Aggregates of one segmentation as CSV: one row per segment, numbers as numbers in the dialect's format,
 * a withheld figure EMPTY with ':c' in the flag column (in the microdata view the figure is shown and the
 * flag says it would be withheld in public), a legend row last.
 */
export function aggregatesCsv(
	view: BenchmarkView,
	locale: Locale,
	dialect: CsvDialect = dialectFor(null, locale)
): string {
	const h = H[locale];
	const dimHeaders: Record<string, string> =
		locale === 'vi'
			? { size: 'Quy mô', ownership: 'Loại hình sở hữu', ward: 'Phường/xã', vsic: 'Mã VSIC' }
			: { size: 'Size class', ownership: 'Ownership', ward: 'Ward/commune', vsic: 'VSIC code' };
	const columns: CsvColumn[] = [
		{ key: 'sector', header: h.sector },
		{ key: 'year', header: h.year },
		{ key: 'version', header: h.version },
		...(view.dims.length
			? view.dims.map((d) => ({ key: d, header: dimHeaders[d] }))
			: [{ key: 'segment', header: h.segment }]),
		{ key: 'n', header: h.n },
		{ key: 'flag', header: h.flag },
		{ key: 'mean', header: h.mean },
		{ key: 'lower', header: h.lower },
		{ key: 'upper', header: h.upper },
		{ key: 'median', header: h.median },
		{ key: 'p25', header: h.p25 },
		{ key: 'p75', header: h.p75 },
		{ key: 'p90', header: h.p90 },
		{ key: 'K', header: h.K },
		...['T', 'E', 'O', 'R', 'I'].map((g) => ({
			key: `g${g}`,
			header: `${g} (${locale === 'vi' ? 'TB' : 'mean'})`
		})),
		{ key: 'wmean', header: h.wmean },
		{ key: 'wlower', header: h.wlower },
		{ key: 'wupper', header: h.wupper },
		{ key: 'revenue', header: h.revenue }
	];
	const rows: Record<string, CsvCell>[] = view.segments.map((s) => {
		const r: Record<string, CsvCell> = {
			sector: view.release.sector,
			year: view.release.year,
			version: view.release.version,
			segment: locale === 'vi' ? 'Toàn ngành' : 'Whole sector',
			n: s.n,
			flag: s.flag ?? '',
			mean: fig(s.total?.mean),
			lower: fig(s.total?.lower),
			upper: fig(s.total?.upper),
			median: fig(s.total?.median),
			p25: fig(s.total?.p25),
			p75: fig(s.total?.p75),
			p90: fig(s.total?.p90),
			K: fig(s.K?.mean),
			wmean: fig(s.weighted?.mean),
			wlower: fig(s.weighted?.lower),
			wupper: fig(s.weighted?.upper),
			revenue: fig(s.revenueBn)
		};
		for (const g of ['T', 'E', 'O', 'R', 'I']) r[`g${g}`] = fig(s.groups?.[g]?.mean);
		for (const d of DIMENSIONS) r[d] = segmentLabel(d, s.segment[d], locale);
		return r;
	});
	rows.push({ sector: SUPPRESSION_TEXT.flag[locale] });
	return toCsvString(rows, columns, dialectOptions(dialect));
}

/** True when the user may export microdata: those who see every row (`rowAccessOf`, authz.ts). */
export function mayExportMicrodata(user: { role: string; microdata?: boolean } | null | undefined): boolean {
	return seesAllRows(rowAccessOf(user));
}

export class ExportError extends Error {
	constructor(
		readonly status: 403 | 404,
		readonly text: { vi: string; en: string }
	) {
		super(text.en);
		this.name = 'ExportError';
	}
}

/**
 * Microdata of a release as CSV lines, one row per enterprise, pseudonymous ids (real ids only for
 * admins asking `identified`). Every export is written to the audit log before the first line.
 */
export async function exportMicrodata(
	db: Database,
	releaseId: string,
	user: (Actor & { role: string; microdata?: boolean }) | null,
	options: {
		identified?: boolean;
		ip?: string;
		via?: string;
		/** Default standard: microdata is mostly read by scripts, which expect ',' and '.'. */
		dialect?: CsvDialect;
	} = {}
): Promise<AsyncGenerator<string, void, undefined>> {
	if (!mayExportMicrodata(user))
		throw new ExportError(403, {
			vi: 'Bạn không có quyền tải vi dữ liệu.',
			en: 'You do not have microdata rights.'
		});
	if (options.identified && rowAccessOf(user) !== 'identified')
		throw new ExportError(403, {
			vi: 'Chỉ quản trị viên được tải vi dữ liệu có định danh.',
			en: 'Only administrators may export identified microdata.'
		});
	const release = await getRelease(db, releaseId);
	if (!release)
		throw new ExportError(404, {
			vi: `Không tìm thấy bản phát hành '${releaseId}'.`,
			en: `Release '${releaseId}' not found.`
		});
	const survey = loadSurvey(release.surveyId);
	const rows = await db.collection<ReleaseRowDoc>(C.releaseRows).find({ releaseId }, { sort: { pid: 1 } });
	await recordAudit(db, {
		actor: user ? { id: user.id, email: user.email } : null,
		action: 'release.microdata-export',
		target: `releases/${releaseId}`,
		after: { rows: rows.length, identified: !!options.identified, via: options.via ?? 'web' },
		ip: options.ip
	});
	const criteria = survey.rubric.criteria.map((c) => c.id);
	const fns = release.ladderFunctions.map((f) => f.id);
	const columns: string[] = [
		'pid',
		...(options.identified ? ['enterprise_id'] : []),
		'size',
		'ownership',
		'ward',
		'vsic',
		'employees',
		'revenue_bn',
		'total',
		'K',
		'level',
		...['T', 'E', 'O', 'R', 'I'].map((g) => `group_${g}`),
		...criteria.map((c) => `crit_${c}`),
		...fns.flatMap((f) => [`ladder_${f}_EXT`, `ladder_${f}_INT`])
	];
	function* records(): Generator<Record<string, CsvCell>> {
		for (const r of rows) {
			const rec: Record<string, CsvCell> = {
				pid: r.pid,
				enterprise_id: r.enterpriseId,
				size: r.size,
				ownership: r.ownership,
				ward: r.ward,
				vsic: r.vsic,
				employees: r.employees,
				revenue_bn: r.revenueBn,
				total: r.total,
				K: r.K,
				level: r.level
			};
			for (const g of ['T', 'E', 'O', 'R', 'I']) rec[`group_${g}`] = r.groups[g];
			for (const c of criteria) rec[`crit_${c}`] = r.criteria[c];
			for (const f of fns) {
				rec[`ladder_${f}_EXT`] = r.ladders[f]?.EXT ?? null;
				rec[`ladder_${f}_INT`] = r.ladders[f]?.INT ?? null;
			}
			yield rec;
		}
	}
	return csvLines(records(), columns, dialectOptions(options.dialect ?? 'standard'));
}

/** Titles of questionnaire questions by name (localizable strings may be plain or {default, vi}). */
function questionTitles(q: Record<string, unknown>): Map<string, { vi: string; en: string }> {
	const out = new Map<string, { vi: string; en: string }>();
	const text = (t: unknown): { vi: string; en: string } => {
		if (typeof t === 'string') return { vi: t, en: t };
		if (t && typeof t === 'object') {
			const o = t as Record<string, string>;
			return { vi: o.vi ?? o.default ?? '', en: o.default ?? o.en ?? o.vi ?? '' };
		}
		return { vi: '', en: '' };
	};
	const walk = (els: unknown): void => {
		if (!Array.isArray(els)) return;
		for (const e of els as Array<Record<string, unknown>>) {
			if (typeof e.name === 'string') out.set(e.name, text(e.title ?? e.name));
			walk(e.elements);
			walk(e.templateElements);
		}
	};
	for (const p of (q.pages as Array<Record<string, unknown>> | undefined) ?? []) walk(p.elements);
	return out;
}

/** The codebook of the microdata file, generated from the questionnaire and rubric of a survey version. */
export function codebookCsv(
	surveyId: string,
	locale: Locale,
	dialect: CsvDialect = dialectFor(null, locale)
): string {
	const survey = loadSurvey(surveyId);
	const rubric = survey.rubric;
	const titles = questionTitles(survey.questionnaire);
	const L = (b: { vi: string; en: string }) => b[locale];
	const rows: Record<string, CsvCell>[] = [
		{
			variable: 'pid',
			label:
				locale === 'vi'
					? 'Mã ẩn danh của doanh nghiệp (HMAC-SHA256, riêng cho từng bản phát hành)'
					: 'Pseudonymous enterprise id (HMAC-SHA256, per release)',
			type: 'text'
		},
		{
			variable: 'size',
			label: locale === 'vi' ? 'Quy mô (Nghị định 80/2021)' : 'Size class (Decree 80/2021)',
			type: 'code',
			values:
				Object.entries(SIZE_CLASS_LABELS)
					.map(([k, v]) => `${k}=${L(v)}`)
					.join('; ') + '; unknown'
		},
		{
			variable: 'ownership',
			label: locale === 'vi' ? 'Loại hình sở hữu' : 'Ownership',
			type: 'code',
			values: Object.entries(OWNERSHIP_LABELS)
				.map(([k, v]) => `${k}=${L(v)}`)
				.join('; ')
		},
		{ variable: 'ward', label: locale === 'vi' ? 'Phường/xã' : 'Ward/commune', type: 'code' },
		{
			variable: 'vsic',
			label: locale === 'vi' ? 'Mã ngành VSIC 2018 (4 số)' : 'VSIC 2018 code (4 digits)',
			type: 'code'
		},
		{
			variable: 'employees',
			label: locale === 'vi' ? 'Số lao động có BHXH' : 'Insured employees',
			type: 'number'
		},
		{
			variable: 'revenue_bn',
			label: locale === 'vi' ? 'Doanh thu (tỷ đồng)' : 'Revenue (bn VND)',
			type: 'number'
		},
		{
			variable: 'total',
			label: locale === 'vi' ? 'Tổng điểm (0–100)' : 'Total score (0–100)',
			type: 'number',
			values: '0–100'
		},
		{
			variable: 'K',
			label: locale === 'vi' ? 'Hệ số đồng bộ K' : 'Synchronisation coefficient K',
			type: 'number',
			values: '0–1'
		},
		{
			variable: 'level',
			label: locale === 'vi' ? 'Mức trình độ công nghệ' : 'Technology level',
			type: 'code',
			values: rubric.levels.map((l) => `${l.id}=${L(l.label)} (≥ ${l.minTotal}, K ≥ ${l.minK})`).join('; ')
		},
		...rubric.groups.map((g) => ({
			variable: `group_${g.id}`,
			label: L(g.name),
			type: 'number',
			values: `0–${g.max}`
		})),
		...rubric.criteria.map((c) => {
			const q = 'question' in c.mapping ? c.mapping.question : '';
			const title = q ? titles.get(q.split('.')[0]) : undefined;
			return {
				variable: `crit_${c.id}`,
				label: `${c.no}. ${L(c.name)}`,
				type: 'number',
				values: `0–${c.max}`,
				group: c.group,
				source: [q, title ? L(title) : '', c.mapping.kind].filter(Boolean).join(' · ')
			};
		}),
		...rubric.ladders.functions.flatMap((f) => [
			{
				variable: `ladder_${f.id}_EXT`,
				label: `${L(f.name)} — ${locale === 'vi' ? 'bậc cao nhất có sử dụng (EXT)' : 'most advanced step used (EXT)'}`,
				type: 'number',
				values: '1–5',
				source: f.used
			},
			{
				variable: `ladder_${f.id}_INT`,
				label: `${L(f.name)} — ${locale === 'vi' ? 'bậc dùng nhiều nhất (INT)' : 'step used most (INT)'}`,
				type: 'number',
				values: '1–5',
				source: f.most
			}
		])
	];
	const cols: CsvColumn[] =
		locale === 'vi'
			? [
					{ key: 'variable', header: 'Biến' },
					{ key: 'label', header: 'Mô tả' },
					{ key: 'type', header: 'Kiểu' },
					{ key: 'values', header: 'Giá trị' },
					{ key: 'group', header: 'Nhóm' },
					{ key: 'source', header: 'Nguồn (câu hỏi · cách tính)' }
				]
			: [
					{ key: 'variable', header: 'Variable' },
					{ key: 'label', header: 'Label' },
					{ key: 'type', header: 'Type' },
					{ key: 'values', header: 'Values' },
					{ key: 'group', header: 'Group' },
					{ key: 'source', header: 'Source (question · mapping)' }
				];
	return toCsvString(rows, cols, dialectOptions(dialect));
}

/** Standard headers of a CSV download. */
export function csvHeaders(filename: string): Record<string, string> {
	return {
		'content-type': 'text/csv; charset=utf-8',
		'content-disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
		'cache-control': 'private, no-store'
	};
}
