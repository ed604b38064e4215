/**
 * Building data sets by keyword: `{ PatientName: 'X', PixelSpacing: [0.7, 0.7], AnatomicRegionSequence:
 * [{ CodeValue: ... }] }`, the form header templates are written in. The VR comes from the dictionary
 * (PS3.6); numbers are rendered as DS/IS text where the VR is a string, so callers never format by hand.
 */
import {
  DicomDataset,
  DicomElement,
  dictionaryVr,
  isStringVr,
  numberSize,
  requireTag,
  setNumbers,
  setPrivate,
  setStrings,
  type Vr,
} from '../dicom/index.js';
import { ConfigError } from '../errors/index.js';

/** One attribute value: a string or number, several of them, null for an empty (Type 2) value, or items. */
export type AttributeValue =
  | string
  | number
  | null
  | ReadonlyArray<string | number>
  | readonly AttributeSet[];

/** Attributes by DICOM keyword, in any order (the data set keeps tag order). */
export interface AttributeSet {
  readonly [keyword: string]: AttributeValue;
}

/** A DS value (PS3.5 6.2: at most 16 characters) for a number, with as much precision as fits. */
export function toDs(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`DS cannot hold ${x}`);
  const rounded = Math.abs(x) < 1e-10 ? 0 : x;
  for (let digits = 10; digits >= 1; digits--) {
    const text = String(Number(rounded.toPrecision(digits)));
    if (text.length <= 16) return text;
  }
  return rounded.toExponential(6);
}

/** An IS value (PS3.5 6.2) for an integer. */
export function toIs(x: number): string {
  return String(Math.round(x));
}

const isItemList = (value: AttributeValue): value is readonly AttributeSet[] =>
  Array.isArray(value) && value.length > 0 && typeof value[0] === 'object' && value[0] !== null;

const asText = (vr: Vr, v: string | number): string =>
  typeof v === 'string' ? v : vr === 'DS' ? toDs(v) : vr === 'IS' ? toIs(v) : String(v);

/** Sets one attribute by keyword (VR from the dictionary unless given). */
export function putAttribute(dataset: DicomDataset, keyword: string, value: AttributeValue, vr?: Vr): void {
  const tag = requireTag(keyword);
  const resolved = vr ?? dictionaryVr(tag);
  if (resolved === 'SQ') {
    const element = dataset.put(new DicomElement(tag, 'SQ', undefined, []));
    void element;
    if (value !== null && !isItemList(value) && !(Array.isArray(value) && value.length === 0)) {
      throw new ConfigError(`${keyword} is a sequence; give a list of items`);
    }
    for (const item of (value ?? []) as readonly AttributeSet[]) dataset.addItem(tag, buildItem(item));
    return;
  }
  if (isItemList(value)) throw new ConfigError(`${keyword} (${resolved}) is not a sequence`);
  const list: ReadonlyArray<string | number> =
    value === null ? [] : Array.isArray(value) ? value : [value as string | number];
  if (isStringVr(resolved)) {
    setStrings(
      dataset,
      tag,
      list.map((v) => asText(resolved, v)),
      resolved,
    );
  } else if (numberSize(resolved)) {
    setNumbers(dataset, tag, list.map(Number), resolved);
  } else {
    throw new ConfigError(`${keyword} has VR ${resolved}; set its bytes directly`);
  }
}

/** Sets every attribute of a set. */
export function putAttributes(dataset: DicomDataset, attributes: AttributeSet): void {
  for (const [keyword, value] of Object.entries(attributes)) putAttribute(dataset, keyword, value);
}

/** A new sequence item holding the given attributes. */
export function buildItem(attributes: AttributeSet): DicomDataset {
  const item = new DicomDataset();
  putAttributes(item, attributes);
  return item;
}

/** A code sequence item (PS3.3 8.8): value, scheme, meaning. */
export function codeItem(value: string, scheme: string, meaning: string): AttributeSet {
  return { CodeValue: value, CodingSchemeDesignator: scheme, CodeMeaning: meaning };
}

/** One private element as templates describe it (PS3.5 7.8: group, creator, element byte). */
export interface PrivateAttribute {
  readonly element: number;
  readonly vr: Vr;
  readonly value: string | number | ReadonlyArray<string | number>;
}

/** Writes a creator's private block, its elements in ascending element order. */
export function putPrivateBlock(
  dataset: DicomDataset,
  group: number,
  creator: string,
  elements: readonly PrivateAttribute[],
): void {
  const sorted = [...elements].sort((a, b) => a.element - b.element);
  for (const e of sorted) {
    const list = Array.isArray(e.value) ? e.value : [e.value as string | number];
    if (isStringVr(e.vr))
      setPrivate(
        dataset,
        group,
        creator,
        e.element,
        e.vr,
        list.map((v) => asText(e.vr, v)),
      );
    else setPrivate(dataset, group, creator, e.element, e.vr, list.map(Number));
  }
}
