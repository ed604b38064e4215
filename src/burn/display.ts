/**
 * How a grey image is shown by default, and which stored values therefore look bright or dark: Rescale
 * Slope/Intercept (PS3.3 C.11.1.1.2) then the first Window Center/Width (C.11.2.1.2), else the frame's
 * own range, as viewers do when no window is given. MONOCHROME1 shows low values bright (C.7.6.3.1.2).
 */
import {
  getNumber,
  getString,
  setStrings,
  toTag,
  type DicomFile,
  type PixelDescription,
} from '../dicom/index.js';

/** Display parameters of one frame (all optional: absent means identity rescale, no window). */
export interface BurnDisplay {
  readonly windowCenter?: number;
  readonly windowWidth?: number;
  /** VOI LUT Function: LINEAR (default), LINEAR_EXACT or SIGMOID. */
  readonly voiLutFunction?: string;
  readonly rescaleSlope?: number;
  readonly rescaleIntercept?: number;
}

/** Data-set level display parameters, with optional per-frame overrides (enhanced multi-frame). */
export interface BurnDisplayParams extends BurnDisplay {
  readonly frames?: ReadonlyArray<BurnDisplay | undefined>;
}

const WindowCenter = toTag(0x0028, 0x1050);
const WindowWidth = toTag(0x0028, 0x1051);
const RescaleIntercept = toTag(0x0028, 0x1052);
const RescaleSlope = toTag(0x0028, 0x1053);
const VOILUTFunction = toTag(0x0028, 0x1056);

const finite = (v: number | undefined): number | undefined =>
  v !== undefined && Number.isFinite(v) ? v : undefined;

/** Reads the top-level display parameters of a data set (the first window when several are given). */
export function readBurnDisplay(file: DicomFile): BurnDisplayParams {
  const ds = file.dataset;
  return {
    windowCenter: finite(getNumber(ds, WindowCenter)),
    windowWidth: finite(getNumber(ds, WindowWidth)),
    voiLutFunction: getString(ds, VOILUTFunction)?.trim(),
    rescaleSlope: finite(getNumber(ds, RescaleSlope)),
    rescaleIntercept: finite(getNumber(ds, RescaleIntercept)),
  };
}

/** The stored values a frame may hold, from Bits Stored and Pixel Representation. */
export function storedRange(
  d: Pick<PixelDescription, 'bitsStored' | 'pixelRepresentation'>,
): [number, number] {
  const bits = d.bitsStored;
  return d.pixelRepresentation === 1 ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
}

/** Maps stored values to displayed brightness in [0, 1] for one frame. */
export interface GreyScale {
  /** Displayed brightness of a stored value. */
  brightness(stored: number): number;
  /** The stored value nearest to `level` brightness, pushed past the window's end for 0 and 1. */
  storedFor(level: number): number;
  readonly range: readonly [number, number];
}

/** The grey scale of a frame: its display parameters, or (without a window) its own min..max. */
export function greyScale(
  d: Pick<PixelDescription, 'bitsStored' | 'pixelRepresentation' | 'photometricInterpretation'>,
  display: BurnDisplay,
  frameRange: readonly [number, number],
): GreyScale {
  const range = storedRange(d);
  const slope = display.rescaleSlope && display.rescaleSlope !== 0 ? display.rescaleSlope : 1;
  const intercept = display.rescaleIntercept ?? 0;
  const modality = (v: number): number => slope * v + intercept;
  let lo: number;
  let hi: number;
  const c = display.windowCenter;
  const w = display.windowWidth;
  if (c !== undefined && w !== undefined && w >= 1) {
    // LINEAR: y is at its minimum for x <= c - 0.5 - (w-1)/2 and its maximum for x > c - 0.5 + (w-1)/2.
    const exact = display.voiLutFunction === 'LINEAR_EXACT' || display.voiLutFunction === 'SIGMOID';
    lo = exact ? c - w / 2 : c - 0.5 - (w - 1) / 2;
    hi = exact ? c + w / 2 : c - 0.5 + (w - 1) / 2;
  } else {
    // No window: viewers show 8-bit data as stored and stretch deeper data over the frame's own values;
    // a flat frame falls back to the stored range.
    const [min, max] = d.bitsStored > 8 && frameRange[0] < frameRange[1] ? frameRange : range;
    lo = Math.min(modality(min), modality(max));
    hi = Math.max(modality(min), modality(max));
  }
  const inverted = d.photometricInterpretation === 'MONOCHROME1';
  const brightness = (stored: number): number => {
    const m = modality(stored);
    const b = m <= lo ? 0 : m > hi ? 1 : (m - lo) / (hi - lo);
    return inverted ? 1 - b : b;
  };
  const clamp = (v: number): number => Math.min(range[1], Math.max(range[0], v));
  const storedFor = (level: number): number => {
    const l = Math.min(1, Math.max(0, inverted ? 1 - level : level));
    // Past the ends for 0 and 1, so that the value is at the window's extreme whatever the rounding.
    const target = l >= 1 ? hi + 0.5 : l <= 0 ? lo - 0.5 : lo + l * (hi - lo);
    const v = (target - intercept) / slope;
    // Round away from the window's middle at the ends (brighter text stays at least as bright).
    const up = l >= 0.5 === slope > 0;
    return clamp(l >= 1 || l <= 0 ? (up ? Math.ceil(v) : Math.floor(v)) : Math.round(v));
  };
  return { brightness, storedFor, range };
}

const lowByte = (v: number): number => v & 0xff;

/**
 * Text and backing values for data whose MIDI-B crop keeps only the low byte (signed, cast with
 * astype(uint8)): among values near the displayed extremes, the pair that is both far apart on screen
 * and far apart in its low byte.
 */
export function wrapSafePair(scale: GreyScale, textLevel: number, backingLevel: number): [number, number] {
  const [min, max] = scale.range;
  const near = (v: number): number[] => {
    const out = [v];
    for (const byte of [0xff, 0x00, 0x7f, 0x80]) {
      const upBy = (byte - lowByte(v) + 256) % 256;
      const downBy = (lowByte(v) - byte + 256) % 256;
      if (v + upBy <= max) out.push(v + upBy);
      if (v - downBy >= min) out.push(v - downBy);
    }
    return out;
  };
  const texts = near(scale.storedFor(textLevel));
  const backings = near(scale.storedFor(backingLevel));
  let best: [number, number] = [texts[0]!, backings[0]!];
  let bestScore = -Infinity;
  for (const t of texts) {
    for (const b of backings) {
      const shown = scale.brightness(t) - scale.brightness(b);
      const crop = Math.abs(lowByte(t) - lowByte(b)) / 255;
      const score = Math.min(shown, crop);
      if (score > bestScore) {
        bestScore = score;
        best = [t, b];
      }
    }
  }
  return best;
}

const BurnedInAnnotation = toTag(0x0028, 0x0301);

/** Sets Burned In Annotation (0028,0301) to YES, as every instance with burned text must say (PS3.3 C.7.6.1.1.4). */
export function setBurnedInAnnotation(file: DicomFile): void {
  setStrings(file.dataset, BurnedInAnnotation, 'YES');
}
