/**
 * The ground-truth forms: the MIDI-B crop (uint16 scaled by the region maximum, other types cast to
 * uint8, colour interleaved), the pixels_hidden action text, and the normalized line rows.
 */
import { describe, expect, it } from 'vitest';
import {
  canvasMeasure,
  loadBurnLayouts,
  midiBActionText,
  midiBCrop,
  planBurn,
  toBurnRows,
  toPixelsHiddenChecks,
} from '../../src/burn/index.js';
import type { PixelDescription } from '../../src/dicom/index.js';
import { rngFor } from '../../src/rng/index.js';
import { sampleValues } from './helpers.js';

const d = (extra: Partial<PixelDescription>): PixelDescription => ({
  rows: 2,
  columns: 3,
  samplesPerPixel: 1,
  bitsAllocated: 16,
  bitsStored: 16,
  highBit: 15,
  pixelRepresentation: 0,
  photometricInterpretation: 'MONOCHROME2',
  planarConfiguration: 0,
  numberOfFrames: 1,
  ...extra,
});

const le16 = (values: number[]): Uint8Array => {
  const out = new Uint8Array(values.length * 2);
  values.forEach((v, i) => {
    out[2 * i] = v & 0xff;
    out[2 * i + 1] = (v >> 8) & 0xff;
  });
  return out;
};

describe('midiBCrop', () => {
  it('scales unsigned 16-bit by the maximum of the region, truncating', () => {
    const frame = le16([0, 1000, 4000, 10, 2000, 60000]);
    const crop = midiBCrop(frame, d({}), { left: 0, top: 0, width: 3, height: 2 });
    expect([...crop.data]).toEqual([0, 4, 17, 0, 8, 255]);
    // Only the region counts: without the 60000 the maximum is 4000.
    const part = midiBCrop(frame, d({}), { left: 0, top: 0, width: 3, height: 1 });
    expect([...part.data]).toEqual([0, 63, 255]);
    expect(part.width * part.height).toBe(3);
  });

  it('casts signed 16-bit with astype(uint8): the low byte', () => {
    const frame = le16([-1, -256, 255, 256, 1279, 768].map((v) => v & 0xffff));
    const crop = midiBCrop(frame, d({ pixelRepresentation: 1 }), { left: 0, top: 0, width: 3, height: 2 });
    expect([...crop.data]).toEqual([255, 0, 255, 0, 255, 0]);
  });

  it('keeps 8-bit values and interleaves planar colour; clips the box to the image', () => {
    const planar = Uint8Array.from([1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 16, 21, 22, 23, 24, 25, 26]);
    const colour = d({
      samplesPerPixel: 3,
      bitsAllocated: 8,
      bitsStored: 8,
      highBit: 7,
      photometricInterpretation: 'RGB',
      planarConfiguration: 1,
    });
    const crop = midiBCrop(planar, colour, { left: 2, top: 1, width: 5, height: 5 });
    expect(crop).toMatchObject({ width: 1, height: 1, samples: 3 });
    expect([...crop.data]).toEqual([6, 16, 26]);
  });
});

describe('answer-key forms', () => {
  const layouts = loadBurnLayouts();
  const plan = planBurn(
    {
      layouts,
      layout: 'midi-b',
      image: { ...d({ rows: 600, columns: 800, numberOfFrames: 2 }) },
      values: sampleValues(0),
    },
    rngFor(11, 'answer-key'),
    canvasMeasure,
  );

  it('writes one pixels_hidden check per PHI block in the MIDI-B form', () => {
    const checks = toPixelsHiddenChecks(plan);
    expect(checks.length).toBe(plan.blocks.filter((b) => b.phi).length);
    const identity = plan.blocks[checks[0]!.block]!;
    const json = JSON.parse(checks[0]!.actionText) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['text', 'top_left', 'bottom_right', 'font']);
    expect(json.text).toBe('GAINES STACY [F]\n01.03.2021\nDOB: 01.03.1950');
    expect(json.top_left).toEqual([identity.box.left, identity.box.top]);
    expect(json.bottom_right).toEqual([
      identity.box.left + identity.box.width,
      identity.box.top + identity.box.height,
    ]);
    expect(json.font).toBe(identity.font);
    expect(midiBActionText(identity)).toBe(checks[0]!.actionText);
  });

  it('writes a row per line and frame with field, kind and PHI flag', () => {
    const rows = toBurnRows(plan);
    expect(rows.length).toBe(plan.blocks.reduce((s, b) => s + b.lines.length * b.frames.length, 0));
    const name = rows.find((r) => r.text.startsWith('GAINES'))!;
    expect(name).toMatchObject({ field: 'patient.name', kind: 'A', phi: true, key: 'patient.name.burned' });
    const dob = rows.find((r) => r.text.startsWith('DOB'))!;
    expect(dob).toMatchObject({ field: 'patient.birthDate', kind: 'C', phi: true });
    const line = plan.blocks[0]!.lines[0]!;
    expect(name).toMatchObject({
      left: line.box.left,
      top: line.box.top,
      width: line.box.width,
      height: line.box.height,
    });
  });
});
