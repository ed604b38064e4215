/**
 * Target shares of checks (a profile's `checkShares`): the field's validation, the insertion intensity
 * that steers a run toward the targets (src/insert/intensity.ts) and how planInstance follows it, and the
 * choice of intensity from counts planned at the knots.
 */
import { describe, expect, it } from 'vitest';
import { listProfiles, loadProfile, validateProfile } from '../../src/corpus/profile.js';
import { formatPath } from '../../src/dicom/index.js';
import { ConfigError } from '../../src/errors/index.js';
import { planIdentities } from '../../src/identity/index.js';
import {
  chooseIntensity,
  DEFAULT_INTENSITY,
  IdentityValues,
  includesUnit,
  INTENSITY_KNOTS,
  loadInsertTemplates,
  MAX_INTENSITY,
  planInstance,
  type InstancePlan,
} from '../../src/insert/index.js';
import { buildSource } from './source.js';

const FILE = 'my-profile.json';
const profileWith = (checkShares: unknown): unknown => ({
  name: 'x',
  patients: 1,
  modalities: { CT: { weight: 1, matrices: [[64, 64]] } },
  checkShares,
});

describe('checkShares in a profile', () => {
  it('is optional, and no built-in profile sets it (their runs are as before)', () => {
    expect(validateProfile(profileWith(undefined), FILE).checkShares).toBeUndefined();
    for (const name of listProfiles()) expect(loadProfile(name).checkShares).toBeUndefined();
  });

  it('keeps the targets, in the order of the actions', () => {
    const profile = validateProfile(profileWith({ text_retained: 0.3, text_removed: 0.35 }), FILE);
    expect(profile.checkShares).toEqual({ text_removed: 0.35, text_retained: 0.3 });
    expect(Object.keys(profile.checkShares!)).toEqual(['text_removed', 'text_retained']);
    // Shares that sum to 1 in decimal but a hair over it in binary are accepted.
    expect(() =>
      validateProfile(profileWith({ text_removed: 0.1, text_retained: 0.2, tag_retained: 0.7 }), FILE),
    ).not.toThrow();
  });

  it.each([
    [[0.3], /checkShares must be an object of MIDI-B action to target share/],
    [{}, /checkShares must be an object/],
    [{ text_deleted: 0.3 }, /checkShares: text_deleted is not a MIDI-B action; expected one of text_removed/],
    [{ text_removed: 0 }, /checkShares.text_removed must be a number greater than 0 and less than 1/],
    [{ text_removed: 1 }, /checkShares.text_removed must be a number greater than 0 and less than 1/],
    [{ text_removed: '0.3' }, /checkShares.text_removed must be a number/],
    [{ text_removed: 0.6, text_retained: 0.5 }, /checkShares: the shares sum to 1.1, more than 1/],
  ])('refuses %j, naming the file', (checkShares, message) => {
    const attempt = (): unknown => validateProfile(profileWith(checkShares), FILE);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/^my-profile\.json: /);
  });
});

describe('insertion intensity', () => {
  it('inserts every optional unit and no extra sequence item at the default intensity, without a draw', () => {
    // The seed and series key do not matter when a share is 0 or 1.
    for (const seriesKey of ['a', 'b', 'c']) {
      expect(includesUnit(1, seriesKey, 'attribute:Occupation', 'optional', DEFAULT_INTENSITY)).toBe(true);
      expect(includesUnit(1, seriesKey, 'free-text:ProtocolName', 'free-text', DEFAULT_INTENSITY)).toBe(true);
      expect(includesUnit(1, seriesKey, 'sequence:X:1', { extraItem: 1 }, DEFAULT_INTENSITY)).toBe(false);
    }
  });

  it('only adds units as it rises, and takes about its share of them', () => {
    const keys = Array.from({ length: 400 }, (_, i) => `1.2.3.${i}`);
    const included = (intensity: number): Set<string> =>
      new Set(keys.filter((k) => includesUnit(7, k, 'attribute:Occupation', 'optional', intensity)));
    const [low, mid, high] = [included(0.2), included(0.5), included(0.9)];
    for (const k of low) expect(mid.has(k)).toBe(true);
    for (const k of mid) expect(high.has(k)).toBe(true);
    expect(mid.size / keys.length).toBeGreaterThan(0.42);
    expect(mid.size / keys.length).toBeLessThan(0.58);
    expect(included(0).size).toBe(0);
  });
});

describe('planInstance at an intensity', () => {
  const templates = loadInsertTemplates();
  const ids = planIdentities(
    5,
    [{ key: 'SRC-1', sex: 'F', studyDates: ['20190304'] }],
    [{ key: '1.2.3', patientKey: 'SRC-1', studyDate: '20190304', modalities: ['CT'], manufacturer: 'GE' }],
  );
  const plan = (intensity?: number): InstancePlan => {
    const file = buildSource('1.2.3.4.5');
    return planInstance(file.dataset, {
      seed: 5,
      sourceSopInstanceUid: '1.2.3.4.5',
      modality: 'CT',
      identity: new IdentityValues(ids.patients[0]!, ids.studies[0]!, 'CT'),
      templates,
      ...(intensity === undefined ? {} : { insertion: { intensity, seriesKey: '1.2.3.4' } }),
    });
  };
  const phiValues = (p: InstancePlan): number =>
    p.sets.reduce(
      (n, e) =>
        n +
        (e.record.type === 'phi'
          ? e.record.values.length
          : e.record.type === 'free-text'
            ? e.record.spans.filter((s) => s.role === 'phi').length
            : 0),
      0,
    );
  const paths = (p: InstancePlan): string[] => p.sets.map((e) => formatPath(e.path));

  it('plans at intensity 1 exactly what it plans without one', () => {
    expect(plan(DEFAULT_INTENSITY)).toEqual(plan());
  });

  it('keeps only the core attributes at 0 and adds sequence items above 2', () => {
    const [none, some, all] = [plan(0), plan(DEFAULT_INTENSITY), plan(MAX_INTENSITY)];
    expect(phiValues(none)).toBeLessThan(phiValues(some));
    expect(phiValues(some)).toBeLessThan(phiValues(all));
    const phiPaths = none.sets.filter((e) => e.record.type === 'phi').map((e) => formatPath(e.path));
    expect(phiPaths).toEqual(['<(0010,0010)>', '<(0010,0020)>', '<(0010,0030)>']);
    // Dates and UIDs are structural: shifted and replaced at any intensity.
    expect(none.sets.filter((e) => e.record.type === 'date').length).toBe(
      some.sets.filter((e) => e.record.type === 'date').length,
    );
    const items = (p: InstancePlan): string[] => paths(p).filter((path) => path.startsWith('<(0010,1002)>[')); // Other Patient IDs Sequence
    expect(items(none)).toEqual([]);
    expect(items(some).length).toBe(3);
    expect(items(some).every((path) => path.startsWith('<(0010,1002)>[<0000>]'))).toBe(true);
    expect(items(all).filter((path) => path.startsWith('<(0010,1002)>[<0002>]')).length).toBe(3);
    expect(items(all).length).toBe(9);
  });
});

describe('chooseIntensity', () => {
  // 100 more removal checks per knot, 1000 of everything else at each.
  const knots = INTENSITY_KNOTS.map((k) => ({ text_removed: 100 * k, text_retained: 1000 }));

  it('finds the intensity whose expected share is the target, between knots too', () => {
    expect(chooseIntensity(knots, { text_removed: 200 / 1200 }).intensity).toBe(2);
    const choice = chooseIntensity(knots, { text_removed: 0.1 });
    // 100 t / (1000 + 100 t) = 0.1 at t = 10/9.
    expect(choice.intensity).toBeCloseTo(10 / 9, 2);
    expect(choice.expected.text_removed).toBeCloseTo(0.1, 3);
  });

  it('goes as near as it can to a target out of reach', () => {
    expect(chooseIntensity(knots, { text_removed: 0.5 }).intensity).toBe(MAX_INTENSITY);
  });

  it('stays at the default when the targets do not depend on the intensity', () => {
    const flat = INTENSITY_KNOTS.map(() => ({ text_removed: 100, text_retained: 900 }));
    expect(chooseIntensity(flat, { text_removed: 0.5 }).intensity).toBe(DEFAULT_INTENSITY);
  });

  it('applies a correction counted beyond the interpolation', () => {
    // 100 removal checks fewer than interpolated: the target needs 100 more, one knot higher.
    const corrected = chooseIntensity(knots, { text_removed: 200 / 1200 }, { text_removed: -100 });
    expect(corrected.intensity).toBe(3);
  });
});
