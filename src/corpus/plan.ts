/**
 * The corpus planner: profile + templates + seed give a serializable `CorpusPlan` (patients, studies,
 * series, instances with their UIDs, dates, equipment and storage choices). Pure: no I/O, no clock.
 *
 * Determinism (ARCHITECTURE.md section 4): patient N is planned from `rngFor(seed, 'patient-slot', N)` and
 * then `rngFor(seed, 'patient', subjectCode, ...)`, so adding patients never changes earlier ones; studies,
 * series and instances key on their parent's UID and their own ordinal within it.
 */
import type { CalendarDate } from '../config/reference-date.js';
import { deriveUidUnderRoot } from '../dicom/index.js';
import { rngFor, type Rng } from '../rng/index.js';
import { toEpochDay } from './dates.js';
import type {
  CorpusProfile,
  IntChoice,
  ModalityKey,
  TransferSyntaxKey,
  UsVariant,
  Weighted,
} from './profile.js';
import type { CollectionTemplate, CorpusTemplates, StudyTemplate } from './templates.js';

/** One instance: its number, UID, storage and (ultrasound) kind. */
export interface InstancePlan {
  readonly instanceNumber: number;
  readonly sopInstanceUid: string;
  readonly transferSyntax: TransferSyntaxKey;
  readonly variant?: UsVariant;
  readonly frames: number;
}

/** One series: modality, archetype, equipment, matrix and its instances. */
export interface SeriesPlan {
  readonly modality: ModalityKey;
  readonly seriesInstanceUid: string;
  readonly seriesNumber: number;
  /** The study archetype the series comes from (the study's own, or a companion's). */
  readonly templateKey: string;
  /** Index into that archetype's series list. */
  readonly templateIndex: number;
  readonly equipmentKey: string;
  readonly rows: number;
  readonly columns: number;
  /** Seconds after midnight the series started. */
  readonly startSeconds: number;
  readonly instances: readonly InstancePlan[];
}

/** One study of a patient. */
export interface StudyPlan {
  readonly studyInstanceUid: string;
  readonly frameOfReferenceUid: string;
  readonly templateKey: string;
  readonly modality: ModalityKey;
  /** Days since 1970-01-01 (already shifted, as TCIA publishes them). */
  readonly studyDay: number;
  readonly studySeconds: number;
  readonly series: readonly SeriesPlan[];
}

/** One patient (a TCIA subject). */
export interface PatientPlan {
  readonly ordinal: number;
  /** The subject code, used as Patient ID and Patient's Name. */
  readonly patientId: string;
  readonly collectionKey: string;
  readonly uidRoot: string;
  readonly sex: 'F' | 'M';
  readonly ageYears: number;
  readonly weightKg: number;
  readonly heightM: number;
  readonly studies: readonly StudyPlan[];
}

/** The whole corpus, as the writer applies it. */
export interface CorpusPlan {
  readonly profile: string;
  readonly seed: string;
  readonly patients: readonly PatientPlan[];
}

/** Inputs of the planner. */
export interface PlanInput {
  readonly profile: CorpusProfile;
  readonly templates: CorpusTemplates;
  readonly seed: string;
  readonly patients: number;
  readonly referenceDate: CalendarDate;
}

/** Draws from an IntChoice. */
export function drawInt(rng: Rng, choice: IntChoice): number {
  if (typeof choice[0] === 'number') {
    const [min, max] = choice as readonly [number, number];
    return rng.int(min, max);
  }
  return rng.weighted(choice as ReadonlyArray<readonly [number, number]>);
}

const positive = <T extends string>(list: Weighted<T>): T[] => list.filter(([, w]) => w > 0).map(([k]) => k);

/** Picks by weight, or in turn (`cycle`) by a stable ordinal. */
function choose<T extends string>(
  rng: Rng,
  list: Weighted<T>,
  mode: 'weighted' | 'cycle',
  ordinal: number,
): T {
  if (mode === 'cycle') {
    const items = positive(list);
    return items[(ordinal - 1) % items.length]!;
  }
  return rng.weighted(list);
}

/** The golden-ratio step of a Weyl sequence: ordinals k give points spread evenly over [0, 1). */
const GOLDEN = 0.6180339887498949;

/**
 * Picks by weight with a low-discrepancy point for `ordinal` instead of an independent draw, so that any
 * number of patients reproduces the weights closely (a profile scaled by --patients keeps its mix) while
 * each ordinal's pick still depends only on the seed and the ordinal.
 */
function stratifiedPick<T extends string>(seed: string, ordinal: number, list: Weighted<T>): T {
  const offset = rngFor(seed, 'stratified-offset').next();
  const u = (offset + ordinal * GOLDEN) % 1;
  const total = list.reduce((sum, [, w]) => sum + w, 0);
  let r = u * total;
  for (const [item, w] of list) {
    r -= w;
    if (r < 0) return item;
  }
  return list[list.length - 1]![0];
}

/** The subject code of a patient: collection prefix and a zero-padded ordinal (`ACRIN-NSCLC-FDG-PET-042`). */
export function subjectCode(collection: CollectionTemplate, ordinal: number): string {
  return `${collection.subjectPrefix}-${String(ordinal).padStart(3, '0')}`;
}

/** Plans the whole corpus. */
export function planCorpus(input: PlanInput): CorpusPlan {
  const patients: PatientPlan[] = [];
  for (let ordinal = 1; ordinal <= input.patients; ordinal++) patients.push(planPatient(input, ordinal));
  return { profile: input.profile.name, seed: input.seed, patients };
}

/** Study archetypes of a modality that can be a study of their own (companion-only ones are excluded). */
function studyTemplatesFor(templates: CorpusTemplates, modality: ModalityKey): StudyTemplate[] {
  return templates.studies.filter((s) => s.modality === modality && !s.companionOnly);
}

/** Plans patient `ordinal` (1-based) from keys that do not depend on any other patient. */
export function planPatient(input: PlanInput, ordinal: number): PatientPlan {
  const { profile, templates, seed } = input;
  const modalityWeights = Object.entries(profile.modalities).map(
    ([k, m]) => [k as ModalityKey, m.weight] as const,
  );
  const slot = rngFor(seed, 'patient-slot', ordinal);
  const primary =
    profile.assignment === 'cycle'
      ? choose(slot, modalityWeights, 'cycle', ordinal)
      : stratifiedPick(seed, ordinal, modalityWeights);
  const primaryKeys = new Set(studyTemplatesFor(templates, primary).map((s) => s.key));
  const candidates = templates.collections.filter((c) => c.studies.some((s) => primaryKeys.has(s)));
  if (candidates.length === 0) throw new Error(`no collection offers a ${primary} study`);
  const collection = slot.pick(candidates);
  const patientId = subjectCode(collection, ordinal);
  const rng = rngFor(seed, 'patient', patientId);
  const sex = collection.sex ?? (rng.chance(0.5) ? 'F' : 'M');
  const ageYears = rng.int(34, 84);
  const heightM = Math.round(rng.normal(sex === 'F' ? 1.63 : 1.76, 0.06) * 100) / 100;
  const weightKg = Math.round(rng.normal(sex === 'F' ? 70 : 84, 12));
  const uidRoot = `${templates.uidRoot}.${collection.siteNumber}`;
  // TCIA shifts dates per subject; the first study falls one to twelve years before the reference date.
  const firstDay = toEpochDay(input.referenceDate) - rng.int(365, 365 * 12);
  const studyCount = Math.max(1, drawInt(rng, profile.studiesPerPatient));
  const studies: StudyPlan[] = [];
  let day = firstDay;
  for (let index = 1; index <= studyCount; index++) {
    const srng = rngFor(seed, 'patient', patientId, 'study', index);
    let modality = primary;
    if (index > 1) {
      // Later studies are of a modality the same collection holds, drawn by the profile's weights.
      const offered = modalityWeights.filter(
        ([m, w]) =>
          w > 0 && collection.studies.some((s) => studyTemplatesFor(templates, m).some((t) => t.key === s)),
      );
      modality = offered.length > 0 ? srng.weighted(offered) : primary;
      day += srng.int(14, 240);
    }
    const options = studyTemplatesFor(templates, modality).filter((t) => collection.studies.includes(t.key));
    const template = srng.pick(options.length > 0 ? options : studyTemplatesFor(templates, modality));
    studies.push(planStudy(input, uidRoot, patientId, index, template, day, srng));
  }
  return {
    ordinal,
    patientId,
    collectionKey: collection.key,
    uidRoot,
    sex,
    ageYears,
    weightKg,
    heightM,
    studies,
  };
}

/** One series to plan: the archetype it comes from and which of its series. */
interface SeriesSlot {
  readonly template: StudyTemplate;
  readonly templateIndex: number;
}

/**
 * The scanner of a companion series of another modality: one of the study scanner's maker when there is one
 * (a GE PET/CT has a GE CT), else the first listed.
 */
function companionEquipment(
  templates: CorpusTemplates,
  mainModality: ModalityKey,
  mainKey: string,
  modality: ModalityKey,
): string {
  const main = templates.equipment[mainModality].find((e) => e.key === mainKey);
  const list = templates.equipment[modality];
  const same = list.find((e) => e.attributes.Manufacturer === main?.attributes.Manufacturer);
  return (same ?? list[0]!).key;
}

function planStudy(
  input: PlanInput,
  uidRoot: string,
  patientId: string,
  index: number,
  template: StudyTemplate,
  studyDay: number,
  rng: Rng,
): StudyPlan {
  const { profile, templates, seed } = input;
  const modality = template.modality;
  const spec = profile.modalities[modality];
  if (!spec) throw new Error(`profile ${profile.name} has no settings for ${modality}`);
  const studyInstanceUid = deriveUidUnderRoot(uidRoot, seed, 'study', patientId, index);
  const frameOfReferenceUid = deriveUidUnderRoot(uidRoot, seed, 'frame-of-reference', studyInstanceUid);
  const studySeconds = rng.int(7 * 3600, 18 * 3600);
  const equipmentList = templates.equipment[modality];
  // One scanner per study, as a real exam is acquired on one device.
  const equipment = rng.weighted(equipmentList.map((e) => [e.key, e.weight] as const));
  const mainCount = Math.max(1, drawInt(rng, spec.seriesPerStudy));
  // The study's series in acquisition order: companions a study template asks for (a CT localizer, the CT
  // of a PET/CT, a dose screen), then its own series, then companions that come after.
  const slots: SeriesSlot[] = [];
  const companions = profile.companions ? (template.companions ?? []) : [];
  const companionSlots = (position: 'before' | 'after'): void => {
    for (const c of companions.filter((x) => (x.position ?? 'before') === position)) {
      const companion = templates.studies.find((t) => t.key === c.template);
      if (!companion || !profile.modalities[companion.modality]) continue;
      if (!rngFor(seed, 'companion', studyInstanceUid, c.template).chance(c.share)) continue;
      slots.push({ template: companion, templateIndex: 0 });
    }
  };
  companionSlots('before');
  for (let s = 0; s < mainCount; s++) slots.push({ template, templateIndex: s % template.series.length });
  companionSlots('after');
  const series: SeriesPlan[] = [];
  let startSeconds = studySeconds + rng.int(60, 600);
  slots.forEach((slot, k) => {
    const s = k + 1;
    const seriesModality = slot.template.modality;
    const seriesSpec = profile.modalities[seriesModality]!;
    const seriesTemplate = slot.template.series[slot.templateIndex]!;
    const seriesInstanceUid = deriveUidUnderRoot(uidRoot, seed, 'series', studyInstanceUid, s);
    const r = rngFor(seed, 'series', seriesInstanceUid);
    const [rows, columns] = seriesTemplate.matrix ?? r.pick(seriesSpec.matrices);
    const count = seriesTemplate.instances ?? Math.max(1, drawInt(r, seriesSpec.instancesPerSeries));
    const syntaxes = seriesSpec.transferSyntaxes ?? profile.transferSyntaxes;
    // Archives store a series one way; fixtures cycle per instance so that every syntax is exercised.
    const seriesSyntax = r.weighted(syntaxes);
    const instances: InstancePlan[] = [];
    for (let n = 1; n <= count; n++) {
      const sopInstanceUid = deriveUidUnderRoot(uidRoot, seed, 'instance', seriesInstanceUid, n);
      const ir = rngFor(seed, 'instance', sopInstanceUid);
      const transferSyntax = profile.assignment === 'cycle' ? choose(ir, syntaxes, 'cycle', n) : seriesSyntax;
      let variant: UsVariant | undefined;
      let frames = 1;
      if (seriesModality === 'US') {
        const v: UsVariant = choose<UsVariant>(
          ir,
          seriesSpec.variants ?? [['mono', 1]],
          profile.assignment,
          n,
        );
        variant = v;
        if (v.endsWith('cine')) frames = Math.max(2, drawInt(ir, seriesSpec.cineFrames ?? [8, 24]));
      }
      instances.push({
        instanceNumber: n,
        sopInstanceUid,
        transferSyntax,
        frames,
        ...(variant && { variant }),
      });
    }
    series.push({
      modality: seriesModality,
      seriesInstanceUid,
      seriesNumber: seriesModality === 'SR' ? 1000 + s : seriesModality === 'SC' ? 900 + s : s,
      templateKey: slot.template.key,
      templateIndex: slot.templateIndex,
      equipmentKey:
        seriesModality === modality
          ? equipment
          : companionEquipment(templates, modality, equipment, seriesModality),
      rows,
      columns,
      startSeconds,
      instances,
    });
    startSeconds += r.int(120, 900);
  });
  return {
    studyInstanceUid,
    frameOfReferenceUid,
    templateKey: template.key,
    modality,
    studyDay,
    studySeconds,
    series,
  };
}

/** Totals of a plan, for summaries. */
export function countPlan(plan: CorpusPlan): {
  patients: number;
  studies: number;
  series: number;
  instances: number;
} {
  let studies = 0;
  let series = 0;
  let instances = 0;
  for (const p of plan.patients) {
    studies += p.studies.length;
    for (const s of p.studies) {
      series += s.series.length;
      for (const se of s.series) instances += se.instances.length;
    }
  }
  return { patients: plan.patients.length, studies, series, instances };
}
