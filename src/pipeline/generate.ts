/**
 * `generate`, readable from top to bottom (ARCHITECTURE.md section 3):
 *
 *   inputs (a folder, or the built-in corpus) --scan--> SourceInstance[] sorted by stable keys
 *   seed + facts --identity--> one identity per patient and per study
 *   per instance: read --plan--> InstancePlan --apply--> [burn text into pixels] --> write DIR/dicom/...
 *                 plan + output (+ burn plan) --derive--> checks, burned lines --> answer_key.db
 *   then rejects.json, manifest.json (last: a run without a manifest is not complete), and verify.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ANSWER_KEY_FILE,
  CheckDeriver,
  openAnswerKeyWriter,
  stableJson,
  type Check,
  type FileRecord,
} from '../answerkey/index.js';
import { dependencyVersions } from '../config/versions.js';
import { loadProfile } from '../corpus/profile.js';
import {
  getString,
  initializeCodecs,
  isValidDate,
  needsCodecs,
  parseDicom,
  openFileIo,
  readInputBytes,
  requireTag,
  setStrings,
  storedPixelDataBytes,
  storedPixelDataMd5Reusing,
  Tags,
  writeDicom,
  writeFileAtomic,
  type DicomDataset,
  type FileIo,
} from '../dicom/index.js';
import { PseudophiError } from '../errors/index.js';
import { planIdentities, type PatientFacts, type StudyOfPatient } from '../identity/index.js';
import {
  applyPlan,
  IdentityValues,
  loadInsertTemplates,
  mapUid,
  planInstance,
  type InstancePlan,
} from '../insert/index.js';
import { pixelsHiddenChecks, withPixelsHidden } from '../answerkey/pixels-hidden.js';
import { ACTIONS } from '../phi/index.js';
import { VERSION } from '../version.js';
import { chooseBurn, DEFAULT_BURN_SHARES } from './burn-choice.js';
import type { BurnOutcome } from './burn-instance.js';
import { silentReporter, type Reporter } from './reporter.js';
import { collectUidLinks } from './references.js';
import type { VerifyReport } from './verify.js';
import { rejectReason, scanInputs, type Reject, type ScanResult, type SourceInstance } from './scan.js';
import { assignSplits, primaryModalities, type SplitShare } from './split.js';

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
   * Write the answer key and do the file work in helper threads when their compiled scripts exist
   * (default true); false keeps them in the calling thread. The output is the same either way.
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
  /** Instances with burned-in text, and those chosen for it whose pixels could not be drawn on. */
  burned: number;
  burnSkipped: number;
  outputBytes: number;
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
const GENERATE_PACKAGES = [
  '@faker-js/faker',
  'seedrandom',
  'dcmjs-codecs',
  'better-sqlite3',
  '@napi-rs/canvas',
  'dejavu-fonts-ttf',
];

/** Output files being written at once: enough to keep the disk busy, few enough to bound memory. */
const MAX_PENDING_WRITES = 8;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The patient and study facts the identity planner needs, from the scanned instances. */
function collectFacts(instances: readonly SourceInstance[]): {
  patients: PatientFacts[];
  studies: StudyOfPatient[];
} {
  const patients = new Map<string, { sex?: string; ages: Map<string, string>; dates: Set<string> }>();
  const studies = new Map<string, StudyOfPatient & { modalities: string[] }>();
  for (const i of instances) {
    let p = patients.get(i.patientId);
    if (!p) patients.set(i.patientId, (p = { ages: new Map(), dates: new Set() }));
    if (i.patientSex && !p.sex) p.sex = i.patientSex;
    // Malformed source dates (`1997.04.24`, ACR-NEMA style) are left out of the plan and left as they are.
    const studyDate = i.studyDate && isValidDate(i.studyDate) ? i.studyDate : undefined;
    if (studyDate) {
      p.dates.add(studyDate);
      if (i.patientAge && !p.ages.has(studyDate)) p.ages.set(studyDate, i.patientAge);
    }
    let s = studies.get(i.studyInstanceUid);
    if (!s) {
      s = {
        key: i.studyInstanceUid,
        patientKey: i.patientId,
        studyDate,
        modalities: [],
        manufacturer: i.manufacturer,
      };
      studies.set(i.studyInstanceUid, s);
    }
    if (!s.modalities.includes(i.modality)) s.modalities.push(i.modality);
  }
  return {
    patients: [...patients].map(([key, p]) => ({
      key,
      sex: p.sex,
      ages: [...p.ages].map(([studyDate, age]) => ({ age, studyDate })),
      studyDates: [...p.dates].sort(),
    })),
    studies: [...studies.values()].map((s) => ({ ...s, modalities: [...s.modalities].sort() })),
  };
}

/** Refuses to write into a folder that already holds files: nothing of the user's is ever overwritten. */
async function prepareOutput(out: string): Promise<void> {
  await mkdir(out, { recursive: true });
  const entries = (await readdir(out)).filter((e) => !e.startsWith('.'));
  if (entries.length > 0)
    throw new PseudophiError(`output folder ${out} is not empty; choose a new one`, { file: out });
}

/** Runs the whole generation. */
export async function generate(
  options: GenerateOptions,
  reporter: Reporter = silentReporter,
): Promise<GenerateSummary> {
  // The profile is read first so that a bad one fails before anything is written.
  const burnShares = { ...DEFAULT_BURN_SHARES, ...loadProfile(options.profile).burn };
  await prepareOutput(options.out);
  let inputDir = options.input;
  let corpusDir: string | undefined;
  if (!inputDir) {
    // The built-in corpus is generated into a scratch folder and used as the input folder.
    corpusDir = await mkdtemp(join(options.out, '.corpus-'));
    // The corpus builder and verify are loaded only by runs that use them (start-up time).
    const { generateCorpus } = await import('../corpus/index.js');
    await generateCorpus(
      {
        out: corpusDir,
        seed: options.seed,
        profile: options.profile,
        ...(options.patients ? { patients: options.patients } : {}),
      },
      { progress: (p) => reporter.progress('corpus', p.written, p.total) },
    );
    inputDir = join(corpusDir, 'dicom');
  }
  try {
    // The file work is done in a second thread (in this one under the TS sources): inputs read ahead and
    // hashed, outputs written and hashed. Opened first, the thread starts while the inputs are scanned.
    const thread = options.threads ?? true;
    const io = openFileIo({ thread });
    let planner: RunPlanner;
    try {
      planner = await planRun(inputDir, options.seed, reporter);
    } catch (error) {
      await io.close();
      throw error;
    }
    // Verified while the inputs (a scratch corpus) are still there, so burned pixels meet their sources.
    const verify = async (dir: string, summary: GenerateSummary): Promise<void> => {
      if (!options.verify) return;
      const { verifyDataset } = await import('./verify.js');
      summary.verify = await verifyDataset(dir, reporter, { sources: inputDir });
    };
    const { scan } = planner;
    if (!options.split) {
      const summary = await generateFrom(
        io,
        planner,
        scan.instances,
        options.out,
        options,
        burnShares,
        reporter,
      );
      await verify(options.out, summary);
      return summary;
    }
    const shares = options.split;
    const splitOf = assignSplits(options.seed, primaryModalities(scan.instances), shares);
    const splits: NonNullable<GenerateSummary['splits']> = [];
    try {
      for (const { name } of shares) await prepareOutput(join(options.out, name));
    } catch (error) {
      await io.close();
      throw error;
    }
    for (const [n, { name, share }] of shares.entries()) {
      const dir = join(options.out, name);
      const subset = scan.instances.filter((i) => splitOf.get(i.patientId) === name);
      const summary = await generateFrom(
        n === 0 ? io : openFileIo({ thread }),
        planner,
        subset,
        dir,
        options,
        burnShares,
        reporter,
        { name, shares },
      );
      await verify(dir, summary);
      splits.push({ name, share, summary });
    }
    const total = (field: 'patients' | 'studies' | 'series' | 'instances' | 'rejects' | 'checks') =>
      splits.reduce((a, s) => a + s.summary[field], 0);
    return {
      patients: total('patients'),
      studies: total('studies'),
      series: total('series'),
      instances: total('instances'),
      rejects: total('rejects'),
      checks: total('checks'),
      checksByAction: Object.fromEntries(
        ACTIONS.map((a) => [a, splits.reduce((n, s) => n + (s.summary.checksByAction[a] ?? 0), 0)]),
      ),
      burned: splits.reduce((a, s) => a + s.summary.burned, 0),
      burnSkipped: splits.reduce((a, s) => a + s.summary.burnSkipped, 0),
      outputBytes: splits.reduce((a, s) => a + s.summary.outputBytes, 0),
      splits,
    };
  } finally {
    if (corpusDir) await rm(corpusDir, { recursive: true, force: true });
  }
}

/**
 * Everything an instance is planned with, fixed once per run: the scanned inputs, one identity per patient
 * and per study, the insertion templates. `generate` plans every instance through it; exported so that a
 * test can re-plan any source instance exactly as the run did.
 */
export interface RunPlanner {
  scan: ScanResult;
  /** The seeded Patient ID the instance's patient gets. */
  patientIdOf(source: SourceInstance): string;
  /** The identity values of the instance's patient and study, as inserted into its header. */
  identityOf(source: SourceInstance): IdentityValues;
  /** The plan of one source instance (its data set as read, not modified). */
  plan(source: SourceInstance, dataset: DicomDataset): InstancePlan;
}

/** Scans an input folder and plans the run's identities. */
export async function planRun(
  inputDir: string,
  seed: string,
  reporter: Reporter = silentReporter,
): Promise<RunPlanner> {
  const scan = await scanInputs(inputDir, reporter);
  const facts = collectFacts(scan.instances);
  const identities = planIdentities(seed, facts.patients, facts.studies);
  const patientByKey = new Map(identities.patients.map((p) => [p.key, p]));
  const studyByKey = new Map(identities.studies.map((s) => [s.key, s]));
  const templates = loadInsertTemplates();
  // One IdentityValues per patient, study and modality (it is a pure lookup table of their values).
  const identityValues = new Map<string, IdentityValues>();
  const identityOf = (source: SourceInstance): IdentityValues => {
    const key = `${source.patientId}\u0000${source.studyInstanceUid}\u0000${source.modality}`;
    let values = identityValues.get(key);
    if (!values) {
      values = new IdentityValues(
        patientByKey.get(source.patientId)!,
        studyByKey.get(source.studyInstanceUid)!,
        source.modality,
      );
      identityValues.set(key, values);
    }
    return values;
  };
  return {
    scan,
    patientIdOf: (source) => patientByKey.get(source.patientId)!.patientId,
    identityOf,
    plan: (source, dataset) =>
      planInstance(dataset, {
        seed,
        sourceSopInstanceUid: source.sopInstanceUid,
        modality: source.modality,
        identity: identityOf(source),
        templates,
      }),
  };
}

/**
 * Generates one dataset into `out` from `instances` (all the scanned instances, or a split's: whole
 * patients, in scan order) with the run's planner; closes `io`. The scan's rejects are listed in every
 * dataset's rejects.json (they belong to no patient).
 */
async function generateFrom(
  io: FileIo,
  planner: RunPlanner,
  instances: readonly SourceInstance[],
  out: string,
  options: GenerateOptions,
  burnShares: Readonly<Record<string, number>>,
  reporter: Reporter,
  split?: SplitOfRun,
): Promise<GenerateSummary> {
  const { seed } = options;
  const thread = options.threads ?? true;
  const { scan } = planner;
  const stage = split ? `generate ${split.name}` : 'generate';
  const rejects: Reject[] = [...scan.rejects];
  io.readAhead(instances.map((s) => s.path));

  // The key is written in a third thread while this one generates (in this one under the TS sources).
  const writer = openAnswerKeyWriter(out, { thread });
  // Instances of a series share most checks: derived once, validated and stored once.
  const deriver = new CheckDeriver();
  const outputs: Array<{
    file: Omit<FileRecord, 'sha256'>;
    /** Settles once the file is written. */
    sha256: Promise<string>;
    source: string;
  }> = [];
  const checksByAction: Record<string, number> = Object.fromEntries(ACTIONS.map((a) => [a, 0]));
  const written = { patients: new Set<string>(), studies: new Set<string>(), series: new Set<string>() };
  // UID links of the input, to tell a reference the input already left dangling from one we broke.
  const sourceTargets = new Set<string>();
  const sourceReferences = new Set<string>();
  let outputBytes = 0;
  let checkCount = 0;
  let burnedCount = 0;
  /** Instances chosen for burned-in text that could not take it, and why (listed in the manifest). */
  const unburned: Reject[] = [];
  // The pixel codecs (WebAssembly, slow to start) are started by the first instance chosen for burned-in
  // text whose pixels need them; native pixels are drawn on without.
  let codecsReady: Promise<void> | undefined;
  // The burner (and the canvas library behind it) loads at the first instance chosen for burned text.
  let burner: Promise<typeof import('./burn-instance.js')> | undefined;
  let seriesKey = '';
  let indexInSeries = 0;
  try {
    for (const [n, source] of instances.entries()) {
      reporter.progress(stage, n, instances.length);
      const input = await io.read(n);
      indexInSeries = source.seriesInstanceUid === seriesKey ? indexInSeries + 1 : 1;
      seriesKey = source.seriesInstanceUid;
      let bytes: Uint8Array;
      let checks: Check[];
      let pixelMd5: string | undefined;
      let sourceSha256: string;
      let burned: BurnOutcome | undefined;
      try {
        if (input instanceof Error) throw input;
        sourceSha256 = input.sha256;
        const file = parseDicom(input.bytes, { path: source.relativePath });
        // The input's Pixel Data, whose MD5 the I/O thread took: reused if the output stores the same bytes.
        // These are the input's own bytes, not a copy, so the MD5 is reused only when burning (the one step
        // that edits pixels, possibly in place) was not attempted: a burned output is always hashed afresh.
        let sourcePixels = storedPixelDataBytes(file.dataset);
        const links = collectUidLinks(file.dataset);
        links.targets.forEach((uid) => sourceTargets.add(uid));
        links.references.forEach((uid) => sourceReferences.add(uid));
        const plan = planner.plan(source, file.dataset);
        applyPlan(file.dataset, plan);
        // The meta group repeats the SOP Instance UID; it follows the data set.
        const sop = getString(file.dataset, requireTag('SOPInstanceUID'));
        if (sop) setStrings(file.meta, Tags.MediaStorageSOPInstanceUID, sop, 'UI');
        if (chooseBurn(seed, burnShares, source)) {
          sourcePixels = undefined;
          if (needsCodecs(file.transferSyntaxUid)) await (codecsReady ??= initializeCodecs());
          const { burnInstance, burnValues, isUnburnable } = await (burner ??= import('./burn-instance.js'));
          try {
            const values = burnValues(planner.identityOf(source), file);
            burned = burnInstance(file, seed, source.sopInstanceUid, source.modality, values);
          } catch (error) {
            // A pixel format the burner cannot draw on (or a plan with no room) leaves the image as it was.
            if (!isUnburnable(error)) throw error;
            unburned.push({ relativePath: source.relativePath, reason: rejectReason(error) });
          }
        }
        bytes = writeDicom(file, { allocate: (length) => io.outputBuffer(length) });
        const output = parseDicom(bytes).dataset;
        pixelMd5 = storedPixelDataMd5Reusing(output, { bytes: sourcePixels, md5: input.pixelDataMd5 });
        checks = deriver.derive({
          output,
          plan,
          sopClassUid: source.sopClassUid,
          pixelDataMd5: pixelMd5,
        });
        if (burned) checks = withPixelsHidden(checks, pixelsHiddenChecks(burned.checks));
      } catch (error) {
        rejects.push({ relativePath: source.relativePath, reason: rejectReason(error) });
        continue;
      } finally {
        // Nothing below reads the input (its data set's values are views into it): its buffer is reused.
        io.release(n);
      }
      const patientId = planner.patientIdOf(source);
      const studyUid = mapUid(seed, source.studyInstanceUid);
      const seriesUid = mapUid(seed, source.seriesInstanceUid);
      const sopUid = mapUid(seed, source.sopInstanceUid);
      const relativePath = `dicom/${patientId}/${studyUid}/${seriesUid}/${String(indexInSeries).padStart(8, '0')}.dcm`;
      const key = {
        sopInstanceUid: sopUid,
        sopClassUid: source.sopClassUid,
        modality: source.modality,
        patientId,
        studyInstanceUid: studyUid,
        seriesInstanceUid: seriesUid,
      };
      writer.addInstance(key, checks, burned?.rows ?? []);
      if (burned) burnedCount++;
      outputBytes += bytes.length;
      const sha256 = io.write(join(out, relativePath), bytes); // hands the bytes over
      sha256.catch(() => undefined); // observed below; this only keeps it from counting as unhandled
      outputs.push({
        file: { ...key, outputPath: relativePath, sourceSha256, pixelDataMd5: pixelMd5 ?? null },
        sha256,
        source: source.relativePath,
      });
      // Bounded memory: with MAX_PENDING_WRITES outputs in flight, wait for the oldest.
      if (outputs.length > MAX_PENDING_WRITES) await outputs[outputs.length - 1 - MAX_PENDING_WRITES]!.sha256;
      for (const c of checks) checksByAction[c.action] = (checksByAction[c.action] ?? 0) + 1;
      checkCount += checks.length;
      written.patients.add(patientId);
      written.studies.add(studyUid);
      written.series.add(seriesUid);
    }
    const digests = await Promise.all(outputs.map((o) => o.sha256));
    await io.close();
    outputs.forEach((o, i) => writer.addFile({ ...o.file, sha256: digests[i]! }));
    reporter.progress(stage, instances.length, instances.length);
    const counts = {
      patients: written.patients.size,
      studies: written.studies.size,
      series: written.series.size,
      instances: outputs.length,
      rejects: rejects.length,
      checks: checkCount,
      burned: burnedCount,
      burnSkipped: unburned.length,
      ...Object.fromEntries(Object.entries(checksByAction).map(([a, n]) => [`checks.${a}`, n])),
    };
    const runOptions = {
      input: options.input ? 'folder' : `corpus:${options.profile}`,
      profile: options.profile,
      patients: options.patients ?? null,
      burn: burnShares,
      // Only in split runs, so that an unsplit run's key and manifest are as before.
      ...(split ? { split: { name: split.name, shares: split.shares.map((s) => ({ ...s })) } } : {}),
    };
    await writer.close({
      seed,
      toolVersion: VERSION,
      dependencyVersions: dependencyVersions(GENERATE_PACKAGES),
      options: runOptions,
      counts,
    });
    rejects.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
    await writeFileAtomic(join(out, 'rejects.json'), Buffer.from(`${stableJson(rejects)}\n`));
    const answerKeySha = sha256(await readInputBytes(join(out, ANSWER_KEY_FILE)));
    const manifest = {
      tool: 'pseudophi',
      version: VERSION,
      dependencies: dependencyVersions(GENERATE_PACKAGES),
      seed,
      options: runOptions,
      counts,
      inputs: outputs.map((o) => ({ path: o.source, sha256: o.file.sourceSha256 })),
      outputs: outputs.map((o, i) => ({ path: o.file.outputPath, sha256: digests[i]!, source: o.source })),
      answerKey: { path: ANSWER_KEY_FILE, sha256: answerKeySha },
      unburned,
      danglingReferences: [...sourceReferences]
        .filter((uid) => !sourceTargets.has(uid))
        .map((uid) => mapUid(seed, uid))
        .sort(),
    };
    await writeFileAtomic(join(out, 'manifest.json'), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    return {
      patients: counts.patients,
      studies: counts.studies,
      series: counts.series,
      instances: counts.instances,
      rejects: rejects.length,
      checks: checkCount,
      checksByAction,
      burned: burnedCount,
      burnSkipped: unburned.length,
      outputBytes,
    };
  } catch (error) {
    await writer.abort();
    await io.close();
    throw error;
  }
}
