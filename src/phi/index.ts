/**
 * The shared vocabulary of PHI and checks: HIPAA Safe Harbor identifier kinds, the ten MIDI-B actions and
 * the category fields of an answer-key check (shared/reference/midi-b-answer-key.md sections 4 and 5).
 */

/** HIPAA Safe Harbor identifier letters (45 CFR 164.514(b)(2)(i)(A)-(R)). */
export const HIPAA_KINDS = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'I',
  'J',
  'K',
  'L',
  'M',
  'N',
  'O',
  'P',
  'Q',
  'R',
] as const;

/** One HIPAA identifier letter. */
export type HipaaKind = (typeof HIPAA_KINDS)[number];

/** What each HIPAA letter covers, for reports. */
export const HIPAA_KIND_NAMES: Readonly<Record<HipaaKind, string>> = {
  A: 'names',
  B: 'geographic subdivisions smaller than a state',
  C: 'dates (except year) and ages over 89',
  D: 'telephone numbers',
  E: 'fax numbers',
  F: 'e-mail addresses',
  G: 'social security numbers',
  H: 'medical record numbers',
  I: 'health plan beneficiary numbers',
  J: 'account numbers',
  K: 'certificate/licence numbers',
  L: 'vehicle identifiers and serial numbers',
  M: 'device identifiers and serial numbers',
  N: 'web URLs',
  O: 'IP addresses',
  P: 'biometric identifiers',
  Q: 'full-face photographs',
  R: 'any other unique identifying number, characteristic or code',
};

/** The ten actions of the MIDI-B answer key. */
export const ACTIONS = [
  'text_removed',
  'text_retained',
  'tag_retained',
  'text_notnull',
  'date_shifted',
  'uid_changed',
  'uid_consistent',
  'patid_consistent',
  'pixels_retained',
  'pixels_hidden',
] as const;

/** One MIDI-B action. */
export type Action = (typeof ACTIONS)[number];

/** Actions that ask a de-identifier to change something (the generated files themselves fail them). */
export const REMOVAL_ACTIONS: ReadonlySet<Action> = new Set([
  'text_removed',
  'date_shifted',
  'uid_changed',
  'pixels_hidden',
]);

/** The `answer_category_v2` object of a check: every key present, null where not applicable. */
export interface CheckCategories {
  hipaa: { z: string | null; m: string | null };
  dicom: { p15: string | null; iod: string | null; safe: string | null };
  tcia: { ptkb: string | null; p15: string | null; rev: string | null };
  prev_cat: string | null;
}

/** Categories with every field null, to fill in. */
export function emptyCategories(): CheckCategories {
  return {
    hipaa: { z: null, m: null },
    dicom: { p15: null, iod: null, safe: null },
    tcia: { ptkb: null, p15: null, rev: null },
    prev_cat: null,
  };
}

/** `HIPAA-A` from `A`. */
export const hipaaCategory = (kind: HipaaKind): string => `HIPAA-${kind}`;
