/**
 * Glyph masks: the one place that turns text into pixels. The bitmap font is copied dot by dot; TrueType
 * faces are drawn by @napi-rs/canvas (Skia), registered by file path under names of our own so that no
 * system font can stand in. Both the planner's measure and the renderer use these masks, so a planned box
 * is exactly the box the renderer finds.
 */
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { BurnError } from './errors.js';
import { BURN_FONTS, coversText, loadOverlayFont, trueTypePath, type BurnFontId } from './fonts.js';
import type { BurnMeasure, InkBounds, TextMeasurement } from './types.js';

/** Coverage of one line of text, with the pen origin inside it. */
export interface GlyphMask {
  readonly width: number;
  readonly height: number;
  /** Pen origin (left end of the baseline) inside the mask. */
  readonly originX: number;
  readonly originY: number;
  /** Coverage 0..255, row-major; 0 or 255 only when not anti-aliased. */
  readonly alpha: Uint8Array;
  /** Pen advance in pixels. */
  readonly advance: number;
}

const registered = new Set<BurnFontId>();

/** The family name a face is registered under: ours, so that it can never resolve to a system font. */
const familyOf = (font: BurnFontId): string => `pseudophi ${font}`;

function registerTrueType(font: BurnFontId): void {
  if (registered.has(font)) return;
  const path = trueTypePath(font);
  const key = GlobalFonts.registerFromPath(path, familyOf(font));
  if (!key) throw new BurnError(`cannot register ${path}`, { font });
  registered.add(font);
}

function rasterizeBitmap(text: string, scale: number): GlyphMask {
  const font = loadOverlayFont();
  const chars = [...text];
  const width = Math.max(1, chars.length * font.advance * scale);
  const height = (font.ascent + font.descent) * scale;
  const alpha = new Uint8Array(width * height);
  const top = (font.ascent - font.capHeight) * scale;
  chars.forEach((char, index) => {
    const glyph = font.glyphs[char];
    if (!glyph) throw new BurnError(`${font.name} has no glyph for ${JSON.stringify(char)}`);
    const left = index * font.advance * scale;
    glyph.forEach((row, r) => {
      for (let c = 0; c < row.length; c++) {
        if (row[c] !== '#') continue;
        for (let dy = 0; dy < scale; dy++)
          alpha.fill(
            255,
            (top + r * scale + dy) * width + left + c * scale,
            (top + r * scale + dy) * width + left + (c + 1) * scale,
          );
      }
    });
  });
  return {
    width,
    height,
    originX: 0,
    originY: font.ascent * scale,
    alpha,
    advance: chars.length * font.advance * scale,
  };
}

function rasterizeTrueType(text: string, font: BurnFontId, size: number, antialias: boolean): GlyphMask {
  registerTrueType(font);
  const css = `${size}px "${familyOf(font)}"`;
  const probe = createCanvas(1, 1).getContext('2d');
  probe.font = css;
  const metrics = probe.measureText(text);
  // A generous pad: italic overhang and accents may reach past the advance and the font box.
  const pad = Math.ceil(size / 2) + 2;
  const ascent = Math.ceil(Math.max(metrics.fontBoundingBoxAscent, metrics.actualBoundingBoxAscent));
  const descent = Math.ceil(Math.max(metrics.fontBoundingBoxDescent, metrics.actualBoundingBoxDescent));
  const width = Math.ceil(metrics.width) + 2 * pad;
  const height = ascent + descent + 2 * pad;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.font = css;
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = '#ffffff';
  // Integer pen positions only: the same text then rasterizes to the same pixels wherever it is placed.
  ctx.fillText(text, pad, pad + ascent);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const alpha = new Uint8Array(width * height);
  for (let i = 0; i < alpha.length; i++) {
    const a = rgba[i * 4 + 3]!;
    alpha[i] = antialias ? a : a >= 128 ? 255 : 0;
  }
  return { width, height, originX: pad, originY: pad + ascent, alpha, advance: metrics.width };
}

const cache = new Map<string, GlyphMask>();

/** The coverage mask of `text` in `font` at `size`, cached per process (masks are never mutated). */
export function rasterizeText(text: string, font: BurnFontId, size: number, antialias: boolean): GlyphMask {
  const key = JSON.stringify([text, font, size, antialias]);
  let mask = cache.get(key);
  if (!mask) {
    if (BURN_FONTS[font].kind === 'bitmap') {
      if (!Number.isInteger(size) || size < 1)
        throw new BurnError(`bitmap scale ${size} is not a positive integer`);
      mask = rasterizeBitmap(text, size);
    } else {
      mask = rasterizeTrueType(text, font, size, antialias);
    }
    if (cache.size > 4096) cache.clear();
    cache.set(key, mask);
  }
  return mask;
}

/** Forgets cached masks, so that the next rasterization draws anew (tests prove it draws the same). */
export function clearRasterCache(): void {
  cache.clear();
}

/** Exact bounds of the covered pixels of a mask, relative to its pen origin, or null when blank. */
export function inkOf(mask: GlyphMask): InkBounds | null {
  let left = mask.width;
  let right = -1;
  let top = mask.height;
  let bottom = -1;
  for (let y = 0; y < mask.height; y++) {
    const row = y * mask.width;
    for (let x = 0; x < mask.width; x++) {
      if (mask.alpha[row + x] === 0) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  if (right < 0) return null;
  return {
    left: left - mask.originX,
    top: top - mask.originY,
    right: right + 1 - mask.originX,
    bottom: bottom + 1 - mask.originY,
  };
}

/** The measuring interface backed by the real rasterizer: bounds are those of the pixels drawn. */
export const canvasMeasure: BurnMeasure = {
  canDraw(text: string, font: BurnFontId): boolean {
    if (BURN_FONTS[font].kind === 'bitmap') {
      const glyphs = loadOverlayFont().glyphs;
      return [...text].every((c) => glyphs[c] !== undefined);
    }
    // The face's repertoire narrowed to its cmap (fonts.ts): never a glyph Skia would take from elsewhere.
    return coversText(font, text);
  },
  measure(text: string, font: BurnFontId, size: number, antialias: boolean): TextMeasurement {
    const mask = rasterizeText(text, font, size, antialias);
    return { advance: mask.advance, ink: inkOf(mask) };
  },
};
