/**
 * Axial slice geometry shared by CT, MR and PET (Image Plane module, PS3.3 C.7.6.2): orientation from the
 * patient position, pixel spacing from the field of view, and positions that keep a series consistent.
 */
import { rngFor } from '../../rng/index.js';
import { toDs } from '../attributes.js';
import type { PhantomOptions, Lesion } from '../pixels/phantom.js';
import type { SliceGeometry } from '../pixels/tomo.js';
import type { InstanceContext } from './context.js';

/** Row and column direction signs (x along a row, y down a column) per Patient Position (PS3.3 C.7.3.1.1.2). */
const ORIENTATION: Record<string, readonly [sx: number, sy: number]> = {
  HFS: [1, 1],
  FFS: [-1, 1],
  HFP: [-1, -1],
  FFP: [1, -1],
};

/** A slice's geometry and the Image Plane attribute values that describe it. */
export interface PlacedSlice {
  readonly geometry: SliceGeometry;
  readonly imageOrientation: number[];
  readonly imagePosition: number[];
  readonly pixelSpacing: [number, number];
}

/** Rounds a millimetre value to what a DS holds, so pixels are drawn where the header says they are. */
const mm = (x: number): number => Number(toDs(Math.round(x * 1e4) / 1e4));

/** Places an axial slice: field of view centred on (cx, cy), slice at z, in the given patient position. */
export function placeAxialSlice(
  rows: number,
  columns: number,
  fov: number,
  centre: readonly [number, number],
  z: number,
  patientPosition: string,
): PlacedSlice {
  const [sx, sy] = ORIENTATION[patientPosition] ?? ORIENTATION.HFS!;
  const spacing = mm(fov / Math.max(rows, columns));
  const x0 = mm(centre[0] - (sx * (spacing * (columns - 1))) / 2);
  const y0 = mm(centre[1] - (sy * (spacing * (rows - 1))) / 2);
  const zz = mm(z);
  return {
    geometry: { rows, columns, spacing: [spacing, spacing], x0, y0, z: zz, sx, sy },
    imageOrientation: [sx, 0, 0, 0, sy, 0],
    imagePosition: [x0, y0, zz],
    pixelSpacing: [spacing, spacing],
  };
}

/** The patient's phantom: habitus from weight, lesions from the patient key (the same in every study). */
export function phantomFor(
  ctx: InstanceContext,
  options: { breasts?: boolean; table?: boolean } = {},
): PhantomOptions {
  const rng = rngFor(ctx.seed, 'phantom', ctx.patient.patientId);
  const lesions: Lesion[] = [];
  const count = rng.int(0, 3);
  for (let i = 0; i < count; i++) {
    lesions.push({
      x: rng.float(-110, 110),
      y: rng.float(-60, 40),
      z: rng.float(-540, -380),
      r: rng.float(6, 16),
    });
  }
  return {
    sex: ctx.patient.sex,
    breasts: options.breasts ?? false,
    table: options.table ?? false,
    lesions,
    scale: Math.min(1.2, Math.max(0.8, 0.75 + ctx.patient.weightKg / 320)),
  };
}
