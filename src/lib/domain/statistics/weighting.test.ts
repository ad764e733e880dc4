import { describe, expect, it } from 'vitest';
import { postStratificationWeights, postStratifiedMean } from './weighting';

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
