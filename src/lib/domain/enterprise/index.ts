export * from './labels';
export * from './size';
export * from './taxCode';
export * from './vsic';
export * from './search';
