/**
 * A de-identifier that makes one known mistake loses exactly the checks it should (issue 5, "Done when").
 * Each test takes the oracle's output of the fixture dataset (which scores 100%), damages it the way such a
 * de-identifier would, scores it, and compares the failed checks (by dataset file, element path, action
 * and action text) and the rest of the report with the oracle's:
 *   (a) leaves one SSN            -> exactly that text_removed check fails; the leak scan finds it;
 *   (b) blanks one description    -> exactly that element's text_retained checks fail; over-removal counts
 *                                   them;
 *   (c) shifts one patient's dates inconsistently -> no MIDI-B check fails (date_shifted is a substring
 *                                   test), the date-shift consistency section flags exactly that patient;
 *   (d) reuses one UID            -> the instance whose new SOP Instance UID another already has is not found
 *                                   (its keep checks fail, as for a missing file) and the UID mapping
 *                                   reports the collision; without mapping files only the collision shows;
 *   (d') maps two series to one new Series Instance UID (an honest mapping file) -> no MIDI-B check fails,
 *                                   the collision report shows it;
 *   (e) re-encodes one image      -> same decoded pixels, other stored bytes: exactly that pixels_retained
 *                                   check fails.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerKeyInstance, Check } from '../../src/answerkey/index.js';
import { deidentify, shiftDaValue, type DeidentifySummary } from '../../src/deid/index.js';
import {
  DicomElement,
  decodePixels,
  encodeStrings,
  getString,
  indexDataset,
  initializeCodecs,
  isStringVr,
  parseDicom,
  parsePath,
  readStrings,
  resolvePath,
  setPixelFrames,
  storedPixelDataMd5,
  Tags,
  textCodecOf,
  TS,
  writeDicom,
  type DicomDataset,
  type DicomFile,
} from '../../src/dicom/index.js';
import type { Action } from '../../src/phi/index.js';
import {
  dayNumberOf,
  scoreDataset,
  type DiscrepancyRow,
  type MappingReport,
  type ScoreOptions,
  type ScoreReport,
} from '../../src/score/index.js';
import { KEEP_ACTIONS, makeFixture, type Fixture } from './fixture.js';

let f: Fixture;
let oracle: string;
let summary: DeidentifySummary;
/** The oracle's own score: every check passes. */
let base: Scored;
/** Dataset path of each instance, by old SOP Instance UID; old UID by new. */
let datasetPathOf: Map<string, string>;
let oldUidOf: Map<string, string>;

/**
 * A scoring run: the report, and its failed and blank checks, each as the JSON array
 * `[dataset file, element path, action, action text]` (sorted).
 */
interface Scored {
  report: ScoreReport;
  failed: string[];
  blank: string[];
}

const unwrap = (s: string): string => s.replace(/^<|>$/g, '');

/** One check, named by its dataset file, element path, action and action text (a JSON array). */
const checkId = (file: string, c: Pick<Check, 'path' | 'action' | 'actionText'>): string =>
  JSON.stringify([file, c.path, c.action, c.actionText]);
const partsOf = (id: string): [string, string, Action, string | null] =>
  JSON.parse(id) as [string, string, Action, string | null];
/** Checks for the test log: `file path action <action text>`, one a line. */
const show = (ids: readonly string[]): string =>
  ids.length === 0
    ? 'none'
    : ids
        .map((id) => {
          const [file, path, action, text] = partsOf(id);
          return `\n  ${file} ${path} ${action} <${text ?? ''}>`;
        })
        .join('');

/** The dataset file a discrepancy row is about (rows name the output's SOP Instance UID, or the old one). */
function rowFile(row: DiscrepancyRow): string {
  const sop = unwrap(row.instance);
  const file = datasetPathOf.get(sop) ?? datasetPathOf.get(oldUidOf.get(sop) ?? '');
  if (file === undefined) throw new Error(`no dataset file for SOP Instance UID ${sop}`);
  return file;
}

async function score(dir: string, options: Partial<ScoreOptions> = {}): Promise<Scored> {
  const rows: DiscrepancyRow[] = [];
  const { report } = await scoreDataset({
    dataset: f.dataset,
    deidentified: dir,
    onDiscrepancy: (row) => rows.push(row),
    ...options,
  });
  const ids = (wanted: DiscrepancyRow['check_passed']): string[] =>
    rows
      .filter((r) => r.check_passed === wanted)
      .map((r) =>
        checkId(rowFile(r), {
          path: r.tag_ds,
          action: unwrap(r.action) as Action,
          actionText: r.action_text === null ? null : unwrap(r.action_text),
        }),
      )
      .sort();
  return { report, failed: ids(0), blank: ids(null) };
}

/** A copy of the oracle's output to damage. */
async function copyOfOracle(name: string): Promise<string> {
  const dir = join(f.work, name);
  await cp(oracle, dir, { recursive: true });
  return dir;
}

/** Parses an output file (by its dataset path), lets `edit` change it, and writes it back. */
async function editOutput(dir: string, datasetPath: string, edit: (file: DicomFile) => void): Promise<void> {
  const path = join(dir, summary.outputPaths.get(datasetPath)!);
  const file = parseDicom(await readFile(path), { path });
  edit(file);
  await writeFile(path, writeDicom(file));
}

/** Gives the element at `path` new string values (encoded in its own VR). */
function setValues(root: DicomDataset, path: string, values: readonly string[]): void {
  const r = resolvePath(root, parsePath(path));
  if (!r) throw new Error(`${path}: no such element`);
  const { dataset, element } = r;
  dataset.put(
    new DicomElement(
      element.tag,
      element.vr,
      encodeStrings(element.vr, values, textCodecOf(dataset), element.tag),
    ),
  );
}

/** The string values of the element at `path`. */
function valuesAt(root: DicomDataset, path: string): string[] {
  const r = resolvePath(root, parsePath(path));
  if (!r) throw new Error(`${path}: no such element`);
  return readStrings(r.element, textCodecOf(r.dataset));
}

const instanceFiles = (): Array<{ rel: string; instance: AnswerKeyInstance }> =>
  f.key.instances.map((instance) => ({ rel: datasetPathOf.get(instance.sopInstanceUid)!, instance }));

const withoutFile = (m: MappingReport): Omit<MappingReport, 'file'> => {
  const { file: _file, ...rest } = m;
  return rest;
};

/**
 * The report shows exactly the `expected` failed checks, and everything else as the oracle's: no blank,
 * the same totals, the other checks of every action passing, the files paired alike (unless `pairing`
 * is false) and the same mappings (unless `mappings` is false).
 */
function expectOnly(
  s: Scored,
  expected: readonly string[],
  options: { pairing?: boolean; mappings?: boolean } = {},
): void {
  expect(s.blank).toEqual([]);
  expect(s.failed).toEqual([...expected].sort());
  const { instance, series } = s.report.midiB;
  const failedBy = new Map<string, number>();
  for (const id of expected) {
    const [, , action] = partsOf(id);
    failedBy.set(action, (failedBy.get(action) ?? 0) + 1);
  }
  for (const [action, t] of Object.entries(base.report.midiB.instance.actions)) {
    const failed = failedBy.get(action) ?? 0;
    expect(instance.actions[action as Action], action).toMatchObject({
      total: t.total,
      failed,
      blank: 0,
      passed: t.total - failed,
    });
  }
  // Series-based: every failure is of one instance, so one failed result per (action, path).
  const groups = new Set(expected.map((id) => partsOf(id).slice(1, 3).join(' ')));
  expect(series.overall.failed).toBe(groups.size);
  expect(series.overall.blank).toBe(0);
  if (options.pairing !== false) {
    expect(series.overall.total).toBe(base.report.midiB.series.overall.total);
    expect(s.report.files).toEqual(base.report.files);
  }
  if (options.mappings !== false) {
    expect(withoutFile(s.report.mappings.uid)).toEqual(withoutFile(base.report.mappings.uid));
    expect(withoutFile(s.report.mappings.patientId)).toEqual(withoutFile(base.report.mappings.patientId));
  }
}

beforeAll(async () => {
  f = await makeFixture();
  oracle = join(f.work, 'oracle');
  summary = await deidentify({ input: f.dataset, out: oracle, mode: 'oracle' });
  datasetPathOf = new Map(f.key.files.map((file) => [file.sopInstanceUid, file.outputPath]));
  oldUidOf = new Map([...summary.mappings.uid].map(([o, n]) => [n, o]));
  await initializeCodecs();
  base = await score(oracle);
}, 120_000);

afterAll(async () => {
  await f?.remove();
});

describe('a de-identifier that makes one known mistake', () => {
  it('the oracle it starts from passes every check, with nothing leaked, over-removed or shifted unevenly', () => {
    expect(base.failed).toEqual([]);
    expect(base.blank).toEqual([]);
    expect(base.report.midiB.instance.overall.score).toBe(1);
    expect(base.report.midiB.series.overall.score).toBe(1);
    expect(base.report.midiB.instance.actions.pixels_hidden!.passed).toBeGreaterThan(0);
    const { dateShift, leaks, overRemoval } = base.report.beyondMidiB;
    expect(dateShift).toMatchObject({ consistent: true, removed: 0, unparseable: 0 });
    expect(leaks.hits).toBe(0);
    expect(overRemoval.cleanTextLost).toEqual({ absent: 0, emptied: 0, changed: 0 });
    expect(overRemoval.pixelsChanged).toBe(0);
  });

  it('(a) leaves one SSN: exactly its text_removed check fails, and the leak scan finds it', async () => {
    // An element whose only removal check is an SSN (HIPAA G): its other checks keep text, which the
    // original value passes too.
    const target = instanceFiles()
      .flatMap(({ rel, instance }) =>
        instance.checks
          .filter((c) => c.action === 'text_removed' && c.phiKind === 'G')
          .map((ssn) => ({ rel, instance, ssn, others: instance.checks.filter((c) => c.path === ssn.path) })),
      )
      .find(({ ssn, others }) =>
        others.every(
          (c) => c === ssn || ['text_retained', 'tag_retained', 'text_notnull'].includes(c.action),
        ),
      );
    expect(target, 'an element whose only removal check is an SSN').toBeDefined();
    const { rel, ssn } = target!;
    const original = valuesAt(parseDicom(await readFile(join(f.dataset, rel))).dataset, ssn.path);
    expect(original.join('\\')).toContain(ssn.actionText);

    const dir = await copyOfOracle('leaves-ssn');
    await editOutput(dir, rel, (file) => {
      expect(valuesAt(file.dataset, ssn.path).join('\\')).not.toContain(ssn.actionText);
      setValues(file.dataset, ssn.path, original);
    });
    const s = await score(dir);
    console.info(`(a) ${rel} ${ssn.path} ${JSON.stringify(original)} -> failed: ${show(s.failed)}`);

    expectOnly(s, [checkId(rel, ssn)]);
    const { dateShift, leaks, overRemoval } = s.report.beyondMidiB;
    expect(dateShift).toEqual(base.report.beyondMidiB.dateShift);
    expect(overRemoval).toEqual(base.report.beyondMidiB.overRemoval);
    expect(leaks).toMatchObject({
      hits: 1,
      unnamedHits: 0,
      filesWithLeaks: 1,
      leakedValues: 1,
      byKind: { G: 1 },
    });
    expect(leaks.examples).toEqual([
      {
        file: summary.outputPaths.get(rel),
        path: ssn.path,
        phi: ssn.actionText,
        kind: 'G',
        field: ssn.identityField,
        named: true,
      },
    ]);
  });

  it('(b) blanks one description: exactly its text_retained checks fail, counted as over-removal', async () => {
    // A Series Description with clean text and, where the fixture has one, a decoy.
    const path = '<(0008,103e)>';
    const candidates = instanceFiles().filter(({ instance }) =>
      instance.checks.some((c) => c.path === path && c.action === 'text_retained'),
    );
    const target =
      candidates.find(({ instance }) => instance.checks.some((c) => c.path === path && c.isDecoy)) ??
      candidates[0];
    expect(target, 'an instance with a kept Series Description').toBeDefined();
    const { rel, instance } = target!;
    const lost = instance.checks.filter(
      (c) => c.path === path && (c.action === 'text_retained' || c.action === 'text_notnull'),
    );

    const dir = await copyOfOracle('blanks-description');
    await editOutput(dir, rel, (file) => setValues(file.dataset, path, []));
    const s = await score(dir);
    console.info(`(b) ${rel} ${path} emptied -> failed: ${show(s.failed)}`);

    expectOnly(
      s,
      lost.map((c) => checkId(rel, c)),
    );
    const { dateShift, leaks, overRemoval } = s.report.beyondMidiB;
    expect(dateShift).toEqual(base.report.beyondMidiB.dateShift);
    expect(leaks).toEqual(base.report.beyondMidiB.leaks);
    const decoys = lost.filter((c) => c.action === 'text_retained' && c.isDecoy);
    const clean = lost.filter((c) => c.action === 'text_retained' && !c.isDecoy);
    expect(clean.length).toBeGreaterThan(0);
    expect(overRemoval).toEqual({
      ...base.report.beyondMidiB.overRemoval,
      cleanTextLost: { absent: 0, emptied: clean.length, changed: 0 },
      decoysLost: { absent: 0, emptied: decoys.length, changed: 0 },
      examples: [...decoys, ...clean].map((c) => ({
        file: summary.outputPaths.get(rel),
        path,
        expected: c.actionText,
        found: '',
        decoy: c.isDecoy,
      })),
    });
  });

  it("(c) shifts one patient's dates inconsistently: no MIDI-B check fails, date-shift consistency flags that patient", async () => {
    // One Study Date of one patient moved by another offset than the patient's other dates.
    const path = '<(0008,0020)>';
    const { rel, instance } = instanceFiles().find(({ instance }) =>
      instance.checks.some((c) => c.path === path && c.action === 'date_shifted'),
    )!;
    const patient = instance.patientId;
    const offset = summary.mappings.dateOffsets.get(patient)!;
    const others = new Set(
      [...summary.mappings.dateOffsets].filter(([p]) => p !== patient).map(([, d]) => d),
    );
    let delta = 1;
    while (others.has(offset + delta) || offset + delta === 0) delta++;
    const dates = f.key.instances
      .filter((i) => i.patientId === patient)
      .flatMap((i) => i.checks)
      .filter((c) => c.action === 'date_shifted' && dayNumberOf(c.value) !== undefined).length;
    expect(dates).toBeGreaterThan(1);

    const dir = await copyOfOracle('shifts-unevenly');
    await editOutput(dir, rel, (file) => {
      const [shifted] = valuesAt(file.dataset, path);
      setValues(file.dataset, path, [shiftDaValue(shifted!, delta)!]);
    });
    const s = await score(dir);
    console.info(
      `(c) ${rel} ${path} moved ${delta} day(s) more than patient ${patient}'s other ${dates - 1} dates ` +
        `-> failed: ${show(s.failed)}; inconsistent: ${JSON.stringify(s.report.beyondMidiB.dateShift.inconsistent)}`,
    );

    expectOnly(s, []);
    const { dateShift, leaks, overRemoval } = s.report.beyondMidiB;
    expect(leaks).toEqual(base.report.beyondMidiB.leaks);
    expect(overRemoval).toEqual(base.report.beyondMidiB.overRemoval);
    expect(dateShift).toEqual({
      ...base.report.beyondMidiB.dateShift,
      consistentPatients: base.report.beyondMidiB.dateShift.consistentPatients - 1,
      inconsistent: [
        {
          patient,
          offsets: [
            { days: offset, elements: dates - 1 },
            { days: offset + delta, elements: 1 },
          ],
        },
      ],
      consistent: false,
    });
  });

  it("(d) reuses one UID: the instance given another one's new SOP Instance UID is lost, and the collision is reported", async () => {
    // Two instances of one series; the second in file order (`b`) gets the first's new SOP Instance UID
    // everywhere the de-identifier writes b's UID (its own file, its file meta, references to it) and in
    // the de-identifier's uid_mapping.csv: an honest mapping file with a collision in it.
    const series = new Map<string, Array<{ rel: string; instance: AnswerKeyInstance }>>();
    for (const x of instanceFiles())
      series.set(x.instance.seriesInstanceUid, [...(series.get(x.instance.seriesInstanceUid) ?? []), x]);
    const outputOf = (rel: string): string => summary.outputPaths.get(rel)!;
    const pick = [...series.values()]
      .map((list) => list.sort((x, y) => (outputOf(x.rel) < outputOf(y.rel) ? -1 : 1)))
      .map((list) => ({
        a: list[0]!,
        b: list
          .slice(1)
          .find(
            ({ instance }) =>
              instance.checks.some((c) => c.action === 'pixels_retained') &&
              !instance.checks.some((c) => c.action === 'pixels_hidden'),
          ),
      }))
      .find((p) => p.b !== undefined);
    expect(pick, 'a series with two instances, the second with untouched pixels').toBeDefined();
    const { a, b } = pick as { a: { rel: string; instance: AnswerKeyInstance }; b: typeof a };
    const oldA = a.instance.sopInstanceUid;
    const oldB = b.instance.sopInstanceUid;
    const reused = summary.mappings.uid.get(oldA)!;
    const own = summary.mappings.uid.get(oldB)!;

    const dir = await copyOfOracle('reuses-uid');
    const rewritten: string[] = [];
    for (const { rel } of instanceFiles()) {
      const path = join(dir, outputOf(rel));
      const file = parseDicom(await readFile(path), { path });
      const paths = indexDataset(file.dataset)
        .filter((row) => isStringVr(row.vr) && !row.element.items && row.value === own)
        .map((row) => row.pathText);
      if (paths.length === 0) continue;
      for (const p of paths) setValues(file.dataset, p, [reused]);
      if (rel === b.rel) setValues(file.meta, '<(0002,0003)>', [reused]);
      await writeFile(path, writeDicom(file));
      rewritten.push(...paths.map((p) => `${rel} ${p}`));
    }
    expect(rewritten).toContain(`${b.rel} <(0008,0018)>`);
    const csv = join(dir, 'uid_mapping.csv');
    const text = await readFile(csv, 'utf8');
    expect(text).toContain(`\n${oldB},${own}\n`);
    await writeFile(csv, text.replace(`\n${oldB},${own}\n`, `\n${oldB},${reused}\n`));

    // With the mapping files (the MIDI-B way): b's file is not found (a's has its UID), so b counts as
    // missing: every keep check of b fails, its removal checks pass; nothing else changes.
    const s = await score(dir);
    const lost = b.instance.checks
      .filter((c) => KEEP_ACTIONS.includes(c.action))
      .map((c) => checkId(b.rel, c));
    console.info(
      `(d) ${b.rel} given ${a.rel}'s new SOP Instance UID (also in ${rewritten.length - 1} references) -> ` +
        `${s.failed.length} checks of ${b.rel} failed, by action ${JSON.stringify(
          Object.fromEntries(
            Object.entries(s.report.midiB.instance.actions)
              .filter(([, t]) => t.failed > 0)
              .map(([action, t]) => [action, t.failed]),
          ),
        )}`,
    );
    expect(lost.length).toBeGreaterThan(0);
    expectOnly(s, lost, { pairing: false, mappings: false });
    expect(s.report.files.paired).toBe(f.key.instances.length - 1);
    expect(s.report.files.missing).toEqual([{ dataset: b.rel, reason: 'no output file found for it' }]);
    expect(s.report.files.unpaired).toEqual([
      { output: outputOf(b.rel), reason: `SOP Instance UID ${reused} also in ${outputOf(a.rel)}` },
    ]);
    expect(s.report.mappings.uid).toMatchObject({
      source: 'csv',
      conflicts: [],
      inconsistent: [],
      collisions: [{ idNew: reused, idOld: [oldA, oldB].sort() }],
    });
    expect(withoutFile(s.report.mappings.patientId)).toEqual(withoutFile(base.report.mappings.patientId));
    // Beyond MIDI-B: b is not looked at (no dates measured, no file scanned, no kept text counted), and
    // nothing else changes.
    const bChecks = b.instance.checks;
    const { dateShift, leaks, overRemoval } = s.report.beyondMidiB;
    const baseBeyond = base.report.beyondMidiB;
    expect(dateShift).toEqual({
      ...baseBeyond.dateShift,
      elements:
        baseBeyond.dateShift.elements -
        bChecks.filter((c) => c.action === 'date_shifted' && dayNumberOf(c.value) !== undefined).length,
    });
    expect(leaks).toEqual({ ...baseBeyond.leaks, files: baseBeyond.leaks.files - 1 });
    const retained = bChecks.filter((c) => c.action === 'text_retained');
    expect(overRemoval).toEqual({
      ...baseBeyond.overRemoval,
      cleanTextChecks: baseBeyond.overRemoval.cleanTextChecks - retained.filter((c) => !c.isDecoy).length,
      decoyChecks: baseBeyond.overRemoval.decoyChecks - retained.filter((c) => c.isDecoy).length,
    });

    // Without mapping files: every file pairs (b by its pixels) and every UID check passes against the
    // mapping derived from the files, which maps both old UIDs to one new UID: only the collision report
    // shows the mistake.
    const bare = join(f.work, 'reuses-uid-bare');
    await cp(join(dir, 'dicom'), join(bare, 'dicom'), { recursive: true });
    const d = await score(bare, { ocr: false });
    expect(d.report.files.paired).toBe(f.key.instances.length);
    expect(d.report.files.pairs.find((p) => p.dataset === b.rel)).toEqual({
      dataset: b.rel,
      output: outputOf(b.rel),
      rule: 'stored-pixels',
    });
    expect(d.failed).toEqual([]);
    expect(d.report.mappings.uid).toMatchObject({
      source: 'derived',
      inconsistent: [],
      collisions: [{ idNew: reused, idOld: expect.arrayContaining([oldA, oldB]) as unknown }],
    });
    expect(d.report.mappings.uid.collisions[0]!.idOld).toHaveLength(2);
  });

  it("(d') maps two old Series Instance UIDs to one new UID: every MIDI-B check passes, the collision is reported", async () => {
    // Two series of one study (the fixture's MR study has four): the second's files get the first's new
    // Series Instance UID, and the mapping file says so. The files are all found (their SOP Instance UIDs
    // are their own), every uid_consistent check agrees with the mapping file: the MIDI-B metric cannot
    // see this mistake; the collision report does. Series-based, the two series are one.
    const studies = new Map<string, string[]>();
    for (const { instance } of instanceFiles()) {
      const list = studies.get(instance.studyInstanceUid) ?? [];
      if (!list.includes(instance.seriesInstanceUid)) list.push(instance.seriesInstanceUid);
      studies.set(instance.studyInstanceUid, list);
    }
    const pair = [...studies.values()].find((list) => list.length >= 2)?.sort();
    expect(pair, 'a study with two series').toBeDefined();
    const [first, second] = pair as [string, string];
    const reused = summary.mappings.uid.get(first)!;
    const own = summary.mappings.uid.get(second)!;

    const dir = await copyOfOracle('reuses-series-uid');
    let rewritten = 0;
    for (const { rel } of instanceFiles()) {
      const path = join(dir, summary.outputPaths.get(rel)!);
      const file = parseDicom(await readFile(path), { path });
      const paths = indexDataset(file.dataset)
        .filter((row) => isStringVr(row.vr) && !row.element.items && row.value === own)
        .map((row) => row.pathText);
      for (const p of paths) setValues(file.dataset, p, [reused]);
      if (paths.length) await writeFile(path, writeDicom(file));
      rewritten += paths.length;
    }
    const csv = join(dir, 'uid_mapping.csv');
    const text = await readFile(csv, 'utf8');
    expect(text).toContain(`\n${second},${own}\n`);
    await writeFile(csv, text.replace(`\n${second},${own}\n`, `\n${second},${reused}\n`));

    const s = await score(dir);
    console.info(
      `(d') series ${second} given the new UID of series ${first} in ${rewritten} elements -> failed: ` +
        `${show(s.failed)}; collisions: ${JSON.stringify(s.report.mappings.uid.collisions)}`,
    );
    expect(rewritten).toBeGreaterThan(0);
    expect(s.blank).toEqual([]);
    expect(s.failed).toEqual([]);
    expect(s.report.midiB.instance.overall).toEqual(base.report.midiB.instance.overall);
    expect(s.report.midiB.series.overall.failed).toBe(0);
    expect(s.report.midiB.series.overall.total).toBeLessThan(base.report.midiB.series.overall.total);
    expect(s.report.files.pairs).toEqual(base.report.files.pairs);
    expect(s.report.mappings.uid).toMatchObject({
      source: 'csv',
      conflicts: [],
      inconsistent: [],
      collisions: [{ idNew: reused, idOld: [first, second] }],
    });
    expect(s.report.beyondMidiB).toEqual(base.report.beyondMidiB);
  });

  it('(e) re-encodes one image losslessly: exactly its pixels_retained check fails', async () => {
    // An image the key asks to keep byte for byte, stored uncompressed, rewritten as RLE.
    let target: { rel: string; check: Check } | undefined;
    for (const { rel, instance } of instanceFiles()) {
      const check = instance.checks.find((c) => c.action === 'pixels_retained');
      if (!check || instance.checks.some((c) => c.action === 'pixels_hidden')) continue;
      const file = parseDicom(await readFile(join(oracle, summary.outputPaths.get(rel)!)));
      if (file.transferSyntaxUid === TS.ExplicitVRLittleEndian) {
        target = { rel, check };
        break;
      }
    }
    expect(target, 'an uncompressed image with a pixels_retained check').toBeDefined();
    const { rel, check } = target!;
    const before = parseDicom(await readFile(join(oracle, summary.outputPaths.get(rel)!)));
    const decodedBefore = decodePixels(before);

    const dir = await copyOfOracle('re-encodes');
    await editOutput(dir, rel, (file) => {
      const { frames, description } = decodePixels(file);
      setPixelFrames(file, frames, description, TS.RLELossless);
    });
    const after = parseDicom(await readFile(join(dir, summary.outputPaths.get(rel)!)));
    expect(after.transferSyntaxUid).toBe(TS.RLELossless);
    expect(getString(after.meta, Tags.TransferSyntaxUID)).toBe(TS.RLELossless);
    const decodedAfter = decodePixels(after);
    expect(decodedAfter.description).toEqual(decodedBefore.description);
    expect(decodedAfter.frames.map((fr) => Buffer.from(fr))).toEqual(
      decodedBefore.frames.map((fr) => Buffer.from(fr)),
    );
    expect(storedPixelDataMd5(after.dataset)).not.toBe(storedPixelDataMd5(before.dataset));
    expect(storedPixelDataMd5(before.dataset)).toBe(check.actionText);

    const s = await score(dir);
    console.info(`(e) ${rel} re-encoded as RLE -> failed: ${show(s.failed)}`);
    expectOnly(s, [checkId(rel, check)]);
    const { dateShift, leaks, overRemoval } = s.report.beyondMidiB;
    expect(dateShift).toEqual(base.report.beyondMidiB.dateShift);
    expect(leaks).toEqual(base.report.beyondMidiB.leaks);
    expect(overRemoval).toEqual({ ...base.report.beyondMidiB.overRemoval, pixelsChanged: 1 });
  });
});
