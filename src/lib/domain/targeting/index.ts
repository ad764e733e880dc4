export * from './types';
export { rubricRescorer, candidateFromScore, pointsOf } from './rescorer';
export { FILTER_RULES, FILTER_RULE_LABELS, failedRules, inSegment } from './segment';
export type { FilterRule } from './segment';
export { validateProgramme, validateSegmentFilter, parseProgramme } from './programme';
export type { ProgrammeContext } from './programme';
export { expectedEffect, effectSummary, gapToNext, levelIndex } from './effect';
export type { ExpectedEffect, EffectSummary, LevelGap, CriterionChange } from './effect';
export { solveKnapsack, compareValue, DEFAULT_MAX_DP_CELLS } from './knapsack';
export type { KnapsackItem, KnapsackResult, Value3 } from './knapsack';
export { buildShortlist, explainEffect, EXCLUSION_REASON_LABELS } from './shortlist';
export type {
	Shortlist,
	ShortlistInput,
	ShortlistChoice,
	SelectionSummary,
	Objective,
	ExclusionReason
} from './shortlist';
export { whatIf, raisePoints } from './whatif';
export type { WhatIfInput, WhatIfResult, WhatIfChange, Raise } from './whatif';
export { followUp } from './followup';
export type { FollowUpInput, FollowUpResult } from './followup';
