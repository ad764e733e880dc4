/** Policy tools: gap map, support programmes, shortlists, follow-up and what-if. */
export * from './types';
export { parseSourceId, listSources, getSource, loadSource, clearSourceCache } from './sources';
export {
	programmeContext,
	forbid,
	toProgramme,
	listProgrammes,
	getProgramme,
	requireProgramme,
	saveProgramme,
	issueLines
} from './programmes';
export {
	gapMap,
	gapMapFor,
	parseGapDims,
	NEED_LEVEL,
	type GapMap,
	type GapSegment,
	type GapOrder
} from './gapmap';
export {
	candidateOf,
	shortlistFor,
	shortlistCsv,
	shortlistFilename,
	parseAmount,
	parseObjective,
	type ShortlistRequest,
	type ShortlistRow,
	type ShortlistTarget,
	type ShortlistAudit,
	type ShortlistView
} from './shortlist';
export {
	recordSupports,
	markShortlistSupported,
	recordSupportByTaxCode,
	removeSupport,
	listSupports,
	followUpFor,
	type SupportListItem,
	type FollowUpView
} from './supports';
export { whatIfFor, parseChange, segmentFromFields, type WhatIfView } from './whatif';
export { seedPolicyDemo, DEMO_PROGRAMMES } from './demo';
export { programmeFromForm, improvesText, shortlistRequestFrom } from './forms';
