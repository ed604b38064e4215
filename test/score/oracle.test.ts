/**
 * The reference de-identifiers (src/deid) scored by the scorer on a fixture dataset with burned-in text:
 * the oracle scores 100% in instance and series modes (OCR reads nothing in its hidden boxes), also when
 * its files are renamed into one flat folder and its mapping files dropped; `none` passes every keep
 * check and fails every removal check.
 */
import { copyFile, cp, mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deidentify } from '../../src/deid/index.js';
import { scoreDataset, type ScoreReport } from '../../src/score/index.js';
import {
  actionSummary,
  expectKeepPassRemovalFail,
  makeFixture,
  type Fixture,
  NOTHING_OVER_REMOVED,
} from './fixture.js';

let f: Fixture;
let oracle: string;
let none: string;

beforeAll(async () => {
  f = await makeFixture();
  oracle = join(f.work, 'oracle');
  none = join(f.work, 'none');
  await deidentify({ input: f.dataset, out: oracle, mode: 'oracle' });
  await deidentify({ input: f.dataset, out: none, mode: 'none' });
}, 120_000);

afterAll(async () => {
  await f?.remove();
});

/** An `id_old,id_new` mapping file read back. */
async function mapOf(path: string): Promise<Map<string, string>> {
  const lines = (await readFile(path, 'utf8')).trim().split('\n').slice(1);
  return new Map(lines.map((l) => l.split(',') as [string, string]));
}

function expectPerfect(report: ScoreReport): void {
  for (const mode of ['instance', 'series'] as const) {
    const m = report.midiB[mode];
    expect(m.overall, mode).toMatchObject({ failed: 0, blank: 0, score: 1 });
    expect(m.normalizedScore, mode).toBe(1);
  }
}

describe('the reference de-identifiers, scored', () => {
  it('oracle: 100% instance- and series-based, burned-in text unreadable, nothing leaked or over-removed', async () => {
    const { report } = await scoreDataset({ dataset: f.dataset, deidentified: oracle });
    console.log(`oracle: ${actionSummary(report)}`);
    expectPerfect(report);
    expect(report.midiB.instance.actions.pixels_hidden!.passed).toBeGreaterThan(5);
    expect(report.files.byRule).toEqual({ 'uid-map': f.key.instances.length });
    const { dateShift, leaks, overRemoval } = report.beyondMidiB;
    expect(dateShift).toMatchObject({ consistent: true, inconsistent: [], shared: [], removed: 0 });
    expect(dateShift.patients).toBe(new Set(f.key.instances.map((i) => i.patientId)).size);
    expect(leaks.hits).toBe(0);
    expect(overRemoval).toMatchObject(NOTHING_OVER_REMOVED);
  });

  it('oracle in its own layout (new identifiers in the folder names): every file paired by the UID map', async () => {
    const { report } = await scoreDataset({ dataset: f.dataset, deidentified: oracle, ocr: false });
    expect(report.mappings.uid.source).toBe('csv');
    const uid = await mapOf(join(oracle, 'uid_mapping.csv'));
    const pat = await mapOf(join(oracle, 'patid_mapping.csv'));
    const byUid = new Map(f.key.instances.map((i) => [i.sopInstanceUid, i]));
    const expected = f.key.files.map((file) => {
      const i = byUid.get(file.sopInstanceUid)!;
      const name = file.outputPath.split('/').pop()!;
      const output = [
        'dicom',
        pat.get(i.patientId),
        uid.get(i.studyInstanceUid),
        uid.get(i.seriesInstanceUid),
        name,
      ];
      return { dataset: file.outputPath, output: output.join('/'), rule: 'uid-map' };
    });
    const byDataset = (a: { dataset: string }, b: { dataset: string }): number =>
      a.dataset < b.dataset ? -1 : a.dataset > b.dataset ? 1 : 0;
    expect([...report.files.pairs].sort(byDataset)).toEqual(expected.sort(byDataset));
    for (const p of report.files.pairs) expect(p.output).not.toBe(p.dataset);
    expect(report.files.unpaired).toEqual([]);
    expect(report.files.missing).toEqual([]);
  });

  it('oracle in its own layout without its mapping files: every file paired by the derived rules, still 100%', async () => {
    const bare = join(f.work, 'oracle-bare');
    await cp(join(oracle, 'dicom'), join(bare, 'dicom'), { recursive: true });
    const { report } = await scoreDataset({ dataset: f.dataset, deidentified: bare });
    console.log(`oracle, own layout, no mapping files: pairing ${JSON.stringify(report.files.byRule)}`);
    expect(report.files.paired).toBe(f.key.instances.length);
    expect(report.files.byRule.path ?? 0).toBe(0);
    expect(report.files.unpaired).toEqual([]);
    expect(report.files.missing).toEqual([]);
    for (const m of [report.mappings.uid, report.mappings.patientId])
      expect(m).toMatchObject({ source: 'derived', inconsistent: [], collisions: [] });
    expectPerfect(report);
  });

  it('oracle renamed into one flat folder, without mapping files: every file paired, still 100%', async () => {
    const flat = join(f.work, 'oracle-flat');
    await mkdir(flat);
    const files: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true }))
        if (e.isDirectory()) await walk(join(d, e.name));
        else if (e.name.endsWith('.dcm')) files.push(join(d, e.name));
    };
    await walk(join(oracle, 'dicom'));
    files.sort();
    // Names that do not follow the original order.
    for (const [k, file] of files.entries())
      await copyFile(file, join(flat, `IMG${String((k * 37) % 101).padStart(4, '0')}`));
    const { report } = await scoreDataset({ dataset: f.dataset, deidentified: flat, ocr: false });
    console.log(`oracle, flat: pairing ${JSON.stringify(report.files.byRule)}`);
    expect(report.files.paired).toBe(f.key.instances.length);
    expect(report.files.unpaired).toEqual([]);
    expect(report.mappings.uid).toMatchObject({ source: 'derived', inconsistent: [], collisions: [] });
    for (const [action, t] of Object.entries(report.midiB.instance.actions))
      if (action !== 'pixels_hidden') expect(t.failed + t.blank, action).toBe(0);
  });

  it('none: passes every keep check and fails every removal check', async () => {
    const { report } = await scoreDataset({ dataset: f.dataset, deidentified: none });
    console.log(`none: ${actionSummary(report)}`);
    expectKeepPassRemovalFail(report);
    expect(report.beyondMidiB.leaks.unnamedHits).toBe(0);
    expect(report.beyondMidiB.dateShift.consistent).toBe(false);
  });
});
