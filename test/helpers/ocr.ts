/**
 * OCR for the legibility tests: tesseract.js with the English data from npm (nothing fetched), reading a
 * burned line from its recorded box, cropped and scaled as the MIDI-B script does (midiBCrop).
 */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorker, PSM, type Worker } from 'tesseract.js';
import { cropToPng, midiBCrop, type PixelBox } from '../../src/burn/index.js';
import type { PixelDescription } from '../../src/dicom/index.js';

const require = createRequire(import.meta.url);

/** A tesseract worker on the npm English data; cacheMethod 'none' writes no copy into the working folder. */
export async function createOcrWorker(): Promise<Worker> {
  const eng = require('@tesseract.js-data/eng') as { langPath: string };
  return createWorker('eng', 1, {
    langPath: join(eng.langPath, '..', '4.0.0_best_int'),
    gzip: true,
    cacheMethod: 'none',
  });
}

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

/** What OCR read of one line, and how many of its expected tokens it found. */
export interface LineReading {
  read: string;
  tokens: number;
  found: number;
}

let dumped = 0;

/**
 * Height a line's box is scaled to before OCR: with the 2-pixel margins, its text then stands about
 * 40 pixels tall, where tesseract reads best (taller crops read worse: 64 gave 1-2 points less recall).
 */
const OCR_BOX_HEIGHT = 48;

/** OCRs the line `text` drawn in `box` of a decoded frame. BURN_OCR_DUMP=DIR keeps the crops it missed. */
export async function readLine(
  worker: Worker,
  frame: Uint8Array,
  description: PixelDescription,
  box: PixelBox,
  text: string,
): Promise<LineReading> {
  const crop = midiBCrop(frame, description, box);
  const png = cropToPng(crop, { scale: OCR_BOX_HEIGHT / box.height, pad: 12, darkOnLight: true });
  const single = text.trim().length === 1;
  await worker.setParameters({ tessedit_pageseg_mode: single ? PSM.SINGLE_CHAR : PSM.SINGLE_LINE });
  const read = (await worker.recognize(png)).data.text.replace(/\s+/g, ' ').trim().toUpperCase();
  const tokens = expectedTokens(text);
  const found = tokens.filter((t) => read.includes(t.toUpperCase())).length;
  const dump = process.env.BURN_OCR_DUMP;
  if (dump && found < tokens.length) writeFileSync(join(dump, `miss-${dumped++}.png`), png);
  return { read, tokens: tokens.length, found };
}

/** `97.5% of 400 tokens in 120 lines`. */
export function recallText(rows: readonly LineReading[]): string {
  const tokens = rows.reduce((s, r) => s + r.tokens, 0);
  const found = rows.reduce((s, r) => s + r.found, 0);
  return `${((100 * found) / Math.max(1, tokens)).toFixed(1)}% of ${tokens} tokens in ${rows.length} lines`;
}

/** Found tokens over expected tokens. */
export function recall(rows: readonly LineReading[]): number {
  const tokens = rows.reduce((s, r) => s + r.tokens, 0);
  return rows.reduce((s, r) => s + r.found, 0) / Math.max(1, tokens);
}
