/** The annual sector database: publication, benchmarks and their views. */
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
