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
    for (const b of range(0xa0, 0xff)) {
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

/**
 * A 94x94 two-byte set, keyed to GL bytes (0x21-0x7E each) for G0 sets and GR bytes (0xA1-0xFE) for G1 sets.
 * - `jisx0208` (ISO-IR 87): rows 1-8 and 16-84 only, through EUC-JP. Rows 9-15 and 85-94 hold vendor
 *   extensions (NEC, IBM) in the WHATWG index that other readers (pydicom's iso2022_jp) reject.
 * - `jisx0212` (ISO-IR 159): EUC-JP's 0x8F prefix selects JIS X 0212.
 * - `ksx1001` (ISO-IR 149): EUC-KR restricted to the KS X 1001 square.
 * - `gb2312` (ISO-IR 58): GB18030 restricted to the GB 2312 square.
 */
export function doubleByteTable(set: 'jisx0208' | 'jisx0212' | 'ksx1001' | 'gb2312'): EncodeTable {
  return lazy(set, (table) => {
    const decoder = new TextDecoder(set === 'ksx1001' ? 'euc-kr' : set === 'gb2312' ? 'gb18030' : 'euc-jp');
    const rows =
      set === 'jisx0208'
        ? [...range(0x21, 0x28), ...range(0x30, 0x74)]
        : set === 'gb2312'
          ? range(0x21, 0x77)
          : range(0x21, 0x7e);
    const gr = set === 'ksx1001' || set === 'gb2312';
    for (const row of rows) {
      for (const cell of range(0x21, 0x7e)) {
        const euc = [row | 0x80, cell | 0x80];
        const ch = decoder.decode(Uint8Array.from(set === 'jisx0212' ? [0x8f, ...euc] : euc));
        put(table, ch, gr ? euc : [row, cell]);
      }
    }
  });
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
  });
}

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
