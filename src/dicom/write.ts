/**
 * The DICOM writer. Elements and items that were not edited, and are written in the encoding they were
 * read in, are copied byte for byte from the source; only edited paths are encoded anew.
 */
import { deflateRawSync } from 'node:zlib';
import { DicomDataset, DicomElement, type DicomFile, type ElementEncoding } from './dataset.js';
import { elementOf, groupOf, Tags, type Tag } from './tag.js';
import { lookupTransferSyntax, TS } from './transfer-syntax.js';
import { byteSwapUnit, hasLongHeader, type Vr } from './vr.js';
import { PseudophiError } from '../errors/index.js';

/** Implementation Class UID of pseudophi, written only where a source lacks one (2.25 UUID-derived root, PS3.5 B.2). */
export const IMPLEMENTATION_CLASS_UID = '2.25.141793465231620863203958839516212093261';

const UNDEFINED_LENGTH = 0xffffffff;

interface Target {
  readonly encoding: ElementEncoding;
  readonly explicit: boolean;
  readonly little: boolean;
}

const targetOf = (encoding: ElementEncoding): Target => ({
  encoding,
  explicit: encoding !== 'implicit-le',
  little: encoding !== 'explicit-be',
});

/** Collects output chunks and their total length without copying until the end. */
class Sink {
  readonly chunks: Uint8Array[] = [];
  length = 0;
  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }
  /** The chunks in one buffer: a new one, or `allocate(length)`'s, which must be exactly that long. */
  concat(allocate?: (length: number) => Uint8Array): Uint8Array {
    if (!allocate) return Buffer.concat(this.chunks, this.length);
    const out = allocate(this.length);
    if (out.length !== this.length)
      throw new PseudophiError(`output buffer of ${out.length} bytes for ${this.length} bytes of file`);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

/**
 * Puts the low `size` bytes of an unsigned number at `at`, in the target's byte order (as DataView's
 * setUint16/setUint32 would; written byte by byte because a small array's `.buffer`, which a DataView
 * needs, costs an allocation of its own).
 */
function putUint(out: Uint8Array, at: number, n: number, size: 2 | 4, little: boolean): void {
  for (let i = 0; i < size; i++) out[at + i] = (n >>> (8 * (little ? i : size - 1 - i))) & 0xff;
}

function header(tag: Tag, vr: Vr | undefined, length: number, t: Target): Uint8Array {
  const long = vr === undefined || !t.explicit || hasLongHeader(vr);
  const size = vr === undefined || !t.explicit ? 8 : long ? 12 : 8;
  const out = new Uint8Array(size);
  putUint(out, 0, groupOf(tag), 2, t.little);
  putUint(out, 2, elementOf(tag), 2, t.little);
  if (vr === undefined || !t.explicit) {
    putUint(out, 4, length, 4, t.little);
  } else {
    out[4] = vr.charCodeAt(0);
    out[5] = vr.charCodeAt(1);
    if (long) putUint(out, 8, length, 4, t.little);
    else putUint(out, 6, length, 2, t.little);
  }
  return out;
}

/** Returns value bytes in the target byte order (a copy only when a swap is needed). */
function valueInOrder(element: DicomElement, t: Target): Uint8Array {
  const value = element.value!;
  const unit = byteSwapUnit(element.vr);
  if (element.bigEndian === !t.little || unit === 1) return value;
  const out = new Uint8Array(value.length);
  const whole = value.length - (value.length % unit);
  for (let i = 0; i < whole; i += unit) for (let j = 0; j < unit; j++) out[i + j] = value[i + unit - 1 - j]!;
  out.set(value.subarray(whole), whole);
  return out;
}

function writeItems(items: readonly DicomDataset[], t: Target, sink: Sink): void {
  for (const item of items) {
    if (item.raw && item.rawEncoding === t.encoding) {
      sink.push(item.raw);
      continue;
    }
    const body = new Sink();
    writeElements(item, t, body);
    if (item.undefinedLength) {
      sink.push(header(Tags.Item, undefined, UNDEFINED_LENGTH, t));
      for (const c of body.chunks) sink.push(c);
      sink.push(header(Tags.ItemDelimitationItem, undefined, 0, t));
    } else {
      sink.push(header(Tags.Item, undefined, body.length, t));
      for (const c of body.chunks) sink.push(c);
    }
  }
}

function writeElement(element: DicomElement, t: Target, sink: Sink): void {
  if (element.raw && element.rawEncoding === t.encoding) {
    sink.push(element.raw);
    return;
  }
  const { tag } = element;
  if (element.items) {
    const body = new Sink();
    writeItems(element.items, t, body);
    // A sequence read as UN (implicit VR inside explicit) is written as the SQ it is.
    if (element.undefinedLength) {
      sink.push(header(tag, 'SQ', UNDEFINED_LENGTH, t));
      for (const c of body.chunks) sink.push(c);
      sink.push(header(Tags.SequenceDelimitationItem, undefined, 0, t));
    } else {
      sink.push(header(tag, 'SQ', body.length, t));
      for (const c of body.chunks) sink.push(c);
    }
    return;
  }
  if (element.fragments) {
    sink.push(header(tag, element.vr === 'OW' ? 'OW' : 'OB', UNDEFINED_LENGTH, t));
    for (const fragment of element.fragments) {
      sink.push(header(Tags.Item, undefined, fragment.length, t));
      sink.push(fragment);
    }
    sink.push(header(Tags.SequenceDelimitationItem, undefined, 0, t));
    return;
  }
  const value = valueInOrder(element, t);
  // A value too long for a 16-bit length cannot keep a short-header VR in explicit VR; UN can carry it.
  const vr = t.explicit && !hasLongHeader(element.vr) && value.length > 0xffff ? 'UN' : element.vr;
  sink.push(header(tag, vr, value.length, t));
  sink.push(value);
}

function writeElements(dataset: DicomDataset, t: Target, sink: Sink): void {
  const elements = dataset.elements;
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]!;
    const group = groupOf(element.tag);
    if (
      elementOf(element.tag) === 0x0000 &&
      element.value?.length === 4 &&
      dataset.modifiedGroups.has(group)
    ) {
      // A group length of an edited group is recomputed from the encoded group (PS3.5 7.2).
      const groupSink = new Sink();
      let j = i + 1;
      for (; j < elements.length && groupOf(elements[j]!.tag) === group; j++)
        writeElement(elements[j]!, t, groupSink);
      const length = new Uint8Array(4);
      putUint(length, 0, groupSink.length, 4, t.little);
      sink.push(header(element.tag, 'UL', 4, t));
      sink.push(length);
      for (const c of groupSink.chunks) sink.push(c);
      i = j - 1;
      continue;
    }
    writeElement(element, t, sink);
  }
}

/** Encodes a data set alone (no preamble or meta) in the given encoding. */
export function encodeDataset(dataset: DicomDataset, encoding: ElementEncoding): Uint8Array {
  const sink = new Sink();
  writeElements(dataset, targetOf(encoding), sink);
  return sink.concat();
}

/** The encoding a transfer syntax requires for its data set. */
export function encodingOfTransferSyntax(uid: string): ElementEncoding {
  const ts = lookupTransferSyntax(uid);
  if (!ts) throw new PseudophiError(`cannot write unknown transfer syntax ${uid}`);
  return !ts.explicitVr ? 'implicit-le' : ts.littleEndian ? 'explicit-le' : 'explicit-be';
}

function asciiValue(text: string, padWithNul: boolean): Uint8Array {
  const padded = text.length % 2 === 1 ? text + (padWithNul ? '\0' : ' ') : text;
  return Uint8Array.from(padded, (ch) => ch.charCodeAt(0));
}

/**
 * Completes the file meta group for writing: the Transfer Syntax UID of the output, and, for a source
 * without a meta group, the required elements (PS3.10 7.1), taken from the data set.
 */
function prepareMeta(file: DicomFile, transferSyntaxUid: string): DicomDataset {
  const meta = file.meta;
  const setUi = (tag: Tag, uid: string): void => {
    const current = meta.get(tag)?.value;
    const next = asciiValue(uid, true);
    if (current && Buffer.compare(current, next) === 0) return;
    meta.put(new DicomElement(tag, 'UI', next));
  };
  if (!meta.has(Tags.FileMetaInformationVersion)) {
    meta.put(new DicomElement(Tags.FileMetaInformationVersion, 'OB', Uint8Array.of(0, 1)));
  }
  const uidOf = (tag: Tag): string | undefined => {
    const v = file.dataset.get(tag)?.value;
    return v
      ? Buffer.from(v)
          .toString('latin1')
          .replace(/[\0 ]+$/, '')
      : undefined;
  };
  const sopClass = uidOf(Tags.SOPClassUID);
  const sopInstance = uidOf(Tags.SOPInstanceUID);
  if (!meta.has(Tags.MediaStorageSOPClassUID) && sopClass) setUi(Tags.MediaStorageSOPClassUID, sopClass);
  if (!meta.has(Tags.MediaStorageSOPInstanceUID) && sopInstance)
    setUi(Tags.MediaStorageSOPInstanceUID, sopInstance);
  setUi(Tags.TransferSyntaxUID, transferSyntaxUid);
  if (!meta.has(Tags.ImplementationClassUID)) setUi(Tags.ImplementationClassUID, IMPLEMENTATION_CLASS_UID);
  // The group length is always recomputed: it must cover exactly the elements written.
  if (!meta.has(Tags.FileMetaInformationGroupLength)) {
    meta.put(new DicomElement(Tags.FileMetaInformationGroupLength, 'UL', new Uint8Array(4)));
  }
  meta.modifiedGroups.add(0x0002);
  return meta;
}

/** A new file around a data set built in memory, to be encoded in the given transfer syntax. */
export function createDicomFile(
  dataset: DicomDataset,
  transferSyntaxUid: string = TS.ExplicitVRLittleEndian,
): DicomFile {
  return {
    preamble: undefined,
    meta: new DicomDataset(),
    dataset,
    transferSyntaxUid,
    datasetEncoding: encodingOfTransferSyntax(transferSyntaxUid),
    transferSyntaxSource: 'meta',
    path: undefined,
  };
}

/** Options for writing a file. */
export interface WriteOptions {
  /** Output transfer syntax; defaults to the one the file was read in (or set by a pixel change). */
  transferSyntaxUid?: string;
  /**
   * Gives the buffer the file is encoded into, exactly `length` bytes long (default: a new one). A caller
   * writing many files reuses buffers this way: a fresh one per file costs page faults on every write.
   */
  allocate?: (length: number) => Uint8Array;
}

/**
 * Encodes a DICOM Part 10 file: preamble (the source's, or zeros), `DICM`, the meta group in Explicit VR
 * Little Endian, then the data set in the transfer syntax (deflated if it says so).
 */
export function writeDicom(file: DicomFile, options: WriteOptions = {}): Uint8Array {
  const transferSyntaxUid = options.transferSyntaxUid ?? file.transferSyntaxUid;
  const ts = lookupTransferSyntax(transferSyntaxUid);
  if (!ts) throw new PseudophiError(`cannot write unknown transfer syntax ${transferSyntaxUid}`);
  const meta = prepareMeta(file, transferSyntaxUid);
  const sink = new Sink();
  sink.push(file.preamble ?? new Uint8Array(128));
  sink.push(Uint8Array.from('DICM', (c) => c.charCodeAt(0)));
  writeElements(meta, targetOf('explicit-le'), sink);
  // A source whose data set contradicts its transfer syntax (implicit VR under an explicit UID, seen in
  // the wild) is written back as it was read, unless its transfer syntax is being changed.
  const encoding =
    transferSyntaxUid === file.transferSyntaxUid
      ? file.datasetEncoding
      : encodingOfTransferSyntax(transferSyntaxUid);
  if (ts.deflated) {
    const deflated = deflateRawSync(encodeDataset(file.dataset, encoding));
    sink.push(new Uint8Array(deflated.buffer, deflated.byteOffset, deflated.byteLength));
  } else {
    // Straight into the file's chunks: the data set (pixels included) is copied once, not twice.
    writeElements(file.dataset, targetOf(encoding), sink);
  }
  return sink.concat(options.allocate);
}

export { TS };
