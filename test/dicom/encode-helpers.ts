/**
 * Hand-encoders for test input (PS3.5 7.1, PS3.10 7.1). Written independently of src/dicom/write.ts so that
 * reader tests do not depend on the writer under test, and so that tests can produce encodings the writer
 * would never emit (odd padding, wrong group lengths, defined-length items next to undefined-length ones).
 */
import { DicomDataset, type DicomFile, type ElementEncoding } from '../../src/dicom/index.js';

/** The VRs with a 12-byte explicit header (PS3.5 Table 7.1-1). */
const LONG = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

export const UNDEFINED = 0xffffffff;

export const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

export const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));

/** US values in the given byte order. */
export function us(values: number[], little = true): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const v = new DataView(out.buffer);
  values.forEach((n, i) => v.setUint16(i * 2, n, little));
  return out;
}

/** UL values in the given byte order. */
export function ul(values: number[], little = true): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const v = new DataView(out.buffer);
  values.forEach((n, i) => v.setUint32(i * 4, n, little));
  return out;
}

/** One encoded element: header and value exactly as given (no padding added). */
export function element(
  encoding: ElementEncoding,
  tag: number,
  vr: string,
  value: Uint8Array,
  length: number = value.length,
): Uint8Array {
  const little = encoding !== 'explicit-be';
  const explicit = encoding !== 'implicit-le';
  const long = explicit && LONG.has(vr);
  const head = new Uint8Array(explicit ? (long ? 12 : 8) : 8);
  const v = new DataView(head.buffer);
  v.setUint16(0, tag >>> 16, little);
  v.setUint16(2, tag & 0xffff, little);
  if (!explicit) v.setUint32(4, length, little);
  else {
    head[4] = vr.charCodeAt(0);
    head[5] = vr.charCodeAt(1);
    if (long) v.setUint32(8, length, little);
    else v.setUint16(6, length, little);
  }
  return concat(head, value);
}

/** An item/delimiter header (FFFE,xxxx) with a 32-bit length, in the given byte order. */
export function itemHeader(tag: number, length: number, little = true): Uint8Array {
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setUint16(0, tag >>> 16, little);
  v.setUint16(2, tag & 0xffff, little);
  v.setUint32(4, length, little);
  return out;
}

/** A sequence item: defined length, or undefined length with an Item Delimitation Item. */
export function item(body: Uint8Array, undefinedLength = false, little = true): Uint8Array {
  return undefinedLength
    ? concat(itemHeader(0xfffee000, UNDEFINED, little), body, itemHeader(0xfffee00d, 0, little))
    : concat(itemHeader(0xfffee000, body.length, little), body);
}

/** A sequence element of the given items: defined length, or undefined with a Sequence Delimitation Item. */
export function sequence(
  encoding: ElementEncoding,
  tag: number,
  items: Uint8Array[],
  undefinedLength = false,
): Uint8Array {
  const little = encoding !== 'explicit-be';
  const body = concat(...items);
  if (!undefinedLength) return element(encoding, tag, 'SQ', body);
  return concat(
    element(encoding, tag, 'SQ', new Uint8Array(0), UNDEFINED),
    body,
    itemHeader(0xfffee0dd, 0, little),
  );
}

/** Encapsulated Pixel Data (PS3.5 A.4): an empty Basic Offset Table, the fragments, the delimiter. */
export function encapsulated(fragments: Uint8Array[]): Uint8Array {
  return concat(
    element('explicit-le', 0x7fe00010, 'OB', new Uint8Array(0), UNDEFINED),
    itemHeader(0xfffee000, 0),
    ...fragments.map((f) => concat(itemHeader(0xfffee000, f.length), f)),
    itemHeader(0xfffee0dd, 0),
  );
}

/** A UI value padded with NUL to even length. */
export const uid = (text: string): Uint8Array => ascii(text.length % 2 ? `${text}\0` : text);

/** A preamble, `DICM` and a minimal meta group (with group length) for the transfer syntax. */
export function part10Header(transferSyntaxUid: string): Uint8Array {
  const body = concat(
    element('explicit-le', 0x00020001, 'OB', Uint8Array.of(0, 1)),
    element('explicit-le', 0x00020002, 'UI', uid('1.2.840.10008.5.1.4.1.1.7')),
    element('explicit-le', 0x00020003, 'UI', uid('1.2.3.4.5')),
    element('explicit-le', 0x00020010, 'UI', uid(transferSyntaxUid)),
  );
  return concat(
    new Uint8Array(128),
    ascii('DICM'),
    element('explicit-le', 0x00020000, 'UL', ul([body.length])),
    body,
  );
}

/** A whole Part 10 file around an already encoded data set. */
export function part10(transferSyntaxUid: string, dataset: Uint8Array): Uint8Array {
  return concat(part10Header(transferSyntaxUid), dataset);
}

/** A DicomFile for a data set built in memory, to be written with writeDicom. */
export function fileOf(
  dataset: DicomDataset,
  transferSyntaxUid: string,
  encoding: ElementEncoding,
): DicomFile {
  return {
    preamble: undefined,
    meta: new DicomDataset(),
    dataset,
    transferSyntaxUid,
    datasetEncoding: encoding,
    transferSyntaxSource: 'meta',
    path: undefined,
  };
}

/** Finds the first occurrence of `needle` in `haystack` from `from`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(
    Buffer.from(needle),
    from,
  );
}

/** A deterministic byte pattern (a linear congruential sequence from a fixed seed); no randomness. */
export function patternBytes(length: number, seed = 12345): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
