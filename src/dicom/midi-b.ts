/**
 * How the MIDI-B validation script sees a file: every element (sequences, items and private elements
 * included) by its `tag_ds` path, with `str(value).strip()` as pydicom 2.x prints it. The printing rules
 * (which VRs split at backslashes, which padding is stripped, Python's repr of lists, bytes and floats)
 * follow pydicom's value converters; test/interop checks them against pydicom itself.
 */
import type { DicomDataset, DicomElement } from './dataset.js';
import { lookupPrivate, nameOf } from './dictionary.js';
import { formatRef, indexedCreatorOf, type ElementPath, type ElementRef } from './paths.js';
import { elementOf, groupOf, isPrivateTag, type Tag } from './tag.js';
import { asciiText, readNumbers, textCodecOf } from './values.js';
import { lookupTag } from './dictionary.js';
import { resolveAmbiguousVr } from './read.js';
import type { TextCodec } from './charset.js';
import type { Vr } from './vr.js';

/** One indexed element. */
export interface IndexedElement {
  path: ElementPath;
  /** The path as the script writes `tag_ds`, without the outer wrapping it adds nothing to. */
  pathText: string;
  tag: Tag;
  vr: Vr;
  /** pydicom's dictionary name: `Accession Number`, `[Suite id]`, `Private tag data`. */
  name: string;
  privateCreator: string | undefined;
  /** The value the script stores, without its `<` `>` wrapping: `DOE^JOHN`, `['ORIGINAL', 'PRIMARY']`, `REMOVED`. */
  value: string;
  element: DicomElement;
  depth: number;
}

/** Elements whose value the script replaces by `<REMOVED>` (by pydicom name). */
const REMOVED_NAMES = new Set(['Pixel Data', 'Overlay Data', 'File Meta Information Version']);

/** Python's repr of a float: shortest round-trip digits, fixed notation for exponents -4..15. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let out: string;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) out = `0.${'0'.repeat(-exp - 1)}${digits}`;
    else if (digits.length <= exp + 1) out = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
    else out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return negative ? `-${out}` : out;
}

/** Python's repr of bytes: `b'\x00ab'`. */
export function pyBytes(bytes: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const b of bytes) {
    if (b === 0x27) hasSingle = true;
    if (b === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? '"' : "'";
  let out = `b${quote}`;
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `${out}${quote}`;
}

/** Python's repr of a str (printable characters kept, quotes chosen as Python does). */
export function pyStr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === quote) out += `\\${quote}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && code < 0xa0) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** pydicom's MultiValue printout: `['A', 'B']` for strings, `[1, 2]` for numbers and numeric strings. */
const pyList = (items: readonly string[], quoted: boolean): string =>
  `[${items.map((s) => (quoted ? pyStr(s) : s)).join(', ')}]`;

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');
const pyTag = (tag: number): string => `(${hex4(tag >>> 16)}, ${hex4(tag & 0xffff)})`;

/**
 * The VR pydicom assigns: a stored UN of a known standard tag becomes its dictionary VR; in an odd group,
 * (gggg,0010)-(gggg,00FF) becomes LO, as pydicom 2.x's _private_vr_for_tag does (J2K_pixelrep_mismatch.dcm
 * stores its private creators as UN); a UN holding items is an SQ.
 */
function pydicomVr(element: DicomElement, pixelRepresentation: number, creator?: string): Vr {
  if (element.items) return 'SQ'; // a sequence stored as UN (CP-246) is a sequence to pydicom too
  if (element.vr === 'UN' && groupOf(element.tag) % 2 === 1) {
    const low = elementOf(element.tag);
    if (low >= 0x10 && low <= 0xff) return 'LO';
    // ... and a private element of a creator in pydicom's private dictionary gets that dictionary's VR.
    const known = creator !== undefined && low >= 0x100 ? lookupPrivate(creator, element.tag)?.vr : undefined;
    return known ? resolveAmbiguousVr(known, element.tag, pixelRepresentation) : 'UN';
  }
  if (element.vr === 'UN' && !isPrivateTag(element.tag)) {
    const known = lookupTag(element.tag)?.vr;
    if (known) return resolveAmbiguousVr(known, element.tag, pixelRepresentation);
  }
  return element.vr;
}

const stripPad = (s: string): string => s.replace(/[\0 ]+$/, '');

/** Bytes as ISO 8859-1 text, without copying them. */
const latin1 = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/**
 * A value split at backslashes as pydicom prints it: the one value alone (mapped by `part`), or the
 * MultiValue list of the mapped parts. A value without a backslash is one part: no array is made.
 */
function printed(text: string, quoted: boolean, part: (p: string) => string): string {
  if (!text.includes('\\')) return part(text);
  return pyList(text.split('\\').map(part), quoted);
}

/** `str(elem.value)` as pydicom 2.x would give it (before the script's final `.strip()`); null for None. */
function pyValue(element: DicomElement, vr: Vr, codec: TextCodec): string | null {
  if (element.items) return element.items.length === 0 ? '' : `[${element.items.length} item(s)]`;
  const bytes = element.fragments ? Buffer.concat(element.fragments) : (element.value ?? new Uint8Array(0));
  const decode = (b: Uint8Array): string => codec.decode(b);
  // A part split from Latin-1 text, decoded again: the identity when the codec is Latin-1 itself.
  const decodePart = codec.latin1
    ? (p: string): string => p
    : (p: string): string => decode(Buffer.from(p, 'latin1'));
  switch (vr) {
    case 'SH':
    case 'LO':
    case 'UC': {
      if (bytes.length === 0) return '';
      return printed(latin1(bytes), true, (p) => stripPad(decodePart(p)));
    }
    case 'LT':
    case 'ST':
    case 'UT':
      return stripPad(decode(bytes));
    case 'UR':
      return asciiText(bytes).replace(/ +$/, '');
    case 'PN': {
      return printed(latin1(bytes).replace(/[\0 ]+$/, ''), false, decodePart);
    }
    case 'AE': {
      return printed(asciiText(bytes), true, (s) => s.trim());
    }
    case 'AS':
    case 'CS':
    case 'DA':
    case 'DT':
    case 'TM':
    case 'UI': {
      return printed(stripPad(asciiText(bytes)), true, (p) => p);
    }
    case 'DS':
    case 'IS': {
      const text = stripPad(asciiText(bytes));
      // A single number is printed as stored (the script strips it); several are trimmed in the list.
      return text.includes('\\') ? printed(text, false, (p) => p.trim()) : text;
    }
    case 'US':
    case 'SS':
    case 'UL':
    case 'SL':
    case 'SV':
    case 'UV':
    case 'FL':
    case 'FD': {
      const numbers = readNumbers(new ElementView(element, vr));
      if (numbers.length === 0) return null;
      const text = numbers.map((n) => (vr === 'FL' || vr === 'FD' ? pyFloat(n) : String(n)));
      return text.length === 1 ? text[0]! : pyList(text, false);
    }
    case 'AT': {
      const tags = readNumbers(new ElementView(element, vr));
      if (tags.length === 0) return null;
      return tags.length === 1 ? pyTag(tags[0]!) : pyList(tags.map(pyTag), false);
    }
    default:
      return bytes.length === 0 ? null : pyBytes(bytes);
  }
}

/** A stand-in element with another VR, to read numbers of a UN element pydicom would convert. */
class ElementView {
  readonly value: Uint8Array | undefined;
  readonly bigEndian: boolean;
  constructor(
    source: DicomElement,
    readonly vr: Vr,
  ) {
    this.value = source.value;
    this.bigEndian = source.bigEndian;
  }
}

/** `str(elem.value).strip()` for an element whose creator, name and pydicom VR are known. */
function scriptValue(element: DicomElement, name: string, vr: Vr, codec: TextCodec): string {
  if (REMOVED_NAMES.has(name)) return 'REMOVED';
  const value = pyValue(element, vr, codec);
  return value === null ? '' : value.trim();
}

/** The script's value string for one element (without the `<` `>` wrapping). */
export function midiBValue(dataset: DicomDataset, element: DicomElement, pixelRepresentation = 0): string {
  const creator = indexedCreatorOf(dataset, element);
  return scriptValue(
    element,
    nameOf(element.tag, creator),
    pydicomVr(element, pixelRepresentation, creator),
    textCodecOf(dataset),
  );
}

/**
 * Walks a data set in file order, depth first, the way the script's indexer does. One pass: each
 * element's creator, name, VR and path text are found once, and each data set's text codec once.
 */
export function indexDataset(dataset: DicomDataset): IndexedElement[] {
  const out: IndexedElement[] = [];
  const pr = dataset.get(0x00280103)?.value;
  const pixelRepresentation = pr && pr.length >= 2 ? pr[0]! | (pr[1]! << 8) : 0;
  const walk = (ds: DicomDataset, prefix: ElementPath['steps'], prefixText: string, depth: number): void => {
    const codec = textCodecOf(ds);
    for (const element of ds.elements) {
      const creator = indexedCreatorOf(ds, element);
      const ref: ElementRef =
        creator === undefined
          ? { kind: 'tag', tag: element.tag }
          : {
              kind: 'private',
              group: groupOf(element.tag),
              creator,
              elementByte: elementOf(element.tag) & 0xff,
            };
      const steps = [...prefix, { ref }];
      const refText = `<${formatRef(ref)}>`;
      const name = nameOf(element.tag, creator);
      const vr = pydicomVr(element, pixelRepresentation, creator);
      out.push({
        path: { steps },
        pathText: prefixText + refText,
        tag: element.tag,
        vr,
        name,
        privateCreator: creator,
        value: scriptValue(element, name, vr, codec),
        element,
        depth,
      });
      element.items?.forEach((item, index) =>
        walk(
          item,
          [...prefix, { ref, item: index }],
          `${prefixText}${refText}[<${String(index).padStart(4, '0')}>]`,
          depth + 1,
        ),
      );
    }
  };
  walk(dataset, [], '', 0);
  return out;
}
