/**
 * Which characters a TrueType/OpenType face has glyphs for, read from its `cmap` table (OpenType spec,
 * "cmap - Character to Glyph Index Mapping Table"): the pinned font file decides, never the machine.
 * Pure: takes the file's bytes.
 */
import { BurnError } from './errors.js';

/** Code point ranges, inclusive, sorted and disjoint. */
export type CodeRanges = ReadonlyArray<readonly [number, number]>;

/** Sorts and merges ranges (inclusive ends) into disjoint ones. */
export function mergeRanges(ranges: Iterable<readonly [number, number]>): CodeRanges {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** Whether `code` lies in one of the sorted, disjoint `ranges` (binary search). */
export function inRanges(ranges: CodeRanges, code: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = ranges[mid]!;
    if (code < start) hi = mid - 1;
    else if (code > end) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * The code points a face maps to a glyph other than .notdef, from its Unicode cmap subtable: format 12
 * (platform 3 encoding 10, or platform 0 encodings 4 and 6) when present, else format 4 (platform 3
 * encoding 1, or platform 0).
 */
export function readCmapRanges(bytes: Uint8Array, file = 'font'): CodeRanges {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (why: string): never => {
    throw new BurnError(`${file}: ${why}`, { file });
  };
  if (bytes.length < 12) fail('too short for a font');
  const numTables = view.getUint16(4);
  let cmap = -1;
  for (let i = 0; i < numTables; i++) {
    const record = 12 + 16 * i;
    const tag = String.fromCharCode(...bytes.subarray(record, record + 4));
    if (tag === 'cmap') cmap = view.getUint32(record + 8);
  }
  if (cmap < 0) fail('no cmap table');
  let format12 = -1;
  let format4 = -1;
  const subtables = view.getUint16(cmap + 2);
  for (let i = 0; i < subtables; i++) {
    const record = cmap + 4 + 8 * i;
    const platform = view.getUint16(record);
    const encoding = view.getUint16(record + 2);
    const offset = cmap + view.getUint32(record + 4);
    const format = view.getUint16(offset);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12 && format12 < 0) format12 = offset;
    if (format === 4 && format4 < 0) format4 = offset;
  }
  const ranges: Array<[number, number]> = [];
  if (format12 >= 0) {
    const groups = view.getUint32(format12 + 12);
    for (let g = 0; g < groups; g++) {
      const at = format12 + 16 + 12 * g;
      const start = view.getUint32(at);
      const end = view.getUint32(at + 4);
      const glyph = view.getUint32(at + 8);
      // A group starting at glyph 0 maps its first code point to .notdef.
      if (glyph === 0) {
        if (end > start) ranges.push([start + 1, end]);
      } else ranges.push([start, end]);
    }
  } else if (format4 >= 0) {
    const segments = view.getUint16(format4 + 6) / 2;
    const ends = format4 + 14;
    const starts = ends + 2 * segments + 2;
    const deltas = starts + 2 * segments;
    const rangeOffsets = deltas + 2 * segments;
    for (let s = 0; s < segments; s++) {
      const end = view.getUint16(ends + 2 * s);
      const start = view.getUint16(starts + 2 * s);
      const delta = view.getUint16(deltas + 2 * s);
      const rangeOffset = view.getUint16(rangeOffsets + 2 * s);
      for (let code = start; code <= end && code !== 0xffff; code++) {
        let glyph: number;
        if (rangeOffset === 0) glyph = (code + delta) & 0xffff;
        else {
          const at = rangeOffsets + 2 * s + rangeOffset + 2 * (code - start);
          const raw = view.getUint16(at);
          glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
        }
        if (glyph !== 0) ranges.push([code, code]);
      }
    }
  } else fail('no Unicode cmap subtable of format 4 or 12');
  return mergeRanges(ranges);
}
