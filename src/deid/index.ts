/** The reference de-identifiers (issue 5): `oracle`, the perfect de-identification a key describes, and `none`. */
export * from './apply.js';
export * from './dates.js';
export * from './deidentify.js';
export * from './errors.js';
export * from './mappings.js';
export * from './pixels.js';
export * from './plan.js';
export * from './text.js';
