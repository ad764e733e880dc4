/** CSV import/export: pure logic, byte streams in, events and strings out. See each module's header. */
export * from './types';
export * from './encoding';
export * from './read';
export * from './numbers';
export * from './template';
export * from './write';
