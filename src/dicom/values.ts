/** Reading and writing element values by VR: strings with their character set, binary numbers, tags. */
import { DicomValueError } from '../errors/index.js';
import { codecFor, parseSpecificCharacterSet, type TextCodec } from './charset.js';
import { DicomDataset, DicomElement } from './dataset.js';
import { lookupTag } from './dictionary.js';
import { formatTag, Tags, type Tag } from './tag.js';
import { isMultiValueString, isStringVr, numberSize, usesSpecificCharacterSet, type Vr } from './vr.js';
import { validateStringValue } from './validate.js';

/** The text codec in force for a data set: its own Specific Character Set, else its enclosing item's. */
export function textCodecOf(dataset: DicomDataset): TextCodec {
  for (let d: DicomDataset | undefined = dataset; d; d = d.parent?.dataset) {
    const own = d.get(Tags.SpecificCharacterSet);
    if (own?.value) {
      const text = asciiText(own.value);
      let codec = codecsByValue.get(text);
      if (!codec) {
        codec = codecFor(parseSpecificCharacterSet(text.replace(/[\0 ]+$/, '')));
        codecsByValue.set(text, codec);
      }
      return codec;
    }
  }
  return codecFor(['']);
}

/** Codecs by the stored Specific Character Set value: every element of a data set asks for one. */
const codecsByValue = new Map<string, TextCodec>();

/** Bytes as ISO 8859-1 text (for default-repertoire VRs). */
export function asciiText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** The whole string value of an element, decoded, with trailing padding (space, NUL) removed. */
export function readText(element: DicomElement, codec: TextCodec): string {
  const bytes = element.value ?? new Uint8Array(0);
  const text = usesSpecificCharacterSet(element.vr) ? codec.decode(bytes, element.vr) : asciiText(bytes);
  return text.replace(/[\0 ]+$/, '');
}

/** The values of a string element, split at backslashes where the VR is multi-valued. */
export function readStrings(element: DicomElement, codec: TextCodec): string[] {
  const text = readText(element, codec);
  if (text === '') return [];
  return isMultiValueString(element.vr) ? text.split('\\') : [text];
}

const view = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** The values of a binary-number element (US, SS, UL, SL, FL, FD, SV, UV; AT as tag numbers). */
export function readNumbers(element: Pick<DicomElement, 'value' | 'vr' | 'bigEndian'>): number[] {
  const bytes = element.value;
  const size = numberSize(element.vr);
  if (!bytes || !size) return [];
  const v = view(bytes);
  const little = !element.bigEndian;
  const out: number[] = [];
  for (let i = 0; i + size <= bytes.length; i += size) {
    switch (element.vr) {
      case 'US':
        out.push(v.getUint16(i, little));
        break;
      case 'SS':
        out.push(v.getInt16(i, little));
        break;
      case 'UL':
        out.push(v.getUint32(i, little));
        break;
      case 'SL':
        out.push(v.getInt32(i, little));
        break;
      case 'FL':
        out.push(v.getFloat32(i, little));
        break;
      case 'FD':
        out.push(v.getFloat64(i, little));
        break;
      case 'SV':
        out.push(Number(v.getBigInt64(i, little)));
        break;
      case 'UV':
        out.push(Number(v.getBigUint64(i, little)));
        break;
      case 'AT':
        out.push(((v.getUint16(i, little) << 16) | v.getUint16(i + 2, little)) >>> 0);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Encodes string values for a VR: joined with backslash, charset-encoded, padded to even length. */
export function encodeStrings(vr: Vr, values: readonly string[], codec: TextCodec, tag: Tag): Uint8Array {
  for (const v of values) validateStringValue(vr, v, tag);
  const joined = values.join('\\');
  if (values.length > 1 && !isMultiValueString(vr)) {
    throw new DicomValueError('cannot hold more than one value', formatTag(tag), vr, joined);
  }
  let bytes: Uint8Array;
  try {
    bytes = usesSpecificCharacterSet(vr) ? codec.encode(joined, vr) : codecFor(['']).encode(joined);
  } catch (error) {
    throw new DicomValueError((error as Error).message, formatTag(tag), vr, joined);
  }
  if (bytes.length % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  padded[bytes.length] = vr === 'UI' ? 0 : 0x20;
  return padded;
}

/** Integer VRs and the values they can hold (PS3.5 Table 6.2-1). */
const INTEGER_RANGE: Partial<Record<Vr, readonly [number, number]>> = {
  US: [0, 0xffff],
  SS: [-0x8000, 0x7fff],
  UL: [0, 0xffffffff],
  SL: [-0x80000000, 0x7fffffff],
  AT: [0, 0xffffffff],
};

/** Encodes binary numbers for a VR in little endian. */
export function encodeNumbers(vr: Vr, values: readonly number[]): Uint8Array {
  const size = numberSize(vr);
  if (!size) throw new Error(`${vr} is not a binary-number VR`);
  const range = INTEGER_RANGE[vr];
  if (range) {
    const bad = values.find((n) => !Number.isInteger(n) || n < range[0] || n > range[1]);
    // A value outside the VR would wrap silently in the typed-array write: refuse it instead.
    if (bad !== undefined)
      throw new DicomValueError(`is outside ${vr} [${range[0]}, ${range[1]}]`, vr, vr, String(bad));
  }
  const out = new Uint8Array(size * values.length);
  const v = view(out);
  values.forEach((n, k) => {
    const i = k * size;
    switch (vr) {
      case 'US':
        v.setUint16(i, n, true);
        break;
      case 'SS':
        v.setInt16(i, n, true);
        break;
      case 'UL':
        v.setUint32(i, n, true);
        break;
      case 'SL':
        v.setInt32(i, n, true);
        break;
      case 'FL':
        v.setFloat32(i, n, true);
        break;
      case 'FD':
        v.setFloat64(i, n, true);
        break;
      case 'SV':
        v.setBigInt64(i, BigInt(n), true);
        break;
      case 'UV':
        v.setBigUint64(i, BigInt(n), true);
        break;
      case 'AT':
        v.setUint16(i, n >>> 16, true);
        v.setUint16(i + 2, n & 0xffff, true);
        break;
      default:
        break;
    }
  });
  return out;
}

/** The dictionary VR of a standard tag, resolved to a single VR; throws for unknown tags. */
export function dictionaryVr(tag: Tag): Vr {
  const vr = lookupTag(tag)?.vr;
  if (!vr) throw new Error(`no dictionary VR for ${formatTag(tag)}; pass the VR explicitly`);
  if (vr.includes(' or '))
    return vr.startsWith('US') ? 'US' : vr.startsWith('OB') ? 'OB' : (vr.slice(0, 2) as Vr);
  return vr as Vr;
}

/** Sets a string element (validated against its VR; the dictionary VR unless one is given). */
export function setStrings(
  dataset: DicomDataset,
  tag: Tag,
  values: string | readonly string[],
  vr?: Vr,
): DicomElement {
  const resolved = vr ?? dictionaryVr(tag);
  if (!isStringVr(resolved)) throw new Error(`${formatTag(tag)} has VR ${resolved}, not a string VR`);
  const list = typeof values === 'string' ? (values === '' ? [] : [values]) : values;
  const bytes = encodeStrings(resolved, list, textCodecOf(dataset), tag);
  return dataset.put(new DicomElement(tag, resolved, bytes));
}

/** Sets a binary-number element. */
export function setNumbers(
  dataset: DicomDataset,
  tag: Tag,
  values: number | readonly number[],
  vr?: Vr,
): DicomElement {
  const resolved = vr ?? dictionaryVr(tag);
  const list = typeof values === 'number' ? [values] : values;
  return dataset.put(new DicomElement(tag, resolved, encodeNumbers(resolved, list)));
}

/** Sets a byte-valued element (OB, OW, UN, ...), given little-endian bytes. */
export function setBytes(dataset: DicomDataset, tag: Tag, bytes: Uint8Array, vr?: Vr): DicomElement {
  return dataset.put(new DicomElement(tag, vr ?? dictionaryVr(tag), bytes));
}

/** Reads a string attribute (first value), or undefined when absent or empty. */
export function getString(dataset: DicomDataset, tag: Tag): string | undefined {
  const element = dataset.get(tag);
  if (!element?.value) return undefined;
  const text = readText(element, textCodecOf(dataset));
  return text === '' ? undefined : isMultiValueString(element.vr) ? text.split('\\')[0] : text;
}

/** Reads the first number of a binary or numeric-string (IS, DS) attribute. */
export function getNumber(dataset: DicomDataset, tag: Tag): number | undefined {
  const element = dataset.get(tag);
  if (!element?.value) return undefined;
  if (element.vr === 'IS' || element.vr === 'DS') {
    const first = readStrings(element, textCodecOf(dataset))[0];
    return first === undefined ? undefined : Number(first);
  }
  return readNumbers(element)[0];
}
