/**
 * The fonts burned-in text is drawn with, as data: our bitmap overlay font (fonts/overlay-5x9.json) and
 * TrueType faces from npm font packages (DejaVu for Latin, Greek and Cyrillic; Noto Sans SC and KR for
 * Chinese, Japanese and Korean), registered by file path, never system fonts. Pure apart from
 * `loadOverlayFont`, `trueTypePath` and `fontCoverage`, which only locate and read files.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inRanges, mergeRanges, readCmapRanges, type CodeRanges } from './cmap.js';
import { BurnError } from './errors.js';

/** Every font a layout may name. */
export const BURN_FONT_IDS = [
  'overlay-5x9',
  'dejavu-sans',
  'dejavu-sans-bold',
  'dejavu-sans-condensed',
  'dejavu-sans-condensed-bold',
  'noto-sans-sc',
  'noto-sans-sc-bold',
  'noto-sans-kr',
  'noto-sans-kr-bold',
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
  /** The npm package holding the TrueType file, and the file's path inside it. */
  readonly package?: string;
  readonly file?: string;
  /**
   * The characters the face is used for (inclusive code point ranges), narrowed to those its cmap maps:
   * what `canDraw` accepts. Absent for the bitmap font, whose glyph table decides.
   */
  readonly repertoire?: CodeRanges;
}

// DejaVu Sans cap height is 1493/2048 em (its OS/2 sCapHeight); the condensed faces share it.
const DEJAVU_CAP = 1493 / 2048;
// Noto Sans SC and KR: OS/2 sCapHeight 733 of 1000 units (their Latin capitals; ideographs stand taller).
const NOTO_CJK_CAP = 733 / 1000;

/** Printable ASCII, Latin-1 and Latin Extended-A: what the DejaVu faces drew before other scripts came. */
export const LATIN_REPERTOIRE: CodeRanges = [
  [0x20, 0x7e],
  [0xa0, 0x17f],
];

// DejaVu: Latin as before, plus Greek and Coptic and Cyrillic (the ISO_IR 126 and 144 repertoires, whose
// numero sign Russian addresses use).
const DEJAVU_REPERTOIRE: CodeRanges = mergeRanges([
  ...LATIN_REPERTOIRE,
  [0x370, 0x3ff],
  [0x400, 0x4ff],
  [0x2116, 0x2116],
]);

// Noto Sans SC and KR: Latin, CJK punctuation, kana, Hangul, CJK ideographs (Extension A and the unified
// block) and full-width forms; each face keeps the part its cmap maps (SC has no Hangul, KR few hanzi).
const CJK_REPERTOIRE: CodeRanges = mergeRanges([
  ...LATIN_REPERTOIRE,
  [0x1100, 0x11ff], // Hangul Jamo
  [0x2010, 0x2027], // dashes, quotes, ellipsis
  [0x3000, 0x303f], // CJK symbols and punctuation (ideographic space, full stop, brackets)
  [0x3040, 0x30ff], // Hiragana, Katakana
  [0x3130, 0x318f], // Hangul compatibility Jamo
  [0x31f0, 0x31ff], // Katakana phonetic extensions
  [0x3400, 0x4dbf], // CJK Unified Ideographs Extension A
  [0x4e00, 0x9fff], // CJK Unified Ideographs
  [0xac00, 0xd7a3], // Hangul syllables
  [0xff01, 0xff9f], // full-width ASCII and half-width katakana
]);

// Smallest size for the CJK faces: ideographs need more pixels than Latin capitals (measured by the
// burn-scripts interop test with Debian's tesseract).
const NOTO_CJK_MIN_SIZE = 22;

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
    package: 'dejavu-fonts-ttf',
    file: 'ttf/DejaVuSans.ttf',
    repertoire: DEJAVU_REPERTOIRE,
  },
  'dejavu-sans-bold': {
    id: 'dejavu-sans-bold',
    name: 'DejaVu Sans Bold',
    kind: 'truetype',
    capHeightPerSize: DEJAVU_CAP,
    minSize: 14,
    maxSize: 400,
    package: 'dejavu-fonts-ttf',
    file: 'ttf/DejaVuSans-Bold.ttf',
    repertoire: DEJAVU_REPERTOIRE,
  },
  'dejavu-sans-condensed': {
    id: 'dejavu-sans-condensed',
    name: 'DejaVu Sans Condensed',
    kind: 'truetype',
    capHeightPerSize: DEJAVU_CAP,
    minSize: 15,
    maxSize: 400,
    package: 'dejavu-fonts-ttf',
    file: 'ttf/DejaVuSansCondensed.ttf',
    repertoire: DEJAVU_REPERTOIRE,
  },
  'dejavu-sans-condensed-bold': {
    id: 'dejavu-sans-condensed-bold',
    name: 'DejaVu Sans Condensed Bold',
    kind: 'truetype',
    capHeightPerSize: DEJAVU_CAP,
    minSize: 15,
    maxSize: 400,
    package: 'dejavu-fonts-ttf',
    file: 'ttf/DejaVuSansCondensed-Bold.ttf',
    repertoire: DEJAVU_REPERTOIRE,
  },
  'noto-sans-sc': {
    id: 'noto-sans-sc',
    name: 'Noto Sans SC',
    kind: 'truetype',
    capHeightPerSize: NOTO_CJK_CAP,
    minSize: NOTO_CJK_MIN_SIZE,
    maxSize: 400,
    package: '@expo-google-fonts/noto-sans-sc',
    file: '400Regular/NotoSansSC_400Regular.ttf',
    repertoire: CJK_REPERTOIRE,
  },
  'noto-sans-sc-bold': {
    id: 'noto-sans-sc-bold',
    name: 'Noto Sans SC Bold',
    kind: 'truetype',
    capHeightPerSize: NOTO_CJK_CAP,
    minSize: NOTO_CJK_MIN_SIZE,
    maxSize: 400,
    package: '@expo-google-fonts/noto-sans-sc',
    file: '700Bold/NotoSansSC_700Bold.ttf',
    repertoire: CJK_REPERTOIRE,
  },
  'noto-sans-kr': {
    id: 'noto-sans-kr',
    name: 'Noto Sans KR',
    kind: 'truetype',
    capHeightPerSize: NOTO_CJK_CAP,
    minSize: NOTO_CJK_MIN_SIZE,
    maxSize: 400,
    package: '@expo-google-fonts/noto-sans-kr',
    file: '400Regular/NotoSansKR_400Regular.ttf',
    repertoire: CJK_REPERTOIRE,
  },
  'noto-sans-kr-bold': {
    id: 'noto-sans-kr-bold',
    name: 'Noto Sans KR Bold',
    kind: 'truetype',
    capHeightPerSize: NOTO_CJK_CAP,
    minSize: NOTO_CJK_MIN_SIZE,
    maxSize: 400,
    package: '@expo-google-fonts/noto-sans-kr',
    file: '700Bold/NotoSansKR_700Bold.ttf',
    repertoire: CJK_REPERTOIRE,
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

/** The npm packages the TrueType faces come from (their versions shape the pixels drawn). */
export const BURN_FONT_PACKAGES: readonly string[] = [
  ...new Set(BURN_FONT_IDS.flatMap((id) => BURN_FONTS[id].package ?? [])),
];

/** The absolute path of a TrueType face, resolved from its installed npm package. */
export function trueTypePath(font: BurnFontId): string {
  const { package: pkg, file } = BURN_FONTS[font];
  if (!pkg || !file) throw new BurnError(`${font} is not a TrueType font`, { font });
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

const coverage = new Map<BurnFontId, CodeRanges>();

/** The code points a TrueType face draws: its repertoire narrowed to its cmap (read once per process). */
export function fontCoverage(font: BurnFontId): CodeRanges {
  let ranges = coverage.get(font);
  if (ranges) return ranges;
  const info = BURN_FONTS[font];
  if (!info.repertoire) throw new BurnError(`${font} is not a TrueType font`, { font });
  const path = trueTypePath(font);
  const cmap = readCmapRanges(readFileSync(path), path);
  const kept: Array<[number, number]> = [];
  for (const [start, end] of info.repertoire)
    for (const [s, e] of cmap) if (s <= end && e >= start) kept.push([Math.max(s, start), Math.min(e, end)]);
  ranges = mergeRanges(kept);
  coverage.set(font, ranges);
  return ranges;
}

/** Whether every character of `text` is in a TrueType face's coverage. */
export function coversText(font: BurnFontId, text: string): boolean {
  const ranges = fontCoverage(font);
  for (const char of text) if (!inRanges(ranges, char.codePointAt(0)!)) return false;
  return true;
}

/** Whether every character of `text` is Latin (printable ASCII, Latin-1, Latin Extended-A). */
export function isLatinText(text: string): boolean {
  for (const char of text) if (!inRanges(LATIN_REPERTOIRE, char.codePointAt(0)!)) return false;
  return true;
}

// Faces a line falls back to, in order, by the weight of the block's face: DejaVu for Greek and Cyrillic,
// Noto Sans SC for Chinese and Japanese (ideographs and kana), Noto Sans KR for Korean (Hangul).
const FALLBACKS: Readonly<Record<'regular' | 'bold', readonly BurnFontId[]>> = {
  regular: ['dejavu-sans', 'noto-sans-sc', 'noto-sans-kr'],
  bold: ['dejavu-sans-bold', 'noto-sans-sc-bold', 'noto-sans-kr-bold'],
};

/**
 * The faces tried, in order, for a line the block's face `font` cannot draw: the same weight (bold for
 * the bold faces, regular otherwise, the bitmap font included), so that the choice depends only on the
 * block's face and the line's characters.
 */
export function fallbackFonts(font: BurnFontId): readonly BurnFontId[] {
  return FALLBACKS[font.endsWith('-bold') ? 'bold' : 'regular'];
}
