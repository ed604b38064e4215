/**
 * A smooth, deterministic anatomical phantom in patient coordinates (PS3.3 C.7.6.2.1.1: x to the patient's
 * left, y to posterior, z to head; millimetres, vertex at z = 0). Cross-sections are lists of ellipses,
 * later ones drawn over earlier ones; CT, MR and PET map the same tissues to their own values, so series
 * of one study look like the same body.
 */

/** Tissue classes the modalities map to Hounsfield units, MR signal or PET uptake. */
export const Tissue = {
  Air: 0,
  Fat: 1,
  Soft: 2,
  Muscle: 3,
  Lung: 4,
  Bone: 5,
  Blood: 6,
  Liver: 7,
  Kidney: 8,
  Fluid: 9,
  Brain: 10,
  Csf: 11,
  Gland: 12,
  Lesion: 13,
  Table: 14,
  Marrow: 15,
} as const;
/** One tissue class. */
export type TissueId = (typeof Tissue)[keyof typeof Tissue];

/** An ellipse of one tissue in an axial cross-section. */
export interface Ellipse {
  readonly cx: number;
  readonly cy: number;
  readonly a: number;
  readonly b: number;
  readonly tissue: TissueId;
}

/** A spherical lesion (hot on PET, enhancing on MR). */
export interface Lesion {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly r: number;
}

/** Options that change the body: breasts for breast imaging, a prostate for male pelvis, the CT table. */
export interface PhantomOptions {
  readonly sex: 'F' | 'M';
  readonly breasts: boolean;
  readonly table: boolean;
  readonly lesions: readonly Lesion[];
  /** Scales the body outline (patient habitus). */
  readonly scale: number;
}

// Body half-width (a) and half-depth (b) by z, interpolated linearly between anchors.
const OUTLINE: ReadonlyArray<readonly [z: number, a: number, b: number]> = [
  [0, 8, 10],
  [-20, 55, 70],
  [-60, 72, 92],
  [-120, 76, 96],
  [-190, 66, 86],
  [-230, 56, 62],
  [-270, 56, 58],
  [-310, 160, 108],
  [-360, 185, 120],
  [-560, 168, 124],
  [-800, 158, 114],
  [-900, 174, 108],
  [-1000, 168, 104],
  [-2000, 168, 104],
];

/** Body half-width and half-depth at z (mm). */
export function outlineAt(z: number): [number, number] {
  if (z >= 0) return [0, 0];
  for (let i = 1; i < OUTLINE.length; i++) {
    const [z1, a1, b1] = OUTLINE[i]!;
    if (z >= z1) {
      const [z0, a0, b0] = OUTLINE[i - 1]!;
      const t = (z - z0) / (z1 - z0);
      return [a0 + (a1 - a0) * t, b0 + (b1 - b0) * t];
    }
  }
  return [168, 104];
}

/** 0 outside [lo, hi], rising to 1 in the middle: lets organs appear and vanish smoothly along z. */
const bump = (z: number, lo: number, hi: number): number => {
  if (z <= lo || z >= hi) return 0;
  const t = (z - lo) / (hi - lo);
  return Math.sqrt(Math.max(0, 1 - (2 * t - 1) ** 2));
};

/** The axial cross-section at z: ellipses in drawing order. */
export function crossSection(z: number, options: PhantomOptions): Ellipse[] {
  const [a0, b0] = outlineAt(z);
  const a = a0 * options.scale;
  const b = b0 * options.scale;
  const out: Ellipse[] = [];
  const push = (cx: number, cy: number, ea: number, eb: number, tissue: TissueId): void => {
    if (ea > 0.5 && eb > 0.5) out.push({ cx, cy, a: ea, b: eb, tissue });
  };
  if (options.table) out.push({ cx: 0, cy: 185, a: 230, b: 9, tissue: Tissue.Table });
  if (a <= 0) return out;
  if (options.breasts && z < -330 && z > -520) {
    const f = bump(z, -520, -330);
    push(-80 * options.scale, -b * 0.8, 70 * f, 70 * f, Tissue.Fat);
    push(80 * options.scale, -b * 0.8, 70 * f, 70 * f, Tissue.Fat);
    push(-80 * options.scale, -b * 0.85, 45 * f, 40 * f, Tissue.Gland);
    push(80 * options.scale, -b * 0.85, 45 * f, 40 * f, Tissue.Gland);
  }
  push(0, 0, a, b, Tissue.Fat);
  const head = z > -235;
  if (head) {
    push(0, 0, a - 3, b - 3, Tissue.Soft);
    if (z < -8 && z > -200) {
      const f = bump(z, -200, -8);
      push(0, 0, (a - 6) * Math.min(1, f * 1.4), (b - 6) * Math.min(1, f * 1.4), Tissue.Bone);
      push(0, 0, (a - 12) * Math.min(1, f * 1.4), (b - 12) * Math.min(1, f * 1.4), Tissue.Brain);
      const v = bump(z, -105, -55);
      push(-10, -5, 8 * v, 30 * v, Tissue.Csf);
      push(10, -5, 8 * v, 30 * v, Tissue.Csf);
    }
    return out;
  }
  push(0, 0, a - 14, b - 14, Tissue.Muscle);
  push(0, 0, a - 30, b - 28, Tissue.Soft);
  // Aorta and spine run the length of the trunk.
  const spineY = b * 0.62;
  push(0, spineY, 19, 17, Tissue.Bone);
  push(0, spineY, 14, 12, Tissue.Marrow);
  push(0, spineY + 24, 7, 7, Tissue.Csf);
  if (z < -330 && z > -560) {
    const f = bump(z, -575, -320);
    push(-a * 0.45, -4, a * 0.33 * f, b * 0.66 * f, Tissue.Lung);
    push(a * 0.45, -4, a * 0.33 * f, b * 0.66 * f, Tissue.Lung);
    const h = bump(z, -545, -420);
    push(22, -22, 58 * h, 48 * h, Tissue.Muscle);
    push(24, -22, 40 * h, 32 * h, Tissue.Blood);
  }
  if (z < -500 && z > -720) {
    const f = bump(z, -720, -500);
    push(-62, -6, 88 * f, 82 * f, Tissue.Liver);
  }
  if (z < -650 && z > -780) {
    const f = bump(z, -780, -650);
    push(-68, spineY - 10, 26 * f, 38 * f, Tissue.Kidney);
    push(68, spineY - 10, 26 * f, 38 * f, Tissue.Kidney);
  }
  if (z < -300 && z > -860) push(18, spineY - 30, 12, 12, Tissue.Blood);
  if (z < -860) {
    const f = bump(z, -975, -865);
    push(0, -30, 48 * f, 36 * f, Tissue.Fluid);
    if (options.sex === 'M') {
      const p = bump(z, -985, -945);
      push(0, 20, 22 * p, 18 * p, Tissue.Gland);
    }
    const hip = bump(z, -1010, -880);
    push(-98, 12, 26 * hip, 26 * hip, Tissue.Bone);
    push(98, 12, 26 * hip, 26 * hip, Tissue.Bone);
  }
  for (const l of options.lesions) {
    const dz = z - l.z;
    if (Math.abs(dz) < l.r) {
      const r = Math.sqrt(l.r * l.r - dz * dz);
      push(l.x, l.y, r, r, Tissue.Lesion);
    }
  }
  return out;
}

/** The tissue at (x, y) of a cross-section (the last ellipse that contains the point). */
export function tissueAt(section: readonly Ellipse[], x: number, y: number): TissueId {
  for (let i = section.length - 1; i >= 0; i--) {
    const e = section[i]!;
    const dx = (x - e.cx) / e.a;
    const dy = (y - e.cy) / e.b;
    if (dx * dx + dy * dy <= 1) return e.tissue;
  }
  return Tissue.Air;
}

/** Top (most superior) z of a named body region, where a series of that region starts. */
export function regionTop(region: string): number {
  switch (region) {
    case 'head':
      return -15;
    case 'neck':
      return -200;
    case 'breast':
      return -335;
    case 'chest':
      return -300;
    case 'abdomen':
      return -560;
    case 'pelvis':
      return -860;
    case 'wholebody':
      return -150;
    default:
      return -300;
  }
}

/** The in-plane centre (x, y) of a region's field of view. */
export function regionCentre(region: string): [number, number] {
  switch (region) {
    case 'breast':
      return [0, -60];
    case 'pelvis':
      return [0, 0];
    default:
      return [0, 0];
  }
}

/**
 * The tissues along one row of a slice (scanline fill): `out[c]` gets the tissue at x = x0 + c * dx, y.
 * Equivalent to `tissueAt` per pixel, but each ellipse paints its span once, which is what makes 512x512
 * slices cheap.
 */
export function rasterRow(
  section: readonly Ellipse[],
  y: number,
  x0: number,
  dx: number,
  out: Uint8Array,
): void {
  out.fill(Tissue.Air);
  const n = out.length;
  for (const e of section) {
    const t = (y - e.cy) / e.b;
    if (t <= -1 || t >= 1) continue;
    const half = e.a * Math.sqrt(1 - t * t);
    // Columns whose x lies within [cx - half, cx + half], for either sign of dx.
    let c0 = (e.cx - half - x0) / dx;
    let c1 = (e.cx + half - x0) / dx;
    if (c0 > c1) [c0, c1] = [c1, c0];
    const from = Math.max(0, Math.ceil(c0));
    const to = Math.min(n - 1, Math.floor(c1));
    if (from <= to) out.fill(e.tissue, from, to + 1);
  }
}

/** Like `rasterRow`, along y at a fixed x: `out[c]` gets the tissue at (x, y0 + c * dy). */
export function rasterColumn(
  section: readonly Ellipse[],
  x: number,
  y0: number,
  dy: number,
  out: Uint8Array,
): void {
  out.fill(Tissue.Air);
  const n = out.length;
  for (const e of section) {
    const t = (x - e.cx) / e.a;
    if (t <= -1 || t >= 1) continue;
    const half = e.b * Math.sqrt(1 - t * t);
    let c0 = (e.cy - half - y0) / dy;
    let c1 = (e.cy + half - y0) / dy;
    if (c0 > c1) [c0, c1] = [c1, c0];
    const from = Math.max(0, Math.ceil(c0));
    const to = Math.min(n - 1, Math.floor(c1));
    if (from <= to) out.fill(e.tissue, from, to + 1);
  }
}
