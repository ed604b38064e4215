/**
 * Pixel access: synthetic frames through each lossless codec and back (setPixelFrames, writeDicom,
 * parseDicom, decodePixels) must come back bit-exact, with the dependent attributes consistent.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DicomDataset,
  decodePixels,
  describePixels,
  framesFromFragments,
  getNumber,
  getString,
  initializeCodecs,
  parseDicom,
  readNumbers,
  setBytes,
  setNumbers,
  setPixelFrames,
  setStrings,
  Tags,
  TS,
  writeDicom,
  type DicomFile,
  type PixelDescription,
} from '../../src/dicom/index.js';
import { PixelDataError } from '../../src/errors/index.js';
import { fileOf, indexOfBytes, patternBytes } from './encode-helpers.js';

beforeAll(async () => {
  await initializeCodecs();
});

const MONO16: PixelDescription = {
  rows: 48,
  columns: 64,
  samplesPerPixel: 1,
  bitsAllocated: 16,
  bitsStored: 16,
  highBit: 15,
  pixelRepresentation: 0,
  photometricInterpretation: 'MONOCHROME2',
  planarConfiguration: 0,
  numberOfFrames: 2,
};

const RGB8: PixelDescription = {
  rows: 24,
  columns: 32,
  samplesPerPixel: 3,
  bitsAllocated: 8,
  bitsStored: 8,
  highBit: 7,
  pixelRepresentation: 0,
  photometricInterpretation: 'RGB',
  planarConfiguration: 0,
  numberOfFrames: 1,
};

/** A 16-bit frame: a smooth ramp over the full range plus deterministic noise (so codecs cannot cheat). */
function mono16Frame(seed: number): Uint8Array {
  const noise = patternBytes(MONO16.rows * MONO16.columns, seed);
  const out = new Uint8Array(MONO16.rows * MONO16.columns * 2);
  const view = new DataView(out.buffer);
  for (let y = 0; y < MONO16.rows; y++) {
    for (let x = 0; x < MONO16.columns; x++) {
      const i = y * MONO16.columns + x;
      view.setUint16(i * 2, (x * 1000 + y * 37 + noise[i]! * 3) & 0xffff, true);
    }
  }
  view.setUint16(0, 0xffff, true);
  view.setUint16(2, 0, true);
  return out;
}

/** An 8-bit RGB frame, interleaved: distinct gradients per channel plus noise. */
function rgb8Frame(): Uint8Array {
  const noise = patternBytes(RGB8.rows * RGB8.columns * 3, 99);
  const out = new Uint8Array(RGB8.rows * RGB8.columns * 3);
  for (let y = 0; y < RGB8.rows; y++) {
    for (let x = 0; x < RGB8.columns; x++) {
      const i = (y * RGB8.columns + x) * 3;
      out[i] = (x * 8 + (noise[i]! & 7)) & 0xff;
      out[i + 1] = (y * 10 + (noise[i + 1]! & 7)) & 0xff;
      out[i + 2] = (255 - x * 4 - y * 2) & 0xff;
    }
  }
  return out;
}

/** A header-only image data set whose attributes say `d`, with placeholder native Pixel Data. */
function imageFile(
  d: PixelDescription,
  transferSyntaxUid: string = TS.ExplicitVRLittleEndian,
  encoding: DicomFile['datasetEncoding'] = 'explicit-le',
): DicomFile {
  const ds = new DicomDataset();
  setStrings(ds, 0x00080016, '1.2.840.10008.5.1.4.1.1.7');
  setStrings(ds, 0x00080018, '1.2.3.4.5.6.7');
  setStrings(ds, 0x00100010, 'PIXEL^TEST');
  setNumbers(ds, Tags.SamplesPerPixel, d.samplesPerPixel);
  setStrings(ds, Tags.PhotometricInterpretation, d.photometricInterpretation);
  if (d.samplesPerPixel > 1) setNumbers(ds, Tags.PlanarConfiguration, d.planarConfiguration);
  if (d.numberOfFrames > 1) setStrings(ds, Tags.NumberOfFrames, String(d.numberOfFrames));
  setNumbers(ds, Tags.Rows, d.rows);
  setNumbers(ds, Tags.Columns, d.columns);
  setNumbers(ds, Tags.BitsAllocated, d.bitsAllocated);
  setNumbers(ds, Tags.BitsStored, d.bitsStored);
  setNumbers(ds, Tags.HighBit, d.highBit);
  setNumbers(ds, Tags.PixelRepresentation, d.pixelRepresentation);
  const length = d.rows * d.columns * d.samplesPerPixel * (d.bitsAllocated / 8) * d.numberOfFrames;
  setBytes(ds, Tags.PixelData, new Uint8Array(length), d.bitsAllocated > 8 ? 'OW' : 'OB');
  return fileOf(ds, transferSyntaxUid, encoding);
}

const CODECS: ReadonlyArray<[string, string]> = [
  ['RLE Lossless', TS.RLELossless],
  ['JPEG Lossless SV1', TS.JPEGLosslessSV1],
  ['JPEG-LS Lossless', TS.JPEGLSLossless],
  ['JPEG 2000 Lossless', TS.JPEG2000Lossless],
  ['Explicit VR Little Endian', TS.ExplicitVRLittleEndian],
];

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

describe('lossless pixel round trips', () => {
  for (const [name, uid] of CODECS) {
    it(`${name}: 16-bit monochrome, 2 frames, bit-exact`, () => {
      const frames = [mono16Frame(1), mono16Frame(2)];
      const file = imageFile(MONO16);
      setPixelFrames(file, frames, MONO16, uid);
      const parsed = parseDicom(writeDicom(file), { path: `mono16-${name}.dcm` });
      expect(parsed.transferSyntaxUid).toBe(uid);
      expect(getString(parsed.meta, Tags.TransferSyntaxUID)).toBe(uid);
      expect(getNumber(parsed.dataset, Tags.NumberOfFrames)).toBe(2);
      expect(getString(parsed.dataset, Tags.PhotometricInterpretation)).toBe('MONOCHROME2');
      const pixel = parsed.dataset.get(Tags.PixelData)!;
      if (uid === TS.ExplicitVRLittleEndian) {
        expect(pixel.fragments).toBeUndefined();
        expect(pixel.vr).toBe('OW');
      } else {
        // Basic Offset Table plus one fragment per frame.
        expect(pixel.fragments).toHaveLength(3);
        expect(readNumbers({ value: pixel.fragments![0]!, vr: 'UL', bigEndian: false })).toEqual([
          0,
          8 + pixel.fragments![1]!.length,
        ]);
      }
      const decoded = decodePixels(parsed);
      expect(decoded.frames).toHaveLength(2);
      expect(equalBytes(decoded.frames[0]!, frames[0]!)).toBe(true);
      expect(equalBytes(decoded.frames[1]!, frames[1]!)).toBe(true);
      expect(decoded.description.photometricInterpretation).toBe('MONOCHROME2');
      // The other header elements are untouched.
      expect(getString(parsed.dataset, 0x00100010)).toBe('PIXEL^TEST');
    });

    it(`${name}: 8-bit RGB, bit-exact, labelled as stored`, () => {
      const frame = rgb8Frame();
      const file = imageFile(RGB8);
      setPixelFrames(file, [frame], RGB8, uid);
      const parsed = parseDicom(writeDicom(file));
      expect(parsed.transferSyntaxUid).toBe(uid);
      // JPEG 2000 stores colour with the reversible colour transform: YBR_RCT (PS3.5 8.2.4).
      const stored = uid === TS.JPEG2000Lossless ? 'YBR_RCT' : 'RGB';
      expect(getString(parsed.dataset, Tags.PhotometricInterpretation)).toBe(stored);
      expect(getNumber(parsed.dataset, Tags.SamplesPerPixel)).toBe(3);
      expect(parsed.dataset.has(Tags.NumberOfFrames)).toBe(false);
      const decoded = decodePixels(parsed);
      expect(decoded.frames).toHaveLength(1);
      expect(decoded.description.photometricInterpretation).toBe('RGB');
      let frameOut = decoded.frames[0]!;
      if (decoded.description.planarConfiguration === 1) frameOut = interleave(frameOut);
      expect(equalBytes(frameOut, frame)).toBe(true);
      // A stored Planar Configuration must agree with how the bytes were actually laid out.
      if (uid === TS.ExplicitVRLittleEndian)
        expect(getNumber(parsed.dataset, Tags.PlanarConfiguration)).toBe(0);
    });
  }

  it('a re-encoded source keeps the frame count consistent when frames are dropped', () => {
    const file = imageFile(MONO16);
    setPixelFrames(file, [mono16Frame(3)], { ...MONO16, numberOfFrames: 1 }, TS.RLELossless);
    const parsed = parseDicom(writeDicom(file));
    expect(getNumber(parsed.dataset, Tags.NumberOfFrames)).toBe(1);
    expect(decodePixels(parsed).frames).toHaveLength(1);
  });

  it('describePixels reads back the layout that was written', () => {
    const file = imageFile(RGB8);
    setPixelFrames(file, [rgb8Frame()], RGB8);
    expect(describePixels(parseDicom(writeDicom(file)))).toEqual(RGB8);
  });

  it('refuses lossy output syntaxes and frames of the wrong size', () => {
    const file = imageFile(RGB8);
    expect(() => setPixelFrames(file, [rgb8Frame()], RGB8, TS.JPEGBaseline8Bit)).toThrow(PixelDataError);
    expect(() => setPixelFrames(file, [rgb8Frame().subarray(1)], RGB8)).toThrow(
      /frame 1 has 2303 bytes, 2304 expected/,
    );
    expect(file.transferSyntaxUid).toBe(TS.ExplicitVRLittleEndian);
  });
});

/** Planar (RRR...GGG...BBB) to interleaved (RGBRGB...). */
function interleave(planar: Uint8Array): Uint8Array {
  const n = planar.length / 3;
  const out = new Uint8Array(planar.length);
  for (let i = 0; i < n; i++) for (let s = 0; s < 3; s++) out[i * 3 + s] = planar[s * n + i]!;
  return out;
}

describe('big-endian sources', () => {
  it('16-bit pixels rewritten from Explicit VR Big Endian come out as valid Explicit VR Little Endian', () => {
    const d: PixelDescription = { ...MONO16, numberOfFrames: 1 };
    const frame = mono16Frame(7);
    const source = imageFile(d, TS.ExplicitVRBigEndian, 'explicit-be');
    setBytes(source.dataset, Tags.PixelData, frame, 'OW'); // little-endian values, swapped by the writer
    const bigEndianBytes = writeDicom(source);
    // On disk, the first sample 0xffff then 0x0000 then the third sample big endian.
    const third = new DataView(frame.buffer).getUint16(4, true);
    const at = indexOfBytes(bigEndianBytes, Uint8Array.of(0x7f, 0xe0, 0x00, 0x10, 0x4f, 0x57));
    expect(Array.from(bigEndianBytes.subarray(at + 16, at + 18))).toEqual([third >> 8, third & 0xff]);

    const parsed = parseDicom(bigEndianBytes);
    expect(parsed.datasetEncoding).toBe('explicit-be');
    const decoded = decodePixels(parsed);
    expect(equalBytes(decoded.frames[0]!, frame)).toBe(true);
    setPixelFrames(parsed, decoded.frames, decoded.description);
    const out = parseDicom(writeDicom(parsed));
    expect(out.transferSyntaxUid).toBe(TS.ExplicitVRLittleEndian);
    expect(out.datasetEncoding).toBe('explicit-le');
    const pixel = out.dataset.get(Tags.PixelData)!;
    expect(pixel.bigEndian).toBe(false);
    expect(equalBytes(pixel.value!, frame)).toBe(true);
    expect(getNumber(out.dataset, Tags.Rows)).toBe(48);
    expect(getNumber(out.dataset, Tags.BitsAllocated)).toBe(16);
    expect(getString(out.dataset, 0x00100010)).toBe('PIXEL^TEST');
  });

  it('32-bit big-endian pixels decode to little-endian samples', () => {
    const d: PixelDescription = {
      ...MONO16,
      bitsAllocated: 32,
      bitsStored: 32,
      highBit: 31,
      numberOfFrames: 1,
      rows: 2,
      columns: 2,
    };
    const ds = imageFile(d).dataset;
    // Big-endian 32-bit samples as pydicom's rtdose_expb.dcm stores them: most significant byte first.
    const samples = [0x00130ee8, 0x0012fb60, 1, 0xdeadbeef];
    const be = new Uint8Array(16);
    samples.forEach((s, i) => new DataView(be.buffer).setUint32(i * 4, s, false));
    const pixel = setBytes(ds, Tags.PixelData, be, 'OB');
    pixel.bigEndian = true;
    const file = fileOf(ds, TS.ExplicitVRBigEndian, 'explicit-be');
    const frame = decodePixels(file).frames[0]!;
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    expect([0, 1, 2, 3].map((i) => view.getUint32(i * 4, true))).toEqual(samples);
  });
});

describe('native layouts', () => {
  it('YBR_FULL_422 is upsampled to YBR_FULL (Y1 Y2 Cb Cr -> Y1 Cb Cr Y2 Cb Cr), as pydicom does', () => {
    const d: PixelDescription = { ...RGB8, rows: 1, columns: 4, photometricInterpretation: 'YBR_FULL_422' };
    const file = imageFile(d);
    setBytes(file.dataset, Tags.PixelData, Uint8Array.of(10, 11, 128, 129, 20, 21, 130, 131), 'OB');
    const decoded = decodePixels(file);
    expect(decoded.description.photometricInterpretation).toBe('YBR_FULL');
    expect(Array.from(decoded.frames[0]!)).toEqual([10, 128, 129, 11, 128, 129, 20, 130, 131, 21, 130, 131]);
  });

  it('Pixel Data without Rows and Columns is a PixelDataError, not empty frames', () => {
    const file = imageFile(RGB8);
    file.dataset.delete(Tags.Rows);
    file.path = 'norows.dcm';
    expect(() => decodePixels(file)).toThrow(
      /norows\.dcm: Pixel Data without Rows, Columns and Bits Allocated/,
    );
  });

  it('a Number of Frames that is not an integer is a PixelDataError, not zero frames', () => {
    const file = imageFile(RGB8);
    setStrings(file.dataset, Tags.NumberOfFrames, '1', 'IS');
    file.dataset.get(Tags.NumberOfFrames)!.value = Uint8Array.from(Buffer.from('1A'));
    expect(() => decodePixels(file)).toThrow(/Number of Frames "1A" is not an integer/);
  });

  it('native Pixel Data shorter than its frames is a PixelDataError naming the sizes', () => {
    const file = imageFile(RGB8);
    setBytes(file.dataset, Tags.PixelData, new Uint8Array(100), 'OB');
    expect(() => decodePixels(file)).toThrow(/Pixel Data has 100 bytes, 2304 expected for 1 frame\(s\)/);
  });
});

describe('framesFromFragments', () => {
  const f = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);
  const split = (fragments: Uint8Array[], frames: number): number[][] =>
    framesFromFragments(fragments, frames).map((frame) => Array.from(frame));

  it('one frame: all fragments concatenated', () => {
    expect(split([f(), f(0xff, 0xd8, 1), f(2, 3)], 1)).toEqual([[0xff, 0xd8, 1, 2, 3]]);
  });

  it('several frames split by the Basic Offset Table', () => {
    const table = new Uint8Array(8);
    new DataView(table.buffer).setUint32(4, 8 + 2 + 8 + 2, true);
    expect(split([table, f(1, 2), f(3, 4), f(5, 6)], 2)).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
  });

  it('several frames without an offset table: split at JPEG start markers', () => {
    expect(split([f(), f(0xff, 0xd8, 1, 1), f(2, 2), f(0xff, 0xd8, 3, 3)], 2)).toEqual([
      [0xff, 0xd8, 1, 1, 2, 2],
      [0xff, 0xd8, 3, 3],
    ]);
  });

  it('fails clearly when fragments cannot be split into the frames declared', () => {
    expect(() => framesFromFragments([f(), f(1), f(2), f(3)], 2, 'x.dcm')).toThrow(
      /cannot split 3 fragments into 2 frames/,
    );
    expect(() => framesFromFragments([f()], 1, 'x.dcm')).toThrow(PixelDataError);
  });
});
