import { describe, expect, it } from 'vitest';
import { protectTable } from './protect';
import { applyRole, CONFIDENTIAL_FLAG, formatReleased, SUPPRESSION_TEXT } from './release';
import { oneWayTable } from './tables';

const t = protectTable(
	oneWayTable('by size', { key: 'total', n: 43, value: 430 }, [
		{ key: 'micro', n: 3, value: 30 },
		{ key: 'small', n: 12, value: 120 },
		{ key: 'medium', n: 8, value: 80 },
		{ key: 'large', n: 20, value: 200 }
	])
);

describe('applyRole', () => {
	it('public: suppressed values are null with the :c flag, and primary vs secondary is not revealed', () => {
		const v = applyRole(t, { microdata: false });
		expect(v.view).toBe('public');
		expect(v.cells.find((c) => c.key === 'micro')).toEqual({
			key: 'micro',
			n: null,
			value: null,
			flag: ':c',
			suppressed: true
		});
		expect(v.cells.find((c) => c.key === 'medium')).toEqual({
			key: 'medium',
			n: null,
			value: null,
			flag: ':c',
			suppressed: true
		});
		expect(v.cells.find((c) => c.key === 'small')).toEqual({
			key: 'small',
			n: 12,
			value: 120,
			flag: null,
			suppressed: false
		});
		expect(JSON.stringify(v)).not.toMatch(/primary|secondary|threshold/);
	});
	it('microdata: values visible, still flagged as would-be-suppressed, with status and reasons', () => {
		const v = applyRole(t, { microdata: true });
		expect(v.cells.find((c) => c.key === 'micro')).toEqual({
			key: 'micro',
			n: 3,
			value: 30,
			flag: CONFIDENTIAL_FLAG,
			suppressed: true,
			status: 'suppressed-primary',
			reasons: ['threshold']
		});
		expect(v.cells.find((c) => c.key === 'medium')?.status).toBe('suppressed-secondary');
	});
	it('formats for CSV and has bilingual texts', () => {
		expect(formatReleased(null, ':c')).toBe(':c');
		expect(formatReleased(30, ':c')).toBe('30 :c');
		expect(formatReleased(1.5, null, (x) => x.toFixed(2))).toBe('1.50');
		expect(formatReleased(null, null)).toBe('');
		expect(SUPPRESSION_TEXT.flag.vi).toMatch(/Bảo mật/);
		expect(SUPPRESSION_TEXT.reasons.dominance.en.length).toBeGreaterThan(0);
	});
});
