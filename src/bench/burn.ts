/**
 * Burned-in text throughput by pixel format (issue 4), for `npm run bench`. For each format a few
 * synthetic instances are built in memory (seeded, so every run times the same bytes); each round times
 * the header-only path (parse + write, the baseline) and the burn path (parse + burn values + burnInstance
 * + write) on the same bytes, and the table gives instances per second of each and their ratio. Before
 * timing, one instance of each format is burned, written, re-read and decoded, to prove text was drawn
 * (Burned In Annotation YES, changed pixels, the input bytes untouched); a format that fails prints why.
 */
import {
  createDicomFile,
  decodePixels,
  DicomDataset,
  DicomElement,
  deriveUid,
  frameByteLength,
  getString,
  initializeCodecs,
  lookupTransferSyntax,
  parseDicom,
  requireTag,
  setNumbers,
  setPixelFrames,
  setStrings,
  Tags,
  TS,
  writeDicom,
  type DicomFile,
  type PixelDescription,
} from '../dicom/index.js';
import { planPatientIdentity, planStudyIdentity } from '../identity/index.js';
import { IdentityValues } from '../insert/index.js';
import { burnInstance, burnValues } from '../pipeline/burn-instance.js';
import { rngFor } from '../rng/index.js';
import { createRequire } from 'node:module';

const SEED = 'bench-burn';

const SOP_CLASS: Record<string, string> = {
  CT: '1.2.840.10008.5.1.4.1.1.2',
  MR: '1.2.840.10008.5.1.4.1.1.4',
  CR: '1.2.840.10008.5.1.4.1.1.1',
  DX: '1.2.840.10008.5.1.4.1.1.1.1',
  MG: '1.2.840.10008.5.1.4.1.1.1.2',
  US: '1.2.840.10008.5.1.4.1.1.6.1',
  'US-MF': '1.2.840.10008.5.1.4.1.1.3.1',
};

/** One pixel format of the table. */
interface BurnFormat {
  name: string;
  modality: string;
  multiFrame?: boolean;
  rows: number;
  columns: number;
  /** grey: a body-like ellipse with noise; us: a speckled sector with a colour Doppler patch. */
  content: 'grey' | 'us';
  samplesPerPixel: 1 | 3;
  bitsAllocated: 8 | 16;
  bitsStored: number;
  pixelRepresentation: 0 | 1;
  photometric: 'MONOCHROME1' | 'MONOCHROME2' | 'RGB' | 'YBR_FULL_422';
  planar?: 0 | 1;
  frames?: number;
  /** Stored transfer syntax; `jpeg-baseline` is written with the lossy JPEG encoder. */
  syntax: string;
  /** Instances per round (each is a distinct instance). */
  instances: number;
}

const JPEG_BASELINE = 'jpeg-baseline';

const grey = (f: Omit<BurnFormat, 'content' | 'samplesPerPixel' | 'bitsAllocated'>): BurnFormat => ({
  ...f,
  content: 'grey',
  samplesPerPixel: 1,
  bitsAllocated: 16,
});
const colour = (
  f: Omit<
    BurnFormat,
    'content' | 'samplesPerPixel' | 'bitsAllocated' | 'bitsStored' | 'pixelRepresentation' | 'modality'
  >,
): BurnFormat => ({
  ...f,
  modality: 'US',
  content: 'us',
  samplesPerPixel: 3,
  bitsAllocated: 8,
  bitsStored: 8,
  pixelRepresentation: 0,
});

/** The formats timed: the common uncompressed ones, then one compressed source per lossless codec. */
export const BURN_FORMATS: readonly BurnFormat[] = [
  grey({
    name: 'CT MONO2 s16 512x512',
    modality: 'CT',
    rows: 512,
    columns: 512,
    bitsStored: 16,
    pixelRepresentation: 1,
    photometric: 'MONOCHROME2',
    syntax: TS.ExplicitVRLittleEndian,
    instances: 20,
  }),
  grey({
    name: 'MR MONO2 u16 256x256',
    modality: 'MR',
    rows: 256,
    columns: 256,
    bitsStored: 16,
    pixelRepresentation: 0,
    photometric: 'MONOCHROME2',
    syntax: TS.ExplicitVRLittleEndian,
    instances: 40,
  }),
  grey({
    name: 'CR MONO1 u16(12) 1024x1024',
    modality: 'CR',
    rows: 1024,
    columns: 1024,
    bitsStored: 12,
    pixelRepresentation: 0,
    photometric: 'MONOCHROME1',
    syntax: TS.ExplicitVRLittleEndian,
    instances: 8,
  }),
  grey({
    name: 'DX MONO2 u16(14) 1024x1024',
    modality: 'DX',
    rows: 1024,
    columns: 1024,
    bitsStored: 14,
    pixelRepresentation: 0,
    photometric: 'MONOCHROME2',
    syntax: TS.ExplicitVRLittleEndian,
    instances: 8,
  }),
  grey({
    name: 'MG MONO2 u16 2048x1664',
    modality: 'MG',
    rows: 2048,
    columns: 1664,
    bitsStored: 16,
    pixelRepresentation: 0,
    photometric: 'MONOCHROME2',
    syntax: TS.ExplicitVRLittleEndian,
    instances: 3,
  }),
  colour({
    name: 'US RGB planar 0 640x480',
    rows: 480,
    columns: 640,
    photometric: 'RGB',
    planar: 0,
    syntax: TS.ExplicitVRLittleEndian,
    instances: 12,
  }),
  colour({
    name: 'US RGB planar 1 640x480',
    rows: 480,
    columns: 640,
    photometric: 'RGB',
    planar: 1,
    syntax: TS.ExplicitVRLittleEndian,
    instances: 12,
  }),
  colour({
    name: 'US YBR_FULL_422 native 640x480',
    rows: 480,
    columns: 640,
    photometric: 'YBR_FULL_422',
    planar: 0,
    syntax: TS.ExplicitVRLittleEndian,
    instances: 4,
  }),
  colour({
    name: 'US JPEG baseline YBR422 640x480',
    rows: 480,
    columns: 640,
    photometric: 'YBR_FULL_422',
    planar: 0,
    syntax: JPEG_BASELINE,
    instances: 12,
  }),
  colour({
    name: 'US RGB 20 frames 640x480',
    multiFrame: true,
    rows: 480,
    columns: 640,
    photometric: 'RGB',
    planar: 0,
    frames: 20,
    syntax: TS.ExplicitVRLittleEndian,
    instances: 2,
  }),
  colour({
    name: 'US RGB RLE 640x480',
    rows: 480,
    columns: 640,
    photometric: 'RGB',
    planar: 0,
    syntax: TS.RLELossless,
    instances: 8,
  }),
  grey({
    name: 'CT MONO2 s16 512x512 RLE',
    modality: 'CT',
    rows: 512,
    columns: 512,
    bitsStored: 16,
    pixelRepresentation: 1,
    photometric: 'MONOCHROME2',
    syntax: TS.RLELossless,
    instances: 8,
  }),
  grey({
    name: 'CR MONO1 u16(12) 1024 JPEG-LS',
    modality: 'CR',
    rows: 1024,
    columns: 1024,
    bitsStored: 12,
    pixelRepresentation: 0,
    photometric: 'MONOCHROME1',
    syntax: TS.JPEGLSLossless,
    instances: 3,
  }),
  grey({
    name: 'MR MONO2 u16 256x256 JPEG lossless',
    modality: 'MR',
    rows: 256,
    columns: 256,
    bitsStored: 16,
    pixelRepresentation: 0,
    photometric: 'MONOCHROME2',
    syntax: TS.JPEGLosslessSV1,
    instances: 12,
  }),
  grey({
    name: 'CT MONO2 s16 512x512 J2K lossless',
    modality: 'CT',
    rows: 512,
    columns: 512,
    bitsStored: 16,
    pixelRepresentation: 1,
    photometric: 'MONOCHROME2',
    syntax: TS.JPEG2000Lossless,
    instances: 3,
  }),
];

/** A fast seeded noise source for bulk pixels (xorshift32), seeded from src/rng. */
function noiseFor(...keys: Array<string | number>): () => number {
  let x = rngFor(SEED, 'pixels', ...keys).int(1, 0x7fffffff);
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

/** A grey frame: an ellipse of tissue with noise and a brighter core over a background, as LE samples. */
function greyFrame(f: BurnFormat, index: number): Uint8Array {
  const { rows, columns } = f;
  const noise = noiseFor(f.name, index);
  const max = 2 ** f.bitsStored - 1;
  const signed = f.pixelRepresentation === 1;
  // Signed CT: air -1000, tissue about 40 HU; unsigned: a dark background and mid-range tissue.
  const background = signed ? -1000 : f.photometric === 'MONOCHROME1' ? Math.round(max * 0.9) : 0;
  const tissue = signed ? 40 : Math.round(max * (f.photometric === 'MONOCHROME1' ? 0.35 : 0.45));
  const spread = signed ? 30 : Math.round(max * 0.05);
  const samples = signed ? new Int16Array(rows * columns) : new Uint16Array(rows * columns);
  const cx = columns / 2;
  const cy = rows / 2;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      const r = ((x - cx) / (columns * 0.42)) ** 2 + ((y - cy) / (rows * 0.38)) ** 2;
      let v = background;
      if (r < 1) v = tissue + Math.round((noise() - 0.5) * 2 * spread) + (r < 0.2 ? spread * 4 : 0);
      samples[y * columns + x] = signed ? v : Math.max(0, Math.min(max, v));
    }
  }
  return new Uint8Array(samples.buffer);
}

/** An ultrasound RGB frame (interleaved): black, a speckled grey sector, a colour Doppler patch. */
function usRgbFrame(f: BurnFormat, index: number, frame: number): Uint8Array {
  const { rows, columns } = f;
  const noise = noiseFor(f.name, index, frame);
  const out = new Uint8Array(rows * columns * 3);
  const apexX = columns / 2;
  const apexY = rows * 0.08;
  const reach = rows * 0.88;
  const half = (35 * Math.PI) / 180;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      const dx = x - apexX;
      const dy = y - apexY;
      const d = Math.hypot(dx, dy);
      if (dy <= 0 || d < rows * 0.05 || d > reach || Math.abs(Math.atan2(dx, dy)) > half) continue;
      const o = (y * columns + x) * 3;
      const doppler = Math.abs(dx + 20 - frame * 2) < 40 && Math.abs(y - rows * 0.5) < 35;
      if (doppler) {
        const flow = noise() < 0.5;
        out[o] = flow ? 200 + Math.floor(noise() * 55) : 0;
        out[o + 1] = Math.floor(noise() * 40);
        out[o + 2] = flow ? 0 : 200 + Math.floor(noise() * 55);
      } else {
        const g = Math.min(255, Math.floor(40 + 120 * noise() * noise() + 60 * (1 - d / reach)));
        out[o] = out[o + 1] = out[o + 2] = g;
      }
    }
  }
  return out;
}

/** Interleaved RGB to planar (R... G... B...). */
function toPlanar(rgb: Uint8Array): Uint8Array {
  const pixels = rgb.length / 3;
  const out = new Uint8Array(rgb.length);
  for (let p = 0; p < pixels; p++) for (let c = 0; c < 3; c++) out[c * pixels + p] = rgb[p * 3 + c]!;
  return out;
}

/** Interleaved RGB to native YBR_FULL_422 (Y1 Y2 Cb Cr per pixel pair, PS3.3 C.7.6.3.1.2). */
function toYbr422(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array((rgb.length / 3) * 2);
  const clamp = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));
  for (let i = 0, o = 0; i + 6 <= rgb.length; i += 6, o += 4) {
    let cb = 0;
    let cr = 0;
    for (let k = 0; k < 2; k++) {
      const r = rgb[i + 3 * k]!;
      const g = rgb[i + 3 * k + 1]!;
      const b = rgb[i + 3 * k + 2]!;
      out[o + k] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
      cb += 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
      cr += 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
    }
    out[o + 2] = clamp(cb / 2);
    out[o + 3] = clamp(cr / 2);
  }
  return out;
}

const require = createRequire(import.meta.url);

/** Lossy JPEG baseline with 4:2:2 chroma, straight from dcmjs-codecs (pseudophi itself never writes lossy). */
function encodeJpegBaseline(rgb: Uint8Array, f: BurnFormat): Uint8Array {
  const { NativeCodecs, Context } = require('dcmjs-codecs') as {
    NativeCodecs: {
      encodeJpeg(ctx: unknown, p: Record<string, unknown>): { getEncodedBuffer(): Uint8Array | undefined };
    };
    Context: new (attrs: Record<string, unknown>) => unknown;
  };
  const ctx = new Context({
    width: f.columns,
    height: f.rows,
    bitsAllocated: 8,
    bitsStored: 8,
    samplesPerPixel: 3,
    pixelRepresentation: 0,
    planarConfiguration: 0,
    photometricInterpretation: 'RGB',
    decodedBuffer: rgb,
  });
  // sampleFactor is the index of dcmjs-codecs' JpegSampleFactor: 0 = 4:4:4, 1 = 4:2:2.
  const encoded = NativeCodecs.encodeJpeg(ctx, {
    lossy: true,
    quality: 90,
    sampleFactor: 1,
  }).getEncodedBuffer();
  if (!encoded) throw new Error('JPEG baseline encoder returned nothing');
  return new Uint8Array(encoded);
}

/** Builds instance `index` of a format as Part 10 bytes. */
function buildInstance(f: BurnFormat, index: number): Uint8Array {
  const ds = new DicomDataset();
  const s = (keyword: string, value: string | string[]): void =>
    void setStrings(ds, requireTag(keyword), value);
  const n = (keyword: string, value: number): void => void setNumbers(ds, requireTag(keyword), value);
  const series = f.name;
  s('SpecificCharacterSet', 'ISO_IR 100');
  s('ImageType', ['ORIGINAL', 'PRIMARY']);
  s('SOPClassUID', SOP_CLASS[f.multiFrame ? 'US-MF' : f.modality]!);
  s('SOPInstanceUID', deriveUid(SEED, 'sop', series, index));
  s('StudyDate', '20150312');
  s('StudyTime', '101500');
  s('AccessionNumber', '');
  s('Modality', f.modality);
  s('Manufacturer', 'BENCH');
  s('ReferringPhysicianName', '');
  s('PatientName', 'BENCH-BURN-001');
  s('PatientID', 'BENCH-BURN-001');
  s('PatientBirthDate', '');
  s('PatientSex', 'F');
  s('PatientAge', '063Y');
  s('StudyInstanceUID', deriveUid(SEED, 'study'));
  s('SeriesInstanceUID', deriveUid(SEED, 'series', series));
  s('StudyID', '');
  s('SeriesNumber', '1');
  s('InstanceNumber', String(index + 1));
  n('SamplesPerPixel', f.samplesPerPixel);
  s('PhotometricInterpretation', f.photometric);
  if (f.samplesPerPixel === 3) n('PlanarConfiguration', f.planar ?? 0);
  if (f.frames) s('NumberOfFrames', String(f.frames));
  n('Rows', f.rows);
  n('Columns', f.columns);
  n('BitsAllocated', f.bitsAllocated);
  n('BitsStored', f.bitsStored);
  n('HighBit', f.bitsStored - 1);
  n('PixelRepresentation', f.pixelRepresentation);
  if (f.modality === 'CT') {
    s('RescaleIntercept', '0');
    s('RescaleSlope', '1');
    s('WindowCenter', '40');
    s('WindowWidth', '400');
  }
  const d: PixelDescription = {
    rows: f.rows,
    columns: f.columns,
    samplesPerPixel: f.samplesPerPixel,
    bitsAllocated: f.bitsAllocated,
    bitsStored: f.bitsStored,
    highBit: f.bitsStored - 1,
    pixelRepresentation: f.pixelRepresentation,
    photometricInterpretation: f.photometric,
    planarConfiguration: f.planar ?? 0,
    numberOfFrames: f.frames ?? 1,
  };
  const frameCount = f.frames ?? 1;
  const rgbFrames =
    f.content === 'us' ? Array.from({ length: frameCount }, (_, k) => usRgbFrame(f, index, k)) : [];
  const file: DicomFile = createDicomFile(ds);
  if (f.syntax === JPEG_BASELINE) {
    const fragments = rgbFrames.map((rgb) => {
      const e = encodeJpegBaseline(rgb, f);
      return e.length % 2 === 0 ? e : Uint8Array.from([...e, 0]);
    });
    const element = new DicomElement(Tags.PixelData, 'OB', undefined, undefined, [
      new Uint8Array(0),
      ...fragments,
    ]);
    element.undefinedLength = true;
    ds.put(element);
    s('LossyImageCompression', '01');
    return writeDicom(file, { transferSyntaxUid: TS.JPEGBaseline8Bit });
  }
  if (f.photometric === 'YBR_FULL_422') {
    // Native YBR_FULL_422 stores 2/3 of a full frame; setPixelFrames expects full frames, so put it directly.
    ds.put(new DicomElement(Tags.PixelData, 'OB', Buffer.concat(rgbFrames.map(toYbr422))));
    return writeDicom(file, { transferSyntaxUid: f.syntax });
  }
  const frames =
    f.content === 'grey'
      ? [greyFrame(f, index)]
      : rgbFrames.map((rgb) => (f.planar === 1 ? toPlanar(rgb) : rgb));
  for (const frame of frames)
    if (frame.length !== frameByteLength(d)) throw new Error(`${f.name}: bad frame`);
  setPixelFrames(file, frames, d, f.syntax);
  return writeDicom(file, { transferSyntaxUid: f.syntax });
}

/** The identity burned into every instance (one patient, one study), as generate plans it. */
function identityFor(file: DicomFile, modality: string): IdentityValues {
  const ds = file.dataset;
  const studyDate = getString(ds, requireTag('StudyDate'));
  const patient = planPatientIdentity(SEED, {
    key: getString(ds, requireTag('PatientID'))!,
    sex: getString(ds, requireTag('PatientSex')),
    studyDates: studyDate ? [studyDate] : [],
  });
  const study = planStudyIdentity(SEED, patient, {
    key: getString(ds, requireTag('StudyInstanceUID'))!,
    studyDate,
    modalities: [modality],
  });
  return new IdentityValues(patient, study, modality);
}

/** The header-only baseline: parse and write one instance. */
function headerOnly(bytes: Uint8Array): number {
  return writeDicom(parseDicom(bytes)).length;
}

/** Parse, burn and write one instance; throws when burnInstance draws nothing (a silent no-op). */
function burnOne(bytes: Uint8Array, identity: IdentityValues, modality: string): number {
  const file = parseDicom(bytes);
  const sop = getString(file.dataset, Tags.SOPInstanceUID)!;
  const outcome = burnInstance(file, SEED, sop, modality, burnValues(identity, file));
  if (!outcome || outcome.checks.length === 0) throw new Error('burnInstance drew no PHI text');
  return writeDicom(file).length;
}

/** Proves one burn on a format: text drawn, pixels changed, output decodable, input bytes untouched. */
function checkBurn(bytes: Uint8Array, identity: IdentityValues, modality: string): string {
  const snapshot = Uint8Array.from(bytes);
  const before = decodePixels(parseDicom(bytes));
  const file = parseDicom(bytes);
  const sop = getString(file.dataset, Tags.SOPInstanceUID)!;
  const outcome = burnInstance(file, SEED, sop, modality, burnValues(identity, file));
  if (!outcome || outcome.checks.length === 0) throw new Error('burnInstance drew no PHI text');
  const written = parseDicom(writeDicom(file));
  if (getString(written.dataset, requireTag('BurnedInAnnotation')) !== 'YES')
    throw new Error('Burned In Annotation is not YES after burning');
  const after = decodePixels(written);
  if (after.frames.length !== before.frames.length) throw new Error('frame count changed');
  const changed = after.frames.some((frame, i) => Buffer.compare(frame, before.frames[i]!) !== 0);
  if (!changed) throw new Error('no pixel changed');
  if (Buffer.compare(snapshot, bytes) !== 0) throw new Error('burnInstance changed its input bytes');
  const frames = new Set(outcome.rows.map((r) => r.frame)).size;
  const out = lookupTransferSyntax(written.transferSyntaxUid)?.name ?? written.transferSyntaxUid;
  return `${outcome.checks.length} PHI boxes on ${frames}/${after.frames.length} frame(s) -> ${out}`;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Instances per second of `one` over the inputs: whole passes, repeated until at least `minSeconds` have
 * passed, so that sub-millisecond header-only passes are timed as reliably as slow burns.
 */
function rate(inputs: readonly Uint8Array[], one: (bytes: Uint8Array) => number, minSeconds = 0.05): number {
  let sink = 0;
  let done = 0;
  const start = process.hrtime.bigint();
  let seconds = 0;
  do {
    for (const bytes of inputs) sink += one(bytes);
    done += inputs.length;
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
  } while (seconds < minSeconds);
  if (sink <= 0) throw new Error('nothing written');
  return done / seconds;
}

/**
 * The burn section of `npm run bench`: for each pixel format, header-only and burn throughput in
 * instances per second (median of `rounds`) and how many header-only passes one burn costs, as lines.
 */
export async function benchBurn(rounds: number): Promise<string[]> {
  await initializeCodecs();
  const started = process.hrtime.bigint();
  const lines = [
    '',
    `burned-in text by pixel format: median of ${rounds} rounds, in memory (header-only = parse + write;`,
    'burn = parse + burn values + burnInstance (decode, plan, render, lossless write-back) + write)',
    '',
    `${'format'.padEnd(36)}${'inst'.padStart(5)}${'MiB'.padStart(7)}${'header inst/s'.padStart(15)}${'burn inst/s'.padStart(13)}${'burn ms'.padStart(9)}${'x header'.padStart(10)}  burned`,
  ];
  for (const f of BURN_FORMATS) {
    let inputs: Uint8Array[];
    let identity: IdentityValues;
    let note: string;
    try {
      inputs = Array.from({ length: f.instances }, (_, i) => buildInstance(f, i));
      identity = identityFor(parseDicom(inputs[0]!), f.modality);
      note = checkBurn(inputs[0]!, identity, f.modality);
      headerOnly(inputs[0]!); // the check above warmed the burn path; warm the baseline alike
    } catch (error) {
      lines.push(
        `${f.name.padEnd(36)}  not burned: ${error instanceof Error ? error.message : String(error)}`,
      );
      continue;
    }
    const header: number[] = [];
    const burn: number[] = [];
    let failure: string | undefined;
    for (let round = 0; round < rounds && !failure; round++) {
      header.push(rate(inputs, headerOnly));
      try {
        burn.push(rate(inputs, (bytes) => burnOne(bytes, identity, f.modality)));
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
    }
    const mib = inputs.reduce((a, b) => a + b.length, 0) / f.instances / 2 ** 20;
    const h = median(header);
    if (failure) {
      lines.push(
        `${f.name.padEnd(36)}${String(f.instances).padStart(5)}${mib.toFixed(1).padStart(7)}${h.toFixed(0).padStart(15)}  not burned: ${failure}`,
      );
      continue;
    }
    const b = median(burn);
    lines.push(
      `${f.name.padEnd(36)}${String(f.instances).padStart(5)}${mib.toFixed(1).padStart(7)}${h.toFixed(0).padStart(15)}${b.toFixed(1).padStart(13)}${(1000 / b).toFixed(1).padStart(9)}${(h / b).toFixed(1).padStart(10)}  ${note}`,
    );
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  lines.push(
    '',
    'x header = header-only inst/s / burn inst/s: one burn costs that many header-only passes of the same',
    `instances (same run; each rate over >= 50 ms). MiB = stored size per instance. Section took ${seconds.toFixed(1)} s.`,
  );
  return lines;
}
