/**
 * The pixels_hidden checks of an instance with burned-in text: one per text block holding PHI, on Pixel
 * Data, with the block's MIDI-B box JSON as action_text (shared/reference/midi-b-answer-key.md section 4).
 * They take the place of pixels_retained, whose MD5 no longer describes a source the de-identifier saw.
 */
import { emptyCategories, hipaaCategory } from '../phi/index.js';
import type { Check } from './check.js';

/** Pixel Data's path and name as the script indexes them. */
const PIXEL_DATA_PATH = '<(7fe0,0010)>';

/** One pixels_hidden check per block: `actionText` is `{"text", "top_left", "bottom_right", "font"}`. */
export function pixelsHiddenChecks(blocks: ReadonlyArray<{ actionText: string }>): Check[] {
  return blocks.map((block) => {
    const categories = emptyCategories();
    // Burned-in text is reported under HIPAA-A by the scorer whatever it names (section 5).
    categories.hipaa.m = hipaaCategory('A');
    return {
      path: PIXEL_DATA_PATH,
      tag: '(7fe0,0010)',
      tagName: 'Pixel Data',
      action: 'pixels_hidden',
      value: 'REMOVED',
      actionText: block.actionText,
      categories,
      identityField: null,
      phiKind: null,
      isDecoy: false,
      tokens: [],
    };
  });
}

/** Replaces the pixels_retained check of a burned instance by its pixels_hidden checks, in place order. */
export function withPixelsHidden(checks: readonly Check[], hidden: readonly Check[]): Check[] {
  const at = checks.findIndex((c) => c.action === 'pixels_retained');
  const kept = checks.filter((c) => c.action !== 'pixels_retained');
  kept.splice(at < 0 ? kept.length : at, 0, ...hidden);
  return kept;
}
