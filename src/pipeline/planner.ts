/**
 * Everything an instance is planned with, fixed once per run: one identity per patient and per study, the
 * insertion templates, and the insertion intensity that steers the run toward its profile's target shares
 * of checks (calibrated here, by planning a sample of the run's sources). Built from the scanned inputs in
 * the calling thread (`planRun`), and from the same identities and options in each worker thread
 * (`instancePlanner`), so an instance is planned the same anywhere.
 */
import { readFile } from 'node:fs/promises';
import type { CheckShares } from '../corpus/profile.js';
import { isValidDate, type DicomDataset } from '../dicom/index.js';
import {
  loadLocaleFakers,
  planIdentities,
  type IdentityPlan,
  type LocaleMix,
  type PatientFacts,
  type StudyOfPatient,
} from '../identity/index.js';
import {
  chooseIntensity,
  countsAt,
  DEFAULT_INTENSITY,
  IdentityValues,
  INTENSITY_KNOTS,
  loadInsertTemplates,
  planInstance,
  shareError,
  sharesOf,
  type CharacterSetPolicy,
  type InstancePlan,
} from '../insert/index.js';
import { deriveSeed } from '../rng/index.js';
import { InstanceGenerator } from './instance.js';
import { silentReporter, type Reporter } from './reporter.js';
import { scanInputs, type ScanResult, type SourceInstance } from './scan.js';

/** Plans instances with a run's identities. */
export interface InstancePlanner {
  readonly seed: string;
  /** The seeded Patient ID the instance's patient gets. */
  patientIdOf(source: SourceInstance): string;
  /** The identity values of the instance's patient and study, as inserted into its header. */
  identityOf(source: SourceInstance): IdentityValues;
  /** The plan of one source instance (its data set as read, not modified). */
  plan(source: SourceInstance, dataset: DicomDataset): InstancePlan;
}

/** A run's planner with the scan it was made from. */
export interface RunPlanner extends InstancePlanner {
  readonly scan: ScanResult;
  /** The identities (plain data: what worker threads are started with). */
  readonly identities: IdentityPlan;
  /** The planning options, with the calibrated intensity when targets were given (worker threads' too). */
  readonly language: LanguageOptions;
  /** How the run was steered toward its target shares of checks, when it has some. */
  readonly steering?: CheckShareSteering;
}

/** How a run was steered toward its target shares of checks per action. */
export interface CheckShareSteering {
  /** The profile's targets. */
  targets: CheckShares;
  /** The insertion intensity chosen (insert/intensity.ts; 1 is the default insertion). */
  intensity: number;
  /** The share of each targeted action the calibration expects at that intensity. */
  expected: Record<string, number>;
  /** Source instances planned for the calibration. */
  sampled: number;
}

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

/**
 * How identities are planned and written: which locales, and which character sets; and how much PHI goes
 * in: target shares of checks, and the intensity planRun calibrates to them (plain data: worker threads
 * are started with it).
 */
export interface LanguageOptions {
  /** Locales with shares; undefined: every patient en_US (as before locales existed). */
  locales?: LocaleMix | undefined;
  /** `locale`: the character set a device of the patient's country writes (default); `utf8`: ISO_IR 192. */
  characterSet?: CharacterSetPolicy | undefined;
  /** Target shares of checks per action (a profile's `checkShares`): planRun calibrates an intensity. */
  checkShares?: CheckShares | undefined;
  /** Insertion intensity (insert/intensity.ts); undefined: the default insertion. */
  insertionIntensity?: number | undefined;
}

/** A planner over planned identities. */
export function instancePlanner(
  seed: string,
  identities: IdentityPlan,
  language: LanguageOptions = {},
): InstancePlanner {
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
    seed,
    patientIdOf: (source) => patientByKey.get(source.patientId)!.patientId,
    identityOf,
    plan: (source, dataset) =>
      planInstance(dataset, {
        seed,
        sourceSopInstanceUid: source.sopInstanceUid,
        modality: source.modality,
        identity: identityOf(source),
        templates,
        ...(language.characterSet ? { characterSet: language.characterSet } : {}),
        ...(language.insertionIntensity === undefined
          ? {}
          : { insertion: { intensity: language.insertionIntensity, seriesKey: source.seriesInstanceUid } }),
      }),
  };
}

/**
 * Scans an input folder and plans the run's identities (from every usable input: a shard or a split plans
 * the same identities as the whole run). Exported so that a test can re-plan any source instance exactly
 * as the run did.
 */
export async function planRun(
  inputDir: string,
  seed: string,
  reporter: Reporter = silentReporter,
  language: LanguageOptions = {},
): Promise<RunPlanner> {
  const scan = await scanInputs(inputDir, reporter);
  const facts = collectFacts(scan.instances);
  await loadLocaleFakers(language.locales?.map(([locale]) => locale) ?? []);
  const identities = planIdentities(
    seed,
    facts.patients,
    facts.studies,
    language.locales ? { locales: language.locales } : {},
  );
  if (!language.checkShares)
    return { ...instancePlanner(seed, identities, language), scan, identities, language };
  const steering = await calibrate(
    seed,
    identities,
    language,
    scan.instances,
    language.checkShares,
    reporter,
  );
  for (const [action, target] of Object.entries(steering.targets)) {
    const expected = steering.expected[action] ?? 0;
    if (Math.abs(expected - target) > UNREACHED_SHARE)
      reporter.warn(
        `checkShares.${action}: ${target} is out of reach of these inputs; the nearest the run comes ` +
          `is about ${expected.toFixed(3)} (insertion intensity ${steering.intensity})`,
      );
  }
  const steered: LanguageOptions = { ...language, insertionIntensity: steering.intensity };
  return { ...instancePlanner(seed, identities, steered), scan, identities, language: steered, steering };
}

/** How far from its target a share the calibration expects may be before the run warns. */
const UNREACHED_SHARE = 0.01;

/** Series whose instances the calibration plans, at most (bounds its work on large runs). */
const MAX_CALIBRATION_SERIES = 128;
/** Instances the calibration plans, about (more when there are more series than this). */
const CALIBRATION_INSTANCES = 384;
/**
 * Instances planned per series, at most: absent free text is drawn per instance, and a few instances
 * stand for a long series' share of it far better than one.
 */
const MAX_CALIBRATION_INSTANCES_PER_SERIES = 8;

/**
 * A deterministic sample of the run's sources, stratified by series: up to MAX_CALIBRATION_SERIES series
 * and of each as many instances as CALIBRATION_INSTANCES allows (1 to
 * MAX_CALIBRATION_INSTANCES_PER_SERIES), chosen by hashes of the seed and their UIDs (never by file
 * order), each weighted by the instances of its series it stands for.
 */
export function calibrationSample(
  seed: string,
  instances: readonly SourceInstance[],
): Array<{ source: SourceInstance; weight: number }> {
  const rank = (uid: string): string => deriveSeed(seed, 'calibration', uid);
  const bySeries = new Map<string, SourceInstance[]>();
  for (const i of instances) {
    const series = bySeries.get(i.seriesInstanceUid);
    if (series) series.push(i);
    else bySeries.set(i.seriesInstanceUid, [i]);
  }
  const byRank = <T>(items: T[], key: (item: T) => string): T[] =>
    items
      .map((item) => ({ item, rank: rank(key(item)) }))
      .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
      .map((r) => r.item);
  const series = byRank([...bySeries.keys()], (uid) => uid).slice(0, MAX_CALIBRATION_SERIES);
  const perSeries = Math.min(
    MAX_CALIBRATION_INSTANCES_PER_SERIES,
    Math.max(1, Math.floor(CALIBRATION_INSTANCES / series.length)),
  );
  return series.flatMap((uid) => {
    const members = bySeries.get(uid)!;
    const chosen = byRank(members, (i) => i.sopInstanceUid).slice(0, perSeries);
    return chosen.map((source) => ({ source, weight: members.length / chosen.length }));
  });
}

/** Further intensities the calibration plans its sample at, at most, after the knots. */
const MAX_REFINEMENTS = 6;

/**
 * Calibrates the insertion intensity to the target shares by planning a sample of the run's sources
 * (pure planning: sources read, plans applied and encoded in memory, nothing written). The sample is
 * planned at each of INTENSITY_KNOTS, between which expected counts are linear, and an intensity chosen
 * from those; then, since the optional units are drawn per series and a small run's draws stray from
 * their expectation, at the chosen intensity itself, and the choice is corrected by what the sample
 * really counts there, a few times; the intensity whose sample counts came nearest the targets wins.
 * Burned-in text is left out: it replaces one pixels_retained check by a few pixels_hidden, at any
 * intensity.
 */
async function calibrate(
  seed: string,
  identities: IdentityPlan,
  language: LanguageOptions,
  instances: readonly SourceInstance[],
  targets: CheckShares,
  reporter: Reporter,
): Promise<CheckShareSteering> {
  const sample = calibrationSample(seed, instances);
  const goal = targets as Readonly<Record<string, number>>;
  const rounds = INTENSITY_KNOTS.length + MAX_REFINEMENTS;
  let round = 0;
  const countAt = async (intensities: readonly number[]): Promise<Array<Record<string, number>>> => {
    const counts = await countSampleChecks(seed, identities, language, sample, intensities);
    reporter.progress('calibrate', (round += intensities.length), rounds);
    return counts;
  };
  reporter.progress('calibrate', 0, rounds);
  const knotCounts = await countAt(INTENSITY_KNOTS);
  let choice = chooseIntensity(knotCounts, goal);
  let best: { intensity: number; counts: Record<string, number> } | undefined;
  const tried = new Set<number>();
  for (let n = 0; n < MAX_REFINEMENTS && !tried.has(choice.intensity); n++) {
    const intensity = choice.intensity;
    tried.add(intensity);
    const counts = (await countAt([intensity]))[0]!;
    const error = shareError(counts, goal);
    const bestError = best ? shareError(best.counts, goal) : Infinity;
    const nearer =
      best && Math.abs(intensity - DEFAULT_INTENSITY) < Math.abs(best.intensity - DEFAULT_INTENSITY);
    if (error < bestError || (error === bestError && nearer)) best = { intensity, counts };
    const interpolated = countsAt(knotCounts, intensity);
    const correction = Object.fromEntries(
      [...new Set([...Object.keys(counts), ...Object.keys(interpolated)])].map((a) => [
        a,
        (counts[a] ?? 0) - (interpolated[a] ?? 0),
      ]),
    );
    choice = chooseIntensity(knotCounts, goal, correction);
  }
  reporter.progress('calibrate', rounds, rounds);
  const chosen = best!;
  return {
    targets,
    intensity: chosen.intensity,
    expected: sharesOf(chosen.counts, Object.keys(goal)),
    sampled: sample.length,
  };
}

/**
 * The checks per action the sample's instances get at each intensity, each instance weighted by the
 * instances of its series it stands for. An input that cannot be read, planned or written counts for
 * nothing (the run rejects it).
 */
async function countSampleChecks(
  seed: string,
  identities: IdentityPlan,
  language: LanguageOptions,
  sample: ReadonlyArray<{ source: SourceInstance; weight: number }>,
  intensities: readonly number[],
): Promise<Array<Record<string, number>>> {
  const planners = intensities.map((intensity) =>
    instancePlanner(seed, identities, { ...language, insertionIntensity: intensity }),
  );
  // Generated as the run generates them (in memory, nothing written), without burned-in text.
  const generators = planners.map((planner) => new InstanceGenerator(planner, {}));
  const counts: Array<Record<string, number>> = intensities.map(() => ({}));
  for (const [n, { source, weight }] of sample.entries()) {
    let instanceCounts: Array<Record<string, number>>;
    try {
      const bytes = await readFile(source.path);
      // A stand-in MD5 for the source's pixels: reused when they are kept, so nothing is hashed.
      const input = { bytes, sha256: '', pixelDataMd5: 'calibration' };
      const task = { scanIndex: n, source, indexInSeries: 1 };
      instanceCounts = [];
      for (const generator of generators) {
        const result = await generator.generate(task, input);
        if ('rejected' in result) throw new Error(result.rejected);
        instanceCounts.push(result.outcome.checksByAction);
      }
    } catch {
      continue; // the run rejects it: it counts at no intensity
    }
    instanceCounts.forEach((byAction, n) => {
      const into = counts[n]!;
      for (const [action, k] of Object.entries(byAction)) into[action] = (into[action] ?? 0) + k * weight;
    });
  }
  return counts;
}
