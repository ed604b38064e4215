/** Burned-in text: the public surface (the canvas library stays behind this folder). */
export {
  BURN_FONT_IDS,
  BURN_FONT_PACKAGES,
  BURN_FONTS,
  fallbackFonts,
  fontLabel,
  isBurnFontId,
  isLatinText,
  type BurnFontId,
  type BurnFontInfo,
} from './fonts.js';
export { BurnError } from './errors.js';
export { toBurnedCapitals } from './text.js';
export { backdropTest, type BackdropTest } from './backdrop.js';
export {
  burnTemplatesDir,
  checkBurnLayout,
  loadBurnLayouts,
  type BurnAnchor,
  type BurnBlockTemplate,
  type BurnFrames,
  type BurnLayout,
  type BurnLineTemplate,
  type BurnPart,
} from './layout-templates.js';
export { BURN_MARGIN, lineFont, planBurn, unionBox, type BurnImage, type BurnInput } from './layout.js';
export { canvasMeasure } from './raster.js';
export {
  greyScale,
  readBurnDisplay,
  setBurnedInAnnotation,
  storedRange,
  type BurnDisplay,
  type BurnDisplayParams,
  type GreyScale,
} from './display.js';
export { renderBurn, toYbrFull, type BurnResult, type RenderedBox } from './render.js';
export {
  cropToPng,
  midiBActionText,
  midiBCrop,
  toBurnRows,
  toMidiBBox,
  toPixelsHiddenChecks,
  type BurnLineRow,
  type Crop8,
  type MidiBBox,
  type PixelsHiddenCheck,
} from './midi-b.js';
export type * from './types.js';
