/**
 * The unit a questionnaire states in a question's title, to show beside the input:
 * "Doanh thu thuần (tỷ đồng)" → "tỷ đồng", "Tỷ lệ ... (%)" → "%", "(người, quy đổi toàn thời
 * gian)" → "người". Null when the title states none (no final parenthesis, or a long remark).
 */
export function unitFromTitle(title: string): string | null {
	const m = /\(([^()]+)\)\s*$/.exec(title.trim());
	if (!m) return null;
	const unit = m[1].split(',')[0].trim();
	return unit && unit.length <= 20 ? unit : null;
}
