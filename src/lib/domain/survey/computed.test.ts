import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileQuestionnaire } from './compile';
import { withServerComputed } from './computed';
import { validateForSubmit } from './validate';
import sample from './fixtures/techcap-sample.json';

const c = compileQuestionnaire(sample);
const base = {
	employees: 120,
	contact_email: 'info@congty.com.vn',
	ownership: 'private',
	tax_code: '0101234567',
	has_rnd: true,
	rnd_staff: 6,
	rnd_budget: { y2023: 1.5, y2024: 2, note: 'ổn định' },
	tech_used: ['erp', 'cad'],
	main_tech: 'cad',
	automation: 4,
	functions: { design: 2, production: 3, quality: 1, sales: 0 }
};

/** What a client may post for a computed 5: equal to survey-core up to case, spaces or type. */
const NEAR_MISSES = [' 5 ', '5', '5.0', '5e0', '0.5e1', '05', 5.000000001, '5\u00a0', true, 'five', null, ''];

describe('computed values are the server’s', () => {
	it('submit and import: a near-miss posted value is replaced by the computed number', () => {
		for (const posted of NEAR_MISSES) {
			const r = validateForSubmit(c, { ...base, rnd_ratio: posted });
			expect(r.cleaned.rnd_ratio, JSON.stringify(posted)).toBe(5);
		}
	});

	it('autosave: drafts keep every answer but the computed ones, which are recomputed', () => {
		for (const posted of NEAR_MISSES) {
			const out = withServerComputed(c, { ...base, rnd_ratio: posted });
			expect(out).toEqual({ ...base, rnd_ratio: 5 });
		}
		// Nothing to compute from: the expression's own answer (0 here), never the posted 99.
		expect(withServerComputed(c, { rnd_ratio: 99 })).toEqual({ rnd_ratio: 0 });
		// Not posted: not added.
		expect(withServerComputed(c, { employees: 10 })).toEqual({ employees: 10 });
		// A draft keeps answers a condition hides for now (only submit drops them).
		const hidden = { ...base, has_rnd: false, rnd_staff: 6 };
		expect(withServerComputed(c, hidden).rnd_staff).toBe(6);
	});

	it('the real questionnaires: e8_revenue_per_employee " 2817 " or "2.817e3" is not kept', () => {
		for (const sector of ['food', 'mechanical', 'textiles']) {
			const json = JSON.parse(
				readFileSync(join(process.cwd(), 'surveys', sector, '2025.1', 'questionnaire.json'), 'utf8')
			);
			const q = compileQuestionnaire(json);
			if (!q.keys.has('e8_revenue_per_employee')) continue;
			const answers = { profile_employees: 80, profile_revenue_bn: 225.4 };
			for (const posted of [' 2818 ', '2818', '2.818e3', 2818.0000001, 'abc']) {
				const out = withServerComputed(q, { ...answers, e8_revenue_per_employee: posted });
				expect(out.e8_revenue_per_employee, `${sector} ${JSON.stringify(posted)}`).toBe(2818);
				const r = validateForSubmit(q, { ...answers, e8_revenue_per_employee: posted });
				expect(r.cleaned.e8_revenue_per_employee).toBe(2818);
			}
		}
	});

	it('returns the same object when the questionnaire computes nothing', () => {
		const plain = compileQuestionnaire({ pages: [{ name: 'p', elements: [{ type: 'text', name: 'a' }] }] });
		const d = { a: 'x' };
		expect(withServerComputed(plain, d)).toBe(d);
	});
});
