/**
 * Checks from the plan: every element of an output instance gets its checks (issue 3, "The answer
 * key"). Elements the plan set get checks from their edit record (text_removed for each PHI value and
 * span, date_shifted, uid_changed/uid_consistent, text_retained for clean spans and decoys); every other
 * element gets the keep checks its attribute calls for: tag_retained/text_notnull from the IOD,
 * text_retained for kept text and numbers, pixels_retained for Pixel Data. Paths and values come from
 * indexing the output as the MIDI-B script does, so a check names exactly what the script will read.
 */
import {
  formatPath,
  formatTagLower,
  indexDataset,
  isPrivateCreatorTag,
  isPrivateTag,
  lookupTag,
  type DicomDataset,
  type IndexedElement,
} from '../dicom/index.js';
import type { EditRecord, InstancePlan } from '../insert/plan.js';
import {
  emptyCategories,
  hipaaCategory,
  type Action,
  type CheckCategories,
  type HipaaKind,
} from '../phi/index.js';
import { freezeCheck, type Check } from './check.js';
import { tokensOf } from '../phi/scorer-text.js';
import { attributeRule, iodCategory, iodTypesFor, type AttributeRule } from './rules.js';

/** What the deriver needs besides the output data set and its plan. */
export interface DeriveInput {
  output: DicomDataset;
  plan: InstancePlan;
  sopClassUid: string;
  /** MD5 (lower-case hex) of the stored Pixel Data bytes, when the instance has pixels and they were kept. */
  pixelDataMd5: string | undefined;
}

const PIXEL_DATA = 0x7fe00010;
const PATIENT_ID = 0x00100020;

/**
 * The values of a printed pydicom MultiValue (`['A', "B's"]`, `[1.5, 2]`), each as the scorer would see it
 * alone; a single value stays whole. Python repr escapes are undone for quoted items.
 */
export function splitPrintedValues(value: string, multi: boolean): string[] {
  if (!multi) return [value];
  const items: string[] = [];
  const item = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([^,\]]*))\s*(?:,|$)/y;
  const inner = value.slice(1, -1);
  item.lastIndex = 0;
  while (item.lastIndex < inner.length) {
    const m = item.exec(inner);
    if (!m || m[0] === '') break;
    const quoted = m[1] ?? m[2];
    items.push(quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (m[3] ?? '').trim());
  }
  return items;
}

/** Whether the printed value is a pydicom MultiValue list. */
const isList = (row: IndexedElement): boolean =>
  row.value.startsWith('[') && row.value.endsWith(']') && !row.element.items;

/** Categories of the attribute itself, shared by its checks. */
function attributeCategories(rule: AttributeRule | undefined): CheckCategories {
  const c = emptyCategories();
  if (rule?.ps315) c.dicom.p15 = rule.ps315.basic;
  if (rule?.hipaa) c.hipaa.z = hipaaCategory(rule.hipaa);
  if (rule?.tcia.p15) c.tcia.p15 = rule.tcia.p15;
  return c;
}

/** What the checks of one indexed element depend on besides the element itself. */
interface RowContext {
  iod: ReturnType<typeof iodTypesFor>;
  record: EditRecord | undefined;
  pixelDataMd5: string | undefined;
}

/** Derives every check of one output instance, in index order (the order the script walks the file). */
export function deriveChecks(input: DeriveInput): Check[] {
  const records = recordsByPath(input.plan);
  const iod = iodTypesFor(input.sopClassUid);
  const checks: Check[] = [];
  for (const row of indexDataset(input.output))
    checks.push(
      ...rowChecks(row, { iod, record: records.get(row.pathText), pixelDataMd5: input.pixelDataMd5 }),
    );
  return checks;
}

/** Rows cached before a CheckDeriver starts afresh (bounds memory on very large runs). */
const MAX_CACHED_ROWS = 10_000;

/**
 * `deriveChecks` for a run: the checks of an element depend only on what the element prints as, where
 * it is, its edit record and the instance's IOD, so instances of a series (and often of a study) share
 * most of them. A deriver caches them by exactly those inputs and hands out frozen, shared Check objects
 * (freezeCheck), which the answer-key writer then validates and encodes once. Same checks, same order as
 * `deriveChecks`.
 */
export class CheckDeriver {
  private cache = new Map<string, readonly Check[]>();

  derive(input: DeriveInput): Check[] {
    const records = recordsByPath(input.plan);
    const iod = iodTypesFor(input.sopClassUid);
    const checks: Check[] = [];
    if (this.cache.size > MAX_CACHED_ROWS) this.cache = new Map();
    const sopClass = lengthPrefixed(input.sopClassUid);
    const md5 = lengthPrefixed(input.pixelDataMd5 ?? '');
    for (const row of indexDataset(input.output)) {
      const record = records.get(row.pathText);
      const pixels = row.tag === PIXEL_DATA && row.depth === 0;
      // Everything rowChecks reads: the IOD (by SOP class), the row's tag, depth, kind, VR, name, path
      // and printed value, its edit record, and for Pixel Data the MD5. Numbers end at '|', a VR is two
      // letters, texts are length-prefixed, the value comes last.
      const key =
        `${sopClass}${pixels ? md5 : '-'}${row.tag}|${row.depth}|${row.element.items ? 'S' : '-'}${row.vr}` +
        `${lengthPrefixed(row.name)}${lengthPrefixed(row.pathText)}` +
        `${lengthPrefixed(record ? recordKey(record) : '')}${row.value}`;
      let cached = this.cache.get(key);
      if (!cached) {
        const frozen: Check[] = [];
        for (const c of rowChecks(row, { iod, record, pixelDataMd5: input.pixelDataMd5 }))
          frozen.push(freezeCheck(c));
        this.cache.set(key, (cached = frozen));
      }
      for (let i = 0; i < cached.length; i++) checks.push(cached[i]!);
    }
    return checks;
  }
}

/** The parts of an edit record rowChecks reads, as text (kind is one letter or '-'). */
function recordKey(record: EditRecord): string {
  switch (record.type) {
    case 'phi': {
      let key = 'phi';
      for (const v of record.values) key += `${lengthPrefixed(v.field)}${v.kind ?? '-'}`;
      return key;
    }
    case 'free-text':
      return `free-text${JSON.stringify(record.spans.map((s) => [s.role, s.text, s.field ?? null, s.kind ?? null]))}`;
    default:
      return record.type;
  }
}

/** `length:text`, so that texts in a row can never run into one another. */
const lengthPrefixed = (text: string): string => `${text.length}:${text}`;

/** The edit records of a plan by element path text. */
function recordsByPath(plan: InstancePlan): Map<string, EditRecord> {
  const records = new Map<string, EditRecord>();
  for (const edit of plan.sets) records.set(formatPath(edit.path), edit.record);
  return records;
}

/** The checks of one indexed element. */
function rowChecks(row: IndexedElement, ctx: RowContext): Check[] {
  const checks: Check[] = [];
  const { iod, record } = ctx;
  const keyword = lookupTag(row.tag)?.keyword ?? '';
  const isPrivate = isPrivateTag(row.tag);
  const rule = isPrivate ? undefined : attributeRule(keyword);
  const base = (action: Action, actionText: string | null, value = row.value): Check => ({
    path: row.pathText,
    tag: formatTagLower(row.tag),
    tagName: row.name,
    action,
    value,
    actionText,
    categories: attributeCategories(rule),
    identityField: null,
    phiKind: null,
    isDecoy: false,
    tokens: action === 'text_removed' || action === 'text_retained' ? tokensOf(actionText ?? '') : [],
  });
  const removed = (text: string, field: string | null, kind: HipaaKind | null): Check => {
    const check = base('text_removed', text);
    check.identityField = field;
    check.phiKind = kind;
    if (kind) check.categories.hipaa.m = hipaaCategory(kind);
    if (isPrivate) check.categories.tcia.ptkb = 'TCIA-PTKB-X';
    else if (!check.categories.hipaa.m && !check.categories.hipaa.z && !check.categories.tcia.p15) {
      check.categories.tcia.p15 = 'TCIA-P15-BASIC-X';
    }
    return check;
  };
  const retained = (text: string, decoy = false): Check | undefined => {
    if (tokensOf(text).length === 0) return undefined; // nothing the scorer could compare
    const check = base('text_retained', text);
    check.isDecoy = decoy;
    if (isPrivate) {
      check.categories.tcia.ptkb = 'TCIA-PTKB-K';
      return check;
    }
    // A keep (-K) or clean-and-keep (-C) category labels kept text; a removal category must not, so
    // such text falls into TCIA's largest bucket, reviewed and kept.
    if (!/-(K|C)$/.test(check.categories.tcia.p15 ?? '')) {
      check.categories.tcia.p15 = null;
      check.categories.tcia.rev = 'TCIA-REV';
    }
    return check;
  };
  const push = (c: Check | undefined): void => {
    if (c) checks.push(c);
  };

  // Structural checks of the IOD: top-level Type 1 and Type 2 attributes present in the output.
  const type = row.depth === 0 && !isPrivate ? iod?.get(keyword)?.type : undefined;
  if (type) {
    const iodCheck = (action: Action): Check => {
      const c = base(action, null);
      c.categories.dicom.iod = iodCategory(type);
      return c;
    };
    checks.push(iodCheck('tag_retained'));
    if (iodCategory(type) === 'DICOM-IOD-1' && row.value !== '') checks.push(iodCheck('text_notnull'));
  }

  if (row.tag === PIXEL_DATA && row.depth === 0) {
    if (ctx.pixelDataMd5) checks.push(base('pixels_retained', ctx.pixelDataMd5));
    return checks;
  }

  const values = splitPrintedValues(row.value, isList(row));
  if (record) {
    switch (record.type) {
      case 'phi':
        record.values.forEach((v, i) => {
          const text = values[i];
          if (text) push(removed(text, v.field, v.kind));
        });
        if (row.tag === PATIENT_ID && row.depth === 0) checks.push(base('patid_consistent', null));
        break;
      case 'free-text':
        for (const span of record.spans) {
          if (span.role === 'phi') push(removed(span.text, span.field ?? null, span.kind ?? null));
          else push(retained(span.text, span.role === 'decoy'));
        }
        break;
      case 'date':
        for (const v of values) if (v) checks.push(base('date_shifted', null, v));
        break;
      case 'uid':
        for (const v of values) {
          if (!v) continue;
          checks.push(base('uid_changed', null, v));
          checks.push(base('uid_consistent', null, v));
        }
        break;
      case 'constant':
        for (const v of values) push(retained(v));
        break;
    }
    return checks;
  }

  // Elements the plan did not touch are kept: their text and numbers must survive.
  if (row.element.items || row.value === '' || row.value === 'REMOVED') return checks;
  if (['OB', 'OW', 'OD', 'OF', 'OL', 'OV', 'UN'].includes(row.vr)) return checks;
  if (isPrivateCreatorTag(row.tag)) return checks;
  for (const v of values) push(retained(v));
  return checks;
}
