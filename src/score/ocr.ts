/**
 * OCR of burned-in text, the one implementation the scorer (pixels_hidden) and the legibility tests
 * share: tesseract.js with the English data from npm (nothing fetched, nothing cached on disk), reading
 * a box cropped exactly as the MIDI-B script crops it (midiBCrop: pixel_array[y0:y1, x0:x1], 16-bit
 * scaled by the region's maximum), then scaled so that a line stands OCR_BOX_HEIGHT pixels tall, padded,
 * and made dark-on-light grey. tesseract.js stays behind this file.
 *
 * The MIDI-B script runs EasyOCR (Python, PyTorch); tesseract is what an npm package can carry. Both read
 * the same crop; the legibility tests hold generated text to 98% token recall under this reader.
 *
 * Burned text is not all English (issue 7): each line is read with the language data its script needs
 * (ocrLanguagesFor), from the npm packages of the same family as the English data. A worker per language
 * starts only when a line needs it, so an English-only dataset starts the English worker alone and reads
 * exactly as before. No tesseract.js data package exists for Russian: Cyrillic lines are read in English
 * (which reads most capitals as Latin look-alikes, so their tokens are rarely found).
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

/** The tesseract languages the scorer has data for (npm packages `@tesseract.js-data/<code>`). */
export const OCR_LANGUAGES = ['eng', 'jpn', 'kor', 'chi_sim', 'ell', 'deu', 'fra', 'spa'] as const;

/** One of OCR_LANGUAGES. */
export type OcrLanguage = (typeof OCR_LANGUAGES)[number];

const HANGUL = /\p{Script=Hangul}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HAN = /\p{Script=Han}/u;
const GREEK = /\p{Script=Greek}/u;
const GERMAN = /[ÄÖÜäöüß]/u;
const SPANISH = /[ÑñÁáÍíÓóÚú¡¿]/u;
const OTHER_LATIN = /[\u00C0-\u024F]/u;

/**
 * The languages a line of burned text is read with, chosen by its script: Hangul in Korean; kana (with
 * or without kanji) in Japanese; Han without kana in Chinese and in Japanese (a Japanese name burned in
 * kanji has no kana to tell it apart, and each model lacks characters of the other); Greek in Greek;
 * Latin with accents in German (umlauts, ß), Spanish (ñ, acute vowels) or French (the rest); everything
 * else, Cyrillic included (no Russian data package), in English.
 */
export function ocrLanguagesFor(text: string): OcrLanguage[] {
  const languages: OcrLanguage[] = [];
  if (HANGUL.test(text)) languages.push('kor');
  if (KANA.test(text)) languages.push('jpn');
  else if (HAN.test(text)) languages.push('chi_sim', 'jpn');
  if (GREEK.test(text)) languages.push('ell');
  // A line of another script with English words too (`TECH: ΕΜ`) is also read in English; the `[F]`
  // markers and `DOB:` labels the scorer leaves out of the comparison do not count.
  if (languages.length > 0 && /[A-Za-z]{2}/.test(text.replace(/\[[A-Za-z]\]|DOB:/g, ' ')))
    languages.push('eng');
  if (languages.length > 0) return languages;
  if (GERMAN.test(text)) return ['deu'];
  if (SPANISH.test(text)) return ['spa'];
  if (OTHER_LATIN.test(text)) return ['fra'];
  return ['eng'];
}

/** Scripts written without spaces between words: tesseract puts a space between every two characters. */
const CJK = '\\p{Script=Han}\\p{Script=Hangul}\\p{Script=Hiragana}\\p{Script=Katakana}';
const CJK_GAP = new RegExp(`(?<=[${CJK}]) +(?=[${CJK}])`, 'gu');

/**
 * A tesseract worker on the npm data of `language` (default English); cacheMethod 'none' writes no copy
 * into the working folder.
 */
export async function createOcrWorker(language: OcrLanguage = 'eng'): Promise<OcrWorker> {
  const data = require(`@tesseract.js-data/${language}`) as { langPath: string };
  const worker = await createWorker(language, 1, {
    langPath: join(data.langPath, '..', '4.0.0_best_int'),
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
  /**
   * Languages to read with (OcrQueue; default English): each reads the box and the readings are joined
   * with a space. ocrLanguagesFor chooses them from the text the key says is there.
   */
  languages?: readonly OcrLanguage[];
}

/**
 * OCRs the part of a decoded frame inside `box`, cropped as the MIDI-B script does. The text comes back
 * with runs of white space as one space, trimmed, upper case; a crop of one colour reads as nothing.
 * Spaces tesseract puts between two CJK characters are dropped (its CJK models space every character;
 * EasyOCR, like the text itself, writes a name as one word).
 */
export async function readBox(
  worker: OcrWorker,
  frame: Uint8Array,
  description: PixelDescription,
  box: PixelBox,
  options: ReadBoxOptions = {},
): Promise<BoxReading> {
  const prepared = prepareBox(frame, description, box, options);
  return { text: prepared.blank ? '' : await recognize(worker, prepared.png, options), png: prepared.png };
}

/** The crop of a box as OCR sees it, and whether it is of one colour (then it holds no text). */
function prepareBox(
  frame: Uint8Array,
  description: PixelDescription,
  box: PixelBox,
  options: ReadBoxOptions,
): { png: Buffer; blank: boolean } {
  const lines = Math.max(1, options.lines ?? 1);
  const crop = midiBCrop(frame, description, box);
  const png = cropToPng(crop, {
    scale: (OCR_BOX_HEIGHT * lines) / Math.max(1, box.height),
    pad: 12,
    darkOnLight: true,
  });
  // A crop of one colour (a box filled by a de-identifier) holds no text: no need to ask tesseract.
  return { png, blank: crop.data.every((v) => v === crop.data[0]) };
}

/** What tesseract reads in a prepared crop, normalized as readBox says. */
async function recognize(worker: OcrWorker, png: Buffer, options: ReadBoxOptions): Promise<string> {
  const lines = Math.max(1, options.lines ?? 1);
  const mode = options.singleCharacter ? PSM.SINGLE_CHAR : lines > 1 ? PSM.SINGLE_BLOCK : PSM.SINGLE_LINE;
  await worker.setParameters({ tessedit_pageseg_mode: mode });
  return (await worker.recognize(png)).data.text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(CJK_GAP, '')
    .toUpperCase();
}

/**
 * OCR workers shared by concurrent callers: requests run one at a time in the order they came (a
 * worker's parameters are global, so a page-mode change must not fall between another request's
 * setParameters and recognize). A language's worker starts on the first request that needs it.
 */
export class OcrQueue {
  private workers = new Map<OcrLanguage, Promise<OcrWorker>>();
  private tail: Promise<unknown> = Promise.resolve();
  /** Boxes read so far. */
  reads = 0;

  /** Reads one box (see readBox) in each of `options.languages`, after every request queued before it. */
  read(
    frame: Uint8Array,
    description: PixelDescription,
    box: PixelBox,
    options: ReadBoxOptions = {},
  ): Promise<BoxReading> {
    const run = async (): Promise<BoxReading> => {
      this.reads++;
      const prepared = prepareBox(frame, description, box, options);
      // A box of one colour reads as nothing in every language: no worker is started for it.
      if (prepared.blank) return { text: '', png: prepared.png };
      const texts: string[] = [];
      for (const language of options.languages?.length ? new Set(options.languages) : ['eng' as const]) {
        let worker = this.workers.get(language);
        if (!worker) this.workers.set(language, (worker = createOcrWorker(language)));
        const text = await recognize(await worker, prepared.png, options);
        if (text && !texts.includes(text)) texts.push(text);
      }
      return { text: texts.join(' '), png: prepared.png };
    };
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Stops the workers that were started. */
  async terminate(): Promise<void> {
    const workers = [...this.workers.values()];
    this.workers.clear();
    for (const worker of workers) await (await worker).terminate();
  }
}
