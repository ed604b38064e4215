/**
 * `generate`, readable from top to bottom (ARCHITECTURE.md section 3):
 *
 *   inputs (a folder, or the built-in corpus) --scan--> SourceInstance[] sorted by stable keys
 *   seed + facts --identity--> one identity per patient and per study (planner.ts)
 *   [--shard K/N: this run's patients] [--split: one dataset per split]
 *   per instance (instance.ts; in this thread or in a pool of workers, generate-pool.ts):
 *                 read --plan--> InstancePlan --apply--> [burn text into pixels] --> write DIR/dicom/...
 *                 plan + output (+ burn plan) --derive--> checks, burned lines
 *   in scan order: the instance's rows and its progress record --> answer_key.db.partial (one transaction)
 *   then answer_key.db, rejects.json, manifest.json (last: a run without a manifest is not complete), and
 *   verify. A killed run is resumed from the progress records (--resume).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  ANSWER_KEY_FILE,
  openAnswerKeyWriter,
  readKeyProgress,
  stableJson,
  type KeyEntry,
} from '../answerkey/index.js';
import { BURN_FONT_PACKAGES } from '../burn/fonts.js';
import { dependencyVersions } from '../config/versions.js';
import { loadProfile } from '../corpus/profile.js';
import { openFileIo, sha256OfFile, writeFileAtomic, type FileIo } from '../dicom/index.js';
import { ConfigError, PseudophiError } from '../errors/index.js';
import type { LocaleMix } from '../identity/index.js';
import type { CharacterSetPolicy } from '../insert/index.js';
import { ACTIONS } from '../phi/index.js';
import { VERSION } from '../version.js';
import { DEFAULT_BURN_SHARES } from './burn-choice.js';
import {
  manifestText,
  DatasetTally,
  toManifest,
  type DatasetParts,
  type ShardOfRun,
} from './dataset-manifest.js';
import { generateInPool, poolScript } from './generate-pool.js';
import { InstanceGenerator, type InstanceOutcome, type InstanceTask } from './instance.js';
import { planRun, type LanguageOptions, type RunPlanner } from './planner.js';
import { silentReporter, type Reporter } from './reporter.js';
import type { VerifyReport } from './verify.js';
import type { SourceInstance } from './scan.js';
import { assignSplits, primaryModalities, type SplitShare } from './split.js';

export { planRun, type RunPlanner } from './planner.js';

/** Options of a generate run (validated by the CLI). */
export interface GenerateOptions {
  /** Folder of clean DICOM; undefined: the built-in corpus of `profile`. */
  input?: string | undefined;
  out: string;
  seed: string;
  /**
   * Profile: the built-in corpus's when there is no input folder, and in every run the shares of
   * instances that get burned-in text.
   */
  profile: string;
  /** Patients of the built-in corpus (overrides the profile). */
  patients?: number | undefined;
  /**
   * Threads that generate instances (default 1). With more than one, instances are generated in a pool of
   * worker threads when the compiled scripts exist (dist/); the output is the same for any number.
   */
  workers?: number | undefined;
  /**
   * Write the answer key and do the file work in helper threads when their compiled scripts exist
   * (default true); false keeps everything in the calling thread. The output is the same either way.
   */
  threads?: boolean | undefined;
  /**
   * Prove the answer key against the written files at the end, burned pixels against the inputs
   * (verify.ts); the report is the summary's `verify`.
   */
  verify?: boolean | undefined;
  /**
   * Patient-level splits (shares summing to 1): each split is its own dataset in `out/<name>/`, with its
   * own key and manifest. Identities are planned once for all patients, so a file is the same with or
   * without splits.
   */
  split?: readonly SplitShare[] | undefined;
  /**
   * Generate only the `index`-th (1-based) of `count` disjoint, patient-level parts of the run: a dataset
   * of its own that `merge` joins with the others into the unsharded run's dataset, byte for byte.
   */
  shard?: ShardOfRun | undefined;
  /**
   * Carry on with the run an interrupted run of the same command left in `out` (or start it when `out`
   * is empty); the result is byte-identical to an uninterrupted run's.
   */
  resume?: boolean | undefined;
  /** Identity locales with shares (default: the profile's `locales`, else every patient en_US). */
  locales?: LocaleMix | undefined;
  /** Character sets: `locale` (default, as a device of the patient's country writes) or `utf8` (ISO_IR 192). */
  characterSet?: CharacterSetPolicy | undefined;
}

/** What a run produced. */
export interface GenerateSummary {
  patients: number;
  studies: number;
  series: number;
  instances: number;
  rejects: number;
  checks: number;
  checksByAction: Record<string, number>;
  /** Checks by MIDI-B category (Table C3), `none` for the checks outside them. */
  checksByCategory: Record<string, number>;
  /** Instances with burned-in text, and those chosen for it whose pixels could not be drawn on. */
  burned: number;
  burnSkipped: number;
  /** Source instances generated by this invocation, and those an interrupted run had finished before it. */
  generated: number;
  resumed: number;
  /** The verify report, when asked for. */
  verify?: VerifyReport;
  /** With `split`: each split's own summary (the counts above are their sums). */
  splits?: Array<{ name: string; share: number; summary: GenerateSummary }>;
}

/** The split a dataset is, recorded in its manifest and key. */
interface SplitOfRun {
  name: string;
  shares: readonly SplitShare[];
}

/** Packages whose behaviour shapes the dataset bytes. */
export const GENERATE_PACKAGES = [
  '@faker-js/faker',
  'seedrandom',
  'dcmjs-codecs',
  'better-sqlite3',
  '@napi-rs/canvas',
  ...BURN_FONT_PACKAGES,
];

/** Output files being written at once: enough to keep the disk busy, few enough to bound memory. */
const MAX_PENDING_WRITES = 8;
/** Bytes of output files being written at once (eight large mammograms would hold hundreds of MB). */
const MAX_PENDING_WRITE_BYTES = 64 * 1024 * 1024;

/** Where an unfinished run keeps its command (a resumed run must be the same run). */
const RUN_FILE = '.pseudophi-run.json';
/** The built-in corpus of a run, generated into the output folder and removed at the end. */
const CORPUS_DIR = '.corpus';

/**
 * Makes sure `out` may be written: new or empty, or with `resume` holding an unfinished run of the same
 * command (its `.pseudophi-run.json`). Nothing of the user's is ever overwritten.
 */
async function prepareOutput(out: string, command: string, resume: boolean): Promise<void> {
  await mkdir(out, { recursive: true });
  const runFile = join(out, RUN_FILE);
  const entries = (await readdir(out)).filter((e) => !e.startsWith('.'));
  if (resume && existsSync(runFile)) {
    const recorded = await readFile(runFile, 'utf8');
    if (recorded !== command)
      throw new ConfigError(
        `it holds an unfinished run of another command (${recorded.trim()}); resume it with the same options`,
        out,
      );
    return;
  }
  if (entries.length > 0)
    throw new PseudophiError(
      resume
        ? `output folder ${out} holds no unfinished run to resume (no ${RUN_FILE}); choose a new folder`
        : `output folder ${out} is not empty; choose a new one (or --resume an interrupted run)`,
      { file: out },
    );
  // Left-overs of a run that never got as far as recording its command.
  for (const stale of [CORPUS_DIR, `${ANSWER_KEY_FILE}.partial`, `${ANSWER_KEY_FILE}.partial-journal`])
    await rm(join(out, stale), { recursive: true, force: true });
  await writeFileAtomic(runFile, Buffer.from(command));
}

/** The built-in corpus of the run in `out/.corpus`: reused when a resumed run finds it complete. */
async function prepareCorpus(options: GenerateOptions, reporter: Reporter): Promise<string> {
  const corpusDir = join(options.out, CORPUS_DIR);
  // The corpus writes its manifest last: without one it is incomplete and made afresh.
  if (existsSync(join(corpusDir, 'manifest.json'))) return join(corpusDir, 'dicom');
  await rm(corpusDir, { recursive: true, force: true });
  // The corpus builder is loaded only by runs that use it (start-up time).
  const { generateCorpus } = await import('../corpus/index.js');
  await generateCorpus(
    {
      out: corpusDir,
      seed: options.seed,
      profile: options.profile,
      workers: options.workers ?? 1,
      ...(options.patients ? { patients: options.patients } : {}),
    },
    { progress: (p) => reporter.progress('corpus', p.written, p.total) },
  );
  return join(corpusDir, 'dicom');
}

/** The scanned instances as tasks, in scan order, with their place in their series (file names). */
function tasksOf(instances: readonly SourceInstance[]): InstanceTask[] {
  let seriesKey = '';
  let indexInSeries = 0;
  return instances.map((source, scanIndex) => {
    indexInSeries = source.seriesInstanceUid === seriesKey ? indexInSeries + 1 : 1;
    seriesKey = source.seriesInstanceUid;
    return { scanIndex, source, indexInSeries };
  });
}

/** Parses `K/N` (1 <= K <= N). Throws ConfigError naming the problem. */
export function parseShard(text: string): ShardOfRun {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count)
    throw new ConfigError(`--shard ${JSON.stringify(text)}: expected K/N with 1 <= K <= N, e.g. 2/8`);
  return { index, count };
}

/** The patients of shard `shard`: a seeded, modality-stratified deal of the run's patients into equal parts. */
export function shardPatients(
  seed: string,
  instances: readonly SourceInstance[],
  shard: ShardOfRun,
): Set<string> {
  const shares = Array.from({ length: shard.count }, (_, i) => ({
    name: String(i + 1),
    share: 1 / shard.count,
  }));
  const assignment = assignSplits(`${seed}\u0000shards`, primaryModalities(instances), shares);
  return new Set([...assignment].filter(([, name]) => name === String(shard.index)).map(([key]) => key));
}

/** The summary of one dataset from its parts. */
function summaryOf(
  parts: Pick<DatasetParts, 'counts' | 'checksByCategory'>,
  work: { generated: number; resumed: number },
): GenerateSummary {
  const c = parts.counts;
  return {
    patients: c.patients ?? 0,
    studies: c.studies ?? 0,
    series: c.series ?? 0,
    instances: c.instances ?? 0,
    rejects: c.rejects ?? 0,
    checks: c.checks ?? 0,
    checksByAction: Object.fromEntries(ACTIONS.map((a) => [a, c[`checks.${a}`] ?? 0])),
    checksByCategory: parts.checksByCategory,
    burned: c.burned ?? 0,
    burnSkipped: c.burnSkipped ?? 0,
    ...work,
  };
}

/** The counts of several datasets added up. */
function sumSummaries(summaries: readonly GenerateSummary[]): GenerateSummary {
  const total = (
    field: Exclude<keyof GenerateSummary, 'checksByAction' | 'checksByCategory' | 'verify' | 'splits'>,
  ) => summaries.reduce((a, s) => a + s[field], 0);
  const sum = (field: 'checksByAction' | 'checksByCategory'): Record<string, number> => {
    const into: Record<string, number> = {};
    for (const s of summaries) for (const [k, n] of Object.entries(s[field])) into[k] = (into[k] ?? 0) + n;
    return into;
  };
  return {
    patients: total('patients'),
    studies: total('studies'),
    series: total('series'),
    instances: total('instances'),
    rejects: total('rejects'),
    checks: total('checks'),
    checksByAction: sum('checksByAction'),
    checksByCategory: sum('checksByCategory'),
    burned: total('burned'),
    burnSkipped: total('burnSkipped'),
    generated: total('generated'),
    resumed: total('resumed'),
  };
}

/** The summary of a run `out` already holds finished (every dataset's manifest, no command file), if so. */
async function readFinishedRun(options: GenerateOptions): Promise<GenerateSummary | undefined> {
  if (existsSync(join(options.out, RUN_FILE))) return undefined;
  const names = options.split?.map((s) => s.name);
  const dirs = names ? names.map((n) => join(options.out, n)) : [options.out];
  if (!dirs.every((d) => existsSync(join(d, 'manifest.json')))) return undefined;
  const summaries = await Promise.all(
    dirs.map(async (d) => {
      const parts = JSON.parse(await readFile(join(d, 'manifest.json'), 'utf8')) as DatasetParts;
      return summaryOf(parts, { generated: 0, resumed: parts.counts.instances ?? 0 });
    }),
  );
  if (!options.split) return summaries[0];
  return {
    ...sumSummaries(summaries),
    splits: options.split.map((s, i) => ({ name: s.name, share: s.share, summary: summaries[i]! })),
  };
}

/** Runs the whole generation. */
export async function generate(
  options: GenerateOptions,
  reporter: Reporter = silentReporter,
): Promise<GenerateSummary> {
  // The profile is read first so that a bad one fails before anything is written.
  const profile = loadProfile(options.profile);
  const burnShares = { ...DEFAULT_BURN_SHARES, ...profile.burn };
  // Only a run that asks for locales or character sets records them (en_US runs are as before).
  const language: LanguageOptions = {
    ...((options.locales ?? profile.locales) ? { locales: options.locales ?? profile.locales } : {}),
    ...(options.characterSet && options.characterSet !== 'locale'
      ? { characterSet: options.characterSet }
      : {}),
    // Target shares of checks: planRun calibrates the insertion intensity to them.
    ...(profile.checkShares ? { checkShares: profile.checkShares } : {}),
  };
  if (options.split && options.shard) throw new ConfigError('--split and --shard cannot be combined');
  const resume = options.resume ?? false;
  // What makes the run: a resumed run must be started with the same.
  const command = `${stableJson({
    version: VERSION,
    seed: options.seed,
    input: options.input === undefined ? null : resolve(options.input),
    profile: options.profile,
    patients: options.patients ?? null,
    split: options.split ?? null,
    shard: options.shard ?? null,
    ...language,
  })}\n`;
  if (resume) {
    // A finished run (its manifests written, its command file removed) is left as it is.
    const finished = await readFinishedRun(options);
    if (finished) return finished;
  }
  await prepareOutput(options.out, command, resume);
  // A run generated in this thread starts its file I/O thread now, so that its start-up overlaps the scan.
  const io = new EarlyFileIo({ thread: options.threads ?? true }, (options.workers ?? 1) <= 1);
  try {
    return await generateRun(options, { language, burnShares, io }, reporter);
  } finally {
    await io.closeUntaken();
  }
}

/**
 * A file I/O opened before the inputs are known: the first dataset generated in this thread takes it,
 * any later one (a split) opens its own, as readAhead is given one list of inputs.
 */
class EarlyFileIo {
  private io: FileIo | undefined;

  /** Opens one now when `early` (a run whose datasets will be generated in this thread). */
  constructor(
    private readonly options: { thread: boolean },
    early: boolean,
  ) {
    this.io = early ? openFileIo(options) : undefined;
  }

  take(): FileIo {
    const io = this.io ?? openFileIo(this.options);
    this.io = undefined;
    return io;
  }

  /** Stops the early one if no dataset took it (a pool run, or a resumed run with nothing left to do). */
  async closeUntaken(): Promise<void> {
    await this.io?.close();
    this.io = undefined;
  }
}

/** generate() once the output folder is prepared. */
async function generateRun(
  options: GenerateOptions,
  run: { language: LanguageOptions; burnShares: Record<string, number>; io: EarlyFileIo },
  reporter: Reporter,
): Promise<GenerateSummary> {
  const { language, burnShares } = run;
  const inputDir = options.input ?? (await prepareCorpus(options, reporter));
  const planner = await planRun(inputDir, options.seed, reporter, language);
  let tasks = tasksOf(planner.scan.instances);
  if (options.shard) {
    const patients = shardPatients(options.seed, planner.scan.instances, options.shard);
    tasks = tasks.filter((t) => patients.has(t.source.patientId));
  }
  // The planner's options: with targets, they carry the intensity it calibrated (worker threads need it).
  const context: RunContext = {
    options,
    planner,
    burnShares,
    language: planner.language,
    reporter,
    inputDir,
    io: run.io,
  };
  let summary: GenerateSummary;
  if (!options.split) {
    summary = await generateDataset(context, tasks, options.out);
  } else {
    const shares = options.split;
    const splitOf = assignSplits(options.seed, primaryModalities(planner.scan.instances), shares);
    const splits: NonNullable<GenerateSummary['splits']> = [];
    for (const { name } of shares) await mkdir(join(options.out, name), { recursive: true });
    for (const { name, share } of shares) {
      const subset = tasks.filter((t) => splitOf.get(t.source.patientId) === name);
      const split = { name, shares };
      splits.push({
        name,
        share,
        summary: await generateDataset(context, subset, join(options.out, name), split),
      });
    }
    summary = { ...sumSummaries(splits.map((s) => s.summary)), splits };
  }
  if (!options.input) await rm(join(options.out, CORPUS_DIR), { recursive: true, force: true });
  await rm(join(options.out, RUN_FILE), { force: true });
  return summary;
}

/** What every dataset of a run is generated with. */
interface RunContext {
  options: GenerateOptions;
  planner: RunPlanner;
  burnShares: Readonly<Record<string, number>>;
  language: LanguageOptions;
  reporter: Reporter;
  inputDir: string;
  io: EarlyFileIo;
}

/** An instance's outcome with, when it was written, its rows for the key; handed over in scan order. */
export interface FinishedInstance {
  outcome: InstanceOutcome;
  instance?: KeyEntry['instance'];
}

/**
 * Generates one dataset into `out` from `tasks` (the run's instances, or a split's or shard's: whole
 * patients, in scan order). The scan's rejects are listed in every dataset's rejects.json (they belong to
 * no patient). A dataset a resumed run finds complete is left as it is.
 */
async function generateDataset(
  context: RunContext,
  tasks: readonly InstanceTask[],
  out: string,
  split?: SplitOfRun,
): Promise<GenerateSummary> {
  const { options, planner, reporter } = context;
  const { seed } = options;
  const resume = options.resume ?? false;
  const stage = split ? `generate ${split.name}` : 'generate';
  const manifestPath = join(out, 'manifest.json');
  const verify = async (summary: GenerateSummary): Promise<GenerateSummary> => {
    // Verified while the inputs (a scratch corpus) are still there, so burned pixels meet their sources.
    if (!options.verify) return summary;
    const { verifyDataset } = await import('./verify.js');
    return { ...summary, verify: await verifyDataset(out, reporter, { sources: context.inputDir }) };
  };
  if (resume && existsSync(manifestPath)) {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as DatasetParts;
    return verify(summaryOf(manifest, { generated: 0, resumed: manifest.counts.instances ?? 0 }));
  }
  // The instances an interrupted run finished (committed to the scratch key with their files written).
  // A scratch key without progress records was being finished when the run stopped: it starts afresh.
  const recorded = resume ? readKeyProgress(join(out, ANSWER_KEY_FILE)) : undefined;
  const done = recorded ?? [];
  const tally = new DatasetTally();
  const doneIndexes = new Set<number>();
  for (const record of done) {
    const outcome = JSON.parse(record.detail) as InstanceOutcome;
    tally.add(outcome);
    doneIndexes.add(outcome.scanIndex);
  }
  const todo = tasks.filter((t) => !doneIndexes.has(t.scanIndex));
  if (resume) await removePartialFiles(join(out, 'dicom'));

  const thread = options.threads ?? true;
  const writer = openAnswerKeyWriter(out, { thread, resume: recorded !== undefined });
  let finished = done.length;
  const accept = ({ outcome, instance }: FinishedInstance): void => {
    // The outcome is the progress record: a resumed run rebuilds the manifest from these.
    const progress = { scanIndex: outcome.scanIndex, detail: JSON.stringify(outcome) };
    writer.addEntry(instance ? { progress, instance } : { progress });
    tally.add(outcome);
    if ('unencodable' in outcome && outcome.unencodable)
      reporter.warn(
        `${outcome.source}: left as it was, no character set writes the plan: ${outcome.unencodable.join(', ')}`,
      );
    reporter.progress(stage, ++finished, tasks.length);
  };
  try {
    reporter.progress(stage, finished, tasks.length);
    const workers = Math.min(options.workers ?? 1, todo.length);
    const script = thread && workers > 1 ? poolScript() : undefined;
    if (script) {
      await generateInPool(script, todo, {
        workers,
        out,
        seed,
        identities: planner.identities,
        language: context.language,
        burnShares: context.burnShares,
        accept,
        writer,
      });
    } else {
      await generateInThread(context, todo, out, accept, () => writer.caughtUp());
    }
    const parts = tally.parts(seed, planner.scan.rejects);
    const runOptions = {
      input: options.input ? 'folder' : `corpus:${options.profile}`,
      profile: options.profile,
      patients: options.patients ?? null,
      burn: context.burnShares,
      // Only in split and shard runs, so that a whole run's key and manifest are as before.
      ...(split ? { split: { name: split.name, shares: split.shares.map((s) => ({ ...s })) } } : {}),
      ...(options.shard ? { shard: { ...options.shard } } : {}),
      ...(context.language.locales ? { locales: context.language.locales.map(([l, n]) => [l, n]) } : {}),
      ...(context.language.characterSet ? { characterSet: context.language.characterSet } : {}),
      ...(planner.steering
        ? { checkShares: { ...planner.steering.targets }, insertionIntensity: planner.steering.intensity }
        : {}),
    };
    const dependencies = dependencyVersions(GENERATE_PACKAGES);
    await writer.close({
      seed,
      toolVersion: VERSION,
      dependencyVersions: dependencies,
      options: runOptions,
      counts: parts.counts,
    });
    await writeFileAtomic(join(out, 'rejects.json'), Buffer.from(`${stableJson(parts.rejects)}\n`));
    const answerKeySha256 = await sha256OfFile(join(out, ANSWER_KEY_FILE));
    const manifest = toManifest(
      { version: VERSION, dependencies, seed, options: runOptions, answerKeySha256 },
      parts,
      options.shard,
    );
    await writeFileAtomic(manifestPath, Buffer.from(manifestText(manifest)));
    return await verify(summaryOf(parts, { generated: todo.length, resumed: done.length }));
  } catch (error) {
    // What was finished stays committed in the scratch key: `--resume` carries on from there.
    await writer.abort(true);
    throw error;
  }
}

/** Deletes the temporary files of writes a killed run left half done (writeFileAtomic's `.NAME.PID.partial`). */
async function removePartialFiles(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) await removePartialFiles(path);
    else if (e.name.startsWith('.') && e.name.endsWith('.partial')) await rm(path, { force: true });
  }
}

/**
 * Generates `tasks` in this thread, the file work (read ahead and hash inputs, write and hash outputs) in
 * the file I/O thread; hands each instance to `accept` in task order once its file is written.
 */
async function generateInThread(
  context: RunContext,
  tasks: readonly InstanceTask[],
  out: string,
  accept: (entry: FinishedInstance) => void,
  keyCaughtUp: () => Promise<void>,
): Promise<void> {
  const io = context.io.take();
  const generator = new InstanceGenerator(context.planner, context.burnShares);
  /** Instances handed to the writes, oldest first, and the bytes they are writing. */
  const pending: Array<{ entry: FinishedInstance; sha256?: Promise<string>; bytes: number }> = [];
  let pendingBytes = 0;
  const acceptOldest = async (): Promise<void> => {
    const { entry, sha256: written, bytes } = pending.shift()!;
    pendingBytes -= bytes;
    // The outcome's file record is the instance's: one object, given its digest once written.
    if (written && entry.instance) entry.instance.file.sha256 = await written;
    accept(entry);
  };
  try {
    io.readAhead(tasks.map((t) => t.source.path));
    for (const [n, task] of tasks.entries()) {
      let result;
      try {
        result = await generator.generate(task, await io.read(n), (length) => io.outputBuffer(length));
      } finally {
        // Nothing below reads the input (its data set's values are views into it): its buffer is reused.
        io.release(n);
      }
      if ('rejected' in result) {
        pending.push({ entry: { outcome: result }, bytes: 0 });
      } else {
        const { outcome } = result;
        const bytes = result.bytes.length;
        const written = io.write(join(out, outcome.file.outputPath), result.bytes); // hands the bytes over
        written.catch(() => undefined); // observed in acceptOldest; this keeps it from counting as unhandled
        pending.push({
          entry: {
            outcome,
            instance: { key: result.key, checks: result.checks, burned: result.burned, file: outcome.file },
          },
          sha256: written,
          bytes,
        });
        pendingBytes += bytes;
      }
      // Bounded memory: with MAX_PENDING_WRITES outputs (or their bytes) in flight, wait for the oldest;
      // and for the key.
      while (
        pending.length > MAX_PENDING_WRITES ||
        (pending.length > 1 && pendingBytes > MAX_PENDING_WRITE_BYTES)
      )
        await acceptOldest();
      await keyCaughtUp();
    }
    while (pending.length > 0) await acceptOldest();
  } finally {
    await io.close();
  }
}
