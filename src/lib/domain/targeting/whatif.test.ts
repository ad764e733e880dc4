import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIZE_CLASSES } from '../enterprise';
import { generateResponses } from '../generator';
import {
	classify,
	scoreResponse,
	type Criterion,
	type LevelId,
	type ReferenceValues,
	type Rubric
} from '../rubric';
import { candidateFromScore, rubricRescorer } from './rescorer';
import { syntheticCandidates } from './test-support';
import { TargetingInputError, type Candidate } from './types';
import { raisePoints, whatIf, type Raise } from './whatif';

const read = <T>(p: string): T => JSON.parse(readFileSync(join(process.cwd(), p), 'utf8')) as T;
const rubric = read<Rubric>('surveys/mechanical/2025.1/rubric.json');
const refs = read<ReferenceValues>('surveys/mechanical/reference-values/2025.json');
const questionnaire = read<unknown>('surveys/mechanical/2025.1/questionnaire.json');
const rescorer = rubricRescorer(rubric);

const responses = generateResponses({
	questionnaire,
	sector: 'mechanical',
	count: 400,
	seed: 'what-if',
	referenceValues: refs
});
const enterprises = responses.map((r, i) => {
	const id = `W${String(i).padStart(3, '0')}`;
	const score = scoreResponse(rubric, refs, r.answers);
	const candidate = candidateFromScore(
		{
			enterpriseId: id,
			sector: 'mechanical',
			size: SIZE_CLASSES[i % 4],
			ownership: r.profile.ownership,
			ward: r.profile.ward,
			vsic: r.profile.vsic
		},
		score
	);
	return { id, answers: r.answers, score, candidate };
});

/** An answer that scores exactly `target` points on a choice or bands criterion, or undefined. */
function answerFor(c: Criterion, target: number): unknown {
	const m = c.mapping;
	if (m.kind === 'choice') return Object.entries(m.points).find(([, p]) => p === target)?.[0];
	if (m.kind === 'bands') {
		const b = m.bands.find((x) => x.points === target);
		return b ? (b.from ?? (b.to as number) - 1) : undefined;
	}
	return undefined;
}

const count = (levels: LevelId[]) => {
	const out = Object.fromEntries(rubric.levels.map((l) => [l.id, 0])) as Record<LevelId, number>;
	for (const l of levels) out[l]++;
	return out;
};

describe('whatIf equals rescoring the modified responses with the rubric engine', () => {
	// Criteria whose question no other criterion reads: changing that answer changes only them.
	const readers = new Map<string, number>();
	for (const c of enterprises[0].score.criteria)
		for (const q of c.answersUsed) readers.set(q, (readers.get(q) ?? 0) + 1);
	const editable = rubric.criteria.filter(
		(c) =>
			(c.mapping.kind === 'choice' || c.mapping.kind === 'bands') &&
			readers.get(c.mapping.question) === 1 &&
			!c.mapping.question.includes('.')
	);

	it('for every answer-editable criterion, raised to max or by whole points, in a segment', () => {
		expect(editable.length).toBeGreaterThanOrEqual(5);
		const segment = {
			ownerships: ['private' as const],
			sizes: ['micro' as const, 'small' as const, 'medium' as const]
		};
		const inSeg = enterprises.filter(
			(e) => e.candidate.ownership === 'private' && e.candidate.size !== 'large'
		);
		let compared = 0;
		let changed = 0;
		for (const c of editable) {
			for (const raise of ['max', 1, 2] as Raise[]) {
				const modified: Record<string, unknown>[] = [];
				let realisable = true;
				for (const e of inSeg) {
					const cur = e.score.criteria.find((x) => x.id === c.id)?.points ?? 0;
					const target = raise === 'max' ? c.max : Math.min(c.max, cur + raise);
					const v = answerFor(c, target);
					if (v === undefined) {
						realisable = false;
						break;
					}
					const m = c.mapping as { question: string };
					modified.push({ ...e.answers, [m.question]: v });
				}
				if (!realisable) continue;
				const result = whatIf({
					candidates: enterprises.map((e) => e.candidate),
					segment,
					change: { criterion: c.id, raise },
					rescorer
				});
				const rescored = modified.map((a) => scoreResponse(rubric, refs, a));
				expect(result.n).toBe(inSeg.length);
				expect(result.before).toEqual(count(inSeg.map((e) => e.score.level)));
				expect(result.after).toEqual(count(rescored.map((s) => s.level)));
				expect(result.enterprises.map((x) => [x.enterpriseId, x.after, x.totalAfter])).toEqual(
					inSeg.map((e, i) => [e.id, rescored[i].level, rescored[i].total])
				);
				compared++;
				if (JSON.stringify(result.after) !== JSON.stringify(result.before)) changed++;
			}
		}
		expect(compared).toBeGreaterThanOrEqual(10);
		expect(changed).toBeGreaterThan(0);
	});
});

describe('whatIf on groups and inputs', () => {
	const cands: Candidate[] = syntheticCandidates({ count: 300, seed: 'group', rescorer });

	it('raising a group shares the points by headroom, never above a criterion max, and matches classify', () => {
		for (const raise of [3, 'max'] as Raise[]) {
			const result = whatIf({ candidates: cands, segment: {}, change: { group: 'R', raise }, rescorer });
			expect(result.n).toBe(cands.length);
			cands.forEach((c, i) => {
				const before = Object.fromEntries(Object.entries(c.current.criteria).map(([k, v]) => [k, v.points]));
				const after = raisePoints(before, { group: 'R', raise }, rescorer);
				const headroom = rubric.criteria
					.filter((x) => x.group === 'R')
					.reduce((a, x) => a + x.max - before[x.id], 0);
				let gained = 0;
				for (const x of rubric.criteria) {
					expect(after[x.id]).toBeLessThanOrEqual(x.max);
					if (x.group !== 'R') expect(after[x.id]).toBe(before[x.id]);
					else gained += after[x.id] - before[x.id];
				}
				expect(gained).toBeCloseTo(raise === 'max' ? headroom : Math.min(3, headroom), 1);
				const groups = { T: 0, E: 0, O: 0, R: 0, I: 0 };
				for (const x of rubric.criteria)
					groups[x.group] = Math.round((groups[x.group] + after[x.id]) * 100) / 100;
				const expected = classify(rubric, groups);
				const row = result.enterprises[i];
				expect(row.enterpriseId).toBe(c.enterpriseId);
				expect([row.after, row.totalAfter]).toEqual([expected.level, expected.total]);
			});
			expect(result.upgraded).toBeGreaterThan(0);
			expect(result.meanTotalAfter as number).toBeGreaterThan(result.meanTotalBefore as number);
		}
	});

	it('an empty segment gives n = 0 and null means', () => {
		const r = whatIf({
			candidates: cands,
			segment: { wards: ['nowhere'] },
			change: { criterion: 'T1', raise: 1 },
			rescorer
		});
		expect(r).toMatchObject({ n: 0, upgraded: 0, meanTotalBefore: null, meanTotalAfter: null });
	});

	it('rejects an unknown criterion, group or raise with a bilingual message', () => {
		const bad = (change: unknown) => () =>
			whatIf({ candidates: cands, segment: {}, change: change as never, rescorer });
		expect(bad({ criterion: 'X9', raise: 1 })).toThrow(TargetingInputError);
		expect(bad({ criterion: 'X9', raise: 1 })).toThrow(
			/change.criterion: Criterion "X9" is not in the rubric/
		);
		expect(bad({ group: 'Z', raise: 1 })).toThrow(/change.group/);
		expect(bad({ criterion: 'T1', raise: -2 })).toThrow(/change.raise/);
	});
});
