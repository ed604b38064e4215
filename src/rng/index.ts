/**
 * Seeded randomness. One root seed; every other seed is derived from it and stable keys (never a loop
 * index or file order), and every consumer gets a fresh generator for its key (ARCHITECTURE.md section 4).
 */
import { createHash } from 'node:crypto';
import seedrandom from 'seedrandom';

/** Derives a child seed (hex) from a root seed and stable keys, by SHA-256. */
export function deriveSeed(root: string | number, ...keys: ReadonlyArray<string | number>): string {
  const hash = createHash('sha256');
  hash.update(String(root));
  for (const key of keys) hash.update(`\u0000${String(key)}`);
  return hash.digest('hex');
}

/** A seeded pseudo-random source with the helpers planners need. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  /** Uniform float in [min, max). */
  float(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** One element chosen with the given relative weights. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T;
  /** Approximately normal value (mean, standard deviation), by Box-Muller. */
  normal(mean: number, sd: number): number;
  /** A string of `length` characters from `alphabet`. */
  chars(alphabet: string, length: number): string;
}

/** Makes a generator (seedrandom's ARC4-based default) for a derived seed. */
export function makeRng(seed: string): Rng {
  const prng = seedrandom(seed);
  const next = (): number => prng();
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    float: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)]!;
    },
    weighted: <T>(items: ReadonlyArray<readonly [T, number]>): T => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    normal: (mean, sd) => {
      const u = 1 - next();
      const v = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    chars: (alphabet, length) => {
      let s = '';
      for (let i = 0; i < length; i++) s += alphabet[int(0, alphabet.length - 1)];
      return s;
    },
  };
}

/** A generator for a root seed and stable keys: `rngFor(seed, 'patient', id)`. */
export function rngFor(root: string | number, ...keys: ReadonlyArray<string | number>): Rng {
  return makeRng(deriveSeed(root, ...keys));
}
