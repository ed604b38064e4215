/**
 * Whether the image behind a text box is plain and dark enough for text drawn without a backing (`none`
 * contrast): an ultrasound header bar or the black surround of a radiograph is, speckle and anatomy are
 * not, and text over them is neither legible to a reader nor to OCR. The planner asks once a block is
 * placed, and gives a busy backdrop a solid backing instead.
 */
import type { PixelDescription } from '../dicom/index.js';
import type { PixelBox } from './types.js';

/** Displayed brightness (0-255) above which a backdrop pixel competes with bright text. */
const BRIGHT = 48;
/** Share of bright backdrop pixels above which the backdrop counts as busy. */
const BUSY_SHARE = 0.02;

/** Tells, for a box on some frames of decoded 8-bit frames, whether its backdrop is busy. */
export type BackdropTest = (box: PixelBox, frames: readonly number[]) => boolean;

/**
 * The backdrop test of decoded frames. `none` contrast is only offered for 8-bit samples (layout.ts,
 * contrastsFor); any other layout is reported busy, so that text on it always gets a backing.
 */
export function backdropTest(frames: readonly Uint8Array[], d: PixelDescription): BackdropTest {
  const colour = d.samplesPerPixel === 3;
  if (d.bitsAllocated !== 8 || (d.samplesPerPixel !== 1 && !colour)) return () => true;
  const inverted = d.photometricInterpretation === 'MONOCHROME1';
  const planar = colour && d.planarConfiguration === 1;
  const plane = d.rows * d.columns;
  const brightness = (frame: Uint8Array, pixel: number): number => {
    if (!colour) return inverted ? 255 - frame[pixel]! : frame[pixel]!;
    const [r, g, b] = planar
      ? [frame[pixel]!, frame[plane + pixel]!, frame[2 * plane + pixel]!]
      : [frame[3 * pixel]!, frame[3 * pixel + 1]!, frame[3 * pixel + 2]!];
    return Math.max(r, g, b);
  };
  return (box, on) => {
    const right = Math.min(d.columns, box.left + box.width);
    const bottom = Math.min(d.rows, box.top + box.height);
    let bright = 0;
    let total = 0;
    for (const f of on) {
      const frame = frames[f];
      if (!frame) continue;
      for (let y = Math.max(0, box.top); y < bottom; y++) {
        for (let x = Math.max(0, box.left); x < right; x++) {
          total++;
          if (brightness(frame, y * d.columns + x) > BRIGHT) bright++;
        }
      }
    }
    return bright > BUSY_SHARE * total;
  };
}
