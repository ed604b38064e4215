/** Layout templates load and are checked; the bitmap font's JSON is built from its committed definition. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BurnError, canvasMeasure, checkBurnLayout, loadBurnLayouts } from '../../src/burn/index.js';

describe('burn layouts', () => {
  it('loads every layout the issue names, sorted by name', () => {
    const names = loadBurnLayouts().map((l) => l.name);
    expect(names).toEqual(['ct', 'mammogram', 'midi-b', 'mr', 'pt', 'radiograph', 'ultrasound']);
  });

  it('uses only text the fonts it names can draw (labels and decoy choices)', () => {
    for (const layout of loadBurnLayouts()) {
      for (const block of layout.blocks) {
        for (const line of block.lines) {
          const texts = line.parts.flatMap((p) => ('text' in p ? [p.text] : 'pick' in p ? p.pick : []));
          for (const font of block.fonts)
            for (const t of texts) expect(canvasMeasure.canDraw(t, font)).toBe(true);
        }
      }
    }
  });

  it('refuses a malformed layout with the file and the problem', () => {
    const good = loadBurnLayouts()[0]!;
    const bad = { ...good, blocks: [{ ...good.blocks[0]!, fonts: ['comic-sans'] }] };
    expect(() => checkBurnLayout(bad, 'bad.json')).toThrow(BurnError);
    expect(() => checkBurnLayout(bad, 'bad.json')).toThrow(/bad\.json: block "patient": unknown font/);
    expect(() => checkBurnLayout({ ...good, modalities: [] }, 'x.json')).toThrow(/no modalities/);
  });
});

describe('the overlay font', () => {
  it('fonts/overlay-5x9.json is what fonts/build-overlay-font.mjs makes of the definition', () => {
    execFileSync(process.execPath, ['fonts/build-overlay-font.mjs', '--check']);
  });

  it('draws every character the layouts use in upper case', () => {
    for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;-+=/[]()#%&\'"*?!<>_')
      expect(canvasMeasure.canDraw(c, 'overlay-5x9')).toBe(true);
    expect(canvasMeasure.canDraw('a', 'overlay-5x9')).toBe(false);
  });
});
