/**
 * Seeded Faker construction: one fresh generator per stable key, never a shared or global one
 * (ARCHITECTURE.md section 4). ARCHITECTURE puts seeded Faker construction in src/rng; this file lives here
 * only because src/rng has another owner, and should move there unchanged (with its test).
 */
import type { Faker } from '@faker-js/faker';
// The en_US entry point loads one locale; the package root loads all of them (about 0.25 s at start-up).
// The other locales load when a run asks for them (loadLocaleFakers): an en_US run starts without them.
import { faker as enUsFaker } from '@faker-js/faker/locale/en_US';
import { deriveSeed } from '../rng/index.js';
import { IDENTITY_LOCALES, type IdentityLocale } from './locale.js';

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

/** The other locales' Faker modules, each falling back to English where its data has a gap (Faker's own chain). */
const LOCALE_MODULES: Readonly<Record<Exclude<IdentityLocale, 'en_US'>, () => Promise<{ faker: Faker }>>> = {
  de: () => import('@faker-js/faker/locale/de'),
  fr: () => import('@faker-js/faker/locale/fr'),
  es: () => import('@faker-js/faker/locale/es'),
  el: () => import('@faker-js/faker/locale/el'),
  ru: () => import('@faker-js/faker/locale/ru'),
  ja: () => import('@faker-js/faker/locale/ja'),
  ko: () => import('@faker-js/faker/locale/ko'),
  zh_CN: () => import('@faker-js/faker/locale/zh_CN'),
};

/** The Fakers loaded so far, by locale. */
const localeFakers = new Map<IdentityLocale, Faker>([['en_US', enUsFaker]]);

/** Loads the Fakers of `locales` (default: every identity locale), so that makeLocaleFaker can use them. */
export async function loadLocaleFakers(locales: Iterable<IdentityLocale> = IDENTITY_LOCALES): Promise<void> {
  for (const locale of new Set(locales)) {
    if (locale === 'en_US' || localeFakers.has(locale)) continue;
    localeFakers.set(locale, (await LOCALE_MODULES[locale]()).faker);
  }
}

/**
 * The Faker of a locale seeded from the root seed and stable keys, as `makeFaker` (which it is for en_US):
 * `makeLocaleFaker('de', root, 'patient', id, 'patient.address')`.
 */
export function makeLocaleFaker(
  locale: IdentityLocale,
  root: string | number,
  ...keys: ReadonlyArray<string | number>
): Faker {
  const faker = localeFakers.get(locale);
  if (!faker) throw new Error(`the ${locale} Faker is not loaded (loadLocaleFakers first)`);
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
