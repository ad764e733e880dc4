export * from './cells';
export * from './tables';
export * from './linear';
export * from './protect';
export * from './release';
export * from './attack';
export * from './statistics';
export * from './statisticsAttack';
