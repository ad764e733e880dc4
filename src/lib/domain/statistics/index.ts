export * from './distributions';
export * from './quantile';
export * from './intervals';
export * from './weighting';
export * from './did';
