import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ANSWER_KEY_FILE,
  AnswerKeyWriter,
  answerDataText,
  CheckInterner,
  encodeCheck,
  type FileRecord,
  type InstanceKey,
  type KeyEntry,
  type BurnedTextRow,
  readAnswerKey,
  type RunRecord,
} from '../../src/answerkey/sqlite.js';
import { serializeAnswerData } from '../../src/answerkey/answer-data.js';
import { freezeCheck, isFrozenCheck, type Check } from '../../src/answerkey/check.js';
import { makeCheck, SAMPLE_BURNED_TEXT, SAMPLE_CHECKS } from './fixtures.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'pseudophi-answerkey-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const instance = (n: number): InstanceKey => ({
  sopInstanceUid: `2.25.${1000 + n}`,
  sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
  modality: 'CT',
  patientId: '6505936988',
  studyInstanceUid: '2.25.1',
  seriesInstanceUid: '2.25.2',
});

const file = (n: number): FileRecord => ({
  sopInstanceUid: `2.25.${1000 + n}`,
  patientId: '6505936988',
  studyInstanceUid: '2.25.1',
  seriesInstanceUid: '2.25.2',
  modality: 'CT',
  sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
  outputPath: `dicom/6505936988/2.25.1/2.25.2/${String(n + 1).padStart(8, '0')}.dcm`,
  sourceSha256: null,
  sha256: 'a'.repeat(64),
  pixelDataMd5: '0123456789abcdef0123456789abcdef',
});

/** Instance `n` as a writer entry: its progress record, rows and file. */
const entry = (n: number, checks: readonly Check[], burned: readonly BurnedTextRow[] = []): KeyEntry => ({
  progress: { scanIndex: n, detail: '{}' },
  instance: { key: instance(n), checks, burned, file: file(n) },
});

const RUN: RunRecord = {
  seed: '42',
  toolVersion: '0.1.0',
  dependencyVersions: { 'better-sqlite3': '12.4.1', dcmjs: '0.50.1' },
  options: { patients: 2, profile: 'default' },
  counts: { instances: 5, checks: 50 },
};

function writeKey(dir: string, batchSize = 2): string {
  const writer = new AnswerKeyWriter(dir, { batchSize });
  for (let n = 0; n < 5; n++) {
    writer.addEntry(entry(n, SAMPLE_CHECKS, n === 1 ? SAMPLE_BURNED_TEXT : []));
  }
  return writer.close(RUN);
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('AnswerKeyWriter', () => {
  it('writes a burned_text row per burned line and frame, read back by instance', () => {
    const path = writeKey(tempDir());
    const key = readAnswerKey(path);
    expect([...key.burnedText.keys()]).toEqual([instance(1).sopInstanceUid]);
    expect(key.burnedText.get(instance(1).sopInstanceUid)).toEqual(SAMPLE_BURNED_TEXT);
    const db = new Database(path, { readonly: true });
    const decoys = db.prepare('SELECT text, frame FROM burned_text WHERE is_phi = 0 ORDER BY frame').all();
    db.close();
    expect(decoys).toEqual([
      { text: 'L', frame: 0 },
      { text: 'L', frame: 1 },
    ]);
  });

  it('writes answer_data exactly as the published MIDI-B keys', () => {
    const path = writeKey(tempDir());
    const db = new Database(path, { readonly: true });
    const columns = (db.prepare('PRAGMA table_info(answer_data)').all() as Array<{ name: string }>).map(
      (c) => c.name,
    );
    expect(columns).toEqual([
      'index',
      'group',
      'Modality',
      'SOPClassUID',
      'PatientID',
      'StudyInstanceUID',
      'SeriesInstanceUID',
      'SOPInstanceUID',
      'Digest',
      'AnswerData',
    ]);
    const rows = db.prepare('SELECT * FROM answer_data ORDER BY "index"').all() as Array<
      Record<string, unknown>
    >;
    expect(rows).toHaveLength(5);
    expect(rows.map((r) => r['index'])).toEqual([0, 1, 2, 3, 4]);
    expect(rows[2]!['SOPInstanceUID']).toBe('2.25.1002');
    expect(rows[2]!['PatientID']).toBe('6505936988');
    const data = JSON.parse(rows[0]!['AnswerData'] as string) as Record<string, { action: string }>;
    expect(Object.keys(data)).toHaveLength(SAMPLE_CHECKS.length);
    expect(data['0']!.action).toBe('<text_removed>');
    expect(db.prepare('SELECT count(*) n FROM checks').get()).toEqual({ n: 5 * SAMPLE_CHECKS.length });
    expect(
      db
        .prepare(
          'SELECT category, hipaa_m, phi_kind, identity_field, tokens FROM checks WHERE check_index = 3 LIMIT 1',
        )
        .get(),
    ).toEqual({
      category: 'HIPAA-A',
      hipaa_m: 'HIPAA-A',
      phi_kind: 'A',
      identity_field: 'patient.name',
      tokens: '["stacy","gaines"]',
    });
    expect(db.prepare('SELECT * FROM run').get()).toEqual({
      seed: '42',
      tool_version: '0.1.0',
      dependency_versions: '{"better-sqlite3":"12.4.1","dcmjs":"0.50.1"}',
      options: '{"patients":2,"profile":"default"}',
      counts: '{"checks":50,"instances":5}',
    });
    db.close();
  });

  it('gives a byte-identical file for the same inputs, whatever the batch size', () => {
    const a = writeKey(tempDir(), 2);
    const b = writeKey(tempDir(), 2);
    const c = writeKey(tempDir(), 1000);
    expect(sha256(a)).toBe(sha256(b));
    expect(sha256(a)).toBe(sha256(c));
  });

  it('leaves no answer_key.db when the run does not finish', () => {
    const dir = tempDir();
    writeKey(dir);
    expect(existsSync(join(dir, ANSWER_KEY_FILE))).toBe(true);
    const writer = new AnswerKeyWriter(dir, { batchSize: 1 });
    writer.addEntry(entry(0, SAMPLE_CHECKS));
    writer.addEntry(entry(1, SAMPLE_CHECKS));
    // Crashed mid-run: the old key is gone and only the scratch file exists.
    expect(readdirSync(dir)).toEqual([`${ANSWER_KEY_FILE}.partial`]);
    writer.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a malformed check before writing it', () => {
    const writer = new AnswerKeyWriter(tempDir());
    expect(() => writer.addEntry(entry(0, [{ ...SAMPLE_CHECKS[0]!, actionText: '' }]))).toThrow(
      /empty action_text/,
    );
    writer.abort();
  });

  it('refuses an instance twice', () => {
    const writer = new AnswerKeyWriter(tempDir());
    writer.addEntry(entry(0, SAMPLE_CHECKS));
    expect(() => writer.addEntry(entry(0, SAMPLE_CHECKS))).toThrow(/added twice/);
    writer.abort();
  });
});

/** Shared frozen checks (as a CheckDeriver hands out) mixed with fresh ones, as in a real series. */
const SHARED = SAMPLE_CHECKS.map((c) => freezeCheck({ ...c, categories: structuredClone(c.categories) }));
const seriesChecks = (n: number): Check[] => [
  ...SHARED,
  makeCheck({
    path: '<(0020,0013)>',
    tag: '(0020,0013)',
    tagName: 'Instance Number',
    action: 'text_retained',
    value: String(n + 1),
    actionText: String(n + 1),
    categories: { ...SAMPLE_CHECKS[0]!.categories, tcia: { ptkb: null, p15: null, rev: 'TCIA-REV' } },
  }),
];

describe('check encoding', () => {
  it('gives the AnswerData text of serializeAnswerData', () => {
    expect(answerDataText(SAMPLE_CHECKS.map(encodeCheck))).toBe(serializeAnswerData(SAMPLE_CHECKS));
    expect(answerDataText([])).toBe(serializeAnswerData([]));
  });

  it('numbers a frozen check once and any other check every time', () => {
    const interner = new CheckInterner();
    const fresh: Check[] = [];
    const frozen = freezeCheck(makeCheck({ ...SAMPLE_CHECKS[1]! }));
    const mutable = makeCheck({ ...SAMPLE_CHECKS[1]! });
    expect(interner.intern([frozen, mutable, frozen, mutable], fresh)).toEqual([0, 1, 0, 2]);
    expect(fresh).toEqual([frozen, mutable, mutable]);
    expect(isFrozenCheck(frozen) && Object.isFrozen(frozen.categories.tcia)).toBe(true);
  });
});

describe('AnswerKeyWriter with shared checks', () => {
  it('gives the same file however often it starts numbering checks afresh', () => {
    const write = (options: { maxDefinedChecks?: number; batchSize?: number }): string => {
      const writer = new AnswerKeyWriter(tempDir(), options);
      for (let n = 0; n < 40; n++) {
        writer.addEntry(entry(n, seriesChecks(n)));
      }
      return sha256(writer.close(RUN));
    };
    expect(write({ maxDefinedChecks: 5, batchSize: 3 })).toBe(write({}));
  });
});

describe('readAnswerKey', () => {
  it('reads instances, checks with their extras, files and the run back', () => {
    const key = readAnswerKey(writeKey(tempDir()));
    expect(key.instances).toHaveLength(5);
    expect(key.instances[1]).toMatchObject({
      index: 1,
      sopInstanceUid: '2.25.1001',
      modality: 'CT',
      group: null,
    });
    expect(key.instances[1]!.checks).toEqual(SAMPLE_CHECKS);
    expect(key.files[4]).toEqual(file(4));
    expect(key.run).toEqual(RUN);
  });

  it('reads a key that has only the answer_data table', () => {
    const dir = tempDir();
    const path = join(dir, 'published.db');
    const db = new Database(path);
    db.exec(
      'CREATE TABLE answer_data ("index" INTEGER, "group" TEXT, Modality TEXT, SOPClassUID TEXT, PatientID TEXT, StudyInstanceUID TEXT, SeriesInstanceUID TEXT, SOPInstanceUID TEXT, Digest TEXT, AnswerData TEXT)',
    );
    db.prepare('INSERT INTO answer_data VALUES (0, NULL, ?, ?, ?, ?, ?, ?, NULL, ?)').run(
      'CT',
      '1.2.840.10008.5.1.4.1.1.2',
      'P1',
      '1.2',
      '1.3',
      '1.4',
      JSON.stringify({
        0: {
          action: '<text_removed>',
          action_text: '<TKC>',
          value: '<TKC>',
          tag: '<(0009,1004)>',
          tag_ds: '<(0009,"GEMS_IDEN_01",04)>',
          tag_name: '<[Suite id]>',
          scope: '<Instance>',
          answer_category: [],
          answer_category_v2: {
            hipaa: { z: null, m: null },
            dicom: { p15: null, iod: null, safe: null },
            tcia: { ptkb: 'TCIA-PTKB-X', p15: null, rev: null },
            prev_cat: null,
          },
        },
      }),
    );
    db.close();
    const key = readAnswerKey(path);
    expect(key.run).toBeNull();
    expect(key.files).toEqual([]);
    expect(key.instances[0]!.checks[0]).toMatchObject({
      action: 'text_removed',
      actionText: 'TKC',
      tagName: '[Suite id]',
      tokens: [],
    });
  });
});
