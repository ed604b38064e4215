/**
 * Datasets the generate-*.test.ts interop suites run on, written into temp folders by `generate()` and
 * `generateCorpus()` directly: generate over the whole of Debian's pydicom test set (real, messy input:
 * headerless, big endian, deflated, compressed, DICOMDIR, non-DICOM files), and generate over the clean
 * fixture corpus written into a folder first (so that every output can be mapped back to its input file).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { generateCorpus } from '../../src/corpus/index.js';
import { generate, type GenerateSummary } from '../../src/pipeline/generate.js';
import { TEST_FILES } from './support.js';

/** One seed for every suite, so numbers in failure messages can be reproduced with the CLI. */
export const SEED = 'interop-generate';

/** manifest.json as these suites read it. */
export interface Manifest {
  counts: Record<string, number>;
  inputs: Array<{ path: string; sha256: string }>;
  outputs: Array<{ path: string; sha256: string; source: string }>;
  answerKey: { path: string; sha256: string };
}

/** A reject as rejects.json lists it. */
export interface RejectEntry {
  relativePath: string;
  reason: string;
}

export const readManifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;

export const readRejects = (dir: string): RejectEntry[] =>
  JSON.parse(readFileSync(join(dir, 'rejects.json'), 'utf8')) as RejectEntry[];

/** `pseudophi generate --input <pydicom test_files> --out <out>`: the whole folder, subfolders included. */
export function generateFromPydicom(out: string): Promise<GenerateSummary> {
  return generate({ input: TEST_FILES, out, seed: SEED, profile: 'fixture' });
}

/** `pseudophi corpus --profile fixture --out <dir>`; returns the folder of its DICOM files. */
export async function writeFixtureCorpus(dir: string): Promise<string> {
  await generateCorpus({ out: dir, seed: SEED, profile: 'fixture' }, { progress: () => undefined });
  return join(dir, 'dicom');
}

/** `pseudophi generate --input <input> --out <out>`. */
export function generateFrom(input: string, out: string): Promise<GenerateSummary> {
  return generate({ input, out, seed: SEED, profile: 'fixture' });
}

/** Every regular file under a folder, as sorted `/`-separated relative paths. */
export function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(relative(root, full).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}
