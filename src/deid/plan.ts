/**
 * The oracle's plan for one instance: what the key asks of each element path, turned into edits
 * (delete the element, or give it new values) and the pixel boxes to black out. Pure: it reads the
 * parsed data set and the checks, and changes nothing (ARCHITECTURE.md section 3, "plan, then apply").
 *
 * Per path, in this order of precedence:
 * - patid_consistent: the Patient ID becomes its mapped ID;
 * - uid_changed / uid_consistent: every UID value becomes its mapped UID;
 * - text_removed: values that are wholly PHI go, PHI spans leave free text (clean text and decoys stay);
 *   with nothing left the element is deleted, emptied when it must be kept (tag_retained), or given a
 *   neutral value when it must keep one (text_notnull);
 * - date_shifted: every DA/DT value moves by the patient's offset; in other VRs the named dates do.
 */
import type { Check } from '../answerkey/index.js';
import {
  asciiText,
  isMultiValueString,
  isStringVr,
  parsePath,
  readStrings,
  resolvePath,
  textCodecOf,
  type DicomDataset,
  type DicomElement,
} from '../dicom/index.js';
import { shiftDaValue, shiftDateLike, shiftDtValue } from './dates.js';
import type { DeidMappings } from './mappings.js';
import { parsePixelBox, type PixelBox } from './pixels.js';
import { neutralValue, removePhiSpans, sameText } from './text.js';

/** One change to one element, by its `tag_ds` path. */
export type ElementEdit =
  | { readonly path: string; readonly op: 'delete' }
  | { readonly path: string; readonly op: 'set'; readonly values: readonly string[] };

/** Something the oracle could not do as the key asks, at one path. */
export interface PlanNote {
  path: string;
  problem: string;
}

/** The oracle's plan for one instance. */
export interface InstanceDeidPlan {
  edits: ElementEdit[];
  /** Boxes of burned-in text to black out on every frame. */
  boxes: PixelBox[];
  notes: PlanNote[];
}

/** What the planner needs besides the data set and the checks. */
export interface InstanceContext {
  mappings: DeidMappings;
  /** The instance's patient's date offset in days (undefined: the patient has none). */
  dateOffsetDays: number | undefined;
}

/** Actions that ask the oracle to change an element. */
const CHANGING = new Set<Check['action']>([
  'text_removed',
  'date_shifted',
  'uid_changed',
  'uid_consistent',
  'patid_consistent',
]);

/** The values of an element as text: string VRs split where multi-valued, UN as one Latin-1 text. */
export function elementValues(dataset: DicomDataset, element: DicomElement): string[] | undefined {
  if (element.items || element.fragments) return undefined;
  if (isStringVr(element.vr)) return readStrings(element, textCodecOf(dataset));
  if (element.vr === 'UN') {
    const text = asciiText(element.value ?? new Uint8Array(0)).replace(/[\0 ]+$/, '');
    return text === '' ? [] : [text];
  }
  return undefined;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** Plans the edits of one path from its checks. */
function planPath(
  root: DicomDataset,
  path: string,
  checks: readonly Check[],
  ctx: InstanceContext,
  notes: PlanNote[],
): ElementEdit | undefined {
  const resolved = resolvePath(root, parsePath(path));
  // An element the file does not have needs no change (removal checks pass on absence).
  if (!resolved) return undefined;
  const { dataset, element } = resolved;
  const has = (action: Check['action']): boolean => checks.some((c) => c.action === action);
  const removals = checks
    .filter((c) => c.action === 'text_removed')
    .map((c) => c.actionText ?? c.value)
    .filter((t) => t.trim() !== '');
  const retains = checks.filter((c) => c.action === 'text_retained').map((c) => c.actionText ?? c.value);
  const dates = checks.filter((c) => c.action === 'date_shifted').map((c) => c.value);
  const mustKeep = has('tag_retained') || has('text_notnull');
  const note = (problem: string): void => void notes.push({ path, problem });

  const original = elementValues(dataset, element);
  if (original === undefined) {
    // Sequences, pixel data and binary numbers cannot be edited as text: removal empties or deletes them.
    if (removals.length === 0) {
      note(`${element.vr} element: cannot ${[...new Set(checks.map((c) => c.action))].join(', ')}`);
      return undefined;
    }
    if (!mustKeep) return { path, op: 'delete' };
    if (element.items || element.fragments) {
      note('a kept sequence or pixel element cannot have its PHI removed');
      return undefined;
    }
    return { path, op: 'set', values: [] };
  }

  let values = original.slice();
  if (has('patid_consistent')) {
    values = values.map((v) => {
      const mapped = ctx.mappings.patientId.get(v.trim());
      if (mapped === undefined) note(`Patient ID ${JSON.stringify(v)} has no mapping`);
      return mapped ?? v;
    });
  } else if (has('uid_changed') || has('uid_consistent')) {
    values = values.map((v) => {
      const mapped = ctx.mappings.uid.get(v.trim());
      if (mapped === undefined) note(`UID ${v} has no mapping`);
      return mapped ?? v;
    });
  } else {
    if (removals.length > 0) {
      // Values that are wholly PHI go; PHI spans leave what remains (a PHI text anywhere in the printed
      // value fails its check, so every remaining value is cleaned of every removal text).
      values = values
        .filter((v) => !removals.some((r) => sameText(v, r)))
        .map((v) => {
          const removal = removePhiSpans(v, removals, retains);
          if (removal.method === 'words')
            note(
              'words besides the PHI spans were removed: the text the key leaves holds a token of the PHI ' +
                `(${JSON.stringify(v)} -> ${JSON.stringify(removal.text)})`,
            );
          return removal.text;
        })
        .filter((v) => v.trim() !== '');
      if (values.length === 0) {
        if (has('text_notnull')) {
          const neutral = neutralValue(element.vr, removals);
          if (neutral === undefined) note(`no neutral ${element.vr} value shares nothing with the PHI`);
          return { path, op: 'set', values: neutral === undefined ? [] : [neutral] };
        }
        return mustKeep ? { path, op: 'set', values: [] } : { path, op: 'delete' };
      }
    }
    if (dates.length > 0) {
      const days = ctx.dateOffsetDays;
      if (days === undefined) note('the patient has no date offset');
      else values = shiftDates(element, values, dates, days, note);
    }
  }
  if (sameList(values, original)) return undefined;
  if (!isMultiValueString(element.vr) && values.length > 1) values = [values.join('\\')];
  return { path, op: 'set', values };
}

/** Shifts the dates of an element: every DA/DT value, or in other VRs each date the checks name. */
function shiftDates(
  element: DicomElement,
  values: string[],
  named: readonly string[],
  days: number,
  note: (problem: string) => void,
): string[] {
  if (element.vr === 'DA' || element.vr === 'DT') {
    const shift = element.vr === 'DA' ? shiftDaValue : shiftDtValue;
    return values.map((v) => {
      const shifted = shift(v, days);
      if (shifted === undefined) note(`${element.vr} value ${JSON.stringify(v)} is not a date`);
      return shifted ?? v;
    });
  }
  let out = values;
  for (const date of new Set(named.map((d) => d.trim()))) {
    const shifted = shiftDateLike(date, days);
    if (shifted === undefined) {
      note(`${JSON.stringify(date)} in a ${element.vr} value is not a date`);
      continue;
    }
    out = out.map((v) => v.split(date).join(shifted));
  }
  return out;
}

/** Plans the oracle's edits of one instance from its checks. */
export function planInstanceDeid(
  root: DicomDataset,
  checks: readonly Check[],
  ctx: InstanceContext,
): InstanceDeidPlan {
  const byPath = new Map<string, Check[]>();
  const boxes: PixelBox[] = [];
  const notes: PlanNote[] = [];
  for (const check of checks) {
    if (check.action === 'pixels_hidden') {
      try {
        boxes.push(parsePixelBox(check.actionText ?? ''));
      } catch (error) {
        notes.push({ path: check.path, problem: (error as Error).message });
      }
      continue;
    }
    const list = byPath.get(check.path);
    if (list) list.push(check);
    else byPath.set(check.path, [check]);
  }
  const edits: ElementEdit[] = [];
  for (const [path, pathChecks] of byPath) {
    if (!pathChecks.some((c) => CHANGING.has(c.action))) continue;
    let edit: ElementEdit | undefined;
    try {
      edit = planPath(root, path, pathChecks, ctx, notes);
    } catch (error) {
      notes.push({ path, problem: (error as Error).message });
    }
    if (edit) edits.push(edit);
  }
  return { edits, boxes, notes };
}
