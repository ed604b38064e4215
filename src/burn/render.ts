/**
 * The burn applier: draws a BurnPlan into decoded frames (little-endian native samples, as decodePixels
 * returns them) and reports each line's box as measured from the pixels it actually covered.
 */
import type { PixelDescription } from '../dicom/index.js';
import { greyScale, storedRange, wrapSafePair, type BurnDisplay, type BurnDisplayParams } from './display.js';
import { BurnError } from './errors.js';
import { BURN_MARGIN } from './layout.js';
import { inkOf, rasterizeText, type GlyphMask } from './raster.js';
import type { BurnBlockPlan, BurnLinePlan, BurnPlan, PixelBox } from './types.js';

/** The box one line covers on one frame, measured from the drawn mask. */
export interface RenderedBox {
  /** Indices into plan.blocks and block.lines. */
  readonly block: number;
  readonly line: number;
  readonly frame: number;
  readonly box: PixelBox;
}

/** New frames (untouched frames are returned as given) and the measured boxes. */
export interface BurnResult {
  readonly frames: Uint8Array[];
  readonly boxes: RenderedBox[];
}

/** Photometric interpretations the renderer writes, with the sample layout it expects. */
function checkFormat(d: PixelDescription): void {
  const grey =
    d.samplesPerPixel === 1 && ['MONOCHROME1', 'MONOCHROME2'].includes(d.photometricInterpretation);
  const colour = d.samplesPerPixel === 3 && ['RGB', 'YBR_FULL'].includes(d.photometricInterpretation);
  if (grey && (d.bitsAllocated === 8 || d.bitsAllocated === 16) && d.bitsStored <= d.bitsAllocated) return;
  if (colour && d.bitsAllocated === 8) return;
  throw new BurnError(
    `cannot draw on ${d.photometricInterpretation} with ${d.samplesPerPixel} sample(s) of ${d.bitsAllocated} bits`,
    { photometric: d.photometricInterpretation, bitsAllocated: d.bitsAllocated },
  );
}

/** Reads and writes one frame's samples as numbers (sign-extended for signed data). */
interface SampleAccess {
  get(index: number): number;
  set(index: number, value: number): void;
}

function access(frame: Uint8Array, d: PixelDescription): SampleAccess {
  if (d.bitsAllocated === 8) {
    const signed = d.pixelRepresentation === 1;
    return {
      get: (i) => (signed ? (frame[i]! << 24) >> 24 : frame[i]!),
      set: (i, v) => {
        frame[i] = v & 0xff;
      },
    };
  }
  const signed = d.pixelRepresentation === 1;
  const mask = d.bitsStored >= 16 ? 0xffff : (1 << d.bitsStored) - 1;
  return {
    get: (i) => {
      const raw = frame[2 * i]! | (frame[2 * i + 1]! << 8);
      return signed ? (raw << 16) >> 16 : raw & mask;
    },
    set: (i, v) => {
      frame[2 * i] = v & 0xff;
      frame[2 * i + 1] = (v >> 8) & 0xff;
    },
  };
}

/** Full-range YCbCr of an RGB colour (PS3.3 C.7.6.3.1.2, YBR_FULL). */
export function toYbrFull([r, g, b]: readonly [number, number, number]): [number, number, number] {
  const clamp = (v: number): number => Math.min(255, Math.max(0, Math.round(v)));
  return [
    clamp(0.299 * r + 0.587 * g + 0.114 * b),
    clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128),
    clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128),
  ];
}

/** The text and backing sample values of a block on one frame: one value per sample. */
function blockValues(
  block: BurnBlockPlan,
  d: PixelDescription,
  display: BurnDisplay,
  source: SampleAccess,
  pixels: number,
): { text: number[]; backing: number[] } {
  const { style } = block;
  if (d.samplesPerPixel === 3) {
    const convert = d.photometricInterpretation === 'YBR_FULL' ? toYbrFull : (c: readonly number[]) => [...c];
    return { text: convert(style.textRgb), backing: convert(style.backingRgb) };
  }
  let min = Infinity;
  let max = -Infinity;
  const noWindow = display.windowCenter === undefined || display.windowWidth === undefined;
  if (noWindow) {
    for (let i = 0; i < pixels; i++) {
      const v = source.get(i);
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const scale = greyScale(d, display, [min, max]);
  if (style.wrapSafe) {
    const [t, b] = wrapSafePair(scale, style.textLevel, style.backingLevel);
    return { text: [t], backing: [b] };
  }
  if (d.bitsAllocated > 8 && d.pixelRepresentation === 0) {
    // The MIDI-B crop divides unsigned 16-bit data by the region's maximum: a backing at the window's
    // bottom (say 896 under text at 1264) would show as light grey. The darkest stored value shows as
    // black on screen too, and as 0 in the crop.
    const [lo, hi] = storedRange(d);
    const darkest = scale.brightness(lo) <= scale.brightness(hi) ? lo : hi;
    return { text: [scale.storedFor(style.textLevel)], backing: [darkest] };
  }
  return { text: [scale.storedFor(style.textLevel)], backing: [scale.storedFor(style.backingLevel)] };
}

/** The mask grown by one pixel in every direction (8-neighbourhood), for the `outline` halo. */
function dilate(mask: GlyphMask): GlyphMask {
  const width = mask.width + 2;
  const height = mask.height + 2;
  const alpha = new Uint8Array(width * height);
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (mask.alpha[y * mask.width + x] === 0) continue;
      for (let dy = 0; dy < 3; dy++) alpha.fill(255, (y + dy) * width + x, (y + dy) * width + x + 3);
    }
  }
  return {
    width,
    height,
    originX: mask.originX + 1,
    originY: mask.originY + 1,
    alpha,
    advance: mask.advance,
  };
}

interface Placed {
  readonly mask: GlyphMask;
  readonly halo: GlyphMask | undefined;
  readonly box: PixelBox;
}

/** Rasterizes a line and measures the box its pixels (halo included) occupy in the image. */
function placeLine(line: BurnLinePlan, block: BurnBlockPlan, columns: number, rows: number): Placed {
  const mask = rasterizeText(line.text, line.font, line.size, block.style.antialias);
  const halo = block.style.contrast === 'outline' ? dilate(mask) : undefined;
  const ink = inkOf(halo ?? mask);
  if (!ink) throw new BurnError(`line ${JSON.stringify(line.text)} draws no pixel`);
  const left = Math.max(0, line.x + ink.left - BURN_MARGIN);
  const top = Math.max(0, line.y + ink.top - BURN_MARGIN);
  const right = Math.min(columns, line.x + ink.right + BURN_MARGIN);
  const bottom = Math.min(rows, line.y + ink.bottom + BURN_MARGIN);
  return { mask, halo, box: { left, top, width: right - left, height: bottom - top } };
}

/** Visits every covered pixel of a mask placed with its origin at (x, y), clipped to the image. */
function eachPixel(
  mask: GlyphMask,
  x: number,
  y: number,
  columns: number,
  rows: number,
  visit: (pixel: number, alpha: number) => void,
): void {
  const x0 = x - mask.originX;
  const y0 = y - mask.originY;
  for (let my = 0; my < mask.height; my++) {
    const iy = y0 + my;
    if (iy < 0 || iy >= rows) continue;
    for (let mx = 0; mx < mask.width; mx++) {
      const a = mask.alpha[my * mask.width + mx]!;
      const ix = x0 + mx;
      if (a === 0 || ix < 0 || ix >= columns) continue;
      visit(iy * columns + ix, a);
    }
  }
}

/**
 * Draws the plan into copies of the frames it names: for grey images text at the default window's bright
 * end (MONOCHROME1 inverted, rescale honoured), for colour images the planned colours (YBR_FULL converted).
 */
export function renderBurn(
  frames: readonly Uint8Array[],
  description: PixelDescription,
  display: BurnDisplayParams,
  plan: BurnPlan,
): BurnResult {
  checkFormat(description);
  const { rows, columns, samplesPerPixel } = description;
  if (rows !== plan.rows || columns !== plan.columns || frames.length !== plan.frames) {
    throw new BurnError(
      `plan for ${plan.columns}x${plan.rows}x${plan.frames} given ${columns}x${rows}x${frames.length} frames`,
    );
  }
  const pixels = rows * columns;
  const planar = samplesPerPixel === 3 && description.planarConfiguration === 1;
  // Sample index of channel c of pixel p, interleaved (R G B R G B) or planar (R... G... B...).
  const sampleOf = (p: number, c: number): number => (planar ? c * pixels + p : p * samplesPerPixel + c);
  const out = frames.slice();
  const boxes: RenderedBox[] = [];
  const placed = plan.blocks.map((block) => block.lines.map((line) => placeLine(line, block, columns, rows)));
  plan.blocks.forEach((block, b) => {
    for (const f of block.frames) {
      const source = frames[f];
      if (!source) throw new BurnError(`block ${block.id} names frame ${f} of ${frames.length}`);
      // Copy a frame once, the first time a block draws on it.
      if (out[f] === source) out[f] = Uint8Array.from(source);
      const frame = out[f]!;
      const samples = access(frame, description);
      const frameDisplay = { ...display, ...(display.frames?.[f] ?? {}) };
      // The frame's range for window-less data is that of the input, whatever other blocks drew before.
      const values = blockValues(block, description, frameDisplay, access(source, description), pixels);
      const paint = (p: number, a: number, value: readonly number[], over?: readonly number[]): void => {
        for (let c = 0; c < samplesPerPixel; c++) {
          const i = sampleOf(p, c);
          const bg = over ? over[c]! : samples.get(i);
          const v = value[c]!;
          samples.set(i, a === 255 ? v : Math.round(bg + ((v - bg) * a) / 255));
        }
      };
      block.lines.forEach((line, l) => {
        const { mask, halo, box } = placed[b]![l]!;
        if (block.style.contrast === 'box') {
          for (let y = box.top; y < box.top + box.height; y++)
            for (let x = box.left; x < box.left + box.width; x++) paint(y * columns + x, 255, values.backing);
        } else if (halo) {
          eachPixel(halo, line.x, line.y, columns, rows, (p) => paint(p, 255, values.backing));
        }
        eachPixel(mask, line.x, line.y, columns, rows, (p, a) => paint(p, a, values.text));
        boxes.push({ block: b, line: l, frame: f, box });
      });
    }
  });
  return { frames: out, boxes };
}
