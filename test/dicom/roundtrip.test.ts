/**
 * Read/write round trips in the four native encodings, conversions between them, and byte fidelity:
 * untouched elements and items are copied verbatim, group lengths are recomputed only for edited groups,
 * and edits at depth 3 of nested sequences change exactly what they name.
 */
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  DicomDataset,
  DicomElement,
  encodeDataset,
  getString,
  parseDicom,
  parsePath,
  readNumbers,
  requireTag,
  resolvePath,
  setStrings,
  Tags,
  TS,
  writeDicom,
  type ElementEncoding,
} from '../../src/dicom/index.js';
import {
  ascii,
  concat,
  element,
  fileOf,
  indexOfBytes,
  item,
  itemHeader as itemHeaderLe,
  part10,
  part10Header,
  sequence,
  uid,
  ul,
  us,
} from './encode-helpers.js';
import { buildSample, flatten, T } from './sample-dataset.js';

const SYNTAXES: ReadonlyArray<[name: string, uid: string, encoding: ElementEncoding]> = [
  ['Implicit VR Little Endian', TS.ImplicitVRLittleEndian, 'implicit-le'],
  ['Explicit VR Little Endian', TS.ExplicitVRLittleEndian, 'explicit-le'],
  ['Explicit VR Big Endian', TS.ExplicitVRBigEndian, 'explicit-be'],
  ['Deflated Explicit VR Little Endian', TS.DeflatedExplicitVRLittleEndian, 'explicit-le'],
];

/** Implicit VR cannot carry the VR of private elements the dictionary does not know: they read back as UN. */
const implicitView = (lines: string[]): string[] =>
  lines.map((l) => l.replace(/^(\(0009,10\d\d\)) (LO|US|OB) /, '$1 UN '));

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

describe('round trip in each transfer syntax', () => {
  for (const [name, uidText, encoding] of SYNTAXES) {
    it(`${name}: every element comes back with its VR and value`, () => {
      const bytes = writeDicom(fileOf(buildSample(), uidText, encoding));
      const parsed = parseDicom(bytes, { path: 'sample.dcm' });
      expect(parsed.transferSyntaxUid).toBe(uidText);
      expect(parsed.transferSyntaxSource).toBe('meta');
      expect(parsed.datasetEncoding).toBe(encoding);
      expect(Array.from(parsed.preamble!)).toEqual(new Array(128).fill(0));
      const expected = flatten(buildSample());
      expect(flatten(parsed.dataset)).toEqual(encoding === 'implicit-le' ? implicitView(expected) : expected);
      // Decoded values, not just bytes.
      const ds = parsed.dataset;
      expect(getString(ds, T.PatientName)).toBe('DOE^JANE^^DR');
      expect(getString(ds, T.StudyDescription)).toBe('Brain MRI, with contrast');
      expect(readNumbers(ds.get(T.SimpleFrameList)!)).toEqual([1, 4294967295]);
      expect(readNumbers(ds.get(T.SelectorSLValue)!)).toEqual([-5, 2147483647]);
      expect(readNumbers(ds.get(T.SelectorSVValue)!)).toEqual([-9007199254740991]);
      expect(readNumbers(ds.get(T.RecommendedDisplayFrameRateInFloat)!)).toEqual([Math.fround(0.1), -2.5]);
      expect(readNumbers(ds.get(T.DiffusionBValue)!)).toEqual([1000.125]);
      expect(readNumbers(ds.get(T.FrameIncrementPointer)!)).toEqual([0x00280008]);
      expect(readNumbers(ds.get(T.Rows)!)).toEqual([2]);
      // The meta group says what was written.
      expect(getString(parsed.meta, Tags.TransferSyntaxUID)).toBe(uidText);
      expect(getString(parsed.meta, Tags.MediaStorageSOPInstanceUID)).toBe('1.2.826.0.1.3680043.2.1125.1');
      // The meta group length covers the meta group exactly: the data set's first element follows it.
      const metaLength = readNumbers(parsed.meta.get(Tags.FileMetaInformationGroupLength)!)[0]!;
      const firstTag = encoding === 'explicit-be' ? [0x00, 0x08, 0x00, 0x08] : [0x08, 0x00, 0x08, 0x00];
      if (uidText !== TS.DeflatedExplicitVRLittleEndian) {
        expect(Array.from(bytes.subarray(132 + 12 + metaLength, 132 + 12 + metaLength + 4))).toEqual(
          firstTag,
        );
      }
      // Unchanged, the parsed file is written back byte for byte.
      expect(asBuffer(writeDicom(parsed)).equals(asBuffer(bytes))).toBe(true);
    });
  }

  it('Explicit VR Big Endian puts numbers and tags in big-endian order on disk', () => {
    const bytes = writeDicom(fileOf(buildSample(), TS.ExplicitVRBigEndian, 'explicit-be'));
    // (0028,0011) Columns US 3, all big endian.
    expect(
      indexOfBytes(bytes, Uint8Array.of(0x00, 0x28, 0x00, 0x11, 0x55, 0x53, 0x00, 0x02, 0x00, 0x03)),
    ).toBeGreaterThan(132);
    // The meta group stays little endian (PS3.10 7.1).
    expect(indexOfBytes(bytes, Uint8Array.of(0x02, 0x00, 0x10, 0x00, 0x55, 0x49))).toBeGreaterThan(131);
    // Pixel Data OW is swapped in 16-bit words: 0x0201 is stored as 02 01.
    const pixel = indexOfBytes(bytes, Uint8Array.of(0x7f, 0xe0, 0x00, 0x10, 0x4f, 0x57));
    expect(Array.from(bytes.subarray(pixel + 12, pixel + 16))).toEqual([0x02, 0x01, 0x0f, 0xff]);
  });

  it('Deflated: the data set after the meta group is raw deflate of the Explicit VR Little Endian encoding', () => {
    const bytes = writeDicom(fileOf(buildSample(), TS.DeflatedExplicitVRLittleEndian, 'explicit-le'));
    const parsed = parseDicom(bytes);
    const metaLength = readNumbers(parsed.meta.get(Tags.FileMetaInformationGroupLength)!)[0]!;
    const inflated = inflateRawSync(bytes.subarray(132 + 12 + metaLength));
    expect(inflated.equals(asBuffer(encodeDataset(buildSample(), 'explicit-le')))).toBe(true);
  });

  for (const [fromName, fromUid, fromEncoding] of SYNTAXES) {
    for (const [toName, toUid, toEncoding] of SYNTAXES) {
      if (fromUid === toUid) continue;
      it(`converts ${fromName} to ${toName}`, () => {
        const source = parseDicom(writeDicom(fileOf(buildSample(), fromUid, fromEncoding)));
        const converted = parseDicom(writeDicom(source, { transferSyntaxUid: toUid }));
        expect(converted.transferSyntaxUid).toBe(toUid);
        expect(converted.datasetEncoding).toBe(toEncoding);
        const expected = flatten(buildSample());
        const lossy = fromEncoding === 'implicit-le' || toEncoding === 'implicit-le';
        expect(flatten(converted.dataset)).toEqual(lossy ? implicitView(expected) : expected);
      });
    }
  }
});

/**
 * A hand-encoded Explicit VR Little Endian data set with encodings the writer would never produce itself:
 * a wrong group length in group 0008 and 0020, a defined-length item next to an undefined-length one,
 * padding bytes at the end of an item, NUL padding in a string, an extra trailing space.
 */
function handEncoded() {
  const e = (tag: number, vr: string, value: Uint8Array): Uint8Array =>
    element('explicit-le', tag, vr, value);
  // Item A ends in 4 bytes of padding inside its defined length: only a verbatim copy keeps them.
  const itemA = item(
    concat(
      e(T.ReferencedSOPClassUID, 'UI', ascii('1.2.3\0')),
      e(T.ReferencedSOPInstanceUID, 'UI', ascii('9.8\0')),
      new Uint8Array(4),
    ),
  );
  const itemBBody = concat(
    e(T.ReferencedSOPInstanceUID, 'UI', ascii('1.2.4\0')),
    e(T.ReferencedFrameNumber, 'IS', ascii(' 7')),
  );
  const itemB = item(itemBBody, true);
  const patientName = e(T.PatientName, 'PN', ascii('OLD^NAME'));
  const patientId = e(T.PatientID, 'LO', ascii('ID  '));
  const parts = {
    group8Length: e(0x00080000, 'UL', ul([0x1234])),
    sopClass: e(T.SOPClassUID, 'UI', uid('1.2.840.10008.5.1.4.1.1.7')),
    sopInstance: e(T.SOPInstanceUID, 'UI', uid('1.2.3.4.5')),
    sequence: sequence('explicit-le', T.ReferencedImageSequence, [itemA, itemB], true),
    itemA,
    itemB,
    group10Length: e(0x00100000, 'UL', ul([patientName.length + patientId.length])),
    patientName,
    patientId,
    group20Length: e(0x00200000, 'UL', ul([0xdead])),
    instanceNumber: e(T.InstanceNumber, 'IS', ascii('12')),
    rows: e(T.Rows, 'US', us([4])),
  };
  const dataset = concat(
    parts.group8Length,
    parts.sopClass,
    parts.sopInstance,
    parts.sequence,
    parts.group10Length,
    parts.patientName,
    parts.patientId,
    parts.group20Length,
    parts.instanceNumber,
    parts.rows,
  );
  return { dataset, parts };
}

describe('byte fidelity of untouched elements', () => {
  it('an unedited file is copied byte for byte, odd encodings and wrong group lengths included', () => {
    const { dataset } = handEncoded();
    const bytes = part10(TS.ExplicitVRLittleEndian, dataset);
    const parsed = parseDicom(bytes);
    expect(asBuffer(encodeDataset(parsed.dataset, 'explicit-le')).equals(asBuffer(dataset))).toBe(true);
    const out = writeDicom(parsed);
    expect(asBuffer(out.subarray(out.length - dataset.length)).equals(asBuffer(dataset))).toBe(true);
  });

  it('editing one element of a group recomputes that group length only; other groups keep theirs, even if wrong', () => {
    const { parts } = handEncoded();
    const parsed = parseDicom(part10(TS.ExplicitVRLittleEndian, handEncoded().dataset));
    setStrings(parsed.dataset, T.PatientName, 'NEW^NAME^X');
    const newName = element('explicit-le', T.PatientName, 'PN', ascii('NEW^NAME^X'));
    const expected = concat(
      parts.group8Length, // 0x1234 kept: group 0008 was not edited
      parts.sopClass,
      parts.sopInstance,
      parts.sequence,
      element('explicit-le', 0x00100000, 'UL', ul([newName.length + parts.patientId.length])),
      newName,
      parts.patientId, // 'ID  ' with its extra space kept
      parts.group20Length, // 0xdead kept
      parts.instanceNumber,
      parts.rows,
    );
    expect(asBuffer(encodeDataset(parsed.dataset, 'explicit-le')).toString('hex')).toBe(
      asBuffer(expected).toString('hex'),
    );
  });

  it('editing inside one item re-encodes that item only: its sibling item is copied verbatim', () => {
    const { parts } = handEncoded();
    const parsed = parseDicom(part10(TS.ExplicitVRLittleEndian, handEncoded().dataset));
    const items = parsed.dataset.get(T.ReferencedImageSequence)!.items!;
    setStrings(items[1]!, T.ReferencedSOPInstanceUID, '1.2.44');
    const e = (tag: number, vr: string, value: Uint8Array): Uint8Array =>
      element('explicit-le', tag, vr, value);
    // Item B keeps its undefined length; its untouched IS ' 7' keeps the leading space.
    const newItemB = item(
      concat(
        e(T.ReferencedSOPInstanceUID, 'UI', ascii('1.2.44')),
        e(T.ReferencedFrameNumber, 'IS', ascii(' 7')),
      ),
      true,
    );
    const newSequence = sequence('explicit-le', T.ReferencedImageSequence, [parts.itemA, newItemB], true);
    const group8 = concat(parts.sopClass, parts.sopInstance, newSequence);
    const expected = concat(
      e(0x00080000, 'UL', ul([group8.length])), // group 0008 was edited (inside its sequence): recomputed
      group8,
      parts.group10Length,
      parts.patientName,
      parts.patientId,
      parts.group20Length,
      parts.instanceNumber,
      parts.rows,
    );
    expect(asBuffer(encodeDataset(parsed.dataset, 'explicit-le')).toString('hex')).toBe(
      asBuffer(expected).toString('hex'),
    );
  });

  it('deleting the only edited element of a group still recomputes its length', () => {
    const { parts } = handEncoded();
    const parsed = parseDicom(part10(TS.ExplicitVRLittleEndian, handEncoded().dataset));
    expect(parsed.dataset.delete(T.PatientID)).toBe(true);
    expect(parsed.dataset.delete(T.PatientID)).toBe(false);
    const out = encodeDataset(parsed.dataset, 'explicit-le');
    const expectedGroup10 = concat(
      element('explicit-le', 0x00100000, 'UL', ul([parts.patientName.length])),
      parts.patientName,
    );
    expect(indexOfBytes(out, expectedGroup10)).toBeGreaterThan(0);
    expect(indexOfBytes(out, parts.patientId)).toBe(-1);
    expect(indexOfBytes(out, parts.group8Length)).toBe(0);
  });

  it('big endian: editing a nested element keeps the untouched big-endian items verbatim', () => {
    const source = parseDicom(writeDicom(fileOf(buildSample(), TS.ExplicitVRBigEndian, 'explicit-be')));
    const items = source.dataset.get(T.ReferencedImageSequence)!.items!;
    const untouched = Uint8Array.from(items[0]!.raw!);
    setStrings(items[1]!, T.ReferencedSOPInstanceUID, '1.2.3.4.99');
    const out = writeDicom(source);
    expect(indexOfBytes(out, untouched)).toBeGreaterThan(0);
    const again = parseDicom(out);
    expect(again.datasetEncoding).toBe('explicit-be');
    const againItems = again.dataset.get(T.ReferencedImageSequence)!.items!;
    expect(getString(againItems[0]!, T.ReferencedSOPInstanceUID)).toBe('1.2.3.4.1');
    expect(getString(againItems[1]!, T.ReferencedSOPInstanceUID)).toBe('1.2.3.4.99');
    expect(readNumbers(again.dataset.get(T.Rows)!)).toEqual([2]);
  });

  it('an element whose value no longer fits a 16-bit length is written as UN in explicit VR', () => {
    const ds = buildSample();
    ds.put(new DicomElement(T.StudyDescription, 'LO', ascii('x'.repeat(70000))));
    const parsed = parseDicom(writeDicom(fileOf(ds, TS.ExplicitVRLittleEndian, 'explicit-le')));
    expect(parsed.dataset.get(T.StudyDescription)!.vr).toBe('UN');
    expect(parsed.dataset.get(T.StudyDescription)!.value!.length).toBe(70000);
  });
});

describe('set, add and delete at depth 3 of nested sequences', () => {
  const DEPTH3 = '<(0040,0275)>[<0000>]<(0040,0008)>[<0000>]<(0040,a043)>[<0000>]<(0008,0104)>';

  it('changes exactly the named elements; every other element and item is unchanged', () => {
    const source = parseDicom(writeDicom(fileOf(buildSample(), TS.ExplicitVRLittleEndian, 'explicit-le')));
    const before = flatten(source.dataset);
    const referencedRaw = Uint8Array.from(source.dataset.get(T.ReferencedImageSequence)!.raw!);
    const found = resolvePath(source.dataset, parsePath(DEPTH3));
    expect(found).toBeDefined();
    expect(getString(found!.dataset, T.CodeMeaning)).toBe('depth three');
    // set
    setStrings(found!.dataset, T.CodeMeaning, 'changed at depth three');
    // add
    setStrings(found!.dataset, requireTag('CodingSchemeVersion'), '2024');
    // delete, in the sibling item at the same depth
    const sibling = resolvePath(
      source.dataset,
      parsePath('<(0040,0275)>[<0000>]<(0040,0008)>[<0000>]<(0040,a043)>[<0001>]<(0008,0100)>'),
    );
    expect(sibling!.dataset.delete(T.CodeValue)).toBe(true);

    const out = writeDicom(source);
    const reread = parseDicom(out);
    const after = flatten(reread.dataset);
    const prefix = '(0040,0275)[0](0040,0008)[0](0040,A043)';
    const hexOf = (s: string): string => Buffer.from(s).toString('hex');
    const expected = before
      .map((line) =>
        line.startsWith(`${prefix}[0](0008,0104) `)
          ? `${prefix}[0](0008,0104) LO ${hexOf('changed at depth three')}`
          : line,
      )
      .filter((line) => !line.startsWith(`${prefix}[1](0008,0100) `));
    const insertAt = expected.indexOf(`${prefix}[0](0008,0104) LO ${hexOf('changed at depth three')}`);
    expected.splice(insertAt, 0, `${prefix}[0](0008,0103) SH ${hexOf('2024')}`);
    expect(after).toEqual(expected);
    // The sequence that was not touched is the same bytes in the output.
    expect(indexOfBytes(out, referencedRaw)).toBeGreaterThan(0);
    // The edited path's siblings at depth 2 kept their values.
    const level2 = resolvePath(
      reread.dataset,
      parsePath('<(0040,0275)>[<0000>]<(0040,0008)>[<0000>]<(0008,0102)>'),
    );
    expect(getString(level2!.dataset, T.CodingSchemeDesignator)).toBe('99LOCAL');
  });

  it('adds a new item and a new sequence at depth 3', () => {
    const source = parseDicom(writeDicom(fileOf(buildSample(), TS.ImplicitVRLittleEndian, 'implicit-le')));
    const level2 = resolvePath(
      source.dataset,
      parsePath('<(0040,0275)>[<0000>]<(0040,0008)>[<0000>]<(0008,0100)>'),
    )!.dataset;
    const added = level2.addItem(T.ConceptNameCodeSequence);
    setStrings(added, T.CodeValue, 'NEW');
    const deeper = added.addItem(requireTag('AnatomicRegionSequence'));
    setStrings(deeper, T.CodeMeaning, 'depth four');
    const reread = parseDicom(writeDicom(source));
    const seq = resolvePath(
      reread.dataset,
      parsePath('<(0040,0275)>[<0000>]<(0040,0008)>[<0000>]<(0040,a043)>'),
    )!;
    expect(seq.element.items).toHaveLength(3);
    expect(getString(seq.element.items![2]!, T.CodeValue)).toBe('NEW');
    const four = resolvePath(
      reread.dataset,
      parsePath(
        '<(0040,0275)>[<0000>]<(0040,0008)>[<0000>]<(0040,a043)>[<0002>]<(0008,2218)>[<0000>]<(0008,0104)>',
      ),
    );
    expect(getString(four!.dataset, T.CodeMeaning)).toBe('depth four');
    expect(getString(seq.element.items![0]!, T.CodeMeaning)).toBe('depth three');
  });

  it('deletes a whole nested sequence', () => {
    const source = parseDicom(writeDicom(fileOf(buildSample(), TS.ExplicitVRLittleEndian, 'explicit-le')));
    const level1 = source.dataset.get(T.RequestAttributesSequence)!.items![0]!;
    expect(level1.delete(T.ScheduledProtocolCodeSequence)).toBe(true);
    const reread = parseDicom(writeDicom(source));
    const lines = flatten(reread.dataset).filter((l) => l.startsWith('(0040,0275)'));
    expect(lines).toEqual([
      '(0040,0275) SQ 1 items',
      `(0040,0275)[0](0040,1001) SH ${Buffer.from('RP-1').toString('hex')}`,
    ]);
  });

  it('an item added to a fresh data set parents correctly (edits inside propagate to the top)', () => {
    const ds = new DicomDataset();
    const a = ds.addItem(T.RequestAttributesSequence);
    const b = a.addItem(T.ScheduledProtocolCodeSequence);
    const c = b.addItem(T.ConceptNameCodeSequence);
    setStrings(c, T.CodeValue, 'X');
    expect(c.parent?.dataset).toBe(b);
    expect(b.parent?.dataset).toBe(a);
    expect(a.parent?.dataset).toBe(ds);
    expect(ds.modifiedGroups.has(0x0040)).toBe(true);
  });
});

describe('sequences stored as UN (PS3.5 6.2.2)', () => {
  /** (0008,1140) Referenced Image Sequence stored as explicit UN of defined length, items in Implicit VR LE. */
  function unSequenceFile(body: Uint8Array): Uint8Array {
    return part10(
      TS.ExplicitVRLittleEndian,
      concat(
        element('explicit-le', T.SOPClassUID, 'UI', uid('1.2.840.10008.5.1.4.1.1.7')),
        element('explicit-le', T.ReferencedImageSequence, 'UN', body),
        element('explicit-le', T.PatientID, 'LO', ascii('ID')),
      ),
    );
  }
  const implicitItem = item(
    concat(
      element('implicit-le', T.ReferencedSOPClassUID, 'UI', uid('1.2.3')),
      element('implicit-le', T.ReferencedSOPInstanceUID, 'UI', uid('1.2.3.4')),
    ),
  );

  it('reads the items, keeps VR UN and the raw bytes, and writes an unchanged file back verbatim', () => {
    const bytes = unSequenceFile(implicitItem);
    const file = parseDicom(bytes);
    const sequence = file.dataset.get(T.ReferencedImageSequence)!;
    expect(sequence.vr).toBe('UN');
    expect(sequence.items).toHaveLength(1);
    const found = resolvePath(file.dataset, parsePath('<(0008,1140)>[<0000>]<(0008,1155)>'));
    expect(getString(found!.dataset, T.ReferencedSOPInstanceUID)).toBe('1.2.3.4');
    const dataset = bytes.subarray(part10Header(TS.ExplicitVRLittleEndian).length);
    expect(asBuffer(encodeDataset(file.dataset, 'explicit-le')).equals(asBuffer(dataset))).toBe(true);
  });

  it('an edit inside writes it as an explicit SQ with the same values', () => {
    const file = parseDicom(unSequenceFile(implicitItem));
    setStrings(file.dataset.get(T.ReferencedImageSequence)!.items![0]!, T.ReferencedSOPInstanceUID, '9.9');
    const out = writeDicom(file);
    const expected = sequence('explicit-le', T.ReferencedImageSequence, [
      item(
        concat(
          element('explicit-le', T.ReferencedSOPClassUID, 'UI', uid('1.2.3')),
          element('explicit-le', T.ReferencedSOPInstanceUID, 'UI', uid('9.9')),
        ),
      ),
    ]);
    expect(indexOfBytes(out, expected)).toBeGreaterThan(0);
    expect(getString(parseDicom(out).dataset, T.PatientID)).toBe('ID');
  });

  it('UN bytes that are not items stay an opaque UN value', () => {
    const file = parseDicom(unSequenceFile(ascii('not items')));
    const element = file.dataset.get(T.ReferencedImageSequence)!;
    expect(element.items).toBeUndefined();
    expect(element.value).toEqual(ascii('not items'));
    expect(getString(file.dataset, T.PatientID)).toBe('ID');
  });

  it('encapsulated Pixel Data read in Implicit VR is OB (PS3.5 A.4), not the dictionary OW', () => {
    const pixels = concat(
      element('implicit-le', T.PixelData, 'OB', new Uint8Array(0), 0xffffffff),
      itemHeaderLe(0xfffee000, 0),
      itemHeaderLe(0xfffee000, 2),
      Uint8Array.of(1, 2),
      itemHeaderLe(0xfffee0dd, 0),
    );
    const file = parseDicom(concat(element('implicit-le', T.SOPClassUID, 'UI', uid('1.2')), pixels));
    expect(file.dataset.get(T.PixelData)!.vr).toBe('OB');
    expect(file.dataset.get(T.PixelData)!.fragments).toHaveLength(2);
  });
});
