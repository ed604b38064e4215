/**
 * Applies an oracle plan to a parsed file: element edits (every path resolved first, then changed, so one
 * edit never moves another's target), the Media Storage SOP Instance UID of the file meta, and the pixel
 * boxes. Elements the plan does not name keep their bytes (the writer copies them verbatim).
 */
import {
  checkStringValue,
  DicomElement,
  encodeStrings,
  isStringVr,
  parsePath,
  resolvePath,
  Tags,
  textCodecOf,
  type DicomDataset,
  type DicomFile,
} from '../dicom/index.js';
import { DicomValueError } from '../errors/index.js';
import { DeidentifyError } from './errors.js';
import type { DeidMappings } from './mappings.js';
import { elementValues, type InstanceDeidPlan } from './plan.js';
import { hidePixelBoxes } from './pixels.js';

const padEven = (bytes: Uint8Array, pad: number): Uint8Array => {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = pad;
  return out;
};

/**
 * Encodes new values for an element in its own VR. Values that break the VR's rules are refused, unless
 * the element's original values broke them already (a legacy `YYYY.MM.DD` date keeps its form).
 */
function encodeValues(dataset: DicomDataset, element: DicomElement, values: readonly string[]): Uint8Array {
  const codec = textCodecOf(dataset);
  if (isStringVr(element.vr)) {
    try {
      return encodeStrings(element.vr, values, codec, element.tag);
    } catch (error) {
      if (!(error instanceof DicomValueError)) throw error;
      const before = elementValues(dataset, element) ?? [];
      if (!before.some((v) => checkStringValue(element.vr, v) !== undefined)) throw error;
      const text = values.join('\\');
      const bytes = ['LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UT'].includes(element.vr)
        ? codec.encode(text)
        : Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
      return padEven(bytes, element.vr === 'UI' ? 0 : 0x20);
    }
  }
  if (element.vr === 'UN')
    return padEven(
      Uint8Array.from(values.join('\\'), (c) => c.charCodeAt(0) & 0xff),
      0x20,
    );
  if (values.length === 0) return new Uint8Array(0);
  throw new DeidentifyError(`cannot write text into a ${element.vr} element`);
}

/** Applies the element edits of a plan; throws DeidentifyError naming the path of an edit that fails. */
export function applyElementEdits(root: DicomDataset, plan: InstanceDeidPlan): void {
  const targets = plan.edits.map((edit) => {
    const resolved = resolvePath(root, parsePath(edit.path));
    if (!resolved) throw new DeidentifyError(`${edit.path}: the element to edit is not there`);
    return { edit, ...resolved };
  });
  for (const { edit, dataset, element } of targets) {
    if (edit.op === 'delete') {
      dataset.delete(element.tag);
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = encodeValues(dataset, element, edit.values);
    } catch (error) {
      if (error instanceof DicomValueError || error instanceof DeidentifyError)
        throw new DeidentifyError(`${edit.path}: ${error.message}`);
      throw error;
    }
    dataset.put(new DicomElement(element.tag, element.vr, bytes));
  }
}

/** Points the file meta's Media Storage SOP Instance UID at the instance's new SOP Instance UID. */
export function applyMetaUid(file: DicomFile, mappings: DeidMappings): void {
  const current = file.meta.get(Tags.MediaStorageSOPInstanceUID)?.value;
  if (!current) return;
  const old = Buffer.from(current)
    .toString('latin1')
    .replace(/[\0 ]+$/, '');
  const next = mappings.uid.get(old);
  if (next === undefined || next === old) return;
  file.meta.put(
    new DicomElement(
      Tags.MediaStorageSOPInstanceUID,
      'UI',
      padEven(
        Uint8Array.from(next, (c) => c.charCodeAt(0)),
        0,
      ),
    ),
  );
}

/** Applies a whole plan to a file: elements, meta, pixels (codecs initialised when pixels are compressed). */
export function applyInstanceDeid(file: DicomFile, plan: InstanceDeidPlan, mappings: DeidMappings): void {
  applyElementEdits(file.dataset, plan);
  applyMetaUid(file, mappings);
  hidePixelBoxes(file, plan.boxes);
}
