import { describe, expect, it } from 'vitest';
import {
  backdropTest,
  canvasMeasure,
  loadBurnLayouts,
  planBurn,
  type BurnImage,
} from '../../src/burn/index.js';
import type { PixelDescription } from '../../src/dicom/index.js';
import { rngFor } from '../../src/rng/index.js';
import { sampleValues } from './helpers.js';

const describeImage = (over: Partial<PixelDescription>): PixelDescription => ({
  rows: 40,
  columns: 60,
  samplesPerPixel: 1,
  bitsAllocated: 8,
  bitsStored: 8,
  highBit: 7,
  pixelRepresentation: 0,
  photometricInterpretation: 'MONOCHROME2',
  planarConfiguration: 0,
  numberOfFrames: 1,
  ...over,
});

/** A frame black in its top half and bright speckle (every other pixel 200) in its bottom half. */
function halfSpeckled(d: PixelDescription, black = 0, bright = 200): Uint8Array {
  const samples = d.samplesPerPixel;
  const frame = new Uint8Array(d.rows * d.columns * samples).fill(black);
  const plane = d.rows * d.columns;
  for (let y = d.rows / 2; y < d.rows; y++)
    for (let x = 0; x < d.columns; x += 2)
      for (let s = 0; s < samples; s++) {
        const pixel = y * d.columns + x;
        frame[d.planarConfiguration === 1 ? s * plane + pixel : pixel * samples + s] = bright;
      }
  return frame;
}

const TOP = { left: 2, top: 2, width: 30, height: 10 };
const BOTTOM = { left: 2, top: 25, width: 30, height: 10 };

describe('backdropTest', () => {
  it('finds a black header plain and speckle busy, in grey and in both colour layouts', () => {
    for (const d of [
      describeImage({}),
      describeImage({ samplesPerPixel: 3, photometricInterpretation: 'RGB' }),
      describeImage({ samplesPerPixel: 3, photometricInterpretation: 'RGB', planarConfiguration: 1 }),
    ]) {
      const busy = backdropTest([halfSpeckled(d)], d);
      expect(busy(TOP, [0]), d.photometricInterpretation).toBe(false);
      expect(busy(BOTTOM, [0]), d.photometricInterpretation).toBe(true);
    }
  });

  it('reads MONOCHROME1 inverted: stored 255 is displayed black', () => {
    const d = describeImage({ photometricInterpretation: 'MONOCHROME1' });
    const busy = backdropTest([halfSpeckled(d, 255, 40)], d);
    expect(busy(TOP, [0])).toBe(false);
    expect(busy(BOTTOM, [0])).toBe(true);
  });

  it('judges every chosen frame, and calls any format other than 8-bit busy', () => {
    const d = describeImage({ numberOfFrames: 2 });
    const busy = backdropTest([new Uint8Array(40 * 60), halfSpeckled(d, 200, 200)], d);
    expect(busy(TOP, [0])).toBe(false);
    expect(busy(TOP, [0, 1])).toBe(true);
    const wide = describeImage({ bitsAllocated: 16, bitsStored: 12, highBit: 11 });
    expect(backdropTest([new Uint8Array(40 * 60 * 2)], wide)(TOP, [0])).toBe(true);
  });
});

describe('planBurn with a backdrop test', () => {
  it('gives a block planned without contrast a backing where the backdrop is busy, keeping its boxes', () => {
    const image: BurnImage = {
      rows: 480,
      columns: 640,
      numberOfFrames: 1,
      samplesPerPixel: 3,
      bitsAllocated: 8,
      pixelRepresentation: 0,
      photometricInterpretation: 'RGB',
    };
    const layouts = loadBurnLayouts();
    let switched = 0;
    for (let seed = 0; seed < 40; seed++) {
      const input = { layouts, layout: 'ultrasound', image, values: sampleValues(seed) };
      const plain = planBurn(input, rngFor(seed, 'backdrop'), canvasMeasure);
      const busy = planBurn({ ...input, busyBackdrop: () => true }, rngFor(seed, 'backdrop'), canvasMeasure);
      expect(busy.blocks.map((b) => b.box)).toEqual(plain.blocks.map((b) => b.box));
      expect(busy.blocks.map((b) => b.style.contrast)).not.toContain('none');
      plain.blocks.forEach((b, i) => {
        if (b.style.contrast !== 'none') expect(busy.blocks[i]!.style).toEqual(b.style);
        else {
          expect(busy.blocks[i]!.style.contrast).toBe('box');
          switched++;
        }
      });
    }
    expect(switched).toBeGreaterThan(0);
  });
});
