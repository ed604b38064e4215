/**
 * Pairing output files with dataset instances when the de-identifier wrote no mapping files: every rule
 * (path, SOP Instance UID, stored pixels, decoded pixels, series order) on files renamed and moved with
 * UIDs changed, each pairing the right file; and bad output (truncated, missing, extra files, a missing
 * attribute) reported without crashing.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodePixels,
  getString,
  initializeCodecs,
  lookupTransferSyntax,
  readDicomFile,
  setPixelFrames,
  setStrings,
  writeDicom,
  type DicomFile,
} from '../../src/dicom/index.js';
import { scoreDataset, type PairRule } from '../../src/score/index.js';
import { copyOutput, makeFixture, writeIdentityMappings, type Fixture } from './fixture.js';

let f: Fixture;

beforeAll(async () => {
  f = await makeFixture();
  await initializeCodecs();
}, 120_000);

afterAll(async () => {
  await f?.remove();
});

/** A new UID for an old one (the same for every file, as a consistent de-identifier would do). */
const newUid = (old: string): string =>
  `2.25.${BigInt(`0x${createHash('sha256').update(`test:${old}`).digest('hex').slice(0, 30)}`).toString()}`;

function changeUids(file: DicomFile): void {
  for (const tag of [0x00080018, 0x0020000d, 0x0020000e]) {
    const old = getString(file.dataset, tag)!;
    setStrings(file.dataset, tag, newUid(old));
  }
}

/** Re-writes the pixels uncompressed, with one sample changed when `tweak` is set. */
function rewritePixels(file: DicomFile, tweak: boolean): void {
  const { frames, description } = decodePixels(file);
  const copies = frames.map((fr) => Uint8Array.from(fr));
  if (tweak) copies[0]![0] = copies[0]![0]! ^ 0x01;
  setPixelFrames(file, copies, description);
}

describe('pairing without mapping files', () => {
  it('pairs every renamed or moved file by the right rule, with the right dataset file', async () => {
    const dir = await copyOutput(f, 'renamed');
    const files = new Map(f.key.files.map((r) => [r.sopInstanceUid, r]));
    const bySeries = new Map<string, typeof f.key.instances>();
    for (const i of f.key.instances)
      bySeries.set(i.seriesInstanceUid, [...(bySeries.get(i.seriesInstanceUid) ?? []), i]);

    // A series of at least four images with a compressed grey one: UIDs changed in every file; pixels
    // kept (stored-pixels), re-encoded (decoded-pixels) or changed (series-order).
    let target: string | undefined;
    let compressed: string | undefined;
    for (const [series, list] of bySeries) {
      if (list.length < 4 || list.some((i) => !files.get(i.sopInstanceUid)?.pixelDataMd5)) continue;
      for (const i of list) {
        const file = await readDicomFile(join(f.dataset, files.get(i.sopInstanceUid)!.outputPath));
        const ts = lookupTransferSyntax(file.transferSyntaxUid);
        if (ts?.encapsulated && getString(file.dataset, 0x00280004)?.startsWith('MONOCHROME'))
          compressed ??= i.sopInstanceUid;
      }
      if (compressed) {
        target = series;
        break;
      }
    }
    expect(target, 'a series with a compressed grey image').toBeDefined();
    // A patient with one series of two or more images: moved, UIDs and pixels changed (series order,
    // with nothing else of the patient to pair the series by).
    const lonely = [...bySeries.values()].find(
      (list) =>
        list.length >= 2 &&
        list[0]!.seriesInstanceUid !== target &&
        f.key.instances.filter((i) => i.patientId === list[0]!.patientId).length === list.length &&
        list.every((i) => files.get(i.sopInstanceUid)?.pixelDataMd5),
    )!;
    expect(lonely, 'a patient with a single series').toBeDefined();

    const expected = new Map<string, { dataset: string; rule: PairRule }>();
    // A consistent de-identifier changes a study's UID in every file of the study.
    const studies = new Set([...bySeries.get(target!)!, ...lonely].map((i) => i.studyInstanceUid));
    let n = 0;
    for (const i of f.key.instances) {
      const record = files.get(i.sopInstanceUid)!;
      const source = join(dir, record.outputPath);
      if (studies.has(i.studyInstanceUid) && i.seriesInstanceUid !== target && !lonely.includes(i)) {
        const file = await readDicomFile(source);
        setStrings(file.dataset, 0x0020000d, newUid(i.studyInstanceUid));
        await writeFile(source, writeDicom(file));
        expected.set(record.outputPath, { dataset: record.outputPath, rule: 'path' });
        continue;
      }
      const moved = `moved/${String(n++).padStart(3, '0')}/x.dcm`;
      let rule: PairRule;
      if (i.seriesInstanceUid === target) {
        const list = bySeries.get(target)!;
        const file = await readDicomFile(source);
        changeUids(file);
        if (i.sopInstanceUid === compressed) {
          rewritePixels(file, false);
          rule = 'decoded-pixels';
        } else if (i === list.find((x) => x.sopInstanceUid !== compressed)) {
          rewritePixels(file, true);
          rule = 'series-order';
        } else rule = 'stored-pixels';
        await unlink(source);
        await mkdir(dirname(join(dir, moved)), { recursive: true });
        await writeFile(join(dir, moved), writeDicom(file));
      } else if (lonely.includes(i)) {
        const file = await readDicomFile(source);
        changeUids(file);
        rewritePixels(file, true);
        rule = 'series-order';
        await unlink(source);
        await mkdir(dirname(join(dir, moved)), { recursive: true });
        await writeFile(join(dir, moved), writeDicom(file));
      } else if (n % 3 === 0) {
        // Moved, UIDs kept.
        const bytes = await readFile(source);
        await unlink(source);
        await mkdir(dirname(join(dir, moved)), { recursive: true });
        await writeFile(join(dir, moved), bytes);
        rule = 'sop-instance-uid';
      } else {
        expected.set(record.outputPath, { dataset: record.outputPath, rule: 'path' });
        continue;
      }
      expected.set(moved, { dataset: record.outputPath, rule });
    }

    const { report } = await scoreDataset({ dataset: f.dataset, deidentified: dir, ocr: false });
    const got = new Map(report.files.pairs.map((p) => [p.output, { dataset: p.dataset, rule: p.rule }]));
    expect(got).toEqual(expected);
    const rules = new Set([...expected.values()].map((e) => e.rule));
    expect([...rules].sort()).toEqual([
      'decoded-pixels',
      'path',
      'series-order',
      'sop-instance-uid',
      'stored-pixels',
    ]);
    console.log(`pairing rules: ${JSON.stringify(report.files.byRule)}`);
    expect(report.files.missing).toEqual([]);
    expect(report.files.unpaired).toEqual([]);
    // The changed UIDs are paired element by element, consistently.
    expect(report.mappings.uid).toMatchObject({ source: 'derived', inconsistent: [], collisions: [] });
    expect(report.midiB.instance.actions.uid_consistent!.failed).toBe(0);
    await rm(dir, { recursive: true });
  });

  it('reports UIDs mapped inconsistently and UIDs that collide', async () => {
    const dir = await copyOutput(f, 'inconsistent');
    const [a, b] = f.key.instances.filter(
      (i, k, all) => all.findIndex((x) => x.seriesInstanceUid === i.seriesInstanceUid) !== k,
    );
    const paths = new Map(f.key.files.map((r) => [r.sopInstanceUid, r.outputPath]));
    // a: its study gets a UID of its own (inconsistent with its series mates); b: its SOP Instance UID
    // becomes a's (two old UIDs, one new).
    const fa = await readDicomFile(join(dir, paths.get(a!.sopInstanceUid)!));
    setStrings(fa.dataset, 0x0020000d, newUid('odd study'));
    await writeFile(join(dir, paths.get(a!.sopInstanceUid)!), writeDicom(fa));
    const fb = await readDicomFile(join(dir, paths.get(b!.sopInstanceUid)!));
    setStrings(fb.dataset, 0x00080018, a!.sopInstanceUid);
    await writeFile(join(dir, paths.get(b!.sopInstanceUid)!), writeDicom(fb));
    const { report } = await scoreDataset({ dataset: f.dataset, deidentified: dir, ocr: false });
    expect(report.mappings.uid.inconsistent.map((x) => x.idOld)).toContain(a!.studyInstanceUid);
    expect(report.mappings.uid.collisions).toContainEqual({
      idNew: a!.sopInstanceUid,
      idOld: [a!.sopInstanceUid, b!.sopInstanceUid].sort(
        (x, y) =>
          f.key.instances.findIndex((i) => i.sopInstanceUid === x) -
          f.key.instances.findIndex((i) => i.sopInstanceUid === y),
      ),
    });
    await rm(dir, { recursive: true });
  });
});

describe('bad output', () => {
  it('reports a truncated file, a missing file, extra files and a missing attribute, and scores the rest', async () => {
    for (const maps of [false, true]) {
      const dir = await copyOutput(f, maps ? 'bad-maps' : 'bad');
      if (maps) await writeIdentityMappings(f, dir);
      const [truncated, missing, stripped, duplicated] = f.key.files
        .filter((r) => r.pixelDataMd5)
        .map((r) => r.outputPath);
      const bytes = await readFile(join(dir, truncated!));
      await writeFile(join(dir, truncated!), bytes.subarray(0, Math.floor(bytes.length / 2)));
      await unlink(join(dir, missing!));
      const file = await readDicomFile(join(dir, stripped!));
      file.dataset.delete(0x00100020);
      await writeFile(join(dir, stripped!), writeDicom(file));
      await mkdir(join(dir, 'extra'), { recursive: true });
      await writeFile(join(dir, 'extra', 'notes.txt'), 'not DICOM\n');
      await writeFile(join(dir, 'extra', 'copy.dcm'), await readFile(join(dir, duplicated!)));
      await writeFile(join(dir, 'extra', 'empty.dcm'), new Uint8Array(0));

      const { report } = await scoreDataset({ dataset: f.dataset, deidentified: dir, ocr: false });
      const files = report.files;
      expect(files.outputFiles).toBe(f.key.files.length - 1 + 3);
      expect(files.missing.map((m) => m.dataset).sort()).toEqual([missing, truncated].sort());
      expect(files.missing.find((m) => m.dataset === truncated)!.reason).toMatch(/unreadable/);
      expect(files.unreadable.map((u) => u.output)).toEqual(
        expect.arrayContaining([truncated, 'extra/empty.dcm', 'extra/notes.txt']),
      );
      expect(files.unpaired.map((u) => u.output).sort()).toEqual([
        'extra/copy.dcm',
        'extra/empty.dcm',
        'extra/notes.txt',
      ]);
      expect(files.unpaired.find((u) => u.output === 'extra/copy.dcm')!.reason).toMatch(/also in/);
      expect(files.missingAttributes).toEqual([{ output: stripped, attributes: ['PatientID'] }]);
      // Two instances scored as missing files: their keep checks fail, their removal checks pass.
      expect(files.paired).toBe(f.key.files.length - 1);
      const missingChecks = f.key.instances
        .filter((i) =>
          [missing, truncated].includes(
            f.key.files.find((r) => r.sopInstanceUid === i.sopInstanceUid)!.outputPath,
          ),
        )
        .flatMap((i) => i.checks);
      const keep = [
        'text_retained',
        'tag_retained',
        'text_notnull',
        'pixels_retained',
        'uid_consistent',
        'patid_consistent',
      ];
      // ... and the stripped file's keep checks of Patient ID (an absent element passes patid_consistent).
      const strippedChecks = f.key.instances
        .find((i) => f.key.files.find((r) => r.sopInstanceUid === i.sopInstanceUid)!.outputPath === stripped)!
        .checks.filter(
          (c) => c.path === '<(0010,0020)>' && keep.includes(c.action) && c.action !== 'patid_consistent',
        );
      expect(strippedChecks.length).toBeGreaterThan(0);
      const keepMissing = missingChecks.filter((c) => keep.includes(c.action)).length + strippedChecks.length;
      const t = report.midiB.instance;
      expect(
        t.actions.text_retained!.failed +
          t.actions.tag_retained!.failed +
          t.actions.text_notnull!.failed +
          t.actions.pixels_retained!.failed +
          t.actions.uid_consistent!.failed +
          t.actions.patid_consistent!.failed,
      ).toBe(keepMissing);
      await rm(dir, { recursive: true });
    }
  });
});
