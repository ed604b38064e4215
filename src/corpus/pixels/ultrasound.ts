/**
 * Ultrasound frames: a sector scan with speckle, tissue layers and a hypoechoic nodule, black outside the
 * sector; colour frames carry a Doppler box (PS3.3 C.8.5.6: US images are 8-bit MONOCHROME2 or colour).
 */
import { gauss1, valueNoise } from './noise.js';

/** One ultrasound frame request. */
export interface UsFrame {
  readonly rows: number;
  readonly columns: number;
  readonly rgb: boolean;
  readonly frameIndex: number;
  readonly seed: number;
}

/** Renders a frame: 1 byte per pixel (MONOCHROME2) or 3 interleaved bytes (RGB, Planar Configuration 0). */
export function renderUltrasound(f: UsFrame): Uint8Array {
  const { rows, columns } = f;
  const samples = f.rgb ? 3 : 1;
  const out = new Uint8Array(rows * columns * samples);
  const apexX = columns / 2;
  const apexY = -rows * 0.08;
  const radius = rows * 1.02;
  const halfAngle = 0.62;
  const drift = f.frameIndex * 1.5;
  const noduleX = columns * (0.45 + 0.1 * valueNoise(1, 2, 1, f.seed));
  const noduleY = rows * 0.55;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const dx = c - apexX;
      const dy = r - apexY;
      const dist = Math.hypot(dx, dy);
      const angle = Math.atan2(dx, dy);
      let grey = 0;
      let colour: [number, number, number] | undefined;
      if (dist < radius && dist > rows * 0.06 && Math.abs(angle) < halfAngle) {
        const depth = dist / radius;
        // Layers: bright skin, darker fat, striated muscle, homogeneous organ.
        let echo =
          depth < 0.08 ? 0.85 : depth < 0.2 ? 0.35 : depth < 0.32 ? 0.55 + 0.2 * Math.sin(dist / 3) : 0.5;
        const nd = ((c - noduleX) / (columns * 0.12)) ** 2 + ((r - noduleY) / (rows * 0.09)) ** 2;
        if (nd < 1) echo = 0.18;
        else if (nd < 1.3) echo = 0.8;
        // Posterior acoustic enhancement below the nodule.
        if (r > noduleY && Math.abs(c - noduleX) < columns * 0.1) echo *= 1.25;
        const speckle =
          Math.abs(gauss1(Math.round(angle * 400), Math.round(dist + drift), f.seed)) * 0.6 + 0.4;
        const gain = 1 - 0.35 * depth;
        grey = Math.min(
          255,
          Math.round(255 * echo * speckle * gain * (0.85 + 0.3 * valueNoise(c, r + drift, 6, f.seed))),
        );
        if (f.rgb) {
          const vx = (c - columns * 0.6) / (columns * 0.05);
          const vy = (r - rows * 0.35) / (rows * 0.03);
          const inBox =
            Math.abs(c - columns * 0.6) < columns * 0.15 && Math.abs(r - rows * 0.35) < rows * 0.1;
          if (inBox && vx * vx + vy * vy < 1) {
            const flow = Math.round(140 + 100 * Math.sin(f.frameIndex / 2 + vx));
            colour = vy < 0 ? [flow, 20, 10] : [10, 40, flow];
          }
        }
      }
      // Depth markers every 1/10 of the height at the right edge, as scanners draw them.
      if (c === columns - 4 && r % Math.max(2, Math.round(rows / 10)) === 0) grey = 255;
      const i = (r * columns + c) * samples;
      if (f.rgb) {
        const [R, G, B] = colour ?? [grey, grey, grey];
        out[i] = R;
        out[i + 1] = G;
        out[i + 2] = B;
      } else {
        out[i] = grey;
      }
    }
  }
  return out;
}
