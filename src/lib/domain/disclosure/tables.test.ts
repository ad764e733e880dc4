import { describe, expect, test } from 'vitest';
import { EmptyTableError, hierarchicalTable, oneWayTable, twoWayTable } from './tables';

describe('tables refuse an empty input by name', () => {
	test('a one-way table without segments (nobody answered)', () => {
		const err = (() => {
			try {
				oneWayTable('size', { key: 'all', n: 0 }, []);
			} catch (e) {
				return e;
			}
		})();
		expect(err).toBeInstanceOf(EmptyTableError);
		expect(err).toBeInstanceOf(RangeError);
		expect((err as EmptyTableError).table).toBe('size');
		expect((err as EmptyTableError).total).toBe('all');
		expect((err as EmptyTableError).text.vi).toContain('không có dữ liệu');
		expect((err as EmptyTableError).text.en).toContain('no data');
	});

	test('a two-way table without rows', () => {
		expect(() =>
			twoWayTable('size×level', {
				interior: [],
				rowTotals: [],
				colTotals: [{ key: 'l1', n: 0 }],
				grandTotal: { key: 'all', n: 0 }
			})
		).toThrow(EmptyTableError);
	});

	test('a table with segments is not refused, even when tiny', () => {
		expect(oneWayTable('size', { key: 'all', n: 1 }, [{ key: 's', n: 1 }]).cells).toHaveLength(2);
		expect(hierarchicalTable('h', { cell: { key: 'all', n: 0 } }).constraints).toEqual([]);
	});

	test('other malformed tables keep their own message', () => {
		expect(() => oneWayTable('size', { key: 'all', n: 2 }, [{ key: 's', n: 1 }])).toThrow(
			/parts add up to 1/
		);
		expect(() => oneWayTable('size', { key: 'all', n: 2 }, [{ key: 's', n: 1 }])).not.toThrow(
			EmptyTableError
		);
	});
});
