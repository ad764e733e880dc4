import { describe, expect, it } from 'vitest';
import { normalQuantile, regularizedIncompleteBeta, studentTCdf, studentTQuantile } from './distributions';
import { meanInterval, meanIntervalFromMoments, wilsonInterval } from './intervals';

describe('Student t quantile vs printed tables (3 decimals)', () => {
	// p = 0.975 (two-sided 95%)
	const t975: Array<[number, number]> = [
		[1, 12.706],
		[2, 4.303],
		[3, 3.182],
		[4, 2.776],
		[5, 2.571],
		[6, 2.447],
		[7, 2.365],
		[8, 2.306],
		[9, 2.262],
		[10, 2.228],
		[15, 2.131],
		[20, 2.086],
		[25, 2.06],
		[30, 2.042],
		[40, 2.021],
		[60, 2.0],
		[120, 1.98],
		[Infinity, 1.96]
	];
	it.each(t975)('t(0.975, %s) = %s', (df, want) => {
		expect(studentTQuantile(0.975, df)).toBeCloseTo(want, 3);
	});
	const others: Array<[number, number, number]> = [
		[0.95, 1, 6.314],
		[0.95, 5, 2.015],
		[0.95, 10, 1.812],
		[0.95, 30, 1.697],
		[0.995, 1, 63.657],
		[0.995, 5, 4.032],
		[0.995, 10, 3.169],
		[0.995, 30, 2.75],
		[0.9995, 1, 636.619],
		[0.9995, 10, 4.587],
		[0.9, 2, 1.886],
		[0.9, 20, 1.325]
	];
	it.each(others)('t(%s, %s) = %s', (p, df, want) => {
		expect(studentTQuantile(p, df)).toBeCloseTo(want, 3);
	});
	it('symmetry, closed forms and consistency with the CDF', () => {
		expect(studentTQuantile(0.025, 7)).toBeCloseTo(-studentTQuantile(0.975, 7), 10);
		expect(studentTQuantile(0.5, 3)).toBe(0);
		// df = 1 is Cauchy: t = tan(π(p − ½)); df = 2: t = (2p − 1)/√(2p(1 − p))
		expect(studentTQuantile(0.9, 1)).toBeCloseTo(Math.tan(Math.PI * 0.4), 8);
		expect(studentTQuantile(0.9, 2)).toBeCloseTo(0.8 / Math.sqrt(2 * 0.9 * 0.1), 8);
		expect(studentTCdf(studentTQuantile(0.975, 3.4571), 3.4571)).toBeCloseTo(0.975, 9);
		expect(() => studentTQuantile(1, 3)).toThrow(/0 < p < 1/);
		expect(() => studentTQuantile(0.9, 0)).toThrow(/df > 0/);
	});
	it('normal quantile and incomplete beta sanity', () => {
		expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
		expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 6);
		// I_x(1, 1) = x; I_x(a, 1) = x^a
		expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
		expect(regularizedIncompleteBeta(0.5, 3, 1)).toBeCloseTo(0.125, 12);
	});
});

describe('mean interval', () => {
	it('hand example 2, 4, 6, 8', () => {
		// mean 5; s² = (9 + 1 + 1 + 9)/3 = 20/3; se = √(20/3)/2; t(0.975, 3) = 3.182446
		const r = meanInterval([2, 4, 6, 8]);
		const se = Math.sqrt(20 / 3) / 2;
		expect(r.mean).toBe(5);
		expect(r.se).toBeCloseTo(se, 12);
		expect(r.df).toBe(3);
		expect(r.lower).toBeCloseTo(5 - 3.182446 * se, 5);
		expect(r.upper).toBeCloseTo(9.1085, 4);
	});
	it('n < 2 has no interval; moments form agrees', () => {
		expect(meanInterval([4])).toMatchObject({ n: 1, mean: 4, se: null, lower: null });
		expect(meanInterval([])).toMatchObject({ n: 0, mean: null });
		const a = meanInterval([2, 4, 6, 8], 0.9);
		const b = meanIntervalFromMoments(4, 5, Math.sqrt(20 / 3), 0.9);
		expect(b.lower).toBeCloseTo(a.lower as number, 12);
		expect(() => meanInterval([1, Infinity])).toThrow(/values\[1\]/);
	});
});

describe('Wilson interval', () => {
	it('8 of 10 by hand', () => {
		// z = 1.959964, z²/n = 0.3841459; centre = (0.8 + 0.1920729)/1.3841459 = 0.716738;
		// half = (z/1.3841459)·√(0.016 + z²/400) = 1.416009 · 0.160011 = 0.226577
		const r = wilsonInterval(8, 10);
		expect(r.p).toBe(0.8);
		expect(r.lower).toBeCloseTo(0.49016, 4);
		expect(r.upper).toBeCloseTo(0.94331, 4);
	});
	it('0 of 10 and 10 of 10: one-sided bounds, never outside [0, 1]', () => {
		// upper = (z²/n)/(1 + z²/n) = 0.3841459/1.3841459
		expect(wilsonInterval(0, 10)).toMatchObject({ lower: 0 });
		expect(wilsonInterval(0, 10).upper).toBeCloseTo(0.27753, 4);
		expect(wilsonInterval(10, 10)).toMatchObject({ upper: 1 });
		expect(wilsonInterval(10, 10).lower).toBeCloseTo(1 - 0.27753, 4);
		expect(wilsonInterval(0, 0)).toMatchObject({ p: null, lower: null });
		expect(() => wilsonInterval(11, 10)).toThrow(/successes/);
		expect(() => wilsonInterval(1.5, 10)).toThrow(/successes/);
	});
});
