/**
 * How the MIDI-B script sees values: `str(elem.value).strip()` under pydicom 2.x. The expected strings are
 * what CPython prints (checked by hand in python3: repr(1e-05) == '1e-05', repr(struct.unpack('<f', ...)) etc.);
 * test/interop/inspect-midi-b.test.ts checks the same rules against pydicom on real files.
 */
import { describe, expect, it } from 'vitest';
import {
  DicomDataset,
  DicomElement,
  indexDataset,
  midiBValue,
  pyBytes,
  pyFloat,
  pyStr,
  setBytes,
  setNumbers,
  setPrivate,
  setStrings,
} from '../../src/dicom/index.js';
import { ascii } from './encode-helpers.js';

describe('pyFloat (Python repr of a float)', () => {
  it.each([
    [1, '1.0'],
    [-2.5, '-2.5'],
    [0, '0.0'],
    [-0, '-0.0'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [123456789012345.6, '123456789012345.6'],
    [Math.fround(0.1), '0.10000000149011612'],
    [Math.fround(3.3), '3.299999952316284'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1.5e300, '1.5e+300'],
    [-1.25e-7, '-1.25e-07'],
    [5e-324, '5e-324'],
    [Number.NaN, 'nan'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [Number.NEGATIVE_INFINITY, '-inf'],
  ])('%s -> %s', (x, expected) => {
    expect(pyFloat(x)).toBe(expected);
  });
});

describe('pyBytes and pyStr (Python repr of bytes and str)', () => {
  it.each([
    [[0x00, 0x61, 0x62], "b'\\x00ab'"],
    [[], "b''"],
    [[0x27], `b"'"`],
    [[0x27, 0x22], `b'\\'"'`],
    [[0x22], `b'"'`],
    [[0x5c], "b'\\\\'"],
    [[0x09, 0x0a, 0x0d], "b'\\t\\n\\r'"],
    [[0x7f, 0x80, 0xff], "b'\\x7f\\x80\\xff'"],
  ])('%j -> %s', (bytes, expected) => {
    expect(pyBytes(Uint8Array.from(bytes))).toBe(expected);
  });

  it('quotes str as Python does', () => {
    expect(pyStr('ORIGINAL')).toBe("'ORIGINAL'");
    expect(pyStr("O'Brien")).toBe(`"O'Brien"`);
    expect(pyStr(`'"`)).toBe(`'\\'"'`);
    expect(pyStr('a\\b')).toBe("'a\\\\b'");
    expect(pyStr('Müller')).toBe("'Müller'");
    expect(pyStr('\x1b')).toBe("'\\x1b'");
  });
});

describe('midiBValue', () => {
  const value = (build: (ds: DicomDataset) => DicomElement): string => {
    const ds = new DicomDataset();
    const element = build(ds);
    return midiBValue(ds, element);
  };

  it('prints single values as pydicom str() does, stripped', () => {
    expect(value((ds) => setStrings(ds, 0x00100010, 'DOE^JOHN'))).toBe('DOE^JOHN');
    expect(value((ds) => setStrings(ds, 0x00080018, '1.2.3'))).toBe('1.2.3');
    expect(value((ds) => setStrings(ds, 0x00200013, ' 7'))).toBe('7');
    expect(value((ds) => setStrings(ds, 0x00180050, '2.50'))).toBe('2.50');
    expect(value((ds) => setNumbers(ds, 0x00280010, 512))).toBe('512');
    expect(value((ds) => setNumbers(ds, 0x00189087, 1000.5))).toBe('1000.5');
    expect(value((ds) => setNumbers(ds, 0x00089459, Math.fround(0.1)))).toBe('0.10000000149011612');
    expect(value((ds) => setNumbers(ds, 0x00189087, 1))).toBe('1.0');
    expect(value((ds) => setBytes(ds, 0x00280009, Uint8Array.of(0x54, 0x00, 0x10, 0x10), 'AT'))).toBe(
      '(0054, 1010)',
    );
    expect(value((ds) => setBytes(ds, 0x00091001, Uint8Array.of(0x00, 0x27), 'OB'))).toBe(`b"\\x00'"`);
    expect(value((ds) => setStrings(ds, 0x00104000, '  text with\r\nlines  '))).toBe('text with\r\nlines');
  });

  it('prints multi-values as Python lists: quoted strings, bare numbers and names', () => {
    expect(value((ds) => setStrings(ds, 0x00080008, ['ORIGINAL', 'PRIMARY']))).toBe(
      "['ORIGINAL', 'PRIMARY']",
    );
    expect(value((ds) => setStrings(ds, 0x00280030, ['0.5', '0.50']))).toBe('[0.5, 0.50]');
    expect(value((ds) => setStrings(ds, 0x00200037, ['1', '0', '0', '0', '1', '0'], 'DS'))).toBe(
      '[1, 0, 0, 0, 1, 0]',
    );
    expect(value((ds) => setNumbers(ds, 0x00281101, [256, 0, 16], 'US'))).toBe('[256, 0, 16]');
    expect(value((ds) => setNumbers(ds, 0x00189087, [1, 0.25], 'FD'))).toBe('[1.0, 0.25]');
    expect(value((ds) => setStrings(ds, 0x00081060, ['DOE^J', 'ROE^R']))).toBe('[DOE^J, ROE^R]');
    expect(value((ds) => setStrings(ds, 0x00081030, "O'Brien's study"))).toBe("O'Brien's study");
    expect(value((ds) => setPrivate(ds, 0x0009, 'X', 0x01, 'LO', ['a', "b'c"]))).toBe(`['a', "b'c"]`);
  });

  it('prints empty values as empty, and Pixel Data, Overlay Data, File Meta Information Version as REMOVED', () => {
    expect(value((ds) => ds.put(new DicomElement(0x00100010, 'PN', new Uint8Array(0))))).toBe('');
    expect(value((ds) => ds.put(new DicomElement(0x00280010, 'US', new Uint8Array(0))))).toBe('');
    expect(value((ds) => ds.put(new DicomElement(0x00091001, 'OB', new Uint8Array(0))))).toBe('');
    expect(value((ds) => setBytes(ds, 0x7fe00010, Uint8Array.of(1, 2), 'OW'))).toBe('REMOVED');
    expect(value((ds) => setBytes(ds, 0x60003000, Uint8Array.of(1, 2), 'OW'))).toBe('REMOVED');
    expect(value((ds) => setBytes(ds, 0x60023000, Uint8Array.of(1, 2), 'OW'))).toBe('REMOVED');
    expect(value((ds) => setBytes(ds, 0x00020001, Uint8Array.of(0, 1), 'OB'))).toBe('REMOVED');
  });

  it('decodes text with the data set character set', () => {
    const ds = new DicomDataset();
    setStrings(ds, 0x00080005, 'ISO_IR 100');
    const name = ds.put(
      new DicomElement(0x00100010, 'PN', Uint8Array.from([...Buffer.from('MÜLLER^JÖRG', 'latin1'), 0x20])),
    );
    expect(midiBValue(ds, name)).toBe('MÜLLER^JÖRG');
  });

  it('converts a UN element of a known standard tag by its dictionary VR, as pydicom does', () => {
    const ds = new DicomDataset();
    const rows = ds.put(new DicomElement(0x00280010, 'UN', Uint8Array.of(0x00, 0x02)));
    expect(midiBValue(ds, rows)).toBe('512');
    const name = ds.put(new DicomElement(0x00100010, 'UN', ascii('DOE^JOHN')));
    expect(midiBValue(ds, name)).toBe('DOE^JOHN');
  });
});

describe('names and VRs as pydicom gives them', () => {
  it('a private creator stored as UN is LO with its text as value', () => {
    const ds = new DicomDataset();
    const creator = ds.put(new DicomElement(0x00090010, 'UN', ascii('HMC ')));
    expect(midiBValue(ds, creator)).toBe('HMC');
    expect(indexDataset(ds).map((r) => [r.vr, r.name])).toEqual([['LO', 'Private Creator']]);
  });

  it("a private element stored as UN takes its VR from pydicom's private dictionary when the creator is known", () => {
    const ds = new DicomDataset();
    ds.put(new DicomElement(0x00090010, 'LO', ascii('GEMS_IDEN_01')));
    ds.put(new DicomElement(0x00091004, 'UN', ascii('LightSpeed16')));
    ds.put(new DicomElement(0x00091099, 'UN', ascii('xy')));
    expect(indexDataset(ds).map((r) => [r.pathText, r.vr, r.name, r.value])).toEqual([
      ['<(0009,0010)>', 'LO', 'Private Creator', 'GEMS_IDEN_01'],
      ['<(0009,"GEMS_IDEN_01",04)>', 'SH', '[Product id]', 'LightSpeed16'],
      ['<(0009,"GEMS_IDEN_01",99)>', 'UN', 'Private tag data', "b'xy'"],
    ]);
  });

  it('odd groups 0001-0007 are private to pydicom: (gggg,00xx) without a creator is a Private Creator', () => {
    const ds = new DicomDataset();
    ds.put(new DicomElement(0x00010001, 'UN', ascii('ab')));
    ds.put(new DicomElement(0x00011001, 'UN', ascii('cd')));
    expect(indexDataset(ds).map((r) => [r.pathText, r.name])).toEqual([
      ['<(0001,0001)>', 'Private Creator'],
      ['<(0001,1001)>', 'Private tag data'],
    ]);
  });
});

describe('indexDataset', () => {
  it('lists every element depth first with its tag_ds path, skipping nothing but the meta group', () => {
    const ds = new DicomDataset();
    setStrings(ds, 0x00080005, 'ISO_IR 100');
    setStrings(ds, 0x00080050, 'ACC1');
    const item = ds.addItem(0x00400275);
    const inner = item.addItem(0x00400008);
    setStrings(inner, 0x00080100, 'CODE');
    setPrivate(inner, 0x0009, 'GEMS_IDEN_01', 0x04, 'LO', 'inside');
    setStrings(item, 0x00401001, 'RP');
    setPrivate(ds, 0x0009, 'GEMS_IDEN_01', 0x04, 'LO', 'GE');
    ds.put(new DicomElement(0x00111001, 'UN', Uint8Array.of(0x41, 0x42))); // orphan: plain form
    setBytes(ds, 0x7fe00010, Uint8Array.of(0, 0), 'OW');
    const rows = indexDataset(ds);
    expect(rows.map((r) => [r.pathText, r.vr, r.name, r.value, r.depth])).toEqual([
      ['<(0008,0005)>', 'CS', 'Specific Character Set', 'ISO_IR 100', 0],
      ['<(0008,0050)>', 'SH', 'Accession Number', 'ACC1', 0],
      ['<(0009,0010)>', 'LO', 'Private Creator', 'GEMS_IDEN_01', 0],
      // pydicom's private dictionary: GEMS_IDEN_01 (0009,xx04) is 'Product id' (xx02 is 'Suite id').
      ['<(0009,"GEMS_IDEN_01",04)>', 'LO', '[Product id]', 'GE', 0],
      ['<(0011,1001)>', 'UN', 'Private tag data', "b'AB'", 0],
      ['<(0040,0275)>', 'SQ', 'Request Attributes Sequence', rows[5]!.value, 0],
      ['<(0040,0275)>[<0000>]<(0040,0008)>', 'SQ', 'Scheduled Protocol Code Sequence', rows[6]!.value, 1],
      ['<(0040,0275)>[<0000>]<(0040,0008)>[<0000>]<(0008,0100)>', 'SH', 'Code Value', 'CODE', 2],
      ['<(0040,0275)>[<0000>]<(0040,0008)>[<0000>]<(0009,0010)>', 'LO', 'Private Creator', 'GEMS_IDEN_01', 2],
      [
        '<(0040,0275)>[<0000>]<(0040,0008)>[<0000>]<(0009,"GEMS_IDEN_01",04)>',
        'LO',
        '[Product id]',
        'inside',
        2,
      ],
      ['<(0040,0275)>[<0000>]<(0040,1001)>', 'SH', 'Requested Procedure ID', 'RP', 1],
      ['<(7fe0,0010)>', 'OW', 'Pixel Data', 'REMOVED', 0],
    ]);
  });
});
