import { describe, expect, it } from 'vitest';
import { listPatientValues, listStudyValues } from '../../src/identity/fields.js';
import { planPatientIdentity } from '../../src/identity/patient.js';
import { planStudyIdentity } from '../../src/identity/study.js';

const patient = planPatientIdentity(1, {
  key: 'P',
  sex: 'M',
  ages: [{ age: '070Y', studyDate: '20050505' }],
  studyDates: ['20050505'],
});
const study = planStudyIdentity(1, patient, {
  key: '1.2.3',
  studyDate: '20050505',
  modalities: ['CT', 'PT'],
  manufacturer: 'SIEMENS',
});

/** field -> HIPAA kind: the stable names other modules record. */
const kinds = (values: ReturnType<typeof listPatientValues>): Record<string, string | null> =>
  Object.fromEntries(values.map((v) => [v.field, v.kind]));

describe('identity fields', () => {
  it('names every patient field with its HIPAA kind', () => {
    expect(kinds(listPatientValues(patient))).toEqual({
      'patient.name': 'A',
      'patient.id': 'R',
      'patient.birthDate': 'C',
      'patient.ssn': 'G',
      'patient.mrn': 'H',
      'patient.healthPlanNumber': 'I',
      'patient.accountNumber': 'J',
      'patient.address': 'B',
      'patient.phone': 'D',
      'patient.fax': 'E',
      'patient.email': 'F',
      'patient.occupation': null,
      'patient.ethnicGroup': null,
    });
  });

  it('names every study field with its HIPAA kind', () => {
    const k = kinds(listStudyValues(study));
    expect(Object.keys(k)).toContain('study.devices.CT.serialNumber');
    expect(Object.keys(k)).toContain('study.devices.PT.serialNumber');
    expect(Object.keys(k)).toContain('study.operators.0.name');
    expect(k).toMatchObject({
      'study.date': 'C',
      'study.referringPhysician.name': 'A',
      'study.referringPhysician.address': 'B',
      'study.referringPhysician.phone': 'D',
      'study.performingPhysician.name': 'A',
      'study.readingPhysician.name': 'A',
      'study.institution.name': 'B',
      'study.institution.address': 'B',
      'study.institution.department': 'B',
      'study.stationName': 'M',
      'study.stationAeTitle': 'R',
      'study.retrieveAeTitle': 'R',
      'study.plateId': 'M',
      'study.detectorId': 'M',
      'study.gantryId': 'M',
      'study.accessionNumber': 'R',
      'study.studyId': 'R',
      'study.visitId': 'R',
      'study.admissionId': 'R',
    });
  });

  it('lists every rendering of names and dates', () => {
    const renderings = (field: string) =>
      [...listPatientValues(patient), ...listStudyValues(study)]
        .filter((v) => v.field === field)
        .map((v) => [v.rendering, v.value, v.vr]);
    expect(renderings('patient.name')).toEqual([
      ['value', patient.name.value, 'PN'],
      ['prose', patient.name.prose, 'LO'],
      ['burnedIn', patient.name.burnedIn, 'LO'],
      ['initials', patient.name.initials, 'SH'],
    ]);
    expect(renderings('study.referringPhysician.name').map(([r]) => r)).toEqual([
      'value',
      'prose',
      'burnedIn',
      'initials',
      'title',
    ]);
    expect(renderings('patient.birthDate')).toEqual([
      ['value', patient.birthDate.value, 'DA'],
      ['prose', patient.birthDate.prose, 'LO'],
      ['burnedIn', patient.birthDate.burnedIn, 'LO'],
    ]);
  });
});
