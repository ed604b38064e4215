/**
 * Everything an instance is planned with, fixed once per run: one identity per patient and per study, and
 * the insertion templates. Built from the scanned inputs in the calling thread (`planRun`), and from the
 * same identities in each worker thread (`instancePlanner`), so an instance is planned the same anywhere.
 */
import { isValidDate, type DicomDataset } from '../dicom/index.js';
import {
  planIdentities,
  type IdentityPlan,
  type LocaleMix,
  type PatientFacts,
  type StudyOfPatient,
} from '../identity/index.js';
import {
  IdentityValues,
  loadInsertTemplates,
  planInstance,
  type CharacterSetPolicy,
  type InstancePlan,
} from '../insert/index.js';
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

/** How identities are planned and written: which locales, and which character sets. */
export interface LanguageOptions {
  /** Locales with shares; undefined: every patient en_US (as before locales existed). */
  locales?: LocaleMix | undefined;
  /** `locale`: the character set a device of the patient's country writes (default); `utf8`: ISO_IR 192. */
  characterSet?: CharacterSetPolicy | undefined;
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
  const identities = planIdentities(
    seed,
    facts.patients,
    facts.studies,
    language.locales ? { locales: language.locales } : {},
  );
  return { ...instancePlanner(seed, identities, language), scan, identities };
}
