/**
 * `reproduce`: regenerates a dataset from its manifest (seed, profile, patient count, and the input
 * folder or the built-in corpus) into a second folder and compares the two file by file, by SHA-256.
 *
 * Same seed, same inputs, same version: byte-identical output (ARCHITECTURE.md section 4). So before
 * anything is generated, a folder run's inputs are checked against the digests the manifest recorded (a
 * different input cannot reproduce), and afterwards the tool and dependency versions of the two runs are
 * compared, since a version change is the expected cause of any difference.
 */
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ANSWER_KEY_FILE, stableJson } from '../answerkey/index.js';
import { sha256OfFile } from '../dicom/index.js';
import { dependencyVersions } from '../config/versions.js';
import { checkLocaleMix, type LocaleMix } from '../identity/index.js';
import type { CharacterSetPolicy } from '../insert/index.js';
import { PseudophiError } from '../errors/index.js';
import { VERSION } from '../version.js';
import { generate } from './generate.js';
import { silentReporter, type Reporter } from './reporter.js';
import { listFiles } from './scan.js';

/** Where the regenerated dataset goes and, for a run made from a folder, that folder. */
export interface ReproduceOptions {
  /** New or empty folder for the regenerated dataset, outside the dataset being reproduced. */
  out: string;
  /** The folder the dataset was generated from; required when the manifest says `input: "folder"`. */
  input?: string | undefined;
}

/** An input that does not match the manifest's record of it. */
export interface InputProblem {
  /** Path relative to the input folder, with `/` separators, as the manifest records it. */
  path: string;
  /**
   * `missing`: recorded, not there; `differs`: SHA-256 not the recorded one; `unrecorded`: there, but the
   * run neither used nor rejected it (so a new run would).
   */
  problem: 'missing' | 'differs' | 'unrecorded';
}

/** A file present in both datasets with different bytes. */
export interface FileDifference {
  /** Path relative to the dataset folder, with `/` separators. */
  path: string;
  /** SHA-256 of the file in the dataset being reproduced. */
  original: string;
  /** SHA-256 of the regenerated file. */
  reproduced: string;
  /**
   * The SHA-256 the original manifest records for this file, when it records one. Equal to `reproduced`
   * (and not to `original`) means the dataset was changed after it was generated.
   */
  recorded?: string;
}

/** A version (or run option) that is not the recorded one. */
export interface ValueDifference {
  /** `pseudophi` for the tool; a package name, `dictionary` or `node` for a dependency; an option name. */
  name: string;
  /** Recorded in the original manifest; null when it records none. */
  recorded: string | null;
  /** Of this run; null when it has none. */
  current: string | null;
}

/** What a reproduction found. */
export interface ReproduceReport {
  dir: string;
  out: string;
  seed: string;
  /** The manifest's `options.input`: `folder` or `corpus:<profile>`. */
  input: string;
  profile: string;
  patients: number | null;
  /** Inputs whose digests were compared: the folder's before generating, else the corpus's after. */
  inputsChecked: number;
  /**
   * For a folder run, found before generating; when there are any, nothing is generated. For a run on
   * the built-in corpus, the regenerated corpus against the digests the original run recorded.
   */
  inputProblems: InputProblem[];
  /** False when input problems stopped the run before anything was generated. */
  generated: boolean;
  /** Dataset files (`dicom/...`, answer_key.db, manifest.json, rejects.json) with equal SHA-256. */
  identical: string[];
  differing: FileDifference[];
  onlyInDir: string[];
  onlyInOut: string[];
  /** Top-level entries of DIR that generate does not write (report.html, notes): listed, not compared. */
  notCompared: string[];
  /** Tool and dependency versions that differ from the recorded ones: the expected cause of differences. */
  versions: ValueDifference[];
  /** Run options recorded differently (a profile file edited since: other burn shares). */
  options: ValueDifference[];
  /** Generated, and every file identical. */
  reproduced: boolean;
}

/** The manifest fields reproduce reads (generate.ts writes them). */
interface RecordedManifest {
  version: string | null;
  dependencies: Record<string, string>;
  seed: string;
  options: Record<string, unknown> & { input: string; profile: string; patients: number | null };
  inputs: Array<{ path: string; sha256: string }>;
  /** Recorded SHA-256 by dataset-relative path: outputs and the answer key. */
  digests: Map<string, string>;
}

const MANIFEST_FILE = 'manifest.json';
const REJECTS_FILE = 'rejects.json';
/** Top-level entries generate writes; everything under `dicom/` is compared too. */
const DATASET_ENTRIES = new Set(['dicom', ANSWER_KEY_FILE, MANIFEST_FILE, REJECTS_FILE]);
/** Files hashed at once: keeps the disk busy without holding many open. */
const HASH_CONCURRENCY = 4;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Code-point order, independent of locale (ARCHITECTURE.md section 4). */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A manifest path is relative and stays inside its folder. */
const isSafeRelativePath = (p: string): boolean =>
  p !== '' && !isAbsolute(p) && !p.startsWith('/') && !p.split(/[/\\]/).includes('..');

/** Reads and checks the fields of DIR/manifest.json that a reproduction needs. */
export async function readRecordedManifest(dir: string): Promise<RecordedManifest> {
  const file = join(dir, MANIFEST_FILE);
  const invalid = (problem: string): PseudophiError =>
    new PseudophiError(`${file}: ${problem}; is ${dir} a dataset written by generate?`, { file });
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw invalid(code === 'ENOENT' ? 'not found' : `not readable JSON (${(error as Error).message})`);
  }
  if (!isObject(raw)) throw invalid('not a JSON object');
  if (typeof raw.seed !== 'string' || raw.seed === '') throw invalid('no "seed"');
  const options = raw.options;
  if (!isObject(options)) throw invalid('no "options"');
  const { input, profile, patients } = options;
  if (typeof input !== 'string' || (input !== 'folder' && !input.startsWith('corpus:')))
    throw invalid('"options.input" is neither "folder" nor "corpus:<profile>"');
  if (typeof profile !== 'string' || profile === '') throw invalid('no "options.profile"');
  if (
    patients !== undefined &&
    patients !== null &&
    !(Number.isSafeInteger(patients) && Number(patients) >= 1)
  )
    throw invalid('"options.patients" is not a positive integer or null');
  if (!Array.isArray(raw.inputs)) throw invalid('no "inputs" list');
  const inputs: RecordedManifest['inputs'] = [];
  for (const entry of raw.inputs as unknown[]) {
    if (!isObject(entry) || typeof entry.path !== 'string' || typeof entry.sha256 !== 'string')
      throw invalid('an "inputs" entry without "path" and "sha256"');
    if (!isSafeRelativePath(entry.path))
      throw invalid(`input path ${JSON.stringify(entry.path)} leaves its folder`);
    inputs.push({ path: entry.path, sha256: entry.sha256 });
  }
  const dependencies: Record<string, string> = {};
  if (isObject(raw.dependencies))
    for (const [name, v] of Object.entries(raw.dependencies))
      if (typeof v === 'string') dependencies[name] = v;
  // Recorded digests are only used to tell a dataset changed after the fact from one that regenerates
  // differently; entries of another shape are skipped, not fatal.
  const digests = new Map<string, string>();
  const record = (e: unknown): void => {
    if (isObject(e) && typeof e.path === 'string' && typeof e.sha256 === 'string')
      digests.set(e.path, e.sha256);
  };
  if (Array.isArray(raw.outputs)) (raw.outputs as unknown[]).forEach(record);
  record(raw.answerKey);
  return {
    version: typeof raw.version === 'string' ? raw.version : null,
    dependencies,
    seed: raw.seed,
    options: { ...options, input, profile, patients: (patients as number | null | undefined) ?? null },
    inputs,
    digests,
  };
}

/** The locales and character-set policy a run recorded (runs that asked for none record neither). */
function languageOf(manifest: RecordedManifest): {
  locales?: LocaleMix;
  characterSet?: CharacterSetPolicy;
} {
  const { locales, characterSet } = manifest.options as { locales?: unknown; characterSet?: unknown };
  const language: ReturnType<typeof languageOf> = {};
  if (locales !== undefined) {
    if (!Array.isArray(locales)) throw new PseudophiError('manifest.json: "options.locales" is malformed');
    language.locales = checkLocaleMix(locales as Array<[string, number]>);
  }
  if (characterSet !== undefined) {
    if (characterSet !== 'locale' && characterSet !== 'utf8')
      throw new PseudophiError('manifest.json: "options.characterSet" is malformed');
    language.characterSet = characterSet;
  }
  return language;
}

/** The shard or split of its run a dataset is, as its manifest's options record it (else neither). */
function runPartOf(manifest: RecordedManifest): {
  shard?: { index: number; count: number };
  split?: { name: string; shares: Array<{ name: string; share: number }> };
} {
  const { shard, split } = manifest.options as { shard?: unknown; split?: unknown };
  const fail = (what: string): never => {
    throw new PseudophiError(`manifest.json: "options.${what}" is malformed`);
  };
  const part: ReturnType<typeof runPartOf> = {};
  if (shard !== undefined) {
    if (!isObject(shard) || !Number.isSafeInteger(shard.index) || !Number.isSafeInteger(shard.count))
      fail('shard');
    const { index, count } = shard as { index: number; count: number };
    part.shard = { index, count };
  }
  if (split !== undefined) {
    const ok =
      isObject(split) &&
      typeof split.name === 'string' &&
      Array.isArray(split.shares) &&
      (split.shares as unknown[]).every(
        (s) => isObject(s) && typeof s.name === 'string' && typeof s.share === 'number',
      );
    if (!ok) fail('split');
    part.split = split as NonNullable<ReturnType<typeof runPartOf>['split']>;
  }
  return part;
}

/** `fn` over `items`, a few at a time, results in item order. */
async function mapLimited<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(HASH_CONCURRENCY, items.length) }, lane));
  return results;
}

/** The SHA-256 of `path`, or undefined when it does not exist. */
async function sha256IfExists(path: string): Promise<string | undefined> {
  try {
    return await sha256OfFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw error;
  }
}

/** The relative paths rejects.json lists (rejected inputs are part of the recorded input), or undefined. */
async function readRejectedPaths(dir: string): Promise<Set<string> | undefined> {
  try {
    const raw = JSON.parse(await readFile(join(dir, REJECTS_FILE), 'utf8')) as unknown;
    if (!Array.isArray(raw)) return undefined;
    return new Set(
      raw.flatMap((r) => (isObject(r) && typeof r.relativePath === 'string' ? [r.relativePath] : [])),
    );
  } catch {
    return undefined;
  }
}

/**
 * Compares an input folder with the manifest: every recorded input is there with its SHA-256, and every
 * other file of the folder is one the run rejected (else a new run would use it).
 */
async function checkInputFolder(
  dir: string,
  manifest: RecordedManifest,
  input: string,
  reporter: Reporter,
): Promise<InputProblem[]> {
  let files: string[];
  try {
    files = await listFiles(input);
  } catch (error) {
    throw new PseudophiError(`cannot read the input folder ${input} (${(error as Error).message})`, {
      file: input,
    });
  }
  const present = new Set(files.map((f) => relative(input, f).split(sep).join('/')));
  const problems: InputProblem[] = [];
  let done = 0;
  const digests = await mapLimited(manifest.inputs, async (entry) => {
    const sha = present.has(entry.path)
      ? await sha256IfExists(join(input, ...entry.path.split('/')))
      : undefined;
    reporter.progress('inputs', ++done, manifest.inputs.length);
    return sha;
  });
  manifest.inputs.forEach((entry, i) => {
    const sha = digests[i];
    if (sha === undefined) problems.push({ path: entry.path, problem: 'missing' });
    else if (sha !== entry.sha256) problems.push({ path: entry.path, problem: 'differs' });
  });
  const rejected = await readRejectedPaths(dir);
  if (rejected) {
    const recorded = new Set(manifest.inputs.map((e) => e.path));
    for (const path of present)
      if (!recorded.has(path) && !rejected.has(path)) problems.push({ path, problem: 'unrecorded' });
  } else {
    reporter.warn(
      `${join(dir, REJECTS_FILE)} is not readable: files of ${input} the run did not use are not checked`,
    );
  }
  return problems.sort((a, b) => compare(a.path, b.path));
}

/** The regenerated corpus's inputs (as the new manifest records them) against the original record. */
function compareRecordedInputs(
  original: RecordedManifest['inputs'],
  reproduced: RecordedManifest['inputs'],
): InputProblem[] {
  const now = new Map(reproduced.map((e) => [e.path, e.sha256]));
  const before = new Set(original.map((e) => e.path));
  const problems: InputProblem[] = [];
  for (const e of original) {
    const sha = now.get(e.path);
    if (sha === undefined) problems.push({ path: e.path, problem: 'missing' });
    else if (sha !== e.sha256) problems.push({ path: e.path, problem: 'differs' });
  }
  for (const e of reproduced) if (!before.has(e.path)) problems.push({ path: e.path, problem: 'unrecorded' });
  return problems.sort((a, b) => compare(a.path, b.path));
}

/** The dataset files of a folder (relative, `/`-separated) and the top-level entries that are not. */
async function listDataset(dir: string): Promise<{ files: string[]; other: string[] }> {
  const files: string[] = [];
  const other: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => compare(a.name, b.name))) {
    if (!DATASET_ENTRIES.has(entry.name)) {
      other.push(entry.isDirectory() ? `${entry.name}/` : entry.name);
    } else if (entry.isDirectory() && entry.name === 'dicom') {
      for (const f of await listFiles(join(dir, entry.name)))
        files.push(relative(dir, f).split(sep).join('/'));
    } else if (entry.isFile()) {
      files.push(entry.name);
    } else {
      other.push(entry.name);
    }
  }
  return { files, other };
}

/** Recorded values against current ones, by name: those that differ. */
function differences(
  recorded: Readonly<Record<string, unknown>>,
  current: Readonly<Record<string, unknown>>,
): ValueDifference[] {
  const text = (v: unknown): string | null =>
    v === undefined ? null : typeof v === 'string' ? v : stableJson(v);
  const names = [...new Set([...Object.keys(recorded), ...Object.keys(current)])].sort(compare);
  return names
    .map((name) => ({ name, recorded: text(recorded[name]), current: text(current[name]) }))
    .filter((d) => d.recorded !== d.current);
}

/** Regenerates the dataset in `dir` from its manifest into `options.out` and compares every file. */
export async function reproduce(
  dir: string,
  options: ReproduceOptions,
  reporter: Reporter = silentReporter,
): Promise<ReproduceReport> {
  const manifest = await readRecordedManifest(dir);
  const fromFolder = manifest.options.input === 'folder';
  if (fromFolder && !options.input)
    throw new PseudophiError(
      `${dir} was generated from an input folder: name that folder (--input) to reproduce it`,
      { file: join(dir, MANIFEST_FILE) },
    );
  if (!fromFolder && options.input)
    throw new PseudophiError(
      `${dir} was generated from the built-in corpus (${manifest.options.input}), not from a folder: ` +
        'reproduce it without --input',
      { file: join(dir, MANIFEST_FILE) },
    );
  // The comparison walks DIR: the new dataset must not land inside it.
  const inside = relative(resolve(dir), resolve(options.out));
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside)))
    throw new PseudophiError(`the output folder ${options.out} must be outside ${dir}`, {
      file: options.out,
    });

  const report: ReproduceReport = {
    dir,
    out: options.out,
    seed: manifest.seed,
    input: manifest.options.input,
    profile: manifest.options.profile,
    patients: manifest.options.patients,
    inputsChecked: 0,
    inputProblems: [],
    generated: false,
    identical: [],
    differing: [],
    onlyInDir: [],
    onlyInOut: [],
    notCompared: [],
    versions: [],
    options: [],
    reproduced: false,
  };

  if (fromFolder) {
    report.inputsChecked = manifest.inputs.length;
    report.inputProblems = await checkInputFolder(dir, manifest, options.input!, reporter);
    if (report.inputProblems.length > 0) {
      // Only the tool version can be told without a run; the dependencies as installed now.
      report.versions = differences(
        { pseudophi: manifest.version ?? undefined, ...manifest.dependencies },
        {
          pseudophi: VERSION,
          ...dependencyVersions(
            Object.keys(manifest.dependencies).filter((n) => n !== 'dictionary' && n !== 'node'),
          ),
        },
      );
      return report;
    }
  }

  // A shard is regenerated as that shard; a split by regenerating every split of its run, then compared
  // with its own folder.
  const { shard, split } = runPartOf(manifest);
  await generate(
    {
      input: fromFolder ? options.input : undefined,
      out: options.out,
      seed: manifest.seed,
      profile: manifest.options.profile,
      patients: manifest.options.patients ?? undefined,
      shard,
      split: split?.shares,
      ...languageOf(manifest),
    },
    reporter,
  );
  report.generated = true;
  const produced = split ? join(options.out, split.name) : options.out;
  const regenerated = await readRecordedManifest(produced);
  report.versions = differences(
    { pseudophi: manifest.version ?? undefined, ...manifest.dependencies },
    { pseudophi: regenerated.version ?? undefined, ...regenerated.dependencies },
  );
  report.options = differences(manifest.options, regenerated.options);
  if (!fromFolder) {
    report.inputsChecked = manifest.inputs.length;
    report.inputProblems = compareRecordedInputs(manifest.inputs, regenerated.inputs);
  }

  const original = await listDataset(dir);
  const reproduced = await listDataset(produced);
  report.notCompared = original.other;
  const inOut = new Set(reproduced.files);
  const inDir = new Set(original.files);
  const both = original.files.filter((f) => inOut.has(f));
  report.onlyInDir = original.files.filter((f) => !inOut.has(f));
  report.onlyInOut = reproduced.files.filter((f) => !inDir.has(f));
  let done = 0;
  const pairs = await mapLimited(both, async (path) => {
    const parts = path.split('/');
    const pair = await Promise.all([
      sha256OfFile(join(dir, ...parts)),
      sha256OfFile(join(produced, ...parts)),
    ]);
    reporter.progress('compare', ++done, both.length);
    return pair;
  });
  both.forEach((path, i) => {
    const [a, b] = pairs[i]!;
    if (a === b) {
      report.identical.push(path);
      return;
    }
    const recorded = manifest.digests.get(path);
    report.differing.push({ path, original: a, reproduced: b, ...(recorded ? { recorded } : {}) });
  });
  report.reproduced =
    report.differing.length === 0 && report.onlyInDir.length === 0 && report.onlyInOut.length === 0;
  return report;
}
