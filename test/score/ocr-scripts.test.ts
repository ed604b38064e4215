/**
 * pixels_hidden in every script (issue 7): on a fixture dataset with identities from every locale, burned
 * names and institutions in Han, kana, Hangul, Greek, Cyrillic and accented Latin, the scorer reads each
 * line with the language data its script needs. Scored as its own output (a de-identifier that changed
 * nothing, identity mappings) every pixels_hidden check fails, the boxes of non-Latin text included (with
 * English OCR alone some of them passed); the oracle's output passes every one. The read rate of the
 * burned PHI lines per script is logged.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnswerKey, validateText } from '../../src/answerkey/index.js';
import { deidentify } from '../../src/deid/index.js';
import { decodePixels, initializeCodecs, parseDicom } from '../../src/dicom/index.js';
import { IDENTITY_LOCALES } from '../../src/identity/index.js';
import { generate } from '../../src/pipeline/generate.js';
import {
  OcrQueue,
  ocrLanguagesFor,
  pixelsHiddenExpected,
  pixelsHiddenText,
  scoreDataset,
  validateBurnedRemoved,
  type ScoreReport,
} from '../../src/score/index.js';
import { actionSummary, copyOutput, writeIdentityMappings, type Fixture } from './fixture.js';

/** The script of a text that English OCR cannot read, or undefined for plain (ASCII) Latin. */
function scriptOf(text: string): string | undefined {
  if (/\p{Script=Hangul}/u.test(text)) return 'Hangul';
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return 'kana';
  if (/\p{Script=Han}/u.test(text)) return 'Han';
  if (/\p{Script=Greek}/u.test(text)) return 'Greek';
  if (/\p{Script=Cyrillic}/u.test(text)) return 'Cyrillic';
  if (/\P{ASCII}/u.test(text)) return 'accented Latin';
  return undefined;
}

let f: Fixture;
let same: string;
let oracle: string;
const timings: string[] = [];

async function timed<T>(what: string, run: () => Promise<T>): Promise<T> {
  const start = Date.now();
  const result = await run();
  timings.push(`${what} ${((Date.now() - start) / 1000).toFixed(1)} s`);
  return result;
}

beforeAll(async () => {
  const work = await mkdtemp(join(tmpdir(), 'pseudophi-ocr-scripts-'));
  const dataset = join(work, 'dataset');
  await timed('generate', () =>
    generate({
      out: dataset,
      seed: '10',
      profile: 'fixture',
      patients: 18,
      locales: IDENTITY_LOCALES.map((l) => [l, 1] as const),
      verify: false,
    }),
  );
  f = {
    work,
    dataset,
    key: readAnswerKey(join(dataset, 'answer_key.db')),
    remove: () => rm(work, { recursive: true, force: true }),
  };
  same = await copyOutput(f, 'unchanged');
  await writeIdentityMappings(f, same);
  oracle = join(work, 'oracle');
  await timed('deidentify --mode oracle', () => deidentify({ input: dataset, out: oracle, mode: 'oracle' }));
}, 120_000);

afterAll(async () => {
  console.log(`timings: ${timings.join(', ')}`);
  await f?.remove();
});

/** The pixels_hidden boxes of the key by the script of their text (undefined: plain Latin). */
function boxesByScript(): Map<string | undefined, number> {
  const boxes = new Map<string | undefined, number>();
  for (const instance of f.key.instances)
    for (const check of instance.checks) {
      if (check.action !== 'pixels_hidden') continue;
      const script = scriptOf(pixelsHiddenText(check) ?? '');
      boxes.set(script, (boxes.get(script) ?? 0) + 1);
    }
  return boxes;
}

function pixelsHidden(report: ScoreReport): { passed: number; failed: number; blank: number; total: number } {
  const t = report.midiB.instance.actions.pixels_hidden;
  if (!t) throw new Error('no pixels_hidden checks');
  return t;
}

describe('pixels_hidden for burned text in every script', () => {
  it('has pixels_hidden boxes of every script', () => {
    const boxes = boxesByScript();
    console.log(`pixels_hidden boxes by script: ${JSON.stringify(Object.fromEntries(boxes))}`);
    for (const script of ['Han', 'kana', 'Hangul', 'Greek', 'Cyrillic', 'accented Latin'])
      expect(boxes.get(script) ?? 0, script).toBeGreaterThan(0);
  });

  it('the dataset as its own output: every pixels_hidden check fails, non-Latin boxes included', async () => {
    const { report } = await timed('score unchanged', () =>
      scoreDataset({ dataset: f.dataset, deidentified: same }),
    );
    console.log(`unchanged: ${actionSummary(report)}; ${report.ocr.boxesRead} lines read by OCR`);
    const t = pixelsHidden(report);
    const nonLatin = [...boxesByScript()].reduce((n, [s, c]) => n + (s ? c : 0), 0);
    expect(nonLatin).toBeGreaterThan(0);
    expect(t).toMatchObject({ failed: t.total, passed: 0, blank: 0 });
    expect(t.total).toBeGreaterThanOrEqual(nonLatin);
  }, 300_000);

  it("the oracle's output: every pixels_hidden check passes", async () => {
    const { report } = await timed('score oracle', () =>
      scoreDataset({ dataset: f.dataset, deidentified: oracle }),
    );
    console.log(`oracle: ${actionSummary(report)}`);
    const t = pixelsHidden(report);
    expect(t.total).toBeGreaterThan(0);
    expect(t).toMatchObject({ passed: t.total, failed: 0, blank: 0 });
  }, 300_000);

  it('reads the burned PHI lines of each script in their boxes (read rate logged)', async () => {
    await initializeCodecs();
    const ocr = new OcrQueue();
    const rates = new Map<
      string,
      { lines: number; read: number; tokens: number; found: number; eng: number }
    >();
    try {
      for (const file of f.key.files) {
        const rows = (f.key.burnedText.get(file.sopInstanceUid) ?? []).filter((r) => r.phi);
        const scripted = rows.filter((r) => scriptOf(r.text));
        if (scripted.length === 0) continue;
        const pixels = decodePixels(parseDicom(await readFile(join(f.dataset, file.outputPath))));
        for (const row of scripted) {
          const frame = pixels.frames[row.frame];
          if (!frame) throw new Error(`${file.outputPath}: no frame ${row.frame}`);
          const { text } = await ocr.read(frame, pixels.description, row, {
            languages: ocrLanguagesFor(row.text),
          });
          const r = validateBurnedRemoved(text, pixelsHiddenExpected(row.text));
          const script = scriptOf(row.text) ?? '';
          const rate = rates.get(script) ?? { lines: 0, read: 0, tokens: 0, found: 0, eng: 0 };
          // The English-only reader of before, judged by the plain MIDI-B rule.
          const english = await ocr.read(frame, pixels.description, row, { languages: ['eng'] });
          if (validateText(english.text, pixelsHiddenExpected(row.text), 'remove').passed === false)
            rate.eng++;
          rate.lines++;
          if (r.passed === false) rate.read++;
          // Token recall: the share of the line's tokens (CJK characters one by one) found in the reading.
          const share = 1 - (r.partialScore ?? 1);
          rate.found += share;
          rate.tokens++;
          rates.set(script, rate);
          if (r.passed !== false)
            console.log(
              `${script} line not read: ${JSON.stringify(row.text)} read as ${JSON.stringify(text)}`,
            );
        }
      }
    } finally {
      await ocr.terminate();
    }
    for (const [script, r] of rates)
      console.log(
        `${script}: ${r.read} of ${r.lines} PHI lines read (some token found), token recall ` +
          `${((100 * r.found) / r.tokens).toFixed(0)}%; English OCR alone: ${r.eng} of ${r.lines}`,
      );
    // Every script is in the dataset, and its lines are read in their boxes.
    for (const script of ['Han', 'kana', 'Hangul', 'Greek', 'Cyrillic', 'accented Latin']) {
      const r = rates.get(script);
      expect(r?.lines ?? 0, script).toBeGreaterThan(0);
      expect(r!.read / r!.lines, script).toBeGreaterThanOrEqual(0.8);
    }
  }, 300_000);
});

describe('languages and comparison by script', () => {
  it('chooses the language data by the script of the text', () => {
    expect(ocrLanguagesFor('DOE JANE')).toEqual(['eng']);
    expect(ocrLanguagesFor('ID: 2163602795')).toEqual(['eng']);
    expect(ocrLanguagesFor('홍 예준 [M]')).toEqual(['kor']);
    expect(ocrLanguagesFor('やまだ たろう')).toEqual(['jpn']);
    expect(ocrLanguagesFor('藤井 美咲 [F]')).toEqual(['chi_sim', 'jpn']);
    expect(ocrLanguagesFor('TECH: ΕΜ')).toEqual(['ell', 'eng']);
    expect(ocrLanguagesFor('MÜLLER JÜRGEN')).toEqual(['deu']);
    expect(ocrLanguagesFor('MUÑOZ LUCÍA')).toEqual(['spa']);
    expect(ocrLanguagesFor('REY NOËLLE')).toEqual(['fra']);
    expect(ocrLanguagesFor('КРЮКОВ АВКСЕНТИЙ')).toEqual(['eng']);
  });

  it('compares CJK by characters, Cyrillic also by its look-alikes, and the rest as validate_text does', () => {
    expect(validateBurnedRemoved('邓秀兰', '邓 秀兰')).toMatchObject({ passed: false, partialScore: 0 });
    expect(validateBurnedRemoved('泌秀詞', '邓 秀兰')).toMatchObject({ passed: false });
    expect(validateBurnedRemoved('', '邓 秀兰')).toMatchObject({ passed: true });
    expect(validateBurnedRemoved('KPIOKOB ABKCEHTUI', 'КРЮКОВ АВКСЕНТИЙ')).toMatchObject({
      passed: false,
      partialScore: 0,
    });
    expect(validateBurnedRemoved('NPOXOPOBA', 'ПРОХОРОВА НОННА')).toMatchObject({
      passed: false,
      partialScore: 0.5,
    });
    expect(validateBurnedRemoved('XYZ', 'КРЮКОВ')).toMatchObject({ passed: true });
    for (const [reading, expected] of [
      ['DOE JANE', 'DOE JANE'],
      ['DOE', 'DOE JANE'],
      ['', 'DOE JANE'],
      ['01.31.2014', '01.31.2014'],
    ] as const)
      expect(validateBurnedRemoved(reading, expected)).toEqual(validateText(reading, expected, 'remove'));
  });
});
