/**
 * Axial slice geometry shared by CT, MR and PET (Image Plane module, PS3.3 C.7.6.2): orientation from the
 * patient position, pixel spacing from the field of view, and positions that keep a series consistent.
 */
import { rngFor } from '../../rng/index.js';
import { toDs, type AttributeSet } from '../attributes.js';
import { regionTop, type PhantomOptions, type Lesion } from '../pixels/phantom.js';
import type { SliceGeometry } from '../pixels/tomo.js';
import { ORIENTATIONS, planeNormal, type PlaneGeometry } from '../pixels/plane.js';
import type { InstanceContext } from './context.js';

/** Row and column direction signs (x along a row, y down a column) per Patient Position (PS3.3 C.7.3.1.1.2). */
const ORIENTATION: Record<string, readonly [sx: number, sy: number]> = {
  HFS: [1, 1],
  FFS: [-1, 1],
  HFP: [-1, -1],
  FFP: [1, -1],
};

/** The Image Plane attribute values (PS3.3 C.7.6.2) of an image placed in the patient. */
export interface ImagePlane {
  readonly imageOrientation: number[];
  readonly imagePosition: number[];
  readonly pixelSpacing: [number, number];
  /** Slice Location (0020,1041), for a slice of a stack; a projection such as a localizer has none. */
  readonly sliceLocation?: number;
}

/**
 * Frame of Reference (C.7.4.1) and Image Plane attributes of an image. The frame is the study's, so all its
 * series (a CT, its localizer, a PET) share it and their images line up.
 */
export function imagePlaneAttributes(ctx: InstanceContext, plane: ImagePlane): AttributeSet {
  return {
    FrameOfReferenceUID: ctx.study.frameOfReferenceUid,
    PositionReferenceIndicator: null,
    ImagePositionPatient: plane.imagePosition,
    ImageOrientationPatient: plane.imageOrientation,
    ...(plane.sliceLocation !== undefined && { SliceLocation: plane.sliceLocation }),
    PixelSpacing: plane.pixelSpacing,
  };
}

/** A slice's geometry and the Image Plane attribute values that describe it. */
export interface PlacedSlice extends ImagePlane {
  readonly geometry: SliceGeometry;
  readonly sliceLocation: number;
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
    sliceLocation: zz,
  };
}

/**
 * The z at which a study's axial scan starts: the top of the region, lowered by up to 20 mm per study.
 * The draw is keyed by the study, so a study's CT, its localizer and its PET are placed from one start.
 */
export function scanStart(ctx: InstanceContext): number {
  const studyGeometry = rngFor(ctx.seed, 'study-geometry', ctx.study.studyInstanceUid);
  return regionTop(ctx.studyTemplate.region) - studyGeometry.int(0, 20);
}

/** Places this instance's slice of an axial stack that runs from the scan start towards the feet. */
export function placeInAxialStack(
  ctx: InstanceContext,
  fov: number,
  sliceSpacing: number,
  patientPosition: string,
): PlacedSlice {
  const { series, instance } = ctx;
  const z = scanStart(ctx) - (instance.instanceNumber - 1) * sliceSpacing;
  return placeAxialSlice(series.rows, series.columns, fov, [0, 0], z, patientPosition);
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

/** How each Patient Position turns the head-first-supine directions (a 180 degree turn about z or y). */
const POSITION_TRANSFORM: Record<string, readonly [number, number, number]> = {
  HFS: [1, 1, 1],
  HFP: [-1, -1, 1],
  FFS: [-1, 1, -1],
  FFP: [1, -1, -1],
};

/** A plane's geometry and the Image Plane attribute values that describe it. */
export interface PlacedPlane extends ImagePlane {
  readonly geometry: PlaneGeometry;
  /** Slice Location (0020,1041): the position along the plane normal. */
  readonly sliceLocation: number;
}

/**
 * Places a slice of an axial, sagittal or coronal stack: field of view `fov` centred on `centre`, moved
 * `offset` mm along the plane normal, for a patient lying in `patientPosition`.
 */
export function placePlane(
  rows: number,
  columns: number,
  fov: number,
  centre: readonly [number, number, number],
  orientation: keyof typeof ORIENTATIONS,
  offset: number,
  patientPosition: string,
): PlacedPlane {
  const t = POSITION_TRANSFORM[patientPosition] ?? POSITION_TRANSFORM.HFS!;
  const turn = (v: readonly number[]): [number, number, number] => [v[0]! * t[0], v[1]! * t[1], v[2]! * t[2]];
  const rowDir = turn(ORIENTATIONS[orientation].row);
  const colDir = turn(ORIENTATIONS[orientation].col);
  const normal = planeNormal({ rowDir, colDir });
  const spacing = mm(fov / Math.max(rows, columns));
  const origin = [0, 1, 2].map((k) =>
    mm(
      centre[k]! +
        normal[k]! * offset -
        rowDir[k]! * ((spacing * (columns - 1)) / 2) -
        colDir[k]! * ((spacing * (rows - 1)) / 2),
    ),
  ) as [number, number, number];
  return {
    geometry: { rows, columns, spacing, origin, rowDir, colDir },
    imageOrientation: [...rowDir, ...colDir].map((v) => v + 0),
    imagePosition: origin,
    pixelSpacing: [spacing, spacing],
    sliceLocation: mm(origin[0] * normal[0] + origin[1] * normal[1] + origin[2] * normal[2]),
  };
}
