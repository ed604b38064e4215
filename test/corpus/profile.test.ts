/** Profiles: built-in ones load; malformed ones and bad options fail with ConfigError; MIDI-B mixes match the paper. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_DATE } from '../../src/config/reference-date.js';
import {
  listProfiles,
  loadCorpusTemplates,
  loadProfile,
  planCorpus,
  validateProfile,
} from '../../src/corpus/index.js';
import { resolveCorpusOptions } from '../../src/corpus/write.js';
import { ConfigError } from '../../src/errors/index.js';

describe('corpus profiles', () => {
  it('lists and loads the built-in profiles', () => {
    expect(listProfiles()).toEqual(['demo', 'fixture', 'midi-b-test', 'midi-b-validation']);
    for (const name of listProfiles()) expect(loadProfile(name).name).toBe(name);
  });

  it('rejects unknown profiles, bad patient counts and malformed profiles with ConfigError', () => {
    expect(() => loadProfile('no-such-profile')).toThrow(ConfigError);
    expect(() => loadProfile('../etc/passwd')).toThrow(ConfigError);
    expect(() => loadProfile('no/such/profile.json')).toThrow(/does not exist/);
    expect(() => resolveCorpusOptions({ out: 'x', seed: '1', profile: 'fixture', patients: 0 })).toThrow(
      ConfigError,
    );
    expect(() => resolveCorpusOptions({ out: 'x', seed: '1', profile: 'fixture', patients: 1.5 })).toThrow(
      ConfigError,
    );
    expect(() => validateProfile({ name: 'x', patients: 1, modalities: {} }, 'x.json')).toThrow(ConfigError);
    expect(() =>
      validateProfile(
        { name: 'x', patients: 1, modalities: { XA: { weight: 1, matrices: [[8, 8]] } } },
        'x.json',
      ),
    ).toThrow(/unknown modality XA/);
    expect(() =>
      validateProfile(
        {
          name: 'x',
          patients: 1,
          modalities: { CT: { weight: 1, matrices: [[8, 8]], instancesPerSeries: [3, 1] } },
        },
        'x.json',
      ),
    ).toThrow(ConfigError);
  });

  it('reads burn shares by Modality, refusing shares outside 0 to 1', () => {
    const base = { name: 'x', patients: 1, modalities: { CT: { weight: 1, matrices: [[8, 8]] } } };
    expect(validateProfile(base, 'x.json').burn).toEqual({});
    expect(validateProfile({ ...base, burn: { CT: 0.5, SC: 0 } }, 'x.json').burn).toEqual({ CT: 0.5, SC: 0 });
    expect(() => validateProfile({ ...base, burn: { CT: 2 } }, 'x.json')).toThrow(/burn.CT/);
    expect(() => validateProfile({ ...base, burn: { ct: 1 } }, 'x.json')).toThrow(/Modality/);
    expect(() => validateProfile({ ...base, burn: [] }, 'x.json')).toThrow(ConfigError);
  });

  it('loads a profile from a file path', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pseudophi-profile-')), 'mine.json');
    writeFileSync(
      path,
      JSON.stringify({ name: 'mine', patients: 2, modalities: { CT: { weight: 1, matrices: [[16, 16]] } } }),
    );
    const profile = loadProfile(path);
    expect(profile.name).toBe('mine');
    expect(profile.companions).toBe(true);
    writeFileSync(path, '{ not json');
    expect(() => loadProfile(path)).toThrow(ConfigError);
  });

  it('plans the MIDI-B test mix close to the paper (Table 2)', () => {
    const profile = loadProfile('midi-b-test');
    const plan = planCorpus({
      profile,
      templates: loadCorpusTemplates(),
      seed: '1',
      patients: profile.patients,
      referenceDate: REFERENCE_DATE,
    });
    const series: Record<string, number> = {};
    const instances: Record<string, number> = {};
    for (const p of plan.patients) {
      for (const s of p.studies) {
        for (const se of s.series) {
          series[se.modality] = (series[se.modality] ?? 0) + 1;
          instances[se.modality] = (instances[se.modality] ?? 0) + se.instances.length;
        }
      }
    }
    // Table 2 (series / instances): PET 74 / 16,538, CT 76 / 7,429, MR 88 / 5,407, SR 42 / 42.
    const near = (actual: number | undefined, expected: number, tolerance: number): void => {
      expect(actual).toBeGreaterThan(expected * (1 - tolerance));
      expect(actual).toBeLessThan(expected * (1 + tolerance));
    };
    near(series.PT, 74, 0.35);
    near(series.CT, 76, 0.35);
    near(series.MR, 88, 0.35);
    near(instances.PT, 16538, 0.35);
    near(instances.CT, 7429, 0.35);
    near(instances.MR, 5407, 0.35);
    const total = Object.values(instances).reduce((a, b) => a + b, 0);
    near(total, 29660, 0.3);
  });
});
