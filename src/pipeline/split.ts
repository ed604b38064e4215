/**
 * Patient-level splits (`generate --split train=0.6,validation=0.2,test=0.2`): every patient goes to
 * exactly one split, chosen from the seed and the patient's stable key only (never file order), stratified
 * by the patient's primary modality so that each split gets its share of every modality.
 */
import { createHash } from 'node:crypto';

/** One named split and its share of the patients (the shares of a run sum to 1). */
export interface SplitShare {
  name: string;
  share: number;
}

/** A patient to assign: its stable key and the stratum it is dealt in (its primary modality). */
export interface SplitPatient {
  key: string;
  stratum: string;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Each patient's primary modality: the modality with most instances, ties broken by name.
 * `instances` may come in any order.
 */
export function primaryModalities(
  instances: Iterable<{ patientId: string; modality: string }>,
): SplitPatient[] {
  const counts = new Map<string, Map<string, number>>();
  for (const i of instances) {
    let byModality = counts.get(i.patientId);
    if (!byModality) counts.set(i.patientId, (byModality = new Map()));
    byModality.set(i.modality, (byModality.get(i.modality) ?? 0) + 1);
  }
  return [...counts]
    .map(([key, byModality]) => {
      const [stratum] = [...byModality].sort((a, b) => b[1] - a[1] || compare(a[0], b[0]))[0]!;
      return { key, stratum };
    })
    .sort((a, b) => compare(a.key, b.key));
}

/**
 * Assigns every patient to one split. Within each stratum (strata taken in name order) the patients are
 * ordered by a seeded hash of their key and dealt in blocks whose sizes follow the largest-remainder
 * method: each split gets the floor or the ceiling of its exact share of the stratum (so within one
 * patient of it), and the leftover patients go to the splits with the largest fractional remainder plus
 * the shortfall they carry from earlier strata, so small strata do not all favour the same split.
 * Pure and deterministic; independent of the order of `patients`. Returns patient key -> split name.
 */
export function assignSplits(
  seed: string,
  patients: readonly SplitPatient[],
  shares: readonly SplitShare[],
): Map<string, string> {
  const strata = new Map<string, string[]>();
  for (const p of patients) {
    let keys = strata.get(p.stratum);
    if (!keys) strata.set(p.stratum, (keys = []));
    keys.push(p.key);
  }
  const rank = (key: string): string =>
    createHash('sha256').update(`pseudophi-split\u0000${seed}\u0000${key}`).digest('hex');
  const shortfall = shares.map(() => 0);
  const assignment = new Map<string, string>();
  for (const stratum of [...strata.keys()].sort(compare)) {
    const keys = strata
      .get(stratum)!
      .map((key) => ({ key, rank: rank(key) }))
      .sort((a, b) => compare(a.rank, b.rank) || compare(a.key, b.key))
      .map((k) => k.key);
    const exact = shares.map((s) => keys.length * s.share);
    const counts = exact.map((e) => Math.floor(e + 1e-9));
    let left = keys.length - counts.reduce((a, b) => a + b, 0);
    const order = shares
      .map((_, i) => i)
      .filter((i) => exact[i]! - counts[i]! > 1e-9)
      .sort((a, b) => {
        const pa = exact[a]! - counts[a]! + shortfall[a]!;
        const pb = exact[b]! - counts[b]! + shortfall[b]!;
        return pb - pa || a - b;
      });
    for (const i of order) {
      if (left <= 0) break;
      counts[i]!++;
      left--;
    }
    let next = 0;
    counts.forEach((count, i) => {
      for (const key of keys.slice(next, next + count)) assignment.set(key, shares[i]!.name);
      next += count;
      shortfall[i]! += exact[i]! - count;
    });
  }
  return assignment;
}
