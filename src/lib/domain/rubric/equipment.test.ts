/**
 * Equipment-list aggregates, checked on the worked example of docs/methodology.md (four machines,
 * assessed in 2026) and by properties: weights only matter relatively, row order does not matter,
 * shares add up to 100, a mean lies between its extremes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	aggregateEquipment,
	automatedShare,
	isEmptyList,
	meanAge,
	meanResidual,
	originPoints,
	originShares,
	readEquipmentRows,
	renewalShare,
	type EquipmentColumns,
	type EquipmentRow
} from './equipment';
import { WORKED_EXAMPLE } from './equipment.test-support';

const columns: EquipmentColumns = {
	value: 'value_bn',
	yearMade: 'year_made',
	yearInUse: 'year_in_use',
	origin: 'origin',
	automation: 'automation',
	residual: 'residual_pct'
};

const ORIGIN_POINTS = { unknown: 0, domestic: 1.5, china: 2, other_asia: 3, developed: 4 };
const AUTOMATED = new Set(['semi_automatic', 'automatic', 'cnc_robot']);

describe('the worked example (assessment year 2026)', () => {
	const rows = readEquipmentRows(WORKED_EXAMPLE, columns);
	it('value-weighted mean age: (6·5 + 2·16 + 1.5·2 + 0.5·28) / 10 = 7.9 years', () => {
		expect(meanAge(rows, 2026)).toBeCloseTo(7.9, 12);
	});
	it('renewal: only the welding line (1.5 of 10) was put in use in 2024–2026 → 15 %', () => {
		expect(renewalShare(rows, 2026, 3)).toBeCloseTo(15, 12);
		// One year later the window is 2025–2027: still the welding line only.
		expect(renewalShare(rows, 2027, 3)).toBeCloseTo(15, 12);
		// A five-year window (2022–2026) takes in the CNC centre too.
		expect(renewalShare(rows, 2026, 5)).toBeCloseTo(75, 12);
	});
	it('origin shares 60/20/15/5 % and origin points (6·4 + 2·2 + 1.5·1.5 + 0.5·3) / 10 = 3.175', () => {
		expect(originShares(rows)).toEqual({
			china: expect.closeTo(20, 12),
			developed: expect.closeTo(60, 12),
			domestic: expect.closeTo(15, 12),
			other_asia: expect.closeTo(5, 12)
		});
		expect(originPoints(rows, ORIGIN_POINTS)).toBeCloseTo(3.175, 12);
	});
	it('automated (semi-automatic and above): 9.5 of 10 → 95 %', () => {
		expect(automatedShare(rows, AUTOMATED)).toBeCloseTo(95, 12);
		expect(automatedShare(rows, new Set(['automatic', 'cnc_robot']))).toBeCloseTo(75, 12);
	});
	it('residual value: (6·70 + 2·35 + 1.5·90 + 0.5·5) / 10 = 62.75 %', () => {
		expect(meanResidual(rows)).toBeCloseTo(62.75, 12);
	});
	it('aggregateEquipment dispatches to each aggregate', () => {
		const o = { year: 2026, years: 3, automated: [...AUTOMATED], points: ORIGIN_POINTS };
		expect(aggregateEquipment('mean-age', rows, o)).toBeCloseTo(7.9, 12);
		expect(aggregateEquipment('renewal', rows, o)).toBeCloseTo(15, 12);
		expect(aggregateEquipment('origin', rows, o)).toBeCloseTo(3.175, 12);
		expect(aggregateEquipment('automated-share', rows, o)).toBeCloseTo(95, 12);
		expect(aggregateEquipment('residual', rows, o)).toBeCloseTo(62.75, 12);
	});
});

describe('reading rows', () => {
	it('parses decimal strings, drops blanks and non-decimal cells', () => {
		const rows = readEquipmentRows(
			[
				{ value_bn: '2.5', year_made: ' 2020 ', origin: 'china' },
				{ value_bn: '', year_made: '0x7e4', origin: '' },
				'not a row'
			],
			columns
		);
		expect(rows).toEqual([{ value: 2.5, yearMade: 2020, origin: 'china' }, {}]);
	});
	it('a machine made in the assessment year is 0 years old, never negative', () => {
		expect(meanAge([{ value: 1, yearMade: 2026 }], 2026)).toBe(0);
		expect(meanAge([{ value: 1, yearMade: 2030 }], 2026)).toBe(0);
	});
	it('rows without a positive value or without the cell read are left out of both sums', () => {
		const rows: EquipmentRow[] = [
			{ value: 4, yearMade: 2016 },
			{ value: 0, yearMade: 1950 },
			{ yearMade: 1950 },
			{ value: 100 }
		];
		expect(meanAge(rows, 2026)).toBe(10);
	});
	it('nothing to weigh by gives null (the criterion is then missing)', () => {
		expect(meanAge([], 2026)).toBeNull();
		expect(meanAge([{ value: 0, yearMade: 2000 }], 2026)).toBeNull();
		expect(originShares([{ value: 3 }])).toBeNull();
		expect(automatedShare([{ value: 3, origin: 'china' }], AUTOMATED)).toBeNull();
	});
	it('isEmptyList: absent, [] and rows of blank cells are empty; one filled cell is not', () => {
		expect(isEmptyList(undefined)).toBe(true);
		expect(isEmptyList([])).toBe(true);
		expect(isEmptyList([{}, { stage: '', value_bn: null }])).toBe(true);
		expect(isEmptyList([{ stage: 'Hàn' }])).toBe(false);
		expect(isEmptyList('rows')).toBe(true);
	});
});

describe('properties', () => {
	const row = fc.record({
		value: fc.double({ min: 0.01, max: 1000, noNaN: true }),
		yearMade: fc.integer({ min: 1950, max: 2026 }),
		yearInUse: fc.integer({ min: 1950, max: 2026 }),
		origin: fc.constantFrom('developed', 'china', 'domestic', 'other_asia', 'unknown'),
		automation: fc.constantFrom('manual', 'mechanised', 'semi_automatic', 'automatic', 'cnc_robot'),
		residual: fc.double({ min: 0, max: 100, noNaN: true })
	});
	const list = fc.array(row, { minLength: 1, maxLength: 30 });

	it('a mean age lies between the youngest and the oldest machine', () => {
		fc.assert(
			fc.property(list, (rows) => {
				const ages = rows.map((r) => 2026 - r.yearMade);
				const m = meanAge(rows, 2026)!;
				return m >= Math.min(...ages) - 1e-9 && m <= Math.max(...ages) + 1e-9;
			})
		);
	});
	it('origin shares add up to 100 and every share is in [0, 100]', () => {
		fc.assert(
			fc.property(list, (rows) => {
				const s = Object.values(originShares(rows)!);
				return (
					Math.abs(s.reduce((a, b) => a + b, 0) - 100) < 1e-9 && s.every((x) => x >= 0 && x <= 100 + 1e-9)
				);
			})
		);
	});
	it('scaling every value by the same factor or reordering rows changes nothing', () => {
		fc.assert(
			fc.property(list, fc.double({ min: 0.1, max: 100, noNaN: true }), (rows, k) => {
				const scaled = rows.map((r) => ({ ...r, value: r.value * k })).reverse();
				const close = (a: number | null, b: number | null) => Math.abs(a! - b!) < 1e-6;
				return (
					close(meanAge(rows, 2026), meanAge(scaled, 2026)) &&
					close(renewalShare(rows, 2026, 3), renewalShare(scaled, 2026, 3)) &&
					close(automatedShare(rows, AUTOMATED), automatedShare(scaled, AUTOMATED)) &&
					close(originPoints(rows, ORIGIN_POINTS), originPoints(scaled, ORIGIN_POINTS)) &&
					close(meanResidual(rows), meanResidual(scaled))
				);
			})
		);
	});
	it('a share is 100 when every machine qualifies and 0 when none does', () => {
		fc.assert(
			fc.property(list, (rows) => {
				const all = rows.map((r) => ({ ...r, automation: 'cnc_robot', yearInUse: 2026 }));
				const none = rows.map((r) => ({ ...r, automation: 'manual', yearInUse: 2000 }));
				return (
					Math.abs(automatedShare(all, AUTOMATED)! - 100) < 1e-9 &&
					automatedShare(none, AUTOMATED) === 0 &&
					Math.abs(renewalShare(all, 2026, 3)! - 100) < 1e-9 &&
					renewalShare(none, 2026, 3) === 0
				);
			})
		);
	});
});
