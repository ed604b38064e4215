/**
 * Seeded Faker construction: one fresh generator per stable key, never a shared or global one
 * (ARCHITECTURE.md section 4). ARCHITECTURE puts seeded Faker construction in src/rng; this file lives here
 * only because src/rng has another owner, and should move there unchanged (with its test).
 */
import type { Faker } from '@faker-js/faker';
// The en_US entry point loads one locale; the package root loads all of them (about 0.25 s at start-up).
import { faker as enUsFaker } from '@faker-js/faker/locale/en_US';
import { faker as deFaker } from '@faker-js/faker/locale/de';
import { faker as elFaker } from '@faker-js/faker/locale/el';
import { faker as esFaker } from '@faker-js/faker/locale/es';
import { faker as frFaker } from '@faker-js/faker/locale/fr';
import { faker as jaFaker } from '@faker-js/faker/locale/ja';
import { faker as koFaker } from '@faker-js/faker/locale/ko';
import { faker as ruFaker } from '@faker-js/faker/locale/ru';
import { faker as zhCnFaker } from '@faker-js/faker/locale/zh_CN';
import { deriveSeed } from '../rng/index.js';
import type { IdentityLocale } from './locale.js';

/** Splits a derived SHA-256 hex seed into the eight unsigned 32-bit words Faker's Mersenne Twister takes. */
export function toSeedWords(hexSeed: string): number[] {
  if (!/^[0-9a-f]{64}$/.test(hexSeed)) throw new Error(`not a 256-bit hex seed: ${hexSeed}`);
  const words: number[] = [];
  // All 256 bits feed the generator (init_by_array), so distinct keys never share a 32-bit seed.
  for (let i = 0; i < 64; i += 8) words.push(Number.parseInt(hexSeed.slice(i, i + 8), 16) >>> 0);
  return words;
}

/**
 * The en_US Faker seeded from the root seed and stable keys: `makeFaker(root, 'patient', id, 'name')`.
 * Re-seeding gives exactly the draws of a fresh instance, so one instance serves every key; planning is
 * synchronous, and a key's draws finish before the next key re-seeds it.
 */
export function makeFaker(root: string | number, ...keys: ReadonlyArray<string | number>): Faker {
  // seed() takes the full array; the constructor's `seed` option only one number.
  enUsFaker.seed(toSeedWords(deriveSeed(root, ...keys)));
  return enUsFaker;
}

/**
 * The Faker of a scope (a patient, a study), re-seeded for each field: `const fieldFaker =
 * makeScopedFaker(root, 'patient', id); fieldFaker('patient.name')` draws exactly what
 * `makeFaker(root, 'patient', id, 'patient.name')` would. A field must finish its draws before the next
 * field's generator is asked for.
 */
export function makeScopedFaker(
  root: string | number,
  ...keys: ReadonlyArray<string | number>
): (field: string) => Faker {
  return (field) => makeFaker(root, ...keys, field);
}

/** One Faker per locale, each falling back to English where its own data has a gap (Faker's own chain). */
const LOCALE_FAKERS: Readonly<Record<IdentityLocale, Faker>> = {
  en_US: enUsFaker,
  de: deFaker,
  fr: frFaker,
  es: esFaker,
  el: elFaker,
  ru: ruFaker,
  ja: jaFaker,
  ko: koFaker,
  zh_CN: zhCnFaker,
};

/**
 * The Faker of a locale seeded from the root seed and stable keys, as `makeFaker` (which it is for en_US):
 * `makeLocaleFaker('de', root, 'patient', id, 'patient.address')`.
 */
export function makeLocaleFaker(
  locale: IdentityLocale,
  root: string | number,
  ...keys: ReadonlyArray<string | number>
): Faker {
  const faker = LOCALE_FAKERS[locale];
  faker.seed(toSeedWords(deriveSeed(root, ...keys)));
  return faker;
}

/** `makeScopedFaker` for a locale. */
export function makeScopedLocaleFaker(
  locale: IdentityLocale,
  root: string | number,
  ...keys: ReadonlyArray<string | number>
): (field: string) => Faker {
  return (field) => makeLocaleFaker(locale, root, ...keys, field);
}

/** The Faker type, re-exported so that callers in identity/ need not import the library themselves. */
export type { Faker };
