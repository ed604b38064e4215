/**
 * generate writes the same bytes with its helper threads (answer-key writer, file I/O) as without them.
 * The threads load compiled JavaScript, so this runs the compiled generate from dist/ (built by `npm ci`'s
 * prepare step, or `npm run build`) both ways and is skipped, saying so, when dist/ is absent.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const GENERATE = join(DIST, 'pipeline', 'generate.js');
const built = [
  GENERATE,
  join(DIST, 'answerkey', 'key-writer-worker.js'),
  join(DIST, 'dicom', 'file-io-worker.js'),
].every((f) => existsSync(f));
if (!built) process.stderr.write('generate threads test: dist/ is not built (npm run build); skipping\n');

/** SHA-256 of every file under a folder, by relative path. */
async function digests(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else
        out[relative(dir, full)] = createHash('sha256')
          .update(await readFile(full))
          .digest('hex');
    }
  };
  await walk(dir);
  return out;
}

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
    expect(Object.keys(a).length).toBeGreaterThan(30);
    expect(a).toEqual(b);
  });
});
