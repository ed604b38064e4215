/**
 * Insertion intensity: the one knob that sets how much PHI an instance gets, so that a profile's target
 * shares of checks per action (`checkShares`) can be met (MIDI-B's score was skewed by very unequal
 * counts). Intensity 1 is the default insertion exactly; below it, fewer optional PHI attributes,
 * sequences, private elements and free texts (keep checks weigh more); above it, free text in every
 * element the grammar knows, then second and third items of the PHI sequences (removal checks weigh
 * more). Every decision is drawn from the seed and stable keys of the source (its series UID, the unit's
 * name), never from what other instances did, so output is the same for any worker count, shard or order.
 */
import { deriveSeed } from '../rng/index.js';

/** The intensity of the default insertion (what a run without `checkShares` does). */
export const DEFAULT_INTENSITY = 1;
/** The highest intensity: free text everywhere and three items in each PHI sequence. */
export const MAX_INTENSITY = 4;
/**
 * Intensities at which every unit's share is 0 or 1 but for the absent free texts' (see shareOf), and
 * between which every share is linear: a run's expected checks are linear between them too, so planning
 * a sample at these is enough to estimate any intensity (calibration in pipeline/planner.ts).
 */
export const INTENSITY_KNOTS: readonly number[] = [0, 1, 2, 3, 4];

/** The kinds of optional insertion the intensity gates. */
export type InsertionUnit =
  /** A standard attribute not marked `core`, a sequence's first item, a vendor's private PHI block. */
  | 'optional'
  /** Free text in an element the source has, or one the grammar always fills. */
  | 'free-text'
  /** Free text in an element the source lacks (half of them by default). */
  | 'free-text-absent'
  /** The second (1) or third (2) item of a PHI sequence. */
  | { extraItem: number };

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/** The share of units of a kind inserted at an intensity (piecewise linear, knots at INTENSITY_KNOTS). */
export function shareOf(unit: InsertionUnit, intensity: number): number {
  if (unit === 'optional' || unit === 'free-text') return clamp01(intensity);
  if (unit === 'free-text-absent') return clamp01(intensity / 2);
  return clamp01(intensity - 1 - unit.extraItem);
}

/** Rounds an intensity to the precision runs record and plan with (so a manifest's value replans exactly). */
export const roundIntensity = (intensity: number): number =>
  Math.round(Math.min(MAX_INTENSITY, Math.max(0, intensity)) * 1000) / 1000;

/**
 * A uniform number in [0, 1) from the seed and stable keys (SHA-256, 52 bits): one draw per unit and
 * series, independent of every other random choice, so gating a unit never shifts another's draws.
 */
export function uniformOf(seed: string | number, ...keys: ReadonlyArray<string | number>): number {
  return parseInt(deriveSeed(seed, 'insertion', ...keys).slice(0, 13), 16) / 2 ** 52;
}

/**
 * Whether a unit of a series is inserted at an intensity: always when its share is 1, never when 0,
 * else when the series' draw for the unit falls below the share (so raising the intensity only adds).
 */
export function includesUnit(
  seed: string | number,
  seriesKey: string,
  unitName: string,
  unit: InsertionUnit,
  intensity: number,
): boolean {
  const share = shareOf(unit, intensity);
  if (share >= 1) return true;
  if (share <= 0) return false;
  return uniformOf(seed, seriesKey, unitName) < share;
}

/** Checks per action (expected or counted) at one intensity. */
export type ActionCounts = Readonly<Record<string, number>>;

/** The intensity a run plans with to meet target shares, and the shares expected there. */
export interface IntensityChoice {
  intensity: number;
  /** Expected share of all checks of each targeted action at that intensity. */
  expected: Record<string, number>;
}

/** Steps of the search over intensities (the precision roundIntensity keeps). */
const SEARCH_STEP = 0.001;

/** Counts at an intensity, interpolated linearly between the counts at INTENSITY_KNOTS. */
export function countsAt(knotCounts: readonly ActionCounts[], intensity: number): Record<string, number> {
  const upper = Math.min(INTENSITY_KNOTS.length - 1, Math.max(1, Math.ceil(intensity)));
  const lower = upper - 1;
  const f = (intensity - INTENSITY_KNOTS[lower]!) / (INTENSITY_KNOTS[upper]! - INTENSITY_KNOTS[lower]!);
  const a = knotCounts[lower]!;
  const b = knotCounts[upper]!;
  const counts: Record<string, number> = {};
  for (const action of new Set([...Object.keys(a), ...Object.keys(b)]))
    counts[action] = (a[action] ?? 0) * (1 - f) + (b[action] ?? 0) * f;
  return counts;
}

/** Each targeted action's share of all checks in `counts`. */
export function sharesOf(counts: ActionCounts, actions: readonly string[]): Record<string, number> {
  const total = Object.values(counts).reduce((s, n) => s + n, 0);
  return Object.fromEntries(actions.map((a) => [a, total > 0 ? (counts[a] ?? 0) / total : 0]));
}

/** How far counts are from the target shares: the sum of squared differences of the targeted shares. */
export function shareError(counts: ActionCounts, targets: Readonly<Record<string, number>>): number {
  const actions = Object.keys(targets);
  const shares = sharesOf(counts, actions);
  return actions.reduce((e, a) => e + (shares[a]! - targets[a]!) ** 2, 0);
}

/** Counts plus a correction (which may be negative), per action. */
function plus(counts: ActionCounts, correction: ActionCounts): Record<string, number> {
  const sum: Record<string, number> = { ...counts };
  for (const [a, n] of Object.entries(correction)) sum[a] = (sum[a] ?? 0) + n;
  return sum;
}

/**
 * The intensity whose expected shares come nearest the targets (least sum of squared differences), from
 * the checks per action expected at each of INTENSITY_KNOTS plus `correction` (what a sample counted at
 * an intensity beyond the interpolation). Ties go to the intensity nearest the default, so targets the
 * knob cannot move change the run as little as possible.
 */
export function chooseIntensity(
  knotCounts: readonly ActionCounts[],
  targets: Readonly<Record<string, number>>,
  correction: ActionCounts = {},
): IntensityChoice {
  if (knotCounts.length !== INTENSITY_KNOTS.length)
    throw new Error(`expected counts at ${INTENSITY_KNOTS.length} intensities, got ${knotCounts.length}`);
  const actions = Object.keys(targets);
  const errorAt = (intensity: number): number =>
    shareError(plus(countsAt(knotCounts, intensity), correction), targets);
  let best = DEFAULT_INTENSITY;
  let bestError = errorAt(best);
  const steps = Math.round(MAX_INTENSITY / SEARCH_STEP);
  for (let i = 0; i <= steps; i++) {
    const intensity = roundIntensity(i * SEARCH_STEP);
    const error = errorAt(intensity);
    const nearer = Math.abs(intensity - DEFAULT_INTENSITY) < Math.abs(best - DEFAULT_INTENSITY);
    if (error < bestError - 1e-15 || (Math.abs(error - bestError) <= 1e-15 && nearer)) {
      best = intensity;
      bestError = error;
    }
  }
  return { intensity: best, expected: sharesOf(plus(countsAt(knotCounts, best), correction), actions) };
}
