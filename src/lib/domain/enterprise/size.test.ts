import { describe, expect, it } from 'vitest';
import { classifySize, sizeClass } from './size';

describe('sizeClass (Decree 80/2021)', () => {
	// Each row: employees, revenue, capital, expected. Values sit exactly on and just past each limit.
	const industry: Array<[number, number | null, number | null, string]> = [
		[10, 3, 3, 'micro'],
		[10, 3, 999, 'micro'], // revenue criterion alone suffices
		[10, 999, 3, 'micro'], // capital criterion alone suffices
		[11, 3, 3, 'small'], // employees just above micro
		[10, 3.01, 3.01, 'small'], // both financial criteria above micro
		[100, 50, 20, 'small'],
		[100, 50.5, 20, 'small'],
		[100, 50.5, 20.5, 'medium'],
		[101, 1, 1, 'medium'],
		[200, 200, 100, 'medium'],
		[200, 200.1, 100.1, 'large'],
		[201, 1, 1, 'large'],
		[0, 0, 0, 'micro']
	];
	it.each(industry)('industry: %s employees, revenue %s, capital %s → %s', (e, r, c, want) => {
		expect(sizeClass({ employees: e, revenueBn: r, capitalBn: c }, 'industry')).toBe(want);
	});

	const trade: Array<[number, number | null, number | null, string]> = [
		[10, 10, 999, 'micro'],
		[10, 10.1, 3, 'micro'],
		[10, 10.1, 3.1, 'small'],
		[11, 1, 1, 'small'],
		[50, 100, 50, 'small'],
		[50, 100.1, 50.1, 'medium'],
		[51, 1, 1, 'medium'],
		[100, 300, 100, 'medium'],
		[100, 300.1, 100.1, 'large'],
		[101, 1, 1, 'large']
	];
	it.each(trade)('trade: %s employees, revenue %s, capital %s → %s', (e, r, c, want) => {
		expect(sizeClass({ employees: e, revenueBn: r, capitalBn: c }, 'trade')).toBe(want);
	});

	it('the same enterprise can differ by sector kind', () => {
		const x = { employees: 60, revenueBn: 40, capitalBn: 30 };
		expect(sizeClass(x, 'industry')).toBe('small');
		expect(sizeClass(x, 'trade')).toBe('medium');
	});

	it('missing employees or both financial values → not classifiable, with a bilingual reason', () => {
		const a = classifySize({ revenueBn: 1, capitalBn: 1 }, 'industry');
		expect(a.ok).toBe(false);
		if (!a.ok) expect(a.error.en).toMatch(/employees/);
		const b = classifySize({ employees: 5, revenueBn: null }, 'industry');
		expect(b.ok).toBe(false);
		if (!b.ok) expect(b.error.vi).toMatch(/doanh thu và nguồn vốn/);
		expect(sizeClass({ employees: 5 }, 'trade')).toBeNull();
	});

	it('one financial value missing → the other decides, flagged partial', () => {
		expect(classifySize({ employees: 5, revenueBn: 2 }, 'industry')).toEqual({
			ok: true,
			value: 'micro',
			partial: true
		});
		// capital unknown, revenue 4 > 3: micro cannot be confirmed → small (never understated)
		expect(classifySize({ employees: 5, revenueBn: 4 }, 'industry')).toEqual({
			ok: true,
			value: 'small',
			partial: true
		});
		expect(classifySize({ employees: 5, revenueBn: 2, capitalBn: 2 }, 'industry')).toMatchObject({
			partial: false
		});
	});

	it('rejects negative or non-finite values and bad sector kinds', () => {
		expect(classifySize({ employees: -1, revenueBn: 1 }, 'industry').ok).toBe(false);
		expect(classifySize({ employees: 3, revenueBn: Number.NaN, capitalBn: 1 }, 'industry').ok).toBe(false);
		// @ts-expect-error deliberately invalid
		const r = classifySize({ employees: 3, revenueBn: 1 }, 'services');
		expect(r.ok).toBe(false);
	});
});
