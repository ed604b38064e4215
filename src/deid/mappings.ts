/**
 * The identifier mappings of a de-identification run, planned from the answer key before any file is
 * touched: old UID -> new UID, old Patient ID -> new Patient ID, patient -> date offset. The MIDI-B
 * script reads the first two as `uid_mapping.csv` and `patid_mapping.csv` (`id_old,id_new`,
 * shared/reference/midi-b-answer-key.md section 1).
 */
import type { AnswerKey } from '../answerkey/index.js';
import { normalizeScorerText, tokensOf } from '../answerkey/index.js';
import { deriveUid } from '../dicom/index.js';
import { deriveSeed } from '../rng/index.js';
import { compareCodeUnits, planDateOffsets } from './dates.js';

/** Old -> new identifiers and the per-patient date offsets of one run. */
export interface DeidMappings {
  /** Every UID the key names in uid_changed/uid_consistent checks and every file's SOP Instance UID. */
  uid: ReadonlyMap<string, string>;
  /** Every Patient ID of the key. */
  patientId: ReadonlyMap<string, string>;
  /** Date offset in days by (old) Patient ID; empty for `none`. */
  dateOffsets: ReadonlyMap<string, number>;
}

/** The identifiers a key names: UIDs with UID checks, file SOP Instance UIDs, Patient IDs. */
export interface KeyIdentifiers {
  /** UIDs the key asks to change (values of uid_changed and uid_consistent checks). */
  checkedUids: Set<string>;
  /** SOP Instance UIDs of every instance and file. */
  sopInstanceUids: Set<string>;
  /** Patient IDs the key asks to remap (values of patid_consistent checks). */
  checkedPatientIds: Set<string>;
  /** Every Patient ID: of instances, files and patid_consistent checks. */
  patientIds: Set<string>;
}

/** Collects the identifiers of a key (plus the SOP Instance UIDs of files found outside it). */
export function collectKeyIdentifiers(
  key: AnswerKey,
  extraSopInstanceUids: Iterable<string> = [],
): KeyIdentifiers {
  const ids: KeyIdentifiers = {
    checkedUids: new Set(),
    sopInstanceUids: new Set(extraSopInstanceUids),
    checkedPatientIds: new Set(),
    patientIds: new Set(),
  };
  for (const instance of key.instances) {
    ids.sopInstanceUids.add(instance.sopInstanceUid);
    ids.patientIds.add(instance.patientId);
    for (const check of instance.checks) {
      if (check.action === 'uid_changed' || check.action === 'uid_consistent')
        ids.checkedUids.add(check.value);
      if (check.action === 'patid_consistent') {
        ids.checkedPatientIds.add(check.value);
        ids.patientIds.add(check.value);
      }
    }
  }
  for (const file of key.files) {
    ids.sopInstanceUids.add(file.sopInstanceUid);
    ids.patientIds.add(file.patientId);
  }
  return ids;
}

/** Whether a replacement shares nothing the scorer would find with the old value (its text or a token). */
function sharesNothing(candidate: string, old: string): boolean {
  const c = normalizeScorerText(candidate);
  const o = normalizeScorerText(old);
  if (o !== '' && c.includes(o)) return false;
  return tokensOf(old).every((t) => !c.includes(t));
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A letters-only Patient ID from the seed and the old ID (`attempt` picks another on a clash). */
export function derivePatientId(seed: string, old: string, attempt = 0): string {
  const hex = deriveSeed(seed, 'deid-patient-id', old, attempt);
  let out = 'DEID';
  for (let i = 0; i < 12; i++) out += LETTERS[Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 26];
  return out;
}

/** Plans the oracle's mappings: new UIDs and Patient IDs for those the key asks to change, others kept. */
export function planOracleMappings(ids: KeyIdentifiers, seed: string): DeidMappings {
  const allUids = [...new Set([...ids.checkedUids, ...ids.sopInstanceUids])].sort(compareCodeUnits);
  const uid = new Map<string, string>();
  const usedUids = new Set(allUids);
  for (const old of allUids) {
    if (!ids.checkedUids.has(old)) {
      uid.set(old, old);
      continue;
    }
    // A hashed 2.25 UID (PS3.5 B.2); another attempt if it contains the old UID or clashes (never seen).
    let attempt = 0;
    let next = deriveUid('pseudophi-deid-uid', seed, old);
    while (usedUids.has(next) || next.includes(old))
      next = deriveUid('pseudophi-deid-uid', seed, old, ++attempt);
    usedUids.add(next);
    uid.set(old, next);
  }
  const allPatients = [...ids.patientIds].sort(compareCodeUnits);
  const patientId = new Map<string, string>();
  const usedIds = new Set(allPatients);
  for (const old of allPatients) {
    if (!ids.checkedPatientIds.has(old)) {
      patientId.set(old, old);
      continue;
    }
    let attempt = 0;
    let next = derivePatientId(seed, old);
    while (usedIds.has(next) || !sharesNothing(next, old)) next = derivePatientId(seed, old, ++attempt);
    usedIds.add(next);
    patientId.set(old, next);
  }
  return { uid, patientId, dateOffsets: planDateOffsets(seed, allPatients) };
}

/** Identity mappings (the `none` baseline): every identifier mapped to itself, no date offsets. */
export function planIdentityMappings(ids: KeyIdentifiers): DeidMappings {
  const same = (values: Iterable<string>): Map<string, string> =>
    new Map([...new Set(values)].sort(compareCodeUnits).map((v) => [v, v]));
  return {
    uid: same([...ids.checkedUids, ...ids.sopInstanceUids]),
    patientId: same(ids.patientIds),
    dateOffsets: new Map(),
  };
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF. */
const csvField = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** A mapping as the MIDI-B script reads it: header `id_old,id_new`, one row per old id in code-unit order. */
export function toMappingCsv(map: ReadonlyMap<string, string>): string {
  const rows = [...map].sort(([a], [b]) => compareCodeUnits(a, b));
  return `id_old,id_new\n${rows.map(([o, n]) => `${csvField(o)},${csvField(n)}\n`).join('')}`;
}
