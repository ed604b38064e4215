/**
 * Specific Character Set (0008,0005) to text decoders and encoders (PS3.3 C.12.1.1.2, PS3.5 6.1).
 * Single-byte repertoires, UTF-8 and GB18030/GBK are handled here; ISO 2022 code extensions with
 * multi-byte sets (IR 87, IR 149, ...) decode through their escape sequences where Node's decoders allow.
 */
import { PseudophiError } from '../errors/index.js';

/** Decoder labels (WHATWG Encoding) per defined term; `latin1` is handled by Buffer for true ISO 8859-1. */
const DECODER_LABEL: Record<string, string> = {
  '': 'ascii',
  ISO_IR_6: 'ascii',
  'ISO 2022 IR 6': 'ascii',
  ISO_IR_100: 'latin1',
  'ISO 2022 IR 100': 'latin1',
  ISO_IR_101: 'iso-8859-2',
  'ISO 2022 IR 101': 'iso-8859-2',
  ISO_IR_109: 'iso-8859-3',
  'ISO 2022 IR 109': 'iso-8859-3',
  ISO_IR_110: 'iso-8859-4',
  'ISO 2022 IR 110': 'iso-8859-4',
  ISO_IR_144: 'iso-8859-5',
  'ISO 2022 IR 144': 'iso-8859-5',
  ISO_IR_127: 'iso-8859-6',
  'ISO 2022 IR 127': 'iso-8859-6',
  ISO_IR_126: 'iso-8859-7',
  'ISO 2022 IR 126': 'iso-8859-7',
  ISO_IR_138: 'iso-8859-8',
  'ISO 2022 IR 138': 'iso-8859-8',
  ISO_IR_148: 'iso-8859-9',
  'ISO 2022 IR 148': 'iso-8859-9',
  ISO_IR_203: 'iso-8859-15',
  'ISO 2022 IR 203': 'iso-8859-15',
  ISO_IR_166: 'windows-874',
  'ISO 2022 IR 166': 'windows-874',
  ISO_IR_13: 'shift_jis',
  'ISO 2022 IR 13': 'shift_jis',
  ISO_IR_192: 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** A decoder for the text of one data set. */
export interface TextCodec {
  readonly terms: readonly string[];
  /** True when decode is ISO 8859-1, one character per byte (default repertoire and ISO_IR 100 alone). */
  readonly latin1?: boolean;
  decode(bytes: Uint8Array): string;
  /** Encodes text; throws when a character is outside the repertoire pseudophi can write for these terms. */
  encode(text: string): Uint8Array;
}

const normalize = (term: string): string =>
  term
    .trim()
    .replace(/^ISO_IR (\d+)$/, 'ISO_IR_$1')
    .replace(/^ISO_IR(\d+)$/, 'ISO_IR_$1');

const decoders = new Map<string, (bytes: Uint8Array) => string>();
function decoderFor(label: string): (bytes: Uint8Array) => string {
  let d = decoders.get(label);
  if (!d) {
    if (label === 'latin1' || label === 'ascii')
      d = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
    else {
      const td = new TextDecoder(label);
      d = (b) => td.decode(b);
    }
    decoders.set(label, d);
  }
  return d;
}

/** Splits `ISO 2022 IR 6\ISO 2022 IR 87` into its defined terms (the first may be empty: default repertoire). */
export function parseSpecificCharacterSet(value: string | undefined): string[] {
  if (value === undefined) return [''];
  return value.split('\\').map(normalize);
}

/** Builds the codec for a data set's Specific Character Set. Unknown terms fall back to Latin-1 decoding. */
export function codecFor(terms: readonly string[]): TextCodec {
  const key = terms.join('\\');
  let codec = codecs.get(key);
  if (!codec) {
    codec = makeCodec(terms);
    codecs.set(key, codec);
  }
  return codec;
}

/** Codecs by Specific Character Set value: a data set asks for its codec once per element. */
const codecs = new Map<string, TextCodec>();

function makeCodec(terms: readonly string[]): TextCodec {
  const first = terms[0] ?? '';
  const label =
    DECODER_LABEL[first] ??
    (DECODER_LABEL[terms[1] ?? ''] && first === '' ? DECODER_LABEL[terms[1]!]! : 'latin1');
  const usesEscapes = terms.length > 1 || first.startsWith('ISO 2022');
  const decodeBase = decoderFor(label);
  const decode = usesEscapes ? (bytes: Uint8Array) => decodeIso2022(bytes, terms, decodeBase) : decodeBase;
  const encode = (text: string): Uint8Array => {
    if (label === 'utf-8') return new TextEncoder().encode(text);
    const limit = label === 'ascii' ? 0x7f : label === 'latin1' ? 0xff : -1;
    // With ISO 2022 code extensions, text without escape sequences is in the initial G0 set: ASCII (ISO-IR 6),
    // or JIS X 0201 Romaji for ISO 2022 IR 13, which differs from ASCII only at 0x5C and 0x7E (PS3.5 6.1.2.5).
    // So plain ASCII text can be written as is; replacing an ID in a Japanese file needs nothing more.
    const romaji = first === 'ISO 2022 IR 13';
    const initialSetOnly = [...text].every((ch) => ch <= '\x7f' && !(romaji && (ch === '\\' || ch === '~')));
    if (limit < 0 && usesEscapes && initialSetOnly) {
      return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
    }
    if (limit < 0) {
      throw new PseudophiError(
        `writing text in Specific Character Set ${terms.join('\\')} is not supported yet`,
      );
    }
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > limit) {
        throw new PseudophiError(
          `character ${JSON.stringify(text[i])} is outside Specific Character Set ${terms.join('\\') || 'ISO_IR 6 (default)'}`,
        );
      }
      out[i] = code;
    }
    return out;
  };
  return { terms, decode, encode, latin1: !usesEscapes && (label === 'latin1' || label === 'ascii') };
}

/** ISO 2022 escape sequences (PS3.3 Table C.12-3 and following) to decoder labels. */
const ESCAPES: ReadonlyArray<[string, string]> = [
  ['\x1b(B', 'ascii'],
  ['\x1b(J', 'ascii'],
  ['\x1b)I', 'shift_jis'],
  ['\x1b-A', 'latin1'],
  ['\x1b-B', 'iso-8859-2'],
  ['\x1b-L', 'iso-8859-5'],
  ['\x1b-F', 'iso-8859-7'],
  ['\x1b-G', 'iso-8859-6'],
  ['\x1b-H', 'iso-8859-8'],
  ['\x1b-M', 'iso-8859-9'],
  ['\x1b-T', 'windows-874'],
  ['\x1b$B', 'iso-2022-jp'],
  ['\x1b$(D', 'iso-2022-jp'],
  ['\x1b$)C', 'euc-kr'],
  ['\x1b$)A', 'gb18030'],
];

/** Decodes text with ISO 2022 code extensions by switching decoders at each escape sequence. */
function decodeIso2022(
  bytes: Uint8Array,
  _terms: readonly string[],
  initial: (b: Uint8Array) => string,
): string {
  let out = '';
  let decode = initial;
  let segmentStart = 0;
  let escape = '';
  const flush = (end: number): void => {
    if (end > segmentStart) {
      const segment = bytes.subarray(segmentStart, end);
      out +=
        escape === '\x1b$B'
          ? decoderFor('iso-2022-jp')(Uint8Array.from([...Buffer.from(escape, 'latin1'), ...segment]))
          : decode(segment);
    }
  };
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x1b) continue;
    const match = ESCAPES.find(([seq]) => seq.split('').every((ch, k) => bytes[i + k] === ch.charCodeAt(0)));
    if (!match) continue;
    flush(i);
    escape = match[0];
    decode = match[1] === 'euc-kr' || match[1] === 'gb18030' ? decoderFor(match[1]) : decoderFor(match[1]);
    segmentStart = i + match[0].length;
    i = segmentStart - 1;
  }
  flush(bytes.length);
  return out;
}
