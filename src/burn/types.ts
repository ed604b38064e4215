/**
 * The plain, serializable data of burned-in text: the values to draw, the measuring interface the planner
 * takes, and the plan that the renderer applies and the answer key records (ARCHITECTURE.md, plan then apply).
 */
import type { HipaaKind } from '../phi/index.js';
import type { BurnFontId } from './fonts.js';

/** A text value the caller supplies from the identity (or a decoy), referenced by layouts through `key`. */
export interface BurnValue {
  /** Stable key layouts name, e.g. `patient.name.burned`. */
  readonly key: string;
  /** The exact text, already in its burned-in rendering (`GAINES STACY`, `03.15.2021`). */
  readonly text: string;
  /** The identity field it came from (`patient.name`), or null for decoys. */
  readonly field: string | null;
  /** HIPAA Safe Harbor kind, or null for values that are not identifiers. */
  readonly kind: HipaaKind | null;
  /** True for PHI, false for decoys and kept values (sex, time, device settings). */
  readonly phi: boolean;
}

/** A pixel rectangle: columns [left, left + width), rows [top, top + height). */
export interface PixelBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Ink extent relative to the pen origin (left end of the baseline); right and bottom exclusive. */
export interface InkBounds {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** What `BurnMeasure.measure` returns for one line of text. */
export interface TextMeasurement {
  /** Pen advance in pixels. */
  readonly advance: number;
  /** Exact bounds of the pixels the text covers, or null when it covers none. */
  readonly ink: InkBounds | null;
}

/** Measures text as the renderer will draw it, so that the planner can place it without a canvas. */
export interface BurnMeasure {
  /** Whether the font has a glyph for every character of `text`. */
  canDraw(text: string, font: BurnFontId): boolean;
  /** Measures `text` at `size` (pixels for TrueType, integer scale for the bitmap font). */
  measure(text: string, font: BurnFontId, size: number, antialias: boolean): TextMeasurement;
}

/** How a line is made to stand out: a solid backing filling its box, a one-pixel halo, or nothing. */
export type BurnContrast = 'box' | 'outline' | 'none';

/** Colour and contrast of a block; levels are display fractions of the default window (1 = top). */
export interface BurnStyle {
  readonly contrast: BurnContrast;
  /** Text brightness as displayed (grey images): 1 is at or above the top of the window. */
  readonly textLevel: number;
  /** Backing brightness as displayed (grey images), used by `box` and `outline`. */
  readonly backingLevel: number;
  /** Text and backing colours for colour images (RGB, 0-255). */
  readonly textRgb: readonly [number, number, number];
  readonly backingRgb: readonly [number, number, number];
  /** False draws a hard 0/1 mask (device overlays; data whose MIDI-B crop wraps). */
  readonly antialias: boolean;
  /** Grey values are chosen so the low byte alternates (0x00/0xFF), as `astype(uint8)` keeps only it. */
  readonly wrapSafe: boolean;
}

/** A value's place inside a line's text. */
export interface BurnSpan {
  readonly key: string;
  readonly field: string | null;
  readonly kind: HipaaKind | null;
  readonly phi: boolean;
  /** UTF-16 offsets into the line text, end exclusive. */
  readonly start: number;
  readonly end: number;
}

/** One line of text: what, where and in which font. */
export interface BurnLinePlan {
  readonly text: string;
  readonly font: BurnFontId;
  readonly size: number;
  /** Pen origin (left end of the baseline) in image pixels. */
  readonly x: number;
  readonly y: number;
  /** Exact ink rectangle in image pixels (halo included for `outline`). */
  readonly ink: PixelBox;
  /** The recorded box: ink plus BURN_MARGIN on every side, inside the image. */
  readonly box: PixelBox;
  /** Values inside the text; labels (`DOB: `) belong to no span. */
  readonly spans: readonly BurnSpan[];
  /** True when any span is PHI. */
  readonly phi: boolean;
}

/** A block of lines that one pixels_hidden check covers. */
export interface BurnBlockPlan {
  /** The layout block it came from. */
  readonly id: string;
  readonly lines: readonly BurnLinePlan[];
  /** Zero-based frames the block is drawn on. */
  readonly frames: readonly number[];
  readonly style: BurnStyle;
  /** Union of its lines' boxes. */
  readonly box: PixelBox;
  /** The lines joined by `\n`, as MIDI-B's `text`. */
  readonly text: string;
  /** Font name and size, as MIDI-B's `font`. */
  readonly font: string;
  /** True when any line is PHI. */
  readonly phi: boolean;
}

/** A line or block the planner left out, and why (a missing value, or no legible size fits). */
export interface BurnDropped {
  readonly block: string;
  readonly line?: number;
  readonly reason: string;
}

/** Everything the renderer draws and the answer key records for one instance. */
export interface BurnPlan {
  readonly layout: string;
  readonly rows: number;
  readonly columns: number;
  readonly frames: number;
  readonly blocks: readonly BurnBlockPlan[];
  readonly dropped: readonly BurnDropped[];
}
