/**
 * Shortlist builder: for a programme and a budget (or a number of places), choose the eligible
 * enterprises that maximise the expected number of level upgrades (or the total points gained).
 *
 * Objective, compared lexicographically over the selected set:
 *   'upgrades': (enterprises whose level rises, total points gained, total need)
 *   'points':   (total points gained, enterprises whose level rises, total need)
 * where need = max total − current total, i.e. among equal gains the weaker enterprises win; the
 * last tie-break is the enterprise id, so shuffled input gives the same shortlist.
 *
 * With one cost for everyone (or a number of places) sorting by value is optimal. With per-enterprise
 * costs it is a 0/1 knapsack, solved exactly, or approximately with a stated bound (knapsack.ts).
 */
import { roundTo } from '../rubric';
import { effectSummary, expectedEffect, type EffectSummary, type ExpectedEffect } from './effect';
import { solveKnapsack, DEFAULT_MAX_DP_CELLS, type KnapsackItem } from './knapsack';
import { FILTER_RULE_LABELS, failedRules, inSegment, type FilterRule } from './segment';
import {
	TargetingInputError,
	type Bilingual,
	type Candidate,
	type Programme,
	type Rescorer,
	type TargetingIssue
} from './types';

export type Objective = 'upgrades' | 'points';
export type ExclusionReason = FilterRule | 'no-gain' | 'over-budget';

export const EXCLUSION_REASON_LABELS: Record<ExclusionReason, Bilingual> = {
	...FILTER_RULE_LABELS,
	'no-gain': {
		vi: 'Chương trình không làm tăng điểm (các tiêu chí liên quan đã đạt tối đa)',
		en: 'The programme adds no points (its criteria are already at their maximum)'
	},
	'over-budget': {
		vi: 'Chi phí hỗ trợ doanh nghiệp này vượt toàn bộ ngân sách',
		en: 'Supporting this enterprise alone costs more than the whole budget'
	}
};

export interface ShortlistInput {
	candidates: readonly Candidate[];
	programme: Programme;
	rescorer: Rescorer;
	/** Total budget, VND. Give exactly one of budgetVnd and slots. */
	budgetVnd?: number;
	/** Number of places. */
	slots?: number;
	/** Default 'upgrades'. */
	objective?: Objective;
	/** Largest exact knapsack table (items × budget units) before falling back to the approximation. */
	maxDpCells?: number;
}

export interface ShortlistChoice {
	rank: number;
	enterpriseId: string;
	label?: string;
	costVnd: number;
	effect: ExpectedEffect;
	explanation: Bilingual;
}

export interface SelectionSummary {
	count: number;
	spentVnd: number;
	/** Enterprises whose level rises. */
	upgraded: number;
	/** Levels climbed, summed (an enterprise jumping two levels counts 2). */
	levelSteps: number;
	pointsGained: number;
}

export interface Shortlist {
	programmeId: string;
	objective: Objective;
	constraint: { kind: 'budget'; budgetVnd: number } | { kind: 'slots'; slots: number };
	/** 'sort' and 'exact-dp' are optimal; 'greedy-approximation' comes with `approximation`. */
	method: 'sort' | 'exact-dp' | 'greedy-approximation';
	approximation?: {
		/** Upper bound on the optimum of the primary objective (upgrades, or points gained). */
		upperBound: number;
		note: Bilingual;
	};
	selected: ShortlistChoice[];
	summary: SelectionSummary;
	candidates: number;
	eligible: number;
	excluded: {
		/** Enterprises failing at least one eligibility rule. */
		ineligible: number;
		noGain: number;
		overBudget: number;
		/** Per reason (an enterprise failing two rules counts under both). */
		byReason: Record<ExclusionReason, number>;
		list: { enterpriseId: string; reasons: ExclusionReason[] }[];
	};
	/** Lowest current scores first, within eligibility and the same budget or places. */
	baseline: { enterpriseIds: string[]; summary: SelectionSummary };
	/** Optimised minus baseline. */
	difference: { upgraded: number; levelSteps: number; pointsGained: number };
}

/** Integer scale for points (1e-4 of a point) so that sums and comparisons are exact. */
const SCALE = 10_000;

interface Option {
	candidate: Candidate;
	cost: number;
	effect: EffectSummary;
	value: [number, number, number];
}

function fmt(x: number, lang: 'vi' | 'en'): string {
	const s = String(roundTo(x, 3));
	return lang === 'vi' ? s.replace('.', ',') : s;
}

function fail(path: string, vi: string, en: string): never {
	throw new TargetingInputError([{ path, message: { vi, en } }]);
}

/** Why this enterprise, in words: current level and gap, criteria concerned, expected new level. */
export function explainEffect(e: ExpectedEffect, rescorer: Rescorer): Bilingual {
	const label = (id: string) => rescorer.levels.find((l) => l.id === id)?.label ?? { vi: id, en: id };
	const parts = (lang: 'vi' | 'en'): string => {
		const vi = lang === 'vi';
		const b = e.before;
		const a = e.after;
		let s = vi
			? `Hiện tại: ${label(b.level).vi} (${fmt(b.total, lang)} điểm, K = ${fmt(b.K, lang)}).`
			: `Now: ${label(b.level).en} (${fmt(b.total, lang)} points, K = ${fmt(b.K, lang)}).`;
		const g = e.gapBefore;
		if (g.next) {
			const need: string[] = [];
			if (g.points > 0) need.push(vi ? `${fmt(g.points, lang)} điểm` : `${fmt(g.points, lang)} points`);
			if (g.K > 0) need.push(vi ? `${fmt(g.K, lang)} về hệ số K` : `${fmt(g.K, lang)} of K`);
			s += vi
				? ` Để lên ${label(g.next).vi} còn thiếu ${need.join(' và ')}.`
				: ` To reach ${label(g.next).en} it lacks ${need.join(' and ')}.`;
		}
		const crit = e.criteria
			.map((c) => `${c.criterion} ${fmt(c.before, lang)} → ${fmt(c.after, lang)}/${fmt(c.max, lang)}`)
			.join('; ');
		s += vi ? ` Chương trình nâng: ${crit}.` : ` The programme raises: ${crit}.`;
		const up =
			e.levelsUp > 0
				? vi
					? `lên ${e.levelsUp} bậc`
					: `up ${e.levelsUp} level${e.levelsUp > 1 ? 's' : ''}`
				: vi
					? 'chưa lên mức'
					: 'same level';
		s += vi
			? ` Dự kiến: ${fmt(a.total, lang)} điểm (+${fmt(e.pointsGained, lang)}), K = ${fmt(a.K, lang)}, mức ${label(a.level).vi} (${up}).`
			: ` Expected: ${fmt(a.total, lang)} points (+${fmt(e.pointsGained, lang)}), K = ${fmt(a.K, lang)}, ${label(a.level).en} (${up}).`;
		return s;
	};
	return { vi: parts('vi'), en: parts('en') };
}

function summarise(options: readonly Option[], dp: number): SelectionSummary {
	let spent = 0;
	let upgraded = 0;
	let steps = 0;
	let points = 0;
	for (const o of options) {
		spent += o.cost;
		if (o.effect.levelsUp > 0) upgraded++;
		steps += o.effect.levelsUp;
		points += Math.round(o.effect.pointsGained * SCALE);
	}
	return {
		count: options.length,
		spentVnd: spent,
		upgraded,
		levelSteps: steps,
		pointsGained: roundTo(points / SCALE, dp)
	};
}

/** Canonical order: best value first, then enterprise id (input order never matters). */
function byValue(a: Option, b: Option): number {
	return (
		b.value[0] - a.value[0] ||
		b.value[1] - a.value[1] ||
		b.value[2] - a.value[2] ||
		(a.candidate.enterpriseId < b.candidate.enterpriseId
			? -1
			: a.candidate.enterpriseId > b.candidate.enterpriseId
				? 1
				: 0)
	);
}

function byIdOrder(a: Option, b: Option): number {
	return a.candidate.enterpriseId < b.candidate.enterpriseId
		? -1
		: a.candidate.enterpriseId > b.candidate.enterpriseId
			? 1
			: 0;
}

export function buildShortlist(input: ShortlistInput): Shortlist {
	const { candidates, programme, rescorer } = input;
	const objective = input.objective ?? 'upgrades';
	if (objective !== 'upgrades' && objective !== 'points')
		fail(
			'objective',
			`Mục tiêu "${String(objective)}" không hợp lệ (upgrades hoặc points).`,
			`Invalid objective "${String(objective)}" (upgrades or points).`
		);
	const hasBudget = input.budgetVnd !== undefined;
	const hasSlots = input.slots !== undefined;
	if (hasBudget === hasSlots)
		fail(
			'budgetVnd',
			'Cần đúng một trong hai: ngân sách (VNĐ) hoặc số suất hỗ trợ.',
			'Give exactly one of: a budget (VND) or a number of places.'
		);
	const budget = input.budgetVnd ?? 0;
	const slots = input.slots ?? 0;
	if (hasBudget && !(Number.isFinite(budget) && budget >= 0))
		fail(
			'budgetVnd',
			`Ngân sách phải là số không âm (nhận được ${String(budget)}).`,
			`Budget must be a non-negative number (got ${String(budget)}).`
		);
	if (hasSlots && !(Number.isSafeInteger(slots) && slots >= 0))
		fail(
			'slots',
			`Số suất phải là số nguyên không âm (nhận được ${String(slots)}).`,
			`Places must be a non-negative whole number (got ${String(slots)}).`
		);

	const unitCost = programme.costPerEnterpriseVnd;
	if (!Number.isSafeInteger(unitCost) || unitCost <= 0)
		fail(
			'programme.costPerEnterpriseVnd',
			`Chi phí cho mỗi doanh nghiệp phải là số nguyên dương (VNĐ), nhận được ${String(unitCost)}.`,
			`Cost per enterprise must be a positive whole number of VND, got ${String(unitCost)}.`
		);
	const dp = rescorer.decimals;
	const issues: TargetingIssue[] = [];
	const seen = new Set<string>();
	const byReason = Object.fromEntries(Object.keys(EXCLUSION_REASON_LABELS).map((k) => [k, 0])) as Record<
		ExclusionReason,
		number
	>;
	const list: Shortlist['excluded']['list'] = [];
	let ineligible = 0;
	let noGain = 0;
	let overBudget = 0;
	const eligible: Option[] = [];

	candidates.forEach((c, index) => {
		if (seen.has(c.enterpriseId))
			issues.push({
				path: `candidates[${index}].enterpriseId`,
				message: {
					vi: `Doanh nghiệp ${c.enterpriseId} xuất hiện hai lần.`,
					en: `Enterprise ${c.enterpriseId} appears twice.`
				}
			});
		seen.add(c.enterpriseId);
		const cost = c.costVnd ?? unitCost;
		if (!Number.isSafeInteger(cost) || cost <= 0) {
			issues.push({
				path: `candidates[${index}].costVnd`,
				message: {
					vi: `Chi phí phải là số nguyên dương (VNĐ), nhận được ${String(cost)}.`,
					en: `Cost must be a positive whole number of VND, got ${String(cost)}.`
				}
			});
			return;
		}
		const failed = inSegment(programme.eligibility, c) ? null : failedRules(programme.eligibility, c);
		if (failed) {
			ineligible++;
			for (const r of failed) byReason[r]++;
			list.push({ enterpriseId: c.enterpriseId, reasons: failed });
			return;
		}
		let effect: EffectSummary;
		try {
			effect = effectSummary(programme, c, rescorer);
		} catch (e) {
			issues.push({
				path: `candidates[${index}]`,
				message: {
					vi: `Dữ liệu điểm không hợp lệ: ${(e as Error).message}`,
					en: `Invalid score data: ${(e as Error).message}`
				}
			});
			return;
		}
		const up = effect.levelsUp > 0 ? 1 : 0;
		const pts = Math.round(effect.pointsGained * SCALE);
		const need = Math.round((rescorer.maxTotal - effect.beforeTotal) * SCALE);
		eligible.push({
			candidate: c,
			cost,
			effect,
			value: objective === 'upgrades' ? [up, pts, need] : [pts, up, need]
		});
	});
	if (issues.length) throw new TargetingInputError(issues);

	// Candidates worth considering: they gain something and (with a budget) fit in it on their own.
	const considered: Option[] = [];
	for (const o of eligible) {
		const reasons: ExclusionReason[] = [];
		if (o.value[0] === 0 && o.value[1] === 0) reasons.push('no-gain');
		if (hasBudget && o.cost > budget) reasons.push('over-budget');
		if (reasons.length === 0) considered.push(o);
		else {
			for (const r of reasons) byReason[r]++;
			if (reasons.includes('no-gain')) noGain++;
			if (reasons.includes('over-budget')) overBudget++;
			list.push({ enterpriseId: o.candidate.enterpriseId, reasons });
		}
	}
	considered.sort(byValue);

	let chosen: Option[];
	let method: Shortlist['method'] = 'sort';
	let approximation: Shortlist['approximation'];
	const uniformCost = considered.every((o) => o.cost === considered[0].cost);
	if (hasSlots) chosen = considered.slice(0, slots);
	else if (uniformCost)
		chosen = considered.slice(0, considered.length ? Math.floor(budget / considered[0].cost) : 0);
	else {
		const items: KnapsackItem[] = considered.map((o) => ({ cost: o.cost, value: o.value }));
		const r = solveKnapsack(items, budget, input.maxDpCells ?? DEFAULT_MAX_DP_CELLS);
		chosen = r.chosen.map((i) => considered[i]);
		method = r.method;
		if (r.method === 'greedy-approximation') {
			const ub =
				objective === 'upgrades' ? Math.floor(r.upperBound + 1e-9) : roundTo(r.upperBound / SCALE, dp);
			approximation = {
				upperBound: ub,
				note: {
					vi: `Bài toán quá lớn để giải chính xác: dùng thuật toán tham lam theo hiệu quả trên chi phí. Kết quả đạt ít nhất một nửa tối ưu, và tối ưu không vượt quá ${fmt(ub, 'vi')}.`,
					en: `Too large to solve exactly: greedy by value per cost. The result is at least half the optimum, and the optimum is at most ${fmt(ub, 'en')}.`
				}
			};
		}
	}
	chosen.sort(byValue);

	// Baseline: lowest current score first (then id), same eligibility and the same budget or places.
	const naive = [...eligible].sort((a, b) => a.effect.beforeTotal - b.effect.beforeTotal || byIdOrder(a, b));
	const baseline: Option[] = [];
	let left = budget;
	for (const o of naive) {
		if (hasSlots) {
			if (baseline.length >= slots) break;
			baseline.push(o);
		} else if (o.cost <= left) {
			baseline.push(o);
			left -= o.cost;
		}
	}

	const summary = summarise(chosen, dp);
	const base = summarise(baseline, dp);
	list.sort((a, b) => (a.enterpriseId < b.enterpriseId ? -1 : a.enterpriseId > b.enterpriseId ? 1 : 0));
	return {
		programmeId: programme.id,
		objective,
		constraint: hasSlots ? { kind: 'slots', slots } : { kind: 'budget', budgetVnd: budget },
		method,
		...(approximation ? { approximation } : {}),
		selected: chosen.map((o, i) => {
			const effect = expectedEffect(programme, o.candidate, rescorer);
			return {
				rank: i + 1,
				enterpriseId: o.candidate.enterpriseId,
				...(o.candidate.label !== undefined ? { label: o.candidate.label } : {}),
				costVnd: o.cost,
				effect,
				explanation: explainEffect(effect, rescorer)
			};
		}),
		summary,
		candidates: candidates.length,
		eligible: eligible.length,
		excluded: { ineligible, noGain, overBudget, byReason, list },
		baseline: { enterpriseIds: baseline.map((o) => o.candidate.enterpriseId), summary: base },
		difference: {
			upgraded: summary.upgraded - base.upgraded,
			levelSteps: summary.levelSteps - base.levelSteps,
			pointsGained: roundTo(summary.pointsGained - base.pointsGained, dp)
		}
	};
}
