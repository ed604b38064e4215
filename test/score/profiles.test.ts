/**
 * The oracle scores 100%, instance- and series-based, on every built-in profile (issue 5, "Done when"):
 * each profile generated small (2-3 patients, a seed whose dataset has burned-in text), de-identified by
 * the oracle in its own layout, and scored with its mapping files and OCR of every pixels_hidden box.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOTHING_OVER_REMOVED } from './fixture.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_KEY_FILE, readAnswerKey } from '../../src/answerkey/index.js';
import { deidentify } from '../../src/deid/index.js';
import { generate } from '../../src/pipeline/generate.js';
import { scoreDataset } from '../../src/score/index.js';

/** Every built-in profile (templates/profiles/), small: 2-3 patients each, about 20 s in all. */
const PROFILES: ReadonlyArray<{ profile: string; patients: number }> = [
  { profile: 'fixture', patients: 3 },
  { profile: 'demo', patients: 3 },
  { profile: 'midi-b-validation', patients: 2 },
  { profile: 'midi-b-test', patients: 2 },
];
/**
 * A seed whose small datasets are quick and all have burned-in text: CR, CT and MR (fixture), CT, MG and MR
 * (demo), MR and SR (the MIDI-B mixes, 82-86 instances).
 */
const SEED = '2';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pseudophi-profiles-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the oracle on every built-in profile', () => {
  it('covers every profile of templates/profiles', async () => {
    const names = (await readdir(new URL('../../templates/profiles/', import.meta.url)))
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -'.json'.length))
      .sort();
    expect(PROFILES.map((p) => p.profile).sort()).toEqual(names);
  });

  it.each(PROFILES)(
    '$profile ($patients patients): 100% instance- and series-based, burned-in text included',
    async ({ profile, patients }) => {
      const t0 = performance.now();
      const dataset = join(work, profile);
      const oracle = join(work, `${profile}-oracle`);
      const generated = await generate({ out: dataset, seed: SEED, profile, patients, verify: false });
      const t1 = performance.now();
      const deid = await deidentify({ input: dataset, out: oracle, mode: 'oracle' });
      const t2 = performance.now();
      const { report } = await scoreDataset({ dataset, deidentified: oracle });
      const t3 = performance.now();

      const key = readAnswerKey(join(dataset, ANSWER_KEY_FILE));
      const checks = key.instances.reduce((n, i) => n + i.checks.length, 0);
      const boxes = key.instances.reduce(
        (n, i) => n + i.checks.filter((c) => c.action === 'pixels_hidden').length,
        0,
      );
      const burned = key.instances.filter((i) => i.checks.some((c) => c.action === 'pixels_hidden')).length;
      const { instance, series } = report.midiB;
      console.info(
        `${profile}, ${patients} patients, seed ${SEED}: ${key.instances.length} instances, ` +
          `${burned} burned (${boxes} pixels_hidden boxes, ${report.ocr.boxesRead} read by OCR); ` +
          `instance-based ${instance.overall.passed}/${instance.overall.total}, ` +
          `series-based ${series.overall.passed}/${series.overall.total}; generate ` +
          `${((t1 - t0) / 1000).toFixed(1)} s, oracle ${((t2 - t1) / 1000).toFixed(1)} s, score ` +
          `${((t3 - t2) / 1000).toFixed(1)} s`,
      );

      // The dataset has burned-in text, and its boxes are judged by OCR.
      expect(generated.burned).toBeGreaterThan(0);
      expect(generated.burnSkipped).toBe(0);
      expect(burned).toBe(generated.burned);
      expect(boxes).toBeGreaterThanOrEqual(burned);
      expect(report.ocr.enabled).toBe(true);
      expect(instance.actions.pixels_hidden).toMatchObject({ passed: boxes, failed: 0, blank: 0 });

      // The oracle de-identified every file without a problem.
      expect(deid.errors).toEqual([]);
      expect(deid.notes).toEqual([]);
      expect(deid.failures).toEqual([]);
      expect(deid.files).toBe(key.instances.length);

      // 100% in both modes, every action, and the normalized score.
      for (const [mode, m] of [
        ['instance', instance],
        ['series', series],
      ] as const) {
        expect(m.overall, mode).toMatchObject({ failed: 0, blank: 0, score: 1 });
        expect(m.normalizedScore, mode).toBe(1);
        for (const [action, t] of Object.entries(m.actions))
          expect(t, `${mode} ${action}`).toMatchObject({ failed: 0, blank: 0, passed: t.total });
      }
      expect(instance.overall.total).toBe(checks);
      expect(report.discrepancies).toBe(0);

      // Every file paired through the UID map; nothing missing, extra or unreadable.
      expect(report.files).toMatchObject({
        datasetInstances: key.instances.length,
        outputFiles: key.instances.length,
        paired: key.instances.length,
        byRule: { 'uid-map': key.instances.length },
        missing: [],
        unpaired: [],
        unreadable: [],
        missingAttributes: [],
        noPreamble: [],
      });
      for (const m of [report.mappings.uid, report.mappings.patientId])
        expect(m).toMatchObject({ source: 'csv', conflicts: [], inconsistent: [], collisions: [] });

      // Beyond MIDI-B: one date offset per patient, no leak, nothing over-removed.
      const { dateShift, leaks, overRemoval } = report.beyondMidiB;
      expect(dateShift).toMatchObject({ consistent: true, inconsistent: [], shared: [], removed: 0 });
      expect(dateShift.patients).toBe(patients);
      expect(leaks.hits).toBe(0);
      expect(overRemoval).toMatchObject(NOTHING_OVER_REMOVED);

      // Scratch space is freed as the profiles go (the demo's mammograms are large).
      await rm(dataset, { recursive: true, force: true });
      await rm(oracle, { recursive: true, force: true });
    },
    240_000,
  );
});
