/**
 * The direct expression evaluator (compile.ts, the default) against the reference one that runs
 * every condition and expression through survey-core's ConditionRunner/ExpressionRunner: on
 * random responses for every questionnaire under surveys/ and the fixtures, the whole submit
 * result (problems in order, messages, cleaned values and their key order) must be the same.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { denseResponseArbitrary, responseArbitrary } from './arbitrary';
import { compileQuestionnaire } from './compile';
import type { CompiledQuestionnaire, ShapeLimits } from './types';
import { validateForSubmit } from './validate';
import edge from './fixtures/edge-cases.json';
import sample from './fixtures/techcap-sample.json';

const SEED = Number(process.env.SURVEY_EVAL_SEED ?? 20251);
const RUNS = Number(process.env.SURVEY_EVAL_RUNS ?? 300);

function questionnaires(): Array<[string, object]> {
	const list: Array<[string, object]> = [
		['fixture techcap-sample', sample],
		['fixture edge-cases', edge]
	];
	const root = join(process.cwd(), 'surveys');
	if (!existsSync(root)) return list;
	for (const sector of readdirSync(root, { withFileTypes: true })) {
		if (!sector.isDirectory()) continue;
		const file = join(root, sector.name, '2025.1', 'questionnaire.json');
		if (existsSync(file))
			list.push([`surveys/${sector.name}/2025.1`, JSON.parse(readFileSync(file, 'utf8'))]);
	}
	return list;
}

const LIMITS: Array<Partial<ShapeLimits>> = [{}, { maxBodyChars: 900, maxStringLength: 20, maxDepth: 2 }];

/** Same result in every respect, including the order of problems and of cleaned keys. */
function sameResult(direct: CompiledQuestionnaire, reference: CompiledQuestionnaire, data: unknown): void {
	for (const limits of LIMITS) {
		const input = structuredClone(data);
		const a = validateForSubmit(direct, input, limits);
		const b = validateForSubmit(reference, structuredClone(data), limits);
		expect(a).toStrictEqual(b);
		expect(Object.keys(a.cleaned)).toEqual(Object.keys(b.cleaned));
		expect(a.problems.map((p) => `${p.question}|${p.item ?? ''}|${p.code}`)).toEqual(
			b.problems.map((p) => `${p.question}|${p.item ?? ''}|${p.code}`)
		);
		// The validator works on its own copy.
		expect(isDeepStrictEqual(input, data)).toBe(true);
	}
}

describe.each(questionnaires())('direct evaluator: %s', (_label, json) => {
	const direct = compileQuestionnaire(json);
	const reference = compileQuestionnaire(json, { evaluator: 'survey-core' });

	it('condition and expression results equal survey-core runners on the same values', () => {
		const exprs = [...direct.containers, ...direct.questions].flatMap((el) => [
			el.visibleIf,
			el.enableIf,
			...('requiredIf' in el ? [el.requiredIf, el.expression] : [])
		]);
		const refs = [...reference.containers, ...reference.questions].flatMap((el) => [
			el.visibleIf,
			el.enableIf,
			...('requiredIf' in el ? [el.requiredIf, el.expression] : [])
		]);
		expect(exprs.filter(Boolean).length).toBeGreaterThan(0);
		fc.assert(
			fc.property(responseArbitrary(direct, { wild: true }), (data) => {
				exprs.forEach((e, i) => {
					if (!e) return;
					const got = e.run({ ...data });
					const want = refs[i]?.run({ ...data });
					expect(Object.is(got, want) || isDeepStrictEqual(got, want)).toBe(true);
				});
			}),
			{ numRuns: RUNS, seed: SEED }
		);
	});

	it('in-domain responses: same submit result', () => {
		fc.assert(
			fc.property(responseArbitrary(direct), (data) => sameResult(direct, reference, data)),
			{ numRuns: RUNS, seed: SEED + 1 }
		);
	});

	it('dense responses: same submit result', () => {
		fc.assert(
			fc.property(denseResponseArbitrary(direct), (data) => sameResult(direct, reference, data)),
			{ numRuns: RUNS, seed: SEED + 2 }
		);
	});

	it('wild responses (wrong kinds, unknown and operator keys): same submit result', () => {
		fc.assert(
			fc.property(responseArbitrary(direct, { wild: true }), (data) => sameResult(direct, reference, data)),
			{ numRuns: RUNS, seed: SEED + 3 }
		);
	});
});

describe('direct evaluator: lookups survey-core resolves specially', () => {
	const json = {
		pages: [
			{
				name: 'p',
				elements: [
					{ type: 'text', name: 'Staff', inputType: 'number' },
					{ type: 'text', name: 'Site_Notes' },
					{ type: 'checkbox', name: 'tools', choices: ['a', 'b'] },
					{ type: 'expression', name: 'ratio', expression: '{staff} * 1.5' },
					{ type: 'text', name: 'a', visibleIf: '{STAFF} > 2 and {tools.length} > 0' },
					{ type: 'text', name: 'b', visibleIf: '{site_NOTES} notempty' },
					{ type: 'text', name: 'c', visibleIf: "{#staff} = '3'" },
					{ type: 'text', name: 'd', visibleIf: "{staff} = 3 or {tools} = ['a', 'b']" }
				]
			}
		]
	};
	const direct = compileQuestionnaire(json);
	const reference = compileQuestionnaire(json, { evaluator: 'survey-core' });
	it.each([
		{},
		{ Staff: 3 },
		{ Staff: '3' },
		{ Staff: 3, tools: ['a'], a: 'x', b: 'y', c: 'z', d: 'w' },
		{ Staff: '3.0', d: 'w' },
		{ tools: ['b', 'a'], d: 'w' },
		{ Staff: null, Site_Notes: '', b: 'y' },
		{ Site_Notes: 'x', b: 'y' },
		{ Staff: 0.1, ratio: 7 }
	])('case-insensitive names, {#name} and paths: %j', (data) => {
		sameResult(direct, reference, data);
	});
});
