/**
 * The identity plan of a whole run: one PatientIdentity per source patient and one StudyIdentity per
 * source study, planned in sorted key order. Each is the independent plan of its key, except that an
 * identifier drawn equal to another patient's (a Patient ID, SSN, MRN, health-plan or account number) or
 * another study's accession number is drawn again; the later key in sort order yields. Such a clash has a
 * probability of about n^2 / 10^10 for n patients, so for usual runs the plan is exactly the independent one.
 */
import { IdentityPlanError } from './errors.js';
import { checkLocaleMix, pickPatientLocale, type LocaleMix } from './locale.js';
import { planPatientIdentity, type PatientFacts, type PatientIdentity } from './patient.js';
import { planStudyIdentity, type StudyFacts, type StudyIdentity } from './study.js';

/** A study's facts with the source PatientID it belongs to. */
export interface StudyOfPatient extends StudyFacts {
  /** The source PatientID (PatientFacts.key) of the study's patient. */
  readonly patientKey: string;
}

/** Every identity of a run, in sorted key order (patients by source PatientID, studies by UID). */
export interface IdentityPlan {
  /** One identity per source patient. */
  readonly patients: readonly PatientIdentity[];
  /** One identity per source study. */
  readonly studies: readonly StudyIdentity[];
}

/** Options of a run's identity plan. */
export interface IdentityPlanOptions {
  /**
   * Locales with relative shares, `[['en_US', 0.5], ['ja', 0.5]]`. Each patient's locale is drawn from the
   * root seed and its source PatientID; its studies follow it. Absent: every patient is en_US, and the plan
   * is exactly the one made before locales existed.
   */
  readonly locales?: LocaleMix;
}

/** Code-unit order, never locale order (ARCHITECTURE.md section 4). */
const byKey = <T extends { key: string }>(a: T, b: T): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Plans every patient and study of a run, with identifiers unique across the run. */
export function planIdentities(
  rootSeed: string | number,
  patients: readonly PatientFacts[],
  studies: readonly StudyOfPatient[],
  options: IdentityPlanOptions = {},
): IdentityPlan {
  const mix = options.locales === undefined ? undefined : checkLocaleMix(options.locales);
  const usedIds = new Set<string>();
  const planned = new Map<string, PatientIdentity>();
  for (const facts of [...patients].sort(byKey)) {
    if (planned.has(facts.key)) throw new IdentityPlanError(`patient ${facts.key} is listed twice`);
    const locale = pickPatientLocale(rootSeed, facts.key, mix);
    const p = planPatientIdentity(rootSeed, facts, { avoid: usedIds, locale });
    for (const id of [p.patientId, p.ssn, p.mrn, p.healthPlanNumber, p.accountNumber]) usedIds.add(id);
    planned.set(facts.key, p);
  }
  const usedAccessions = new Set<string>();
  const seenStudies = new Set<string>();
  const plannedStudies: StudyIdentity[] = [];
  for (const facts of [...studies].sort(byKey)) {
    if (seenStudies.has(facts.key)) throw new IdentityPlanError(`study ${facts.key} is listed twice`);
    seenStudies.add(facts.key);
    const patient = planned.get(facts.patientKey);
    if (!patient) throw new IdentityPlanError(`study ${facts.key} names unknown patient ${facts.patientKey}`);
    const s = planStudyIdentity(rootSeed, patient, facts, { avoid: usedAccessions });
    usedAccessions.add(s.accessionNumber);
    plannedStudies.push(s);
  }
  return { patients: [...planned.values()], studies: plannedStudies };
}
