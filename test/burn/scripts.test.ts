/**
 * Burned-in text in every script (issue 7): the face each line falls back to, chosen by its characters
 * only; every character drawn has a glyph in that face (its cmap, and a rendering unlike the missing-glyph
 * box); Latin text keeps DejaVu exactly as before; lines in every script are planned and drawn on every
 * pixel format with boxes measured from the drawn pixels, inside the image.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BURN_FONT_IDS,
  BURN_FONTS,
  canvasMeasure,
  fallbackFonts,
  isLatinText,
  lineFont,
  loadBurnLayouts,
  planBurn,
  renderBurn,
  toBurnedCapitals,
  type BurnFontId,
} from '../../src/burn/index.js';
import { inRanges, readCmapRanges } from '../../src/burn/cmap.js';
import { fontCoverage, LATIN_REPERTOIRE, trueTypePath } from '../../src/burn/fonts.js';
import { rasterizeText } from '../../src/burn/raster.js';
import { rngFor } from '../../src/rng/index.js';
import { FORMATS, makeFrames, withGeometry, LAYOUT_SIZES } from './helpers.js';
import { SCRIPTS, scriptTexts, scriptValues } from './scripts.js';

const layouts = loadBurnLayouts();
const TRUETYPE = BURN_FONT_IDS.filter((f) => BURN_FONTS[f].kind === 'truetype');
const cmaps = new Map(TRUETYPE.map((f) => [f, readCmapRanges(readFileSync(trueTypePath(f)))] as const));

/** Whether a face's own cmap maps every character of `text` (independent of the repertoire tables). */
const cmapHas = (font: BurnFontId, text: string): boolean =>
  [...text].every((c) => inRanges(cmaps.get(font)!, c.codePointAt(0)!));

describe('font fallback by script', () => {
  it('keeps the block face for Latin, Greek and Cyrillic, and falls back to Noto Sans SC or KR for CJK', () => {
    for (const script of SCRIPTS) {
      for (const text of scriptTexts(script)) {
        expect(lineFont(text, 'dejavu-sans', canvasMeasure), `${script.locale} ${text}`).toBe(script.face);
        // Bold blocks fall back to bold faces, condensed ones to the regular weight.
        const bold = script.face === 'dejavu-sans' ? 'dejavu-sans-bold' : `${script.face}-bold`;
        expect(lineFont(text, 'dejavu-sans-bold', canvasMeasure)).toBe(bold);
        const condensed = script.face === 'dejavu-sans' ? 'dejavu-sans-condensed' : script.face;
        expect(lineFont(text, 'dejavu-sans-condensed', canvasMeasure)).toBe(condensed);
        // The bitmap font (upper-case Latin) hands every other script to the regular faces.
        if (!isLatinText(text)) expect(lineFont(text, 'overlay-5x9', canvasMeasure)).toBe(script.face);
      }
    }
  });

  it('never falls back for Latin text, and finds no face for a line mixing Hangul and simplified hanzi', () => {
    expect(lineFont('gaines stacy', 'overlay-5x9', canvasMeasure)).toBeUndefined();
    expect(lineFont('MÜLLER JÜRGEN', 'dejavu-sans', canvasMeasure)).toBe('dejavu-sans');
    expect(lineFont('홍길동 王小东', 'dejavu-sans', canvasMeasure)).toBeUndefined();
    expect(fallbackFonts('overlay-5x9')).toEqual(['dejavu-sans', 'noto-sans-sc', 'noto-sans-kr']);
  });

  it('DejaVu still draws all of printable ASCII, Latin-1 and Latin Extended-A, and nothing CJK', () => {
    for (const font of TRUETYPE.filter((f) => f.startsWith('dejavu'))) {
      for (const [start, end] of LATIN_REPERTOIRE)
        for (let code = start; code <= end; code++)
          expect(inRanges(fontCoverage(font), code), `${font} U+${code.toString(16)}`).toBe(true);
      expect(canvasMeasure.canDraw('山', font)).toBe(false);
    }
    expect(canvasMeasure.canDraw('홍', 'noto-sans-sc')).toBe(false);
  });
});

describe('capitals as burned', () => {
  it('upper-cases Latin and Cyrillic as toUpperCase does, and sets Greek capitals without tonos', () => {
    for (const text of ['Gaines Stacy', 'Müller Jürgen', 'Weiß', 'Иванов Иван', '山田 太郎', '홍길동'])
      expect(toBurnedCapitals(text)).toBe(text.toUpperCase());
    expect(toBurnedCapitals('Παπαδόπουλος Γιώργος')).toBe('ΠΑΠΑΔΟΠΟΥΛΟΣ ΓΙΩΡΓΟΣ');
    expect(toBurnedCapitals('Αθηνάϊς Πρωτοψάλτη')).toBe('ΑΘΗΝΑΪΣ ΠΡΩΤΟΨΑΛΤΗ');
    expect(toBurnedCapitals('Διονύσιος')).toBe('ΔΙΟΝΥΣΙΟΣ');
  });
});

describe('glyph coverage of every test line', () => {
  // A character no face maps (a private-use code point) draws the face's missing-glyph box.
  const tofu = (font: BurnFontId): Uint8Array => rasterizeText('\ue000', font, 24, true).alpha;

  it('every character has a glyph in the face chosen for it (cmap), drawn unlike the missing-glyph box', () => {
    for (const script of SCRIPTS) {
      for (const text of scriptTexts(script)) {
        for (const block of ['dejavu-sans', 'dejavu-sans-bold', 'overlay-5x9'] as const) {
          const face = lineFont(text.toUpperCase(), block, canvasMeasure) ?? block;
          if (BURN_FONTS[face].kind === 'bitmap') continue;
          expect(cmapHas(face, text.toUpperCase()), `${face}: ${text.toUpperCase()}`).toBe(true);
        }
        const missing = tofu(script.face);
        for (const char of new Set(text.replace(/\s/g, ''))) {
          const drawn = rasterizeText(char, script.face, 24, true).alpha;
          const same = drawn.length === missing.length && drawn.every((a, i) => a === missing[i]);
          expect(same, `${script.face} draws ${char} as the missing-glyph box`).toBe(false);
        }
      }
    }
  });

  it('the faces cover what the catalogue says they do: SC no Hangul, KR no simplified hanzi', () => {
    expect(cmapHas('noto-sans-sc', '王小东张伟山田やまだヤマダ')).toBe(true);
    expect(cmapHas('noto-sans-sc', '홍')).toBe(false);
    expect(cmapHas('noto-sans-kr', '홍길동山田やまだ')).toBe(true);
    expect(cmapHas('noto-sans-kr', '东')).toBe(false);
    expect(cmapHas('dejavu-sans', 'ΠαπαδόπουλοςИванов')).toBe(true);
  });
});

describe('lines in every script, planned and drawn on every pixel format', () => {
  const names = ['ct', 'mr', 'ultrasound', 'midi-b', 'radiograph', 'mammogram', 'pt'];
  SCRIPTS.forEach((script, s) => {
    it(`${script.locale}: boxes are the drawn pixels' and inside the image; values drawn in their face`, () => {
      let drawnValues = 0;
      FORMATS.forEach((base, f) => {
        const layout = names[(s + f) % names.length]!;
        const [rows, columns] = LAYOUT_SIZES[layout]!;
        const format = withGeometry(base, rows, columns);
        const values = scriptValues(script, s + f, f % 2 === 1);
        const plan = planBurn(
          { layouts, layout, image: format.description, values },
          rngFor(f, 'scripts', script.locale, layout),
          canvasMeasure,
        );
        const frames = makeFrames(format, `scripts-${s}-${f}`);
        const { boxes } = renderBurn(frames, format.description, format.display, plan);
        for (const r of boxes) {
          const line = plan.blocks[r.block]!.lines[r.line]!;
          expect(r.box).toEqual(line.box);
          expect(r.box.left).toBeGreaterThanOrEqual(0);
          expect(r.box.top).toBeGreaterThanOrEqual(0);
          expect(r.box.left + r.box.width).toBeLessThanOrEqual(columns);
          expect(r.box.top + r.box.height).toBeLessThanOrEqual(rows);
        }
        const scriptText = new Set(values.map((v) => v.text).filter((t) => !isLatinText(t)));
        for (const block of plan.blocks)
          for (const line of block.lines) {
            expect(line.size).toBeGreaterThanOrEqual(BURN_FONTS[line.font].minSize);
            expect(canvasMeasure.canDraw(line.text, line.font)).toBe(true);
            if ([...scriptText].some((t) => line.text.includes(t))) {
              drawnValues++;
              expect([script.face, `${script.face}-bold`, 'dejavu-sans-condensed']).toContain(line.font);
            }
          }
      });
      // Latin-1 names are Latin text: only the other scripts need lines drawn in a fallback face.
      if (script.face !== 'dejavu-sans' || script.locale === 'el' || script.locale === 'ru')
        expect(drawnValues).toBeGreaterThan(4);
    });
  });
});
