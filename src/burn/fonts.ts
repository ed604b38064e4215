/**
 * The fonts burned-in text is drawn with, as data: our bitmap overlay font (fonts/overlay-5x9.json) and
 * TrueType faces from the dejavu-fonts-ttf npm package, registered by file path, never system fonts.
 * Pure apart from `loadOverlayFont` and `trueTypePath`, which only locate and read files.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BurnError } from './errors.js';

/** Every font a layout may name. */
export const BURN_FONT_IDS = [
  'overlay-5x9',
  'dejavu-sans',
  'dejavu-sans-bold',
  'dejavu-sans-condensed',
  'dejavu-sans-condensed-bold',
] as const;

/** One font a layout may name. */
export type BurnFontId = (typeof BURN_FONT_IDS)[number];

/** What the planner needs to know about a font: its name, kind and the sizes it may be drawn at. */
export interface BurnFontInfo {
  readonly id: BurnFontId;
  /** The name recorded in the MIDI-B `font` field, with the size appended. */
  readonly name: string;
  readonly kind: 'bitmap' | 'truetype';
  /** Cap height per unit of size: pixels per scale step (bitmap) or per pixel of em (TrueType). */
  readonly capHeightPerSize: number;
  /** Smallest size OCR still reads reliably (measured by test/burn/ocr.test.ts). */
  readonly minSize: number;
  /** Largest size; our bitmap font stays at scale 1 (tesseract misreads its blocky 2x and 3x forms). */
  readonly maxSize: number;
  /** The TrueType file inside dejavu-fonts-ttf/ttf. */
  readonly file?: string;
}

// DejaVu Sans cap height is 1493/2048 em (its OS/2 sCapHeight); the condensed faces share it.
const DEJAVU_CAP = 1493 / 2048;

/** The font catalogue, in a fixed order. */
export const BURN_FONTS: Readonly<Record<BurnFontId, BurnFontInfo>> = {
  'overlay-5x9': {
    id: 'overlay-5x9',
    name: 'pseudophi overlay 5x9',
    kind: 'bitmap',
    capHeightPerSize: 9,
    minSize: 1,
    maxSize: 1,
  },
  'dejavu-sans': {
    id: 'dejavu-sans',
    name: 'DejaVu Sans',
    kind: 'truetype',
    capHeightPerSize: DEJAVU_CAP,
    minSize: 14,
    maxSize: 400,
    file: 'DejaVuSans.ttf',
  },
  'dejavu-sans-bold': {
    id: 'dejavu-sans-bold',
    name: 'DejaVu Sans Bold',
    kind: 'truetype',
    capHeightPerSize: DEJAVU_CAP,
    minSize: 14,
    maxSize: 400,
    file: 'DejaVuSans-Bold.ttf',
  },
  'dejavu-sans-condensed': {
    id: 'dejavu-sans-condensed',
    name: 'DejaVu Sans Condensed',
    kind: 'truetype',
    capHeightPerSize: DEJAVU_CAP,
    minSize: 15,
    maxSize: 400,
    file: 'DejaVuSansCondensed.ttf',
  },
  'dejavu-sans-condensed-bold': {
    id: 'dejavu-sans-condensed-bold',
    name: 'DejaVu Sans Condensed Bold',
    kind: 'truetype',
    capHeightPerSize: DEJAVU_CAP,
    minSize: 15,
    maxSize: 400,
    file: 'DejaVuSansCondensed-Bold.ttf',
  },
};

/** Whether a string names a font in the catalogue. */
export function isBurnFontId(id: string): id is BurnFontId {
  return (BURN_FONT_IDS as readonly string[]).includes(id);
}

/** The label written to the MIDI-B `font` field: the face and its size. */
export function fontLabel(font: BurnFontId, size: number): string {
  const info = BURN_FONTS[font];
  return info.kind === 'bitmap' ? `${info.name} x${size}` : `${info.name} ${size}px`;
}

/** The bitmap overlay font as fonts/build-overlay-font.mjs writes it. */
export interface OverlayFont {
  readonly name: string;
  /** Pen advance per character at scale 1. */
  readonly advance: number;
  readonly glyphWidth: number;
  readonly capHeight: number;
  /** Rows above the baseline (cap height plus blank rows) and below it. */
  readonly ascent: number;
  readonly descent: number;
  /** Rows of `#` and `.`, from the cap-height row down, for each character. */
  readonly glyphs: Readonly<Record<string, readonly string[]>>;
}

/** fonts/, found relative to this module (the same depth under src/ and dist/). */
export function fontsDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fonts');
}

let overlay: OverlayFont | undefined;

/** Reads (once per process) and checks fonts/overlay-5x9.json. */
export function loadOverlayFont(): OverlayFont {
  if (overlay) return overlay;
  const path = join(fontsDir(), 'overlay-5x9.json');
  const font = JSON.parse(readFileSync(path, 'utf8')) as OverlayFont;
  for (const [char, rows] of Object.entries(font.glyphs)) {
    if (rows.length !== font.capHeight + font.descent || rows.some((r) => r.length !== font.glyphWidth)) {
      throw new BurnError(`glyph ${JSON.stringify(char)} of ${path} has the wrong shape`, { file: path });
    }
  }
  overlay = font;
  return font;
}

const require = createRequire(import.meta.url);

/** The absolute path of a TrueType face, resolved from the installed dejavu-fonts-ttf package. */
export function trueTypePath(font: BurnFontId): string {
  const file = BURN_FONTS[font].file;
  if (!file) throw new BurnError(`${font} is not a TrueType font`, { font });
  const pkg = require.resolve('dejavu-fonts-ttf/package.json');
  return join(dirname(pkg), 'ttf', file);
}
