/**
 * OCR of burned-in text, the one implementation the scorer (pixels_hidden) and the legibility tests
 * share: tesseract.js with the English data from npm (nothing fetched, nothing cached on disk), reading
 * a box cropped exactly as the MIDI-B script crops it (midiBCrop: pixel_array[y0:y1, x0:x1], 16-bit
 * scaled by the region's maximum), then scaled so that a line stands OCR_BOX_HEIGHT pixels tall, padded,
 * and made dark-on-light grey. tesseract.js stays behind this file.
 *
 * The MIDI-B script runs EasyOCR (Python, PyTorch); tesseract is what an npm package can carry. Both read
 * the same crop; the legibility tests hold generated text to 98% token recall under this reader.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createWorker, PSM, type Worker } from 'tesseract.js';
import { cropToPng, midiBCrop, type PixelBox } from '../burn/index.js';
import type { PixelDescription } from '../dicom/index.js';

const require = createRequire(import.meta.url);

/** The tesseract worker type, for callers that hold one. */
export type OcrWorker = Worker;

/**
 * Height a line's box is scaled to before OCR: with the 2-pixel margins, its text then stands about
 * 40 pixels tall, where tesseract reads best (taller crops read worse: 64 gave 1-2 points less recall).
 */
export const OCR_BOX_HEIGHT = 48;

/** A tesseract worker on the npm English data; cacheMethod 'none' writes no copy into the working folder. */
export async function createOcrWorker(): Promise<OcrWorker> {
  const eng = require('@tesseract.js-data/eng') as { langPath: string };
  const worker = await createWorker('eng', 1, {
    langPath: join(eng.langPath, '..', '4.0.0_best_int'),
    gzip: true,
    cacheMethod: 'none',
  });
  // Tesseract prints page statistics to stdout when a page is empty; that would corrupt `--json` output.
  await worker.setParameters({ debug_file: '/dev/null' });
  return worker;
}

/** What OCR read in one box, and the image it read (for debugging). */
export interface BoxReading {
  text: string;
  png: Buffer;
}

/** How a box is read. */
export interface ReadBoxOptions {
  /** Lines of text the box holds (default 1): the crop is scaled so that each is OCR_BOX_HEIGHT tall. */
  lines?: number;
  /** The box holds one character (tesseract then reads it as one). */
  singleCharacter?: boolean;
}

/**
 * OCRs the part of a decoded frame inside `box`, cropped as the MIDI-B script does. The text comes back
 * with runs of white space as one space, trimmed, upper case; a crop of one colour reads as nothing.
 */
export async function readBox(
  worker: OcrWorker,
  frame: Uint8Array,
  description: PixelDescription,
  box: PixelBox,
  options: ReadBoxOptions = {},
): Promise<BoxReading> {
  const lines = Math.max(1, options.lines ?? 1);
  const crop = midiBCrop(frame, description, box);
  const png = cropToPng(crop, {
    scale: (OCR_BOX_HEIGHT * lines) / Math.max(1, box.height),
    pad: 12,
    darkOnLight: true,
  });
  // A crop of one colour (a box filled by a de-identifier) holds no text: no need to ask tesseract.
  if (crop.data.every((v) => v === crop.data[0])) return { text: '', png };
  const mode = options.singleCharacter ? PSM.SINGLE_CHAR : lines > 1 ? PSM.SINGLE_BLOCK : PSM.SINGLE_LINE;
  await worker.setParameters({ tessedit_pageseg_mode: mode });
  const text = (await worker.recognize(png)).data.text.replace(/\s+/g, ' ').trim().toUpperCase();
  return { text, png };
}

/**
 * One OCR worker shared by concurrent callers: requests run one at a time in the order they came (a
 * worker's parameters are global, so a page-mode change must not fall between another request's
 * setParameters and recognize). The worker starts on first use.
 */
export class OcrQueue {
  private worker: Promise<OcrWorker> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  /** Boxes read so far. */
  reads = 0;

  /** Reads one box (see readBox), after every request queued before it. */
  read(
    frame: Uint8Array,
    description: PixelDescription,
    box: PixelBox,
    options: ReadBoxOptions = {},
  ): Promise<BoxReading> {
    const run = async (): Promise<BoxReading> => {
      this.worker ??= createOcrWorker();
      this.reads++;
      return readBox(await this.worker, frame, description, box, options);
    };
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Stops the worker (if it was started). */
  async terminate(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await (await worker).terminate();
  }
}
