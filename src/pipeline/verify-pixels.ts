/**
 * Pixel truth of burned-in text, checked against the source image (issue 4): every pixel outside the
 * recorded boxes is unchanged, and every box holds changed pixels. Works on decoded samples, so a source
 * stored compressed and an output written uncompressed compare alike.
 */
import { decodePixels, type DicomFile } from '../dicom/index.js';

/** A recorded box in MIDI-B form: integer corners, bottom-right exclusive; on one frame or on all. */
export interface HiddenBox {
  topLeft: readonly [number, number];
  bottomRight: readonly [number, number];
  /** Zero-based frame the box is on; undefined: every frame. */
  frame?: number;
}

/** Parses a pixels_hidden action_text into its box. */
export function parseHiddenBox(actionText: string): HiddenBox {
  const box = JSON.parse(actionText) as { top_left: [number, number]; bottom_right: [number, number] };
  return { topLeft: box.top_left, bottomRight: box.bottom_right };
}

/** Problems with the burned pixels of `output` compared with `source` (empty when the truth holds). */
export function checkBurnedPixels(
  source: DicomFile,
  output: DicomFile,
  boxes: readonly HiddenBox[],
): string[] {
  const before = decodePixels(source);
  const after = decodePixels(output);
  const d = after.description;
  if (
    before.frames.length !== after.frames.length ||
    before.description.rows !== d.rows ||
    before.description.columns !== d.columns
  ) {
    return ['the output image does not have the source image geometry'];
  }
  if (
    before.description.samplesPerPixel !== d.samplesPerPixel ||
    before.description.bitsAllocated !== d.bitsAllocated
  ) {
    return ['the output samples are not laid out as the source samples'];
  }
  const bytesPerSample = d.bitsAllocated / 8;
  const planar = d.samplesPerPixel > 1 && d.planarConfiguration === 1;
  const contains = (b: HiddenBox, f: number, x: number, y: number): boolean =>
    (b.frame === undefined || b.frame === f) &&
    x >= b.topLeft[0] &&
    x < b.bottomRight[0] &&
    y >= b.topLeft[1] &&
    y < b.bottomRight[1];
  const changed = new Set<number>();
  let outside = 0;
  for (let f = 0; f < after.frames.length; f++) {
    const a = before.frames[f]!;
    const b = after.frames[f]!;
    const plane = planar ? a.length / d.samplesPerPixel : a.length;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) continue;
      const sample = Math.floor((planar ? i % plane : i) / bytesPerSample);
      const pixel = planar ? sample : Math.floor(sample / d.samplesPerPixel);
      const x = pixel % d.columns;
      const y = Math.floor(pixel / d.columns);
      let inside = false;
      boxes.forEach((box, k) => {
        if (contains(box, f, x, y)) {
          inside = true;
          changed.add(k);
        }
      });
      if (!inside) outside++;
    }
  }
  const problems: string[] = [];
  if (outside > 0) problems.push(`${outside} sample bytes changed outside every recorded box`);
  boxes.forEach((b, k) => {
    if (!changed.has(k)) problems.push(`box ${JSON.stringify(b)} holds no changed pixel`);
  });
  return problems;
}
