/** `pseudophi corpus`: the summary line, and usage errors as exit codes with one clear message. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../helpers/cli.js';
import { tempDir } from './helpers.js';

const capture = runCaptured;

describe('pseudophi corpus', () => {
  const out = tempDir('cli');
  afterAll(() => out.cleanup());

  it('writes the corpus and prints a one-line summary', async () => {
    const result = await capture([
      'corpus',
      '--out',
      out.dir,
      '--profile',
      'fixture',
      '--patients',
      '2',
      '--seed',
      '3',
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      /^corpus: 2 patients, 2 studies, \d+ series, \d+ instances, \d+ bytes in [\d.]+ s -> /,
    );
    expect(existsSync(join(out.dir, 'manifest.json'))).toBe(true);
  });

  it('refuses to write over an existing corpus', async () => {
    const result = await capture(['corpus', '--out', out.dir, '--profile', 'fixture']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/is not empty/);
  });

  it('reports bad options with exit codes and one message', async () => {
    const other = join(out.dir, 'other');
    expect((await capture(['corpus', '--out', other, '--profile', 'nope'])).err).toMatch(
      /unknown profile "nope"/,
    );
    const badPatients = await capture(['corpus', '--out', other, '--patients', 'x']);
    expect(badPatients.code).toBe(1);
    expect(badPatients.err).toMatch(/--patients must be an integer/);
    expect((await capture(['corpus', '--out', other, '--seed', '-1'])).code).toBe(1);
    expect((await capture(['corpus'])).code).toBe(2);
  });
});
