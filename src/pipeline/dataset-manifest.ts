/**
 * A dataset's manifest.json and counts, from what became of its source instances. A generate run (whole,
 * split, shard or resumed) and `merge` build them through the same functions, so a merged dataset's
 * manifest is byte-identical to the unsharded run's.
 */
import { ACTIONS } from '../phi/index.js';
import { mapUid } from '../insert/index.js';
import type { InstanceOutcome } from './instance.js';
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

/**
 * The parts of a dataset, tallied one outcome at a time (any order) so that a run keeps what the manifest
 * needs of each instance, not the whole outcome (its UID lists and counts by category).
 */
export class DatasetTally {
  private readonly outputs: OutputEntry[] = [];
  private readonly instanceRejects: Array<Reject & { scanIndex: number }> = [];
  private readonly unburned: Array<Reject & { scanIndex: number }> = [];
  private readonly targets = new Set<string>();
  private readonly references = new Set<string>();
  private readonly patients = new Set<string>();
  private readonly studies = new Set<string>();
  private readonly series = new Set<string>();
  private readonly byAction: Record<string, number> = Object.fromEntries(ACTIONS.map((a) => [a, 0]));
  private readonly byCategory: Record<string, number> = {};
  private checks = 0;
  private burned = 0;

  add(o: InstanceOutcome): void {
    o.targets?.forEach((uid) => this.targets.add(uid));
    o.references?.forEach((uid) => this.references.add(uid));
    if ('rejected' in o) {
      this.instanceRejects.push({ scanIndex: o.scanIndex, relativePath: o.source, reason: o.rejected });
      return;
    }
    this.patients.add(o.file.patientId);
    this.studies.add(o.file.studyInstanceUid);
    this.series.add(o.file.seriesInstanceUid);
    addCounts(this.byAction, o.checksByAction);
    addCounts(this.byCategory, o.checksByCategory);
    this.checks += o.checks;
    if (o.burned) this.burned++;
    if (o.unburned !== undefined)
      this.unburned.push({ scanIndex: o.scanIndex, relativePath: o.source, reason: o.unburned });
    this.outputs.push({
      scanIndex: o.scanIndex,
      path: o.file.outputPath,
      sha256: o.file.sha256,
      source: o.source,
      sourceSha256: o.file.sourceSha256,
    });
  }

  /** The parts of everything added, with the scan's rejects. */
  parts(seed: string, scanRejects: readonly Reject[]): DatasetParts {
    const byScan = (a: { scanIndex: number }, b: { scanIndex: number }): number => a.scanIndex - b.scanIndex;
    const rejects: Reject[] = [
      ...scanRejects,
      ...[...this.instanceRejects].sort(byScan).map(({ relativePath, reason }) => ({ relativePath, reason })),
    ];
    rejects.sort((a, b) => compare(a.relativePath, b.relativePath));
    const unburned = [...this.unburned].sort(byScan);
    return {
      outputs: [...this.outputs].sort(byScan),
      rejects,
      unburned,
      danglingReferences: [...this.references]
        .filter((uid) => !this.targets.has(uid))
        .map((uid) => mapUid(seed, uid))
        .sort(compare),
      targets: [...this.targets].map((uid) => mapUid(seed, uid)).sort(compare),
      counts: {
        patients: this.patients.size,
        studies: this.studies.size,
        series: this.series.size,
        instances: this.outputs.length,
        rejects: rejects.length,
        checks: this.checks,
        burned: this.burned,
        burnSkipped: unburned.length,
        ...Object.fromEntries(Object.entries(this.byAction).map(([a, n]) => [`checks.${a}`, n])),
      },
      checksByCategory: sortedRecord(this.byCategory),
    };
  }
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
