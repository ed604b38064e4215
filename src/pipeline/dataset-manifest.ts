/**
 * A dataset's manifest.json and counts, from what became of its source instances. A generate run (whole,
 * split, shard or resumed) and `merge` build them through the same functions, so a merged dataset's
 * manifest is byte-identical to the unsharded run's.
 */
import { ACTIONS } from '../phi/index.js';
import { mapUid } from '../insert/index.js';
import type { InstanceOutcome, WrittenOutcome } from './instance.js';
import type { Reject } from './scan.js';

/** One output file of a dataset, in scan order. */
export interface OutputEntry {
  scanIndex: number;
  path: string;
  sha256: string;
  source: string;
  sourceSha256: string | null;
}

/** What a dataset's manifest is made of. */
export interface DatasetParts {
  /** Written instances in scan order. */
  outputs: OutputEntry[];
  /** Inputs that could not be used (the scan's and the instances'), sorted by path. */
  rejects: Reject[];
  /** Instances chosen for burned-in text whose pixels could not take it, in scan order. */
  unburned: Array<Reject & { scanIndex: number }>;
  /** References (mapped) the inputs already left dangling, sorted. */
  danglingReferences: string[];
  /** UIDs (mapped) the dataset's inputs define: what a merge needs to tell dangling references. */
  targets: string[];
  counts: Record<string, number>;
  checksByCategory: Record<string, number>;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorted copy of a record's entries (stable JSON key order). */
const sortedRecord = (record: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => compare(a, b)));

/** Adds `from`'s numbers into `into`. */
function addCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
}

/** The parts of a dataset from its instances' outcomes (any order) and the scan's rejects. */
export function partsFromOutcomes(
  seed: string,
  outcomes: readonly InstanceOutcome[],
  scanRejects: readonly Reject[],
): DatasetParts {
  const ordered = [...outcomes].sort((a, b) => a.scanIndex - b.scanIndex);
  const written = ordered.filter((o): o is WrittenOutcome => !('rejected' in o));
  const rejects: Reject[] = [...scanRejects];
  const targets = new Set<string>();
  const references = new Set<string>();
  const patients = new Set<string>();
  const studies = new Set<string>();
  const series = new Set<string>();
  const byAction: Record<string, number> = Object.fromEntries(ACTIONS.map((a) => [a, 0]));
  const byCategory: Record<string, number> = {};
  let checks = 0;
  let burned = 0;
  for (const o of ordered) {
    o.targets?.forEach((uid) => targets.add(uid));
    o.references?.forEach((uid) => references.add(uid));
    if ('rejected' in o) {
      rejects.push({ relativePath: o.source, reason: o.rejected });
      continue;
    }
    patients.add(o.file.patientId);
    studies.add(o.file.studyInstanceUid);
    series.add(o.file.seriesInstanceUid);
    addCounts(byAction, o.checksByAction);
    addCounts(byCategory, o.checksByCategory);
    checks += o.checks;
    if (o.burned) burned++;
  }
  rejects.sort((a, b) => compare(a.relativePath, b.relativePath));
  const unburned = written
    .filter((o) => o.unburned !== undefined)
    .map((o) => ({ scanIndex: o.scanIndex, relativePath: o.source, reason: o.unburned! }));
  return {
    outputs: written.map((o) => ({
      scanIndex: o.scanIndex,
      path: o.file.outputPath,
      sha256: o.file.sha256,
      source: o.source,
      sourceSha256: o.file.sourceSha256,
    })),
    rejects,
    unburned,
    danglingReferences: [...references]
      .filter((uid) => !targets.has(uid))
      .map((uid) => mapUid(seed, uid))
      .sort(compare),
    targets: [...targets].map((uid) => mapUid(seed, uid)).sort(compare),
    counts: {
      patients: patients.size,
      studies: studies.size,
      series: series.size,
      instances: written.length,
      rejects: rejects.length,
      checks,
      burned,
      burnSkipped: unburned.length,
      ...Object.fromEntries(Object.entries(byAction).map(([a, n]) => [`checks.${a}`, n])),
    },
    checksByCategory: sortedRecord(byCategory),
  };
}

/** Joins the parts of patient-disjoint datasets (shards) of one run into the whole run's. */
export function joinParts(parts: readonly DatasetParts[]): DatasetParts {
  const outputs = parts.flatMap((p) => p.outputs).sort((a, b) => a.scanIndex - b.scanIndex);
  // The scan's rejects are in every part; an instance's reject in one.
  const rejects = new Map<string, Reject>();
  for (const p of parts) for (const r of p.rejects) rejects.set(`${r.relativePath}\u0000${r.reason}`, r);
  const targets = new Set(parts.flatMap((p) => p.targets));
  const counts: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  for (const p of parts) {
    addCounts(counts, p.counts);
    addCounts(byCategory, p.checksByCategory);
  }
  counts.rejects = rejects.size;
  return {
    outputs,
    rejects: [...rejects.values()].sort((a, b) => compare(a.relativePath, b.relativePath)),
    unburned: parts.flatMap((p) => p.unburned).sort((a, b) => a.scanIndex - b.scanIndex),
    danglingReferences: [...new Set(parts.flatMap((p) => p.danglingReferences))]
      .filter((uid) => !targets.has(uid))
      .sort(compare),
    targets: [...targets].sort(compare),
    counts: Object.fromEntries(Object.keys(parts[0]?.counts ?? {}).map((k) => [k, counts[k] ?? 0])),
    checksByCategory: sortedRecord(byCategory),
  };
}

/** Which part of a sharded run a dataset is. */
export interface ShardOfRun {
  index: number;
  count: number;
}

/** The header of a manifest: who made it, from what. */
export interface ManifestHeader {
  version: string;
  dependencies: Record<string, string>;
  seed: string;
  options: unknown;
  answerKeySha256: string;
}

/**
 * A run steered toward target shares of checks (its options' `checkShares`, from the profile): each
 * targeted action's target and achieved share of all checks. Nothing for other runs.
 */
function checkSharesOf(
  options: unknown,
  counts: Readonly<Record<string, number>>,
): { checkShares?: Record<string, { target: number; achieved: number }> } {
  const targets = (options as { checkShares?: Record<string, number> } | null)?.checkShares;
  if (!targets) return {};
  const total = counts.checks ?? 0;
  const achieved = (action: string): number =>
    total > 0 ? Math.round(((counts[`checks.${action}`] ?? 0) / total) * 1e4) / 1e4 : 0;
  return {
    checkShares: Object.fromEntries(
      Object.entries(targets).map(([action, target]) => [action, { target, achieved: achieved(action) }]),
    ),
  };
}

/** The JSON object of manifest.json. A shard's also carries what `merge` needs to rebuild the whole run's. */
export function toManifest(header: ManifestHeader, parts: DatasetParts, shard?: ShardOfRun): unknown {
  return {
    tool: 'pseudophi',
    version: header.version,
    dependencies: header.dependencies,
    seed: header.seed,
    options: header.options,
    counts: parts.counts,
    checksByCategory: parts.checksByCategory,
    ...checkSharesOf(header.options, parts.counts),
    inputs: parts.outputs.map((o) => ({ path: o.source, sha256: o.sourceSha256 })),
    outputs: parts.outputs.map((o) => ({ path: o.path, sha256: o.sha256, source: o.source })),
    answerKey: { path: 'answer_key.db', sha256: header.answerKeySha256 },
    unburned: parts.unburned.map((u) => ({ relativePath: u.relativePath, reason: u.reason })),
    danglingReferences: parts.danglingReferences,
    ...(shard
      ? {
          shard: {
            ...shard,
            scanIndexes: parts.outputs.map((o) => o.scanIndex),
            targets: parts.targets,
          },
        }
      : {}),
  };
}

/** The JSON text of manifest.json. */
export const manifestText = (manifest: unknown): string => `${JSON.stringify(manifest, null, 2)}\n`;
