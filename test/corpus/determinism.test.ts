/**
 * Determinism contract (ARCHITECTURE.md section 4) for the corpus: the same seed and profile give
 * byte-identical files; adding patients leaves the existing patients' files unchanged.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateInto, tempDir } from './helpers.js';

/** SHA-256 of every file under a folder, keyed by relative path (forward slashes). */
function hashTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else
        out[relative(root, path).split('\\').join('/')] = createHash('sha256')
          .update(readFileSync(path))
          .digest('hex');
    }
  };
  walk(root);
  return out;
}

describe('corpus determinism', () => {
  const dirs = [tempDir('a'), tempDir('b'), tempDir('c'), tempDir('d')];
  afterAll(() => dirs.forEach((d) => d.cleanup()));

  it('writes byte-identical files for the same seed and profile', async () => {
    const a = await generateInto(dirs[0]!.dir, { seed: '7', profile: 'fixture' });
    const b = await generateInto(dirs[1]!.dir, { seed: '7', profile: 'fixture' });
    const treeA = hashTree(dirs[0]!.dir);
    const treeB = hashTree(dirs[1]!.dir);
    expect(Object.keys(treeA).length).toBe(a.summary.instances + 1);
    expect(treeB).toEqual(treeA);
    expect(b.manifest).toBe(a.manifest);
    // The manifest's hashes are the files' hashes.
    for (const [path, sha] of Object.entries(a.files)) expect(treeA[path]).toBe(sha);
  });

  it('keeps existing patients unchanged when patients are added', async () => {
    const small = await generateInto(dirs[2]!.dir, { seed: '7', profile: 'fixture', patients: 5 });
    const large = await generateInto(dirs[3]!.dir, { seed: '7', profile: 'fixture', patients: 11 });
    expect(large.summary.patients).toBe(11);
    for (const [path, sha] of Object.entries(small.files)) expect(large.files[path], path).toBe(sha);
    expect(Object.keys(large.files).length).toBeGreaterThan(Object.keys(small.files).length);
  });

  it('writes different files for a different seed', async () => {
    const { dir, cleanup } = tempDir('e');
    try {
      const other = await generateInto(dir, { seed: '8', profile: 'fixture', patients: 2 });
      const first = hashTree(dirs[2]!.dir);
      for (const [path, sha] of Object.entries(other.files)) expect(first[path]).not.toBe(sha);
    } finally {
      cleanup();
    }
  });
});
