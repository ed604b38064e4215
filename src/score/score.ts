/**
 * `pseudophi score`: a de-identifier's output against a dataset's answer key, with the MIDI-B metric
 * (evaluate.ts holds the per-check rules) and the checks beyond it (beyond.ts).
 *
 * Throughput (30,000 instances must take minutes): the key is read one instance at a time
 * (key-source.ts), every output file is surveyed once from its header (to pair it) and parsed and
 * indexed once in full (to score it); every check of the instance is then judged against that one index.
 * Files are read a few ahead of the one being judged, so that disk reads and OCR (in tesseract's own
 * thread) overlap the parsing. Only counts, the series table and the few consistency checks whose
 * mapping is known at the end stay in memory; discrepancy rows stream out through a callback.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkCategory, type BurnedTextRow, type Check } from '../answerkey/index.js';
import {
  decodePixels,
  initializeCodecs,
  parseDicom,
  readInputBytes,
  type DecodedPixels,
} from '../dicom/index.js';
import { ConfigError } from '../errors/index.js';
import type { Action } from '../phi/index.js';
import { silentReporter, type Reporter } from '../pipeline/reporter.js';
import { DateShiftCounter, LeakScanner, OverRemovalCounter } from './beyond.js';
import {
  evaluateCheck,
  pixelsHiddenExpected,
  pixelsHiddenText,
  toScoredFile,
  validateBurnedRemoved,
  type FrameReadings,
  type Mappings,
  type ScoredFile,
} from './evaluate.js';
import { AnswerKeySource, type KeyInstance } from '../answerkey/index.js';
import {
  majority,
  PATID_MAPPING_FILE,
  readMappingCsv,
  UID_MAPPING_FILE,
  vote,
  type MappingTable,
} from './mappings.js';
import { OcrQueue, ocrLanguagesFor } from './ocr.js';
import { surveyOutputs, type OutputFile } from './outputs.js';
import { derivePairing, pairByUidMap, type FilePair, type PairRule, type Pairing } from './pairing.js';
import type { DiscrepancyRow, FilesReport, MappingReport, ScoreReport } from './report.js';
import { ModeCounter, SeriesCounter, type Status } from './tally.js';

/** What to score and how. */
export interface ScoreOptions {
  /** The dataset folder (answer_key.db, dicom/...). */
  dataset: string;
  /** The de-identifier's output folder. */
  deidentified: string;
  /** `id_old,id_new` UID mapping (default: DIR2/uid_mapping.csv when it exists, else derived). */
  uidMap?: string | undefined;
  /** `id_old,id_new` Patient ID mapping (default: DIR2/patid_mapping.csv when it exists, else derived). */
  patidMap?: string | undefined;
  /** Headline mode of the report (both are always computed). */
  series?: boolean | undefined;
  /** Judge pixels_hidden by OCR (default true); off, those checks are blank. */
  ocr?: boolean | undefined;
  /** Files read ahead of the one being judged (default 4). */
  readAhead?: number | undefined;
  /** Receives every failed or blank check (instance mode), in the order they are judged. */
  onDiscrepancy?: ((row: DiscrepancyRow) => void) | undefined;
}

/** The mappings in force and what a scoring run learned about them. */
export interface ScoreMappings extends Mappings {
  uid: Map<string, string>;
  patientId: Map<string, string>;
}

/** A scoring run's report plus the mappings it used (to save derived ones as CSV). */
export interface ScoreResult {
  report: ScoreReport;
  mappings: ScoreMappings;
}

const NOTES = [
  'series-based mode keeps one result per (action, tag_ds, patient, study, series), a failure if any ' +
    'instance failed (the reference contract); the NCI script drops duplicate rows over all its columns, ' +
    'which also keeps apart rows that differ in action_text, file value or outcome',
  'pixels_hidden: each line the key records inside the box is read by tesseract (the script reads the ' +
    'whole box with EasyOCR); a multi-frame image is read on every frame the text was burned on and fails ' +
    'if any frame shows it (the script slices multi-frame arrays on the wrong axes and drops the check)',
  'pixels_hidden in other scripts: each line is read with the tesseract language data its script needs ' +
    '(Hangul: kor; kana: jpn; Han without kana: chi_sim and jpn, readings joined; Greek: ell; accented ' +
    'Latin: deu, spa or fra; the rest eng), where the script reads every box with English EasyOCR; ' +
    "tesseract's spaces between CJK characters are dropped, and Han, Hangul and kana are compared " +
    'character by character (the script keeps a name one NLTK token, found only when OCR reads every ' +
    'character of it right); Cyrillic, for want of a Russian data package, is read in English and its ' +
    'tokens are also found as the Latin look-alikes English OCR reads (КРЮКОВ as KPIOKOB)',
  'missing files are judged as the reference contract says (removals pass, keeps fail); the NCI script ' +
    'scores only the files it finds',
  'without mapping files, UIDs and Patient IDs are mapped to the value most of the paired files hold',
];

/** A key instance with everything read for it, waiting to be judged. */
interface Prepared {
  instance: KeyInstance;
  checks: Check[];
  pair: FilePair | undefined;
  output: OutputFile | undefined;
  scored: ScoredFile | undefined;
  /** Why a paired file could not be scored (it then counts as missing). */
  problem: string | undefined;
  /** OCR readings by check index (pixels_hidden). */
  readings: Map<number, FrameReadings>;
  /** Burned decoy lines read: true where OCR read none of the words. */
  decoysLost: boolean[];
}

/** A uid_consistent or patid_consistent check judged once the mapping is final. */
interface Deferred {
  check: Check;
  context: RowContext;
  fileValue: string | undefined;
  missing: boolean;
}

/** The identity columns of an instance's discrepancy rows and its series key. */
interface RowContext {
  modality: string;
  sopClass: string;
  patient: string;
  study: string;
  series: string;
  instance: string;
  fileName: string | null;
  outputPath: string | null;
}

const wrap = (s: string): string => `<${s}>`;

/** Lines of `rows` inside `box` (by their recorded boxes). */
function linesInside(
  rows: readonly BurnedTextRow[],
  box: { x0: number; y0: number; x1: number; y1: number },
): BurnedTextRow[] {
  return rows.filter(
    (r) => r.left >= box.x0 && r.top >= box.y0 && r.left + r.width <= box.x1 && r.top + r.height <= box.y1,
  );
}

interface BoxGeometry {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

function boxOf(check: Check): BoxGeometry | undefined {
  try {
    const b = JSON.parse(check.actionText ?? '') as { top_left?: unknown; bottom_right?: unknown };
    const text = pixelsHiddenText(check);
    const tl = b.top_left as number[] | undefined;
    const br = b.bottom_right as number[] | undefined;
    if (text === undefined || !Array.isArray(tl) || !Array.isArray(br)) return undefined;
    const [x0, y0] = tl.map(Number) as [number, number];
    const [x1, y1] = br.map(Number) as [number, number];
    if (![x0, y0, x1, y1].every(Number.isFinite) || x1 <= x0 || y1 <= y0) return undefined;
    return { x0, y0, x1, y1, text };
  } catch {
    return undefined;
  }
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Scores a de-identified folder against a dataset. */
export async function scoreDataset(
  options: ScoreOptions,
  reporter: Reporter = silentReporter,
): Promise<ScoreResult> {
  const datasetDir = resolve(options.dataset);
  const outputDir = resolve(options.deidentified);
  for (const [dir, what] of [
    [datasetDir, 'dataset'],
    [outputDir, 'de-identified'],
  ] as const)
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new ConfigError(`the ${what} folder ${dir} does not exist`);

  const key = AnswerKeySource.open(join(datasetDir, 'answer_key.db'));
  const ocr = options.ocr === false ? undefined : new OcrQueue();
  try {
    // Mapping files: given, or the ones the de-identifier left in its folder, or none (derived).
    const defaultUid = join(outputDir, UID_MAPPING_FILE);
    const defaultPatid = join(outputDir, PATID_MAPPING_FILE);
    const uidFile = options.uidMap
      ? resolve(options.uidMap)
      : existsSync(defaultUid)
        ? defaultUid
        : undefined;
    const patidFile = options.patidMap
      ? resolve(options.patidMap)
      : existsSync(defaultPatid)
        ? defaultPatid
        : undefined;
    const uidTable = uidFile ? await readMappingCsv(uidFile) : undefined;
    const patidTable = patidFile ? await readMappingCsv(patidFile) : undefined;

    const exclude = new Set([
      defaultUid,
      defaultPatid,
      ...(uidFile ? [uidFile] : []),
      ...(patidFile ? [patidFile] : []),
    ]);
    const outputs = await surveyOutputs(outputDir, exclude, reporter);
    const side = { dir: datasetDir, instances: key.instances, files: key.files };
    const pairing: Pairing = uidTable
      ? pairByUidMap(side, outputs, uidTable.map)
      : await derivePairing(side, outputs);

    const instanceCounter = new ModeCounter();
    const seriesCounter = new SeriesCounter();
    const checksByAction: Partial<Record<Action, number>> = {};
    const dates = new DateShiftCounter();
    const phi = key.phiByPatient();
    const leaks = new LeakScanner(phi);
    const overRemoval = new OverRemovalCounter();
    const deferred: Deferred[] = [];
    const uidVotes = new Map<string, Map<string, number>>();
    const patidVotes = new Map<string, Map<string, number>>();
    const scoringProblems: Array<{ output: string; problem: string }> = [];
    let discrepancies = 0;
    const needsCodecs = { done: false };

    const record = (
      check: Check,
      context: RowContext,
      status: Status,
      score: number | null,
      fileValue: string | null,
    ): void => {
      const category = checkCategory(check);
      const group = category?.group ?? 'unknown';
      const label = category?.label ?? 'unknown';
      instanceCounter.add(check.action, group, label, status);
      seriesCounter.add(check.action, check.path, context, group, label, status);
      if (status === 1) return;
      discrepancies++;
      options.onDiscrepancy?.({
        index: discrepancies - 1,
        check_passed: status === 0 ? 0 : null,
        check_score: score,
        tag_ds: check.path,
        tag_name: wrap(check.tagName),
        file_value: fileValue === null ? null : wrap(fileValue),
        answer_value: wrap(check.value),
        action: wrap(check.action),
        action_text: check.actionText === null ? null : wrap(check.actionText),
        category: group,
        subcategory: label,
        modality: wrap(context.modality),
        class: wrap(context.sopClass),
        patient: wrap(context.patient),
        study: wrap(context.study),
        series: wrap(context.series),
        instance: wrap(context.instance),
        file_name: context.fileName === null ? null : wrap(context.fileName),
      });
    };

    /** Reads, parses, indexes and OCRs one instance's output (everything that may wait on I/O). */
    const prepare = async (instance: KeyInstance): Promise<Prepared> => {
      const checks = key.checksOf(instance);
      const pair = pairing.byInstance[instance.position];
      const output = pair ? outputs[pair.output] : undefined;
      const prepared: Prepared = {
        instance,
        checks,
        pair,
        output,
        scored: undefined,
        problem: output?.problem,
        readings: new Map(),
        decoysLost: [],
      };
      if (!output || output.problem) return prepared;
      let file;
      try {
        file = parseDicom(await readInputBytes(output.absolutePath), { path: output.path });
        prepared.scored = toScoredFile(file.dataset);
      } catch (error) {
        prepared.problem = errorText(error);
        scoringProblems.push({ output: output.path, problem: prepared.problem });
        return prepared;
      }
      const burned = key.burnedText.get(instance.sopInstanceUid) ?? [];
      const hidden = checks.map((c, i) => [c, i] as const).filter(([c]) => c.action === 'pixels_hidden');
      if (!ocr || (hidden.length === 0 && !burned.some((r) => !r.phi))) return prepared;
      let pixels: DecodedPixels | undefined;
      try {
        if (!needsCodecs.done) {
          await initializeCodecs();
          needsCodecs.done = true;
        }
        pixels = decodePixels(file);
      } catch {
        for (const [, i] of hidden) prepared.readings.set(i, null);
        return prepared;
      }
      const boxes: BoxGeometry[] = [];
      for (const [check, i] of hidden) {
        const box = boxOf(check);
        if (!box) {
          prepared.readings.set(i, null);
          continue;
        }
        boxes.push(box);
        prepared.readings.set(i, await readHiddenBox(ocr, pixels, box, linesInside(burned, box)));
      }
      // Burned decoys outside every PHI box (over-removal, on the first frame drawn on): one OCR reads
      // none of its words in the output is lost, if OCR reads it in the dataset's own file.
      const seen = new Set<string>();
      const unread: BurnedTextRow[] = [];
      const readsNothing = async (p: DecodedPixels, row: BurnedTextRow): Promise<boolean | undefined> => {
        const frame = p.frames[row.frame];
        if (!frame) return true;
        try {
          const { text } = await ocr.read(frame, p.description, row, {
            singleCharacter: row.text.trim().length === 1,
            languages: ocrLanguagesFor(row.text),
          });
          return validateBurnedRemoved(text, row.text).passed === true;
        } catch {
          return undefined; // an unreadable crop says nothing about the decoy
        }
      };
      for (const row of burned) {
        if (row.phi || seen.has(`${row.block}/${row.line}`)) continue;
        seen.add(`${row.block}/${row.line}`);
        if (boxes.some((b) => linesInside([row], b).length > 0)) continue;
        const nothing = await readsNothing(pixels, row);
        if (nothing === false) prepared.decoysLost.push(false);
        else if (nothing === true) unread.push(row);
      }
      const record = key.files.get(instance.sopInstanceUid);
      if (unread.length > 0 && record) {
        let source: DecodedPixels | undefined;
        try {
          source = decodePixels(parseDicom(await readInputBytes(join(datasetDir, record.outputPath))));
        } catch {
          source = undefined;
        }
        for (const row of unread)
          if (source && (await readsNothing(source, row)) === false) prepared.decoysLost.push(true);
      }
      return prepared;
    };

    /** Judges every check of a prepared instance. */
    const judge = (p: Prepared): void => {
      const { instance, checks, output, scored } = p;
      const context: RowContext = {
        modality: scored?.values.get('<(0008,0060)>') ?? instance.modality,
        sopClass: scored?.values.get('<(0008,0016)>') ?? instance.sopClassUid,
        patient: scored ? (scored.values.get('<(0010,0020)>') ?? '') : instance.patientId,
        study: scored ? (scored.values.get('<(0020,000d)>') ?? '') : instance.studyInstanceUid,
        series: scored ? (scored.values.get('<(0020,000e)>') ?? '') : instance.seriesInstanceUid,
        instance: scored?.values.get('<(0008,0018)>') ?? instance.sopInstanceUid,
        fileName: scored && output ? (output.path.split('/').pop() ?? output.path) : null,
        outputPath: scored && output ? output.path : null,
      };
      const noMap: Mappings = { uid: new Map(), patientId: new Map() };
      const ownPhi: Array<{ text: string; kind: string | null; field: string | null }> = [];
      checks.forEach((check, i) => {
        checksByAction[check.action] = (checksByAction[check.action] ?? 0) + 1;
        const fileValue = scored?.values.get(check.path);
        if (check.action === 'text_removed' && check.actionText && !key.hasChecksTable)
          ownPhi.push({ text: check.actionText, kind: check.categories.hipaa.m, field: check.identityField });
        if (check.action === 'uid_consistent' || check.action === 'patid_consistent') {
          if (scored && fileValue !== undefined && fileValue !== '')
            vote(check.action === 'uid_consistent' ? uidVotes : patidVotes, check.value, fileValue);
          deferred.push({ check, context, fileValue, missing: !scored });
          return;
        }
        const reading = p.readings.get(i);
        const r = evaluateCheck(check, scored, noMap, reading);
        const status: Status = r.passed === null ? -1 : r.passed ? 1 : 0;
        let shown: string | null = fileValue ?? null;
        if (check.action === 'pixels_retained') shown = scored ? (scored.pixelDataMd5 ?? '') : null;
        if (check.action === 'pixels_hidden') shown = reading ? reading.join(' | ') : null;
        record(check, context, status, r.score, shown);
        if (scored) {
          if (check.action === 'date_shifted') dates.add(instance.patientId, check, fileValue);
          overRemoval.add(output!.path, check, fileValue, r.passed);
        }
      });
      for (const lost of p.decoysLost) overRemoval.addBurnedDecoy(lost);
      if (ownPhi.length) leaks.addPhi(instance.patientId, ownPhi);
      if (scored) leaks.scan(instance.patientId, output!.path, scored.values, checks);
    };

    const total = key.instances.length;
    const ahead = Math.max(1, options.readAhead ?? 4);
    const queue: Array<Promise<Prepared>> = [];
    let next = 0;
    for (let done = 0; done < total; done++) {
      while (next < total && queue.length < ahead) {
        const task = prepare(key.instances[next++]!);
        // Awaited in order below; a failure of a task further ahead must not surface as unhandled first.
        task.catch(() => undefined);
        queue.push(task);
      }
      judge(await queue.shift()!);
      if (done % 50 === 49 || done === total - 1) reporter.progress('score', done + 1, total);
    }

    // The mappings in force, then the consistency checks.
    const uidReport = mappingReport(uidTable, uidFile, uidVotes);
    const patidReport = mappingReport(patidTable, patidFile, patidVotes);
    const mappings: ScoreMappings = {
      uid: uidTable ? uidTable.map : majority(uidVotes),
      patientId: patidTable ? patidTable.map : majority(patidVotes),
    };
    for (const d of deferred) {
      const r = evaluateCheck(
        d.check,
        d.missing
          ? undefined
          : {
              values: new Map(d.fileValue === undefined ? [] : [[d.check.path, d.fileValue]]),
              pixelDataMd5: undefined,
            },
        mappings,
      );
      record(d.check, d.context, r.passed === null ? -1 : r.passed ? 1 : 0, r.score, d.fileValue ?? null);
    }

    const files = filesReport(key, outputs, pairing, scoringProblems);
    const report: ScoreReport = {
      dataset: datasetDir,
      deidentified: outputDir,
      headline: options.series ? 'series' : 'instance',
      checks: checksByAction,
      midiB: { instance: instanceCounter.report(), series: seriesCounter.report() },
      files,
      mappings: { uid: uidReport, patientId: patidReport },
      beyondMidiB: { dateShift: dates.report(), leaks: leaks.report(), overRemoval: overRemoval.report() },
      ocr: { enabled: !!ocr, boxesRead: ocr?.reads ?? 0 },
      discrepancies,
      notes: NOTES,
    };
    return { report, mappings };
  } finally {
    key.close();
    await ocr?.terminate();
  }
}

/** OCRs a pixels_hidden box on every frame its lines were burned on (frame 0 for keys without lines). */
async function readHiddenBox(
  ocr: OcrQueue,
  pixels: DecodedPixels,
  box: BoxGeometry,
  lines: readonly BurnedTextRow[],
): Promise<FrameReadings> {
  try {
    const expected = pixelsHiddenExpected(box.text);
    const frames = lines.length ? [...new Set(lines.map((l) => l.frame))].sort((a, b) => a - b) : [0];
    const readings: string[] = [];
    for (const f of frames) {
      const frame = pixels.frames[f];
      if (!frame) continue; // the output lost the frame: nothing on it can be read
      if (lines.length === 0) {
        const count = box.text.split('\n').length;
        const { text } = await ocr.read(
          frame,
          pixels.description,
          { left: box.x0, top: box.y0, width: box.x1 - box.x0, height: box.y1 - box.y0 },
          { lines: count, languages: ocrLanguagesFor(box.text) },
        );
        readings.push(text);
        continue;
      }
      const parts: string[] = [];
      const seen = new Set<string>();
      let legible = false;
      for (const line of lines) {
        if (line.frame !== f || seen.has(`${line.block}/${line.line}`)) continue;
        seen.add(`${line.block}/${line.line}`);
        const { text } = await ocr.read(frame, pixels.description, line, {
          singleCharacter: line.text.trim().length === 1,
          languages: ocrLanguagesFor(line.text),
        });
        if (!text) continue;
        parts.push(text);
        // Once some expected text is read the box fails whatever the other lines say: stop reading
        // (the partial score then counts the lines read so far).
        if (validateBurnedRemoved(parts.join(' '), expected).passed === false) {
          legible = true;
          break;
        }
      }
      readings.push(parts.join(' '));
      if (legible) break;
    }
    return readings;
  } catch {
    return null;
  }
}

function mappingReport(
  table: MappingTable | undefined,
  file: string | undefined,
  votes: ReadonlyMap<string, ReadonlyMap<string, number>>,
): MappingReport {
  const inconsistent: MappingReport['inconsistent'] = [];
  for (const [idOld, counts] of votes)
    if (counts.size > 1)
      inconsistent.push({
        idOld,
        values: [...counts]
          .map(([idNew, elements]) => ({ idNew, elements }))
          .sort((a, b) => b.elements - a.elements),
      });
  if (table)
    return {
      source: 'csv',
      file,
      entries: table.map.size,
      conflicts: table.conflicts,
      inconsistent,
      collisions: table.collisions,
    };
  const map = majority(votes);
  const byNew = new Map<string, string[]>();
  for (const [o, n] of map) {
    const list = byNew.get(n) ?? [];
    list.push(o);
    byNew.set(n, list);
  }
  return {
    source: 'derived',
    entries: map.size,
    conflicts: [],
    inconsistent,
    collisions: [...byNew].filter(([, olds]) => olds.length > 1).map(([idNew, idOld]) => ({ idNew, idOld })),
  };
}

function filesReport(
  key: AnswerKeySource,
  outputs: readonly OutputFile[],
  pairing: Pairing,
  scoringProblems: ReadonlyArray<{ output: string; problem: string }>,
): FilesReport {
  const byRule: Partial<Record<PairRule, number>> = {};
  const pairs: FilesReport['pairs'] = [];
  const missing: FilesReport['missing'] = [];
  const failedAtScoring = new Map(scoringProblems.map((p) => [p.output, p.problem]));
  for (const instance of key.instances) {
    const dataset = key.files.get(instance.sopInstanceUid)?.outputPath ?? instance.sopInstanceUid;
    const pair = pairing.byInstance[instance.position];
    if (!pair) {
      missing.push({ dataset, reason: 'no output file found for it' });
      continue;
    }
    const output = outputs[pair.output]!;
    byRule[pair.rule] = (byRule[pair.rule] ?? 0) + 1;
    pairs.push({ dataset, output: output.path, rule: pair.rule });
    const problem = output.problem ?? failedAtScoring.get(output.path);
    if (problem) missing.push({ dataset, reason: `its output ${output.path} is unreadable: ${problem}` });
  }
  const unreadable = [
    ...outputs.filter((o) => o.problem).map((o) => ({ output: o.path, problem: o.problem! })),
    ...scoringProblems,
  ].sort((a, b) => (a.output < b.output ? -1 : a.output > b.output ? 1 : 0));
  return {
    datasetInstances: key.instances.length,
    outputFiles: outputs.length,
    paired: pairs.length,
    byRule,
    pairs,
    missing,
    unpaired: pairing.unpairedOutputs.map((u) => ({ output: outputs[u.output]!.path, reason: u.reason })),
    unreadable,
    missingAttributes: outputs
      .filter((o) => !o.problem && o.missingAttributes.length > 0)
      .map((o) => ({ output: o.path, attributes: o.missingAttributes })),
    noPreamble: outputs.filter((o) => !o.problem && o.noPreamble).map((o) => o.path),
  };
}
