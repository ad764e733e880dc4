/**
 * Where a problem in an uploaded questionnaire, rubric or reference-value file is, said in the
 * user's language: `$.criteria[3].mapping.bands[1]` reads "tiêu chí thứ 4 › cách tính điểm ›
 * khoảng điểm thứ 2". The JSON path stays available as a technical detail for whoever edits the file.
 */
import { t, type Bilingual, type Locale } from './i18n';

const PARTS: Record<string, Bilingual> = {
	sector: { vi: 'ngành', en: 'sector' },
	version: { vi: 'phiên bản', en: 'version' },
	year: { vi: 'năm', en: 'year' },
	provisional: { vi: 'đánh dấu tạm thời', en: 'provisional flag' },
	source: { vi: 'nguồn', en: 'source' },
	values: { vi: 'giá trị tham chiếu', en: 'reference values' },
	value: { vi: 'giá trị', en: 'value' },
	unit: { vi: 'đơn vị', en: 'unit' },
	title: { vi: 'tiêu đề', en: 'title' },
	referenceYear: { vi: 'năm tham chiếu', en: 'reference year' },
	rounding: { vi: 'làm tròn', en: 'rounding' },
	method: { vi: 'phương pháp', en: 'method' },
	groups: { vi: 'nhóm', en: 'group' },
	group: { vi: 'nhóm', en: 'group' },
	max: { vi: 'điểm tối đa', en: 'maximum' },
	name: { vi: 'tên', en: 'name' },
	k: { vi: 'hệ số đồng bộ K', en: 'coefficient K' },
	weights: { vi: 'trọng số', en: 'weights' },
	priorities: { vi: 'ưu tiên cải thiện', en: 'improvement priorities' },
	criteria: { vi: 'tiêu chí', en: 'criterion' },
	id: { vi: 'mã', en: 'id' },
	no: { vi: 'số thứ tự', en: 'number' },
	mapping: { vi: 'cách tính điểm', en: 'scoring' },
	question: { vi: 'câu hỏi', en: 'question' },
	bands: { vi: 'khoảng điểm', en: 'band' },
	formula: { vi: 'công thức', en: 'formula' },
	fallback: { vi: 'cách tính dự phòng', en: 'fallback' },
	recommendation: { vi: 'khuyến nghị', en: 'recommendation' },
	levels: { vi: 'mức trình độ', en: 'level' },
	label: { vi: 'nhãn', en: 'label' },
	minTotal: { vi: 'điểm tối thiểu', en: 'minimum total' },
	minK: { vi: 'K tối thiểu', en: 'minimum K' },
	ladders: { vi: 'thang công nghệ', en: 'technology ladders' },
	functions: { vi: 'chức năng', en: 'function' },
	used: { vi: 'câu hỏi các bậc đang dùng', en: 'steps-in-use question' },
	most: { vi: 'câu hỏi bậc dùng nhiều nhất', en: 'most-used step question' },
	sharedQuestions: { vi: 'câu hỏi dùng chung', en: 'shared questions' },
	pages: { vi: 'trang', en: 'page' },
	elements: { vi: 'câu hỏi', en: 'element' },
	templateElements: { vi: 'câu hỏi trong bảng lặp', en: 'repeated element' },
	choices: { vi: 'lựa chọn', en: 'choice' },
	rows: { vi: 'dòng', en: 'row' },
	columns: { vi: 'cột', en: 'column' },
	items: { vi: 'mục', en: 'item' },
	validators: { vi: 'điều kiện kiểm tra', en: 'validator' }
};

const WHOLE_FILE: Bilingual = { vi: 'toàn tệp', en: 'the whole file' };

/** The path as a location a person can follow; unknown keys (ids, names) are kept as they are. */
export function issueLocation(path: string, locale: Locale): string {
	const tokens = [...path.matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)];
	if (!tokens.length) return WHOLE_FILE[locale];
	const out: string[] = [];
	for (let i = 0; i < tokens.length; i++) {
		const key = tokens[i][1];
		const index = tokens[i][2];
		if (key === undefined) {
			out.push(locale === 'vi' ? `mục thứ ${Number(index) + 1}` : `item ${Number(index) + 1}`);
			continue;
		}
		const label = PARTS[key]?.[locale] ?? key;
		const next = tokens[i + 1]?.[2];
		if (next !== undefined) {
			out.push(locale === 'vi' ? `${label} thứ ${Number(next) + 1}` : `${label} ${Number(next) + 1}`);
			i++;
		} else out.push(label);
	}
	return out.join(' › ');
}

/** A problem as the validators report it: the English `message` is the technical wording. */
export interface ReportedIssue {
	file: string;
	path: string;
	message: string;
	text?: Bilingual;
}

/**
 * One problem for the person who uploaded the file: where and what, in their language; the file,
 * JSON path and English wording stay together as the detail for whoever edits the JSON.
 */
export function presentIssue(issue: ReportedIssue, locale: Locale): { summary: string; detail: string } {
	const where = issueLocation(issue.path, locale);
	const said = issue.text
		? t(locale, 'surveys.upload.issue', { where, message: issue.text[locale] })
		: t(locale, 'surveys.upload.issueAt', { where, message: issue.message });
	return { summary: `${issue.file}: ${said}`, detail: `${issue.file}: ${issue.path}: ${issue.message}` };
}
