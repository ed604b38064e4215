/** The insertion layer: planners that decide what synthetic PHI goes where, and the one applier. */
export * from './apply.js';
export * from './character-set.js';
export * from './free-text.js';
export * from './identity-values.js';
export * from './plan.js';
export * from './intensity.js';
