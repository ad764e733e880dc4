import { describe, expect, test } from 'vitest';
import { rewindForD3 } from './rewind';

const ccw = [
	[0, 0],
	[1, 0],
	[1, 1],
	[0, 1],
	[0, 0]
];
const cw = [...ccw].reverse();

describe('rings turned the way d3-geo reads them', () => {
	test('exteriors clockwise, holes counter-clockwise, whatever the file did', () => {
		expect(rewindForD3({ type: 'Polygon', coordinates: [ccw] }).coordinates).toEqual([cw]);
		expect(rewindForD3({ type: 'Polygon', coordinates: [cw] }).coordinates).toEqual([cw]);
		expect(rewindForD3({ type: 'Polygon', coordinates: [ccw, cw] }).coordinates).toEqual([cw, ccw]);
		expect(rewindForD3({ type: 'MultiPolygon', coordinates: [[ccw], [cw]] }).coordinates).toEqual([
			[cw],
			[cw]
		]);
	});
});
