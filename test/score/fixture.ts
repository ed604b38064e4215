/** A generated fixture dataset for the scorer tests, and ways to make "de-identified" folders from it. */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAnswerKey, type AnswerKey } from '../../src/answerkey/index.js';
import { generate } from '../../src/pipeline/generate.js';
import { ACTIONS, REMOVAL_ACTIONS, type Action } from '../../src/phi/index.js';
import { formatMappingCsv, type ScoreReport } from '../../src/score/index.js';

export const SEED = '7';

/** Actions a do-nothing de-identifier passes (the rest it fails). */
export const KEEP_ACTIONS: readonly Action[] = ACTIONS.filter((a) => !REMOVAL_ACTIONS.has(a));

/** A fixture dataset in a scratch folder. */
export interface Fixture {
  work: string;
  dataset: string;
  key: AnswerKey;
  remove(): Promise<void>;
}

/** Generates the fixture profile (with burned-in text) into a new scratch folder. */
export async function makeFixture(): Promise<Fixture> {
  const work = await mkdtemp(join(tmpdir(), 'pseudophi-score-'));
  const dataset = join(work, 'dataset');
  await generate({ out: dataset, seed: SEED, profile: 'fixture', verify: false });
  return {
    work,
    dataset,
    key: readAnswerKey(join(dataset, 'answer_key.db')),
    remove: () => rm(work, { recursive: true, force: true }),
  };
}

/** A copy of the dataset's dicom/ tree as a de-identifier's output folder `name`. */
export async function copyOutput(f: Fixture, name: string): Promise<string> {
  const dir = join(f.work, name);
  await mkdir(dir, { recursive: true });
  await cp(join(f.dataset, 'dicom'), join(dir, 'dicom'), { recursive: true });
  return dir;
}

/** Identity uid_mapping.csv and patid_mapping.csv for every UID and Patient ID the key names. */
export async function writeIdentityMappings(f: Fixture, dir: string): Promise<void> {
  const uids = new Map<string, string>();
  const patients = new Map<string, string>();
  for (const i of f.key.instances) {
    uids.set(i.sopInstanceUid, i.sopInstanceUid);
    patients.set(i.patientId, i.patientId);
    for (const c of i.checks) {
      if (c.action === 'uid_consistent' || c.action === 'uid_changed') uids.set(c.value, c.value);
      if (c.action === 'patid_consistent') patients.set(c.value, c.value);
    }
  }
  await writeFile(join(dir, 'uid_mapping.csv'), formatMappingCsv(uids));
  await writeFile(join(dir, 'patid_mapping.csv'), formatMappingCsv(patients));
}

/** `action passed/failed/blank of total` for every action of a report, for the test log. */
export function actionSummary(report: ScoreReport, mode: 'instance' | 'series' = 'instance'): string {
  return Object.entries(report.midiB[mode].actions)
    .map(([a, t]) => `${a} ${t.passed}/${t.failed}/${t.blank} of ${t.total}`)
    .join(', ');
}

/**
 * Throws unless the report passes every keep check and fails every removal check (instance mode), with
 * no blank, and has checks of every action.
 */
export function expectKeepPassRemovalFail(report: ScoreReport): void {
  for (const action of ACTIONS) {
    const t = report.midiB.instance.actions[action];
    if (!t || t.total === 0) throw new Error(`no ${action} checks`);
    const keep = KEEP_ACTIONS.includes(action);
    if (t.blank !== 0 || (keep ? t.passed !== t.total : t.failed !== t.total))
      throw new Error(`${action}: ${t.passed} passed, ${t.failed} failed, ${t.blank} blank of ${t.total}`);
  }
}

/** What the beyond-MIDI-B over-removal section reports for an output that removed nothing it should keep. */
export const NOTHING_OVER_REMOVED = {
  cleanTextLost: { absent: 0, emptied: 0, changed: 0 },
  decoysLost: { absent: 0, emptied: 0, changed: 0 },
  elementsRemoved: 0,
  valuesEmptied: 0,
  pixelsChanged: 0,
  burnedDecoysLost: 0,
};
