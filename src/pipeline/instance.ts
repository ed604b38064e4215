/**
 * One source instance through the generate flow (generate.ts): read -> plan -> apply -> [burn] -> write
 * -> derive its checks. The same code runs in the calling thread and in the worker pool's threads
 * (generate-pool.ts), so the bytes, checks and records of an instance do not depend on where it ran.
 */
import {
  checkCategoryLabel,
  CheckDeriver,
  type BurnedTextRow,
  type Check,
  type FileRecord,
  type InstanceKey,
} from '../answerkey/index.js';
import { pixelsHiddenChecks, withPixelsHidden } from '../answerkey/pixels-hidden.js';
import {
  getString,
  initializeCodecs,
  needsCodecs,
  parseDicom,
  releaseCodecs,
  requireTag,
  setStrings,
  storedPixelDataBytes,
  storedPixelDataMd5Reusing,
  Tags,
  writeDicom,
  type InputFile,
} from '../dicom/index.js';
import { applyPlan, mapUid } from '../insert/index.js';
import { chooseBurn } from './burn-choice.js';
import type { BurnOutcome } from './burn-instance.js';
import type { InstancePlanner } from './planner.js';
import { collectUidLinks } from './references.js';
import { rejectReason, type SourceInstance } from './scan.js';

/** One source instance to generate: its place in the run's scan and in its series. */
export interface InstanceTask {
  /** Index in the scan of all the run's inputs (the order of the key, the manifest and a merge). */
  scanIndex: number;
  source: SourceInstance;
  /** 1-based position in its series in scan order, rejected instances included (the output file name). */
  indexInSeries: number;
}

/** What became of a written instance, as the run records it (serializable; see records.ts). */
export interface WrittenOutcome {
  scanIndex: number;
  source: string;
  /** The `files` row; its sha256 is the written file's. */
  file: FileRecord;
  bytes: number;
  burned: boolean;
  /** Why an instance chosen for burned-in text could not take it. */
  unburned?: string;
  /** Elements the plan left as they were because no character set could write them as planned. */
  unencodable?: string[];
  checks: number;
  checksByAction: Record<string, number>;
  checksByCategory: Record<string, number>;
  /** UIDs the source's data set defines and references (to tell dangling references; source values). */
  targets: string[];
  references: string[];
}

/** What became of a rejected instance. */
export interface RejectedOutcome {
  scanIndex: number;
  source: string;
  rejected: string;
  /** The source's UID links when it parsed (they count for dangling references as the written ones do). */
  targets?: string[];
  references?: string[];
}

export type InstanceOutcome = WrittenOutcome | RejectedOutcome;

/** An instance generated but not yet written: its output bytes and its rows for the key. */
export interface GeneratedInstance {
  outcome: WrittenOutcome;
  bytes: Uint8Array;
  key: InstanceKey;
  checks: Check[];
  burned: readonly BurnedTextRow[];
}

/** Category labels of checks seen before: a series' instances share most of their (frozen) checks. */
const categoryOf = new WeakMap<Check, string>();

/** Counts of `checks` by action and by MIDI-B category (Table C3; `none` for checks outside them). */
function countChecks(checks: readonly Check[]): Pick<WrittenOutcome, 'checksByAction' | 'checksByCategory'> {
  const byAction: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  for (const c of checks) {
    byAction[c.action] = (byAction[c.action] ?? 0) + 1;
    let category = categoryOf.get(c);
    if (category === undefined) categoryOf.set(c, (category = checkCategoryLabel(c) ?? 'none'));
    byCategory[category] = (byCategory[category] ?? 0) + 1;
  }
  return { checksByAction: byAction, checksByCategory: byCategory };
}

/** The relative output path of an instance: dicom/<PatientID>/<StudyUID>/<SeriesUID>/<8 digits>.dcm. */
const outputPathOf = (key: InstanceKey, indexInSeries: number): string =>
  `dicom/${key.patientId}/${key.studyInstanceUid}/${key.seriesInstanceUid}/${String(indexInSeries).padStart(8, '0')}.dcm`;

/**
 * Generates instances with one run's planner and burn shares. Instances of a series share most checks:
 * the deriver derives, freezes and shares them, so keep one generator per thread.
 */
export class InstanceGenerator {
  private readonly deriver = new CheckDeriver();
  // The burner (and the canvas library behind it) loads at the first instance chosen for burned text.
  private burner: Promise<typeof import('./burn-instance.js')> | undefined;

  constructor(
    private readonly planner: InstancePlanner,
    private readonly burnShares: Readonly<Record<string, number>>,
  ) {}

  /**
   * Generates one instance from its input file; a reason when it cannot be used. `allocate` gives the
   * buffer the output is encoded into. The input's bytes are read (not kept) by the time this settles.
   */
  async generate(
    task: InstanceTask,
    input: InputFile | Error,
    allocate?: (length: number) => Uint8Array,
  ): Promise<GeneratedInstance | RejectedOutcome> {
    const { planner } = this;
    const { source, scanIndex } = task;
    const seed = planner.seed;
    let links: { targets: Iterable<string>; references: Iterable<string> } | undefined;
    try {
      if (input instanceof Error) throw input;
      const file = parseDicom(input.bytes, { path: source.relativePath });
      // The input's Pixel Data, whose MD5 was taken as it was read: reused if the output stores the same
      // bytes. These are the input's own bytes, not a copy, so the MD5 is reused only when burning (the one
      // step that edits pixels, possibly in place) was not attempted: a burned output is hashed afresh.
      let sourcePixels = storedPixelDataBytes(file.dataset);
      links = collectUidLinks(file.dataset);
      const plan = planner.plan(source, file.dataset);
      applyPlan(file.dataset, plan);
      // The meta group repeats the SOP Instance UID; it follows the data set.
      const sop = getString(file.dataset, requireTag('SOPInstanceUID'));
      if (sop) setStrings(file.meta, Tags.MediaStorageSOPInstanceUID, sop, 'UI');
      let burned: BurnOutcome | undefined;
      let unburned: string | undefined;
      if (chooseBurn(seed, this.burnShares, source)) {
        sourcePixels = undefined;
        // Codecs started here are let go after the image (see releaseCodecs); codecs another user of this
        // thread started are left running.
        const startedCodecs = needsCodecs(file.transferSyntaxUid) && (await initializeCodecs());
        const { burnInstance, burnValues, isUnburnable } = await (this.burner ??= import(
          './burn-instance.js'
        ));
        try {
          const values = burnValues(planner.identityOf(source), file);
          burned = burnInstance(file, seed, source.sopInstanceUid, source.modality, values);
        } catch (error) {
          // A pixel format the burner cannot draw on (or a plan with no room) leaves the image as it was.
          if (!isUnburnable(error)) throw error;
          unburned = rejectReason(error);
        } finally {
          if (startedCodecs) releaseCodecs();
        }
      }
      const bytes = writeDicom(file, allocate ? { allocate } : {});
      const output = parseDicom(bytes).dataset;
      const pixelMd5 = storedPixelDataMd5Reusing(output, { bytes: sourcePixels, md5: input.pixelDataMd5 });
      let checks = this.deriver.derive({
        output,
        plan,
        sopClassUid: source.sopClassUid,
        pixelDataMd5: pixelMd5,
      });
      if (burned) checks = withPixelsHidden(checks, pixelsHiddenChecks(burned.checks));
      const key: InstanceKey = {
        sopInstanceUid: mapUid(seed, source.sopInstanceUid),
        sopClassUid: source.sopClassUid,
        modality: source.modality,
        patientId: planner.patientIdOf(source),
        studyInstanceUid: mapUid(seed, source.studyInstanceUid),
        seriesInstanceUid: mapUid(seed, source.seriesInstanceUid),
      };
      const outcome: WrittenOutcome = {
        scanIndex,
        source: source.relativePath,
        file: {
          ...key,
          outputPath: outputPathOf(key, task.indexInSeries),
          sourceSha256: input.sha256,
          sha256: '', // the written file's, filled in once it is written
          pixelDataMd5: pixelMd5 ?? null,
        },
        bytes: bytes.length,
        burned: burned !== undefined,
        ...(unburned === undefined ? {} : { unburned }),
        ...(plan.unencodable?.length ? { unencodable: [...plan.unencodable] } : {}),
        checks: checks.length,
        ...countChecks(checks),
        targets: [...links.targets],
        references: [...links.references],
      };
      return { outcome, bytes, key, checks, burned: burned?.rows ?? [] };
    } catch (error) {
      const rejected: RejectedOutcome = {
        scanIndex,
        source: source.relativePath,
        rejected: rejectReason(error),
      };
      if (links) Object.assign(rejected, { targets: [...links.targets], references: [...links.references] });
      return rejected;
    }
  }
}
