/**
 * Encoding tables for the DICOM character sets, built on first use by inverting Node's WHATWG decoders over
 * each set's code range (no data files). Decoding goes through the same decoders, so what we encode is
 * exactly what we decode.
 */

/** A character-to-bytes table: one entry per Unicode character (a whole code point, as a string). */
export type EncodeTable = ReadonlyMap<string, readonly number[]>;

const tables = new Map<string, Map<string, number[]>>();

/** Private-use characters are vendor extensions in these decoders (GB18030's user areas, for example). */
const isPrivateUse = (ch: string): boolean => ch >= '\ue000' && ch <= '\uf8ff';

/**
 * Adds `bytes` for `ch` unless the decoder failed or an earlier (preferred) byte sequence has it already.
 * Private-use results are vendor additions except in GB18030, which maps every code point.
 */
function put(table: Map<string, number[]>, ch: string, bytes: number[], privateUse = false): void {
  if (ch === '\ufffd' || (!privateUse && isPrivateUse(ch)) || [...ch].length !== 1 || table.has(ch)) return;
  table.set(ch, bytes);
}

function lazy(name: string, build: (table: Map<string, number[]>) => void): EncodeTable {
  let table = tables.get(name);
  if (!table) {
    table = new Map();
    build(table);
    tables.set(name, table);
  }
  return table;
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * The upper half (0xA0-0xFF) of an ISO 8859 style single-byte set, as the G1 set of PS3.3 Table C.12-3.
 * 0x80-0x9F (C1 controls, or vendor additions in windows-874) is not part of the DICOM repertoire.
 */
export function upperHalfTable(label: string): EncodeTable {
  return lazy(`upper:${label}`, (table) => {
    const decoder = label === 'latin1' ? undefined : new TextDecoder(label);
    // TIS 620 leaves 0xA0 undefined (windows-874 adds NO-BREAK SPACE there).
    for (const b of range(label === 'windows-874' ? 0xa1 : 0xa0, 0xff)) {
      const ch = decoder ? decoder.decode(Uint8Array.of(b)) : String.fromCharCode(b);
      put(table, ch, [b]);
    }
  });
}

/** JIS X 0201 katakana (ISO-IR 13), the G1 set of ISO 2022 IR 13: 0xA1-0xDF to U+FF61-U+FF9F. */
export function katakanaTable(): EncodeTable {
  return lazy('katakana', (table) => {
    for (const b of range(0xa1, 0xdf)) put(table, String.fromCharCode(0xff61 + b - 0xa1), [b]);
  });
}

/** The two-byte 94x94 sets of PS3.3 Table C.12-4. */
export type DoubleByteSet = 'jisx0208' | 'jisx0212' | 'ksx1001' | 'gb2312';

/** A two-byte set both ways: characters to bytes, and row/cell (`row << 8 | cell`, GL form) to characters. */
export interface DoubleByteTables {
  readonly encode: EncodeTable;
  readonly decode: ReadonlyMap<number, string>;
}

/** Cells as `from-to` hex ranges, per row; a row not listed is whole (0x21-0x7E). */
type CellRanges = Readonly<Record<number, string>>;

/**
 * Which cells each set defines. The WHATWG indexes Node decodes with are vendor supersets (Windows code
 * pages 932, 949, 936): rows and cells outside the national standard are left out, so that we never write
 * a character that pydicom (Python's iso2022_jp, euc_kr, gb2312 codecs) or iconv cannot read.
 */
const ROWS: Record<DoubleByteSet, { rows: readonly number[]; cells?: CellRanges }> = {
  // JIS X 0208-1990: rows 1-8 and 16-84; rows 9-15 and 85-94 are NEC/IBM extensions in the index.
  jisx0208: { rows: [...range(0x21, 0x28), ...range(0x30, 0x74)] },
  // JIS X 0212-1990: rows 2, 6, 7, 9-11 and 16-77; row 83 holds IBM extensions in the index.
  jisx0212: { rows: [...range(0x22, 0x2b), ...range(0x30, 0x6d)] },
  // KS X 1001: rows 1-12 and 16-93; row 41 and row 94 are user-defined (private use).
  ksx1001: { rows: [...range(0x21, 0x2c), ...range(0x30, 0x48), ...range(0x4a, 0x7d)] },
  // GB 2312-80: rows 1-9 and 16-87 with the gaps of the standard; GBK/GB18030 fill the gaps and rows 10-15.
  gb2312: {
    rows: [...range(0x21, 0x29), ...range(0x30, 0x77)],
    cells: {
      0x22: '31-62,65-6e,71-7c',
      0x24: '21-73',
      0x25: '21-76',
      0x26: '21-38,41-58',
      0x27: '21-41,51-71',
      0x28: '21-3a,45-69',
      0x29: '24-6f',
      0x57: '21-79',
    },
  },
};

/**
 * Cells whose character differs between the national standard (as Python and iconv map it) and the
 * vendor index Node decodes with; `null` drops a cell the standard does not define.
 * - JIS X 0208: Windows-932 maps six cells to fullwidth forms (U+FF5E, U+2225, U+FF0D, U+FFE0, U+FFE1,
 *   U+FFE2).
 * - JIS X 0212: 0x2237 is TILDE.
 * - KS X 1001: the euro and registered signs of KS X 1001:1998 (0x2266, 0x2267); 0x2454 is undefined.
 * - GB 2312: middle dot and em dash are KATAKANA MIDDLE DOT and HORIZONTAL BAR in GB 2312 (GB18030 changed
 *   them).
 */
const OVERRIDES: Record<DoubleByteSet, Readonly<Record<number, string | null>>> = {
  jisx0208: {
    0x2141: '\u301c',
    0x2142: '\u2016',
    0x215d: '\u2212',
    0x2171: '\u00a2',
    0x2172: '\u00a3',
    0x224c: '\u00ac',
  },
  jisx0212: { 0x2237: '~' },
  ksx1001: { 0x2266: '\u20ac', 0x2267: '\u00ae', 0x2454: null },
  gb2312: { 0x2124: '\u30fb', 0x212a: '\u2015' },
};

function inRanges(spec: string | undefined, cell: number): boolean {
  if (spec === undefined) return true;
  return spec.split(',').some((part) => {
    const [from, to] = part.split('-').map((h) => parseInt(h, 16));
    return cell >= from! && cell <= (to ?? from!);
  });
}

const doubleByte = new Map<DoubleByteSet, DoubleByteTables>();

/**
 * A 94x94 two-byte set (ISO-IR 87, 159, 149, 58), built from EUC-JP (0x8F prefix for JIS X 0212), EUC-KR and
 * GB18030 over the set's own cells, with OVERRIDES applied. Encoded bytes are GL (0x21-0x7E) for the G0
 * sets (JIS) and GR (0xA1-0xFE) for the G1 sets (KS X 1001, GB 2312).
 */
export function doubleByteTables(set: DoubleByteSet): DoubleByteTables {
  let tablesOfSet = doubleByte.get(set);
  if (tablesOfSet) return tablesOfSet;
  const decoder = new TextDecoder(set === 'ksx1001' ? 'euc-kr' : set === 'gb2312' ? 'gb18030' : 'euc-jp');
  const { rows, cells } = ROWS[set];
  const overrides = OVERRIDES[set];
  const gr = set === 'ksx1001' || set === 'gb2312';
  const encode = new Map<string, number[]>();
  const decode = new Map<number, string>();
  for (const [code, ch] of Object.entries(overrides)) {
    if (ch !== null)
      put(
        encode,
        ch,
        gr
          ? [(Number(code) >> 8) | 0x80, (Number(code) & 0xff) | 0x80]
          : [Number(code) >> 8, Number(code) & 0xff],
      );
  }
  for (const row of rows) {
    for (const cell of range(0x21, 0x7e)) {
      if (!inRanges(cells?.[row], cell)) continue;
      const code = (row << 8) | cell;
      const euc = [row | 0x80, cell | 0x80];
      const ch =
        code in overrides
          ? overrides[code]
          : decoder.decode(Uint8Array.from(set === 'jisx0212' ? [0x8f, ...euc] : euc));
      if (ch === null || ch === undefined || ch === '\ufffd' || isPrivateUse(ch) || [...ch].length !== 1)
        continue;
      decode.set(code, ch);
      put(encode, ch, gr ? euc : [row, cell]);
    }
  }
  tablesOfSet = { encode, decode };
  doubleByte.set(set, tablesOfSet);
  return tablesOfSet;
}

/**
 * GB18030 (and GBK, its two-byte part): ASCII, the two-byte area (0x81-0xFE x 0x40-0xFE), and for GB18030
 * the four-byte area, BMP through the decoder, supplementary planes by the standard's linear mapping.
 */
export function gb18030Table(twoByteOnly: boolean): EncodeTable {
  return lazy(twoByteOnly ? 'gbk' : 'gb18030', (table) => {
    const decoder = new TextDecoder('gb18030');
    for (const b of range(0, 0x7f)) table.set(String.fromCharCode(b), [b]);
    for (const lead of range(0x81, 0xfe)) {
      for (const trail of [...range(0x40, 0x7e), ...range(0x80, 0xfe)]) {
        put(table, decoder.decode(Uint8Array.of(lead, trail)), [lead, trail], !twoByteOnly);
      }
    }
    if (twoByteOnly) return;
    // Four-byte sequences 0x81308130-0x8439FE39 cover the rest of the BMP; decode them in one pass.
    const count = 4 * 10 * 126 * 10;
    const bytes = new Uint8Array(count * 4);
    for (let p = 0; p < count; p++) bytes.set(fourBytes(p), p * 4);
    const text = decoder.decode(bytes);
    if (text.length === count) {
      for (let p = 0; p < count; p++) put(table, text[p]!, fourBytes(p), true);
    }
    for (const ch of GB18030_EDITION_DEPENDENT) table.delete(ch);
  });
}

/**
 * Characters whose GB18030 bytes changed in the 2022 edition (Node's decoder) from the 2005 edition (Python's
 * codec, pydicom): 18 vertical forms and CJK characters moved out of private use, and their former
 * private-use code points. A reader of the other edition would decode them differently, so none is written.
 */
const GB18030_EDITION_DEPENDENT: readonly string[] = [
  ...range(0xfe10, 0xfe19),
  ...range(0x9fb4, 0x9fbb),
  0x1e3f,
  0xe5e5,
  ...range(0xe78d, 0xe796),
  0xe7c7,
  0xe81e,
  0xe826,
  0xe82b,
  0xe82c,
  0xe832,
  0xe843,
  0xe854,
  0xe864,
].map((cp) => String.fromCodePoint(cp));

/** The four bytes of GB18030 four-byte pointer `p` (GB 18030-2005 6.3.3). */
export function fourBytes(p: number): number[] {
  const b4 = p % 10;
  const b3 = Math.floor(p / 10) % 126;
  const b2 = Math.floor(p / 1260) % 10;
  const b1 = Math.floor(p / 12600);
  return [0x81 + b1, 0x30 + b2, 0x81 + b3, 0x30 + b4];
}

/** GB18030 bytes of a supplementary-plane code point: pointers from 189000 (0x90308130) on, linearly. */
export function gb18030Supplementary(codePoint: number): number[] {
  return fourBytes(189000 + codePoint - 0x10000);
}
