/**
 * The planner: deterministic per seed, a golden plan, boxes inside the image and apart, lines it cannot
 * draw legibly dropped with a reason, layouts chosen by name or modality.
 */
import { describe, expect, it } from 'vitest';
import {
  BURN_FONTS,
  BURN_MARGIN,
  BurnError,
  canvasMeasure,
  loadBurnLayouts,
  planBurn,
  unionBox,
  type BurnImage,
  type BurnMeasure,
  type BurnPlan,
  type PixelBox,
} from '../../src/burn/index.js';
import { rngFor } from '../../src/rng/index.js';
import { sampleValues } from './helpers.js';

const layouts = loadBurnLayouts();

/** A measure without canvas: fixed-pitch metrics, so the golden plan does not depend on font rendering. */
const monospace: BurnMeasure = {
  canDraw: () => true,
  measure(text, font, size) {
    const bitmap = BURN_FONTS[font].kind === 'bitmap';
    const advance = bitmap ? 7 * size * text.length : Math.round(0.6 * size * text.length);
    const cap = bitmap ? 9 * size : Math.round(0.73 * size);
    const descends = /[,;[\]()]/.test(text);
    const right = bitmap ? advance - 2 * size : advance;
    return { advance, ink: { left: 0, top: -cap, right, bottom: descends ? Math.round(cap / 4) : 0 } };
  },
};

const image = (rows: number, columns: number, extra: Partial<BurnImage> = {}): BurnImage => ({
  rows,
  columns,
  numberOfFrames: 1,
  samplesPerPixel: 1,
  bitsAllocated: 16,
  pixelRepresentation: 0,
  photometricInterpretation: 'MONOCHROME2',
  ...extra,
});

const inside = (b: PixelBox, rows: number, columns: number): boolean =>
  b.left >= 0 &&
  b.top >= 0 &&
  b.left + b.width <= columns &&
  b.top + b.height <= rows &&
  b.width > 0 &&
  b.height > 0;

const disjoint = (a: PixelBox, b: PixelBox): boolean =>
  a.left + a.width <= b.left ||
  b.left + b.width <= a.left ||
  a.top + a.height <= b.top ||
  b.top + b.height <= a.top;

function checkGeometry(plan: BurnPlan): void {
  const all: PixelBox[] = [];
  for (const block of plan.blocks) {
    expect(inside(block.box, plan.rows, plan.columns)).toBe(true);
    expect(block.box).toEqual(unionBox(block.lines.map((l) => l.box)));
    expect(block.text).toBe(block.lines.map((l) => l.text).join('\n'));
    for (const line of block.lines) {
      expect(inside(line.box, plan.rows, plan.columns)).toBe(true);
      // The box is the ink plus the fixed margin on every side.
      expect(line.box).toEqual({
        left: line.ink.left - BURN_MARGIN,
        top: line.ink.top - BURN_MARGIN,
        width: line.ink.width + 2 * BURN_MARGIN,
        height: line.ink.height + 2 * BURN_MARGIN,
      });
      expect(line.size).toBeGreaterThanOrEqual(BURN_FONTS[line.font].minSize);
      for (const other of all) expect(disjoint(line.box, other)).toBe(true);
      all.push(line.box);
      for (const span of line.spans)
        expect(line.text.slice(span.start, span.end).length).toBe(span.end - span.start);
    }
  }
}

describe('planBurn', () => {
  it('gives the same plan for the same seed, and another for another seed', () => {
    for (const layout of layouts) {
      const input = { layouts, layout: layout.name, image: image(512, 512), values: sampleValues(1) };
      const a = planBurn(input, rngFor(7, 'burn', layout.name), canvasMeasure);
      const b = planBurn(input, rngFor(7, 'burn', layout.name), canvasMeasure);
      expect(b).toEqual(a);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      const c = planBurn(input, rngFor(8, 'burn', layout.name), canvasMeasure);
      expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
    }
  });

  it('matches the golden MIDI-B plan (fixed-pitch measure)', () => {
    const plan = planBurn(
      { layouts, layout: 'midi-b', image: image(600, 800), values: sampleValues(0) },
      rngFor(42, 'burn', 'golden'),
      monospace,
    );
    expect(plan).toMatchSnapshot();
    expect(plan.blocks[0]!.lines.map((l) => l.text)).toEqual([
      'GAINES STACY [F]',
      '01.03.2021',
      'DOB: 01.03.1950',
    ]);
  });

  it('keeps every box inside the image and apart, for every layout, size and seed', () => {
    const sizes: Array<[number, number]> = [
      [128, 128],
      [256, 256],
      [480, 640],
      [512, 512],
      [2000, 1600],
      [3328, 2560],
    ];
    for (const layout of layouts) {
      for (const [rows, columns] of sizes) {
        for (let seed = 0; seed < 4; seed++) {
          const plan = planBurn(
            { layouts, layout: layout.name, image: image(rows, columns), values: sampleValues(seed) },
            rngFor(seed, 'geometry', layout.name, rows),
            canvasMeasure,
          );
          checkGeometry(plan);
        }
      }
    }
  });

  it('drops what cannot be legible in a tiny image rather than drawing it small', () => {
    const plan = planBurn(
      { layouts, layout: 'ct', image: image(96, 96), values: sampleValues(0) },
      rngFor(1, 'tiny'),
      canvasMeasure,
    );
    checkGeometry(plan);
    expect(plan.dropped.length).toBeGreaterThan(0);
    const none = planBurn(
      { layouts, layout: 'midi-b', image: image(24, 24), values: sampleValues(0) },
      rngFor(1, 'tiny'),
      canvasMeasure,
    );
    expect(none.blocks).toEqual([]);
    expect(none.dropped.some((d) => /no room|wider than the image/.test(d.reason))).toBe(true);
  });

  it('chooses a layout by modality, with the * fallback, and refuses unknown names', () => {
    const pick = (modality: string): string =>
      planBurn(
        { layouts, modality, image: image(512, 512), values: sampleValues(0) },
        rngFor(3, modality),
        canvasMeasure,
      ).layout;
    expect(pick('US')).toBe('ultrasound');
    expect(pick('CT')).toBe('ct');
    expect(['midi-b', 'mammogram']).toContain(pick('MG'));
    expect(pick('NM')).toBe('midi-b');
    expect(() =>
      planBurn({ layouts, layout: 'nope', image: image(64, 64), values: [] }, rngFor(1), canvasMeasure),
    ).toThrow(BurnError);
  });

  it('records PHI spans from the values and leaves out lines whose value is missing', () => {
    const values = sampleValues(2).filter((v) => v.key !== 'patient.birthDate.burned');
    const plan = planBurn(
      { layouts, layout: 'midi-b', image: image(700, 800), values },
      rngFor(5, 'spans'),
      canvasMeasure,
    );
    const identity = plan.blocks.find((b) => b.id === 'identity')!;
    expect(identity.lines.map((l) => l.text)).toEqual(['ORTEGA MARIA [F]', '11.17.2021']);
    expect(plan.dropped).toContainEqual({
      block: 'identity',
      line: 2,
      reason: 'no value for patient.birthDate.burned',
    });
    const name = identity.lines[0]!;
    expect(name.spans).toEqual([
      { key: 'patient.name.burned', field: 'patient.name', kind: 'A', phi: true, start: 0, end: 12 },
      { key: 'patient.sex', field: 'patient.sex', kind: null, phi: false, start: 14, end: 15 },
    ]);
    expect(identity.phi).toBe(true);
  });

  it('marks decoy blocks as not PHI, and takes a decoy the caller supplies', () => {
    const values = [
      ...sampleValues(0),
      { key: 'decoy.position', text: 'PORTABLE', field: null, kind: null, phi: false },
    ];
    for (let seed = 0; seed < 10; seed++) {
      const plan = planBurn(
        { layouts, layout: 'radiograph', image: image(1000, 840), values },
        rngFor(seed, 'decoys'),
        canvasMeasure,
      );
      const position = plan.blocks.find((b) => b.id === 'position');
      if (!position) continue;
      expect(position.phi).toBe(false);
      expect(position.lines[0]!.text).toBe('PORTABLE');
      return;
    }
    throw new Error('no seed drew the position block');
  });

  it('uses a backing box on signed data, whose MIDI-B crop keeps only the low byte', () => {
    for (let seed = 0; seed < 10; seed++) {
      const plan = planBurn(
        {
          layouts,
          layout: 'ct',
          image: image(512, 512, { pixelRepresentation: 1 }),
          values: sampleValues(seed),
        },
        rngFor(seed, 'signed'),
        canvasMeasure,
      );
      for (const block of plan.blocks) {
        expect(block.style.contrast).toBe('box');
        expect(block.style.wrapSafe).toBe(true);
      }
    }
  });

  it('names frames of a multi-frame image', () => {
    const plan = planBurn(
      {
        layouts,
        layout: 'ultrasound',
        image: image(480, 640, { numberOfFrames: 5 }),
        values: sampleValues(0),
      },
      rngFor(1, 'frames'),
      canvasMeasure,
    );
    for (const block of plan.blocks) expect(block.frames).toEqual([0, 1, 2, 3, 4]);
  });
});
