/**
 * Cross-sectional images (CT, MR, PET) sampled from the phantom: one axial slice at a time, so a series is
 * generated and written slice by slice without holding the volume.
 */
import { crossSection, rasterRow, Tissue, type PhantomOptions, type TissueId } from './phantom.js';
import { fractalNoise, gauss1, valueNoise } from './noise.js';
import { forEachTissueRow, type PlaneGeometry } from './plane.js';
import { toDs } from '../attributes.js';

/** Where a slice lies: matrix, pixel spacing (mm), patient position of the first pixel's centre. */
export interface SliceGeometry {
  readonly rows: number;
  readonly columns: number;
  /** Row spacing (mm between rows), then column spacing, as Pixel Spacing (0028,0030) orders them. */
  readonly spacing: readonly [number, number];
  readonly x0: number;
  readonly y0: number;
  readonly z: number;
  /** +1 or -1: whether x grows (+1) or falls along a row, as Image Orientation (Patient) gives it. */
  readonly sx: number;
  /** +1 or -1: whether y grows (+1) or falls down a column. */
  readonly sy: number;
}

const CT_HU_TABLE: Record<TissueId, number> = {
  [Tissue.Air]: -1000,
  [Tissue.Fat]: -100,
  [Tissue.Soft]: 40,
  [Tissue.Muscle]: 50,
  [Tissue.Lung]: -860,
  [Tissue.Bone]: 900,
  [Tissue.Blood]: 42,
  [Tissue.Liver]: 62,
  [Tissue.Kidney]: 34,
  [Tissue.Fluid]: 6,
  [Tissue.Brain]: 34,
  [Tissue.Csf]: 8,
  [Tissue.Gland]: 30,
  [Tissue.Lesion]: 48,
  [Tissue.Table]: -350,
  [Tissue.Marrow]: 260,
};

const CT_CONTRAST_EXTRA: Partial<Record<TissueId, number>> = {
  [Tissue.Blood]: 150,
  [Tissue.Liver]: 50,
  [Tissue.Kidney]: 150,
  [Tissue.Lesion]: 40,
};

/** A tissue table as a typed array indexed by tissue id (fast in the per-pixel loops). */
const lookup = (table: Partial<Record<TissueId, number>>): Float64Array => {
  const out = new Float64Array(16);
  for (const [k, v] of Object.entries(table)) out[Number(k)] = v ?? 0;
  return out;
};
const CT_HU = lookup(CT_HU_TABLE);
const CT_HU_CONTRAST = (() => {
  const out = lookup(CT_HU_TABLE);
  for (const [k, v] of Object.entries(CT_CONTRAST_EXTRA)) out[Number(k)] = out[Number(k)]! + (v ?? 0);
  return out;
})();

/**
 * In-plane texture maps depend only on the slice grid and the seed, not on z, so a series computes them
 * once; a one-entry memo keyed by everything they depend on keeps that pure and bounded.
 */
let textureMemo: { key: string; maps: Float32Array[] } | undefined;

function textures(
  g: SliceGeometry,
  seed: number,
  makers: ReadonlyArray<(x: number, y: number) => number>,
  tag: string,
): Float32Array[] {
  const key = `${tag}|${seed}|${g.rows}|${g.columns}|${g.spacing[0]}|${g.spacing[1]}|${g.x0}|${g.y0}|${g.sx}|${g.sy}`;
  if (textureMemo?.key === key) return textureMemo.maps;
  const maps = makers.map((make) => {
    const map = new Float32Array(g.rows * g.columns);
    for (let r = 0; r < g.rows; r++) {
      const y = g.y0 + g.sy * r * g.spacing[0];
      for (let c = 0; c < g.columns; c++) map[r * g.columns + c] = make(g.x0 + g.sx * c * g.spacing[1], y);
    }
    return map;
  });
  textureMemo = { key, maps };
  return maps;
}

/** Writes one sample (little endian) of a 16-bit frame. */
function put16(out: Uint8Array, index: number, value: number): void {
  const v = value & 0xffff;
  out[index * 2] = v & 0xff;
  out[index * 2 + 1] = v >>> 8;
}

/** A CT slice in stored values: HU = stored * slope + intercept (PS3.3 C.11.1.1.2), clipped to the bits stored. */
export function renderCtSlice(
  g: SliceGeometry,
  phantom: PhantomOptions,
  o: {
    contrast: boolean;
    intercept: number;
    signed: boolean;
    bitsStored: number;
    seed: number;
    fovRadius: number;
    /** Stored value outside the reconstruction circle (instead of air). */
    padding?: number;
  },
): Uint8Array {
  const out = new Uint8Array(g.rows * g.columns * 2);
  const section = crossSection(g.z, phantom);
  const min = o.signed ? -(2 ** (o.bitsStored - 1)) : 0;
  const max = o.signed ? 2 ** (o.bitsStored - 1) - 1 : 2 ** o.bitsStored - 1;
  const zSeed = (o.seed ^ Math.round(g.z * 16)) >>> 0;
  const row = new Uint8Array(g.columns);
  const dx = g.sx * g.spacing[1];
  const hu0 = o.contrast ? CT_HU_CONTRAST : CT_HU;
  const r2 = o.fovRadius * o.fovRadius;
  const [soft, bone] = textures(
    g,
    o.seed,
    [
      (x, y) => 14 * (valueNoise(x, y, 12, o.seed) - 0.5),
      (x, y) => 120 * (fractalNoise(x, y, 4, o.seed) - 0.5),
    ],
    'ct',
  ) as [Float32Array, Float32Array];
  for (let r = 0; r < g.rows; r++) {
    const y = g.y0 + g.sy * r * g.spacing[0];
    rasterRow(section, y, g.x0, dx, row);
    for (let c = 0; c < g.columns; c++) {
      const x = g.x0 + c * dx;
      const i = r * g.columns + c;
      let hu: number;
      if (x * x + y * y > r2) {
        if (o.padding !== undefined) {
          put16(out, i, o.padding);
          continue;
        }
        hu = -1000;
      } else {
        const t = row[c]!;
        hu = hu0[t]!;
        if (t === Tissue.Lung) hu += 260 * Math.max(0, fractalNoise(x, y + g.z, 9, o.seed) - 0.62);
        else if (t === Tissue.Bone || t === Tissue.Marrow) hu += bone[i]!;
        else if (t !== Tissue.Air) hu += soft[i]!;
        hu += 9 * gauss1(c, r, zSeed);
      }
      const stored = Math.min(max, Math.max(min, Math.round(hu - o.intercept)));
      put16(out, i, stored);
    }
  }
  return out;
}

/** MR signal by tissue for each weighting (arbitrary units, as scanners store them). */
const MR_SIGNAL: Record<'T1' | 'T2' | 'DWI' | 'DCE', Record<TissueId, number>> = {
  T1: {
    0: 0,
    1: 1150,
    2: 450,
    3: 380,
    4: 15,
    5: 60,
    6: 160,
    7: 560,
    8: 420,
    9: 110,
    10: 520,
    11: 90,
    12: 340,
    13: 440,
    14: 0,
    15: 700,
  },
  T2: {
    0: 0,
    1: 720,
    2: 360,
    3: 240,
    4: 15,
    5: 40,
    6: 70,
    7: 260,
    8: 620,
    9: 1500,
    10: 640,
    11: 1550,
    12: 520,
    13: 900,
    14: 0,
    15: 500,
  },
  DWI: {
    0: 0,
    1: 40,
    2: 110,
    3: 80,
    4: 5,
    5: 20,
    6: 30,
    7: 100,
    8: 240,
    9: 70,
    10: 210,
    11: 40,
    12: 150,
    13: 620,
    14: 0,
    15: 60,
  },
  DCE: {
    0: 0,
    1: 180,
    2: 480,
    3: 380,
    4: 10,
    5: 60,
    6: 1250,
    7: 820,
    8: 1300,
    9: 140,
    10: 560,
    11: 100,
    12: 620,
    13: 1450,
    14: 0,
    15: 300,
  },
};

/** An MR slice: tissue signal times a smooth coil-sensitivity field, plus magnitude (Rician-like) noise. */
export function renderMrSlice(
  g: PlaneGeometry,
  phantom: PhantomOptions,
  o: { weighting: 'T1' | 'T2' | 'DWI' | 'DCE'; bitsStored: number; seed: number; sliceKey: number },
): Uint8Array {
  const out = new Uint8Array(g.rows * g.columns * 2);
  const signal = lookup(MR_SIGNAL[o.weighting]);
  const max = 2 ** o.bitsStored - 1;
  const sliceSeed = (o.seed ^ Math.round(o.sliceKey * 16)) >>> 0;
  // Coil sensitivity and tissue texture in image-plane millimetres: the same for every slice of a series.
  const [coil, texture] = textures(
    { rows: g.rows, columns: g.columns, spacing: [g.spacing, g.spacing], x0: 0, y0: 0, z: 0, sx: 1, sy: 1 },
    o.seed,
    [
      (u, v) => 0.75 + 0.5 * valueNoise(u, v, 140, o.seed),
      (u, v) => 0.9 + 0.2 * fractalNoise(u, v, 7, o.seed ^ 0x51),
    ],
    'mr',
  ) as [Float32Array, Float32Array];
  forEachTissueRow(g, phantom, (r, row) => {
    for (let c = 0; c < g.columns; c++) {
      const i = r * g.columns + c;
      const t = row[c]!;
      const s = signal[t]! * coil[i]! * (t === Tissue.Air ? 1 : texture[i]!);
      const n1 = 12 * gauss1(c, r, sliceSeed);
      const n2 = 12 * gauss1(c, r, sliceSeed ^ 0xabcdef);
      const v = Math.sqrt((s + n1) ** 2 + n2 * n2);
      put16(out, i, Math.min(max, Math.round(v)));
    }
  });
  return out;
}

/** PET uptake by tissue, in SUV (body-weight normalised). */
const PET_SUV: Record<TissueId, number> = {
  0: 0,
  1: 0.35,
  2: 0.9,
  3: 0.75,
  4: 0.3,
  5: 1.1,
  6: 1.7,
  7: 2.3,
  8: 3.4,
  9: 14,
  10: 7.5,
  11: 0.8,
  12: 1.3,
  13: 9,
  14: 0,
  15: 1.4,
};

const PET_SUV_LOOKUP = lookup(PET_SUV);

/**
 * A PET slice in Bq/ml: uptake sampled at 2x2 points per pixel, noisy, then smoothed (PET resolution is a
 * few pixels). Returns float activity values; the caller scales them to stored values per slice.
 */
export function renderPetActivity(
  g: SliceGeometry,
  phantom: PhantomOptions,
  o: { bqPerSuv: number; seed: number; attenuationCorrected: boolean },
): Float64Array {
  const { rows, columns } = g;
  const raw = new Float64Array(rows * columns);
  const section = crossSection(g.z, phantom);
  const zSeed = (o.seed ^ Math.round(g.z * 16)) >>> 0;
  // Uptake sampled at 2x2 points per pixel (partial volume), by scanline at twice the resolution.
  const fine = new Uint8Array(columns * 2);
  const dx = (g.sx * g.spacing[1]) / 2;
  const xStart = g.x0 - dx / 2;
  const sums = new Float64Array(columns);
  for (let r = 0; r < rows; r++) {
    sums.fill(0);
    for (let k = 0; k < 2; k++) {
      const y = g.y0 + g.sy * (r + (k - 0.5) * 0.5) * g.spacing[0];
      rasterRow(section, y, xStart, dx, fine);
      for (let c = 0; c < columns; c++)
        sums[c] = sums[c]! + PET_SUV_LOOKUP[fine[2 * c]!]! + PET_SUV_LOOKUP[fine[2 * c + 1]!]!;
    }
    const y = g.y0 + g.sy * r * g.spacing[0];
    for (let c = 0; c < columns; c++) {
      let suv = sums[c]! / 4;
      if (!o.attenuationCorrected) {
        // Without attenuation correction the body centre looks colder and the skin hotter.
        const x = g.x0 + g.sx * c * g.spacing[1];
        suv *= 0.55 + 0.6 * Math.min(1, Math.sqrt(x * x + y * y) / 200);
      }
      const noisy = suv * (1 + 0.22 * gauss1(c, r, zSeed));
      raw[r * columns + c] = Math.max(0, noisy) * o.bqPerSuv;
    }
  }
  return boxBlur(boxBlur(raw, rows, columns), rows, columns);
}

/** A 3x3 mean filter (edges replicate). */
function boxBlur(src: Float64Array, rows: number, columns: number): Float64Array {
  const out = new Float64Array(src.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      let s = 0;
      for (let dr = -1; dr <= 1; dr++) {
        const rr = Math.min(rows - 1, Math.max(0, r + dr));
        for (let dc = -1; dc <= 1; dc++) s += src[rr * columns + Math.min(columns - 1, Math.max(0, c + dc))]!;
      }
      out[r * columns + c] = s / 9;
    }
  }
  return out;
}

/** Scales activity to 16-bit stored values with a per-slice Rescale Slope (PET practice, PS3.3 C.8.9.4). */
export function quantizePet(activity: Float64Array, signed: boolean): { frame: Uint8Array; slope: number } {
  let max = 0;
  for (const v of activity) if (v > max) max = v;
  const top = signed ? 32767 : 65535;
  // The slope is rounded to what DS can hold first, so stored values times the written slope are exact.
  const slope = max > 0 ? Number(toDs((max / top) * 1.000001)) : 1;
  const frame = new Uint8Array(activity.length * 2);
  for (let i = 0; i < activity.length; i++) put16(frame, i, Math.min(top, Math.round(activity[i]! / slope)));
  return { frame, slope };
}

/** Attenuation each tissue adds over the one it sits in (relative units per mm), for localizer projections. */
const SCOUT_MU = lookup({
  [Tissue.Fat]: 0.9,
  [Tissue.Soft]: 0.1,
  [Tissue.Muscle]: 0.1,
  [Tissue.Lung]: -0.75,
  [Tissue.Bone]: 0.9,
  [Tissue.Marrow]: -0.3,
  [Tissue.Liver]: 0.05,
  [Tissue.Lesion]: 0.05,
  [Tissue.Table]: 0.3,
});

/**
 * A CT localizer (scout): a frontal projection of the phantom, rows along z from `zTop` down, columns along
 * x. Each ellipse adds its chord length times its attenuation step, so no 3D volume is built.
 */
export function renderScout(
  rows: number,
  columns: number,
  spacing: number,
  x0: number,
  zTop: number,
  phantom: PhantomOptions,
  seed: number,
): Uint8Array {
  const out = new Uint8Array(rows * columns * 2);
  for (let r = 0; r < rows; r++) {
    const section = crossSection(zTop - r * spacing, phantom);
    for (let c = 0; c < columns; c++) {
      const x = x0 + c * spacing;
      let attenuation = 0;
      for (const e of section) {
        const t = (x - e.cx) / e.a;
        if (t > -1 && t < 1) attenuation += 2 * e.b * Math.sqrt(1 - t * t) * SCOUT_MU[e.tissue]!;
      }
      const level = 1 - Math.exp(-Math.max(0, attenuation) / 160);
      put16(
        out,
        r * columns + c,
        Math.max(0, Math.min(4095, Math.round(200 + 3600 * level + 12 * gauss1(c, r, seed)))),
      );
    }
  }
  return out;
}
