/** Element paths in the MIDI-B `tag_ds` form (reference/midi-b-answer-key.md section 3). */
import { describe, expect, it } from 'vitest';
import {
  DicomDataset,
  DicomElement,
  findTag,
  formatPath,
  formatRef,
  parsePath,
  resolvePath,
  setPrivate,
  setStrings,
  type ElementPath,
} from '../../src/dicom/index.js';
import { ElementPathError } from '../../src/errors/index.js';
import { ascii } from './encode-helpers.js';

/** Paths copied from the reference page, as the script writes them. */
const REFERENCE_PATHS = [
  '<(0020,000d)>',
  '<(0008,103e)>',
  '<(0009,"GEMS_IDEN_01",04)>',
  '<(0019,"SIEMENS CT VA0  COAD",92)>',
  '<(0009,0010)>',
  '<(0008,1140)>[<0000>]<(0008,1155)>',
  '<(0040,0275)>[<0000>]<(0040,0008)>[<0000>]<(0008,0100)>',
];

describe('formatPath / parsePath', () => {
  it.each(REFERENCE_PATHS)('round-trips %s', (text) => {
    expect(formatPath(parsePath(text))).toBe(text);
  });

  it('parses into typed steps', () => {
    expect(parsePath('<(0040,0275)>[<0012>]<(0009,"ACME",0a)>')).toEqual({
      steps: [
        { ref: { kind: 'tag', tag: 0x00400275 }, item: 12 },
        { ref: { kind: 'private', group: 0x0009, creator: 'ACME', elementByte: 0x0a } },
      ],
    });
  });

  it('formats hex in lower case, creators in upper case, item indexes with 4 digits', () => {
    const path: ElementPath = {
      steps: [
        { ref: { kind: 'tag', tag: 0x0040a730 }, item: 3 },
        { ref: { kind: 'private', group: 0x00e1, creator: 'elscint1', elementByte: 0xab }, item: 10000 },
        { ref: { kind: 'tag', tag: 0x7fe00010 } },
      ],
    };
    expect(formatPath(path)).toBe('<(0040,a730)>[<0003>]<(00e1,"ELSCINT1",ab)>[<10000>]<(7fe0,0010)>');
    expect(formatPath(parsePath(formatPath(path)))).toBe(formatPath(path));
  });

  it('keeps creators with spaces, commas and quotes intact', () => {
    const text = '<(0029,"SIEMENS MEDCOM, "HDR"",08)>';
    const parsed = parsePath(text);
    expect(parsed.steps[0]!.ref).toEqual({
      kind: 'private',
      group: 0x0029,
      creator: 'SIEMENS MEDCOM, "HDR"',
      elementByte: 8,
    });
    expect(formatPath(parsed)).toBe(text);
  });

  it('reads upper-case hex but always writes lower case (the script only matches lower case)', () => {
    expect(formatPath(parsePath('<(0020,000D)>'))).toBe('<(0020,000d)>');
  });

  it.each([
    ['', /empty/],
    ['(0010,0010)', /cannot parse/],
    ['<(0010,0010)', /cannot parse/],
    ['<(001,0010)>', /cannot parse/],
    ['<(0010,00100)>', /cannot parse/],
    ['<(0010,001g)>', /cannot parse/],
    ['<(0010,0010)>x', /needs \[<iiii>\]/],
    ['<(0008,1140)><(0008,1155)>', /needs \[<iiii>\]/],
    ['<(0008,1140)>[<000>]<(0008,1155)>', /./],
    ['<(0008,1140)>[<0000>]', /ends with an item index/],
    ['<(0008,1140)>[<-001>]<(0008,1155)>', /./],
    ['<(0009,"X",4)>', /cannot parse/],
    ['<(0009,X,04)>', /cannot parse/],
    ['<(0009,"X",004)>', /cannot parse/],
    ['(0010,0010)[0](0010,0020)', /cannot parse/],
  ])('rejects %j', (text, reason) => {
    expect(() => parsePath(text)).toThrow(ElementPathError);
    expect(() => parsePath(text)).toThrow(reason);
  });

  it('refuses to format a non-final step without an item index', () => {
    const bad: ElementPath = {
      steps: [{ ref: { kind: 'tag', tag: 0x00081140 } }, { ref: { kind: 'tag', tag: 0x00081155 } }],
    };
    expect(() => formatPath(bad)).toThrow(ElementPathError);
  });

  it('formatRef gives the bare ref', () => {
    expect(formatRef({ kind: 'tag', tag: 0x00100010 })).toBe('(0010,0010)');
    expect(formatRef({ kind: 'private', group: 0x0009, creator: 'GEMS_IDEN_01', elementByte: 4 })).toBe(
      '(0009,"GEMS_IDEN_01",04)',
    );
  });
});

describe('resolvePath', () => {
  /** Top level: a creator 'Acme 1.0' in block 0x11 of group 0009 (0x10 taken by another); a sequence holding another private block. */
  function build(): DicomDataset {
    const ds = new DicomDataset();
    setStrings(ds, 0x00090010, 'OTHER', 'LO');
    setPrivate(ds, 0x0009, 'OTHER', 0x04, 'LO', 'other value');
    setPrivate(ds, 0x0009, 'Acme 1.0', 0x04, 'LO', 'acme value');
    const item0 = ds.addItem(0x00081140);
    setStrings(item0, 0x00081155, '1.2.3');
    const item1 = ds.addItem(0x00081140);
    setStrings(item1, 0x00081155, '1.2.4');
    setPrivate(item1, 0x0019, 'NESTED', 0x92, 'SH', 'deep');
    // A creator stored with leading spaces and padding still names its block.
    item1.put(new DicomElement(0x00190011, 'LO', ascii(' PADDED ')));
    item1.put(new DicomElement(0x00191101, 'SH', ascii('pad')));
    return ds;
  }

  it('finds standard elements at the top and inside items', () => {
    const ds = build();
    const found = resolvePath(ds, parsePath('<(0008,1140)>[<0001>]<(0008,1155)>'));
    expect(found?.element.tag).toBe(0x00081155);
    expect(found?.element.value).toEqual(ascii('1.2.4\0'));
    expect(found?.dataset).toBe(ds.get(0x00081140)!.items![1]);
  });

  it('finds private elements through their creator, in any block and case', () => {
    const ds = build();
    expect(resolvePath(ds, parsePath('<(0009,"ACME 1.0",04)>'))?.element.tag).toBe(0x00091104);
    expect(resolvePath(ds, parsePath('<(0009,"OTHER",04)>'))?.element.tag).toBe(0x00091004);
    expect(findTag(ds, { kind: 'private', group: 0x0009, creator: 'acme 1.0', elementByte: 4 })).toBe(
      0x00091104,
    );
    expect(resolvePath(ds, parsePath('<(0008,1140)>[<0001>]<(0019,"NESTED",92)>'))?.element.tag).toBe(
      0x00191092,
    );
    expect(resolvePath(ds, parsePath('<(0008,1140)>[<0001>]<(0019,"PADDED",01)>'))?.element.tag).toBe(
      0x00191101,
    );
  });

  it('is undefined when any step is missing', () => {
    const ds = build();
    expect(resolvePath(ds, parsePath('<(0009,"ACME 1.0",05)>'))).toBeUndefined();
    expect(resolvePath(ds, parsePath('<(0009,"NOBODY",04)>'))).toBeUndefined();
    expect(resolvePath(ds, parsePath('<(0008,1140)>[<0002>]<(0008,1155)>'))).toBeUndefined();
    expect(resolvePath(ds, parsePath('<(0008,1140)>[<0000>]<(0019,"NESTED",92)>'))).toBeUndefined();
    expect(resolvePath(ds, parsePath('<(0010,0010)>'))).toBeUndefined();
    // A non-sequence element cannot be entered.
    expect(resolvePath(ds, parsePath('<(0009,"ACME 1.0",04)>[<0000>]<(0008,1155)>'))).toBeUndefined();
  });
});
