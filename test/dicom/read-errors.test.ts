/**
 * Bad input gets a DicomParseError naming the file, the byte offset and the problem; work is bounded;
 * headerless data sets are recovered where the bytes allow it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  getString,
  parseDicom,
  readDicomFile,
  readInputBytes,
  TS,
  type ReadOptions,
} from '../../src/dicom/index.js';
import { DicomParseError } from '../../src/errors/index.js';
import {
  ascii,
  concat,
  element,
  encapsulated,
  item,
  itemHeader,
  part10,
  part10Header,
  patternBytes,
  sequence,
  UNDEFINED,
  uid,
  us,
} from './encode-helpers.js';

/** Parses and returns the DicomParseError it must throw. */
function parseError(bytes: Uint8Array, options: ReadOptions = { path: 'bad.dcm' }): DicomParseError {
  try {
    parseDicom(bytes, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DicomParseError);
    const e = error as DicomParseError;
    // Every message names the file and the offset.
    expect(e.message.startsWith(`${options.path ?? '<buffer>'}: `), e.message).toBe(true);
    expect(e.message).toContain(` at byte offset ${e.offset}`);
    return e;
  }
  throw new Error('expected a DicomParseError, but the file parsed');
}

const header = part10Header(TS.ExplicitVRLittleEndian);
const le = (tag: number, vr: string, value: Uint8Array): Uint8Array => element('explicit-le', tag, vr, value);
const sopClass = le(0x00080016, 'UI', uid('1.2.840.10008.5.1.4.1.1.7'));

describe('DicomParseError names file, offset and problem', () => {
  it('text that is not DICOM', () => {
    const e = parseError(
      ascii('This is not a DICOM file, only text that happens to be long enough.\n'.repeat(3)),
    );
    expect(e.file).toBe('bad.dcm');
    expect(e.offset).toBe(0);
    expect(e.message).toBe(
      'bad.dcm: not a DICOM file: no DICM marker and no plausible first element at byte offset 0',
    );
  });

  it('garbage bytes after a valid preamble and DICM marker', () => {
    const garbage = patternBytes(256, 7);
    const e = parseError(concat(new Uint8Array(128), ascii('DICM'), garbage));
    expect(e.offset).toBeGreaterThanOrEqual(132);
    expect(e.message).toMatch(/^bad\.dcm: .* at byte offset \d+/);
  });

  it('an empty or tiny file', () => {
    expect(parseError(new Uint8Array(0)).message).toBe(
      'bad.dcm: not a DICOM file: too short at byte offset 0',
    );
    expect(parseError(Uint8Array.of(8, 0, 0x10)).message).toMatch(/not a DICOM file/);
  });

  it('a truncated element value', () => {
    const name = le(0x00100010, 'PN', ascii('DOE^JOHN'));
    const bytes = concat(header, sopClass, name).subarray(
      0,
      header.length + sopClass.length + name.length - 3,
    );
    const e = parseError(bytes);
    expect(e.offset).toBe(header.length + sopClass.length);
    expect(e.tag).toBe('(0010,0010)');
    expect(e.message).toBe(
      `bad.dcm: value length 8 exceeds the 5 bytes left at byte offset ${e.offset} (element (0010,0010))`,
    );
  });

  it('a truncated element header inside an item', () => {
    const seq = sequence(
      'explicit-le',
      0x00081140,
      [item(concat(sopClass, le(0x00081155, 'UI', uid('1.2'))), true)],
      true,
    );
    const bytes = concat(header, seq).subarray(0, header.length + 12 + 8 + sopClass.length + 5);
    const e = parseError(bytes);
    expect(e.offset).toBe(header.length + 12 + 8 + sopClass.length);
    expect(e.message).toMatch(/^bad\.dcm: truncated element header \(5 bytes left\) at byte offset \d+$/);
  });

  it('an item longer than its sequence', () => {
    const body = concat(sopClass, le(0x00081155, 'UI', uid('1.2.3')));
    const lying = concat(itemHeader(0xfffee000, body.length + 100), body);
    const seq = element('explicit-le', 0x00081140, 'SQ', lying);
    const e = parseError(concat(header, seq, le(0x00100020, 'LO', ascii('ID'))));
    expect(e.offset).toBe(header.length + 12);
    expect(e.tag).toBe('(0008,1140)');
    expect(e.message).toContain(`item length ${body.length + 100} exceeds the ${body.length} bytes left`);
  });

  it('a truncated undefined-length sequence', () => {
    const seq = sequence('explicit-le', 0x00081140, [item(sopClass, true)], true);
    const bytes = concat(header, seq).subarray(0, header.length + seq.length - 8); // no Sequence Delimitation Item
    const e = parseError(bytes);
    expect(e.message).toMatch(/sequence has no Sequence Delimitation Item/);
    expect(e.offset).toBe(bytes.length);
  });

  it('something other than an item inside a sequence', () => {
    const seq = element('explicit-le', 0x00081140, 'SQ', concat(itemHeader(0x00100010, 0)));
    const e = parseError(concat(header, seq));
    expect(e.message).toContain('expected an Item (FFFE,E000) in sequence, found (0010,0010)');
    expect(e.offset).toBe(header.length + 12);
  });

  it('a bad VR', () => {
    const bad = concat(
      Uint8Array.of(0x10, 0x00, 0x10, 0x00),
      ascii('ZZ'),
      Uint8Array.of(4, 0),
      ascii('DOE '),
    );
    const e = parseError(concat(header, sopClass, bad));
    expect(e.offset).toBe(header.length + sopClass.length + 4);
    expect(e.message).toBe(`bad.dcm: invalid VR "ZZ" at byte offset ${e.offset} (element (0010,0010))`);
  });

  it('a corrupt fragment: not an item tag', () => {
    const pixels = encapsulated([Uint8Array.of(0xff, 0xd8, 0xff, 0xd9)]);
    // Replace the second fragment's item tag (after the 12-byte header and the 8-byte empty offset table).
    const corrupt = Uint8Array.from(pixels);
    corrupt.set([0xfe, 0xff, 0x0d, 0xe0], 20);
    const e = parseError(concat(part10Header(TS.JPEGBaseline8Bit), sopClass, corrupt));
    expect(e.offset).toBe(part10Header(TS.JPEGBaseline8Bit).length + sopClass.length + 20);
    expect(e.tag).toBe('(7FE0,0010)');
    expect(e.message).toContain('corrupt encapsulated pixel data: expected an Item, found (FFFE,E00D)');
  });

  it('a corrupt fragment: length past the end of the file', () => {
    const pixels = encapsulated([Uint8Array.of(0xff, 0xd8, 0xff, 0xd9)]);
    const corrupt = Uint8Array.from(pixels);
    new DataView(corrupt.buffer).setUint32(24, 1000, true);
    const e = parseError(concat(part10Header(TS.JPEGBaseline8Bit), sopClass, corrupt));
    expect(e.offset).toBe(part10Header(TS.JPEGBaseline8Bit).length + sopClass.length + 20);
    expect(e.message).toContain('fragment length 1000 exceeds the');
  });

  it('encapsulated pixel data cut off before its delimiter', () => {
    const pixels = encapsulated([Uint8Array.of(0xff, 0xd8, 0xff, 0xd9)]);
    const bytes = concat(part10Header(TS.JPEGBaseline8Bit), sopClass, pixels.subarray(0, pixels.length - 8));
    expect(parseError(bytes).message).toMatch(/no Sequence Delimitation Item \(truncated\)/);
  });

  it('an unknown transfer syntax', () => {
    const e = parseError(part10('1.2.3.4.5.6', sopClass));
    expect(e.message).toBe('bad.dcm: unknown transfer syntax 1.2.3.4.5.6 at byte offset 0');
  });

  it('a deflated data set that does not inflate', () => {
    const e = parseError(part10(TS.DeflatedExplicitVRLittleEndian, patternBytes(64, 3)));
    expect(e.offset).toBe(part10Header(TS.DeflatedExplicitVRLittleEndian).length);
    expect(e.message).toMatch(/deflated data set cannot be inflated/);
  });

  it('offsets inside a deflated data set are reported relative to the file, after the compressed start', () => {
    const inner = concat(sopClass, le(0x00100010, 'PN', ascii('DOE^JOHN')).subarray(0, 12));
    const e = parseError(part10(TS.DeflatedExplicitVRLittleEndian, Uint8Array.from(deflateRawSync(inner))));
    expect(e.offset).toBe(part10Header(TS.DeflatedExplicitVRLittleEndian).length + sopClass.length);
  });
});

describe('work is bounded', () => {
  /** `depth` sequences each holding one item that holds the next. */
  function nested(depth: number, undefinedLength: boolean): Uint8Array {
    let inner = le(0x00080100, 'SH', ascii('LEAF'));
    for (let i = 0; i < depth; i++)
      inner = sequence('explicit-le', 0x0040a730, [item(inner, undefinedLength)], undefinedLength);
    return part10(TS.ExplicitVRLittleEndian, inner);
  }

  it.each([false, true])(
    '100 nested sequences are rejected, not a stack overflow (undefined lengths: %s)',
    (undefinedLength) => {
      const e = parseError(nested(100, undefinedLength));
      expect(e.message).toMatch(/sequences nested deeper than 64/);
      expect(e.tag).toBe('(0040,A730)');
    },
  );

  it('2 000 nested sequences are rejected just the same', () => {
    expect(parseError(nested(2_000, true)).message).toMatch(/nested deeper than 64/);
  });

  it('40 nested sequences are fine', () => {
    expect(parseDicom(nested(40, false)).dataset.size).toBe(1);
  });

  it('a deflate bomb is stopped at maxInflatedBytes', () => {
    const big = le(0x00091010, 'OB', new Uint8Array(1_000_000));
    const bytes = part10(TS.DeflatedExplicitVRLittleEndian, Uint8Array.from(deflateRawSync(big)));
    expect(bytes.length).toBeLessThan(2000);
    expect(parseError(bytes, { path: 'bomb.dcm', maxInflatedBytes: 10_000 }).message).toMatch(
      /^bomb\.dcm: deflated data set cannot be inflated/,
    );
  });

  it('readInputBytes refuses a file over the size bound, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pseudophi-read-'));
    try {
      const path = join(dir, 'big.dcm');
      await writeFile(path, new Uint8Array(100));
      await expect(readInputBytes(path, 50)).rejects.toThrow(
        `${path}: file is 100 bytes, over the 50-byte limit at byte offset 0`,
      );
      await writeFile(path, ascii('not dicom at all, just text'));
      await expect(readDicomFile(path)).rejects.toThrow(`${path}: not a DICOM file`);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('files without a Part 10 header are recovered where the bytes allow', () => {
  const dataset = (encoding: 'explicit-le' | 'explicit-be' | 'implicit-le'): Uint8Array =>
    concat(
      element(encoding, 0x00080016, 'UI', uid('1.2.840.10008.5.1.4.1.1.7')),
      element(encoding, 0x00100010, 'PN', ascii('DOE^JOHN')),
      element(encoding, 0x00280010, 'US', us([512], encoding !== 'explicit-be')),
    );

  it.each([
    ['explicit-le', TS.ExplicitVRLittleEndian],
    ['explicit-be', TS.ExplicitVRBigEndian],
    ['implicit-le', TS.ImplicitVRLittleEndian],
  ] as const)('%s data set alone', (encoding, uidText) => {
    const file = parseDicom(dataset(encoding), { path: 'headerless.dcm' });
    expect(file.preamble).toBeUndefined();
    expect(file.meta.size).toBe(0);
    expect(file.transferSyntaxSource).toBe('inferred');
    expect(file.transferSyntaxUid).toBe(uidText);
    expect(getString(file.dataset, 0x00100010)).toBe('DOE^JOHN');
    expect(file.dataset.get(0x00280010)!.vr).toBe('US');
  });

  it('DICM without a preamble', () => {
    const file = parseDicom(concat(ascii('DICM'), dataset('explicit-le')));
    expect(file.transferSyntaxUid).toBe(TS.ExplicitVRLittleEndian);
    expect(getString(file.dataset, 0x00100010)).toBe('DOE^JOHN');
  });

  it('an implicit-VR data set behind a meta group that claims explicit VR (as pydicom and dcmtk tolerate)', () => {
    const file = parseDicom(part10(TS.ExplicitVRLittleEndian, dataset('implicit-le')));
    expect(file.transferSyntaxUid).toBe(TS.ExplicitVRLittleEndian);
    expect(file.datasetEncoding).toBe('implicit-le');
    expect(getString(file.dataset, 0x00100010)).toBe('DOE^JOHN');
  });

  it('untilPixelData stops before Pixel Data', () => {
    const bytes = concat(header, sopClass, le(0x7fe00010, 'OW', new Uint8Array(4)));
    expect(parseDicom(bytes, { untilPixelData: true }).dataset.has(0x7fe00010)).toBe(false);
    expect(parseDicom(bytes).dataset.has(0x7fe00010)).toBe(true);
  });

  it('an undefined-length element that is neither a sequence nor pixel data is a clean error', () => {
    const bytes = concat(
      header,
      element('explicit-le', 0x00091010, 'OB', new Uint8Array(0), UNDEFINED),
      sopClass,
    );
    const e = parseError(bytes);
    expect(e.message).toMatch(/encapsulated pixel data|Item/);
    expect(e.offset).toBeGreaterThanOrEqual(header.length);
  });
});
