import { describe, expect, it } from 'vitest';
import { aggregatesCsv, dialectFor } from './index';
import type { BenchmarkView, SegmentView } from '../releases/read';

const block = (mean: number) => ({
	n: 12,
	mean,
	sd: null,
	min: null,
	p25: 40,
	median: 52.5,
	p75: null,
	p90: null,
	max: null,
	lower: 41.2,
	upper: 60.1
});
const seg = (key: string, size: string, suppressed: boolean): SegmentView => ({
	key,
	segment: { size },
	n: suppressed ? null : 12,
	flag: suppressed ? ':c' : null,
	suppressed,
	revenueBn: suppressed ? null : 1234,
	total: suppressed ? null : block(50.7),
	K: suppressed ? null : block(0.456),
	groups: null,
	weighted: null,
	weightedMeasures: null,
	ladders: null
});
const view = {
	release: { sector: 'mechanical', year: 2025, version: 1 },
	by: 'size',
	dims: ['size'],
	view: 'public',
	segments: [seg('size=small', 'small', false), seg('size=large', 'large', true)],
	distributions: {},
	tables: []
} as unknown as BenchmarkView;

describe('aggregates CSV dialects', () => {
	it('Vietnamese Excel: BOM, ";" and decimal comma; a withheld figure is empty with ":c" in the flag column', () => {
		const csv = aggregatesCsv(view, 'vi');
		expect(csv.startsWith('\uFEFF')).toBe(true);
		const [head, small, large] = csv.slice(1).split('\r\n');
		const h = head.split(';');
		const col = (line: string, name: string) => line.split(';')[h.indexOf(name)];
		expect(h).toContain('Điểm TB');
		expect(col(small, 'Điểm TB')).toBe('50,7');
		expect(col(small, 'K trung bình')).toBe('0,456');
		expect(col(small, 'Trung vị')).toBe('52,5');
		expect(col(small, 'Ký hiệu')).toBe('');
		expect(col(large, 'Điểm TB')).toBe('');
		expect(col(large, 'Số DN (n)')).toBe('');
		expect(col(large, 'Ký hiệu')).toBe(':c');
		expect(csv).not.toMatch(/\d :c/); // never a number with the flag glued on
	});
	it('standard: "," and decimal point; the dialect can be chosen whatever the language', () => {
		const csv = aggregatesCsv(view, 'en');
		const [head, small] = csv.slice(1).split('\r\n');
		expect(head.split(',')).toContain('Mean score');
		expect(small.split(',')[head.split(',').indexOf('Mean score')]).toBe('50.7');
		expect(dialectFor('standard', 'vi')).toBe('standard');
		expect(dialectFor('bogus', 'vi')).toBe('excel-vi');
		expect(dialectFor(null, 'en')).toBe('standard');
		expect(aggregatesCsv(view, 'vi', 'standard')).toContain('50.7');
	});
});
