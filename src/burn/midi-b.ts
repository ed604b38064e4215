/**
 * The burned-in ground truth in the forms the answer key needs: the MIDI-B pixels_hidden box per block,
 * a normalized row per line and frame, and the crop the MIDI-B script hands to OCR (so that a scorer and
 * the legibility test read exactly what the script reads).
 */
import { createCanvas } from '@napi-rs/canvas';
import type { PixelDescription } from '../dicom/index.js';
import { BurnError } from './errors.js';
import { fontLabel } from './fonts.js';
import type { BurnBlockPlan, BurnPlan, PixelBox } from './types.js';
import type { HipaaKind } from '../phi/index.js';

/** The JSON object of a MIDI-B pixels_hidden `action_text` (before it is wrapped in `<` `>`). */
export interface MidiBBox {
  readonly text: string;
  /** [column, row] of the first pixel of the box. */
  readonly top_left: readonly [number, number];
  /** [column, row] one past the last pixel: the script crops pixel_array[y0:y1, x0:x1]. */
  readonly bottom_right: readonly [number, number];
  readonly font: string;
}

/** The MIDI-B box of a block: the union of its lines' boxes, its text and font. */
export function toMidiBBox(block: BurnBlockPlan): MidiBBox {
  const { box } = block;
  return {
    text: block.text,
    top_left: [box.left, box.top],
    bottom_right: [box.left + box.width, box.top + box.height],
    font: block.font,
  };
}

/** The pixels_hidden `action_text` JSON of a block, keys in MIDI-B's order (unwrapped). */
export function midiBActionText(block: BurnBlockPlan): string {
  const b = toMidiBBox(block);
  return JSON.stringify({ text: b.text, top_left: b.top_left, bottom_right: b.bottom_right, font: b.font });
}

/** One pixels_hidden check: a PHI block and the frames it is drawn on. */
export interface PixelsHiddenCheck {
  readonly block: number;
  readonly frames: readonly number[];
  readonly box: MidiBBox;
  readonly actionText: string;
}

/** The pixels_hidden checks of a plan: one per block that holds PHI. */
export function toPixelsHiddenChecks(plan: BurnPlan): PixelsHiddenCheck[] {
  const out: PixelsHiddenCheck[] = [];
  plan.blocks.forEach((block, index) => {
    if (!block.phi) return;
    out.push({
      block: index,
      frames: block.frames,
      box: toMidiBBox(block),
      actionText: midiBActionText(block),
    });
  });
  return out;
}

/** One burned line on one frame, for the normalized answer-key table. */
export interface BurnLineRow {
  readonly block: number;
  readonly blockId: string;
  readonly line: number;
  readonly frame: number;
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly text: string;
  /** HIPAA kind and identity field of the line's first PHI value (or first value, for decoys). */
  readonly kind: HipaaKind | null;
  readonly field: string | null;
  readonly key: string | null;
  /** PHI, or a decoy (non-PHI text a de-identifier must leave alone). */
  readonly phi: boolean;
  readonly font: string;
}

/** A row per line and frame, in plan order (block, line, frame). */
export function toBurnRows(plan: BurnPlan): BurnLineRow[] {
  const rows: BurnLineRow[] = [];
  plan.blocks.forEach((block, b) => {
    block.lines.forEach((line, l) => {
      const span = line.spans.find((s) => s.phi) ?? line.spans[0];
      for (const frame of block.frames) {
        rows.push({
          block: b,
          blockId: block.id,
          line: l,
          frame,
          ...line.box,
          text: line.text,
          kind: span?.kind ?? null,
          field: span?.field ?? null,
          key: span?.key ?? null,
          phi: line.phi,
          // The line's own face and size: the block's, unless the line fell back to another script's face.
          font: fontLabel(line.font, line.size),
        });
      }
    });
  });
  return rows;
}

/** An 8-bit crop as OCR receives it: `samples` values per pixel, row-major. */
export interface Crop8 {
  readonly width: number;
  readonly height: number;
  readonly samples: 1 | 3;
  readonly data: Uint8Array;
}

/**
 * The MIDI-B script's view of a box: pixel_array[y0:y1, x0:x1] of one frame, uint16 scaled by the
 * region's maximum to uint8, every other type cast with astype(uint8) (signed data keeps its low byte).
 * Colour comes as stored (pydicom does not convert native YBR_FULL), interleaved.
 */
export function midiBCrop(frame: Uint8Array, d: PixelDescription, box: PixelBox): Crop8 {
  const { rows, columns } = d;
  const left = Math.max(0, box.left);
  const top = Math.max(0, box.top);
  const right = Math.min(columns, box.left + box.width);
  const bottom = Math.min(rows, box.top + box.height);
  const width = Math.max(0, right - left);
  const height = Math.max(0, bottom - top);
  const samples = d.samplesPerPixel === 3 ? 3 : 1;
  if (d.samplesPerPixel !== samples || (d.bitsAllocated !== 8 && d.bitsAllocated !== 16))
    throw new BurnError(`no MIDI-B crop for ${d.samplesPerPixel} samples of ${d.bitsAllocated} bits`);
  const pixels = rows * columns;
  const planar = samples === 3 && d.planarConfiguration === 1;
  const values = new Array<number>(width * height * samples);
  let max = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (top + y) * columns + left + x;
      for (let c = 0; c < samples; c++) {
        const i = planar ? c * pixels + p : p * samples + c;
        const v = d.bitsAllocated === 8 ? frame[i]! : frame[2 * i]! | (frame[2 * i + 1]! << 8);
        const o = (y * width + x) * samples + c;
        values[o] = v;
        if (v > max) max = v;
      }
    }
  }
  const data = new Uint8Array(values.length);
  const scaled = d.bitsAllocated === 16 && d.pixelRepresentation === 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // (region / region.max() * 255).astype(uint8) truncates; an all-zero region stays zero.
    data[i] = scaled ? (max === 0 ? 0 : Math.floor((v / max) * 255)) : v & 0xff;
  }
  return { width, height, samples, data };
}

/** How cropToPng prepares a crop for an OCR engine. */
export interface CropPngOptions {
  /** Resize factor (smoothed). */
  readonly scale?: number;
  /** Border added on every side, in the crop's corner value. */
  readonly pad?: number;
  /** Grey, with dark text on a light ground (inverted when the corner is dark), as tesseract prefers. */
  readonly darkOnLight?: boolean;
}

/** Encodes a crop as PNG, optionally resized, padded and normalized for OCR. */
export function cropToPng(crop: Crop8, options: CropPngOptions = {}): Buffer {
  const scale = options.scale ?? 1;
  const pad = options.pad ?? 0;
  const source = createCanvas(Math.max(1, crop.width), Math.max(1, crop.height));
  const ctx = source.getContext('2d');
  const image = ctx.createImageData(source.width, source.height);
  const edge: number[] = [0, 0, 0];
  for (let i = 0; i < crop.width * crop.height; i++) {
    for (let c = 0; c < 3; c++)
      image.data[i * 4 + c] = crop.data[i * crop.samples + (crop.samples === 3 ? c : 0)]!;
    image.data[i * 4 + 3] = 255;
  }
  if (options.darkOnLight) {
    // Luma (BT.601) of every pixel; the corner pixel is the ground, which must end up light.
    const luma = (i: number): number =>
      0.299 * image.data[i * 4]! + 0.587 * image.data[i * 4 + 1]! + 0.114 * image.data[i * 4 + 2]!;
    const invert = luma(0) < 128;
    for (let i = 0; i < crop.width * crop.height; i++) {
      const g = Math.round(invert ? 255 - luma(i) : luma(i));
      image.data[i * 4] = g;
      image.data[i * 4 + 1] = g;
      image.data[i * 4 + 2] = g;
    }
  }
  // The pad repeats the crop's top-left pixel, its backing or background: OCR wants a quiet border.
  for (let c = 0; c < 3; c++) edge[c] = image.data[c] ?? 0;
  ctx.putImageData(image, 0, 0);
  const w = Math.max(1, Math.round(crop.width * scale));
  const h = Math.max(1, Math.round(crop.height * scale));
  const target = createCanvas(w + 2 * pad, h + 2 * pad);
  const out = target.getContext('2d');
  out.fillStyle = `rgb(${edge[0]}, ${edge[1]}, ${edge[2]})`;
  out.fillRect(0, 0, target.width, target.height);
  out.imageSmoothingEnabled = true;
  out.imageSmoothingQuality = 'high';
  out.drawImage(source, pad, pad, w, h);
  return target.toBuffer('image/png');
}
