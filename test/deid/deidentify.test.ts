/**
 * The reference de-identifiers on a generated fixture dataset (with burned-in text): the oracle passes
 * every check of the key under the MIDI-B metric and changes nothing else, `none` changes nothing at all.
 * Checks are judged here independently of the run's own summary: outputs and mapping CSVs are read back
 * from disk and scored with src/score/evaluate.ts; burned-in boxes are checked pixel by pixel.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ANSWER_KEY_FILE, readAnswerKey, type AnswerKey, type Check } from '../../src/answerkey/index.js';
import { registerDeidentify } from '../../src/cli/commands/deidentify.js';
import { deidentify, pathComponent, type DeidentifySummary } from '../../src/deid/index.js';
import {
  decodePixels,
  getString,
  indexDataset,
  initializeCodecs,
  isStringVr,
  parseDicom,
  parsePath,
  readStrings,
  resolvePath,
  Tags,
  textCodecOf,
  type DicomFile,
  type PixelDescription,
} from '../../src/dicom/index.js';
import { generate } from '../../src/pipeline/generate.js';
import { REMOVAL_ACTIONS, type Action } from '../../src/phi/index.js';
import { evaluateCheck, toScoredFile, type Mappings } from '../../src/score/evaluate.js';

const SEED = '7';
/** Actions that ask a de-identifier to change an element. */
const CHANGING: ReadonlySet<Action> = new Set([
  'text_removed',
  'date_shifted',
  'uid_changed',
  'uid_consistent',
  'patid_consistent',
]);

let work: string;
let ds: string;
let key: AnswerKey;
let oracleSummary: DeidentifySummary;
let noneSummary: DeidentifySummary;
let inputHashes: Map<string, string>;
let oracleMappings: Mappings;
const out = (name: string): string => join(work, name);

/** Every file under a directory, relative, sorted. */
async function walk(dir: string, rel = ''): Promise<string[]> {
  const files: string[] = [];
  for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) files.push(...(await walk(dir, r)));
    else files.push(r);
  }
  return files.sort();
}

/** SHA-256 of every file under a directory, by relative path. */
async function hashTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const rel of await walk(dir))
    out.set(
      rel,
      createHash('sha256')
        .update(await readFile(join(dir, rel)))
        .digest('hex'),
    );
  return out;
}

/** A mapping CSV read back: header checked, rows in file order. */
async function readMapping(path: string): Promise<Array<[string, string]>> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  expect(lines[0]).toBe('id_old,id_new');
  expect(lines[lines.length - 1]).toBe('');
  return lines.slice(1, -1).map((l) => l.split(',') as [string, string]);
}

async function mappingsOf(dir: string): Promise<Mappings> {
  return {
    uid: new Map(await readMapping(join(dir, 'uid_mapping.csv'))),
    patientId: new Map(await readMapping(join(dir, 'patid_mapping.csv'))),
  };
}

const parseAt = async (dir: string, rel: string): Promise<DicomFile> =>
  parseDicom(await readFile(join(dir, rel)), { path: rel });

/**
 * The dataset's instances with their file path and the path the oracle must write them to: the dataset's
 * layout with the new Patient ID, Study and Series Instance UIDs (read from its mapping files).
 */
const instancesWithFiles = (): Array<{
  rel: string;
  oracleRel: string;
  instance: AnswerKey['instances'][number];
}> => {
  const byUid = new Map(key.instances.map((i) => [i.sopInstanceUid, i]));
  return key.files.map((f) => {
    const instance = byUid.get(f.sopInstanceUid)!;
    const oracleRel = [
      'dicom',
      oracleMappings.patientId.get(instance.patientId),
      oracleMappings.uid.get(instance.studyInstanceUid),
      oracleMappings.uid.get(instance.seriesInstanceUid),
      basename(f.outputPath),
    ].join('/');
    return { rel: f.outputPath, oracleRel, instance };
  });
};

const describeCheck = (rel: string, c: Check, output: string | undefined, extra = ''): string =>
  `${rel} ${c.path} ${c.action} value=${JSON.stringify(c.value)} action_text=${JSON.stringify(c.actionText)} ` +
  `output=${JSON.stringify(output)}${extra}`;

beforeAll(async () => {
  await initializeCodecs();
  work = await mkdtemp(join(tmpdir(), 'pseudophi-deid-'));
  ds = out('dataset');
  await generate({ out: ds, seed: SEED, profile: 'fixture', verify: false });
  key = readAnswerKey(join(ds, ANSWER_KEY_FILE));
  inputHashes = await hashTree(ds);
  oracleSummary = await deidentify({ input: ds, out: out('oracle'), mode: 'oracle' });
  noneSummary = await deidentify({ input: ds, out: out('none'), mode: 'none' });
  oracleMappings = await mappingsOf(out('oracle'));
}, 180_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('oracle', () => {
  it('passes every check of the key under the MIDI-B metric (pixels_hidden checked below)', async () => {
    const mappings = await mappingsOf(out('oracle'));
    const tally = new Map<Action, { passed: number; total: number }>();
    const failures: string[] = [];
    for (const { rel, oracleRel, instance } of instancesWithFiles()) {
      const scored = toScoredFile((await parseAt(out('oracle'), oracleRel)).dataset);
      for (const check of instance.checks) {
        const t = tally.get(check.action) ?? { passed: 0, total: 0 };
        tally.set(check.action, t);
        t.total++;
        const r = evaluateCheck(check, scored, mappings);
        if (check.action === 'pixels_hidden') {
          expect(r.passed).toBeNull();
          continue;
        }
        if (r.passed) t.passed++;
        else failures.push(describeCheck(rel, check, scored.values.get(check.path)));
      }
    }
    // The per-action figures, for the record; key defects (checks no de-identifier can pass) are listed.
    console.info(
      `oracle on fixture seed ${SEED}: ${[...tally]
        .map(([a, t]) =>
          a === 'pixels_hidden' ? `${a} ${t.total} (by pixels, below)` : `${a} ${t.passed}/${t.total}`,
        )
        .join(', ')}`,
    );
    expect(failures, `checks the oracle cannot pass (key defects?):\n${failures.join('\n')}`).toEqual([]);
    expect(tally.get('pixels_hidden')?.total ?? 0).toBeGreaterThan(0);
    expect(oracleSummary.failures).toEqual([]);
    expect(oracleSummary.errors).toEqual([]);
    expect(oracleSummary.notes).toEqual([]);
    expect(oracleSummary.files).toBe(key.files.length);
  });

  it('blacks out every pixel of every pixels_hidden box on every frame and nothing outside', async () => {
    const black = (d: PixelDescription): number[] => {
      const bits = d.bitsStored;
      const signed = d.pixelRepresentation === 1;
      if (d.photometricInterpretation === 'MONOCHROME2') return [signed ? -(2 ** (bits - 1)) : 0];
      if (d.photometricInterpretation === 'MONOCHROME1')
        return [signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1];
      if (d.photometricInterpretation === 'RGB') return [0, 0, 0];
      throw new Error(`no black for ${d.photometricInterpretation}`);
    };
    let burned = 0;
    const problems: string[] = [];
    for (const { rel, oracleRel, instance } of instancesWithFiles()) {
      const boxes = instance.checks
        .filter((c) => c.action === 'pixels_hidden')
        .map(
          (c) => JSON.parse(c.actionText!) as { top_left: [number, number]; bottom_right: [number, number] },
        );
      const before = await parseAt(ds, rel);
      const after = await parseAt(out('oracle'), oracleRel);
      if (boxes.length === 0) continue;
      burned++;
      const a = decodePixels(before);
      const b = decodePixels(after);
      const d = b.description;
      expect(d).toEqual(a.description);
      const bytes = d.bitsAllocated / 8;
      const blacks = black(d);
      const planar = d.samplesPerPixel > 1 && d.planarConfiguration === 1;
      const sampleAt = (frame: Uint8Array, i: number): number => {
        const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
        if (bytes === 1) return d.pixelRepresentation === 1 ? view.getInt8(i) : view.getUint8(i);
        return d.pixelRepresentation === 1 ? view.getInt16(i * 2, true) : view.getUint16(i * 2, true);
      };
      let inside = 0;
      b.frames.forEach((frame, f) => {
        for (let y = 0; y < d.rows; y++)
          for (let x = 0; x < d.columns; x++)
            for (let s = 0; s < d.samplesPerPixel; s++) {
              const pixel = y * d.columns + x;
              const i = planar ? s * d.rows * d.columns + pixel : pixel * d.samplesPerPixel + s;
              const boxed = boxes.some(
                (box) =>
                  x >= box.top_left[0] &&
                  x < box.bottom_right[0] &&
                  y >= box.top_left[1] &&
                  y < box.bottom_right[1],
              );
              if (boxed) {
                inside++;
                if (sampleAt(frame, i) !== blacks[s])
                  problems.push(`${rel} frame ${f} (${x},${y}) not black`);
              } else if (sampleAt(frame, i) !== sampleAt(a.frames[f]!, i)) {
                problems.push(`${rel} frame ${f} (${x},${y}) changed outside the boxes`);
              }
              if (problems.length > 20) return;
            }
      });
      expect(inside, rel).toBeGreaterThan(0);
      expect(after.transferSyntaxUid, rel).toBe(before.transferSyntaxUid);
    }
    expect(problems).toEqual([]);
    expect(burned).toBeGreaterThan(0);
  });

  it('keeps every element the key does not ask to change byte-identical, and adds none', async () => {
    const problems: string[] = [];
    for (const { rel, oracleRel, instance } of instancesWithFiles()) {
      const before = await parseAt(ds, rel);
      const after = await parseAt(out('oracle'), oracleRel);
      const changed = new Set(instance.checks.filter((c) => CHANGING.has(c.action)).map((c) => c.path));
      if (instance.checks.some((c) => c.action === 'pixels_hidden')) changed.add('<(7fe0,0010)>');
      const changedList = [...changed];
      const beforePaths = new Set<string>();
      for (const row of indexDataset(before.dataset)) {
        beforePaths.add(row.pathText);
        if (changed.has(row.pathText) || changedList.some((p) => p.startsWith(`${row.pathText}[`))) continue;
        const kept = resolvePath(after.dataset, row.path);
        if (!kept) problems.push(`${rel} ${row.pathText}: gone`);
        else if (Buffer.compare(row.element.raw!, kept.element.raw!) !== 0)
          problems.push(`${rel} ${row.pathText}: bytes changed`);
      }
      for (const row of indexDataset(after.dataset))
        if (!beforePaths.has(row.pathText)) problems.push(`${rel} ${row.pathText}: added`);
      expect(after.preamble, rel).toEqual(before.preamble);
      for (const m of before.meta.elements) {
        if (m.tag === Tags.MediaStorageSOPInstanceUID || m.tag === Tags.FileMetaInformationGroupLength)
          continue;
        if (Buffer.compare(m.raw!, after.meta.get(m.tag)?.raw ?? new Uint8Array()) !== 0)
          problems.push(`${rel} meta ${m.tag.toString(16)}: bytes changed`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('maps every UID and Patient ID consistently and completely, and writes them in the files', async () => {
    const uidRows = await readMapping(join(out('oracle'), 'uid_mapping.csv'));
    const patRows = await readMapping(join(out('oracle'), 'patid_mapping.csv'));
    const order = (rows: Array<[string, string]>): string[] => rows.map(([o]) => o);
    expect(order(uidRows)).toEqual([...order(uidRows)].sort());
    expect(order(patRows)).toEqual([...order(patRows)].sort());
    const uid = new Map(uidRows);
    const pat = new Map(patRows);
    expect(uid.size).toBe(uidRows.length);
    const checkedUids = new Set(
      key.instances.flatMap((i) =>
        i.checks
          .filter((c) => c.action === 'uid_changed' || c.action === 'uid_consistent')
          .map((c) => c.value),
      ),
    );
    const expectedUids = new Set([...checkedUids, ...key.files.map((f) => f.sopInstanceUid)]);
    expect(new Set(uid.keys())).toEqual(expectedUids);
    for (const old of checkedUids) {
      expect(uid.get(old)).toMatch(/^2\.25\.[1-9]\d{0,38}$/);
      expect(uid.get(old)).not.toBe(old);
    }
    expect(new Set(uid.values()).size).toBe(uid.size);
    expect(new Set(pat.keys())).toEqual(new Set(key.instances.map((i) => i.patientId)));
    expect(new Set(pat.values()).size).toBe(pat.size);
    const oldChanged = new Set([...uid].filter(([o, n]) => o !== n).map(([o]) => o));
    const problems: string[] = [];
    for (const { rel, oracleRel, instance } of instancesWithFiles()) {
      const after = await parseAt(out('oracle'), oracleRel);
      const sop = getString(after.dataset, Tags.SOPInstanceUID);
      expect(sop).toBe(uid.get(instance.sopInstanceUid));
      expect(getString(after.meta, Tags.MediaStorageSOPInstanceUID)).toBe(sop);
      expect(getString(after.dataset, 0x00100020)).toBe(pat.get(instance.patientId));
      // No old UID survives anywhere in the file, references included.
      for (const row of indexDataset(after.dataset)) {
        if (!isStringVr(row.vr) || row.element.items) continue;
        for (const v of readStrings(row.element, textCodecOf(after.dataset)))
          if (oldChanged.has(v.trim())) problems.push(`${rel} ${row.pathText}: old UID ${v}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('shifts all dates of a patient by one offset, different for every patient', async () => {
    const DAY = 86_400_000;
    const toDay = (text: string): number =>
      Date.UTC(Number(text.slice(0, 4)), Number(text.slice(4, 6)) - 1, Number(text.slice(6, 8))) / DAY;
    const offsets = new Map<string, Set<number>>();
    let dates = 0;
    for (const { rel, oracleRel, instance } of instancesWithFiles()) {
      const before = await parseAt(ds, rel);
      const after = await parseAt(out('oracle'), oracleRel);
      for (const path of new Set(
        instance.checks.filter((c) => c.action === 'date_shifted').map((c) => c.path),
      )) {
        const parsed = parsePath(path);
        const a = resolvePath(before.dataset, parsed)!;
        const b = resolvePath(after.dataset, parsed)!;
        const va = readStrings(a.element, textCodecOf(a.dataset));
        const vb = readStrings(b.element, textCodecOf(b.dataset));
        expect(vb.length, `${rel} ${path}`).toBe(va.length);
        va.forEach((v, i) => {
          expect(vb[i]!.length, `${rel} ${path}`).toBe(v.length);
          expect(vb[i]!.slice(8), `${rel} ${path}: time part kept`).toBe(v.slice(8));
          const set = offsets.get(instance.patientId) ?? new Set<number>();
          set.add(toDay(vb[i]!) - toDay(v));
          offsets.set(instance.patientId, set);
          dates++;
        });
      }
    }
    expect(dates).toBeGreaterThan(0);
    expect(offsets.size).toBeGreaterThan(1);
    for (const [patient, set] of offsets) expect([...set], patient).toHaveLength(1);
    const all = [...offsets.values()].map((s) => [...s][0]!);
    expect(new Set(all).size).toBe(all.length);
    for (const days of all) expect(days).not.toBe(0);
  });

  it('writes each instance to dicom/<new Patient ID>/<new Study UID>/<new Series UID>/<its file name>', async () => {
    const expected = instancesWithFiles().map((x) => x.oracleRel);
    expect(new Set(expected).size).toBe(expected.length);
    expect(await walk(out('oracle'))).toEqual([...expected, 'patid_mapping.csv', 'uid_mapping.csv'].sort());
    expect(oracleSummary.outputPaths).toEqual(
      new Map(instancesWithFiles().map(({ rel, oracleRel }) => [rel, oracleRel])),
    );
    // The folders are named by the values the files hold, and no path holds an identifier of the dataset.
    const oldIds = new Set(key.instances.map((i) => i.patientId));
    const oldUids = new Set(
      key.instances.flatMap((i) => [i.studyInstanceUid, i.seriesInstanceUid, i.sopInstanceUid]),
    );
    const problems: string[] = [];
    for (const { oracleRel } of instancesWithFiles()) {
      const after = await parseAt(out('oracle'), oracleRel);
      const [, patient, study, series] = oracleRel.split('/');
      expect(patient, oracleRel).toBe(getString(after.dataset, 0x00100020));
      expect(study, oracleRel).toBe(getString(after.dataset, 0x0020000d));
      expect(series, oracleRel).toBe(getString(after.dataset, 0x0020000e));
      for (const part of oracleRel.split('/')) {
        if (oldIds.has(part)) problems.push(`${oracleRel}: old Patient ID ${part}`);
        for (const uid of oldUids) if (part.includes(uid)) problems.push(`${oracleRel}: old UID ${uid}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('is deterministic: the same seed writes an identical output tree; the input is never written to', async () => {
    await deidentify({ input: ds, out: out('oracle-again'), mode: 'oracle' });
    expect(await hashTree(out('oracle-again'))).toEqual(await hashTree(out('oracle')));
    const other = await deidentify({ input: ds, out: out('oracle-seed-2'), mode: 'oracle', seed: '2' });
    expect(other.failures).toEqual([]);
    expect([...other.mappings.uid.values()]).not.toEqual([...oracleSummary.mappings.uid.values()]);
    expect(await hashTree(ds)).toEqual(inputHashes);
  });
});

describe('none', () => {
  it('copies every file byte for byte and writes identity mappings', async () => {
    const copied = await hashTree(join(out('none'), 'dicom'));
    const source = await hashTree(join(ds, 'dicom'));
    expect(copied).toEqual(source);
    expect(copied.size).toBe(key.files.length);
    const m = await mappingsOf(out('none'));
    const o = await mappingsOf(out('oracle'));
    for (const [old, next] of [...m.uid, ...m.patientId]) expect(next).toBe(old);
    expect(new Set(m.uid.keys())).toEqual(new Set(o.uid.keys()));
    expect(new Set(m.patientId.keys())).toEqual(new Set(o.patientId.keys()));
    expect(noneSummary.errors).toEqual([]);
    expect(noneSummary.copied).toBe(key.files.length);
  });

  it('passes every keep check and fails every removal check (pixels_hidden not judged)', async () => {
    const mappings = await mappingsOf(out('none'));
    const wrong: string[] = [];
    for (const { rel, instance } of instancesWithFiles()) {
      const scored = toScoredFile((await parseAt(out('none'), rel)).dataset);
      for (const check of instance.checks) {
        const r = evaluateCheck(check, scored, mappings);
        if (check.action === 'pixels_hidden') {
          if (r.passed !== null) wrong.push(describeCheck(rel, check, undefined, ' judged'));
        } else if (r.passed !== !REMOVAL_ACTIONS.has(check.action)) {
          wrong.push(describeCheck(rel, check, scored.values.get(check.path), ` passed=${r.passed}`));
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('bad input', () => {
  it('refuses a directory without an answer key, naming the file', async () => {
    const empty = out('no-key');
    await mkdir(empty);
    await expect(deidentify({ input: empty, out: out('no-key-out'), mode: 'oracle' })).rejects.toThrow(
      /answer_key\.db/,
    );
  });

  it('refuses an output folder inside the input or one that is not empty', async () => {
    await expect(deidentify({ input: ds, out: join(ds, 'deid'), mode: 'oracle' })).rejects.toThrow(
      /inside the input/,
    );
    await expect(deidentify({ input: ds, out: out('oracle'), mode: 'none' })).rejects.toThrow(/not empty/);
  });

  it('reports an unreadable file by name and de-identifies the others', async () => {
    const copy = out('damaged');
    await cp(ds, copy, { recursive: true });
    const victim = key.files[0]!.outputPath;
    await writeFile(join(copy, victim), Buffer.from('not a DICOM file at all, just some text'));
    const summary = await deidentify({ input: copy, out: out('damaged-out'), mode: 'oracle' });
    expect(summary.errors).toHaveLength(1);
    expect(summary.errors[0]!.file).toBe(victim);
    expect(summary.errors[0]!.problem).toMatch(/DICOM/);
    expect(summary.files).toBe(key.files.length - 1);
    // Only the damaged file's checks fail, as missing output.
    expect(new Set(summary.failures.map((f) => f.file))).toEqual(new Set([victim]));
  });
});

describe('output paths', () => {
  it('tells apart two files that meet at one path the same way in every run', async () => {
    // A key without a files table (nor the checks view built on it: the whole folder is scanned, files
    // matched by SOP Instance UID) and
    // the second file of a series moved into another folder under the first one's name: both belong in
    // the same series folder under that name.
    const copy = out('collide');
    await cp(ds, copy, { recursive: true });
    const db = new Database(join(copy, ANSWER_KEY_FILE));
    db.exec('DROP VIEW checks; DROP TABLE files');
    db.close();
    const series = new Map<string, string[]>();
    for (const f of key.files) {
      const dir = f.outputPath.slice(0, f.outputPath.lastIndexOf('/'));
      series.set(dir, [...(series.get(dir) ?? []), f.outputPath]);
    }
    const [first, second] = [...series.values()].find((files) => files.length >= 2)!.sort();
    const moved = `moved/${basename(first!)}`;
    await mkdir(join(copy, 'moved'));
    await rename(join(copy, second!), join(copy, moved));

    const one = await deidentify({ input: copy, out: out('collide-1'), mode: 'oracle', concurrency: 1 });
    const four = await deidentify({ input: copy, out: out('collide-4'), mode: 'oracle', concurrency: 4 });
    expect(one.errors).toEqual([]);
    expect(one.failures).toEqual([]);
    expect(one.files).toBe(key.files.length);
    const target = one.outputPaths.get(first!)!;
    expect(target).toBe(instancesWithFiles().find((x) => x.rel === first)!.oracleRel);
    // The file first in path order keeps the name; the other gets `_2` before the extension.
    expect(one.outputPaths.get(moved)).toBe(target.replace(/\.dcm$/, '_2.dcm'));
    expect(new Set(one.outputPaths.values()).size).toBe(one.outputPaths.size);
    expect(four.outputPaths).toEqual(one.outputPaths);
    expect(await hashTree(out('collide-4'))).toEqual(await hashTree(out('collide-1')));
  });

  it('names folders only with letters, digits, dot, underscore and hyphen', () => {
    expect(pathComponent('DEIDABC')).toBe('DEIDABC');
    expect(pathComponent('2.25.1234')).toBe('2.25.1234');
    expect(pathComponent(' 12/34:56\\x ')).toBe('12_34_56_x');
    expect(pathComponent('..')).toBe('_.');
    expect(pathComponent('.hidden')).toBe('_hidden');
    expect(pathComponent('')).toBe('_');
    expect(pathComponent(undefined)).toBe('_');
  });
});

describe('the deidentify command', () => {
  const run = async (argv: string[]): Promise<{ out: string; err: string; error?: unknown }> => {
    const program = new Command('pseudophi').exitOverride();
    registerDeidentify(program);
    let stdout = '';
    let stderr = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((stdout += String(c)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((stderr += String(c)), true));
    try {
      await program.parseAsync(['node', 'pseudophi', 'deidentify', ...argv]);
      return { out: stdout, err: stderr };
    } catch (error) {
      return { out: stdout, err: stderr, error };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  };

  it('runs the oracle and prints its own score by action', async () => {
    const r = await run([ds, '--out', out('cli'), '--quiet']);
    expect(r.error).toBeUndefined();
    const total = key.instances.reduce((n, i) => n + i.checks.length, 0);
    const hidden = key.instances.reduce(
      (n, i) => n + i.checks.filter((c) => c.action === 'pixels_hidden').length,
      0,
    );
    expect(r.out).toContain(`deidentify (oracle): ${key.files.length} files`);
    expect(r.out).toContain(`checks passed: ${total - hidden}/${total - hidden} judged of ${total}`);
    expect(await hashTree(out('cli'))).toEqual(await hashTree(out('oracle')));
  });

  it('runs none, and refuses an unknown mode', async () => {
    const r = await run([ds, '--out', out('cli-none'), '--mode', 'none', '--quiet']);
    expect(r.error).toBeUndefined();
    expect(r.out).toContain('deidentify (none)');
    const bad = await run([ds, '--out', out('cli-bad'), '--mode', 'perfect']);
    expect(String(bad.error)).toMatch(/--mode must be oracle or none/);
  });
});
