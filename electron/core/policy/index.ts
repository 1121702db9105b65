export * from './schema.js';
export * from './load.js';
export * from './merge.js';
export * from './technician.js';
export * from './enrollment.js';
