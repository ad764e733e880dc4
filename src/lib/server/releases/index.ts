/** The annual sector database: publication, benchmarks and their views (issue 5). */
export * from './types';
export * from './segments';
export {
	publishCampaign,
	transitionCampaign,
	canTransition,
	pseudonymise,
	ReleaseError,
	type PublishOptions
} from './publish';
export { buildBenchmarks, segmentationPipeline, statBlock } from './benchmarks';
export * from './read';
export * from './dashboard';
