import { describe, expect, it } from 'vitest';
import { compileFormula, FormulaError, formulaReferences, formulaVariables, parseFormula } from './formula';

const run = (src: string, answers: Record<string, unknown> = {}, refs: Record<string, number> = {}) => {
	const st = { missing: false };
	const v = compileFormula(parseFormula(src), refs)(answers, st);
	return { v, missing: st.missing };
};

describe('formula language', () => {
	it('follows arithmetic precedence and parentheses', () => {
		expect(run('1 + 2 * 3').v).toBe(7);
		expect(run('(1 + 2) * 3').v).toBe(9);
		expect(run('-2 * -3').v).toBe(6);
		expect(run('10 / 4 - 0.5').v).toBe(2);
	});

	it('reads answers, matrix rows and multipletext items', () => {
		const a = { x: 4, m: { kpi: 'yes' }, ip: { patents: 2 } };
		expect(run("{x} * 2 + iif({m.kpi} = 'yes', 1, 0) + {ip.patents}", a).v).toBe(11);
	});

	it('supports comparisons, logic and functions', () => {
		expect(run('min(3, {a}, 5)', { a: 1 }).v).toBe(1);
		expect(run('max(3, {a})', { a: 7 }).v).toBe(7);
		expect(run('count({c})', { c: ['a', 'b'] }).v).toBe(2);
		expect(run("contains({c}, 'b') and not ({a} <> 1)", { c: ['a', 'b'], a: 1 }).v).toBe(true);
		expect(run('{a} >= 2 or {b} == 3', { a: 1, b: 3 }).v).toBe(true);
		expect(run("ref('k') * 2", {}, { k: 21 }).v).toBe(42);
	});

	it('divides by zero as 0 (documented rule)', () => {
		expect(run('{a} / {b}', { a: 5, b: 0 }).v).toBe(0);
	});

	it('flags missing answers, but only on branches actually evaluated', () => {
		expect(run('{a} + 1', {}).missing).toBe(true);
		expect(run('iif({g}, {a}, 0)', { g: false }).missing).toBe(false);
		expect(run('iif({g}, {a}, 0)', { g: true }).missing).toBe(true);
		expect(run('{g} and {a}', { g: false }).missing).toBe(false);
	});

	it('lists variables and reference keys', () => {
		const ast = parseFormula("iif({a} > 0, {b.c} / ref('r1'), {a})");
		expect(formulaVariables(ast)).toEqual(['a', 'b.c']);
		expect(formulaReferences(ast)).toEqual(['r1']);
	});

	it.each([
		['{a} +', 'unexpected end of formula at column 6'],
		['{a} * (2', "expected ')' at column 9"],
		['foo(1)', "unknown function 'foo' at column 1"],
		['iif(1, 2)', 'iif() takes 3 argument(s), got 2 at column 1'],
		['{a b}', "bad question reference '{a b}' at column 1"],
		['1 $ 2', "unexpected character '$' at column 3"],
		['ref({a})', "ref() needs a quoted reference key, e.g. ref('energy_cost_share_pct') at column 1"],
		["'open", 'unterminated string at column 1'],
		['2 3', "unexpected '3' at column 3"]
	])('rejects %s with a positioned error', (src, msg) => {
		expect(() => parseFormula(src)).toThrow(FormulaError);
		expect(() => parseFormula(src)).toThrow(msg);
	});

	it('never evaluates JavaScript', () => {
		expect(() => parseFormula('process.exit(1)')).toThrow(FormulaError);
		expect(() => parseFormula('constructor.constructor("x")()')).toThrow(FormulaError);
	});
});
