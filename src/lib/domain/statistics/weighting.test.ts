import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	collapseStrata,
	postStratificationWeights,
	postStratifiedDomain,
	postStratifiedMean,
	type DesignStratum
} from './weighting';
import { summary } from './quantile';

describe('post-stratification', () => {
	it('weights N_h/n_h, empty and unknown strata reported', () => {
		const w = postStratificationWeights({ a: 100, b: 300, c: 50, z: 0 }, { a: 4, b: 3, x: 2 });
		expect(w.strata).toEqual([
			{ stratum: 'a', populationSize: 100, respondents: 4, weight: 25 },
			{ stratum: 'b', populationSize: 300, respondents: 3, weight: 100 },
			{ stratum: 'c', populationSize: 50, respondents: 0, weight: null }
		]);
		expect(w.emptyStrata).toEqual(['c']);
		expect(w.unknownStrata).toEqual(['x']);
		expect(w.issues.map((i) => i.en).join(' ')).toMatch(/No respondents.*c.*missing from the register.*x/);
		expect(() => postStratificationWeights({ a: -1 }, {})).toThrow(/stratum "a"/);
	});

	it('worked example by hand', () => {
		// A: N = 100, y = 2, 4, 6 (mean 4, s² = 4);  B: N = 300, y = 10, 14 (mean 12, s² = 8)
		// W_A = 0.25, W_B = 0.75 → ȳ = 0.25·4 + 0.75·12 = 10
		// V = 0.25²·(1 − 3/100)·4/3 + 0.75²·(1 − 2/300)·8/2 = 0.0808333 + 2.235 = 2.3158333
		// df = 5 − 2 = 3, t = 3.182446
		const r = postStratifiedMean(
			[
				{ stratum: 'A', value: 2 },
				{ stratum: 'A', value: 4 },
				{ stratum: 'B', value: 10 },
				{ stratum: 'A', value: 6 },
				{ stratum: 'B', value: 14 }
			],
			{ A: 100, B: 300 }
		);
		expect(r.mean).toBeCloseTo(10, 12);
		// the same as the weighted mean with weights 100/3 and 150
		expect(((100 / 3) * 12 + 150 * 24) / 400).toBeCloseTo(r.mean as number, 12);
		const v = 0.0625 * 0.97 * (4 / 3) + 0.5625 * (298 / 300) * 4;
		expect(r.se).toBeCloseTo(Math.sqrt(v), 12);
		expect(r.df).toBe(3);
		expect(r.lower).toBeCloseTo(10 - 3.182446 * Math.sqrt(v), 5);
		expect(r.upper).toBeCloseTo(10 + 3.182446 * Math.sqrt(v), 5);
		expect(r).toMatchObject({
			n: 5,
			strataUsed: 2,
			populationCovered: 400,
			populationTotal: 400,
			coverage: 1
		});
	});

	it('differs from the unweighted mean when strata are under-represented', () => {
		// unweighted mean of 1,1,1,9 = 3; register says both strata are equally large → 5
		const r = postStratifiedMean(
			[
				{ stratum: 's', value: 1 },
				{ stratum: 's', value: 1 },
				{ stratum: 's', value: 1 },
				{ stratum: 'l', value: 9 }
			],
			{ s: 50, l: 50 }
		);
		expect(r.mean).toBeCloseTo(5, 12);
		// stratum l has one respondent: it borrows the pooled variance (here 0 from stratum s)
		expect(r.singletonStrata).toEqual(['l']);
	});

	it('strata without respondents: no division by zero, coverage below 1', () => {
		const r = postStratifiedMean(
			[
				{ stratum: 'A', value: 1 },
				{ stratum: 'A', value: 3 },
				{ stratum: 'Q', value: 100 }
			],
			{ A: 10, B: 30 }
		);
		expect(r.mean).toBe(2);
		expect(r.n).toBe(2);
		expect(r.coverage).toBeCloseTo(0.25, 12);
		expect(r.weights.emptyStrata).toEqual(['B']);
		expect(r.weights.unknownStrata).toEqual(['Q']);
		// census stratum (n = N): finite population correction makes the variance 0
		const c = postStratifiedMean(
			[
				{ stratum: 'A', value: 1 },
				{ stratum: 'A', value: 3 }
			],
			{ A: 2 }
		);
		expect(c.se).toBe(0);
	});

	it('no respondents at all, and bad input', () => {
		expect(postStratifiedMean([], { A: 10 })).toMatchObject({ n: 0, mean: null, se: null, coverage: 0 });
		expect(() => postStratifiedMean([{ stratum: 'A', value: Number.NaN }], { A: 1 })).toThrow(
			/responses\[0\]\.value/
		);
	});
});

describe('collapsing strata', () => {
	const order = ['micro', 'small', 'medium', 'large'];
	it('by hand: a stratum below the minimum joins its next neighbour, the last its previous', () => {
		// medium has 1 respondent → medium+large (1 + 3 = 4 ≥ 3); micro has 6
		const c = collapseStrata(
			order,
			{ micro: 400, small: 120, medium: 30, large: 10 },
			{ micro: 6, small: 5, medium: 1, large: 3 },
			3
		);
		expect(c.groups.map((g) => [g.key, g.populationSize, g.respondents])).toEqual([
			['micro', 400, 6],
			['small', 120, 5],
			['medium+large', 40, 4]
		]);
		expect(c.of).toEqual({ micro: 'micro', small: 'small', medium: 'medium+large', large: 'medium+large' });
	});
	it('an empty stratum is merged, not dropped (coverage stays 1); the last merges backwards', () => {
		const c = collapseStrata(
			order,
			{ micro: 400, small: 120, medium: 30, large: 10 },
			{ micro: 6, small: 5, medium: 4, large: 0 },
			3
		);
		expect(c.groups.map((g) => g.key)).toEqual(['micro', 'small', 'medium+large']);
		expect(c.groups.reduce((a, g) => a + g.populationSize, 0)).toBe(560);
	});
	it('strata nobody is in are left out; one stratum remains whatever its size', () => {
		const c = collapseStrata(order, { micro: 0, small: 10 }, { small: 1 }, 5);
		expect(c.groups.map((g) => g.key)).toEqual(['small']);
		const d = collapseStrata(order, { micro: 5, small: 10, medium: 2, large: 1 }, { micro: 1, small: 1 }, 5);
		expect(d.groups.map((g) => g.key)).toEqual(['micro+small+medium+large']);
		expect(() => collapseStrata(order, {}, {}, 0)).toThrow(/minRespondents/);
	});
});

describe('design-weighted domain estimates', () => {
	const A = [2, 4, 6];
	const B = [10, 14];
	const design: Record<string, DesignStratum> = {
		A: { populationSize: 100, respondents: 3 },
		B: { populationSize: 300, respondents: 2 }
	};
	it('the domain "everything" is the post-stratified mean, interval and all', () => {
		const all = [
			...A.map((value) => ({ stratum: 'A', value })),
			...B.map((value) => ({ stratum: 'B', value }))
		];
		const d = postStratifiedDomain(all, design);
		const p = postStratifiedMean(all, { A: 100, B: 300 });
		expect(d.mean).toBeCloseTo(p.mean as number, 12);
		expect(d.se).toBeCloseTo(p.se as number, 12);
		expect(d.df).toBe(p.df);
		expect(d.lower).toBeCloseTo(p.lower as number, 9);
		expect(d.populationEstimate).toBeCloseTo(400, 9);
	});
	it('hand example: the domain {A: 2, 6; B: 14}', () => {
		// weights 100/3 (A) and 150 (B): ŷ = (100/3·8 + 150·14)/(200/3 + 150) = (266.67 + 2100)/216.67 = 10.923
		const dom = [
			{ stratum: 'A', value: 2 },
			{ stratum: 'A', value: 6 },
			{ stratum: 'B', value: 14 }
		];
		const d = postStratifiedDomain(dom, design);
		expect(d.mean).toBeCloseTo((800 / 3 + 2100) / (200 / 3 + 150), 12);
		expect(d.n).toBe(3);
		expect(d.df).toBe(3);
	});
	it('the variance agrees with an independent delta-method computation on random domains', () => {
		// Independent: V(Ŷ), V(N̂), Cov(Ŷ, N̂) of the stratified totals (y·z and z), then
		// V(Ŷ/N̂) ≈ [V(Ŷ) − 2R Cov + R² V(N̂)] / N̂².
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						h: fc.constantFrom('A', 'B', 'C'),
						y: fc.integer({ min: 0, max: 100 }),
						z: fc.boolean()
					}),
					{
						minLength: 8,
						maxLength: 40
					}
				),
				(rows) => {
					const N: Record<string, number> = { A: 500, B: 120, C: 40 };
					const nh: Record<string, number> = {};
					for (const r of rows) nh[r.h] = (nh[r.h] ?? 0) + 1;
					if (Object.values(nh).some((c) => c < 2) || Object.keys(nh).length < 3) return;
					if (!rows.some((r) => r.z)) return;
					const dsn: Record<string, DesignStratum> = {};
					for (const h of Object.keys(nh)) dsn[h] = { populationSize: N[h], respondents: nh[h] };
					const d = postStratifiedDomain(
						rows.filter((r) => r.z).map((r) => ({ stratum: r.h, value: r.y })),
						dsn
					);
					let Y = 0;
					let Nd = 0;
					let vY = 0;
					let vN = 0;
					let cov = 0;
					for (const h of Object.keys(nh)) {
						const a = rows.filter((r) => r.h === h).map((r) => (r.z ? r.y : 0));
						const b: number[] = rows.filter((r) => r.h === h).map((r) => (r.z ? 1 : 0));
						const n = nh[h];
						const w = N[h] / n;
						const ma = a.reduce((s, x) => s + x, 0) / n;
						const mb = b.reduce((s, x) => s + x, 0) / n;
						Y += w * a.reduce((s, x) => s + x, 0);
						Nd += w * b.reduce((s, x) => s + x, 0);
						const c = (N[h] ** 2 * (1 - n / N[h])) / n / (n - 1);
						vY += c * a.reduce((s, x) => s + (x - ma) ** 2, 0);
						vN += c * b.reduce((s, x) => s + (x - mb) ** 2, 0);
						cov += c * a.reduce((s, x, i) => s + (x - ma) * (b[i] - mb), 0);
					}
					const R = Y / Nd;
					const v = (vY - 2 * R * cov + R * R * vN) / (Nd * Nd);
					expect(d.mean).toBeCloseTo(R, 9);
					// The terms of v nearly cancel when the domain's values are all alike (one member):
					// compare variances within the rounding error of the largest term, not square roots.
					const scale = (vY + 2 * Math.abs(R * cov) + R * R * vN) / (Nd * Nd);
					expect(d.se).not.toBeNull();
					expect(Math.abs((d.se ?? 0) ** 2 - v)).toBeLessThanOrEqual(1e-9 * Math.max(1, scale));
				}
			)
		);
	});
	it('equal weights give the unweighted mean and type 7 percentiles', () => {
		const ys = [12, 30, 41, 47, 55, 58, 63, 70, 81, 90];
		const d = postStratifiedDomain(
			ys.map((value, i) => ({ stratum: i % 2 ? 'A' : 'B', value })),
			{ A: { populationSize: 50, respondents: 5 }, B: { populationSize: 50, respondents: 5 } }
		);
		const s = summary(ys);
		expect(d.mean).toBeCloseTo(s.mean as number, 12);
		expect(d.summary.median).toBeCloseTo(s.median as number, 12);
		expect(d.summary.p25).toBeCloseTo(s.p25 as number, 12);
	});
	it('a stratum outside the design is ignored; an empty domain gives nulls', () => {
		expect(postStratifiedDomain([{ stratum: 'X', value: 3 }], design)).toMatchObject({
			n: 0,
			mean: null,
			se: null
		});
	});
});
