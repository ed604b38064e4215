/**
 * The `AnswerData` JSON of one `answer_data` row (shared/reference/midi-b-answer-key.md section 2): an
 * object of checks keyed "0", "1", ... in plan order, every check carrying every key, every text field
 * wrapped in `<` `>`, `answer_category_v2` a JSON object (not a string). Serialization is deterministic:
 * fixed key order, no whitespace.
 */
import type { Action, CheckCategories } from '../phi/index.js';
import { ACTIONS } from '../phi/index.js';
import { AnswerKeyError, type Check } from './check.js';

/** One check as the script reads it from `AnswerData`, keys in the order of the reference table. */
export interface AnswerDataEntry {
  action: string;
  action_text: string | null;
  value: string;
  tag: string;
  tag_ds: string;
  tag_name: string;
  scope: '<Instance>';
  answer_category: [];
  answer_category_v2: CheckCategories;
}

/** `<text>`; null stays null (JSON null, "null where unused"). */
export function wrap(text: string): string;
export function wrap(text: string | null): string | null;
export function wrap(text: string | null): string | null {
  return text === null ? null : `<${text}>`;
}

/** Removes one outer `<` `>` pair that `wrap` added. */
export function unwrap(text: string): string;
export function unwrap(text: string | null): string | null;
export function unwrap(text: string | null): string | null {
  if (text === null) return null;
  return text.startsWith('<') && text.endsWith('>') && text.length >= 2 ? text.slice(1, -1) : text;
}

/** The `tag_ds` of a path: already in `<...>` form it is written as is, otherwise wrapped once. */
export const toTagDs = (path: string): string => (path.startsWith('<') ? path : `<${path}>`);

/** answer_category_v2 with its keys in the reference order, whatever order the input had. */
export function orderedCategories(c: CheckCategories): CheckCategories {
  return {
    hipaa: { z: c.hipaa.z, m: c.hipaa.m },
    dicom: { p15: c.dicom.p15, iod: c.dicom.iod, safe: c.dicom.safe },
    tcia: { ptkb: c.tcia.ptkb, p15: c.tcia.p15, rev: c.tcia.rev },
    prev_cat: c.prev_cat,
  };
}

/** One check as an AnswerData entry. */
export function toAnswerDataEntry(check: Check): AnswerDataEntry {
  return {
    action: wrap(check.action),
    action_text: wrap(check.actionText),
    value: wrap(check.value),
    tag: wrap(check.tag),
    tag_ds: toTagDs(check.path),
    tag_name: wrap(check.tagName),
    scope: '<Instance>',
    answer_category: [],
    answer_category_v2: orderedCategories(check.categories),
  };
}

/** The AnswerData object of an instance: checks keyed "0", "1", ... in the given (plan) order. */
export function toAnswerData(checks: readonly Check[]): Record<string, AnswerDataEntry> {
  const out: Record<string, AnswerDataEntry> = {};
  checks.forEach((check, i) => {
    out[String(i)] = toAnswerDataEntry(check);
  });
  return out;
}

/** The AnswerData column text: deterministic JSON of `toAnswerData`. */
export function serializeAnswerData(checks: readonly Check[]): string {
  return JSON.stringify(toAnswerData(checks));
}

const ENTRY_KEYS = [
  'action',
  'action_text',
  'value',
  'tag',
  'tag_ds',
  'tag_name',
  'scope',
  'answer_category',
  'answer_category_v2',
] as const;

const nullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';

/**
 * Parses an AnswerData column back into entries in key order ("0", "1", ...), checking that every check
 * has every key the script needs (a missing key loses the check or crashes the run).
 */
export function parseAnswerData(text: string): AnswerDataEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new AnswerKeyError(`AnswerData is not JSON: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new AnswerKeyError('AnswerData must be a JSON object keyed "0", "1", ...');
  const keys = Object.keys(data).sort((a, b) => Number(a) - Number(b));
  return keys.map((key, i) => {
    if (key !== String(i))
      throw new AnswerKeyError(`AnswerData keys must be "0".."${keys.length - 1}", found "${key}"`);
    const e = (data as Record<string, unknown>)[key] as Record<string, unknown>;
    for (const k of ENTRY_KEYS)
      if (typeof e !== 'object' || e === null || !(k in e))
        throw new AnswerKeyError(`check "${key}" lacks key ${k}`);
    if (typeof e['answer_category_v2'] !== 'object' || e['answer_category_v2'] === null)
      throw new AnswerKeyError(`check "${key}": answer_category_v2 must be a JSON object`);
    for (const k of ['action', 'value', 'tag', 'tag_ds', 'tag_name'] as const)
      if (typeof e[k] !== 'string') throw new AnswerKeyError(`check "${key}": ${k} must be a string`);
    if (!nullableString(e['action_text']))
      throw new AnswerKeyError(`check "${key}": action_text must be a string or null`);
    return e as unknown as AnswerDataEntry;
  });
}

/**
 * A Check from an AnswerData entry alone (as in a published MIDI-B key): the MIDI-B fields unwrapped,
 * the normalized extras unknown (null, false, no tokens).
 */
export function fromAnswerDataEntry(entry: AnswerDataEntry): Check {
  const action = unwrap(entry.action) as Action;
  if (!(ACTIONS as readonly string[]).includes(action))
    throw new AnswerKeyError(`unknown action ${entry.action}`, entry.tag_ds);
  const c = entry.answer_category_v2 as Partial<CheckCategories>;
  return {
    path: entry.tag_ds,
    tag: unwrap(entry.tag),
    tagName: unwrap(entry.tag_name),
    action,
    value: unwrap(entry.value),
    actionText: unwrap(entry.action_text),
    categories: {
      hipaa: { z: c.hipaa?.z ?? null, m: c.hipaa?.m ?? null },
      dicom: { p15: c.dicom?.p15 ?? null, iod: c.dicom?.iod ?? null, safe: c.dicom?.safe ?? null },
      tcia: { ptkb: c.tcia?.ptkb ?? null, p15: c.tcia?.p15 ?? null, rev: c.tcia?.rev ?? null },
      prev_cat: c.prev_cat ?? null,
    },
    identityField: null,
    phiKind: null,
    isDecoy: false,
    tokens: [],
  };
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = sort((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return JSON.stringify(sort(value));
}
