/**
 * Golden hash: the fixture corpus for seed 1 is pinned. If this fails after an intended change (templates,
 * pixel synthesis, planner, DICOM writer, codec versions), update GOLDEN and say why in the commit message
 * (ARCHITECTURE.md section 4: a change to the golden hash is a conscious, documented act).
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { generateInto, tempDir } from './helpers.js';

/** SHA-256 over `path sha256\n` lines of every fixture file, in sorted path order. */
const GOLDEN = '3c44ade23e589a37b6509ad7408a341f566789c8abff221b24ff0b6346619066';

describe('corpus golden hash', () => {
  const out = tempDir('golden');
  afterAll(() => out.cleanup());

  it('pins the fixture corpus of seed 1', async () => {
    const { files } = await generateInto(out.dir, { seed: '1', profile: 'fixture' });
    const lines = Object.keys(files)
      .sort()
      .map((path) => `${path} ${files[path]}\n`)
      .join('');
    expect(createHash('sha256').update(lines).digest('hex')).toBe(GOLDEN);
  });
});
