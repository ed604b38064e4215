/**
 * The answer-key writer thread gives the same file as the in-thread writer. The worker loads compiled
 * JavaScript, so the threaded path runs against dist/ (built by `npm ci`'s prepare step, or `npm run
 * build`) and is skipped, saying so, when dist/ is absent; everything else runs from the sources.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freezeCheck, type Check } from '../../src/answerkey/check.js';
import { openAnswerKeyWriter } from '../../src/answerkey/key-writer-thread.js';
import {
  ANSWER_KEY_FILE,
  AnswerKeyWriter,
  type FileRecord,
  type InstanceKey,
  type KeyEntry,
  readAnswerKey,
  type BurnedTextRow,
  type RunRecord,
} from '../../src/answerkey/sqlite.js';
import { makeCheck, SAMPLE_BURNED_TEXT, SAMPLE_CHECKS } from './fixtures.js';

const DIST = fileURLToPath(new URL('../../dist/answerkey/key-writer-thread.js', import.meta.url));
const built = existsSync(DIST) && existsSync(DIST.replace('key-writer-thread.js', 'key-writer-worker.js'));
if (!built)
  process.stderr.write('answer-key writer thread test: dist/ is not built (npm run build); skipping\n');

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'pseudophi-keythread-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const instance = (n: number): InstanceKey => ({
  sopInstanceUid: `2.25.${1000 + n}`,
  sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
  modality: 'CT',
  patientId: '6505936988',
  studyInstanceUid: '2.25.1',
  seriesInstanceUid: '2.25.2',
});

const file = (n: number): FileRecord => ({
  sopInstanceUid: `2.25.${1000 + n}`,
  patientId: '6505936988',
  studyInstanceUid: '2.25.1',
  seriesInstanceUid: '2.25.2',
  modality: 'CT',
  sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
  outputPath: `dicom/${n}.dcm`,
  sourceSha256: 'b'.repeat(64),
  sha256: 'a'.repeat(64),
  pixelDataMd5: null,
});

/** Instance `n` as a writer entry: its progress record, rows and file. */
const entry = (n: number, checks: readonly Check[], burned: readonly BurnedTextRow[] = []): KeyEntry => ({
  progress: { scanIndex: n, detail: '{}' },
  instance: { key: instance(n), checks, burned, file: file(n) },
});

const RUN: RunRecord = {
  seed: '1',
  toolVersion: '0.1.0',
  dependencyVersions: { 'better-sqlite3': '12.4.1' },
  options: { profile: 'fixture' },
  counts: { instances: 40 },
};

/** Shared frozen checks (as a CheckDeriver hands out) mixed with fresh ones, as in a real series. */
const SHARED = SAMPLE_CHECKS.map((c) => freezeCheck({ ...c, categories: structuredClone(c.categories) }));
const checksOf = (n: number): Check[] => [
  ...SHARED,
  makeCheck({
    path: '<(0020,0013)>',
    tag: '(0020,0013)',
    tagName: 'Instance Number',
    action: 'text_retained',
    value: String(n + 1),
    actionText: String(n + 1),
    categories: { ...SAMPLE_CHECKS[0]!.categories, tcia: { ptkb: null, p15: null, rev: 'TCIA-REV' } },
  }),
];

/** The same 40 instances through any writer; returns the key's SHA-256. */
async function writeKey(writer: {
  addEntry(entry: KeyEntry): void;
  close(run: RunRecord): string | Promise<string>;
}): Promise<string> {
  for (let n = 0; n < 40; n++) {
    writer.addEntry(entry(n, checksOf(n), n % 7 === 3 ? SAMPLE_BURNED_TEXT : []));
  }
  const path = await writer.close(RUN);
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('in-thread writer', () => {
  it('openAnswerKeyWriter from the sources writes in this thread', async () => {
    const dir = tempDir();
    const writer = openAnswerKeyWriter(dir);
    writer.addEntry(entry(0, SAMPLE_CHECKS));
    expect(existsSync(join(dir, `${ANSWER_KEY_FILE}.partial`))).toBe(true);
    await writer.close(RUN);
    expect(readAnswerKey(join(dir, ANSWER_KEY_FILE)).instances[0]!.checks).toEqual(SAMPLE_CHECKS);
  });
});

describe.skipIf(!built)('answer-key writer thread (dist/)', () => {
  const load = async (): Promise<typeof import('../../src/answerkey/key-writer-thread.js')> =>
    (await import(DIST)) as typeof import('../../src/answerkey/key-writer-thread.js');

  it('writes the same bytes as the in-thread writer', async () => {
    const { openAnswerKeyWriter: open } = await load();
    const inThread = await writeKey(new AnswerKeyWriter(tempDir()));
    expect(await writeKey(open(tempDir()))).toBe(inThread);
    expect(await writeKey(open(tempDir(), { maxDefinedChecks: 5, batchSize: 3 }))).toBe(inThread);
    expect(await writeKey(open(tempDir(), { thread: false }))).toBe(inThread);
  });

  it('refuses a duplicate instance and a malformed check at once', async () => {
    const { openAnswerKeyWriter: open } = await load();
    const writer = open(tempDir());
    writer.addEntry(entry(0, SAMPLE_CHECKS));
    expect(() => writer.addEntry(entry(0, SAMPLE_CHECKS))).toThrow(/added twice/);
    expect(() => writer.addEntry(entry(1, [{ ...SAMPLE_CHECKS[0]!, actionText: '' }]))).toThrow(
      /empty action_text/,
    );
    await writer.abort();
  });

  it('leaves no answer_key.db until close, and nothing after abort', async () => {
    const { openAnswerKeyWriter: open } = await load();
    const dir = tempDir();
    const writer = open(dir);
    for (let n = 0; n < 20; n++) writer.addEntry(entry(n, checksOf(n)));
    expect(existsSync(join(dir, ANSWER_KEY_FILE))).toBe(false);
    await writer.abort();
    expect(readdirSync(dir)).toEqual([]);
  });
});
