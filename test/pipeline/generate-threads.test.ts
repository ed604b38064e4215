/**
 * generate writes the same bytes with its helper threads (answer-key writer, file I/O) as without them.
 * The threads load compiled JavaScript, so this runs the compiled generate from dist/ (built by `npm ci`'s
 * prepare step, or `npm run build`) both ways and is skipped, saying so, when dist/ is absent.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digests } from '../helpers/digests.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const GENERATE = join(DIST, 'pipeline', 'generate.js');
const built = [
  GENERATE,
  join(DIST, 'answerkey', 'key-writer-worker.js'),
  join(DIST, 'dicom', 'file-io-worker.js'),
].every((f) => existsSync(f));
if (!built) process.stderr.write('generate threads test: dist/ is not built (npm run build); skipping\n');

describe.skipIf(!built)('generate with and without helper threads (dist/)', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pseudophi-generate-threads-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('writes identical files', async () => {
    const { generate } = (await import(GENERATE)) as typeof import('../../src/pipeline/generate.js');
    const run = (out: string, threads: boolean): ReturnType<typeof generate> =>
      generate({ out: join(work, out), seed: '11', profile: 'fixture', threads });
    const [threaded, inThread] = [await run('threads', true), await run('in-thread', false)];
    expect(threaded).toEqual(inThread);
    const [a, b] = [await digests(join(work, 'threads')), await digests(join(work, 'in-thread'))];
    expect(a.size).toBeGreaterThan(30);
    expect(a).toEqual(b);
  });
});
