/**
 * Legibility: OCR (tesseract.js, English data from npm, nothing fetched) reads each burned line back from
 * inside its recorded box, cropped and scaled as the MIDI-B script does (midiBCrop), at the default
 * window. Token recall over a seeded set of lines across layouts and pixel formats must reach 98%.
 */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker, PSM, type Worker } from 'tesseract.js';
import {
  canvasMeasure,
  cropToPng,
  loadBurnLayouts,
  midiBCrop,
  planBurn,
  renderBurn,
  type BurnPlan,
} from '../../src/burn/index.js';
import { rngFor } from '../../src/rng/index.js';
import { FORMATS, MULTI_FRAME, makeFrames, sampleValues, withGeometry, type Format } from './helpers.js';

const require = createRequire(import.meta.url);

let worker: Worker;
let dumped = 0;
// BURN_OCR_SEED=N draws another seeded set of cases (the suite runs set 0).
const SEED = Number(process.env.BURN_OCR_SEED ?? 0);

beforeAll(async () => {
  // Offline: the traineddata comes from @tesseract.js-data/eng, the core from tesseract.js-core (both in
  // node_modules); cacheMethod 'none' keeps tesseract from writing a copy into the working directory.
  const eng = require('@tesseract.js-data/eng') as { langPath: string };
  worker = await createWorker('eng', 1, {
    langPath: join(eng.langPath, '..', '4.0.0_best_int'),
    gzip: true,
    cacheMethod: 'none',
  });
}, 60_000);

afterAll(async () => {
  await worker?.terminate();
});

/** The expected text as the MIDI-B script compares it: `\n`, `DOB:` and single-letter `[X]` markers removed. */
export function expectedTokens(text: string): string[] {
  return text
    .replace(/\n/g, ' ')
    .replace(/DOB:/g, ' ')
    .replace(/\[[A-Z]\]/g, ' ')
    .split(/\s+/)
    .map((t) => t.replace(/^[^A-Z0-9]+|[^A-Z0-9%]+$/gi, ''))
    .filter((t) => t !== '');
}

interface LineResult {
  layout: string;
  format: string;
  text: string;
  read: string;
  tokens: number;
  found: number;
  phi: boolean;
}

/** The cases: every layout on images of its usual size, across the format matrix, several seeds. */
function cases(): Array<{ layout: string; format: Format; seed: number }> {
  const sizes: Record<string, [number, number]> = {
    ct: [512, 512],
    mr: [384, 384],
    pt: [256, 256],
    ultrasound: [480, 640],
    'midi-b': [700, 800],
    radiograph: [1000, 840],
    mammogram: [1200, 960],
  };
  const out: Array<{ layout: string; format: Format; seed: number }> = [];
  let i = 0;
  for (const [layout, [rows, columns]] of Object.entries(sizes)) {
    for (let k = 0; k < 4; k++) {
      const format = FORMATS[(i * 5 + k * 3) % FORMATS.length]!;
      out.push({ layout, format: withGeometry(format, rows, columns), seed: SEED + i * 10 + k });
    }
    i++;
  }
  out.push({ layout: 'ultrasound', format: withGeometry(MULTI_FRAME, 480, 640, 3), seed: 99 });
  return out;
}

async function readLines(
  plan: BurnPlan,
  frames: Uint8Array[],
  format: Format,
  layout: string,
): Promise<LineResult[]> {
  const results: LineResult[] = [];
  for (const block of plan.blocks) {
    const frame = frames[block.frames[0]!]!;
    for (const line of block.lines) {
      const crop = midiBCrop(frame, format.description, line.box);
      // OCR works best near 30-40 px lines: scale the crop to that height, with a quiet border.
      const scale = 64 / line.box.height;
      const png = cropToPng(crop, { scale, pad: 12, darkOnLight: true });
      const single = line.text.trim().length === 1;
      await worker.setParameters({ tessedit_pageseg_mode: single ? PSM.SINGLE_CHAR : PSM.SINGLE_LINE });
      const read = (await worker.recognize(png)).data.text.replace(/\s+/g, ' ').trim().toUpperCase();
      const tokens = expectedTokens(line.text);
      const found = tokens.filter((t) => read.includes(t.toUpperCase())).length;
      // BURN_OCR_DUMP=DIR writes the crops OCR missed, to look at.
      const dump = process.env.BURN_OCR_DUMP;
      if (dump && found < tokens.length) writeFileSync(join(dump, `miss-${dumped++}.png`), png);
      results.push({
        layout,
        format: format.name,
        text: `${line.text} [${block.font} ${block.style.contrast}${block.style.antialias ? ' aa' : ''}]`,
        read,
        tokens: tokens.length,
        found,
        phi: line.phi,
      });
    }
  }
  return results;
}

describe('OCR legibility of burned lines', () => {
  it('reads back at least 98% of tokens from their recorded boxes', async () => {
    const layouts = loadBurnLayouts();
    const all: LineResult[] = [];
    for (const [n, c] of cases().entries()) {
      const plan = planBurn(
        { layouts, layout: c.layout, image: c.format.description, values: sampleValues(n + SEED) },
        rngFor(c.seed, 'ocr', c.layout),
        canvasMeasure,
      );
      const frames = makeFrames(c.format, `ocr-${n}`);
      const rendered = renderBurn(frames, c.format.description, c.format.display, plan);
      all.push(...(await readLines(plan, rendered.frames, c.format, c.layout)));
    }
    const recall = (rows: LineResult[]): string => {
      const tokens = rows.reduce((s, r) => s + r.tokens, 0);
      const found = rows.reduce((s, r) => s + r.found, 0);
      return `${((100 * found) / Math.max(1, tokens)).toFixed(1)}% of ${tokens} tokens in ${rows.length} lines`;
    };
    const group = (key: (r: LineResult) => string): string =>
      [...new Set(all.map(key))]
        .sort()
        .map((k) => `  ${k}: ${recall(all.filter((r) => key(r) === k))}`)
        .join('\n');
    const misses = all.filter((r) => r.found < r.tokens).map((r) => `  ${r.text} -> ${r.read} (${r.format})`);
    console.log(
      `OCR token recall: ${recall(all)}\nPHI lines: ${recall(all.filter((r) => r.phi))}\n` +
        `by layout:\n${group((r) => r.layout)}\nby format:\n${group((r) => r.format.replace(/ \d+x\d+.*$/, ''))}\n` +
        `misses:\n${misses.join('\n')}`,
    );
    const tokens = all.reduce((s, r) => s + r.tokens, 0);
    const found = all.reduce((s, r) => s + r.found, 0);
    expect(all.length).toBeGreaterThan(100);
    expect(found / tokens).toBeGreaterThanOrEqual(0.98);
  }, 180_000);
});
