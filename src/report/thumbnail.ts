/**
 * A burned-in instance as a small PNG: one frame decoded, shown as a viewer shows it (rescale and the
 * first window, else the frame's own range, MONOCHROME1 inverted: burn/display.ts), colour converted to
 * RGB, and downscaled to fit a square of THUMBNAIL_SIZE pixels. The boxes are drawn over it in the HTML
 * (SVG), in the image's own coordinates, so they stay exact whatever the scale.
 */
import { join } from 'node:path';
import { cropToPng, greyScale, readBurnDisplay, type Crop8 } from '../burn/index.js';
import { decodePixels, initializeCodecs, readDicomFile, type PixelDescription } from '../dicom/index.js';

/** Longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 256;

/** A rendered thumbnail. */
export interface ThumbnailImage {
  /** The image's own size (Columns, Rows). */
  readonly columns: number;
  readonly rows: number;
  /** The PNG's size. */
  readonly width: number;
  readonly height: number;
  readonly png: Buffer;
}

/** Stored sample `i` of a native little-endian frame, as an integer (sign-extended for signed data). */
function sampleReader(frame: Uint8Array, d: PixelDescription): (i: number) => number {
  const bits = d.bitsStored;
  const signed = d.pixelRepresentation === 1;
  const fix = (raw: number): number => {
    const v = bits >= 32 ? raw >>> 0 : raw & (2 ** bits - 1);
    return signed && v >= 2 ** (bits - 1) ? v - 2 ** bits : v;
  };
  switch (d.bitsAllocated) {
    case 1:
      return (i) => (frame[i >> 3]! >> (i & 7)) & 1;
    case 8:
      return (i) => fix(frame[i]!);
    case 16:
      return (i) => fix(frame[2 * i]! | (frame[2 * i + 1]! << 8));
    default: {
      const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
      return (i) => fix(view.getUint32(4 * i, true));
    }
  }
}

const clamp8 = (v: number): number => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/** One decoded frame as 8-bit display values: grey through the display pipeline, colour as RGB. */
export function toDisplay8(
  frame: Uint8Array,
  d: PixelDescription,
  display: ReturnType<typeof readBurnDisplay>,
): Crop8 {
  const n = d.rows * d.columns;
  const read = sampleReader(frame, d);
  if (d.samplesPerPixel === 3) {
    const planar = d.planarConfiguration === 1;
    const at = (p: number, c: number): number => read(planar ? c * n + p : p * 3 + c);
    // Deeper colour is scaled by its maximum, as pydicom-based viewers do for a quick look.
    let max = 255;
    if (d.bitsAllocated > 8) for (let i = 0; i < 3 * n; i++) max = Math.max(max, read(i));
    const k = 255 / max;
    const ybr = d.photometricInterpretation.startsWith('YBR');
    const data = new Uint8Array(3 * n);
    for (let p = 0; p < n; p++) {
      let r = at(p, 0) * k;
      let g = at(p, 1) * k;
      let b = at(p, 2) * k;
      if (ybr) {
        // YCbCr full range to RGB (PS3.3 C.7.6.3.1.2, YBR_FULL).
        const [y, cb, cr] = [r, g - 128, b - 128];
        r = y + 1.402 * cr;
        g = y - 0.344136 * cb - 0.714136 * cr;
        b = y + 1.772 * cb;
      }
      data[3 * p] = clamp8(r);
      data[3 * p + 1] = clamp8(g);
      data[3 * p + 2] = clamp8(b);
    }
    return { width: d.columns, height: d.rows, samples: 3, data };
  }
  const values = new Float64Array(n);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = read(i * d.samplesPerPixel);
    values[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scale =
    d.bitsAllocated === 1
      ? { brightness: (v: number) => v }
      : greyScale(d, display, n > 0 ? [min, max] : [0, 0]);
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = clamp8(scale.brightness(values[i]!) * 255);
  return { width: d.columns, height: d.rows, samples: 1, data };
}

/** Reads DIR/outputPath, decodes `frame` and renders it as a PNG thumbnail. Throws PseudophiError subclasses. */
export async function renderThumbnail(
  dir: string,
  outputPath: string,
  frame: number,
  size = THUMBNAIL_SIZE,
): Promise<ThumbnailImage> {
  await initializeCodecs();
  const file = await readDicomFile(join(dir, outputPath));
  const decoded = decodePixels(file);
  const d = decoded.description;
  const pixels = decoded.frames[Math.min(frame, decoded.frames.length - 1)]!;
  const crop = toDisplay8(pixels, d, readBurnDisplay(file));
  const scale = Math.min(1, size / Math.max(1, d.columns, d.rows));
  return {
    columns: d.columns,
    rows: d.rows,
    width: Math.max(1, Math.round(d.columns * scale)),
    height: Math.max(1, Math.round(d.rows * scale)),
    png: cropToPng(crop, { scale }),
  };
}
