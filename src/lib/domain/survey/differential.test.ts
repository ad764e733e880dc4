/**
 * Differential test: the compiled validator against survey-core's own validation, on thousands of
 * generated responses, for the fixtures here and every questionnaire under surveys/.
 *
 * Asserted:
 *  1. soundness, always: every question survey-core flags, we flag too (any code);
 *  2. equality, whenever our answer holds no stricter problem: the set of (question, item, code)
 *     restricted to survey-core's rules is exactly survey-core's;
 *  3. `cleaned` equals survey-core's clearInvisibleValues('onComplete') for accepted responses.
 * Deliberate differences (we are stricter; each has its own code, so 2 compares like with like):
 *  - values survey-core silently clears or ignores are rejected: choices outside the list (it
 *    clears them, then reports "required"), ratings outside the scale, booleans/numbers of the
 *    wrong kind ("150" passes its max check as a string), unknown keys, oversized strings;
 *  - a carried-forward choice no longer offered, a repeated choice, "none" with other choices;
 *  - the "other" comment is kept in `cleaned` only when "other" is chosen (survey-core clears it
 *    on completion through clearUnusedValues, which clearInvisibleQuestionValues does not run);
 *  - a matrix's total row is the server's own (`<name>-total`, numbers only): compared with
 *    survey-core's wherever survey-core stored one, never taken from the client;
 *  - more rows than maxRowCount, unknown columns and non-object rows are rejected (survey-core
 *    ignores them); a matrix whose rows are all empty is no answer;
 *  - a posted value for a calculated value left out of the result (includeIntoResult false) is
 *    never stored (survey-core keeps one it did not compute);
 *  - a posted value for an expression question is never kept: survey-core keeps one equal to its
 *    own up to case, spaces or number-vs-string (`" 2817 "`, `"2.817e3"`); we always recompute.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Helpers } from 'survey-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { responseArbitrary } from './arbitrary';
import { compileQuestionnaire } from './compile';
import { cleanWithSurveyCore, validateWithSurveyCore } from './surveycore';
import { SURVEY_CORE_CODES, type Problem } from './types';
import { validateForSubmit } from './validate';
import edge from './fixtures/edge-cases.json';
import sample from './fixtures/techcap-sample.json';
import choiceProps from './fixtures/choice-props.json';
import inputs from './fixtures/inputs.json';
import matrices from './fixtures/matrices.json';

const CORE = new Set<string>(SURVEY_CORE_CODES);
const SEED = Number(process.env.SURVEY_DIFF_SEED ?? 20250);
// Fixtures are small (~2 ms a response in survey-core); the real questionnaires cost 10-30 ms.
const FIXTURE_RUNS = Number(process.env.SURVEY_DIFF_RUNS ?? 500);
const REAL_RUNS = Number(process.env.SURVEY_DIFF_REAL_RUNS ?? 150);

function questionnaires(): Array<[string, object, number]> {
	const list: Array<[string, object, number]> = [
		['fixture techcap-sample', sample, FIXTURE_RUNS],
		['fixture edge-cases', edge, FIXTURE_RUNS],
		['fixture choice-props', choiceProps, FIXTURE_RUNS],
		['fixture inputs', inputs, FIXTURE_RUNS],
		// survey-core needs a fresh Model per response here (~0.1 s): fewer runs by default.
		['fixture matrices', matrices, Math.ceil(FIXTURE_RUNS / 20)]
	];
	const root = join(process.cwd(), 'surveys');
	if (!existsSync(root)) return list;
	for (const sector of readdirSync(root, { withFileTypes: true })) {
		if (!sector.isDirectory()) continue;
		for (const version of readdirSync(join(root, sector.name), { withFileTypes: true })) {
			const file = join(root, sector.name, version.name, 'questionnaire.json');
			if (version.isDirectory() && existsSync(file)) {
				list.push([
					`surveys/${sector.name}/${version.name}`,
					JSON.parse(readFileSync(file, 'utf8')),
					REAL_RUNS
				]);
			}
		}
	}
	return list;
}

/**
 * survey-core fills an unanswered matrixdynamic with its empty rows when it completes (a
 * questionnaire with minRowCount gets `[{}, {}, {}]`); we store the answer as posted. A matrix
 * whose rows are all empty is no answer on either side.
 */
function allRowsEmpty(c: ReturnType<typeof compileQuestionnaire>, k: string, v: unknown): boolean {
	const q = c.byName.get(k);
	if (!q?.matrix) return false;
	const rows = Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : [];
	return rows.every((r) => Helpers.isValueEmpty(r));
}

/** A calculated value left out of the result: never stored by us, whatever was posted. */
function notStored(c: ReturnType<typeof compileQuestionnaire>, k: string): boolean {
	const cv = c.byName.get(k)?.calculated;
	return !!cv && !cv.includeIntoResult;
}

const key = (p: Problem) => `${p.question}${p.item ? '.' + p.item : ''}:${p.code}`;
const sorted = (ps: Problem[]) => [...new Set(ps.map(key))].sort();

// survey-core warns on the console for every value it refuses; thousands of lines help nobody.
let warn: ReturnType<typeof vi.spyOn>;
beforeAll(() => {
	warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterAll(() => warn.mockRestore());

describe.each(questionnaires())('differential: %s', (_label, json, RUNS) => {
	const compiled = compileQuestionnaire(json);
	const stats = { exact: 0, accepted: 0, rejectedByCore: 0, stricterOnly: 0 };
	let totals = 0;

	it(`in-domain responses: same problems as survey-core (${RUNS} runs)`, () => {
		fc.assert(
			fc.property(responseArbitrary(compiled), (data) => {
				const ours = validateForSubmit(compiled, data);
				const ref = validateWithSurveyCore(json, data, 'en');
				expect(
					ref.filter((p) => !CORE.has(p.code)),
					'unclassified survey-core errors'
				).toEqual([]);
				const flagged = new Set(ours.problems.map((p) => p.question));
				for (const p of ref) expect(flagged.has(p.question), `we miss ${key(p)}`).toBe(true);
				const stricter = ours.problems.some((p) => !CORE.has(p.code));
				if (ref.length) stats.rejectedByCore++;
				if (stricter) {
					if (!ref.length) stats.stricterOnly++;
					return;
				}
				stats.exact++;
				expect(sorted(ours.problems)).toEqual(sorted(ref));
				if (ours.ok) stats.accepted++;
				// What is kept does not depend on the verdict: compare it for every such response.
				const core = cleanWithSurveyCore(json, data);
				// -0 and 0 are one answer: survey-core keeps a posted 0 where it computes -0 (it keeps
				// any posted value equal to its own), we store what we compute.
				const noComments = (o: Record<string, unknown>) =>
					Object.fromEntries(
						Object.entries(o)
							.filter(
								([k]) =>
									!k.endsWith('-Comment') &&
									compiled.keys.get(k)?.kind !== 'total' &&
									!notStored(compiled, k) &&
									!Helpers.isValueEmpty(o[k]) &&
									!allRowsEmpty(compiled, k, o[k])
							)
							.map(([k, v]) => [k, Object.is(v, -0) ? 0 : v])
					);
				expect(noComments(ours.cleaned)).toEqual(noComments(core));
				// Totals: wherever survey-core computed one for a kept matrix, ours is the same number
				// (survey-core keeps a posted total while its own is 0: those are not its to compare).
				for (const [k, role] of compiled.keys) {
					if (role.kind !== 'total' || ours.cleaned[role.question.name] === undefined) continue;
					if (data[k] !== undefined) continue;
					const theirs = (core[k] ?? {}) as Record<string, unknown>;
					const mine = (ours.cleaned[k] ?? {}) as Record<string, unknown>;
					for (const col of role.question.matrix?.columns ?? []) {
						const v = theirs[col.name];
						if (!col.totalType || typeof v !== 'number') continue;
						totals++;
						expect(mine[col.name], `${k}.${col.name}`).toBeCloseTo(v, 9);
					}
				}
			}),
			{ numRuns: RUNS, seed: SEED }
		);
		// The comparison must have had teeth: many exact comparisons, both verdicts represented.
		expect(stats.exact).toBeGreaterThan(RUNS * 0.3);
		expect(stats.rejectedByCore).toBeGreaterThan(RUNS * 0.1);
		if ([...compiled.keys.values()].some((r) => r.kind === 'total')) expect(totals).toBeGreaterThan(0);
		console.info(`${_label}: ${JSON.stringify({ ...stats, totals })}`);
	}, 900_000);

	it.runIf(compiled.expressions.length > 0)(
		`near-miss computed values (case, spaces, number strings, exponent forms) are recomputed (${Math.ceil(RUNS / 5)} runs)`,
		() => {
			// survey-core keeps a posted value that equals its own up to case, spaces or number-vs-
			// string (Helpers.isTwoValueEquals); we never keep the client's: a deliberate difference.
			const nearMisses = (v: unknown): unknown[] => {
				if (typeof v === 'number')
					return [String(v), ` ${v} `, v.toExponential(), `${v}.0`, `+${v}`, v + 1e-9];
				if (typeof v === 'string') return [v.toUpperCase(), v.toLowerCase(), ` ${v} `, `${v}\u00a0`];
				if (typeof v === 'boolean') return [String(v), v ? 1 : 0];
				return ['x', 0];
			};
			fc.assert(
				fc.property(responseArbitrary(compiled), (data) => {
					const clean: Record<string, unknown> = { ...data };
					for (const q of compiled.expressions) delete clean[q.name];
					const reference = validateForSubmit(compiled, clean).cleaned;
					for (const q of compiled.expressions) {
						for (const posted of nearMisses(reference[q.name])) {
							const ours = validateForSubmit(compiled, { ...clean, [q.name]: posted }).cleaned;
							expect(ours[q.name], `${q.name} posted ${JSON.stringify(posted)}`).toStrictEqual(
								reference[q.name]
							);
						}
					}
				}),
				{ numRuns: Math.ceil(RUNS / 5), seed: SEED + 2 }
			);
		},
		900_000
	);

	it(`wild responses: whatever survey-core rejects, we reject (${RUNS} runs)`, () => {
		let rejected = 0;
		fc.assert(
			fc.property(responseArbitrary(compiled, { wild: true }), (data) => {
				const ours = validateForSubmit(compiled, data);
				let ref: Problem[];
				try {
					ref = validateWithSurveyCore(json, data, 'vi');
				} catch {
					// survey-core itself fails on some wrong kinds (a list in a totalled number cell).
					expect(ours.ok).toBe(false);
					return;
				}
				if (ref.length) rejected++;
				const flagged = new Set(ours.problems.map((p) => p.question));
				for (const p of ref) expect(flagged.has(p.question), `we miss ${key(p)}`).toBe(true);
				if (ref.length) expect(ours.ok).toBe(false);
			}),
			{ numRuns: RUNS, seed: SEED + 1 }
		);
		expect(rejected).toBeGreaterThan(0);
	}, 900_000);
});
