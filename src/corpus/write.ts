/**
 * The corpus applier: plans the corpus, then builds, encodes and atomically writes one instance at a time
 * (bounded memory), and finally writes manifest.json with the SHA-256 of every file.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { REFERENCE_DATE, type CalendarDate } from '../config/reference-date.js';
import { dependencyVersions } from '../config/versions.js';
import {
  DicomDataset,
  initializeCodecs,
  setPixelFrames,
  TS,
  writeDicom,
  writeFileAtomic,
  type DicomFile,
  type PixelDescription,
  createDicomFile,
} from '../dicom/index.js';
import { ConfigError } from '../errors/index.js';
import { VERSION } from '../version.js';
import { buildInstance } from './modalities/index.js';
import type { InstanceContext } from './modalities/context.js';
import { countPlan, planCorpus, type CorpusPlan } from './plan.js';
import { loadProfile, MAX_PATIENTS, type CorpusProfile, type TransferSyntaxKey } from './profile.js';
import { loadCorpusTemplates, type CorpusTemplates } from './templates.js';
import { applyVendorPrivateBlocks } from './vendor-private.js';
import { stableJson } from './stable-json.js';
import { renderInWorkers, workerScript } from './worker-pool.js';

/** Files being written at once while the next ones are built. */
const MAX_WRITES_IN_FLIGHT = 4;

/** Options of a corpus run. */
export interface CorpusOptions {
  readonly out: string;
  readonly seed: string;
  readonly profile: string;
  /** Overrides the profile's patient count. */
  readonly patients?: number;
  /** Overrides the fixed reference date (tests only). */
  readonly referenceDate?: CalendarDate;
  /**
   * Worker threads that build and encode instances (default 1: the calling thread). Output bytes do not
   * depend on it. Only available when running the compiled JavaScript; otherwise the calling thread works.
   */
  readonly workers?: number;
}

/** Progress and totals reported while the corpus is written. */
export interface CorpusProgress {
  readonly written: number;
  readonly total: number;
  readonly path: string;
}

/** Callbacks the caller supplies; the library never logs. */
export interface CorpusReporter {
  progress?(p: CorpusProgress): void;
}

/** What a run wrote. */
export interface CorpusSummary {
  readonly patients: number;
  readonly studies: number;
  readonly series: number;
  readonly instances: number;
  readonly bytes: number;
  readonly manifestPath: string;
}

const SYNTAX_UIDS: Record<TransferSyntaxKey, string> = {
  'explicit-le': TS.ExplicitVRLittleEndian,
  'implicit-le': TS.ImplicitVRLittleEndian,
  'jpeg-lossless': TS.JPEGLosslessSV1,
  'jpeg-ls': TS.JPEGLSLossless,
  jpeg2000: TS.JPEG2000Lossless,
  rle: TS.RLELossless,
};

/**
 * The syntax an instance is stored in. JPEG lossless and JPEG-LS code unsigned samples only (PS3.5 A.4.1,
 * A.4.3 leave signed data to the application), so signed pixels fall back to RLE, which stores bytes.
 * The JPEG 2000 encoder applies the reversible colour transform to three samples, which PS3.5 8.2.4 says
 * must be labelled YBR_RCT; rather than relabel, colour images go to RLE instead.
 */
export function storageSyntax(key: TransferSyntaxKey, d: PixelDescription | undefined): string {
  if (!d) return key === 'implicit-le' ? TS.ImplicitVRLittleEndian : TS.ExplicitVRLittleEndian;
  if (d.pixelRepresentation === 1 && (key === 'jpeg-lossless' || key === 'jpeg-ls'))
    return TS.JPEG2000Lossless;
  if (d.samplesPerPixel === 3 && key === 'jpeg2000') return TS.RLELossless;
  return SYNTAX_UIDS[key];
}

/** Encodes one built instance to Part 10 bytes. */
export function encodeInstance(
  dataset: DicomDataset,
  pixels: { frames: readonly Uint8Array[]; description: PixelDescription } | undefined,
  syntax: TransferSyntaxKey,
): Uint8Array {
  const file: DicomFile = createDicomFile(dataset);
  const uid = storageSyntax(syntax, pixels?.description);
  if (pixels) {
    const encapsulated = uid !== TS.ExplicitVRLittleEndian && uid !== TS.ImplicitVRLittleEndian;
    setPixelFrames(file, pixels.frames, pixels.description, encapsulated ? uid : TS.ExplicitVRLittleEndian);
  }
  return writeDicom(file, { transferSyntaxUid: uid });
}

/** Every instance of a plan with its context, in plan order. */
export function* instanceContexts(plan: CorpusPlan, templates: CorpusTemplates): Generator<InstanceContext> {
  for (const patient of plan.patients) {
    const collection = templates.collections.find((c) => c.key === patient.collectionKey)!;
    for (const study of patient.studies) {
      const mainTemplate = templates.studies.find((s) => s.key === study.templateKey)!;
      for (const series of study.series) {
        const studyTemplate = templates.studies.find((s) => s.key === series.templateKey)!;
        const seriesTemplate = studyTemplate.series[series.templateIndex]!;
        const equipment = templates.equipment[series.modality].find((e) => e.key === series.equipmentKey)!;
        for (const instance of series.instances) {
          yield {
            seed: plan.seed,
            templates,
            patient,
            study,
            series,
            instance,
            collection,
            mainTemplate,
            studyTemplate,
            seriesTemplate,
            equipment,
          };
        }
      }
    }
  }
}

/** The relative output path of an instance: dicom/<PatientID>/<StudyUID>/<SeriesUID>/<8-digit number>.dcm. */
export function instancePath(ctx: InstanceContext): string {
  return join(
    'dicom',
    ctx.patient.patientId,
    ctx.study.studyInstanceUid,
    ctx.series.seriesInstanceUid,
    `${String(ctx.instance.instanceNumber).padStart(8, '0')}.dcm`,
  );
}

/** Packages whose behaviour shapes the corpus bytes. */
const CORPUS_PACKAGES = ['dcmjs-codecs', 'seedrandom'];

/** Refuses an output folder that already holds corpus files: stale files would sit beside a new manifest. */
async function assertFreshOutput(out: string): Promise<void> {
  const entries = await readdir(join(out, 'dicom')).catch(() => [] as string[]);
  if (entries.length > 0) {
    throw new ConfigError(`${join(out, 'dicom')} is not empty; write the corpus to a new or empty folder`);
  }
}

/** Resolves options into a profile and a patient count, or throws ConfigError. */
export function resolveCorpusOptions(options: CorpusOptions): { profile: CorpusProfile; patients: number } {
  const profile = loadProfile(options.profile);
  const patients = options.patients ?? profile.patients;
  if (!Number.isInteger(patients) || patients < 1 || patients > MAX_PATIENTS) {
    throw new ConfigError(
      `--patients must be an integer from 1 to ${MAX_PATIENTS}, not ${String(options.patients)}`,
    );
  }
  return { profile, patients };
}

/** Builds and encodes one instance to its Part 10 bytes (the same in the main thread and in workers). */
export function renderInstance(ctx: InstanceContext, templates: CorpusTemplates): Uint8Array {
  const built = buildInstance(ctx);
  applyVendorPrivateBlocks(built.dataset, ctx.equipment, templates);
  return encodeInstance(built.dataset, built.pixels, ctx.instance.transferSyntax);
}

/** Plans and writes the clean corpus; returns what was written. */
export async function generateCorpus(
  options: CorpusOptions,
  reporter: CorpusReporter = {},
): Promise<CorpusSummary> {
  const { profile, patients } = resolveCorpusOptions(options);
  await assertFreshOutput(options.out);
  const templates = loadCorpusTemplates();
  const referenceDate = options.referenceDate ?? REFERENCE_DATE;
  const plan = planCorpus({ profile, templates, seed: options.seed, patients, referenceDate });
  const contexts = [...instanceContexts(plan, templates)];
  const totals = countPlan(plan);
  const hashes: Record<string, string> = {};
  let bytes = 0;
  let written = 0;
  // Writes overlap with building the next instances, but at most a few are in flight (bounded memory).
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const accept = async (index: number, encoded: Uint8Array): Promise<void> => {
    const path = instancePath(contexts[index]!);
    hashes[path.split('\\').join('/')] = createHash('sha256').update(encoded).digest('hex');
    bytes += encoded.length;
    const write: Promise<void> = writeFileAtomic(join(options.out, path), encoded).then(
      () => {
        inFlight.delete(write);
        written++;
        reporter.progress?.({ written, total: totals.instances, path });
      },
      (error: unknown) => {
        inFlight.delete(write);
        failure ??= error;
      },
    );
    inFlight.add(write);
    if (inFlight.size >= MAX_WRITES_IN_FLIGHT) await Promise.race(inFlight);
    if (failure !== undefined) throw failure;
  };
  const workers = Math.min(options.workers ?? 1, contexts.length);
  const script = workerScript();
  if (workers > 1 && script) {
    await renderInWorkers(script, plan, contexts.length, workers, accept);
  } else {
    await initializeCodecs();
    for (let index = 0; index < contexts.length; index++)
      await accept(index, renderInstance(contexts[index]!, templates));
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  const manifest = {
    tool: 'pseudophi',
    version: VERSION,
    dependencies: dependencyVersions(CORPUS_PACKAGES),
    command: 'corpus',
    seed: options.seed,
    profile: { name: profile.name, content: profile },
    options: { patients, referenceDate },
    totals: { ...totals, bytes },
    files: hashes,
  };
  const manifestPath = join(options.out, 'manifest.json');
  await writeFileAtomic(manifestPath, Buffer.from(`${stableJson(manifest)}\n`, 'utf8'));
  return { ...totals, bytes, manifestPath };
}
