/**
 * What the HTML report shows, as plain data: the dataset's composition, its checks tallied by action,
 * scorer category, every `answer_category_v2` field and HIPAA kind, the burned-in instances chosen for
 * thumbnails, and the run's seed, profile, options and versions. Read from the answer key one instance at
 * a time (AnswerKeySource), so that a key of millions of checks is never held in memory at once.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ANSWER_KEY_FILE,
  AnswerKeySource,
  checkCategoryLabel,
  type BurnedTextRow,
  type Check,
} from '../answerkey/index.js';
import { ACTIONS, HIPAA_KIND_NAMES, HIPAA_KINDS, type HipaaKind } from '../phi/index.js';

/** One bar of a chart. */
export interface TallyEntry {
  readonly label: string;
  readonly count: number;
  /** A longer description (the HIPAA kind's name), shown as the bar's tooltip. */
  readonly title?: string;
}

/** One chart's data: its bars in display order, and the count of items with no value. */
export interface Tally {
  readonly id: string;
  readonly title: string;
  readonly entries: readonly TallyEntry[];
  /** Items without a value for this chart (a null category field), not drawn as a bar. */
  readonly unset: number;
}

/** Per-modality composition. */
export interface ModalityRow {
  readonly modality: string;
  readonly patients: number;
  readonly studies: number;
  readonly series: number;
  readonly instances: number;
  readonly checks: number;
  readonly burned: number;
}

/** A pixel box, in the image's own pixel coordinates (bottom-right exclusive). */
export interface ReportBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly text: string;
}

/** A burned line's box, with whether it is PHI or a decoy. */
export interface ReportLine extends ReportBox {
  readonly phi: boolean;
}

/** A burned-in instance chosen for a thumbnail. */
export interface ThumbnailChoice {
  readonly sopInstanceUid: string;
  readonly modality: string;
  readonly patientId: string;
  /** Path relative to the dataset directory. */
  readonly outputPath: string;
  /** The frame shown (the first frame with burned text). */
  readonly frame: number;
  /** The pixels_hidden boxes (MIDI-B `top_left`/`bottom_right`). */
  readonly hidden: readonly ReportBox[];
  /** The burned_text line boxes on the frame shown. */
  readonly lines: readonly ReportLine[];
}

/** The run as manifest.json records it. */
export interface RunInfo {
  readonly seed: string;
  readonly profile: string | null;
  readonly tool: string;
  readonly toolVersion: string;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly options: unknown;
  readonly counts: Readonly<Record<string, number>>;
  readonly unburned: number;
  readonly rejects: number;
}

/** Everything the report shows except the thumbnails' pixels. */
export interface ReportSummary {
  readonly totals: {
    readonly patients: number;
    readonly studies: number;
    readonly series: number;
    readonly instances: number;
    readonly checks: number;
    readonly decoys: number;
    readonly burned: number;
  };
  readonly modalities: readonly ModalityRow[];
  readonly instancesPerPatient: Tally;
  readonly actions: Tally;
  readonly scorerCategories: Tally;
  /** One tally per answer_category_v2 field, in the key's field order. */
  readonly categoryFields: readonly Tally[];
  readonly hipaaKinds: Tally;
  readonly run: RunInfo | null;
  /** The burned-in instances shown, at most the cap, spread evenly over key order. */
  readonly thumbnails: readonly ThumbnailChoice[];
}

/** Options of summarizeDataset. */
export interface SummaryOptions {
  /** Most thumbnails (default DEFAULT_MAX_THUMBNAILS). */
  readonly maxThumbnails?: number;
  /** Called every few hundred instances while the key is read. */
  readonly progress?: (done: number, total: number) => void;
}

/** Default cap on thumbnails: enough to see the layouts, small enough to keep the file a few MB. */
export const DEFAULT_MAX_THUMBNAILS = 24;

/** The answer_category_v2 fields, as the key spells them. */
export const CATEGORY_FIELDS = [
  'hipaa.z',
  'hipaa.m',
  'dicom.p15',
  'dicom.iod',
  'dicom.safe',
  'tcia.ptkb',
  'tcia.p15',
  'tcia.rev',
  'prev_cat',
] as const;

const fieldValue = (check: Check, field: (typeof CATEGORY_FIELDS)[number]): string | null => {
  const c = check.categories;
  switch (field) {
    case 'hipaa.z':
      return c.hipaa.z;
    case 'hipaa.m':
      return c.hipaa.m;
    case 'dicom.p15':
      return c.dicom.p15;
    case 'dicom.iod':
      return c.dicom.iod;
    case 'dicom.safe':
      return c.dicom.safe;
    case 'tcia.ptkb':
      return c.tcia.ptkb;
    case 'tcia.p15':
      return c.tcia.p15;
    case 'tcia.rev':
      return c.tcia.rev;
    case 'prev_cat':
      return c.prev_cat;
  }
};

const HIPAA_M = /^HIPAA-([A-R])$/;

/**
 * The HIPAA kind of a check: its recorded kind (the `checks` table's phi_kind, which AnswerKeySource does
 * not join), else the kind in `hipaa.m` (the key derives hipaa.m from the kind; pixels_hidden checks carry
 * HIPAA-A without a recorded kind).
 */
export function hipaaKindOf(check: Check): HipaaKind | null {
  if (check.phiKind) return check.phiKind;
  const m = HIPAA_M.exec(check.categories.hipaa.m ?? '');
  return m ? (m[1] as HipaaKind) : null;
}

/** Counts by label, in first-seen order; `sortedEntries` orders them for display. */
class Counter {
  readonly counts = new Map<string, number>();
  unset = 0;
  add(label: string | null | undefined, by = 1): void {
    if (label === null || label === undefined || label === '') {
      this.unset += by;
      return;
    }
    this.counts.set(label, (this.counts.get(label) ?? 0) + by);
  }
  /** Count descending, then label in code-unit order (no locale: the order must not depend on the machine). */
  sortedEntries(): TallyEntry[] {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([label, count]) => ({ label, count }));
  }
}

/** The indices of `cap` items spread evenly over `n` (all of them when n <= cap). */
export function spreadIndices(n: number, cap: number): number[] {
  if (n <= cap) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: cap }, (_, i) => Math.floor((i * n) / cap));
}

interface Manifest {
  tool?: string;
  version?: string;
  dependencies?: Record<string, string>;
  seed?: string;
  options?: { profile?: string | null } & Record<string, unknown>;
  counts?: Record<string, number>;
  unburned?: unknown[];
  rejects?: unknown[];
}

/** The run's record from DIR/manifest.json, or null when there is none (a key alone, a published key). */
async function readRunInfo(dir: string): Promise<RunInfo | null> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return null;
  }
  const profile = manifest.options?.profile;
  return {
    seed: String(manifest.seed ?? ''),
    profile: typeof profile === 'string' ? profile : null,
    tool: manifest.tool ?? 'pseudophi',
    toolVersion: manifest.version ?? '',
    dependencies: manifest.dependencies ?? {},
    options: manifest.options ?? {},
    counts: manifest.counts ?? {},
    unburned: Array.isArray(manifest.unburned) ? manifest.unburned.length : 0,
    rejects: manifest.counts?.rejects ?? (Array.isArray(manifest.rejects) ? manifest.rejects.length : 0),
  };
}

/** Parses a pixels_hidden action_text (MIDI-B box JSON) into a box; null when it is not one. */
export function toHiddenBox(actionText: string | null): ReportBox | null {
  if (!actionText) return null;
  try {
    const b = JSON.parse(actionText) as { text?: unknown; top_left?: unknown; bottom_right?: unknown };
    const tl = b.top_left;
    const br = b.bottom_right;
    if (!Array.isArray(tl) || !Array.isArray(br)) return null;
    const [x0, y0] = tl as number[];
    const [x1, y1] = br as number[];
    if (![x0, y0, x1, y1].every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
    return {
      left: x0!,
      top: y0!,
      width: x1! - x0!,
      height: y1! - y0!,
      text: typeof b.text === 'string' ? b.text : '',
    };
  } catch {
    return null;
  }
}

const linesOnFrame = (rows: readonly BurnedTextRow[], frame: number): ReportLine[] =>
  rows
    .filter((r) => r.frame === frame)
    .map((r) => ({ left: r.left, top: r.top, width: r.width, height: r.height, text: r.text, phi: r.phi }));

/** Reads DIR/answer_key.db (streaming) and DIR/manifest.json into a ReportSummary. */
export async function summarizeDataset(dir: string, options: SummaryOptions = {}): Promise<ReportSummary> {
  const cap = options.maxThumbnails ?? DEFAULT_MAX_THUMBNAILS;
  const run = await readRunInfo(dir);
  const source = AnswerKeySource.open(join(dir, ANSWER_KEY_FILE));
  try {
    const patients = new Set<string>();
    const studies = new Set<string>();
    const series = new Set<string>();
    const byModality = new Map<
      string,
      {
        patients: Set<string>;
        studies: Set<string>;
        series: Set<string>;
        instances: number;
        checks: number;
        burned: number;
      }
    >();
    const perPatient = new Map<string, number>();
    const actions = new Counter();
    const scorer = new Counter();
    const fields = CATEGORY_FIELDS.map(() => new Counter());
    const kinds = new Counter();
    let checks = 0;
    let decoys = 0;
    // Burned-in instances in key order, with their pixels_hidden boxes (small: a few per instance).
    const burned: Array<{ index: number; hidden: ReportBox[] }> = [];
    const total = source.instances.length;
    for (const instance of source.instances) {
      const list = source.checksOf(instance);
      patients.add(instance.patientId);
      studies.add(instance.studyInstanceUid);
      series.add(instance.seriesInstanceUid);
      perPatient.set(instance.patientId, (perPatient.get(instance.patientId) ?? 0) + 1);
      let m = byModality.get(instance.modality);
      if (!m)
        byModality.set(
          instance.modality,
          (m = {
            patients: new Set(),
            studies: new Set(),
            series: new Set(),
            instances: 0,
            checks: 0,
            burned: 0,
          }),
        );
      m.patients.add(instance.patientId);
      m.studies.add(instance.studyInstanceUid);
      m.series.add(instance.seriesInstanceUid);
      m.instances++;
      m.checks += list.length;
      const hidden: ReportBox[] = [];
      for (const check of list) {
        checks++;
        if (check.isDecoy) decoys++;
        actions.add(check.action);
        scorer.add(checkCategoryLabel(check) ?? 'unknown');
        CATEGORY_FIELDS.forEach((field, i) => fields[i]!.add(fieldValue(check, field)));
        kinds.add(hipaaKindOf(check));
        if (check.action === 'pixels_hidden') {
          const box = toHiddenBox(check.actionText);
          if (box) hidden.push(box);
        }
      }
      if (hidden.length > 0 || source.burnedText.has(instance.sopInstanceUid)) {
        m.burned++;
        burned.push({ index: instance.position, hidden });
      }
      if (options.progress && (instance.position % 256 === 255 || instance.position === total - 1))
        options.progress(instance.position + 1, total);
    }

    const thumbnails = spreadIndices(burned.length, cap).map((i): ThumbnailChoice => {
      const { index, hidden } = burned[i]!;
      const instance = source.instances[index]!;
      const rows = source.burnedText.get(instance.sopInstanceUid) ?? [];
      const frame = rows.length > 0 ? Math.min(...rows.map((r) => r.frame)) : 0;
      const file = source.files.get(instance.sopInstanceUid);
      return {
        sopInstanceUid: instance.sopInstanceUid,
        modality: instance.modality,
        patientId: instance.patientId,
        outputPath: file?.outputPath ?? '',
        frame,
        hidden,
        lines: linesOnFrame(rows, frame),
      };
    });

    const modalities = [...byModality]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(
        ([modality, m]): ModalityRow => ({
          modality,
          patients: m.patients.size,
          studies: m.studies.size,
          series: m.series.size,
          instances: m.instances,
          checks: m.checks,
          burned: m.burned,
        }),
      );
    // Instances per patient as a distribution (how many patients have N instances), in N order.
    const perPatientCounts = new Map<number, number>();
    for (const n of perPatient.values()) perPatientCounts.set(n, (perPatientCounts.get(n) ?? 0) + 1);
    return {
      totals: {
        patients: patients.size,
        studies: studies.size,
        series: series.size,
        instances: total,
        checks,
        decoys,
        burned: burned.length,
      },
      modalities,
      instancesPerPatient: {
        id: 'instances-per-patient',
        title: 'Patients by number of instances',
        entries: [...perPatientCounts]
          .sort((a, b) => a[0] - b[0])
          .map(([n, count]) => ({ label: `${n} instance${n === 1 ? '' : 's'}`, count })),
        unset: 0,
      },
      actions: {
        id: 'checks-by-action',
        title: 'Checks by action',
        // Every action, in the key's vocabulary order, zeros included: a missing action is worth seeing.
        entries: ACTIONS.map((a) => ({ label: a, count: actions.counts.get(a) ?? 0 })),
        unset: 0,
      },
      scorerCategories: {
        id: 'checks-by-category',
        title: 'Checks by scorer category',
        entries: scorer.sortedEntries(),
        unset: 0,
      },
      categoryFields: CATEGORY_FIELDS.map((field, i) => ({
        id: `category-${field.replace('.', '-').replace('_', '-')}`,
        title: `answer_category_v2 ${field}`,
        entries: fields[i]!.sortedEntries(),
        unset: fields[i]!.unset,
      })),
      hipaaKinds: {
        id: 'checks-by-hipaa-kind',
        title: 'Checks by HIPAA kind',
        entries: HIPAA_KINDS.map((k) => ({
          label: k,
          count: kinds.counts.get(k) ?? 0,
          title: HIPAA_KIND_NAMES[k],
        })),
        unset: kinds.unset,
      },
      run,
      thumbnails,
    };
  } finally {
    source.close();
  }
}
