/**
 * The burn planner: a layout, the image geometry and the values to draw give, through a seeded RNG and a
 * measuring interface, the exact lines, fonts, sizes, positions, styles and boxes to burn. Pure: no I/O,
 * not async; the renderer applies the plan and the answer key records it (ARCHITECTURE.md section 3).
 */
import type { PixelDescription } from '../dicom/index.js';
import type { Rng } from '../rng/index.js';
import type { BackdropTest } from './backdrop.js';
import { BurnError } from './errors.js';
import { BURN_FONTS, fallbackFonts, fontLabel, isLatinText, type BurnFontId } from './fonts.js';
import type { BurnAnchor, BurnBlockTemplate, BurnLayout, BurnPart } from './layout-templates.js';
import type {
  BurnBlockPlan,
  BurnContrast,
  BurnDropped,
  BurnLinePlan,
  BurnMeasure,
  BurnPlan,
  BurnSpan,
  BurnStyle,
  BurnValue,
  InkBounds,
  PixelBox,
} from './types.js';

/** Blank pixels kept around the ink on every side of a recorded box. */
export const BURN_MARGIN = 2;

/** The pixel layout the planner needs: describePixels' answer fits. */
export type BurnImage = Pick<
  PixelDescription,
  | 'rows'
  | 'columns'
  | 'numberOfFrames'
  | 'samplesPerPixel'
  | 'bitsAllocated'
  | 'pixelRepresentation'
  | 'photometricInterpretation'
>;

/** What to plan: a layout (by name, or chosen by seed for the modality), the image, and the values. */
export interface BurnInput {
  readonly layouts: readonly BurnLayout[];
  /** A layout name; when absent, one listed for `modality` is chosen by seed. */
  readonly layout?: string;
  readonly modality?: string;
  readonly image: BurnImage;
  /** Values from the identity (PHI) and decoys, by key. */
  readonly values: readonly BurnValue[];
  /**
   * Whether the image behind a placed block is too busy for text without a backing (backdrop.ts); such a
   * block is drawn on a box instead. Absent: every backdrop counts as plain.
   */
  readonly busyBackdrop?: BackdropTest;
}

// Overlay colours devices use on colour images (ultrasound, secondary capture): bright, saturated or not.
const TEXT_RGB: ReadonlyArray<readonly [number, number, number]> = [
  [255, 255, 255],
  [230, 230, 230],
  [255, 255, 0],
  [0, 255, 0],
  [0, 255, 255],
  [255, 200, 0],
];
const BACKING_RGB: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 0],
  [24, 24, 24],
  [0, 0, 64],
];
// YBR_FULL is cropped as stored (Y, Cb, Cr read as R, G, B): only neutral colours, whose Cb and Cr sit
// at 128, keep the text brighter than its backing in every channel of that crop.
const NEUTRAL_TEXT_RGB: ReadonlyArray<readonly [number, number, number]> = [
  [255, 255, 255],
  [235, 235, 235],
];
const NEUTRAL_BACKING_RGB: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 0],
  [16, 16, 16],
];

// The bitmap font is drawn at scale 1 only; above this cap height a device would use a bigger face.
const BITMAP_MAX_CAP = 14;

// Smallest TrueType size (pixels) drawn with an `outline` halo.
const HALO_MIN_SIZE = 16;

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** Chooses the layout: by name, else by seed among those listing the modality, else the `*` fallbacks. */
function chooseLayout(input: BurnInput, rng: Rng): BurnLayout {
  if (input.layout !== undefined) {
    const named = input.layouts.find((l) => l.name === input.layout);
    if (!named) throw new BurnError(`no layout named ${input.layout}`, { layout: input.layout });
    return named;
  }
  const modality = input.modality ?? '';
  let candidates = input.layouts.filter((l) => l.modalities.includes(modality));
  if (candidates.length === 0) candidates = input.layouts.filter((l) => l.modalities.includes('*'));
  if (candidates.length === 0) throw new BurnError(`no layout for modality ${modality}`, { modality });
  return rng.pick(candidates);
}

/** Contrast styles whose MIDI-B crop stays legible for a pixel format (midi-b.ts, midiBCrop). */
function contrastsFor(image: BurnImage): readonly BurnContrast[] {
  // YBR_FULL is cropped as stored: a halo or the image behind the text mixes Cb and Cr into the grey OCR sees.
  if (image.samplesPerPixel === 3)
    return image.photometricInterpretation.startsWith('YBR') ? ['box'] : ['box', 'outline', 'none'];
  // Signed data is cast with astype(uint8): only a backing with a chosen low byte survives the wrap.
  if (image.pixelRepresentation === 1) return ['box'];
  // Unsigned 16-bit crops are scaled by their maximum: anatomy around outlined text dims it (tesseract
  // misread 34 px outlined text over a radiograph), so the text gets a backing.
  if (image.bitsAllocated > 8) return ['box'];
  return ['box', 'outline', 'none'];
}

interface ResolvedLine {
  readonly index: number;
  readonly text: string;
  readonly spans: readonly BurnSpan[];
}

function formatRange(part: Extract<BurnPart, { range: unknown }>, rng: Rng): string {
  const step = part.step ?? 1;
  const count = Math.floor((part.range[1] - part.range[0]) / step + 1e-9);
  const value = part.range[0] + step * rng.int(0, count);
  return value.toFixed(part.decimals ?? 0);
}

/** Builds each line's text and spans; lines whose value is missing are dropped with a reason. */
function resolveLines(
  block: BurnBlockTemplate,
  values: ReadonlyMap<string, BurnValue>,
  rng: Rng,
  dropped: BurnDropped[],
): ResolvedLine[] {
  const lines: ResolvedLine[] = [];
  block.lines.forEach((template, index) => {
    if (template.probability !== undefined && !rng.chance(template.probability)) return;
    let text = '';
    const spans: BurnSpan[] = [];
    for (const part of template.parts) {
      let piece: string;
      let span: Omit<BurnSpan, 'start' | 'end'> | undefined;
      if ('text' in part) {
        piece = part.text;
      } else if ('value' in part) {
        const value = values.get(part.value);
        if (!value || value.text === '') {
          dropped.push({ block: block.id, line: index, reason: `no value for ${part.value}` });
          return;
        }
        piece = value.text;
        span = { key: value.key, field: value.field, kind: value.kind, phi: value.phi };
      } else if ('pick' in part) {
        // A decoy the caller supplies under the same key wins over the layout's own choices.
        const given = values.get(part.key);
        piece = given?.text ?? rng.pick(part.pick);
        span = {
          key: part.key,
          field: given?.field ?? null,
          kind: given?.kind ?? null,
          phi: given?.phi ?? false,
        };
      } else {
        const given = values.get(part.key);
        piece = given?.text ?? formatRange(part, rng);
        span = {
          key: part.key,
          field: given?.field ?? null,
          kind: given?.kind ?? null,
          phi: given?.phi ?? false,
        };
      }
      if (span) spans.push({ ...span, start: text.length, end: text.length + piece.length });
      text += piece;
    }
    if (text.trim() === '') return;
    lines.push({ index, text, spans });
  });
  return lines;
}

function chooseStyle(
  block: BurnBlockTemplate,
  image: BurnImage,
  font: BurnFontId,
  size: number,
  rng: Rng,
): BurnStyle {
  const bitmap = BURN_FONTS[font].kind === 'bitmap';
  const allowed = contrastsFor(image);
  // A one-pixel halo fills the counters of small or one-pixel-stroke glyphs: only for larger faces.
  const haloFits = !bitmap && size >= HALO_MIN_SIZE;
  const options = block.contrast.filter((c) => allowed.includes(c) && (c !== 'outline' || haloFits));
  const contrast = rng.pick(options.length > 0 ? options : (['box'] as const));
  const wrapSafe = image.samplesPerPixel !== 3 && image.pixelRepresentation === 1;
  // Text over anatomy needs full brightness; over a backing it may be a little dimmer.
  const textLevel = wrapSafe || contrast === 'none' || rng.chance(0.5) ? 1 : round2(rng.float(0.85, 1));
  const backingLevel = wrapSafe ? 0 : round2(rng.float(0, 0.12));
  const ybr = image.photometricInterpretation.startsWith('YBR');
  const textRgb = rng.pick(ybr ? NEUTRAL_TEXT_RGB : TEXT_RGB);
  const backingRgb = rng.pick(ybr ? NEUTRAL_BACKING_RGB : BACKING_RGB);
  const antialias = !bitmap && !wrapSafe && rng.chance(0.6);
  return { contrast, textLevel, backingLevel, textRgb, backingRgb, antialias, wrapSafe };
}

/** A line with the face it is drawn in: the block's, or a fallback for a script the block's face lacks. */
interface FacedLine extends ResolvedLine {
  readonly font: BurnFontId;
}

/**
 * The face a line falls back to when the block's face cannot draw it: the first of the same weight that
 * has every character (DejaVu for Greek and Cyrillic, Noto Sans SC for Chinese and Japanese, Noto Sans KR
 * for Korean). Latin text never falls back, so layouts in Latin plan exactly as they always did.
 */
function fallbackFor(text: string, font: BurnFontId, measure: BurnMeasure): BurnFontId | undefined {
  if (isLatinText(text)) return undefined;
  return fallbackFonts(font).find((f) => measure.canDraw(text, f));
}

/**
 * The face a line is drawn in when its block's face is `font`: that face when it has every character,
 * else the fallback for the script it lacks; undefined when no face has them all.
 */
export function lineFont(text: string, font: BurnFontId, measure: BurnMeasure): BurnFontId | undefined {
  return measure.canDraw(text, font) ? font : fallbackFor(text, font, measure);
}

/** The size of a line's face that matches the cap height of the block's face at `size`. */
function sizeFor(face: BurnFontId, font: BurnFontId, size: number): number {
  if (face === font) return size;
  const info = BURN_FONTS[face];
  const cap = size * BURN_FONTS[font].capHeightPerSize;
  return Math.min(info.maxSize, Math.max(info.minSize, Math.round(cap / info.capHeightPerSize)));
}

interface MeasuredLine extends FacedLine {
  readonly size: number;
  readonly ink: InkBounds;
  /** Box size: ink plus margins. */
  readonly width: number;
}

function measureLines(
  lines: readonly FacedLine[],
  font: BurnFontId,
  size: number,
  style: BurnStyle,
  measure: BurnMeasure,
): MeasuredLine[] {
  const halo = style.contrast === 'outline' ? 1 : 0;
  const out: MeasuredLine[] = [];
  for (const line of lines) {
    const lineSize = sizeFor(line.font, font, size);
    const ink = measure.measure(line.text, line.font, lineSize, style.antialias).ink;
    if (!ink) continue;
    const grown = {
      left: ink.left - halo,
      top: ink.top - halo,
      right: ink.right + halo,
      bottom: ink.bottom + halo,
    };
    out.push({ ...line, size: lineSize, ink: grown, width: grown.right - grown.left + 2 * BURN_MARGIN });
  }
  return out;
}

interface Arranged {
  /** Line boxes relative to the block's top-left corner, with each line's pen origin. */
  readonly lines: ReadonlyArray<
    MeasuredLine & { readonly box: PixelBox; readonly x: number; readonly y: number }
  >;
  readonly width: number;
  readonly height: number;
}

/** Lays lines out relative to the block corner: stacked, or in rows that wrap at `maxWidth`. */
function arrange(
  lines: readonly MeasuredLine[],
  block: BurnBlockTemplate,
  align: 'start' | 'center' | 'end',
  maxWidth: number,
  gapY: number,
  gapX: number,
): Arranged {
  const ascent = Math.max(...lines.map((l) => -l.ink.top));
  const descent = Math.max(...lines.map((l) => l.ink.bottom));
  const lineHeight = ascent + descent + 2 * BURN_MARGIN;
  const pitch = lineHeight + gapY;
  // Rows of line indices: one line per row when stacked; wrapped at maxWidth in a row block.
  const rows: MeasuredLine[][] = [];
  for (const line of lines) {
    const row = rows[rows.length - 1];
    const used = row ? row.reduce((s, l) => s + l.width, 0) + gapX * row.length : 0;
    if (block.arrange === 'row' && row && used + line.width <= maxWidth) row.push(line);
    else rows.push([line]);
  }
  const rowWidth = (row: readonly MeasuredLine[]): number =>
    row.reduce((s, l) => s + l.width, 0) + gapX * (row.length - 1);
  const width = Math.max(...rows.map(rowWidth));
  const placed: Array<MeasuredLine & { box: PixelBox; x: number; y: number }> = [];
  rows.forEach((row, r) => {
    const baseline = r * pitch + BURN_MARGIN + ascent;
    const free = width - rowWidth(row);
    let left = align === 'start' ? 0 : align === 'end' ? free : Math.floor(free / 2);
    for (const line of row) {
      const top = baseline + line.ink.top - BURN_MARGIN;
      const height = line.ink.bottom - line.ink.top + 2 * BURN_MARGIN;
      const x = left + BURN_MARGIN - line.ink.left;
      placed.push({ ...line, box: { left, top, width: line.width, height }, x, y: baseline });
      left += line.width + gapX;
    }
  });
  return { lines: placed, width, height: (rows.length - 1) * pitch + lineHeight };
}

function anchorOrigin(
  anchor: BurnAnchor,
  w: number,
  h: number,
  image: BurnImage,
  inset: number,
): [number, number] {
  const right = image.columns - inset - w;
  const bottom = image.rows - inset - h;
  const center = Math.floor((image.columns - w) / 2);
  switch (anchor) {
    case 'top-left':
      return [inset, inset];
    case 'top-right':
      return [right, inset];
    case 'bottom-left':
      return [inset, bottom];
    case 'bottom-right':
      return [right, bottom];
    case 'top-center':
      return [center, inset];
    case 'bottom-center':
      return [center, bottom];
  }
}

const alignOf = (anchor: BurnAnchor): 'start' | 'center' | 'end' =>
  anchor.endsWith('right') ? 'end' : anchor.endsWith('center') ? 'center' : 'start';

/** True when two boxes share a pixel or touch (one blank pixel is kept between blocks). */
function touches(a: PixelBox, b: PixelBox): boolean {
  return (
    a.left <= b.left + b.width &&
    b.left <= a.left + a.width &&
    a.top <= b.top + b.height &&
    b.top <= a.top + a.height
  );
}

/** Union of boxes. */
export function unionBox(boxes: readonly PixelBox[]): PixelBox {
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const right = Math.max(...boxes.map((b) => b.left + b.width));
  const bottom = Math.max(...boxes.map((b) => b.top + b.height));
  return { left, top, width: right - left, height: bottom - top };
}

function chooseFrames(block: BurnBlockTemplate, frames: number, rng: Rng): number[] {
  const all = Array.from({ length: frames }, (_, i) => i);
  if (block.frames === 'all' || frames === 1) return all;
  if (block.frames === 'first') return [0];
  const some = all.filter(() => rng.chance(0.5));
  return some.length > 0 ? some : [rng.int(0, frames - 1)];
}

/** Plans one block; returns undefined (and records why) when nothing of it can be drawn legibly. */
function planBlock(
  block: BurnBlockTemplate,
  input: BurnInput,
  values: ReadonlyMap<string, BurnValue>,
  placed: readonly PixelBox[],
  rng: Rng,
  measure: BurnMeasure,
  dropped: BurnDropped[],
): BurnBlockPlan | undefined {
  const image = input.image;
  if (block.probability !== undefined && !rng.chance(block.probability)) return undefined;
  const lines = resolveLines(block, values, rng, dropped);
  if (lines.length === 0) return undefined;
  const short = Math.min(image.rows, image.columns);
  const targetCap = rng.float(block.capHeight[0], block.capHeight[1]) * short;
  const sized = block.fonts.filter((f) => BURN_FONTS[f].kind !== 'bitmap' || targetCap <= BITMAP_MAX_CAP);
  let fonts = sized.filter((f) => lines.every((l) => measure.canDraw(l.text, f)));
  // Lines in a script none of the block's faces has (Greek, Cyrillic, CJK) are drawn in a fallback face.
  if (fonts.length === 0)
    fonts = sized.filter((f) => lines.every((l) => lineFont(l.text, f, measure) !== undefined));
  if (fonts.length === 0) {
    dropped.push({ block: block.id, reason: 'no font draws its text at this size' });
    return undefined;
  }
  const font = rng.pick(fonts);
  const info = BURN_FONTS[font];
  const faced: FacedLine[] = lines.map((l) => ({ ...l, font: lineFont(l.text, font, measure)! }));
  // Largest legible size for the target cap height; shrunk below if the lines do not fit.
  let size = Math.min(info.maxSize, Math.max(info.minSize, Math.round(targetCap / info.capHeightPerSize)));
  const style = chooseStyle(block, image, font, size, rng);
  const inset = Math.round(rng.float(...(block.inset ?? [0.01, 0.03])) * short);
  const gapY = Math.max(1, Math.round(rng.float(0.1, 0.5) * targetCap));
  const gapX = Math.max(4, Math.round(rng.float(1, 2.5) * targetCap));
  const maxWidth = image.columns - 2 * inset;
  const maxHeight = image.rows - 2 * inset;
  const anchors = [...block.anchors];
  const first = rng.int(0, anchors.length - 1);
  const order = [...anchors.slice(first), ...anchors.slice(0, first)];
  const frames = chooseFrames(block, image.numberOfFrames, rng);

  // Shrink in steps of about 10% until the lines fit the image.
  let measured = measureLines(faced, font, size, style, measure);
  while (size > info.minSize && measured.some((l) => l.width > maxWidth)) {
    size = Math.max(info.minSize, Math.min(size - 1, Math.floor(size * 0.9)));
    measured = measureLines(faced, font, size, style, measure);
  }
  // What still does not fit at the smallest legible size is left out rather than drawn illegibly.
  for (const line of measured.filter((l) => l.width > maxWidth))
    dropped.push({
      block: block.id,
      line: line.index,
      reason: `wider than the image at ${fontLabel(line.font, line.size)}`,
    });
  measured = measured.filter((l) => l.width <= maxWidth);
  while (measured.length > 0) {
    for (const anchor of order) {
      const laid = arrange(measured, block, alignOf(anchor), maxWidth, gapY, gapX);
      if (laid.height > maxHeight) break;
      const [left, top] = anchorOrigin(anchor, laid.width, laid.height, image, inset);
      const boxes = laid.lines.map((l) => ({ ...l.box, left: l.box.left + left, top: l.box.top + top }));
      const box = unionBox(boxes);
      if (
        box.left < 0 ||
        box.top < 0 ||
        box.left + box.width > image.columns ||
        box.top + box.height > image.rows
      )
        continue;
      if (placed.some((p) => touches(p, box))) continue;
      // Same geometry either way: `none` and `box` draw no halo, so the boxes stay where they are.
      const drawn =
        style.contrast === 'none' && input.busyBackdrop?.(box, frames)
          ? { ...style, contrast: 'box' as const }
          : style;
      const planned: BurnLinePlan[] = laid.lines.map((l, i) => {
        const b = boxes[i]!;
        const ink = {
          left: b.left + BURN_MARGIN,
          top: b.top + BURN_MARGIN,
          width: b.width - 2 * BURN_MARGIN,
          height: b.height - 2 * BURN_MARGIN,
        };
        return {
          text: l.text,
          font: l.font,
          size: l.size,
          x: l.x + left,
          y: l.y + top,
          ink,
          box: b,
          spans: l.spans,
          phi: l.spans.some((s) => s.phi),
        };
      });
      return {
        id: block.id,
        lines: planned,
        frames,
        style: drawn,
        box,
        text: planned.map((l) => l.text).join('\n'),
        // One label when every line shares the block's face (always so for Latin text), else each in turn.
        font: [...new Set(planned.map((l) => fontLabel(l.font, l.size)))].join(', '),
        phi: planned.some((l) => l.phi),
      };
    }
    // No anchor has room: drop the last line and try again (a block keeps its first, most telling lines).
    const last = measured[measured.length - 1]!;
    dropped.push({ block: block.id, line: last.index, reason: 'no room in the image' });
    measured = measured.slice(0, -1);
  }
  return undefined;
}

/** Plans the burned-in text of one image: deterministic for the same input, RNG state and measure. */
export function planBurn(input: BurnInput, rng: Rng, measure: BurnMeasure): BurnPlan {
  const { image } = input;
  if (image.rows < 1 || image.columns < 1 || image.numberOfFrames < 1)
    throw new BurnError(`image of ${image.columns}x${image.rows}x${image.numberOfFrames} has no pixels`);
  const layout = chooseLayout(input, rng);
  const values = new Map(input.values.map((v) => [v.key, v] as const));
  const blocks: BurnBlockPlan[] = [];
  const dropped: BurnDropped[] = [];
  for (const block of layout.blocks) {
    const planned = planBlock(
      block,
      input,
      values,
      blocks.map((b) => b.box),
      rng,
      measure,
      dropped,
    );
    if (planned) blocks.push(planned);
  }
  return {
    layout: layout.name,
    rows: image.rows,
    columns: image.columns,
    frames: image.numberOfFrames,
    blocks,
    dropped,
  };
}
