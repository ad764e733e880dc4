import { describe, expect, test } from 'vitest';
import { issueLocation } from './issue-location';

describe('issueLocation', () => {
	test('a rubric path reads as a location in each language, counting from 1', () => {
		expect(issueLocation('$.criteria[3].mapping.bands[1]', 'vi')).toBe(
			'tiêu chí thứ 4 › cách tính điểm › khoảng điểm thứ 2'
		);
		expect(issueLocation('$.criteria[3].mapping.bands[1]', 'en')).toBe('criterion 4 › scoring › band 2');
		expect(issueLocation('$.groups', 'vi')).toBe('nhóm');
		expect(issueLocation('$.k.weights.T', 'en')).toBe('coefficient K › weights › T');
	});

	test('the whole file, unknown keys kept as written, a bare index', () => {
		expect(issueLocation('$', 'vi')).toBe('toàn tệp');
		expect(issueLocation('', 'en')).toBe('the whole file');
		expect(issueLocation('$.values.wageIndex.value', 'vi')).toBe('giá trị tham chiếu › wageIndex › giá trị');
		expect(issueLocation('$.pages[0].elements[2].choices[5]', 'vi')).toBe(
			'trang thứ 1 › câu hỏi thứ 3 › lựa chọn thứ 6'
		);
		expect(issueLocation('$[2]', 'en')).toBe('item 3');
	});
});
