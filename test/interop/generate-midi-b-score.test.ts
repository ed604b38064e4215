/**
 * Issue 3, "Done when" 3, scored independently of pseudophi's TypeScript: a generated dataset, taken as a
 * de-identifier's output that changed nothing (identity UID and Patient ID mappings), is scored by
 * test/interop/python/midi_b_score.py, a pydicom reimplementation of the MIDI-B script's rules
 * (shared/reference/midi-b-answer-key.md sections 2-4; its NLTK approximation is documented there). Every
 * keep check (tag_retained, text_notnull, text_retained, pixels_retained, uid_consistent,
 * patid_consistent) must pass and every removal check (text_removed, date_shifted, uid_changed) must fail:
 * the key asks for exactly the changes a de-identifier has to make.
 *
 * Datasets: `generate --profile fixture` (the built-in corpus), the same with identities from every locale
 * (their character sets, and again all in UTF-8), and `generate --input <pydicom test_files>`.
 * Also checked: every answer_data row and check has the form the script needs, every output file reads
 * without force and is found by its SOP Instance UID, and the per-action counts equal generate's summary.
 * A control scores the key against an empty folder: every file missing, so every keep check fails and
 * every removal check passes.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_LOCALES } from '../../src/identity/index.js';
import { generate, type GenerateSummary } from '../../src/pipeline/generate.js';
import { generateFromPydicom, SEED } from './generate-datasets.js';
import { runPythonScript } from './support.js';

const KEEP = [
  'tag_retained',
  'text_notnull',
  'text_retained',
  'pixels_retained',
  'uid_consistent',
  'patid_consistent',
] as const;
const REMOVAL = ['text_removed', 'date_shifted', 'uid_changed'] as const;
/** Every identity locale, in equal shares. */
const EVERY_LOCALE = IDENTITY_LOCALES.map((l) => [l, 1] as const);

interface Outcome {
  passed: number;
  failed: number;
  blank: number;
}

interface ScoreAnswer {
  pydicom: string;
  files: number;
  unreadable: string[];
  instances: number;
  missing: number;
  format_problems: string[];
  format_problem_count: number;
  actions: Record<string, Outcome>;
  rules: Record<string, Record<string, number>>;
  examples: Record<string, Record<'passed' | 'failed' | 'blank', unknown[]>>;
  tokens_check: { texts: number; agree: number; differ: unknown[] };
}

interface Scored {
  name: string;
  summary: GenerateSummary;
  answer: ScoreAnswer;
}

const score = (dir: string, files = join(dir, 'dicom')): Promise<ScoreAnswer> =>
  runPythonScript<ScoreAnswer>('midi_b_score.py', {
    answer_key: join(dir, 'answer_key.db'),
    files,
    uid_map: 'identity',
    patid_map: 'identity',
  });

let work: string;
const scored: Scored[] = [];
let control: ScoreAnswer;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pseudophi-generate-score-'));
  const fixture = join(work, 'fixture');
  const fixtureSummary = await generate({ out: fixture, seed: SEED, profile: 'fixture' });
  const pydicom = join(work, 'pydicom');
  const pydicomSummary = await generateFromPydicom(pydicom);
  const locales = join(work, 'locales');
  const utf8 = join(work, 'locales-utf8');
  const everyLocale = { seed: SEED, profile: 'fixture', patients: 18, locales: EVERY_LOCALE };
  const localesSummary = await generate({ ...everyLocale, out: locales });
  const utf8Summary = await generate({ ...everyLocale, out: utf8, characterSet: 'utf8' });
  const empty = join(work, 'empty');
  mkdirSync(empty);
  const [a, b, c, d, e] = await Promise.all([
    score(fixture),
    score(pydicom),
    score(fixture, empty),
    score(locales),
    score(utf8),
  ]);
  scored.push({ name: 'fixture profile', summary: fixtureSummary, answer: a });
  scored.push({ name: 'pydicom test_files', summary: pydicomSummary, answer: b });
  scored.push({ name: 'every locale', summary: localesSummary, answer: d });
  scored.push({ name: 'every locale in UTF-8', summary: utf8Summary, answer: e });
  control = c;
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const table = (name: string, answer: ScoreAnswer): string =>
  `${name}: ${answer.instances} instances scored by midi_b_score.py (pydicom ${answer.pydicom})\n` +
  Object.entries(answer.actions)
    .filter(([, o]) => o.passed + o.failed + o.blank > 0)
    .map(
      ([a, o]) =>
        `  ${a.padEnd(17)} ${String(o.passed + o.failed + o.blank).padStart(6)} checks: ` +
        `${o.passed} passed, ${o.failed} failed, ${o.blank} blank`,
    )
    .join('\n') +
  `\n  text rules used: ${JSON.stringify(answer.rules)}` +
  `\n  NLTK approximation vs the key's tokens column: ${answer.tokens_check.agree} of ` +
  `${answer.tokens_check.texts} distinct texts tokenized alike ${JSON.stringify(answer.tokens_check.differ)}\n`;

describe.each(['fixture profile', 'pydicom test_files', 'every locale', 'every locale in UTF-8'])(
  'the %s dataset scored as its own output',
  (name) => {
    const get = (): Scored => scored.find((s) => s.name === name)!;

    it('has a key the script can read and a file for every row', () => {
      const { answer, summary } = get();
      expect(answer.format_problems, `${answer.format_problem_count} problems`).toEqual([]);
      expect(answer.unreadable).toEqual([]);
      expect(answer.files).toBe(summary.instances);
      expect(answer.instances).toBe(summary.instances);
      expect(answer.missing).toBe(0);
      process.stdout.write(table(name, answer));
    });

    it('counts the same checks per action as generate', () => {
      const { answer, summary } = get();
      for (const [action, n] of Object.entries(summary.checksByAction)) {
        const o = answer.actions[action]!;
        expect(o.passed + o.failed + o.blank, action).toBe(n);
      }
    });

    it.each(KEEP)('passes every %s check', (action) => {
      const o = get().answer.actions[action]!;
      expect(o.passed, `no ${action} check`).toBeGreaterThan(0);
      expect(
        { failed: o.failed, blank: o.blank },
        `${action} failures, e.g. ${JSON.stringify(get().answer.examples[action]!.failed)}`,
      ).toEqual({ failed: 0, blank: 0 });
    });

    it.each(REMOVAL)('fails every %s check', (action) => {
      const o = get().answer.actions[action]!;
      expect(o.failed, `no ${action} check`).toBeGreaterThan(0);
      expect(
        { passed: o.passed, blank: o.blank },
        `${action} passes, e.g. ${JSON.stringify(get().answer.examples[action]!.passed)}`,
      ).toEqual({ passed: 0, blank: 0 });
    });
  },
);

describe('control: the fixture key against an empty folder', () => {
  it('fails every keep check and passes every removal check (every file missing)', () => {
    expect(control.files).toBe(0);
    expect(control.missing).toBe(control.instances);
    for (const action of KEEP) expect(control.actions[action]!.passed, action).toBe(0);
    for (const action of REMOVAL) expect(control.actions[action]!.failed, action).toBe(0);
    process.stdout.write(table('control (no files)', control));
  });
});
