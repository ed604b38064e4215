/**
 * The MIDI-B metric for one check against one output file, exactly as shared/reference/midi-b-answer-key.md
 * section 4 specifies and modules/curation_validator.py of the NCI script does it: presence rules, the
 * substring rules of date_shifted and uid_changed, the mapping rules of uid_consistent and
 * patid_consistent, validate_text for text checks, the MD5 of stored Pixel Data, and the remove test on
 * what OCR reads inside a pixels_hidden box. This file is the one place of the per-check rules; the
 * scorer around it (score.ts) only finds files, reads them once and feeds them here.
 */
import { validateText, type Check } from '../answerkey/index.js';
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

/**
 * The remove test on what OCR read: the box passes when no frame shows the expected text or any of its
 * tokens (OCR reading nothing passes).
 */
export function judgePixelsHidden(check: Check, reading: readonly string[]): CheckResult {
  const text = pixelsHiddenText(check);
  if (text === undefined) return BLANK;
  const expected = pixelsHiddenExpected(text);
  let worst: CheckResult = result(true);
  for (const frameText of reading) {
    const r = validateText(frameText, expected, 'remove');
    if (r.passed === null) return BLANK;
    if (!r.passed && (worst.passed || (r.partialScore ?? 0) < (worst.score ?? 0)))
      worst = { passed: false, score: r.partialScore };
  }
  return worst;
}
