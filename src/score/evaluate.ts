/**
 * The MIDI-B metric for one check against one output file, exactly as shared/reference/midi-b-answer-key.md
 * section 4 specifies and modules/curation_validator.py of the NCI script does it: presence rules, the
 * substring rules of date_shifted and uid_changed, the mapping rules of uid_consistent and
 * patid_consistent, validate_text for text checks, the MD5 of stored Pixel Data, and the remove test on
 * what OCR reads inside a pixels_hidden box. This file is the one place of the per-check rules; the
 * scorer around it (score.ts) only finds files, reads them once and feeds them here.
 */
import { normalizeScorerText, tokensOf, validateText, type Check } from '../answerkey/index.js';
import { indexDataset, storedPixelDataMd5, type DicomDataset } from '../dicom/index.js';

/** An output file as the script sees it: values by tag_ds path, and the Pixel Data MD5. */
export interface ScoredFile {
  values: ReadonlyMap<string, string>;
  pixelDataMd5: string | undefined;
}

/**
 * Indexes a data set for scoring. A path met twice keeps its last value: the script's indexer assigns
 * `tag_dict[tag_path] = value` as it walks, so the later element overwrites the earlier (two private
 * blocks of one creator in a group print the same path).
 */
export function toScoredFile(dataset: DicomDataset): ScoredFile {
  const values = new Map<string, string>();
  for (const row of indexDataset(dataset)) values.set(row.pathText, row.value);
  return { values, pixelDataMd5: storedPixelDataMd5(dataset) };
}

/** UID and patient-ID mappings (`id_old,id_new`), first occurrence wins. */
export interface Mappings {
  uid: ReadonlyMap<string, string>;
  patientId: ReadonlyMap<string, string>;
}

/** The outcome of one check: passed, or null where the script gives no result (a blank). */
export interface CheckResult {
  passed: boolean | null;
  /** validate_text's partial score for text checks, else 1 or 0; null for a blank. */
  score: number | null;
}

const result = (passed: boolean): CheckResult => ({ passed, score: passed ? 1 : 0 });
const BLANK: CheckResult = { passed: null, score: null };

/**
 * What OCR read inside one pixels_hidden box: the text per frame judged (one frame for single-frame
 * images), or null when the box could not be read (bad box JSON, undecodable pixels), which the script
 * turns into no result.
 */
export type FrameReadings = readonly string[] | null;

/**
 * Scores one check; `file` undefined means the output file is missing. `reading` is what OCR read in the
 * box of a pixels_hidden check (undefined: not judged, a blank).
 */
export function evaluateCheck(
  check: Check,
  file: ScoredFile | undefined,
  mappings: Mappings,
  reading?: FrameReadings,
): CheckResult {
  // The script's file row holds `<value>` for every element of the file (`<>` when empty) and NaN for
  // paths other files have: "present" is a path of this file.
  const fileValue = file?.values.get(check.path);
  const present = fileValue !== undefined;
  switch (check.action) {
    case 'text_removed': {
      if (!file || !present) return result(true);
      // `<REMOVED>` (Pixel Data, Overlay Data) becomes `<>`; a wrapped value is never falsy, so even an
      // empty element goes through validate_text (which removes the brackets: nothing is left to find).
      if (check.actionText === null) return BLANK;
      const r = validateText(fileValue === 'REMOVED' ? '' : fileValue, check.actionText, 'remove');
      return { passed: r.passed, score: r.partialScore };
    }
    case 'text_retained': {
      if (!file || !present) return result(false);
      if (check.actionText === null) return BLANK;
      const r = validateText(fileValue, check.actionText, 'retain');
      return { passed: r.passed, score: r.partialScore };
    }
    case 'tag_retained':
      return result(present);
    case 'text_notnull':
      return result(present && fileValue !== '');
    case 'date_shifted':
    case 'uid_changed': {
      if (!file || !present) return result(true);
      // `check_value.replace('\\','') in file_value.replace('\\','')`: case-sensitive, on the wrapped
      // file value, the answer's brackets removed (an empty answer value is in every file value).
      const old = check.value.replace(/[<>\\]/g, '');
      return result(!`<${fileValue}>`.replace(/\\/g, '').includes(old));
    }
    case 'uid_consistent':
    case 'patid_consistent': {
      if (!file) return result(false);
      if (!present) return result(true);
      const map = check.action === 'uid_consistent' ? mappings.uid : mappings.patientId;
      return result(fileValue === map.get(check.value));
    }
    case 'pixels_retained':
      return result(!!file && file.pixelDataMd5 === check.actionText);
    case 'pixels_hidden':
      if (!file) return result(true);
      if (!reading) return BLANK;
      return judgePixelsHidden(check, reading);
  }
}

/** The text of a pixels_hidden box (its action_text JSON's `text`), or undefined when it is not JSON. */
export function pixelsHiddenText(check: Pick<Check, 'actionText'>): string | undefined {
  try {
    const box = JSON.parse(check.actionText ?? '') as { text?: unknown };
    return typeof box?.text === 'string' ? box.text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The expected text of a pixels_hidden box as the script compares it: line breaks, `DOB:` labels and
 * single-letter `[X]` markers removed. (Line breaks become spaces, so that the last word of one line and
 * the first of the next stay two tokens.)
 */
export function pixelsHiddenExpected(text: string): string {
  return text
    .replace(/\n/g, ' ')
    .replace(/DOB:/g, ' ')
    .replace(/\[[A-Za-z]\]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Characters of scripts written without spaces between words (Han, Hangul, kana). */
const CJK_CHARACTER = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/gu;

/**
 * The expected text of a burned line or box with every CJK character a token of its own (Latin, Greek
 * and Cyrillic words stay whole): a name in Han, Hangul or kana is compared by characters, so a box
 * where OCR reads some of its characters still shows the name (NLTK's tokenizer would keep `秀兰` one
 * token, found only when every character is read right). Text without CJK characters is unchanged.
 */
export function toCharacterTokens(text: string): string {
  return text.replace(CJK_CHARACTER, ' $& ').replace(/ {2,}/g, ' ').trim();
}

/**
 * What English tesseract reads a Cyrillic capital as (DejaVu Sans, the burn font), for the letters it
 * reads one way: no tesseract.js data package exists for Russian, so Cyrillic is read in English.
 */
const CYRILLIC_LOOK_ALIKES: Readonly<Record<string, string>> = {
  А: 'A',
  В: 'B',
  Е: 'E',
  Ё: 'E',
  З: '3',
  И: 'U',
  К: 'K',
  Л: 'N',
  М: 'M',
  Н: 'H',
  О: 'O',
  П: 'N',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  Ю: 'IO',
};
const CYRILLIC = /\p{Script=Cyrillic}/u;

/**
 * A Cyrillic token as English OCR reads it: its look-alike letters as their Latin twins, any other
 * letter as up to three characters; undefined when fewer than half its letters have a twin, or fewer
 * than three unless every letter has one (the pattern would then match too much).
 */
function cyrillicPattern(token: string): RegExp | undefined {
  const letters = [...token.toUpperCase()];
  const twins = letters.filter((c) => CYRILLIC_LOOK_ALIKES[c] !== undefined).length;
  if (twins * 2 < letters.length || (twins < 3 && twins < letters.length) || twins < 2) return undefined;
  const parts = letters.map((c) => {
    const twin = CYRILLIC_LOOK_ALIKES[c];
    if (twin !== undefined) return twin;
    return CYRILLIC.test(c) ? '\\S{0,3}' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(parts.join(''), 'u');
}

/**
 * validate_text's remove test of what OCR read against the text burned there, CJK by characters. A
 * Cyrillic token (read by English OCR, for want of Russian data) is also found where the reading holds
 * its Latin look-alikes (`КРЮКОВ` read as `KPIOKOB`): a stand-in until a Cyrillic data package is used.
 */
export function validateBurnedRemoved(reading: string, expected: string): ReturnType<typeof validateText> {
  const result = validateText(reading, toCharacterTokens(expected), 'remove');
  if (result.passed !== true && result.rule !== 'tokens') return result;
  if (!CYRILLIC.test(expected)) return result;
  const tokens = tokensOf(expected);
  if (tokens.length === 0) return result;
  const file = normalizeScorerText(reading);
  const upper = reading.toUpperCase();
  const found = tokens.filter((t) => file.includes(t) || (cyrillicPattern(t)?.test(upper) ?? false)).length;
  const removed = tokens.length - found;
  return { passed: removed === tokens.length, partialScore: removed / tokens.length, rule: 'tokens' };
}

/**
 * The remove test on what OCR read: the box passes when no frame shows the expected text or any of its
 * tokens (OCR reading nothing passes). CJK text is compared by characters (toCharacterTokens).
 */
export function judgePixelsHidden(check: Check, reading: readonly string[]): CheckResult {
  const text = pixelsHiddenText(check);
  if (text === undefined) return BLANK;
  const expected = pixelsHiddenExpected(text);
  let worst: CheckResult = result(true);
  for (const frameText of reading) {
    const r = validateBurnedRemoved(frameText, expected);
    if (r.passed === null) return BLANK;
    if (!r.passed && (worst.passed || (r.partialScore ?? 0) < (worst.score ?? 0)))
      worst = { passed: false, score: r.partialScore };
  }
  return worst;
}
