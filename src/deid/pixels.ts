/**
 * Hiding burned-in text: every pixel of each pixels_hidden box is set to black on every frame, and the
 * frames are written back in the source's own transfer syntax when it is lossless and can be written, else
 * uncompressed (never a lossy re-encode). Black is the darkest value the photometric interpretation can
 * show: the lowest stored value for MONOCHROME2, the highest for MONOCHROME1, zero for RGB, and zero
 * luminance with neutral chrominance for YBR (PS3.3 C.7.6.3.1.2).
 */
import {
  decodePixels,
  lookupTransferSyntax,
  setPixelFrames,
  TS,
  type DicomFile,
  type PixelDescription,
} from '../dicom/index.js';
import { DeidentifyError } from './errors.js';

/** A box of a pixels_hidden check: columns x0..x1 and rows y0..y1, the bottom-right corner exclusive. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Parses a pixels_hidden action_text (`{"text", "top_left": [x, y], "bottom_right": [x, y], ...}`). */
export function parsePixelBox(actionText: string): PixelBox {
  let box: { top_left?: unknown; bottom_right?: unknown };
  try {
    box = JSON.parse(actionText) as typeof box;
  } catch {
    throw new DeidentifyError(
      `pixels_hidden action_text is not JSON: ${JSON.stringify(actionText.slice(0, 80))}`,
    );
  }
  const point = (p: unknown): p is [number, number] =>
    Array.isArray(p) && p.length === 2 && p.every((n) => Number.isInteger(n) && (n as number) >= 0);
  if (!point(box.top_left) || !point(box.bottom_right))
    throw new DeidentifyError('pixels_hidden box needs integer corners top_left and bottom_right');
  return { x0: box.top_left[0], y0: box.top_left[1], x1: box.bottom_right[0], y1: box.bottom_right[1] };
}

/** The black value of each sample of a pixel, as a signed or unsigned integer. */
export function blackSamples(d: PixelDescription): number[] {
  const bits = d.bitsStored;
  const signed = d.pixelRepresentation === 1;
  const pi = d.photometricInterpretation.toUpperCase();
  if (d.samplesPerPixel === 1) {
    if (pi === 'MONOCHROME1') return [signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1];
    if (pi === 'MONOCHROME2') return [signed ? -(2 ** (bits - 1)) : 0];
    throw new DeidentifyError(`cannot black out ${pi} pixels`);
  }
  if (d.samplesPerPixel === 3) {
    if (pi === 'RGB') return [0, 0, 0];
    const mid = 2 ** (bits - 1);
    if (pi === 'YBR_FULL') return [0, mid, mid];
    // Partial range puts black at 16 (scaled to the bit depth), PS3.3 C.7.6.3.1.2.
    if (pi.startsWith('YBR_PARTIAL')) return [16 * 2 ** (bits - 8), mid, mid];
    throw new DeidentifyError(`cannot black out ${pi} pixels`);
  }
  throw new DeidentifyError(`cannot black out pixels with ${d.samplesPerPixel} samples per pixel`);
}

/** Copies of the frames with every box set to black (boxes clipped to the image). */
export function blackOutFrames(
  frames: readonly Uint8Array[],
  d: PixelDescription,
  boxes: readonly PixelBox[],
): Uint8Array[] {
  if (d.bitsAllocated % 8 !== 0 || d.bitsAllocated > 32)
    throw new DeidentifyError(`cannot black out ${d.bitsAllocated}-bit pixels`);
  const bytes = d.bitsAllocated / 8;
  const black = blackSamples(d);
  const planar = d.samplesPerPixel > 1 && d.planarConfiguration === 1;
  const plane = d.rows * d.columns;
  // Each sample's black value as little-endian bytes (two's complement for signed data).
  const encoded = black.map((v) => {
    const out = new Uint8Array(bytes);
    const u = v < 0 ? 2 ** d.bitsAllocated + v : v;
    for (let b = 0; b < bytes; b++) out[b] = Math.floor(u / 2 ** (8 * b)) & 0xff;
    return out;
  });
  return frames.map((source) => {
    const frame = Uint8Array.from(source);
    for (const box of boxes) {
      const x0 = Math.max(0, box.x0);
      const y0 = Math.max(0, box.y0);
      const x1 = Math.min(d.columns, box.x1);
      const y1 = Math.min(d.rows, box.y1);
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const pixel = y * d.columns + x;
          for (let s = 0; s < d.samplesPerPixel; s++) {
            const sample = planar ? s * plane + pixel : pixel * d.samplesPerPixel + s;
            frame.set(encoded[s]!, sample * bytes);
          }
        }
      }
    }
    return frame;
  });
}

/**
 * The transfer syntax changed pixels are written in: the source's own if it is lossless and can be
 * written, else Explicit VR Little Endian.
 */
export function pixelOutputSyntax(sourceUid: string): string {
  const ts = lookupTransferSyntax(sourceUid);
  if (!ts || !ts.encapsulated)
    return sourceUid === TS.ExplicitVRBigEndian ? TS.ExplicitVRLittleEndian : sourceUid;
  const writable: readonly string[] = [
    TS.RLELossless,
    TS.JPEGLSLossless,
    TS.JPEG2000Lossless,
    TS.JPEGLosslessSV1,
  ];
  return ts.lossless && writable.includes(ts.uid) ? ts.uid : TS.ExplicitVRLittleEndian;
}

/** Blacks out the boxes on every frame of a file's Pixel Data (codecs initialised for compressed data). */
export function hidePixelBoxes(file: DicomFile, boxes: readonly PixelBox[]): void {
  if (boxes.length === 0) return;
  const decoded = decodePixels(file);
  const frames = blackOutFrames(decoded.frames, decoded.description, boxes);
  setPixelFrames(file, frames, decoded.description, pixelOutputSyntax(file.transferSyntaxUid));
}
