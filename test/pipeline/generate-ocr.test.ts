/**
 * Issue 4, "Done when" 1, end to end: OCR reads back the text generate burned into its output files, line
 * by line from the boxes burned_text records, cropped and scaled as the MIDI-B script does, at the
 * default window, with at least 98% token recall. The inputs are a corpus of one small study per
 * modality at the matrix sizes of the demo profile, every instance chosen for burned text; the files are
 * decoded as written (uncompressed or re-encoded losslessly).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'tesseract.js';
import { readAnswerKey } from '../../src/answerkey/index.js';
import { decodePixels, initializeCodecs, parseDicom } from '../../src/dicom/index.js';
import { generate } from '../../src/pipeline/generate.js';
import { createOcrWorker, readLine, recall, recallText, type LineReading } from '../helpers/ocr.js';

/** One patient per modality at demo sizes, a few instances each, all burned; mixed transfer syntaxes. */
const PROFILE = {
  name: 'ocr',
  description: 'demo-sized images, one study per modality, every instance burned',
  patients: 8,
  assignment: 'cycle',
  transferSyntaxes: [
    ['explicit-le', 1],
    ['rle', 1],
    ['jpeg-ls', 1],
  ],
  companions: false,
  modalities: {
    CT: { weight: 1, instancesPerSeries: [3, 3], matrices: [[512, 512]] },
    MR: { weight: 1, instancesPerSeries: [3, 3], matrices: [[256, 256]] },
    PT: { weight: 1, instancesPerSeries: [3, 3], matrices: [[144, 144]] },
    CR: { weight: 1, matrices: [[2140, 1760]] },
    DX: { weight: 1, matrices: [[2048, 2048]] },
    MG: { weight: 1, seriesPerStudy: [2, 2], matrices: [[2294, 1914]] },
    US: {
      weight: 1,
      instancesPerSeries: [4, 4],
      matrices: [[480, 640]],
      variants: [
        ['mono', 1],
        ['rgb', 1],
        ['rgb-cine', 1],
      ],
      cineFrames: [4, 4],
    },
    SC: { weight: 1, instancesPerSeries: [2, 2], matrices: [[512, 512]] },
  },
  burn: { CT: 1, MR: 1, PT: 1, CR: 1, DX: 1, MG: 1, US: 1, SC: 1 },
};

let work: string;
let worker: Worker;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pseudophi-generate-ocr-'));
  await initializeCodecs();
  worker = await createOcrWorker();
}, 60_000);

afterAll(async () => {
  await worker?.terminate();
  await rm(work, { recursive: true, force: true });
});

describe('burned text in generated files', () => {
  it('is read back by OCR from its recorded boxes (token recall >= 98%)', async () => {
    const profile = join(work, 'ocr.json');
    await writeFile(profile, JSON.stringify(PROFILE));
    const out = join(work, 'out');
    const summary = await generate({ out, seed: '11', profile });
    const key = readAnswerKey(join(out, 'answer_key.db'));
    const readings: Array<LineReading & { modality: string; text: string; phi: boolean }> = [];
    for (const file of key.files) {
      const lines = key.burnedText.get(file.sopInstanceUid);
      if (!lines) continue;
      const decoded = decodePixels(parseDicom(await readFile(join(out, file.outputPath))));
      // A line drawn on several frames is read once, on its first frame.
      const seen = new Set<string>();
      for (const line of lines) {
        if (seen.has(`${line.block}/${line.line}`)) continue;
        seen.add(`${line.block}/${line.line}`);
        const reading = await readLine(
          worker,
          decoded.frames[line.frame]!,
          decoded.description,
          line,
          line.text,
        );
        readings.push({
          ...reading,
          modality: file.modality,
          text: `${line.text} [${line.font}]`,
          phi: line.phi,
        });
      }
    }
    const modalities = [...new Set(readings.map((r) => r.modality))].sort();
    const misses = readings
      .filter((r) => r.found < r.tokens)
      .map((r) => `  ${r.modality} ${r.text} -> ${r.read}`);
    console.log(
      `OCR of ${summary.burned} generated files: ${recallText(readings)}; ` +
        `PHI lines ${recallText(readings.filter((r) => r.phi))}\n` +
        modalities.map((m) => `  ${m}: ${recallText(readings.filter((r) => r.modality === m))}`).join('\n') +
        `\nmisses:\n${misses.join('\n')}`,
    );
    expect(summary.burnSkipped).toBe(0);
    expect(modalities).toEqual(['CR', 'CT', 'DX', 'MG', 'MR', 'OT', 'PT', 'US']);
    expect(readings.length).toBeGreaterThan(80);
    expect(recall(readings)).toBeGreaterThanOrEqual(0.98);
  }, 240_000);
});
