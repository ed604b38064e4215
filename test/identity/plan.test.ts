import { describe, expect, it } from 'vitest';
import { IdentityPlanError } from '../../src/identity/errors.js';
import { planPatientIdentity, type PatientFacts } from '../../src/identity/patient.js';
import { planIdentities, type StudyOfPatient } from '../../src/identity/plan.js';
import { planStudyIdentity } from '../../src/identity/study.js';

const patients: PatientFacts[] = Array.from({ length: 12 }, (_, i) => ({
  key: `LIDC-IDRI-${String(i).padStart(4, '0')}`,
  sex: i % 2 ? 'M' : 'F',
  ages: [{ age: `0${50 + i}Y`, studyDate: '20000101' }],
  studyDates: ['20000101', '20020101'],
}));
const studies: StudyOfPatient[] = patients.flatMap((p, i) => [
  { key: `1.2.3.${i}.1`, patientKey: p.key, studyDate: '20000101', modalities: ['CT'] },
  {
    key: `1.2.3.${i}.2`,
    patientKey: p.key,
    studyDate: '20020101',
    modalities: ['CT'],
    manufacturer: 'SIEMENS',
  },
]);

/** A fixed permutation (no unseeded randomness in tests). */
const permute = <T>(items: readonly T[]): T[] =>
  [...items]
    .map((x, i) => [(i * 7) % 11, x] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, x]) => x);

describe('planIdentities', () => {
  const plan = planIdentities(1, patients, studies);

  it('equals each key’s independent plan', () => {
    for (const p of patients)
      expect(plan.patients.find((x) => x.key === p.key)).toEqual(planPatientIdentity(1, p));
    for (const s of studies) {
      const patient = plan.patients.find((x) => x.key === s.patientKey)!;
      expect(plan.studies.find((x) => x.key === s.key)).toEqual(planStudyIdentity(1, patient, s));
    }
  });

  it('does not change when inputs are reordered, added or removed', () => {
    expect(planIdentities(1, permute(patients), permute(studies))).toEqual(plan);
    const fewer = planIdentities(
      1,
      patients.slice(3, 8),
      studies.filter((s) => patients.slice(3, 8).some((p) => p.key === s.patientKey)),
    );
    for (const p of fewer.patients) expect(p).toEqual(plan.patients.find((x) => x.key === p.key));
    for (const s of fewer.studies) expect(s).toEqual(plan.studies.find((x) => x.key === s.key));
    const extra: PatientFacts = { key: 'AAA-first', studyDates: ['20050505'] };
    const more = planIdentities(1, [extra, ...patients], studies);
    expect(more.patients.slice(1)).toEqual(plan.patients);
    expect(more.studies).toEqual(plan.studies);
  });

  it('sorts by key in code-unit order', () => {
    expect(plan.patients.map((p) => p.key)).toEqual(patients.map((p) => p.key));
    expect(plan.studies.map((s) => s.key)).toEqual([...studies.map((s) => s.key)].sort());
  });

  it('redraws an identifier another patient already has, changing nothing else', () => {
    const p = planPatientIdentity(1, patients[0]!);
    const q = planPatientIdentity(1, patients[0]!, { avoid: new Set([p.patientId, p.ssn]) });
    expect(q.patientId).not.toBe(p.patientId);
    expect(q.ssn).not.toBe(p.ssn);
    expect(q.patientId).toMatch(/^[1-9]\d{8,9}$/);
    expect({ ...q, patientId: p.patientId, ssn: p.ssn }).toEqual(p);
  });

  it('rejects duplicate keys and studies of unknown patients', () => {
    expect(() => planIdentities(1, [patients[0]!, patients[0]!], [])).toThrow(IdentityPlanError);
    expect(() => planIdentities(1, patients, [studies[0]!, studies[0]!])).toThrow(IdentityPlanError);
    expect(() => planIdentities(1, patients, [{ ...studies[0]!, patientKey: 'nobody' }])).toThrow(
      IdentityPlanError,
    );
  });
});
