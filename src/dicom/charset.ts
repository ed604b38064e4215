/**
 * Specific Character Set (0008,0005) text codecs (PS3.3 C.12.1.1.2, PS3.5 6.1): decode and encode for every
 * defined term. Single-byte sets without code extensions, ISO_IR 192 (UTF-8), GB18030 and GBK are whole-
 * string codecs; every other combination is ISO 2022 with code extensions (PS3.5 6.1.2.5): G0 and G1 code
 * elements designated by escape sequences, the elements of value 1 active at the start of each value and
 * restored before the delimiters listed in PS3.5 6.1.2.5.3.
 */
import { PseudophiError } from '../errors/index.js';
import {
  doubleByteTables,
  gb18030Supplementary,
  gb18030Table,
  katakanaTable,
  type DoubleByteSet,
  upperHalfTable,
  type EncodeTable,
} from './charset-tables.js';

/** A text value that cannot be written in a Specific Character Set, or a set that cannot be extended. */
export class CharacterSetError extends PseudophiError {
  constructor(
    readonly problem: string,
    readonly specificCharacterSet: string,
  ) {
    super(`Specific Character Set ${specificCharacterSet || '(none)'}: ${problem}`, { specificCharacterSet });
  }
}

/** A decoder and encoder for the text of one data set. */
export interface TextCodec {
  /** The defined terms as given (empty string: value 1 absent, the default repertoire). */
  readonly terms: readonly string[];
  /** True when decode is ISO 8859-1, one character per byte (default repertoire and ISO_IR 100 alone). */
  readonly latin1?: boolean;
  /**
   * Decodes a value's bytes. The code elements of value 1 are made active again after the delimiters
   * PS3.5 6.1.2.5.3 names for the VR (`\` for multi-valued VRs, also `^` and `=` for PN) and after control
   * characters. Without a VR only `\` and controls count, as for LO: no PN reset inside other text.
   */
  decode(bytes: Uint8Array, vr?: string): string;
  /**
   * Encodes a value; throws CharacterSetError for a character outside the repertoire. Without a VR, PN rules
   * apply (also return to value 1's code elements before `^` and `=`), which is valid for every VR.
   */
  encode(text: string, vr?: string): Uint8Array;
  /** Whether every character of `text` can be encoded. */
  canEncode(text: string): boolean;
  /**
   * Whether `text` is encodable and `encode(text, vr)` puts no byte equal to a delimiter of the VR (0x5C `\`
   * for multi-valued VRs, also 0x3D `=` for PN; PN when no VR is given) inside a multi-byte character.
   * Such bytes are valid (JIS X 0208 `そ` is 0x24 0x3D; GB18030 trail bytes reach 0x5C), but a reader that
   * splits the raw value at delimiters before decoding misreads them: pydicom 2.3.1 splits every
   * multi-valued value at 0x5C and every PN at 0x3D.
   */
  encodesUnambiguously(text: string, vr?: string): boolean;
}

/** A code element (PS3.3 Tables C.12-3 and C.12-4): a G0 or G1 graphic set and its escape sequence. */
interface CodeElement {
  readonly name: string;
  readonly slot: 'G0' | 'G1';
  /** The escape sequence that designates it, as Latin-1 text. */
  readonly escape: string;
  readonly width: 1 | 2;
  /** The bytes of one character, or undefined when the element does not hold it. */
  encodeChar(ch: string): readonly number[] | undefined;
  /** Decodes a run of bytes of this element (GL bytes for G0, GR bytes for G1). */
  decodeRun(bytes: Uint8Array): string;
}

const ESC = 0x1b;

const latin1Text = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

const textDecoders = new Map<string, InstanceType<typeof TextDecoder>>();
function whatwg(label: string): (b: Uint8Array) => string {
  return (b) => {
    let d = textDecoders.get(label);
    if (!d) {
      d = new TextDecoder(label);
      textDecoders.set(label, d);
    }
    return d.decode(b);
  };
}

const tableChar =
  (table: () => EncodeTable) =>
  (ch: string): readonly number[] | undefined =>
    table().get(ch);

/** ISO-IR 6 (ASCII) in G0: 0x20-0x7E (space included: PS3.5 6.1.2.5.1 treats it as part of G0 text). */
const ASCII: CodeElement = {
  name: 'ISO-IR 6',
  slot: 'G0',
  escape: '\x1b(B',
  width: 1,
  encodeChar: (ch) => (ch >= ' ' && ch <= '~' ? [ch.charCodeAt(0)] : undefined),
  decodeRun: latin1Text,
};

/**
 * JIS X 0201 romaji (ISO-IR 14) in G0. It differs from ASCII only at 0x5C (YEN SIGN) and 0x7E (OVERLINE);
 * pydicom and the WHATWG decoders read those bytes as ASCII, so we decode them as ASCII too and refuse to
 * encode `\` (other than as the value delimiter) and `~` in it: no reader can then disagree with the text.
 */
const ROMAJI: CodeElement = {
  name: 'ISO-IR 14',
  slot: 'G0',
  escape: '\x1b(J',
  width: 1,
  encodeChar: (ch) => (ch >= ' ' && ch <= '}' && ch !== '\\' ? [ch.charCodeAt(0)] : undefined),
  decodeRun: latin1Text,
};

const KATAKANA: CodeElement = {
  name: 'ISO-IR 13',
  slot: 'G1',
  escape: '\x1b)I',
  width: 1,
  encodeChar: tableChar(katakanaTable),
  decodeRun: (b) =>
    String.fromCharCode(...Array.from(b, (x) => (x >= 0xa1 && x <= 0xdf ? 0xff61 + x - 0xa1 : 0xfffd))),
};

function upperHalf(name: string, final: string, label: string): CodeElement {
  return {
    name,
    slot: 'G1',
    escape: `\x1b-${final}`,
    width: 1,
    encodeChar: tableChar(() => upperHalfTable(label)),
    decodeRun: label === 'latin1' ? latin1Text : whatwg(label),
  };
}

/**
 * A two-byte element: each pair through the set's table (national-standard mapping, see charset-tables.ts);
 * a pair outside it (a vendor extension) through Node's decoder, so that nothing is lost when reading.
 */
function doubleByteElement(name: string, set: DoubleByteSet, slot: 'G0' | 'G1', escape: string): CodeElement {
  const label = set === 'ksx1001' ? 'euc-kr' : set === 'gb2312' ? 'gb18030' : 'euc-jp';
  return {
    name,
    slot,
    escape,
    width: 2,
    encodeChar: (ch) => doubleByteTables(set).encode.get(ch),
    decodeRun: (b) => {
      const table = doubleByteTables(set).decode;
      let out = '';
      for (let i = 0; i < b.length; i += 2) {
        const row = b[i]! & 0x7f;
        const cell = (b[i + 1] ?? 0) & 0x7f;
        const known = table.get((row << 8) | cell);
        if (known !== undefined) out += known;
        else {
          const euc = [row | 0x80, cell | 0x80];
          out += whatwg(label)(Uint8Array.from(set === 'jisx0212' ? [0x8f, ...euc] : euc));
        }
      }
      return out;
    },
  };
}

const JIS_X_0208 = doubleByteElement('ISO-IR 87', 'jisx0208', 'G0', '\x1b$B');
const JIS_X_0212 = doubleByteElement('ISO-IR 159', 'jisx0212', 'G0', '\x1b$(D');
const KS_X_1001 = doubleByteElement('ISO-IR 149', 'ksx1001', 'G1', '\x1b$)C');
const GB_2312 = doubleByteElement('ISO-IR 58', 'gb2312', 'G1', '\x1b$)A');

/** Single-byte sets: DICOM IR number, ISO 2022 final byte of the G1 escape (PS3.3 Table C.12-3), decoder. */
const SINGLE_BYTE: ReadonlyArray<readonly [number, string, string]> = [
  [100, 'A', 'latin1'],
  [101, 'B', 'iso-8859-2'],
  [109, 'C', 'iso-8859-3'],
  [110, 'D', 'iso-8859-4'],
  [144, 'L', 'iso-8859-5'],
  [127, 'G', 'iso-8859-6'],
  [126, 'F', 'iso-8859-7'],
  [138, 'H', 'iso-8859-8'],
  [148, 'M', 'iso-8859-9'],
  [203, 'b', 'iso-8859-15'],
  [166, 'T', 'windows-874'],
];

/** The code elements each ISO 2022 defined term declares (PS3.3 Tables C.12-3 and C.12-4). */
const ISO2022_ELEMENTS = new Map<string, readonly CodeElement[]>([
  ['ISO 2022 IR 6', [ASCII]],
  ['ISO 2022 IR 13', [ROMAJI, KATAKANA]],
  ['ISO 2022 IR 87', [JIS_X_0208]],
  ['ISO 2022 IR 159', [JIS_X_0212]],
  ['ISO 2022 IR 149', [KS_X_1001]],
  ['ISO 2022 IR 58', [GB_2312]],
  ...SINGLE_BYTE.map(
    ([ir, final, label]) =>
      [`ISO 2022 IR ${ir}`, [ASCII, upperHalf(`ISO-IR ${ir}`, final, label)]] as [string, CodeElement[]],
  ),
]);

/** Every code element whose escape sequence we recognise when decoding, longest sequence first. */
const ALL_ELEMENTS: readonly CodeElement[] = [...new Set([...ISO2022_ELEMENTS.values()].flat())].sort(
  (a, b) => b.escape.length - a.escape.length,
);

/** Defined terms that cannot be used with code extensions (PS3.3 Table C.12-5, PS3.5 6.1.2.5.4 d). */
const STAND_ALONE = new Set(['ISO_IR 192', 'GB18030', 'GBK']);

/** The DICOM spelling of a defined term: `ISO_IR 100` also from `ISO_IR_100`, `ISO_IR100`, ` ISO_IR 100 `. */
export function normalizeTerm(term: string): string {
  const t = term.trim();
  const single = /^ISO[_ ]?IR[_ ]?(\d+)$/.exec(t);
  if (single && !t.startsWith('ISO 2022')) return single[1] === '6' ? 'ISO_IR 6' : `ISO_IR ${single[1]}`;
  const ext = /^ISO[ _]?2022[ _]?IR[ _]?(\d+)$/.exec(t);
  if (ext) return `ISO 2022 IR ${ext[1]}`;
  return t;
}

/** Splits `ISO 2022 IR 6\ISO 2022 IR 87` into its defined terms (the first may be empty: the default). */
export function parseSpecificCharacterSet(value: string | undefined): string[] {
  if (value === undefined) return [''];
  return value.split('\\').map(normalizeTerm);
}

/** The (0008,0005) value for a list of terms: joined with `\` (PS3.5 6.4 value multiplicity). */
export function toSpecificCharacterSetValue(terms: readonly string[]): string {
  return terms.map(normalizeTerm).join('\\');
}

/** Codecs by Specific Character Set value: a data set asks for its codec once per element. */
const codecs = new Map<string, TextCodec>();

/** Builds (once) the codec for a data set's Specific Character Set terms, in either spelling. */
export function codecFor(terms: readonly string[]): TextCodec {
  const key = terms.join('\\');
  let codec = codecs.get(key);
  if (!codec) {
    codec = makeCodec(terms, terms.map(normalizeTerm));
    codecs.set(key, codec);
  }
  return codec;
}

function describe(terms: readonly string[]): string {
  return terms.join('\\');
}

function unencodable(text: string, ch: string, terms: readonly string[]): CharacterSetError {
  return new CharacterSetError(
    `character ${JSON.stringify(ch)} (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) of ${JSON.stringify(text.slice(0, 80))} is outside its repertoire`,
    describe(terms),
  );
}

/** A codec for a whole-string encoding: one table, no escapes. */
function tableCodec(
  terms: readonly string[],
  decode: (b: Uint8Array) => string,
  encodeChar: (ch: string) => readonly number[] | undefined,
  latin1 = false,
): TextCodec {
  const encodeAll = (text: string, strict: boolean, clash?: readonly number[]): Uint8Array | undefined => {
    const out: number[] = [];
    for (const ch of text) {
      const bytes = encodeChar(ch);
      if (!bytes || (clash && bytes.length > 1 && bytes.some((b) => clash.includes(b)))) {
        if (strict) throw unencodable(text, ch, terms);
        return undefined;
      }
      for (const b of bytes) out.push(b);
    }
    return Uint8Array.from(out);
  };
  return {
    terms,
    latin1,
    decode: (b) => decode(b),
    encode: (text) => encodeAll(text, true)!,
    canEncode: (text) => encodeAll(text, false) !== undefined,
    encodesUnambiguously: (text, vr) => encodeAll(text, false, delimiterBytes(vr)) !== undefined,
  };
}

/** C0 control characters other than ESC (CR, LF, FF, TAB among them) are allowed in text (PS3.5 6.1.3). */
const isControl = (ch: string): boolean => ch < ' ' && ch !== '\x1b';

function makeCodec(given: readonly string[], terms: readonly string[]): TextCodec {
  const first = terms[0] ?? '';
  if (terms.length === 1 || (terms.length > 1 && STAND_ALONE.has(first))) {
    // One value without code extensions (PS3.5 6.1.2.4); a stand-alone set ignores any further values.
    if (first === '' || first === 'ISO_IR 6') {
      // Default repertoire: decoded as Latin-1 so that non-conformant bytes survive; only ASCII is written.
      // As before this module encoded ISO 2022: any code up to 0x7F, one byte each.
      return tableCodec(given, latin1Text, (ch) => (ch <= '\x7f' ? [ch.charCodeAt(0)] : undefined), true);
    }
    if (first === 'ISO_IR 100') {
      // As before: any code up to 0xFF, one byte each.
      return tableCodec(given, latin1Text, (ch) => (ch <= '\xff' ? [ch.charCodeAt(0)] : undefined), true);
    }
    if (first === 'ISO_IR 192') {
      const encoder = new TextEncoder();
      return tableCodec(given, whatwg('utf-8'), (ch) =>
        ch.length === 1 && ch >= '\ud800' && ch <= '\udfff' ? undefined : [...encoder.encode(ch)],
      );
    }
    if (first === 'GB18030' || first === 'GBK') {
      const table = (): EncodeTable => gb18030Table(first === 'GBK');
      return tableCodec(given, whatwg(first === 'GBK' ? 'gbk' : 'gb18030'), (ch) => {
        const bytes = table().get(ch);
        if (bytes || first === 'GBK') return bytes;
        const cp = ch.codePointAt(0)!;
        return cp >= 0x10000 ? gb18030Supplementary(cp) : undefined;
      });
    }
    if (first === 'ISO_IR 13') {
      // JIS X 0201 without code extensions: romaji in GL (read as ASCII, see ROMAJI), katakana in GR.
      const katakana = katakanaTable();
      return tableCodec(given, whatwg('shift_jis'), (ch) =>
        isControl(ch) ? [ch.charCodeAt(0)] : (ROMAJI.encodeChar(ch) ?? katakana.get(ch)),
      );
    }
    const single = SINGLE_BYTE.find(([ir]) => first === `ISO_IR ${ir}`);
    if (single) {
      const table = (): EncodeTable => upperHalfTable(single[2]);
      const decode = single[2] === 'latin1' ? latin1Text : whatwg(single[2]);
      return tableCodec(given, decode, (ch) =>
        ch <= '\x7f' && ch !== '\x1b' ? [ch.charCodeAt(0)] : table().get(ch),
      );
    }
    if (!first.startsWith('ISO 2022')) {
      // An unknown term: bytes read and written as Latin-1 (nothing lost), as before ISO 2022 encoding.
      return tableCodec(given, latin1Text, (ch) => (ch <= '\xff' ? [ch.charCodeAt(0)] : undefined), true);
    }
  }
  return iso2022Codec(given, terms);
}

/** The elements a term declares with code extensions; `ISO_IR n` among several terms is `ISO 2022 IR n`. */
function elementsOf(term: string, index: number): readonly CodeElement[] {
  if (term === '' && index === 0) return [ASCII];
  const ext = term.replace(/^ISO_IR (\d+)$/, 'ISO 2022 IR $1');
  return ISO2022_ELEMENTS.get(ext) ?? [];
}

interface State {
  g0: CodeElement;
  g1: CodeElement | undefined;
}

/**
 * The bytes readers split raw values at before decoding: 0x5C between values of multi-valued VRs (PS3.5 6.4)
 * and 0x3D between PN component groups (PS3.5 6.2.1). `^` is left out: the readers we know (pydicom) decode
 * a component group whole, and PS3.5 H.3.1's own `やまだ` holds 0x5E in JIS X 0208.
 */
function delimiterBytes(vr: string | undefined): number[] {
  if (isSingleValuedText(vr)) return [];
  return vr === 'PN' || vr === undefined ? [0x5c, 0x3d] : [0x5c];
}

const isSingleValuedText = (vr: string | undefined): boolean =>
  vr === 'LT' || vr === 'ST' || vr === 'UT' || vr === 'UR';

/** Delimiters after which value 1's code elements are active again (PS3.5 6.1.2.5.3), by VR. */
function delimitersFor(vr: string | undefined, forEncoding: boolean): string {
  // Encoding without a VR follows PN, the strictest rules, whose output is valid for every VR.
  if (vr === 'PN' || (vr === undefined && forEncoding)) return '\\^=';
  if (isSingleValuedText(vr)) return '';
  return '\\';
}

function iso2022Codec(given: readonly string[], terms: readonly string[]): TextCodec {
  const declared = terms.map((t, i) => elementsOf(t, i));
  const firstElements = declared[0]!.length > 0 ? declared[0]! : [ASCII];
  // Value 1's G0 (ASCII, or romaji for ISO 2022 IR 13); a multi-byte G0 set is never the initial state,
  // since delimiters and padding must stay single-byte.
  const initial: State = {
    g0: firstElements.find((e) => e.slot === 'G0' && e.width === 1) ?? ASCII,
    g1: firstElements.find((e) => e.slot === 'G1'),
  };
  const candidates = declared.flat();

  const decode = (bytes: Uint8Array, vr?: string): string => {
    const delimiters = delimitersFor(vr, false);
    let state: State = { ...initial };
    // GR bytes before any designation: non-conformant files (Korean ones, often) rely on the declared G1 set.
    let lastG1 = initial.g1 ?? candidates.find((e) => e.slot === 'G1');
    let out = '';
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i]!;
      if (b === ESC) {
        const element = ALL_ELEMENTS.find((e) => matches(bytes, i, e.escape));
        if (element) {
          if (element.slot === 'G0') state = { ...state, g0: element };
          else state = { ...state, g1: element };
          if (element.slot === 'G1') lastG1 = element;
          i += element.escape.length;
          continue;
        }
        out += '\x1b';
        i++;
        continue;
      }
      if (b < 0x80) {
        if (state.g0.width === 2 && b >= 0x21 && b <= 0x7e) {
          let end = i;
          while (end + 1 < bytes.length && inGL(bytes[end]!) && inGL(bytes[end + 1]!)) end += 2;
          if (end === i) end = i + 1;
          out += state.g0.decodeRun(bytes.subarray(i, end));
          i = end;
          continue;
        }
        const ch = String.fromCharCode(b);
        // Controls always end a run of another set; printable delimiters only while G0 is single-byte,
        // where they cannot be the half of a two-byte character.
        if (b < 0x20 || (state.g0.width === 1 && delimiters.includes(ch))) {
          state = { ...initial, g1: initial.g1 ?? state.g1 };
        }
        out += ch;
        i++;
        continue;
      }
      const g1 = state.g1 ?? lastG1;
      if (!g1) {
        out += latin1Text(bytes.subarray(i, i + 1));
        i++;
        continue;
      }
      let end = i;
      while (end < bytes.length && bytes[end]! >= 0x80 && bytes[end] !== ESC) end++;
      if (g1.width === 2 && (end - i) % 2 === 1 && end < bytes.length) end--;
      out += g1.decodeRun(bytes.subarray(i, Math.max(end, i + 1)));
      i = Math.max(end, i + 1);
    }
    return out;
  };

  const encodeImpl = (
    text: string,
    vr: string | undefined,
    strict: boolean,
    clash?: readonly number[],
  ): Uint8Array | undefined => {
    const delimiters = delimitersFor(vr, true);
    const out: number[] = [];
    let state: State = { ...initial };
    const emit = (s: string): void => {
      for (let k = 0; k < s.length; k++) out.push(s.charCodeAt(k));
    };
    // PS3.5 6.1.2.5.3: value 1's code elements active again. A G1 set can only be re-designated, not
    // removed, so when value 1 has none the receiver's reset is all there is (PS3.5 Annex I re-designates
    // KS X 1001 after each delimiter for this reason).
    const restore = (): void => {
      if (state.g0 !== initial.g0) emit(initial.g0.escape);
      if (initial.g1 && state.g1 !== initial.g1) emit(initial.g1.escape);
      state = { ...initial };
    };
    for (const ch of text) {
      if (isControl(ch) || delimiters.includes(ch) || ch === '\\') {
        restore();
        if (ch !== '\\' && !isControl(ch) && !initial.g0.encodeChar(ch)) {
          if (strict) throw unencodable(text, ch, given);
          return undefined;
        }
        out.push(ch.charCodeAt(0));
        continue;
      }
      let bytes = state.g0.encodeChar(ch) ?? state.g1?.encodeChar(ch);
      if (!bytes) {
        const element = candidates.find((e) => e.encodeChar(ch));
        if (!element) {
          if (strict) throw unencodable(text, ch, given);
          return undefined;
        }
        emit(element.escape);
        state = element.slot === 'G0' ? { ...state, g0: element } : { ...state, g1: element };
        bytes = element.encodeChar(ch)!;
      }
      if (clash && bytes.length > 1 && bytes.some((b) => clash.includes(b))) return undefined;
      for (const x of bytes) out.push(x);
    }
    restore();
    return Uint8Array.from(out);
  };

  return {
    terms: given,
    latin1: false,
    decode,
    encode: (text, vr) => encodeImpl(text, vr, true)!,
    canEncode: (text) => encodeImpl(text, undefined, false) !== undefined,
    encodesUnambiguously: (text, vr) => encodeImpl(text, vr, false, delimiterBytes(vr)) !== undefined,
  };
}

const inGL = (b: number): boolean => b >= 0x21 && b <= 0x7e;

function matches(bytes: Uint8Array, at: number, seq: string): boolean {
  for (let k = 0; k < seq.length; k++) if (bytes[at + k] !== seq.charCodeAt(k)) return false;
  return true;
}
