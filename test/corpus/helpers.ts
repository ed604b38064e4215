/** Shared by the corpus tests: generate into a temporary folder, read the manifest's hashes. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus, type CorpusOptions, type CorpusSummary } from '../../src/corpus/index.js';

/** A temporary output folder, removed by the returned cleanup function. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `pseudophi-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Generates a corpus into `dir` and returns the summary and the manifest's file hashes. */
export async function generateInto(
  dir: string,
  options: Omit<CorpusOptions, 'out'>,
): Promise<{ summary: CorpusSummary; files: Record<string, string>; manifest: string }> {
  const summary = await generateCorpus({ ...options, out: dir });
  const manifest = readFileSync(join(dir, 'manifest.json'), 'utf8');
  const files = (JSON.parse(manifest) as { files: Record<string, string> }).files;
  return { summary, files, manifest };
}
