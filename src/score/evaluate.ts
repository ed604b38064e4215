/**
 * The MIDI-B metric for one check against one output file, exactly as shared/reference/midi-b-answer-key.md
 * section 4 specifies: presence rules, the substring rules of date_shifted and uid_changed, the mapping
 * rules of uid_consistent and patid_consistent, validate_text for text checks, and the MD5 of stored
 * Pixel Data. pixels_hidden needs OCR and is not judged here (null).
 */
import { normalizeScorerText, validateText, type Check } from '../answerkey/index.js';
import { indexDataset, storedPixelDataMd5, type DicomDataset } from '../dicom/index.js';

/** An output file as the script sees it: values by tag_ds path, and the Pixel Data MD5. */
export interface ScoredFile {
  values: ReadonlyMap<string, string>;
  pixelDataMd5: string | undefined;
}

/** Indexes a data set for scoring. */
export function toScoredFile(dataset: DicomDataset): ScoredFile {
  const values = new Map<string, string>();
  for (const row of indexDataset(dataset)) if (!values.has(row.pathText)) values.set(row.pathText, row.value);
  return { values, pixelDataMd5: storedPixelDataMd5(dataset) };
}

/** UID and patient-ID mappings (`id_old,id_new`), first occurrence wins. */
export interface Mappings {
  uid: ReadonlyMap<string, string>;
  patientId: ReadonlyMap<string, string>;
}

/** The outcome of one check: passed, or null where the script gives no result. */
export interface CheckResult {
  passed: boolean | null;
  /** validate_text's partial score for text checks, else 1 or 0. */
  score: number | null;
}

const result = (passed: boolean): CheckResult => ({ passed, score: passed ? 1 : 0 });

/** Scores one check; `file` undefined means the output file is missing. */
export function evaluateCheck(check: Check, file: ScoredFile | undefined, mappings: Mappings): CheckResult {
  const present = file?.values.has(check.path) ?? false;
  const fileValue = file?.values.get(check.path) ?? '';
  const empty = normalizeScorerText(fileValue) === '';
  switch (check.action) {
    case 'text_removed': {
      if (!file || !present || empty) return result(true);
      const r = validateText(fileValue, check.actionText ?? '', 'remove');
      return { passed: r.passed, score: r.partialScore };
    }
    case 'text_retained': {
      if (!file || !present || empty) return result(false);
      const r = validateText(fileValue, check.actionText ?? '', 'retain');
      return { passed: r.passed, score: r.partialScore };
    }
    case 'tag_retained':
      return result(present);
    case 'text_notnull':
      return result(present && !empty);
    case 'date_shifted':
    case 'uid_changed': {
      if (!file || !present) return result(true);
      const old = normalizeScorerText(check.value.replace(/\\/g, ''));
      return result(!normalizeScorerText(fileValue).includes(old));
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
      return { passed: null, score: null };
  }
}
