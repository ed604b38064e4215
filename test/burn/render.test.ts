/**
 * The renderer on every pixel format: boxes measured from the drawn pixels equal the planned boxes, no
 * pixel outside a box changes, every box changes, the text shows at the default window, and the same plan
 * draws the same bytes. Compressed input is decoded, drawn and written back losslessly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BURN_MARGIN,
  canvasMeasure,
  greyScale,
  loadBurnLayouts,
  midiBCrop,
  planBurn,
  readBurnDisplay,
  renderBurn,
  setBurnedInAnnotation,
  toYbrFull,
  type BurnPlan,
} from '../../src/burn/index.js';
import { clearRasterCache } from '../../src/burn/raster.js';
import {
  DicomDataset,
  decodePixels,
  getString,
  initializeCodecs,
  setBytes,
  setNumbers,
  setPixelFrames,
  setStrings,
  Tags,
  toTag,
  TS,
  createDicomFile,
  type PixelDescription,
} from '../../src/dicom/index.js';
import { rngFor } from '../../src/rng/index.js';
import { FORMATS, MULTI_FRAME, makeFrames, sampleValues, withGeometry, type Format } from './helpers.js';

const layouts = loadBurnLayouts();

beforeAll(async () => {
  await initializeCodecs();
});

/** Signed sample value at index i of a frame. */
function sample(frame: Uint8Array, d: PixelDescription, i: number): number {
  if (d.bitsAllocated === 8) return d.pixelRepresentation === 1 ? (frame[i]! << 24) >> 24 : frame[i]!;
  const raw = frame[2 * i]! | (frame[2 * i + 1]! << 8);
  return d.pixelRepresentation === 1 ? (raw << 16) >> 16 : raw;
}

function plan(format: Format, layout: string, seed: number): BurnPlan {
  return planBurn(
    { layouts, layout, image: format.description, values: sampleValues(seed) },
    rngFor(seed, 'render', layout, format.name),
    canvasMeasure,
  );
}

/** Which pixels lie inside some box on a frame. */
function insideMask(p: BurnPlan, frame: number): Uint8Array {
  const mask = new Uint8Array(p.rows * p.columns);
  for (const block of p.blocks) {
    if (!block.frames.includes(frame)) continue;
    for (const line of block.lines) {
      const b = line.box;
      for (let y = b.top; y < b.top + b.height; y++)
        mask.fill(1, y * p.columns + b.left, y * p.columns + b.left + b.width);
    }
  }
  return mask;
}

function checkRender(format: Format, layout: string, seed: number): void {
  const d = format.description;
  const p = plan(format, layout, seed);
  expect(p.blocks.length).toBeGreaterThan(0);
  const input = makeFrames(format, `render-${seed}`);
  const copy = input.map((f) => Uint8Array.from(f));
  const { frames, boxes } = renderBurn(input, d, format.display, p);
  // The input is never written to.
  input.forEach((f, i) => expect(Buffer.from(f).equals(Buffer.from(copy[i]!))).toBe(true));
  // The measured boxes are the planned ones, one per line and frame.
  for (const r of boxes) expect(r.box).toEqual(p.blocks[r.block]!.lines[r.line]!.box);
  expect(boxes.length).toBe(p.blocks.reduce((s, b) => s + b.lines.length * b.frames.length, 0));
  const spp = d.samplesPerPixel;
  const pixels = d.rows * d.columns;
  const planar = spp === 3 && d.planarConfiguration === 1;
  const index = (pixel: number, c: number): number => (planar ? c * pixels + pixel : pixel * spp + c);
  frames.forEach((frame, f) => {
    const inside = insideMask(p, f);
    const changed = new Uint8Array(pixels);
    for (let px = 0; px < pixels; px++)
      for (let c = 0; c < spp; c++)
        if (sample(frame, d, index(px, c)) !== sample(input[f]!, d, index(px, c))) changed[px] = 1;
    // No pixel outside every box changed.
    for (let px = 0; px < pixels; px++)
      if (changed[px] && !inside[px]) throw new Error(`pixel ${px} of frame ${f} changed outside every box`);
    for (const block of p.blocks) {
      if (!block.frames.includes(f)) continue;
      for (const line of block.lines) {
        const b = line.box;
        let count = 0;
        let bright = 0;
        let dark = 1;
        const scale = spp === 1 ? greyScale(d, { ...format.display }, rangeOf(input[f]!, d)) : undefined;
        for (let y = b.top; y < b.top + b.height; y++) {
          for (let x = b.left; x < b.left + b.width; x++) {
            const px = y * d.columns + x;
            count += changed[px]!;
            if (scale) {
              const v = scale.brightness(sample(frame, d, px));
              bright = Math.max(bright, v);
              dark = Math.min(dark, v);
            }
          }
        }
        expect(count, `box of ${JSON.stringify(line.text)} changed nothing`).toBeGreaterThan(0);
        if (scale) {
          // At the default window the text is near the top and, on a backing, stands out from it.
          expect(bright).toBeGreaterThanOrEqual(block.style.textLevel - 0.02);
          // Signed 8-bit data trades half of it for a legible MIDI-B crop (display and byte order disagree).
          const wanted = block.style.wrapSafe && d.bitsAllocated === 8 ? 0.45 : 0.7;
          if (block.style.contrast === 'box') expect(bright - dark).toBeGreaterThanOrEqual(wanted);
        } else {
          // Colour: the planned text colour (converted for YBR_FULL) is somewhere in the box.
          const want =
            d.photometricInterpretation === 'YBR_FULL'
              ? toYbrFull(block.style.textRgb)
              : [...block.style.textRgb];
          let found = false;
          for (let y = b.top; y < b.top + b.height && !found; y++)
            for (let x = b.left; x < b.left + b.width && !found; x++) {
              const px = y * d.columns + x;
              found = [0, 1, 2].every((c) => frame[index(px, c)] === want[c]);
            }
          expect(found).toBe(true);
        }
      }
    }
  });
}

function rangeOf(frame: Uint8Array, d: PixelDescription): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < d.rows * d.columns; i++) {
    const v = sample(frame, d, i);
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return [min, max];
}

describe('renderBurn on every pixel format', () => {
  const layoutNames = ['midi-b', 'ct', 'ultrasound', 'radiograph', 'mr', 'mammogram', 'pt'];
  FORMATS.forEach((format, i) => {
    it(`${format.name}: boxes are exact, nothing outside changes, text visible`, () => {
      for (let k = 0; k < 2; k++) {
        const layout = layoutNames[(i + k * 3) % layoutNames.length]!;
        checkRender(withGeometry(format, 400, 480), layout, i * 10 + k);
      }
    });
  });

  it('multi-frame: text on the frames the plan names, a box per frame', () => {
    const format = withGeometry(MULTI_FRAME, 240, 320, 4);
    checkRender(format, 'ultrasound', 1);
    const p = plan(format, 'ultrasound', 1);
    // Keep the header on frames 1 and 3 only: the other frames come back untouched (the same arrays).
    const some: BurnPlan = { ...p, blocks: p.blocks.map((b) => ({ ...b, frames: [1, 3] })) };
    const input = makeFrames(format, 'some');
    const { frames, boxes } = renderBurn(input, format.description, format.display, some);
    expect(frames[0]).toBe(input[0]);
    expect(frames[2]).toBe(input[2]);
    expect(frames[1]).not.toBe(input[1]);
    expect(new Set(boxes.map((b) => b.frame))).toEqual(new Set([1, 3]));
  });

  it('signed data: the MIDI-B crop (astype uint8) of a box shows the text against its backing', () => {
    const format = withGeometry(FORMATS.find((f) => f.name.startsWith('MONO2 12-bit CT'))!, 512, 512);
    const p = plan(format, 'ct', 3);
    const { frames } = renderBurn(makeFrames(format, 'crop'), format.description, format.display, p);
    for (const block of p.blocks) {
      for (const line of block.lines) {
        const crop = midiBCrop(frames[0]!, format.description, line.box);
        const levels = new Set(crop.data);
        expect(levels.size).toBe(2);
        expect(Math.max(...levels) - Math.min(...levels)).toBe(255);
      }
    }
  });

  it('draws the same bytes twice, glyphs rasterized anew', () => {
    for (const format of [FORMATS[0]!, FORMATS[3]!, FORMATS[8]!]) {
      const f = withGeometry(format, 512, 512);
      const p = plan(f, 'ct', 9);
      clearRasterCache();
      const a = renderBurn(makeFrames(f, 'same'), f.description, f.display, p);
      clearRasterCache();
      const b = renderBurn(makeFrames(f, 'same'), f.description, f.display, p);
      a.frames.forEach((frame, i) => expect(Buffer.from(frame).equals(Buffer.from(b.frames[i]!))).toBe(true));
      expect(b.boxes).toEqual(a.boxes);
    }
  });

  it('reads window and rescale from the data set; MONOCHROME1 text is stored low', () => {
    const format = withGeometry(FORMATS.find((f) => f.name === 'MONO1 12-bit CR')!, 300, 300);
    const ds = new DicomDataset();
    setStrings(ds, toTag(0x0028, 0x1050), ['2048', '1000']);
    setStrings(ds, toTag(0x0028, 0x1051), ['3000', '500']);
    setStrings(ds, toTag(0x0028, 0x1052), '-10');
    setStrings(ds, toTag(0x0028, 0x1053), '1');
    const display = readBurnDisplay(createDicomFile(ds));
    expect(display).toMatchObject({
      windowCenter: 2048,
      windowWidth: 3000,
      rescaleIntercept: -10,
      rescaleSlope: 1,
    });
    const scale = greyScale(format.description, display, [0, 4095]);
    // Brightest on screen is stored low for MONOCHROME1, past the window's end (modality <= 2048 - 1500).
    const text = scale.storedFor(1);
    expect(scale.brightness(text)).toBe(1);
    expect(text).toBeLessThanOrEqual(2048 - 0.5 - 2999 / 2 + 10);
    expect(scale.brightness(scale.storedFor(0))).toBe(0);
  });

  it('compressed input: decoded, drawn, written back losslessly and read back the same', () => {
    const format = withGeometry(
      FORMATS.find((f) => f.name === 'MONO2 12-bit unsigned windowed')!,
      128,
      160,
      2,
    );
    const d = format.description;
    const ds = new DicomDataset();
    setNumbers(ds, Tags.SamplesPerPixel, 1);
    setStrings(ds, Tags.PhotometricInterpretation, 'MONOCHROME2');
    setStrings(ds, Tags.NumberOfFrames, '2');
    setNumbers(ds, Tags.Rows, d.rows);
    setNumbers(ds, Tags.Columns, d.columns);
    setNumbers(ds, Tags.BitsAllocated, 16);
    setNumbers(ds, Tags.BitsStored, 12);
    setNumbers(ds, Tags.HighBit, 11);
    setNumbers(ds, Tags.PixelRepresentation, 0);
    setBytes(ds, Tags.PixelData, new Uint8Array(0), 'OW');
    const file = createDicomFile(ds);
    setPixelFrames(file, makeFrames(format, 'rle'), d, TS.RLELossless);
    const decoded = decodePixels(file);
    const p = planBurn(
      { layouts, layout: 'midi-b', image: decoded.description, values: sampleValues(0) },
      rngFor(1, 'compressed'),
      canvasMeasure,
    );
    const { frames } = renderBurn(decoded.frames, decoded.description, format.display, p);
    setPixelFrames(file, frames, decoded.description, TS.JPEGLSLossless);
    setBurnedInAnnotation(file);
    expect(getString(file.dataset, toTag(0x0028, 0x0301))).toBe('YES');
    const again = decodePixels(file);
    again.frames.forEach((f, i) => expect(Buffer.from(f).equals(Buffer.from(frames[i]!))).toBe(true));
    expect(BURN_MARGIN).toBe(2);
  });
});
