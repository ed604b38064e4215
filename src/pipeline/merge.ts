/**
 * `merge`: joins the N shard datasets of one sharded run (`generate --shard K/N`) into the dataset the
 * unsharded run writes, byte for byte: files copied (and their SHA-256 checked against the shard's
 * manifest), the answer key rebuilt from the shards' keys in the whole run's scan order, rejects and the
 * manifest joined from the shards' parts (dataset-manifest.ts). The manifest is written last.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ANSWER_KEY_FILE,
  stableJson,
  writeMergedAnswerKey,
  type MergedInstance,
} from '../answerkey/index.js';
import { readInputBytes, sha256OfFile, writeFileAtomic } from '../dicom/index.js';
import { ConfigError, PseudophiError } from '../errors/index.js';
import {
  joinParts,
  manifestText,
  toManifest,
  type DatasetParts,
  type ShardOfRun,
} from './dataset-manifest.js';
import { silentReporter, type Reporter } from './reporter.js';
import type { Reject } from './scan.js';

/** The parts of a shard's manifest.json that merge reads. */
interface ShardManifest {
  version: string;
  dependencies: Record<string, string>;
  seed: string;
  options: Record<string, unknown> & { shard?: ShardOfRun };
  counts: Record<string, number>;
  checksByCategory: Record<string, number>;
  inputs: Array<{ path: string; sha256: string | null }>;
  outputs: Array<{ path: string; sha256: string; source: string }>;
  unburned: Reject[];
  danglingReferences: string[];
  shard?: ShardOfRun & { scanIndexes: number[]; targets: string[] };
}

/** What a merge produced. */
export interface MergeSummary {
  shards: number;
  instances: number;
  checks: number;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The run's options without the shard: what every shard of one run shares, and what the merged run has. */
function withoutShard(options: ShardManifest['options']): Record<string, unknown> {
  const { shard: _shard, ...rest } = options;
  return rest;
}

/** Reads and checks the shard manifests: one run, every shard exactly once. Returns them in shard order. */
async function readShards(dirs: readonly string[]): Promise<Array<{ dir: string; manifest: ShardManifest }>> {
  const manifests: ShardManifest[] = [];
  for (const dir of dirs) {
    const path = join(dir, 'manifest.json');
    let manifest: ShardManifest;
    try {
      manifest = JSON.parse(await readFile(path, 'utf8')) as ShardManifest;
    } catch (error) {
      throw new ConfigError(`not a finished dataset (${(error as Error).message})`, path);
    }
    if (!manifest.shard) throw new ConfigError('not a shard (generated without --shard)', path);
    manifests.push(manifest);
  }
  const first = manifests[0]!;
  const count = first.shard!.count;
  const same = (m: ShardManifest): boolean =>
    m.seed === first.seed &&
    m.version === first.version &&
    m.shard!.count === count &&
    stableJson(m.dependencies) === stableJson(first.dependencies) &&
    stableJson(withoutShard(m.options)) === stableJson(withoutShard(first.options));
  manifests.forEach((m, i) => {
    if (!same(m))
      throw new ConfigError(
        `shard of another run than ${dirs[0]} (seed, version, options or shard count differ)`,
        dirs[i],
      );
  });
  const byIndex = new Map<number, number>();
  manifests.forEach((m, i) => {
    const seen = byIndex.get(m.shard!.index);
    if (seen !== undefined)
      throw new ConfigError(`shard ${m.shard!.index}/${count} is also in ${dirs[seen]}`, dirs[i]);
    byIndex.set(m.shard!.index, i);
  });
  const missing = Array.from({ length: count }, (_, k) => k + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0)
    throw new ConfigError(
      `shards ${missing.map((k) => `${k}/${count}`).join(', ')} are missing from the merge`,
    );
  return manifests
    .map((manifest, i) => ({ dir: dirs[i]!, manifest }))
    .sort((a, b) => a.manifest.shard!.index - b.manifest.shard!.index);
}

/** A shard's parts, as its manifest and rejects.json record them. */
async function partsOf(dir: string, m: ShardManifest): Promise<DatasetParts> {
  const scanIndexes = m.shard!.scanIndexes;
  const scanIndexOfSource = new Map(m.outputs.map((o, i) => [o.source, scanIndexes[i]!]));
  return {
    outputs: m.outputs.map((o, i) => ({
      scanIndex: scanIndexes[i]!,
      path: o.path,
      sha256: o.sha256,
      source: o.source,
      sourceSha256: m.inputs[i]!.sha256,
    })),
    rejects: JSON.parse(await readFile(join(dir, 'rejects.json'), 'utf8')) as Reject[],
    unburned: m.unburned.map((u) => ({ ...u, scanIndex: scanIndexOfSource.get(u.relativePath) ?? -1 })),
    danglingReferences: m.danglingReferences,
    targets: m.shard!.targets,
    counts: m.counts,
    checksByCategory: m.checksByCategory,
  };
}

/** Merges shard datasets into `out` (new or empty). */
export async function mergeShards(
  shardDirs: readonly string[],
  out: string,
  reporter: Reporter = silentReporter,
): Promise<MergeSummary> {
  if (shardDirs.length === 0) throw new ConfigError('merge needs the shard directories');
  const shards = await readShards(shardDirs);
  const dirs = shards.map((s) => s.dir);
  const manifests = shards.map((s) => s.manifest);

  await mkdir(out, { recursive: true });
  if ((await readdir(out)).some((e) => !e.startsWith('.')))
    throw new PseudophiError(`output folder ${out} is not empty; choose a new one`, { file: out });

  const parts = await Promise.all(manifests.map((m, i) => partsOf(dirs[i]!, m)));
  const joined = joinParts(parts);
  const order: Array<MergedInstance & { scanIndex: number; sha256: string }> = parts
    .flatMap((p, shard) =>
      p.outputs.map((o) => ({ shard, outputPath: o.path, scanIndex: o.scanIndex, sha256: o.sha256 })),
    )
    .sort((a, b) => a.scanIndex - b.scanIndex);

  // The files, each checked against its shard's manifest on the way.
  for (const [n, o] of order.entries()) {
    reporter.progress('merge', n, order.length);
    const bytes = await readInputBytes(join(dirs[o.shard]!, o.outputPath));
    if (sha256(bytes) !== o.sha256)
      throw new PseudophiError(
        `${o.outputPath} does not match its shard's manifest (changed after generate?)`,
        {
          file: join(dirs[o.shard]!, o.outputPath),
        },
      );
    await writeFileAtomic(join(out, o.outputPath), bytes);
  }
  reporter.progress('merge', order.length, order.length);

  const first = manifests[0]!;
  const options = withoutShard(first.options);
  writeMergedAnswerKey(
    out,
    dirs.map((d) => join(d, ANSWER_KEY_FILE)),
    order,
    {
      seed: first.seed,
      toolVersion: first.version,
      dependencyVersions: first.dependencies,
      options,
      counts: joined.counts,
    },
  );
  await writeFileAtomic(join(out, 'rejects.json'), Buffer.from(`${stableJson(joined.rejects)}\n`));
  const answerKeySha256 = await sha256OfFile(join(out, ANSWER_KEY_FILE));
  const manifest = toManifest(
    { version: first.version, dependencies: first.dependencies, seed: first.seed, options, answerKeySha256 },
    joined,
  );
  await writeFileAtomic(join(out, 'manifest.json'), Buffer.from(manifestText(manifest)));
  return { shards: manifests.length, instances: order.length, checks: joined.counts.checks ?? 0 };
}
