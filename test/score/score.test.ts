/**
 * The scorer on a generated fixture dataset (burned-in text included), taking the dataset's own files as
 * a de-identifier's output: every keep check passes and every removal check fails, pixels_hidden too
 * (OCR still reads the text), with mapping files and without them. Also: series-based de-duplication,
 * the discrepancy CSV and JSON shapes, the beyond-MIDI-B section, and the command.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerScore } from '../../src/cli/commands/score.js';
import { readDicomFile, setStrings, writeDicom } from '../../src/dicom/index.js';
import {
  DISCREPANCY_COLUMNS,
  discrepancyCsvHeader,
  discrepancyCsvLine,
  parseCsv,
  scoreDataset,
  TABLE_C3,
  type DiscrepancyRow,
  type ScoreReport,
} from '../../src/score/index.js';
import {
  actionSummary,
  copyOutput,
  expectKeepPassRemovalFail,
  makeFixture,
  writeIdentityMappings,
  type Fixture,
  NOTHING_OVER_REMOVED,
} from './fixture.js';

let f: Fixture;
let identity: string;
let withMaps: ScoreReport;
let rows: DiscrepancyRow[];

beforeAll(async () => {
  f = await makeFixture();
  identity = await copyOutput(f, 'identity');
  await writeIdentityMappings(f, identity);
  rows = [];
  withMaps = (
    await scoreDataset({
      dataset: f.dataset,
      deidentified: identity,
      onDiscrepancy: (r) => void rows.push(r),
    })
  ).report;
}, 120_000);

afterAll(async () => {
  await f?.remove();
});

describe('the dataset scored as its own de-identified output', () => {
  it('passes every keep check and fails every removal check, pixels_hidden included (identity mapping files)', () => {
    console.log(`identity output, instance mode (passed/failed/blank): ${actionSummary(withMaps)}`);
    console.log(`identity output, series mode: ${actionSummary(withMaps, 'series')}`);
    expectKeepPassRemovalFail(withMaps);
    expect(withMaps.ocr.enabled).toBe(true);
    expect(withMaps.midiB.instance.actions.pixels_hidden!.total).toBeGreaterThan(5);
    expect(withMaps.files).toMatchObject({
      paired: f.key.instances.length,
      byRule: { 'uid-map': f.key.instances.length },
    });
    expect(withMaps.files.missing).toEqual([]);
    expect(withMaps.files.unpaired).toEqual([]);
    expect(withMaps.mappings.uid.source).toBe('csv');
    // Every check of the key is counted once.
    const checks = f.key.instances.reduce((n, i) => n + i.checks.length, 0);
    expect(withMaps.midiB.instance.overall.total).toBe(checks);
    expect(Object.values(withMaps.checks).reduce((a, b) => a + b, 0)).toBe(checks);
  });

  it('gives the same results without mapping files, pairing every file by its path', async () => {
    const dir = await copyOutput(f, 'identity-nomap');
    const { report, mappings } = await scoreDataset({ dataset: f.dataset, deidentified: dir, ocr: false });
    expect(report.files.byRule).toEqual({ path: f.key.instances.length });
    expect(report.files.pairs.every((p) => p.output === p.dataset)).toBe(true);
    expect(report.mappings.uid).toMatchObject({ source: 'derived', inconsistent: [], collisions: [] });
    for (const [o, n] of mappings.uid) expect(n).toBe(o);
    for (const [o, n] of mappings.patientId) expect(n).toBe(o);
    for (const [action, t] of Object.entries(report.midiB.instance.actions))
      if (action !== 'pixels_hidden')
        expect(t, action).toEqual(withMaps.midiB.instance.actions[action as 'text_removed']);
    expect(report.midiB.instance.actions.pixels_hidden).toMatchObject({
      blank: withMaps.midiB.instance.actions.pixels_hidden!.total,
    });
  });

  it('reports the identity output beyond MIDI-B: no date moved, every PHI value found where the key names it, nothing over-removed', () => {
    const { dateShift, leaks, overRemoval } = withMaps.beyondMidiB;
    expect(dateShift.consistent).toBe(false);
    expect(dateShift.unshiftedPatients).toHaveLength(dateShift.patients);
    expect(dateShift.shared).toHaveLength(1);
    expect(leaks.hits).toBeGreaterThan(0);
    expect(leaks.leakedValues).toBe(leaks.values);
    expect(leaks.unnamedHits).toBe(0);
    expect(overRemoval).toMatchObject(NOTHING_OVER_REMOVED);
    expect(overRemoval.decoyChecks).toBeGreaterThan(0);
    expect(overRemoval.burnedDecoys).toBeGreaterThan(0);
  });

  it('computes the normalized score as the mean of per-action accuracy, and lists Table C3 first', () => {
    for (const mode of ['instance', 'series'] as const) {
      const m = withMaps.midiB[mode];
      const scores = Object.values(m.actions).map((t) => t.score!);
      expect(m.normalizedScore).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length);
      expect(m.categories.slice(0, 25).map((c) => [c.category, c.subcategory])).toEqual(TABLE_C3);
      expect(m.categories.reduce((n, c) => n + c.total, 0)).toBe(m.overall.total);
    }
    // Every keep action passes and every removal action fails: 6 of 10 actions at 100%.
    expect(withMaps.midiB.instance.normalizedScore).toBeCloseTo(0.6);
  });
});

describe('series mode', () => {
  it('keeps one result per (action, tag_ds, patient, study, series), a failure if any instance failed', async () => {
    // Expected groups, from the key alone (the identity output keeps every ID).
    const groups = new Set<string>();
    for (const i of f.key.instances)
      for (const c of i.checks)
        groups.add([c.action, c.path, i.patientId, i.studyInstanceUid, i.seriesInstanceUid].join('|'));
    expect(withMaps.midiB.series.overall.total).toBe(groups.size);

    // One instance of a multi-instance series loses a kept element: one instance failure, one series failure.
    const counts = new Map<string, number>();
    for (const i of f.key.instances)
      counts.set(i.seriesInstanceUid, (counts.get(i.seriesInstanceUid) ?? 0) + 1);
    const target = f.key.instances.find((i) => counts.get(i.seriesInstanceUid)! >= 4)!;
    const kept = target.checks.find((c) => c.action === 'text_retained' && c.path === '<(0008,0060)>')!;
    expect(kept).toBeDefined();
    const dir = await copyOutput(f, 'series');
    const record = f.key.files.find((r) => r.sopInstanceUid === target.sopInstanceUid)!;
    const file = await readDicomFile(join(dir, record.outputPath));
    setStrings(file.dataset, 0x00080060, 'XX');
    await writeFile(join(dir, record.outputPath), writeDicom(file));
    const { report } = await scoreDataset({ dataset: f.dataset, deidentified: dir, ocr: false });
    const before = withMaps.midiB;
    expect(report.midiB.instance.actions.text_retained!.failed).toBe(
      before.instance.actions.text_retained!.failed + 1,
    );
    expect(report.midiB.series.actions.text_retained!.failed).toBe(
      before.series.actions.text_retained!.failed + 1,
    );
    expect(report.midiB.series.overall.total).toBe(groups.size);
    await rm(dir, { recursive: true });
  });
});

describe('report shapes', () => {
  it('streams a discrepancy row per failed or blank check, with the columns of Table B1', () => {
    expect(rows).toHaveLength(withMaps.discrepancies);
    expect(rows).toHaveLength(withMaps.midiB.instance.overall.failed + withMaps.midiB.instance.overall.blank);
    expect(discrepancyCsvHeader()).toBe(
      'index,check_passed,check_score,tag_ds,tag_name,file_value,answer_value,action,action_text,category,' +
        'subcategory,modality,class,patient,study,series,instance,file_name\n',
    );
    const csv = discrepancyCsvHeader() + rows.map(discrepancyCsvLine).join('');
    const records = parseCsv(csv);
    expect(records[0]).toEqual([...DISCREPANCY_COLUMNS]);
    expect(records).toHaveLength(rows.length + 1);
    for (const r of records.slice(1)) {
      expect(r).toHaveLength(DISCREPANCY_COLUMNS.length);
      expect(r[1]).toBe('0.0');
      expect(r[7]).toMatch(/^<(text_removed|date_shifted|uid_changed|pixels_hidden)>$/);
      expect(r[3]).toMatch(/^<\(/);
      expect(r[11]).toMatch(/^<.+>$/);
      expect(r[17]).toMatch(/^<\d{8}\.dcm>$/);
    }
    const hidden = rows.find((r) => r.action === '<pixels_hidden>')!;
    expect(hidden).toMatchObject({ category: 'hipaa', subcategory: 'HIPAA-A' });
    expect(hidden.file_value).not.toBe('<>'); // what OCR read
  });

  it('prints JSON and a readable table from the command, and writes the CSV and the mappings used', async () => {
    const run = async (argv: string[]): Promise<string> => {
      let out = '';
      const o = vi
        .spyOn(process.stdout, 'write')
        .mockImplementation((chunk) => ((out += String(chunk)), true));
      const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        const program = new Command('pseudophi').exitOverride();
        registerScore(program);
        await program.parseAsync(['node', 'pseudophi', ...argv]);
      } finally {
        o.mockRestore();
        e.mockRestore();
      }
      return out;
    };
    const csvPath = join(f.work, 'discrepancies.csv');
    const saved = join(f.work, 'saved-maps');
    const json = JSON.parse(
      await run([
        'score',
        f.dataset,
        '--deidentified',
        identity,
        '--json',
        '--no-ocr',
        '--csv',
        csvPath,
        '--save-mappings',
        saved,
      ]),
    ) as ScoreReport;
    expect(Object.keys(json)).toEqual([
      'dataset',
      'deidentified',
      'headline',
      'checks',
      'midiB',
      'files',
      'mappings',
      'beyondMidiB',
      'ocr',
      'discrepancies',
      'notes',
    ]);
    expect(json.midiB.instance.actions.text_removed).toEqual(withMaps.midiB.instance.actions.text_removed);
    expect(json.ocr).toEqual({ enabled: false, boxesRead: 0 });
    const csv = parseCsv(await readFile(csvPath, 'utf8'));
    expect(csv).toHaveLength(json.discrepancies + 1);
    expect((await readFile(join(saved, 'uid_mapping.csv'), 'utf8')).split('\n')[0]).toBe('id_old,id_new');

    const text = await run([
      'score',
      f.dataset,
      '--deidentified',
      identity,
      '--series',
      '--no-ocr',
      '--quiet',
    ]);
    expect(text).toMatch(/MIDI-B score \(series-based\): \d+\.\d\d%/);
    expect(text).toContain('normalized (mean of actions)');
    expect(text).toContain('TCIA-P15-DESC-C');
    expect(text).toContain('Beyond MIDI-B');
  });

  it('refuses a dataset without an answer key or a missing output folder', async () => {
    await expect(scoreDataset({ dataset: identity, deidentified: identity })).rejects.toThrow(
      /no answer key/,
    );
    await expect(scoreDataset({ dataset: f.dataset, deidentified: join(f.work, 'nope') })).rejects.toThrow(
      /does not exist/,
    );
  });
});
