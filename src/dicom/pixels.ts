/**
 * Pixel access: native and encapsulated Pixel Data to frames, and changed frames back to Pixel Data,
 * uncompressed or losslessly re-encoded. Codecs are dcmjs-codecs' WebAssembly builds of libjpeg-turbo,
 * CharLS, OpenJPEG and its RLE codec; nothing here decodes a bitstream by hand.
 */
import { createRequire } from 'node:module';
import { PixelDataError } from '../errors/index.js';
import { DicomElement, type DicomFile } from './dataset.js';
import { Tags } from './tag.js';
import { lookupTransferSyntax, TS, type PixelEncoding } from './transfer-syntax.js';
import { getNumber, getString, setNumbers, setStrings } from './values.js';
import { encodingOfTransferSyntax } from './write.js';

/** The Image Pixel module attributes (PS3.3 C.7.6.3) that give the layout of Pixel Data. */
export interface PixelDescription {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: number;
  photometricInterpretation: string;
  planarConfiguration: number;
  numberOfFrames: number;
}

/** Reads the pixel layout of a data set, or undefined when it has no Pixel Data. */
export function describePixels(file: DicomFile): PixelDescription | undefined {
  const ds = file.dataset;
  if (!ds.has(Tags.PixelData)) return undefined;
  const bitsAllocated = getNumber(ds, Tags.BitsAllocated) ?? 0;
  return {
    rows: getNumber(ds, Tags.Rows) ?? 0,
    columns: getNumber(ds, Tags.Columns) ?? 0,
    samplesPerPixel: getNumber(ds, Tags.SamplesPerPixel) ?? 1,
    bitsAllocated,
    bitsStored: getNumber(ds, Tags.BitsStored) ?? bitsAllocated,
    highBit: getNumber(ds, Tags.HighBit) ?? bitsAllocated - 1,
    pixelRepresentation: getNumber(ds, Tags.PixelRepresentation) ?? 0,
    photometricInterpretation: getString(ds, Tags.PhotometricInterpretation) ?? 'MONOCHROME2',
    planarConfiguration: getNumber(ds, Tags.PlanarConfiguration) ?? 0,
    numberOfFrames: Math.max(1, getNumber(ds, Tags.NumberOfFrames) ?? 1),
  };
}

/** Bytes of one native frame (bit-packed for 1-bit data). */
export function frameByteLength(d: PixelDescription): number {
  const bits = d.rows * d.columns * d.samplesPerPixel * d.bitsAllocated;
  return Math.ceil(bits / 8);
}

// dcmjs-codecs is CommonJS; its WebAssembly module is initialised once per thread, and again after release.
const require = createRequire(import.meta.url);
interface CodecContext {
  getEncodedBuffer(): Uint8Array | undefined;
  getDecodedBuffer(): Uint8Array | undefined;
  getPhotometricInterpretation(): string | undefined;
  getPlanarConfiguration(): number | undefined;
}
interface CodecsModule {
  NativeCodecs: {
    initializeAsync(opts?: Record<string, unknown>): Promise<void>;
    isInitialized(): boolean;
    release(): void;
  } & Record<string, (ctx: CodecContext, params?: Record<string, unknown>) => CodecContext>;
  Context: new (attrs: Record<string, unknown>) => CodecContext;
}
let codecs: CodecsModule | undefined;

/**
 * Loads the WebAssembly codecs; call before decoding or encoding compressed pixel data. True when this
 * call started them, false when they were already running.
 */
export async function initializeCodecs(): Promise<boolean> {
  if (codecs?.NativeCodecs.isInitialized()) return false;
  const mod = require('dcmjs-codecs') as CodecsModule;
  await mod.NativeCodecs.initializeAsync({ logCodecsInfo: false, logCodecsTrace: false });
  codecs = mod;
  return true;
}

/**
 * Lets the codecs' WebAssembly instance go; initializeCodecs starts a fresh one. Its memory (256 MiB
 * reserved) never shrinks and keeps every page its decoders and encoders touched, so a thread that
 * holds on to one after a few large images keeps hundreds of MB resident; a fresh one costs about 20 ms.
 */
export function releaseCodecs(): void {
  codecs?.NativeCodecs.release();
  codecs = undefined;
}

/** Whether the codecs are running in this thread. */
export function codecsRunning(): boolean {
  return codecs?.NativeCodecs.isInitialized() ?? false;
}

/**
 * Whether decoding or re-encoding pixels stored in this transfer syntax needs the codecs: encapsulated
 * syntaxes do, and so, to be safe, does one not known here; native pixels are read and written directly.
 */
export function needsCodecs(transferSyntaxUid: string): boolean {
  return lookupTransferSyntax(transferSyntaxUid)?.encapsulated ?? true;
}

function requireCodecs(file: string | undefined): CodecsModule {
  if (!codecs?.NativeCodecs.isInitialized()) {
    throw new PixelDataError('codecs not initialised: call initializeCodecs() first', file);
  }
  return codecs;
}

const CODEC_FUNCTIONS: Partial<Record<PixelEncoding, [decode: string, encode: string]>> = {
  rle: ['decodeRle', 'encodeRle'],
  jpeg: ['decodeJpeg', 'encodeJpeg'],
  'jpeg-ls': ['decodeJpegLs', 'encodeJpegLs'],
  jpeg2000: ['decodeJpeg2000', 'encodeJpeg2000'],
  htj2k: ['decodeHtJpeg2000', 'encodeHtJpeg2000'],
};

const contextAttrs = (d: PixelDescription): Record<string, unknown> => ({
  width: d.columns,
  height: d.rows,
  bitsAllocated: d.bitsAllocated,
  bitsStored: d.bitsStored,
  samplesPerPixel: d.samplesPerPixel,
  pixelRepresentation: d.pixelRepresentation,
  planarConfiguration: d.planarConfiguration,
  photometricInterpretation: d.photometricInterpretation,
});

/** Splits encapsulated fragments into frames (PS3.5 A.4): by the Basic Offset Table, one per fragment, or by markers. */
export function framesFromFragments(
  fragments: readonly Uint8Array[],
  numberOfFrames: number,
  file?: string,
): Uint8Array[] {
  const [offsetTable, ...data] = fragments;
  if (!offsetTable || data.length === 0)
    throw new PixelDataError('encapsulated pixel data has no fragments', file);
  const concat = (parts: readonly Uint8Array[]): Uint8Array =>
    parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  if (numberOfFrames === 1) return [concat(data)];
  if (data.length === numberOfFrames) return data.slice();
  if (offsetTable.length >= 4 * numberOfFrames) {
    const view = new DataView(offsetTable.buffer, offsetTable.byteOffset, offsetTable.byteLength);
    const starts = Array.from({ length: numberOfFrames }, (_, i) => view.getUint32(i * 4, true));
    const frames: Uint8Array[][] = starts.map(() => []);
    let position = 0;
    for (const fragment of data) {
      let frame = 0;
      while (frame + 1 < starts.length && position >= starts[frame + 1]!) frame++;
      frames[frame]!.push(fragment);
      position += 8 + fragment.length;
    }
    return frames.map(concat);
  }
  // No offset table: a fragment that opens with a JPEG SOI (FFD8) or J2K SOC (FF4F) starts a new frame.
  const frames: Uint8Array[][] = [];
  for (const fragment of data) {
    const starts = fragment[0] === 0xff && (fragment[1] === 0xd8 || fragment[1] === 0x4f);
    if (starts || frames.length === 0) frames.push([fragment]);
    else frames[frames.length - 1]!.push(fragment);
  }
  if (frames.length !== numberOfFrames) {
    throw new PixelDataError(`cannot split ${data.length} fragments into ${numberOfFrames} frames`, file);
  }
  return frames.map(concat);
}

/** Decoded frames and the layout they are in (colour may have been converted to RGB, planar to interleaved). */
export interface DecodedPixels {
  frames: Uint8Array[];
  description: PixelDescription;
}

/** Reverses the byte order of each `unit`-byte sample (trailing bytes that do not fill a unit are kept). */
function swapUnits(bytes: Uint8Array, unit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 0; i + unit <= bytes.length; i += unit)
    for (let j = 0; j < unit; j++) out[i + j] = bytes[i + unit - 1 - j]!;
  return out;
}

/** Expands YBR_FULL_422 samples (Y1 Y2 Cb Cr per pixel pair) to YBR_FULL (Y Cb Cr per pixel). */
function upsampleYbr422(stored: Uint8Array, unit: number): Uint8Array {
  const out = new Uint8Array((stored.length / 2) * 3);
  // Output sample k of a pair takes stored sample SOURCE[k]: Y1 Cb Cr Y2 Cb Cr. Byte by byte, not through
  // subarray copies, which cost an allocation per sample (a 640x480 frame took 75 ms).
  const SOURCE = [0, 2, 3, 1, 2, 3];
  for (let i = 0, o = 0; i + 4 * unit <= stored.length; i += 4 * unit, o += 6 * unit) {
    for (let k = 0; k < 6; k++) {
      const from = i + SOURCE[k]! * unit;
      const to = o + k * unit;
      for (let b = 0; b < unit; b++) out[to + b] = stored[from + b]!;
    }
  }
  return out;
}

/**
 * Decodes Pixel Data into frames of little-endian native samples. Compressed colour is returned as RGB
 * (the codec converts YBR), with the description saying so.
 */
export function decodePixels(file: DicomFile): DecodedPixels {
  const description = describePixels(file);
  const element = file.dataset.get(Tags.PixelData);
  if (!description || !element) throw new PixelDataError('no Pixel Data', file.path);
  const ts = lookupTransferSyntax(file.transferSyntaxUid);
  if (!ts) throw new PixelDataError(`unknown transfer syntax ${file.transferSyntaxUid}`, file.path);
  const frameLength = frameByteLength(description);
  // Without Rows, Columns or Bits Allocated there is no frame to cut (nested_priv_SQ.dcm); pydicom refuses too.
  if (frameLength === 0) {
    throw new PixelDataError(
      'Pixel Data without Rows, Columns and Bits Allocated cannot be decoded',
      file.path,
    );
  }
  // A Number of Frames that is not a number (badVR.dcm has IS "1A") gave zero frames without a word.
  if (!Number.isInteger(description.numberOfFrames)) {
    const text = getString(file.dataset, Tags.NumberOfFrames) ?? '';
    throw new PixelDataError(`Number of Frames ${JSON.stringify(text)} is not an integer`, file.path);
  }
  if (!element.fragments) {
    let bytes = element.value ?? new Uint8Array(0);
    // Big-endian samples are swapped per sample, 32-bit ones included (as pydicom reads rtdose_expb.dcm);
    // swapping only 16-bit data left 32-bit big-endian frames in big-endian order.
    if (element.bigEndian && description.bitsAllocated > 8)
      bytes = swapUnits(bytes, Math.ceil(description.bitsAllocated / 8));
    // Native YBR_FULL_422 stores two luminance samples per Cb/Cr pair (PS3.3 C.7.6.3.1.2): 2/3 of a full frame.
    const subsampled =
      description.photometricInterpretation === 'YBR_FULL_422' && description.samplesPerPixel === 3;
    const storedLength = subsampled ? (frameLength / 3) * 2 : frameLength;
    if (bytes.length < storedLength * description.numberOfFrames) {
      throw new PixelDataError(
        `Pixel Data has ${bytes.length} bytes, ${storedLength * description.numberOfFrames} expected for ${description.numberOfFrames} frame(s)`,
        file.path,
        file.transferSyntaxUid,
      );
    }
    const frames = Array.from({ length: description.numberOfFrames }, (_, i) =>
      bytes.subarray(i * storedLength, (i + 1) * storedLength),
    );
    if (subsampled) {
      // Upsampled to YBR_FULL, as pydicom does (Y1 Y2 Cb Cr -> Y1 Cb Cr Y2 Cb Cr); no colour conversion.
      const unit = Math.ceil(description.bitsAllocated / 8);
      const full = frames.map((stored) => upsampleYbr422(stored, unit));
      return {
        frames: full,
        description: { ...description, photometricInterpretation: 'YBR_FULL', planarConfiguration: 0 },
      };
    }
    return { frames, description };
  }
  const fns = CODEC_FUNCTIONS[ts.pixelEncoding];
  if (!fns) throw new PixelDataError(`no decoder for ${ts.name}`, file.path, ts.uid);
  const { NativeCodecs, Context } = requireCodecs(file.path);
  const encodedFrames = framesFromFragments(element.fragments, description.numberOfFrames, file.path);
  let photometric = description.photometricInterpretation;
  let planar = description.planarConfiguration;
  // For JPEG, Photometric Interpretation says whether the stream holds YCbCr or RGB (PS3.5 8.2.1); asking
  // the codec to convert regardless lets libjpeg guess from markers, and it guesses YCbCr for RGB streams
  // without an Adobe marker (SC_jpeg_no_color_transform.dcm came out wrong; dcmtk and pydicom agree).
  const convertColorspaceToRgb =
    ts.pixelEncoding !== 'jpeg' || description.photometricInterpretation.startsWith('YBR');
  const frames = encodedFrames.map((encoded, index) => {
    let out: CodecContext;
    try {
      const ctx = new Context({ ...contextAttrs(description), encodedBuffer: encoded });
      out = NativeCodecs[fns[0]]!(ctx, { convertColorspaceToRgb });
    } catch (error) {
      throw new PixelDataError(
        `frame ${index + 1}: ${ts.name} decoder failed (${String(error)})`,
        file.path,
        ts.uid,
      );
    }
    const decoded = out.getDecodedBuffer();
    if (!decoded || decoded.length < frameLength) {
      throw new PixelDataError(
        `frame ${index + 1}: decoder returned ${decoded?.length ?? 0} bytes, ${frameLength} expected`,
        file.path,
        ts.uid,
      );
    }
    photometric = out.getPhotometricInterpretation() ?? photometric;
    planar = out.getPlanarConfiguration() ?? planar;
    return decoded.subarray(0, frameLength);
  });
  if (description.samplesPerPixel === 3 && photometric.startsWith('YBR') && ts.pixelEncoding !== 'rle')
    photometric = 'RGB';
  return {
    frames,
    description: { ...description, photometricInterpretation: photometric, planarConfiguration: planar },
  };
}

/** Transfer syntaxes changed pixels can be written in: uncompressed, or a lossless codec. */
export const LOSSLESS_OUTPUT_SYNTAXES: readonly string[] = [
  TS.ExplicitVRLittleEndian,
  TS.ImplicitVRLittleEndian,
  TS.DeflatedExplicitVRLittleEndian,
  TS.RLELossless,
  TS.JPEGLosslessSV1,
  TS.JPEGLSLossless,
  TS.JPEG2000Lossless,
];

/** Encodes one frame of little-endian native samples for an encapsulated transfer syntax. */
export function encodeFrame(frame: Uint8Array, d: PixelDescription, transferSyntaxUid: string): Uint8Array {
  const ts = lookupTransferSyntax(transferSyntaxUid);
  const fns = ts ? CODEC_FUNCTIONS[ts.pixelEncoding] : undefined;
  if (!ts || !fns || !ts.lossless)
    throw new PixelDataError(`cannot encode losslessly in ${transferSyntaxUid}`, undefined);
  const { NativeCodecs, Context } = requireCodecs(undefined);
  const ctx = new Context({ ...contextAttrs(d), decodedBuffer: frame });
  const encoded = NativeCodecs[fns[1]]!(ctx, { lossy: false }).getEncodedBuffer();
  if (!encoded) throw new PixelDataError(`${ts.name} encoder returned nothing`, undefined, ts.uid);
  return new Uint8Array(encoded);
}

const padEven = (bytes: Uint8Array): Uint8Array => {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
};

/**
 * Replaces Pixel Data with the given frames (little-endian native samples laid out as `d` says) and writes
 * them uncompressed (Explicit VR Little Endian) or losslessly encoded, keeping the dependent attributes
 * (transfer syntax, photometric interpretation, planar configuration, number of frames) consistent.
 */
export function setPixelFrames(
  file: DicomFile,
  frames: readonly Uint8Array[],
  d: PixelDescription,
  transferSyntaxUid: string = TS.ExplicitVRLittleEndian,
): void {
  if (!LOSSLESS_OUTPUT_SYNTAXES.includes(transferSyntaxUid)) {
    throw new PixelDataError(
      `pixels can only be written uncompressed or losslessly, not in ${transferSyntaxUid}`,
      file.path,
    );
  }
  const ds = file.dataset;
  const expected = frameByteLength(d);
  frames.forEach((f, i) => {
    if (f.length !== expected)
      throw new PixelDataError(`frame ${i + 1} has ${f.length} bytes, ${expected} expected`, file.path);
  });
  const ts = lookupTransferSyntax(transferSyntaxUid)!;
  const vr = d.bitsAllocated > 8 ? 'OW' : 'OB';
  if (ts.encapsulated) {
    const encoded = frames.map((f) => padEven(encodeFrame(f, d, transferSyntaxUid)));
    const offsets = new Uint8Array(4 * encoded.length);
    const view = new DataView(offsets.buffer);
    let position = 0;
    encoded.forEach((e, i) => {
      view.setUint32(i * 4, position, true);
      position += 8 + e.length;
    });
    const element = new DicomElement(Tags.PixelData, 'OB', undefined, undefined, [offsets, ...encoded]);
    element.undefinedLength = true;
    ds.put(element);
  } else {
    // One frame is stored as it is: a copy of an image of tens of MB would only add to the peak memory.
    const bytes = frames.length === 1 ? frames[0]! : Buffer.concat(frames as Uint8Array[]);
    ds.put(new DicomElement(Tags.PixelData, vr, padEven(bytes)));
  }
  // The JPEG 2000 encoder applies the reversible colour transform to three-sample frames, which makes
  // the stored Photometric Interpretation YBR_RCT (PS3.5 8.2.4).
  const photometric =
    ts.pixelEncoding === 'jpeg2000' && d.samplesPerPixel === 3 && d.photometricInterpretation === 'RGB'
      ? 'YBR_RCT'
      : d.photometricInterpretation;
  if (getString(ds, Tags.PhotometricInterpretation) !== photometric) {
    setStrings(ds, Tags.PhotometricInterpretation, photometric);
  }
  if (d.samplesPerPixel > 1 && getNumber(ds, Tags.PlanarConfiguration) !== d.planarConfiguration) {
    setNumbers(ds, Tags.PlanarConfiguration, d.planarConfiguration);
  }
  if (ds.has(Tags.NumberOfFrames) || frames.length > 1) {
    if (getNumber(ds, Tags.NumberOfFrames) !== frames.length)
      setStrings(ds, Tags.NumberOfFrames, String(frames.length));
  }
  file.transferSyntaxUid = transferSyntaxUid;
  file.datasetEncoding = encodingOfTransferSyntax(transferSyntaxUid);
}
