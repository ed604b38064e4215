/**
 * OCR for the legibility tests: the scorer's reader (src/score/ocr.ts: tesseract.js with the English data
 * from npm, nothing fetched) reading a burned line from its recorded box, cropped and scaled as the MIDI-B
 * script does (midiBCrop), and the token recall the tests hold generated text to.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PixelBox } from '../../src/burn/index.js';
import type { PixelDescription } from '../../src/dicom/index.js';
import { createOcrWorker, readBox, type OcrWorker } from '../../src/score/ocr.js';

export { createOcrWorker };

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

/** OCRs the line `text` drawn in `box` of a decoded frame. BURN_OCR_DUMP=DIR keeps the crops it missed. */
export async function readLine(
  worker: OcrWorker,
  frame: Uint8Array,
  description: PixelDescription,
  box: PixelBox,
  text: string,
): Promise<LineReading> {
  const { text: read, png } = await readBox(worker, frame, description, box, {
    singleCharacter: text.trim().length === 1,
  });
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
