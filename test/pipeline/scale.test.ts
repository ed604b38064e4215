/**
 * Identical output across worker counts, shard splits (merged) and a kill -9 and resume. The worker pool
 * and the helper threads load compiled JavaScript, so this runs the compiled CLI and pipeline from dist/
 * (built by `npm ci`'s prepare step, or `npm run build`) and is skipped, saying so, when dist/ is absent.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digests } from '../helpers/digests.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const MAIN = join(DIST, 'cli', 'main.js');
const built = [MAIN, join(DIST, 'pipeline', 'generate-worker.js'), join(DIST, 'pipeline', 'merge.js')].every(
  (f) => existsSync(f),
);
if (!built) process.stderr.write('scale test: dist/ is not built (npm run build); skipping\n');

/**
 * The run the worker and shard cases reproduce: the fixture profile, more patients than its default, with
 * identities from several locales (and so several character sets).
 */
const RUN = [
  ...['--profile', 'fixture', '--patients', '6', '--seed', '5', '--locale', 'en_US=1,ja=1,ru=1,ko=1'],
  ...['--no-verify', '--quiet'],
];

/** Runs the compiled CLI; resolves to its exit code and output. */
function cli(args: readonly string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Progress records committed to a run's scratch key so far (0 while there is none or it is busy). */
function committed(dir: string): number {
  const path = join(dir, 'answer_key.db.partial');
  if (!existsSync(path)) return 0;
  try {
    const db = new Database(path, { readonly: true, timeout: 50 });
    try {
      return (db.prepare('SELECT count(*) AS n FROM run_progress').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // being written or rolled back: ask again
  }
}

/** Starts generate and kills it (SIGKILL) once `atLeast` instances are committed; resolves when it is gone. */
async function generateAndKill(args: readonly string[], dir: string, atLeast: number): Promise<number> {
  const child = spawn(process.execPath, [MAIN, 'generate', ...args], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let done: number | null = null;
  void exited.then((code) => (done = code ?? -1));
  let seen = 0;
  while (done === null && (seen = committed(dir)) < atLeast) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGKILL');
  await exited;
  return seen;
}

/** The larger run of the kill tests (the demo profile's first two patients, ~180 instances), and its bytes. */
const DEMO_RUN = ['--patients', '2', '--seed', '3', '--no-verify', '--quiet'];
let demoWhole: Map<string, string> | undefined;

describe.skipIf(!built)('generate at scale: workers, shards, resume (dist/)', () => {
  let work: string;
  let whole: Map<string, string>;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pseudophi-scale-'));
    const { code, err } = await cli(['generate', ...RUN, '--workers', '1', '--out', join(work, 'whole')]);
    expect(code, err).toBe(0);
    whole = await digests(join(work, 'whole'));
  }, 120_000);
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('writes the same bytes with 2 and 3 workers as with 1', async () => {
    expect(whole.size).toBeGreaterThan(30);
    for (const workers of ['2', '3']) {
      const out = join(work, `workers-${workers}`);
      const { code, err } = await cli(['generate', ...RUN, '--workers', workers, '--out', out]);
      expect(code, err).toBe(0);
      expect(await digests(out)).toEqual(whole);
    }
  }, 180_000);

  it('merges 2 and 3 shards, given in any order, into the unsharded dataset', async () => {
    for (const count of [2, 3]) {
      const dirs: string[] = [];
      for (let k = 1; k <= count; k++) {
        const out = join(work, `shards-${count}`, `shard-${k}`);
        const { code, err } = await cli([
          'generate',
          ...RUN,
          '--workers',
          '2',
          '--shard',
          `${k}/${count}`,
          '--out',
          out,
        ]);
        expect(code, err).toBe(0);
        dirs.push(out);
      }
      // Disjoint patients, every one of them somewhere.
      const patients = await Promise.all(
        dirs.map(
          async (d) =>
            (JSON.parse(await readFile(join(d, 'manifest.json'), 'utf8')) as { counts: { patients: number } })
              .counts.patients,
        ),
      );
      expect(patients.reduce((a, b) => a + b, 0)).toBe(6);
      const merged = join(work, `merged-${count}`);
      const { code, err } = await cli(['merge', ...dirs.reverse(), '--out', merged, '--quiet']);
      expect(code, err).toBe(0);
      expect(await digests(merged)).toEqual(whole);
    }
  }, 300_000);

  it('refuses to merge an incomplete set of shards or shards of different runs', async () => {
    const [one, two] = [join(work, 'shards-3', 'shard-1'), join(work, 'shards-3', 'shard-2')];
    const missing = await cli(['merge', one, two, '--out', join(work, 'bad-merge-1')]);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/shards 3\/3 are missing/);
    const mixed = await cli([
      'merge',
      one,
      join(work, 'shards-2', 'shard-2'),
      '--out',
      join(work, 'bad-merge-2'),
    ]);
    expect(mixed.code).not.toBe(0);
    expect(mixed.err).toMatch(/another run/);
  }, 60_000);

  it('finishes a run killed (kill -9) twice with the bytes of an uninterrupted run', async () => {
    // A larger run (the demo profile's two first patients, ~180 instances): the key commits every 32.
    const run = DEMO_RUN;
    const reference = join(work, 'uninterrupted');
    const uninterrupted = await cli(['generate', ...run, '--workers', '1', '--out', reference]);
    expect(uninterrupted.code, uninterrupted.err).toBe(0);
    const whole = await digests(reference);
    demoWhole = whole;
    const out = join(work, 'killed');
    const args = [...run, '--workers', '2', '--resume', '--out', out];
    const first = await generateAndKill(args, out, 1);
    expect(first).toBeGreaterThan(0);
    // A killed run leaves no key or manifest, and every output file it left is whole (the run's own bytes).
    expect(existsSync(join(out, 'answer_key.db'))).toBe(false);
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
    const left = await digests(out);
    const outputs = [...left].filter(([path]) => path.startsWith('dicom/') && path.endsWith('.dcm'));
    expect(outputs.length).toBeGreaterThan(0);
    for (const [path, sha] of outputs) expect(sha, path).toBe(whole.get(path));
    // Killed again, later, while resuming.
    const second = await generateAndKill(args, out, first + 1);
    expect(second).toBeGreaterThan(first);
    const resumed = await cli(['generate', ...args]);
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toMatch(/resumed: \d+ done before, \d+ generated now/);
    expect(await digests(out)).toEqual(whole);
    // Resuming a finished run changes nothing.
    const again = await cli(['generate', ...args]);
    expect(again.code, again.err).toBe(0);
    expect(await digests(out)).toEqual(whole);
  }, 300_000);

  it('starts afresh when killed while the key was being finished (a scratch key without progress records)', async () => {
    const out = join(work, 'killed-finishing');
    const args = [...DEMO_RUN, '--workers', '1', '--resume', '--out', out];
    expect(await generateAndKill(args, out, 1)).toBeGreaterThan(0);
    // What finishing does first: the progress records go (the scratch key is then not resumable).
    const db = new Database(join(out, 'answer_key.db.partial'));
    db.exec('DROP TABLE run_progress');
    db.close();
    const resumed = await cli(['generate', ...args]);
    expect(resumed.code, resumed.err).toBe(0);
    expect(await digests(out)).toEqual(demoWhole);
  }, 300_000);

  it('refuses to resume a run with other options', async () => {
    const out = join(work, 'other-options');
    await generateAndKill([...RUN, '--workers', '1', '--resume', '--out', out], out, 1);
    const other = await cli(['generate', ...RUN.map((a) => (a === '5' ? '6' : a)), '--resume', '--out', out]);
    expect(other.code).not.toBe(0);
    expect(other.err).toMatch(/unfinished run of another command/);
  }, 120_000);
});
