import { describe, expect, it } from 'vitest';
import { isManufacturing, parseVsic4, sectorKindOfVsic, vsicDivision, vsicSection } from './vsic';
import { OWNERSHIP_LABELS, SIZE_CLASS_LABELS, isOwnership, isSizeClass } from './labels';

describe('VSIC helpers', () => {
	it('division and section', () => {
		expect(vsicDivision('1071')).toBe('10');
		expect(vsicDivision('0111')).toBe('01');
		expect(vsicSection('1071')?.letter).toBe('C');
		expect(vsicSection('3320')?.letter).toBe('C');
		expect(vsicSection('0910')?.letter).toBe('B');
		expect(vsicSection('3510')?.letter).toBe('D');
		expect(vsicSection('4711')?.letter).toBe('G');
		expect(vsicSection('0400')).toBeNull(); // division 04 is unassigned
		expect(() => vsicDivision('1')).toThrow(/2 to 5 digits/);
		expect(isManufacturing('2610')).toBe(true);
		expect(isManufacturing('4610')).toBe(false);
	});
	it('sector kind for Decree 80 thresholds', () => {
		expect(sectorKindOfVsic('1071')).toBe('industry');
		expect(sectorKindOfVsic('4100')).toBe('industry');
		expect(sectorKindOfVsic('4511')).toBe('trade');
		expect(sectorKindOfVsic('6201')).toBe('trade');
	});
	it('parseVsic4 keeps leading zeros and explains errors', () => {
		expect(parseVsic4(' 0111 ')).toEqual({ ok: true, value: '0111' });
		expect(parseVsic4('111').error?.en).toMatch(/4 digits/);
		expect(parseVsic4('0400').error?.en).toMatch(/division "04"/);
		expect(parseVsic4(1071).ok).toBe(false);
	});
	it('labels exist in both languages', () => {
		for (const l of [...Object.values(OWNERSHIP_LABELS), ...Object.values(SIZE_CLASS_LABELS)]) {
			expect(l.vi && l.en).toBeTruthy();
		}
		expect(isOwnership('fdi')).toBe(true);
		expect(isOwnership('foreign')).toBe(false);
		expect(isSizeClass('micro')).toBe(true);
	});
});
