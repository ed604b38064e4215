/** The identity layer's public surface: seeded synthetic patients, clinicians, institutions, devices, dates. */
export * from './calendar.js';
export * from './character-sets.js';
export * from './common-words.js';
export * from './date-shift.js';
export { clash, DistinctValues, IDENTITY_OVERLAPS, makeIdentityRegistry, unfitAsPhi } from './distinct.js';
export * from './errors.js';
export {
  loadLocaleFakers,
  makeFaker,
  makeLocaleFaker,
  makeScopedFaker,
  makeScopedLocaleFaker,
  toSeedWords,
} from './faker.js';
export * from './fields.js';
export * from './locale.js';
export { formatLongDate, formatShortDate } from './locale-formats.js';
export { toDateValue, type Address, type DateValue } from './formats.js';
export { nameRenderings, type NameSex, type PersonName } from './names.js';
export * from './patient.js';
export * from './plan.js';
export * from './study.js';
