/**
 * Projection radiographs (CR, DX) and mammograms (MG): an analytic attenuation map on the detector grid,
 * then detector-like noise. MONOCHROME2 stores attenuation as brightness; MONOCHROME1 stores it inverted
 * (PS3.3 C.7.6.3.1.2), so both display the same image.
 */
import { fractalNoise, gauss3, valueNoise } from './noise.js';

/** Detector grid and storage of a projection image. */
export interface ProjectionFrame {
  readonly rows: number;
  readonly columns: number;
  /** mm per pixel (square pixels). */
  readonly pixelMm: number;
  readonly bitsStored: number;
  readonly monochrome1: boolean;
  readonly seed: number;
}

function store(out: Uint8Array, index: number, level: number, f: ProjectionFrame): void {
  const max = 2 ** f.bitsStored - 1;
  const v = Math.min(max, Math.max(0, Math.round((f.monochrome1 ? 1 - level : level) * max)));
  out[index * 2] = v & 0xff;
  out[index * 2 + 1] = v >>> 8;
}

const inEllipse = (x: number, y: number, cx: number, cy: number, a: number, b: number): number => {
  const d = ((x - cx) / a) ** 2 + ((y - cy) / b) ** 2;
  return d >= 1 ? 0 : Math.sqrt(1 - d);
};

/** A chest radiograph, frontal (PA/AP) or lateral (LL), as attenuation levels in [0, 1]. */
export function renderChest(f: ProjectionFrame, view: string): Uint8Array {
  const out = new Uint8Array(f.rows * f.columns * 2);
  const lateral = view === 'LL' || view === 'RL';
  const width = f.columns * f.pixelMm;
  const height = f.rows * f.pixelMm;
  for (let r = 0; r < f.rows; r++) {
    const v = r * f.pixelMm - height * 0.08;
    for (let c = 0; c < f.columns; c++) {
      const u = c * f.pixelMm - width / 2;
      // Body thickness: neck at the top, trunk widening to the shoulders.
      const half = v < 40 ? 60 : v < 110 ? 60 + (v - 40) * 1.9 : lateral ? 150 : 190;
      let a = inEllipse(u, 0, 0, 0, half, 1) * 0.55;
      if (a > 0) {
        if (lateral) {
          a -= 0.32 * inEllipse(u, v, -10, 230, 120, 150);
          a += 0.25 * inEllipse(u, v, -60, 300, 60, 70);
          a += 0.35 * (u > 95 && u < 130 ? 1 : 0) * (0.8 + 0.2 * Math.sin(v / 9));
        } else {
          a -= 0.34 * inEllipse(u, v, -88, 215, 72, 160);
          a -= 0.34 * inEllipse(u, v, 88, 215, 72, 160);
          a += 0.3 * inEllipse(u, v, 20, 300, 80, 75);
          a += Math.abs(u) < 22 ? 0.3 * (0.85 + 0.15 * Math.sin(v / 8)) : 0;
          // Ribs: thin arcs whose height follows a cosine across the chest.
          const arc = v - 40 * (1 - Math.cos((u / 190) * 1.4));
          const rib = (((arc - 80) % 26) + 26) % 26;
          if (arc > 80 && arc < 360 && Math.abs(u) > 25 && Math.abs(u) < 175 && rib < 7) a += 0.1;
          // Clavicles.
          if (Math.abs(v - 95 - Math.abs(u) * 0.12) < 6 && Math.abs(u) > 15 && Math.abs(u) < 150) a += 0.18;
        }
        // Below the diaphragm the abdomen is dense.
        if (v > 380) a += 0.25 * Math.min(1, (v - 380) / 40);
        a += 0.04 * (fractalNoise(u, v, 14, f.seed) - 0.5);
      }
      const level = 0.06 + 0.86 * Math.max(0, a) + 0.006 * gauss3(c, r, f.seed);
      store(out, r * f.columns + c, level, f);
    }
  }
  return out;
}

/** A mammogram (CC or MLO) of the given breast; the chest wall is at the image edge of that side. */
export function renderMammogram(f: ProjectionFrame, view: string, laterality: 'L' | 'R'): Uint8Array {
  const out = new Uint8Array(f.rows * f.columns * 2);
  const depth = f.columns * 0.62;
  const halfHeight = f.rows * 0.42;
  const centre = f.rows * (view === 'MLO' ? 0.52 : 0.5);
  for (let r = 0; r < f.rows; r++) {
    for (let cc = 0; cc < f.columns; cc++) {
      // Work with the chest wall at column 0; mirror for the right breast.
      const c = laterality === 'R' ? f.columns - 1 - cc : cc;
      const x = c / depth;
      const y = (r - centre) / halfHeight;
      const inside = x * x + y * y < 1;
      let level = 0.02;
      if (inside) {
        const thickness = Math.sqrt(1 - x * x - y * y * 0.6);
        const gland = fractalNoise(c * f.pixelMm * 1.6, r * f.pixelMm, 9, f.seed);
        const fibro = Math.max(0, gland - 0.45) * (1.2 - x);
        level = 0.25 + 0.3 * thickness + 0.45 * fibro;
        // Skin line.
        if (x * x + y * y > 0.975) level += 0.06;
        // The pectoral muscle in MLO views: a triangle at the chest wall, top of the image.
        if (view === 'MLO' && c < f.columns * 0.28 * (1 - r / (f.rows * 0.55)))
          level = 0.78 + 0.05 * valueNoise(c, r, 30, f.seed);
        level += 0.008 * gauss3(cc, r, f.seed);
      }
      store(out, r * f.columns + cc, Math.min(1, level), f);
    }
  }
  return out;
}
