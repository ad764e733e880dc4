/**
 * The rubric engine refuses what the questionnaire would refuse: values that used to
 * score as top answers (-5 years, -50 %, "Infinity", "0x64", a boolean "0") are an AnswerError
 * naming the question, never a score.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toNumber } from './formula';
import { AnswerError, parseDecimal } from './guard';
import { compileRubric } from './score';
import type { ReferenceValues, Rubric } from './types';

const read = <T>(p: string): T => JSON.parse(readFileSync(join(process.cwd(), p), 'utf8')) as T;
const rubric = read<Rubric>('surveys/mechanical/2025.1/rubric.json');
const questionnaire = read<object>('surveys/mechanical/2025.1/questionnaire.json');
const refs = read<ReferenceValues>('surveys/mechanical/reference-values/2025.json');
const guarded = compileRubric(rubric, refs, questionnaire);

const base = {
	t1_equipment_age: 8,
	t2_equipment_origin: 'china',
	e10_defect_rate_pct: 3,
	r18_has_rd_unit: true,
	r18_rd_staff: 2,
	profile_employees: 50,
	i25_has_ip: true,
	i25_ip: { patents: 0, utility_solutions: 0, industrial_designs: 1, trademarks: 2 }
};

function refusal(answers: Record<string, unknown>): AnswerError {
	try {
		guarded.score(answers);
	} catch (e) {
		if (e instanceof AnswerError) return e;
		throw e;
	}
	throw new Error('scored, expected an AnswerError');
}

describe('scoring refuses impossible answers', () => {
	it('scores a plausible response', () => {
		expect(guarded.score(base).total).toBeGreaterThan(0);
		expect(guarded.scoreStored(base).total).toBe(guarded.score(base).total);
	});

	it.each([
		['t1_equipment_age', -5, 'outside the allowed range 0–60'],
		['e10_defect_rate_pct', -50, 'outside the allowed range 0–100'],
		['t1_equipment_age', 'Infinity', 'not a finite decimal number'],
		['t1_equipment_age', Infinity, 'not a finite decimal number'],
		['e10_defect_rate_pct', '0x64', 'not a finite decimal number'],
		['e10_defect_rate_pct', '0b11', 'not a finite decimal number'],
		['e10_defect_rate_pct', '0o7', 'not a finite decimal number'],
		['e10_defect_rate_pct', true, 'not a finite decimal number'],
		['r18_has_rd_unit', '0', 'not a yes/no answer'],
		['r18_has_rd_unit', 1, 'not a yes/no answer'],
		['t2_equipment_origin', 'mars', "not one of the question's choices"]
	])('%s = %j is refused, naming the question', (q, v, what) => {
		const e = refusal({ ...base, [q]: v });
		expect(e.question).toBe(q);
		expect(e.text.en).toContain(what);
		expect(e.text.vi).toContain(q);
		expect(() => guarded.scoreStored({ ...base, [q]: v })).toThrow(AnswerError);
	});

	it('checks numeric multiple-text items against their validators', () => {
		const e = refusal({ ...base, i25_ip: { ...base.i25_ip, patents: -1 } });
		expect(e.question).toBe('i25_ip.patents');
	});

	it('a decimal string (CSV) within range still scores like the number', () => {
		expect(guarded.score({ ...base, t1_equipment_age: ' 8 ' }).total).toBe(guarded.score(base).total);
	});

	it('without the questionnaire the engine neutralises them: non-decimal and non-finite are unusable', () => {
		const bare = compileRubric(rubric, refs);
		const t1 = (v: unknown) => bare.score({ ...base, t1_equipment_age: v }).criteria[0];
		expect(t1('Infinity')).toMatchObject({ points: 0, missing: true });
		expect(t1('0x10')).toMatchObject({ points: 0, missing: true });
		expect(t1(8)).toMatchObject({ missing: false });
	});
});

describe('decimal parsing', () => {
	it.each(['0x10', '0b1', '0o7', 'Infinity', '-Infinity', '1e999', '', ' ', '1,5', '--1', 'NaN'])(
		'%j is not a number',
		(s) => {
			expect(parseDecimal(s)).toBeNaN();
			expect(toNumber(s)).toBeNaN();
		}
	);
	it.each([
		['12', 12],
		['-3.5', -3.5],
		['.5', 0.5],
		['1e3', 1000],
		[' 7 ', 7]
	])('%j is %d', (s, n) => {
		expect(parseDecimal(s)).toBe(n);
		expect(toNumber(s)).toBe(n);
	});
});
