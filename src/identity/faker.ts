/**
 * Seeded Faker construction: one fresh generator per stable key, never a shared or global one
 * (ARCHITECTURE.md section 4). ARCHITECTURE puts seeded Faker construction in src/rng; this file lives here
 * only because src/rng has another owner, and should move there unchanged (with its test).
 */
import { Faker, base, en, en_US } from '@faker-js/faker';
import { deriveSeed } from '../rng/index.js';

/** Splits a derived SHA-256 hex seed into the eight unsigned 32-bit words Faker's Mersenne Twister takes. */
export function toSeedWords(hexSeed: string): number[] {
  if (!/^[0-9a-f]{64}$/.test(hexSeed)) throw new Error(`not a 256-bit hex seed: ${hexSeed}`);
  const words: number[] = [];
  // All 256 bits feed the generator (init_by_array), so distinct keys never share a 32-bit seed.
  for (let i = 0; i < 64; i += 8) words.push(Number.parseInt(hexSeed.slice(i, i + 8), 16) >>> 0);
  return words;
}

/** Makes a fresh en_US Faker seeded from the root seed and stable keys: `makeFaker(root, 'patient', id, 'name')`. */
export function makeFaker(root: string | number, ...keys: ReadonlyArray<string | number>): Faker {
  const faker = new Faker({ locale: [en_US, en, base] });
  // The constructor's `seed` option takes one number; seed() also takes the full array.
  faker.seed(toSeedWords(deriveSeed(root, ...keys)));
  return faker;
}

/**
 * One Faker for a scope (a patient, a study), re-seeded for each field: `const fieldFaker =
 * makeScopedFaker(root, 'patient', id); fieldFaker('patient.name')` draws exactly what
 * `makeFaker(root, 'patient', id, 'patient.name')` would. Constructing Faker costs about 0.1 ms, re-seeding
 * a few microseconds; with some forty fields per study that is the difference between seconds and
 * milliseconds per thousand patients. Each call re-seeds the one instance, so a field must finish its draws
 * before the next field's generator is asked for.
 */
export function makeScopedFaker(
  root: string | number,
  ...keys: ReadonlyArray<string | number>
): (field: string) => Faker {
  const faker = new Faker({ locale: [en_US, en, base] });
  return (field) => {
    faker.seed(toSeedWords(deriveSeed(root, ...keys, field)));
    return faker;
  };
}

/** The Faker type, re-exported so that callers in identity/ need not import the library themselves. */
export type { Faker };
