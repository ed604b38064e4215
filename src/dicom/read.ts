/**
 * The DICOM reader (PS3.10 file format, PS3.5 encoding). Parses every element eagerly but keeps values as
 * views into the file's bytes, so reading costs little more than the header walk. Bounded: every element
 * advances the offset, nesting depth is capped, and every length is checked against the bytes left.
 */
import { inflateRawSync } from 'node:zlib';
import { DicomParseError } from '../errors/index.js';
import { DicomDataset, DicomElement, type DicomFile, type ElementEncoding } from './dataset.js';
import { lookupPrivate, lookupTag } from './dictionary.js';
import { creatorTagOf, formatTag, groupOf, isPrivateTag, type Tag, Tags } from './tag.js';
import { lookupTransferSyntax, TS } from './transfer-syntax.js';
import { hasLongHeader, isVr, type Vr } from './vr.js';

const UNDEFINED_LENGTH = 0xffffffff;
/** Deeper nesting than this is treated as corrupt input rather than risking the stack. */
const MAX_DEPTH = 64;

/** Options for reading. */
export interface ReadOptions {
  /** Path used in error messages. */
  path?: string;
  /** Upper bound for the inflated size of a deflated data set (bounds work on hostile input). */
  maxInflatedBytes?: number;
  /** Stop before Pixel Data (7FE0,0010): for indexing headers only. */
  untilPixelData?: boolean;
}

interface Cursor {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly path: string | undefined;
  /** Where `bytes` starts in the file, so that errors report file offsets (0 except for deflated data). */
  readonly fileOffset: number;
  readonly untilPixelData: boolean;
}

const textOf = (bytes: Uint8Array, start: number, end: number): string => {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
};

function fail(c: Cursor, problem: string, offset: number, tag?: Tag): never {
  throw new DicomParseError(
    problem,
    c.path,
    c.fileOffset + offset,
    tag === undefined ? undefined : formatTag(tag),
  );
}

function readTag(c: Cursor, offset: number, little: boolean): Tag {
  const group = c.view.getUint16(offset, little);
  const element = c.view.getUint16(offset + 2, little);
  return ((group << 16) | element) >>> 0;
}

/** The VR an implicit-VR element gets: from the dictionary (private dictionary for private tags), else UN. */
function implicitVr(tag: Tag, dataset: DicomDataset, pixelRepresentation: number): Vr {
  let vr: string | undefined;
  if (isPrivateTag(tag)) {
    const creatorTag = creatorTagOf(tag);
    if (creatorTag === undefined) vr = (tag & 0xffff) === 0 ? 'UL' : 'LO';
    else {
      const creator = dataset.get(creatorTag)?.value;
      if (creator) vr = lookupPrivate(textOf(creator, 0, creator.length).replace(/[\0 ]+$/, ''), tag)?.vr;
    }
  } else {
    vr = lookupTag(tag)?.vr;
  }
  return resolveAmbiguousVr(vr ?? 'UN', tag, pixelRepresentation);
}

/** PS3.6 lists some VRs as alternatives; pick the one the data set implies. */
export function resolveAmbiguousVr(vr: string, tag: Tag, pixelRepresentation: number): Vr {
  if (isVr(vr)) return vr;
  if (vr.includes('SS')) return pixelRepresentation === 1 ? 'SS' : 'US';
  if (vr.startsWith('OB or OW') || vr === 'OW or OB') return tag === Tags.PixelData ? 'OW' : 'OB';
  if (vr.includes('OW')) return 'OW';
  return 'UN';
}

interface ParseState {
  readonly c: Cursor;
  readonly explicit: boolean;
  readonly little: boolean;
  readonly encoding: ElementEncoding;
  readonly depth: number;
}

const encodingOf = (explicit: boolean, little: boolean): ElementEncoding =>
  explicit ? (little ? 'explicit-le' : 'explicit-be') : 'implicit-le';

/**
 * Parses elements from `offset` until `end`, or, when `untilItemDelimiter`, until an Item Delimitation Item.
 * Returns the offset after the last byte consumed (after the delimiter if one was read).
 */
function parseElements(
  s: ParseState,
  dataset: DicomDataset,
  offset: number,
  end: number,
  untilItemDelimiter: boolean,
  stopBeforeGroup?: (group: number) => boolean,
): number {
  const { c } = s;
  const pixelRepresentation = (): number => {
    const pr = dataset.get(Tags.PixelRepresentation)?.value;
    return pr && pr.length >= 2 ? c.view.getUint16(pr.byteOffset - c.bytes.byteOffset, s.little) : 0;
  };
  while (offset < end) {
    if (end - offset < 8) {
      if (untilItemDelimiter) fail(c, `truncated element header (${end - offset} bytes left)`, offset);
      // Trailing padding shorter than a header: pydicom and dcmtk ignore it; so do we.
      return end;
    }
    const start = offset;
    const tag = readTag(c, offset, s.little);
    if (stopBeforeGroup && stopBeforeGroup(groupOf(tag))) return offset;
    if (c.untilPixelData && tag === Tags.PixelData && s.depth === 0) return offset;
    if (tag === Tags.ItemDelimitationItem) {
      if (!untilItemDelimiter) fail(c, 'unexpected Item Delimitation Item', offset, tag);
      return offset + 8;
    }
    if (tag === Tags.SequenceDelimitationItem) {
      // A stray sequence delimiter at the top level (seen in the wild) is tolerated as end of data.
      if (s.depth === 0 && !untilItemDelimiter) return offset + 8;
      fail(c, 'unexpected Sequence Delimitation Item', offset, tag);
    }
    let vr: Vr;
    let length: number;
    let vrExplicit = s.explicit;
    if (s.explicit) {
      const code = textOf(c.bytes, offset + 4, offset + 6);
      if (!isVr(code)) {
        fail(c, `invalid VR ${JSON.stringify(code)}`, offset + 4, tag);
      }
      vr = code;
      if (hasLongHeader(vr)) {
        if (end - offset < 12) fail(c, 'truncated element header', offset, tag);
        length = c.view.getUint32(offset + 8, s.little);
        offset += 12;
      } else {
        length = c.view.getUint16(offset + 6, s.little);
        offset += 8;
      }
    } else {
      vr = implicitVr(tag, dataset, pixelRepresentation());
      vrExplicit = false;
      length = c.view.getUint32(offset + 4, true);
      offset += 8;
    }
    const element = parseValue(s, tag, vr, vrExplicit, length, start, offset, end);
    offset = element.next;
    dataset.appendParsed(element.element);
  }
  if (untilItemDelimiter) fail(c, 'item has no Item Delimitation Item before the end of its container', end);
  return offset;
}

function parseValue(
  s: ParseState,
  tag: Tag,
  vr: Vr,
  vrExplicit: boolean,
  length: number,
  start: number,
  valueStart: number,
  end: number,
): { element: DicomElement; next: number } {
  const { c } = s;
  let element: DicomElement;
  let next: number;
  if (length === UNDEFINED_LENGTH) {
    const isPixelLike = tag === Tags.PixelData || vr === 'OB' || vr === 'OW';
    if (vr === 'SQ' || (vr === 'UN' && vrExplicit) || (!vrExplicit && !isPixelLike)) {
      // An undefined-length UN holds a sequence in Implicit VR Little Endian (PS3.5 6.2.2 note 4).
      const inner =
        vr === 'SQ' && vrExplicit
          ? s
          : { ...s, explicit: false, little: true, encoding: 'implicit-le' as const };
      const items: DicomDataset[] = [];
      next = parseItems(inner, items, valueStart, end, true, tag);
      element = new DicomElement(tag, vr === 'UN' && !vrExplicit ? 'SQ' : vr, undefined, items);
    } else {
      const fragments: Uint8Array[] = [];
      next = parseFragments(s, fragments, valueStart, end, tag);
      // Encapsulated data is OB (PS3.5 A.4); implicit VR cannot say so and the dictionary says "OB or OW".
      element = new DicomElement(
        tag,
        vr === 'UN' || !vrExplicit ? 'OB' : vr,
        undefined,
        undefined,
        fragments,
      );
    }
    element.undefinedLength = true;
  } else {
    if (length > end - valueStart) {
      fail(c, `value length ${length} exceeds the ${end - valueStart} bytes left`, start, tag);
    }
    next = valueStart + length;
    if (vr === 'SQ') {
      const items: DicomDataset[] = [];
      parseItems(s, items, valueStart, next, false, tag);
      element = new DicomElement(tag, vr, undefined, items);
    } else if (vr === 'UN' && vrExplicit && lookupTag(tag)?.vr === 'SQ') {
      // A sequence stored as UN holds its items in Implicit VR Little Endian (PS3.5 6.2.2). pydicom parses
      // them (so the MIDI-B script indexes their elements, rtdose_rle.dcm), and their PHI must be reachable;
      // the element keeps its raw bytes and VR UN. Bytes that are not items stay an opaque UN value.
      element = parseUnSequence(s, tag, valueStart, next);
    } else {
      element = new DicomElement(tag, vr, c.bytes.subarray(valueStart, next));
      element.bigEndian = !s.little;
    }
  }
  element.raw = c.bytes.subarray(start, next);
  element.rawEncoding = s.encoding;
  return { element, next };
}

/** The items of a defined-length UN sequence, or the plain UN value when its bytes are not items. */
function parseUnSequence(s: ParseState, tag: Tag, valueStart: number, end: number): DicomElement {
  const items: DicomDataset[] = [];
  try {
    parseItems(
      { ...s, explicit: false, little: true, encoding: 'implicit-le' },
      items,
      valueStart,
      end,
      false,
      tag,
    );
    return new DicomElement(tag, 'UN', undefined, items);
  } catch (error) {
    if (!(error instanceof DicomParseError) || /nested deeper/.test(error.problem)) throw error;
    const element = new DicomElement(tag, 'UN', s.c.bytes.subarray(valueStart, end));
    element.bigEndian = !s.little;
    return element;
  }
}

/** Parses sequence items from `offset`; returns the offset after the sequence (after its delimiter if any). */
function parseItems(
  s: ParseState,
  items: DicomDataset[],
  offset: number,
  end: number,
  undefinedLength: boolean,
  sequenceTag: Tag,
): number {
  const { c } = s;
  if (s.depth >= MAX_DEPTH) fail(c, `sequences nested deeper than ${MAX_DEPTH}`, offset, sequenceTag);
  const inner: ParseState = { ...s, depth: s.depth + 1 };
  while (offset < end) {
    if (end - offset < 8) fail(c, 'truncated item header', offset, sequenceTag);
    const tag = readTag(c, offset, s.little);
    const length = c.view.getUint32(offset + 4, s.little);
    if (tag === Tags.SequenceDelimitationItem) {
      if (!undefinedLength)
        fail(c, 'Sequence Delimitation Item inside a defined-length sequence', offset, sequenceTag);
      return offset + 8;
    }
    if (tag !== Tags.Item)
      fail(c, `expected an Item (FFFE,E000) in sequence, found ${formatTag(tag)}`, offset, sequenceTag);
    const itemStart = offset;
    const item = new DicomDataset();
    if (length === UNDEFINED_LENGTH) {
      offset = parseElements(inner, item, offset + 8, end, true);
      item.undefinedLength = true;
    } else {
      if (length > end - offset - 8)
        fail(c, `item length ${length} exceeds the ${end - offset - 8} bytes left`, offset, sequenceTag);
      parseElements(inner, item, offset + 8, offset + 8 + length, false);
      offset = offset + 8 + length;
    }
    item.raw = c.bytes.subarray(itemStart, offset);
    item.rawEncoding = s.encoding;
    items.push(item);
  }
  if (undefinedLength)
    fail(c, 'sequence has no Sequence Delimitation Item before the end of its container', end, sequenceTag);
  return offset;
}

/** Parses encapsulated pixel data items (PS3.5 A.4) until the Sequence Delimitation Item. */
function parseFragments(
  s: ParseState,
  fragments: Uint8Array[],
  offset: number,
  end: number,
  tag: Tag,
): number {
  const { c } = s;
  while (offset + 8 <= end) {
    const itemTag = readTag(c, offset, s.little);
    const length = c.view.getUint32(offset + 4, s.little);
    if (itemTag === Tags.SequenceDelimitationItem) return offset + 8;
    if (itemTag !== Tags.Item)
      fail(c, `corrupt encapsulated pixel data: expected an Item, found ${formatTag(itemTag)}`, offset, tag);
    if (length === UNDEFINED_LENGTH || length > end - offset - 8) {
      fail(
        c,
        `corrupt encapsulated pixel data: fragment length ${length} exceeds the ${end - offset - 8} bytes left`,
        offset,
        tag,
      );
    }
    fragments.push(c.bytes.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  fail(c, 'encapsulated pixel data has no Sequence Delimitation Item (truncated)', offset, tag);
}

/** Reads the string value of a meta element (trailing NUL/space removed). */
function metaString(meta: DicomDataset, tag: Tag): string | undefined {
  const v = meta.get(tag)?.value;
  return v ? textOf(v, 0, v.length).replace(/[\0 ]+$/, '') : undefined;
}

/** Infers the encoding of a data set without a meta group from its first element (PS3.5 rules). */
function inferEncoding(bytes: Uint8Array, offset: number): { explicit: boolean; little: boolean } {
  if (bytes.length - offset < 8) return { explicit: false, little: true };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vr = textOf(bytes, offset + 4, offset + 6);
  const groupLe = view.getUint16(offset, true);
  const groupBe = view.getUint16(offset, false);
  if (isVr(vr)) {
    // Data sets start with low groups (0002, 0008); the byte order whose group number is small wins.
    return { explicit: true, little: groupLe <= groupBe };
  }
  return { explicit: false, little: true };
}

const TS_OF = (explicit: boolean, little: boolean): string =>
  !explicit ? TS.ImplicitVRLittleEndian : little ? TS.ExplicitVRLittleEndian : TS.ExplicitVRBigEndian;

/** Parses a DICOM file held in memory. Throws DicomParseError naming the file, offset and problem. */
export function parseDicom(bytes: Uint8Array, options: ReadOptions = {}): DicomFile {
  const path = options.path;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const base: Cursor = { bytes, view, path, fileOffset: 0, untilPixelData: options.untilPixelData ?? false };
  let offset = 0;
  let preamble: Uint8Array | undefined;
  if (bytes.length >= 132 && textOf(bytes, 128, 132) === 'DICM') {
    preamble = bytes.subarray(0, 128);
    offset = 132;
  } else if (bytes.length >= 4 && textOf(bytes, 0, 4) === 'DICM') {
    offset = 4; // prefix without preamble: tolerated
  }
  const meta = new DicomDataset();
  // The meta group is Explicit VR Little Endian (PS3.10 7.1), present if the first group is 0002.
  if (bytes.length - offset >= 8 && view.getUint16(offset, true) === 0x0002) {
    const metaExplicit = isVr(textOf(bytes, offset + 4, offset + 6));
    const metaState: ParseState = {
      c: base,
      explicit: metaExplicit,
      little: true,
      encoding: metaExplicit ? 'explicit-le' : 'implicit-le',
      depth: 0,
    };
    offset = parseElements(metaState, meta, offset, bytes.length, false, (g) => g !== 0x0002);
  } else if (!preamble && bytes.length - offset >= 8) {
    // Checked where the data set starts: after a bare `DICM` prefix, not at byte 0 (which holds `DI`).
    const first = inferEncoding(bytes, offset);
    const group = view.getUint16(offset, first.little);
    if (group > 0x0008 && group !== 0x0010 && group !== 0x0020) {
      // Not a plausible DICOM data set start, and no DICM marker: almost certainly not DICOM at all.
      fail(base, 'not a DICOM file: no DICM marker and no plausible first element', 0);
    }
  } else if (!preamble) {
    fail(base, 'not a DICOM file: too short', 0);
  }

  let transferSyntaxUid: string | undefined = metaString(meta, Tags.TransferSyntaxUID);
  let transferSyntaxSource: DicomFile['transferSyntaxSource'] = 'meta';
  let explicit: boolean;
  let little: boolean;
  const known = transferSyntaxUid ? lookupTransferSyntax(transferSyntaxUid) : undefined;
  if (known) {
    explicit = known.explicitVr;
    little = known.littleEndian;
  } else {
    if (transferSyntaxUid && !known) {
      fail(base, `unknown transfer syntax ${transferSyntaxUid}`, 0);
    }
    ({ explicit, little } = inferEncoding(bytes, offset));
    transferSyntaxUid = TS_OF(explicit, little);
    transferSyntaxSource = 'inferred';
  }
  if (offset >= bytes.length && meta.size === 0) fail(base, 'not a DICOM file: no data set', offset);
  if (known && !known.deflated && bytes.length - offset >= 8) {
    // Trust the bytes over the UID when they disagree on VR explicitness, as pydicom and dcmtk do.
    const seen = inferEncoding(bytes, offset);
    if (seen.explicit !== explicit) {
      explicit = seen.explicit;
      little = seen.little;
    }
  }

  let cursor = base;
  let start = offset;
  if (known?.deflated) {
    let inflated: Buffer;
    try {
      inflated = inflateRawSync(bytes.subarray(offset), {
        maxOutputLength: options.maxInflatedBytes ?? 2 ** 31 - 1,
      });
    } catch (error) {
      fail(base, `deflated data set cannot be inflated (${(error as Error).message})`, offset);
    }
    const inflatedBytes = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
    cursor = {
      bytes: inflatedBytes,
      view: new DataView(inflatedBytes.buffer, inflatedBytes.byteOffset, inflatedBytes.byteLength),
      path,
      fileOffset: offset,
      untilPixelData: base.untilPixelData,
    };
    start = 0;
  }
  const dataset = new DicomDataset();
  const state: ParseState = { c: cursor, explicit, little, encoding: encodingOf(explicit, little), depth: 0 };
  parseElements(state, dataset, start, cursor.bytes.length, false);
  if (dataset.size === 0 && meta.size === 0) fail(base, 'not a DICOM file: no elements', offset);
  return {
    preamble,
    meta,
    dataset,
    transferSyntaxUid: transferSyntaxUid!,
    datasetEncoding: state.encoding,
    transferSyntaxSource,
    path,
  };
}
