/**
 * Worker threads do not change the output: the compiled CLI writes the same fixture corpus with one and
 * with two workers. Workers load compiled JavaScript, so this runs against dist/ (built by `npm ci`'s
 * prepare step, or `npm run build`) and is skipped, saying so, when dist/ is absent.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const WORKER = fileURLToPath(new URL('../../dist/corpus/worker.js', import.meta.url));
const built = existsSync(CLI) && existsSync(WORKER);
if (!built) process.stderr.write('corpus workers test: dist/ is not built (npm run build); skipping\n');

describe.skipIf(!built)('corpus worker threads', () => {
  const dirs = [tempDir('w1'), tempDir('w2')];
  afterAll(() => dirs.forEach((d) => d.cleanup()));

  it('writes identical files with one and with two workers', async () => {
    const run = promisify(execFile);
    for (const [i, workers] of [1, 2].entries()) {
      await run(process.execPath, [
        CLI,
        'corpus',
        '--out',
        dirs[i]!.dir,
        '--profile',
        'fixture',
        '--workers',
        String(workers),
      ]);
    }
    const [one, two] = dirs.map((d) => readFileSync(join(d.dir, 'manifest.json'), 'utf8'));
    expect(two).toBe(one);
    expect(Object.keys((JSON.parse(one!) as { files: object }).files).length).toBeGreaterThan(30);
  });
});
