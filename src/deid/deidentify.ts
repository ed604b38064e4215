/**
 * `deidentify DIR --out DIR2 --mode oracle|none`: the reference de-identifiers (issue 5).
 *
 * `oracle` is the perfect de-identification the answer key describes: it changes exactly what the
 * checks ask (src/deid/plan.ts) and nothing else, hides burned-in text, and writes the UID and Patient ID
 * mappings the MIDI-B script reads. `none` copies every file byte for byte and writes identity
 * mappings: the do-nothing baseline. Both then score their own output with the MIDI-B metric
 * (src/score/evaluate.ts), so a check the oracle cannot pass (a defect of the key) is reported with the
 * value it was judged against.
 *
 * Where outputs go: `none` keeps every file at its path in DIR. The oracle leaves no identifier in a
 * path either: it writes each de-identified instance to `DIR2/dicom/<PatientID>/<StudyInstanceUID>/
 * <SeriesInstanceUID>/<file name>`, with the values it wrote into the file (the new ones), as the dataset
 * lays out the old; files it cannot match with the key are copied unchanged to their own path. Files are
 * written to a staging folder first and moved into place in file order once all are done, so that two
 * files meeting at one name are told apart the same way in every run (`_2`, `_3`, ... before the
 * extension).
 *
 * The input is only read; DIR2 must be new or empty, and outside DIR. Every output appears atomically.
 */
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import {
  ANSWER_KEY_FILE,
  normalizeScorerText,
  readAnswerKey,
  tokensOf,
  type AnswerKey,
  type AnswerKeyInstance,
  type Check,
} from '../answerkey/index.js';
import {
  initializeCodecs,
  needsCodecs,
  parseDicom,
  readDicomHeader,
  readInputBytes,
  getString,
  Tags,
  writeDicom,
  type DicomDataset,
  writeFileAtomic,
} from '../dicom/index.js';
import { PseudophiError } from '../errors/index.js';
import { ACTIONS, type Action } from '../phi/index.js';
import { evaluateCheck, toScoredFile, type ScoredFile } from '../score/evaluate.js';
import { applyInstanceDeid } from './apply.js';
import { compareCodeUnits } from './dates.js';
import { DeidentifyError } from './errors.js';
import {
  collectKeyIdentifiers,
  planIdentityMappings,
  planOracleMappings,
  toMappingCsv,
  type DeidMappings,
} from './mappings.js';
import { planInstanceDeid } from './plan.js';

/** The reference de-identifiers. */
export const DEID_MODES = ['oracle', 'none'] as const;
/** One reference de-identifier. */
export type DeidMode = (typeof DEID_MODES)[number];

/** The mapping files the MIDI-B script reads, written into DIR2. */
export const UID_MAPPING_FILE = 'uid_mapping.csv';
export const PATIENT_ID_MAPPING_FILE = 'patid_mapping.csv';

/** The seed of the oracle's new UIDs, Patient IDs and date offsets when none is given. */
export const DEFAULT_DEID_SEED = '1';

/** Options of a run. */
export interface DeidentifyOptions {
  /** Dataset directory (answer_key.db, dicom/...). Only read. */
  input: string;
  /** Output directory: new or empty, outside the input. */
  out: string;
  mode: DeidMode;
  /** Seed of the oracle's new identifiers and date offsets (default DEFAULT_DEID_SEED). */
  seed?: string;
  /** Files in flight at once (default 2). */
  concurrency?: number;
}

/** Progress and warnings (the shape of pipeline/reporter.ts's Reporter, which the CLI supplies). */
export interface DeidReporter {
  progress(stage: string, done: number, total: number): void;
  warn(message: string): void;
}

const silent: DeidReporter = { progress: () => undefined, warn: () => undefined };

/** A file that could not be de-identified (or a note on one), by its path relative to DIR. */
export interface FileProblem {
  file: string;
  /** The element path, for problems of one element. */
  path?: string;
  problem: string;
}

/** A check the output does not pass under the MIDI-B metric. */
export interface CheckFailure {
  file: string;
  sopInstanceUid: string;
  path: string;
  action: Action;
  value: string;
  actionText: string | null;
  /** The element's value in the output as the script prints it; undefined when absent or no file. */
  outputValue: string | undefined;
  /** Why it fails: the PHI tokens left, the kept tokens lost, or the output file missing. */
  detail: string;
}

/** Checks of one action, by outcome. */
export interface ActionTally {
  total: number;
  passed: number;
  failed: number;
  /** Checks the metric does not judge without OCR (pixels_hidden). */
  notJudged: number;
}

/** What a run did. */
export interface DeidentifySummary {
  mode: DeidMode;
  /** Files written into DIR2 (edited or copied). */
  files: number;
  /** Files whose content the oracle changed. */
  edited: number;
  /** Files copied byte for byte. */
  copied: number;
  /** Files that could not be read, de-identified or written. */
  errors: FileProblem[];
  /** Places where the oracle could not do what the key asks (see also `failures`). */
  notes: FileProblem[];
  /** The output scored against the key with the MIDI-B metric, by action. */
  checks: Record<Action, ActionTally>;
  /** Every check the output fails, in file and check order. */
  failures: CheckFailure[];
  mappings: DeidMappings;
  /** Where each file written went: its path in DIR -> its path in DIR2, in file order. */
  outputPaths: Map<string, string>;
}

/** One file of the run: its path relative to DIR and its key instance, if it has one. */
interface FileJob {
  rel: string;
  instance: AnswerKeyInstance | undefined;
}

/** Names at the top of a dataset directory that are not DICOM files. */
const NON_DICOM = new Set([
  ANSWER_KEY_FILE,
  'manifest.json',
  'rejects.json',
  'report.html',
  UID_MAPPING_FILE,
  PATIENT_ID_MAPPING_FILE,
]);

/** Every regular file under `dir/sub`, relative to `dir`, `/`-separated, sorted; dot files skipped. */
async function listFiles(dir: string, sub: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (relDir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(dir, relDir), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && relDir === sub) return;
      throw error;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const rel = relDir === '' ? e.name : `${relDir}/${e.name}`;
      if (e.isDirectory()) await walk(rel);
      else if (e.isFile() && !(relDir === '' && NON_DICOM.has(e.name))) out.push(rel);
    }
  };
  await walk(sub);
  return out.sort(compareCodeUnits);
}

const PATIENT_ID = 0x00100020;
const STUDY_INSTANCE_UID = 0x0020000d;
const SERIES_INSTANCE_UID = 0x0020000e;

/** The oracle's staging folder inside DIR2 (a dot folder: never taken for output, removed at the end). */
const STAGING = '.pseudophi-staging';

/**
 * A value as one folder name: characters other than letters, digits, `.`, `_` and `-` become `_` (a
 * Patient ID may hold `/` or `:`), a leading dot too (no hidden folders); an absent or empty value is `_`.
 */
export function pathComponent(value: string | undefined): string {
  const v = (value ?? '')
    .trim()
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\./, '_');
  return v === '' ? '_' : v;
}

/**
 * Where the oracle writes a de-identified instance: `dicom/<PatientID>/<StudyInstanceUID>/
 * <SeriesInstanceUID>/<the input's file name>`, from the values of the de-identified data set.
 */
export function oracleOutputPath(dataset: DicomDataset, inputPath: string): string {
  const value = (tag: number): string | undefined => {
    try {
      return getString(dataset, tag);
    } catch {
      return undefined; // a value the VR rules refuse names no folder
    }
  };
  return [
    'dicom',
    pathComponent(value(PATIENT_ID)),
    pathComponent(value(STUDY_INSTANCE_UID)),
    pathComponent(value(SERIES_INSTANCE_UID)),
    basename(inputPath),
  ].join('/');
}

/**
 * The path a file gets: `wanted`, or with `_2`, `_3`, ... before the extension when an earlier file has
 * it (compared without case, for file systems that ignore it). Claims it in `claimed`.
 */
function claimPath(wanted: string, claimed: Set<string>): string {
  let path = wanted;
  const ext = extname(wanted);
  const stem = wanted.slice(0, wanted.length - ext.length);
  for (let k = 2; claimed.has(path.toLowerCase()); k++) path = `${stem}_${k}${ext}`;
  claimed.add(path.toLowerCase());
  return path;
}

/** Refuses an output folder that is inside the input or holds files; creates it when missing. */
async function prepareOutput(input: string, out: string): Promise<void> {
  const rel = relative(resolve(input), resolve(out));
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel)))
    throw new DeidentifyError(
      `output folder ${out} is inside the input ${input}; the input is never written to`,
    );
  await mkdir(out, { recursive: true });
  const entries = (await readdir(out)).filter((e) => !e.startsWith('.'));
  if (entries.length > 0)
    throw new DeidentifyError(`output folder ${out} is not empty; choose a new one`, out);
}

/** Reads the answer key, naming the file in every error. */
function loadKey(input: string): AnswerKey {
  const path = join(input, ANSWER_KEY_FILE);
  try {
    return readAnswerKey(path);
  } catch (error) {
    if (error instanceof PseudophiError) throw error;
    throw new DeidentifyError(`cannot read the answer key (${(error as Error).message})`, path);
  }
}

/** A key path as a safe relative path inside DIR (no `..`, not absolute). */
function safeRelative(path: string): string | undefined {
  const n = normalize(path).split(sep).join('/');
  return n === '' || n.startsWith('../') || n === '..' || isAbsolute(n) ? undefined : n;
}

/** Why a check fails against its output value, in words. */
function failureDetail(check: Check, scored: ScoredFile | undefined, mappings: DeidMappings): string {
  if (!scored) return 'output file missing';
  const value = scored.values.get(check.path);
  const v = normalizeScorerText(value ?? '');
  switch (check.action) {
    case 'text_removed': {
      const text = check.actionText ?? '';
      if (v.includes(normalizeScorerText(text))) return 'the PHI text is still in the value';
      const left = tokensOf(text).filter((t) => v.includes(t));
      return `PHI token(s) ${left.map((t) => JSON.stringify(t)).join(', ')} left in the value`;
    }
    case 'text_retained': {
      if (value === undefined) return 'the element is gone';
      const lost = tokensOf(check.actionText ?? '').filter((t) => !v.includes(t));
      return lost.length
        ? `kept token(s) ${lost.map((t) => JSON.stringify(t)).join(', ')} lost`
        : 'kept text lost';
    }
    case 'uid_consistent':
      return `value is not the mapped UID ${mappings.uid.get(check.value) ?? '(unmapped)'}`;
    case 'patid_consistent':
      return `value is not the mapped Patient ID ${mappings.patientId.get(check.value) ?? '(unmapped)'}`;
    case 'date_shifted':
    case 'uid_changed':
      return 'the old value is still in the value';
    default:
      return value === undefined ? 'the element is gone' : 'the element is empty or changed';
  }
}

/** Runs `fn` over the items with at most `limit` in flight; results in item order. */
async function runPool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** What one file produced. */
interface FileOutcome {
  written: boolean;
  /** Oracle: the path in DIR2 the staged file is to get (before telling apart files meeting there). */
  target: string | undefined;
  edited: boolean;
  errors: FileProblem[];
  notes: FileProblem[];
  scored: ScoredFile | undefined;
}

/** De-identifies a dataset directory into `out`. Throws only when nothing can be done (no key, bad out). */
export async function deidentify(
  options: DeidentifyOptions,
  reporter: DeidReporter = silent,
): Promise<DeidentifySummary> {
  const { input, out, mode } = options;
  if (!(DEID_MODES as readonly string[]).includes(mode))
    throw new DeidentifyError(`unknown mode ${JSON.stringify(mode)}; use oracle or none`);
  const inputStat = await stat(input).catch(() => undefined);
  if (!inputStat?.isDirectory()) throw new DeidentifyError('not a dataset directory', input);
  const key = loadKey(input);
  await prepareOutput(input, out);

  // Files: those the key lists, then any other file of the dataset (a key without a files table lists
  // none, so the whole directory is scanned and files are matched by SOP Instance UID).
  const instances = new Map(key.instances.map((i) => [i.sopInstanceUid, i]));
  const jobs: FileJob[] = [];
  const errors: FileProblem[] = [];
  const listed = new Set<string>();
  const matched = new Set<string>();
  for (const f of key.files) {
    const rel = safeRelative(f.outputPath);
    if (!rel) {
      errors.push({ file: f.outputPath, problem: 'the key names a path outside the dataset directory' });
      continue;
    }
    listed.add(rel);
    matched.add(f.sopInstanceUid);
    jobs.push({ rel, instance: instances.get(f.sopInstanceUid) });
  }
  const extraSops: string[] = [];
  for (const rel of await listFiles(input, key.files.length > 0 ? 'dicom' : '')) {
    if (listed.has(rel)) continue;
    let sop: string | undefined;
    try {
      sop = getString(
        (await readDicomHeader(join(input, rel), { displayPath: rel })).dataset,
        Tags.SOPInstanceUID,
      );
    } catch (error) {
      if (mode === 'none') jobs.push({ rel, instance: undefined });
      else errors.push({ file: rel, problem: `not readable as DICOM (${(error as Error).message})` });
      continue;
    }
    const instance = sop !== undefined && !matched.has(sop) ? instances.get(sop) : undefined;
    if (instance) matched.add(instance.sopInstanceUid);
    else {
      if (sop !== undefined) extraSops.push(sop);
      if (key.files.length > 0) reporter.warn(`${rel}: not in the answer key; copied unchanged`);
    }
    jobs.push({ rel, instance });
  }
  jobs.sort((a, b) => compareCodeUnits(a.rel, b.rel));
  for (const instance of key.instances)
    if (!matched.has(instance.sopInstanceUid))
      errors.push({ file: instance.sopInstanceUid, problem: 'instance of the answer key has no file' });

  const ids = collectKeyIdentifiers(key, extraSops);
  const mappings =
    mode === 'oracle'
      ? planOracleMappings(ids, options.seed ?? DEFAULT_DEID_SEED)
      : planIdentityMappings(ids);
  let codecs: Promise<boolean> | undefined;

  // The oracle writes into a staging folder and moves files into place once their paths are known.
  const staging = mode === 'oracle' ? join(out, STAGING) : undefined;
  if (staging) await rm(staging, { recursive: true, force: true });
  const stagedPath = (index: number): string => join(staging!, `${index}.dcm`);

  let done = 0;
  const outcomes = await runPool(jobs, options.concurrency ?? 2, async (job, index): Promise<FileOutcome> => {
    const outcome: FileOutcome = {
      written: false,
      target: undefined,
      edited: false,
      errors: [],
      notes: [],
      scored: undefined,
    };
    const fail = (error: unknown): void => {
      // Bugs surface; bad input (a DICOM, pixel or file-system error) is reported and the run goes on.
      if (!(error instanceof PseudophiError) && (error as NodeJS.ErrnoException).code === undefined)
        throw error;
      outcome.errors.push({ file: job.rel, problem: (error as Error).message });
    };
    try {
      const bytes = await readInputBytes(join(input, job.rel));
      if (mode === 'none') {
        await writeFileAtomic(join(out, job.rel), bytes);
        outcome.written = true;
        if (job.instance) outcome.scored = toScoredFile(parseDicom(bytes, { path: job.rel }).dataset);
      } else if (!job.instance) {
        await writeFileAtomic(stagedPath(index), bytes);
        outcome.target = job.rel;
      } else {
        const file = parseDicom(bytes, { path: job.rel });
        const plan = planInstanceDeid(file.dataset, job.instance.checks, {
          mappings,
          dateOffsetDays: mappings.dateOffsets.get(job.instance.patientId),
        });
        for (const n of plan.notes) outcome.notes.push({ file: job.rel, path: n.path, problem: n.problem });
        if (plan.boxes.length > 0 && needsCodecs(file.transferSyntaxUid))
          await (codecs ??= initializeCodecs());
        applyInstanceDeid(file, plan, mappings);
        const output = writeDicom(file);
        await writeFileAtomic(stagedPath(index), output);
        outcome.target = oracleOutputPath(file.dataset, job.rel);
        outcome.edited = Buffer.compare(output, bytes) !== 0;
        outcome.scored = toScoredFile(file.dataset);
      }
    } catch (error) {
      fail(error);
    }
    reporter.progress(mode, ++done, jobs.length);
    return outcome;
  });

  // Staged files into place, in file order: the first file of a path keeps it whatever finished first.
  const outputPaths = new Map<string, string>();
  if (staging) {
    const claimed = new Set<string>();
    const folders = new Set<string>();
    for (const [index, job] of jobs.entries()) {
      const outcome = outcomes[index]!;
      if (outcome.target === undefined) continue;
      const path = claimPath(outcome.target, claimed);
      try {
        const folder = dirname(join(out, path));
        if (!folders.has(folder)) {
          await mkdir(folder, { recursive: true });
          folders.add(folder);
        }
        await rename(stagedPath(index), join(out, path));
        outcome.written = true;
        outputPaths.set(job.rel, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === undefined) throw error;
        outcome.errors.push({ file: job.rel, problem: `cannot write ${path}: ${(error as Error).message}` });
      }
    }
    await rm(staging, { recursive: true, force: true });
  } else {
    jobs.forEach((job, index) => {
      if (outcomes[index]!.written) outputPaths.set(job.rel, job.rel);
    });
  }

  // Mappings last: a run that stops early leaves none, so an incomplete output never looks complete.
  await writeFileAtomic(join(out, UID_MAPPING_FILE), Buffer.from(toMappingCsv(mappings.uid)));
  await writeFileAtomic(join(out, PATIENT_ID_MAPPING_FILE), Buffer.from(toMappingCsv(mappings.patientId)));

  const checks = Object.fromEntries(
    ACTIONS.map((a) => [a, { total: 0, passed: 0, failed: 0, notJudged: 0 }]),
  ) as Record<Action, ActionTally>;
  const failures: CheckFailure[] = [];
  const scoredByUid = new Map<string, { rel: string; scored: ScoredFile | undefined }>();
  jobs.forEach((job, i) => {
    if (job.instance)
      scoredByUid.set(job.instance.sopInstanceUid, { rel: job.rel, scored: outcomes[i]!.scored });
  });
  for (const instance of key.instances) {
    const entry = scoredByUid.get(instance.sopInstanceUid);
    for (const check of instance.checks) {
      const tally = checks[check.action];
      tally.total++;
      const result = evaluateCheck(check, entry?.scored, mappings);
      if (result.passed === null) tally.notJudged++;
      else if (result.passed) tally.passed++;
      else {
        tally.failed++;
        failures.push({
          file: entry?.rel ?? instance.sopInstanceUid,
          sopInstanceUid: instance.sopInstanceUid,
          path: check.path,
          action: check.action,
          value: check.value,
          actionText: check.actionText,
          outputValue: entry?.scored?.values.get(check.path),
          detail: failureDetail(check, entry?.scored, mappings),
        });
      }
    }
  }
  return {
    mode,
    files: outcomes.filter((o) => o.written).length,
    edited: outcomes.filter((o) => o.edited).length,
    copied: outcomes.filter((o) => o.written && !o.edited).length,
    errors: [...errors, ...outcomes.flatMap((o) => o.errors)],
    notes: outcomes.flatMap((o) => o.notes),
    checks,
    failures,
    mappings,
    outputPaths,
  };
}
