/**
 * Shared fixtures for the burn tests: one fixed identity's burned-in values, pixel formats across the
 * matrix the renderer supports, and synthetic frames (dark corners, a bright noisy body in the middle,
 * like the air and anatomy of a real image) built from a seed.
 */
import type { PixelDescription } from '../../src/dicom/index.js';
import type { BurnDisplayParams, BurnValue } from '../../src/burn/index.js';
import { makeRng } from '../../src/rng/index.js';

/** The values generate would supply for one patient and study. */
export function sampleValues(variant = 0): BurnValue[] {
  const names = [
    'GAINES STACY',
    'HICKMAN PAUL',
    'ORTEGA MARIA',
    'WILLIAMSON DEREK',
    'BROOKS ANITA',
    'NGUYEN THANH',
  ];
  const sexes = ['F', 'M', 'F', 'M', 'F', 'U'];
  const institutions = [
    'MERCY GENERAL HOSPITAL',
    'LAKESIDE IMAGING CENTER',
    'ST JOSEPH MEDICAL',
    'RIVERVIEW CLINIC',
    'NORTHGATE RADIOLOGY',
    'PINE VALLEY HEALTH',
  ];
  const i = variant % names.length;
  const day = String(3 + ((variant * 7) % 25)).padStart(2, '0');
  const month = String(1 + ((variant * 5) % 12)).padStart(2, '0');
  return [
    { key: 'patient.name.burned', text: names[i]!, field: 'patient.name', kind: 'A', phi: true },
    { key: 'patient.sex', text: sexes[i]!, field: 'patient.sex', kind: null, phi: false },
    {
      key: 'patient.id',
      text: String(4830291756 + variant * 7919),
      field: 'patient.id',
      kind: 'R',
      phi: true,
    },
    {
      key: 'patient.birthDate.burned',
      text: `${month}.${day}.19${50 + ((variant * 3) % 45)}`,
      field: 'patient.birthDate',
      kind: 'C',
      phi: true,
    },
    { key: 'patient.age', text: `${40 + (variant % 50)}Y`, field: 'patient.age', kind: null, phi: false },
    { key: 'study.date.burned', text: `${month}.${day}.2021`, field: 'study.date', kind: 'C', phi: true },
    {
      key: 'study.time',
      text: `1${variant % 10}:3${variant % 6}:05`,
      field: 'study.time',
      kind: null,
      phi: false,
    },
    {
      key: 'study.institution.burned',
      text: institutions[i]!,
      field: 'study.institution.name',
      kind: 'B',
      phi: true,
    },
    {
      key: 'study.accessionNumber',
      text: `A${20210315008 + variant}`,
      field: 'study.accessionNumber',
      kind: 'R',
      phi: true,
    },
    {
      key: 'study.operator.initials',
      text: ['JKR', 'ICG', 'PMH', 'TLW', 'RDB', 'KEN'][i]!,
      field: 'study.operators.0.name',
      kind: 'A',
      phi: true,
    },
    {
      key: 'study.referringPhysician.burned',
      text: 'HICKS PAUL',
      field: 'study.referringPhysician.name',
      kind: 'A',
      phi: true,
    },
  ];
}

/** Each burn layout's usual image size, [rows, columns]. */
export const LAYOUT_SIZES: Readonly<Record<string, readonly [number, number]>> = {
  ct: [512, 512],
  mr: [384, 384],
  pt: [256, 256],
  ultrasound: [480, 640],
  'midi-b': [700, 800],
  radiograph: [1000, 840],
  mammogram: [1200, 960],
};

/** A named pixel format, its display parameters, and how its synthetic frames spread their values. */
export interface Format {
  readonly name: string;
  readonly description: PixelDescription;
  readonly display: BurnDisplayParams;
}

const grey = (
  name: string,
  bitsAllocated: number,
  bitsStored: number,
  signed: boolean,
  photometric: 'MONOCHROME1' | 'MONOCHROME2',
  display: BurnDisplayParams,
  rows = 256,
  columns = 256,
  frames = 1,
): Format => ({
  name,
  description: {
    rows,
    columns,
    samplesPerPixel: 1,
    bitsAllocated,
    bitsStored,
    highBit: bitsStored - 1,
    pixelRepresentation: signed ? 1 : 0,
    photometricInterpretation: photometric,
    planarConfiguration: 0,
    numberOfFrames: frames,
  },
  display,
});

const colour = (
  name: string,
  photometric: 'RGB' | 'YBR_FULL',
  planar: 0 | 1,
  rows = 256,
  columns = 320,
): Format => ({
  name,
  description: {
    rows,
    columns,
    samplesPerPixel: 3,
    bitsAllocated: 8,
    bitsStored: 8,
    highBit: 7,
    pixelRepresentation: 0,
    photometricInterpretation: photometric,
    planarConfiguration: planar,
    numberOfFrames: 1,
  },
  display: {},
});

/** The pixel-format matrix: grey 8/12/16 bits, signed and unsigned, rescaled and windowed; colour. */
export const FORMATS: readonly Format[] = [
  grey('MONO2 8-bit', 8, 8, false, 'MONOCHROME2', {}),
  grey('MONO1 8-bit', 8, 8, false, 'MONOCHROME1', {}),
  grey('MONO2 8-bit signed', 8, 8, true, 'MONOCHROME2', { windowCenter: 0, windowWidth: 200 }),
  grey('MONO2 12-bit CT signed rescaled', 16, 12, true, 'MONOCHROME2', {
    windowCenter: 40,
    windowWidth: 400,
    rescaleSlope: 1,
    rescaleIntercept: -1024,
  }),
  grey('MONO2 12-bit unsigned windowed', 16, 12, false, 'MONOCHROME2', {
    windowCenter: 1200,
    windowWidth: 1600,
  }),
  grey('MONO1 12-bit CR', 16, 12, false, 'MONOCHROME1', { windowCenter: 2048, windowWidth: 3000 }),
  grey('MONO2 16-bit signed rescaled', 16, 16, true, 'MONOCHROME2', {
    windowCenter: 300,
    windowWidth: 1500,
    rescaleSlope: 0.5,
    rescaleIntercept: -100,
  }),
  grey('MONO2 16-bit unsigned no window', 16, 16, false, 'MONOCHROME2', {
    rescaleSlope: 2,
    rescaleIntercept: 10,
  }),
  colour('RGB interleaved', 'RGB', 0),
  colour('RGB planar', 'RGB', 1),
  colour('YBR_FULL', 'YBR_FULL', 0),
  colour('YBR_FULL planar', 'YBR_FULL', 1),
];

/** A multi-frame format: 4 frames of 8-bit ultrasound-like grey. */
export const MULTI_FRAME: Format = grey('MONO2 8-bit 4 frames', 8, 8, false, 'MONOCHROME2', {}, 240, 320, 4);

/** The same format at another size and frame count. */
export function withGeometry(format: Format, rows: number, columns: number, frames = 1): Format {
  return {
    ...format,
    name: `${format.name} ${columns}x${rows}${frames > 1 ? `x${frames}` : ''}`,
    description: { ...format.description, rows, columns, numberOfFrames: frames },
  };
}

/** Synthetic frames for a format: dark noisy background, a bright noisy body in the middle. */
export function makeFrames(format: Format, seed: string): Uint8Array[] {
  const d = format.description;
  const rng = makeRng(seed);
  const signed = d.pixelRepresentation === 1;
  const bits = d.bitsStored;
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  const span = max - min;
  const bytes = d.bitsAllocated / 8;
  return Array.from({ length: d.numberOfFrames }, () => {
    const frame = new Uint8Array(d.rows * d.columns * d.samplesPerPixel * bytes);
    const cx = d.columns / 2;
    const cy = d.rows / 2;
    const radius = Math.min(d.rows, d.columns) * 0.38;
    for (let y = 0; y < d.rows; y++) {
      for (let x = 0; x < d.columns; x++) {
        const inside = Math.hypot(x - cx, y - cy) < radius;
        const base = inside ? 0.35 + 0.25 * Math.sin(x / 9) * Math.cos(y / 13) : 0.04;
        for (let c = 0; c < d.samplesPerPixel; c++) {
          const level = Math.min(1, Math.max(0, base + rng.float(-0.03, 0.03) + c * 0.05));
          let v = Math.round(min + level * span);
          // MONOCHROME1 shows low values bright: keep the background dark on screen.
          if (d.photometricInterpretation === 'MONOCHROME1') v = max - (v - min);
          const p = y * d.columns + x;
          const i = d.planarConfiguration === 1 ? c * d.rows * d.columns + p : p * d.samplesPerPixel + c;
          if (bytes === 1) frame[i] = v & 0xff;
          else {
            frame[2 * i] = v & 0xff;
            frame[2 * i + 1] = (v >> 8) & 0xff;
          }
        }
      }
    }
    return frame;
  });
}
