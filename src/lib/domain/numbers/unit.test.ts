import { describe, expect, it } from 'vitest';
import { unitFromTitle } from './unit';

describe('unitFromTitle', () => {
	it.each([
		['Doanh thu thuần (tỷ đồng)', 'tỷ đồng'],
		['Net revenue (billion VND)', 'billion VND'],
		['Tỷ lệ công đoạn sản xuất được tự động hóa (%)', '%'],
		['Số nhân lực R&D (người, quy đổi toàn thời gian)', 'người'],
		['Revenue per employee (million VND, calculated)', 'million VND'],
		['Average age of the main production equipment (years) ', 'years']
	])('%j → %j', (title, unit) => {
		expect(unitFromTitle(title)).toBe(unit);
	});

	it.each([
		'Năm thành lập',
		'Số lao động (bình quân) trong năm',
		'Ghi chú (một nhận xét dài hơn một đơn vị đo lường thông thường)',
		'Rỗng ()'
	])('%j states no unit', (title) => {
		expect(unitFromTitle(title)).toBeNull();
	});
});
