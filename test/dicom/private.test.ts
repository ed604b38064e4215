/** Private elements by creator and element byte (PS3.5 7.8.1): block allocation, reuse, orphans, deletion. */
import { describe, expect, it } from 'vitest';
import {
  DicomDataset,
  DicomElement,
  deletePrivateBlock,
  findPrivateBlock,
  formatPath,
  getPrivate,
  getString,
  indexDataset,
  parseDicom,
  privateTagIn,
  readNumbers,
  reservePrivateBlock,
  setPrivate,
  setStrings,
  TS,
  writeDicom,
} from '../../src/dicom/index.js';
import { PseudophiError } from '../../src/errors/index.js';
import { ascii, fileOf } from './encode-helpers.js';

const creatorValue = (ds: DicomDataset, tag: number): string | undefined => getString(ds, tag);

describe('private block allocation', () => {
  it('takes block 0x10 in an empty group and writes the creator element', () => {
    const ds = new DicomDataset();
    expect(reservePrivateBlock(ds, 0x0009, 'ACME 1.0')).toBe(0x10);
    expect(creatorValue(ds, 0x00090010)).toBe('ACME 1.0');
    expect(ds.get(0x00090010)!.vr).toBe('LO');
  });

  it('takes the lowest free block, filling gaps', () => {
    const ds = new DicomDataset();
    setStrings(ds, 0x00190010, 'FIRST', 'LO');
    setStrings(ds, 0x00190012, 'THIRD', 'LO');
    expect(reservePrivateBlock(ds, 0x0019, 'SECOND')).toBe(0x11);
    expect(reservePrivateBlock(ds, 0x0019, 'FOURTH')).toBe(0x13);
    expect(creatorValue(ds, 0x00190011)).toBe('SECOND');
    expect(creatorValue(ds, 0x00190013)).toBe('FOURTH');
  });

  it('reuses the block of an existing creator, with exact creator match', () => {
    const ds = new DicomDataset();
    setStrings(ds, 0x00290010, 'OTHER', 'LO');
    setStrings(ds, 0x00290011, 'SIEMENS CSA HEADER', 'LO');
    expect(reservePrivateBlock(ds, 0x0029, 'SIEMENS CSA HEADER')).toBe(0x11);
    expect(findPrivateBlock(ds, 0x0029, 'SIEMENS CSA HEADER')).toBe(0x11);
    // A creator differing in case is another creator (PS3.5 7.8.1: the value is compared as is).
    expect(reservePrivateBlock(ds, 0x0029, 'siemens csa header')).toBe(0x12);
    const first = setPrivate(ds, 0x0029, 'SIEMENS CSA HEADER', 0x08, 'CS', 'IMAGE NUM 4');
    const second = setPrivate(ds, 0x0029, 'SIEMENS CSA HEADER', 0x09, 'LO', '20050723');
    expect(first.tag).toBe(0x00291108);
    expect(second.tag).toBe(0x00291109);
    expect(ds.elements.filter((e) => (e.tag & 0xffff) < 0x100).map((e) => e.tag)).toEqual([
      0x00290010, 0x00290011, 0x00290012,
    ]);
  });

  it('finds a creator whose stored value has padding', () => {
    const ds = new DicomDataset();
    ds.put(new DicomElement(0x00090010, 'LO', ascii('GEMS_IDEN_01')));
    ds.put(new DicomElement(0x00090011, 'LO', ascii('ODD ')));
    expect(findPrivateBlock(ds, 0x0009, 'GEMS_IDEN_01')).toBe(0x10);
    expect(findPrivateBlock(ds, 0x0009, 'ODD')).toBe(0x11);
  });

  it('does not steal the block of orphan private elements', () => {
    const ds = new DicomDataset();
    // (0011,1001) and (0011,1105) without creators: blocks 0x10 and 0x11 are in use.
    ds.put(new DicomElement(0x00111001, 'UN', Uint8Array.of(1, 2)));
    ds.put(new DicomElement(0x00111105, 'UN', Uint8Array.of(3, 4)));
    expect(reservePrivateBlock(ds, 0x0011, 'NEW CREATOR')).toBe(0x12);
    const set = setPrivate(ds, 0x0011, 'NEW CREATOR', 0x01, 'SH', 'x');
    expect(set.tag).toBe(0x00111201);
    // The orphans are untouched.
    expect(ds.get(0x00111001)!.value).toEqual(Uint8Array.of(1, 2));
    expect(ds.get(0x00111105)!.value).toEqual(Uint8Array.of(3, 4));
  });

  it('setPrivate encodes strings, numbers and bytes, and replaces an existing value', () => {
    const ds = new DicomDataset();
    setPrivate(ds, 0x0043, 'GEMS_PARM_01', 0x2c, 'SS', [-3, 7]);
    setPrivate(ds, 0x0043, 'GEMS_PARM_01', 0x30, 'OB', Uint8Array.of(9, 8));
    setPrivate(ds, 0x0043, 'GEMS_PARM_01', 0x31, 'DS', ['1.5', '-2']);
    setPrivate(ds, 0x0043, 'GEMS_PARM_01', 0x31, 'DS', '3');
    expect(readNumbers(getPrivate(ds, 0x0043, 'GEMS_PARM_01', 0x2c)!)).toEqual([-3, 7]);
    expect(getPrivate(ds, 0x0043, 'GEMS_PARM_01', 0x30)!.value).toEqual(Uint8Array.of(9, 8));
    expect(ascii('3 ')).toEqual(getPrivate(ds, 0x0043, 'GEMS_PARM_01', 0x31)!.value);
    expect(getPrivate(ds, 0x0043, 'ABSENT', 0x31)).toBeUndefined();
    expect(() => setPrivate(ds, 0x0043, 'GEMS_PARM_01', 0x32, 'LO', 'a\\b')).toThrow(/backslash/);
    expect(() => setPrivate(ds, 0x0043, 'GEMS_PARM_01', 0x33, 'SQ', [1])).toThrow(PseudophiError);
  });

  it('refuses standard groups and groups 0001-0007', () => {
    const ds = new DicomDataset();
    expect(() => reservePrivateBlock(ds, 0x0010, 'X')).toThrow(PseudophiError);
    expect(() => reservePrivateBlock(ds, 0x0007, 'X')).toThrow(PseudophiError);
    expect(ds.size).toBe(0);
  });

  it('fails clearly when all 240 blocks are taken', () => {
    const ds = new DicomDataset();
    for (let b = 0x10; b <= 0xff; b++) setStrings(ds, 0x00090000 | b, `C${b}`, 'LO');
    expect(() => reservePrivateBlock(ds, 0x0009, 'ONE MORE')).toThrow(/no free private block/);
  });

  it('deletePrivateBlock removes the creator and its elements only', () => {
    const ds = new DicomDataset();
    setPrivate(ds, 0x0009, 'KEEP', 0x01, 'LO', 'keep me');
    setPrivate(ds, 0x0009, 'DROP', 0x01, 'LO', 'drop me');
    setPrivate(ds, 0x0009, 'DROP', 0xff, 'US', [5]);
    ds.put(new DicomElement(0x00091305, 'UN', Uint8Array.of(0, 0))); // orphan in block 0x13
    expect(deletePrivateBlock(ds, 0x0009, 'DROP')).toBe(3);
    expect(ds.elements.map((e) => e.tag)).toEqual([0x00090010, 0x00091001, 0x00091305]);
    expect(deletePrivateBlock(ds, 0x0009, 'DROP')).toBe(0);
    // The freed block is the lowest free one again.
    expect(reservePrivateBlock(ds, 0x0009, 'AGAIN')).toBe(0x11);
  });

  it('private elements survive a write and read and are indexed by creator', () => {
    const ds = new DicomDataset();
    setStrings(ds, 0x00080016, '1.2.840.10008.5.1.4.1.1.7');
    setStrings(ds, 0x00090010, 'OTHER', 'LO');
    setPrivate(ds, 0x0009, 'Acme Corp', 0x04, 'LO', 'hidden');
    const item = ds.addItem(0x00081140);
    setPrivate(item, 0x0009, 'Acme Corp', 0x05, 'UL', [70000]);
    const parsed = parseDicom(writeDicom(fileOf(ds, TS.ExplicitVRLittleEndian, 'explicit-le')));
    expect(getString(parsed.dataset, privateTagIn(0x0009, 0x11, 0x04))).toBe('hidden');
    // Sequence values are pydicom's printout of nested data sets, not compared here.
    const rows = indexDataset(parsed.dataset).map((r) => [
      r.pathText,
      r.vr === 'SQ' ? '(sequence)' : r.value,
    ]);
    expect(rows).toEqual([
      ['<(0008,0016)>', '1.2.840.10008.5.1.4.1.1.7'],
      ['<(0008,1140)>', '(sequence)'],
      ['<(0008,1140)>[<0000>]<(0009,0010)>', 'Acme Corp'],
      ['<(0008,1140)>[<0000>]<(0009,"ACME CORP",05)>', '70000'],
      ['<(0009,0010)>', 'OTHER'],
      ['<(0009,0011)>', 'Acme Corp'],
      ['<(0009,"ACME CORP",04)>', 'hidden'],
    ]);
    expect(formatPath(indexDataset(parsed.dataset)[6]!.path)).toBe('<(0009,"ACME CORP",04)>');
  });
});
