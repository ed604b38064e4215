/**
 * Secondary capture images (PS3.3 A.8): screen captures a workstation saved, here a dose-summary-like
 * panel layout (RGB) or a PET maximum-intensity projection (MONOCHROME2). No text is drawn: the clean
 * corpus carries no burned-in annotation.
 */
import { crossSection, type PhantomOptions } from './phantom.js';
import { gauss3 } from './noise.js';

/** A dose-report-like screen: dark background, panels, bar rows (RGB, 8 bits, interleaved). */
export function renderDoseScreen(rows: number, columns: number, seed: number): Uint8Array {
  const out = new Uint8Array(rows * columns * 3);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      let rgb: [number, number, number] = [18, 20, 28];
      const inPanel = c > columns * 0.05 && c < columns * 0.95 && r > rows * 0.12 && r < rows * 0.9;
      if (r < rows * 0.08) rgb = [40, 60, 110];
      else if (inPanel) {
        rgb = [34, 36, 46];
        const row = Math.floor((r - rows * 0.12) / (rows * 0.07));
        const within = (r - rows * 0.12) % (rows * 0.07);
        const barEnd = columns * (0.2 + 0.6 * gauss3(row, 0, seed) ** 2 * 0.5 + 0.1 * (row % 3));
        if (within > rows * 0.02 && within < rows * 0.05 && c < Math.min(columns * 0.9, barEnd))
          rgb = [120, 170, 210];
        if (Math.abs(within) < 1) rgb = [70, 72, 84];
      }
      const i = (r * columns + c) * 3;
      out[i] = rgb[0];
      out[i + 1] = rgb[1];
      out[i + 2] = rgb[2];
    }
  }
  return out;
}

/** A coronal maximum-intensity projection of phantom uptake, inverted as PET MIPs are shown (8 bits). */
export function renderMip(
  rows: number,
  columns: number,
  phantom: PhantomOptions,
  suvOf: (t: number) => number,
): Uint8Array {
  const out = new Uint8Array(rows * columns);
  const zTop = -120;
  const zSpan = 900;
  for (let r = 0; r < rows; r++) {
    const z = zTop - (r / rows) * zSpan;
    const section = crossSection(z, phantom);
    for (let c = 0; c < columns; c++) {
      const x = ((c + 0.5) / columns - 0.5) * 600;
      let best = 0;
      for (const e of section) {
        const dx = (x - e.cx) / e.a;
        if (dx * dx <= 1) best = Math.max(best, suvOf(e.tissue));
      }
      out[r * columns + c] = 255 - Math.min(255, Math.round(best * 22));
    }
  }
  return out;
}
