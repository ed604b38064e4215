/**
 * The identity's fields by stable name, with their HIPAA kind and the VR each rendering is written with,
 * so that every inserted value can be recorded with the identity field it came from (ARCHITECTURE.md
 * section 6: "the identity field it came from").
 */
import type { Vr } from '../dicom/vr.js';
import type { HipaaKind } from '../phi/index.js';
import type { PersonName } from './names.js';
import type { PatientIdentity } from './patient.js';
import type { StudyIdentity } from './study.js';

/** Stable names of patient-level identity fields. */
export type PatientField =
  | 'patient.name'
  | 'patient.id'
  | 'patient.birthDate'
  | 'patient.ssn'
  | 'patient.mrn'
  | 'patient.healthPlanNumber'
  | 'patient.accountNumber'
  | 'patient.address'
  | 'patient.phone'
  | 'patient.fax'
  | 'patient.email'
  | 'patient.occupation'
  | 'patient.ethnicGroup';

/** Stable names of study-level identity fields (operators by index, devices by modality). */
export type StudyField =
  | 'study.date'
  | 'study.referringPhysician.name'
  | 'study.referringPhysician.address'
  | 'study.referringPhysician.phone'
  | 'study.referringPhysician.license'
  | 'study.performingPhysician.name'
  | 'study.readingPhysician.name'
  | `study.operators.${number}.name`
  | 'study.institution.name'
  | 'study.institution.address'
  | 'study.institution.department'
  | 'study.institution.url'
  | 'study.stationName'
  | 'study.stationIp'
  | 'study.stationAeTitle'
  | 'study.retrieveAeTitle'
  | `study.devices.${string}.serialNumber`
  | 'study.plateId'
  | 'study.detectorId'
  | 'study.gantryId'
  | 'study.accessionNumber'
  | 'study.studyId'
  | 'study.visitId'
  | 'study.admissionId';

/** The stable name of any identity field. */
export type IdentityField = PatientField | StudyField;

/** Which rendering of a field a value is: the DICOM value itself, or a form for text or pixels. */
export type IdentityRendering = 'value' | 'prose' | 'burnedIn' | 'initials' | 'title';

/** One value an inserter may place, with everything the answer key records about its origin. */
export interface IdentityValue {
  /** The identity field it came from. */
  readonly field: IdentityField;
  /** Which rendering of that field. */
  readonly rendering: IdentityRendering;
  /** The exact text. */
  readonly value: string;
  /** HIPAA Safe Harbor kind, or null for values that are not Safe Harbor identifiers (occupation). */
  readonly kind: HipaaKind | null;
  /** The VR of the element the value is written to; text renderings are checked as LO (free text). */
  readonly vr: Vr;
  /** False for kept, non-PHI values (ethnic group) that need not be distinct from common words. */
  readonly distinct: boolean;
}

/** Values of a person's name: PN in the header, the other renderings in free text and pixels. */
function nameValues(field: IdentityField, name: PersonName): IdentityValue[] {
  const v = (rendering: IdentityRendering, value: string, vr: Vr): IdentityValue => ({
    field,
    rendering,
    value,
    kind: 'A',
    vr,
    distinct: true,
  });
  return [
    v('value', name.value, 'PN'),
    v('prose', name.prose, 'LO'),
    v('burnedIn', name.burnedIn, 'LO'),
    v('initials', name.initials, 'SH'),
    ...(name.title ? [v('title', name.title, 'LO')] : []),
  ];
}

/** Values of a date: DA in the header, `MM/DD/YYYY` in prose, `MM.DD.YYYY` burned in. */
function dateValues(
  field: IdentityField,
  date: { value: string; prose: string; burnedIn: string },
): IdentityValue[] {
  return [
    { field, rendering: 'value', value: date.value, kind: 'C', vr: 'DA', distinct: true },
    { field, rendering: 'prose', value: date.prose, kind: 'C', vr: 'LO', distinct: true },
    { field, rendering: 'burnedIn', value: date.burnedIn, kind: 'C', vr: 'LO', distinct: true },
  ];
}

const single = (field: IdentityField, value: string, kind: HipaaKind | null, vr: Vr): IdentityValue => ({
  field,
  rendering: 'value',
  value,
  kind,
  vr,
  distinct: field !== 'patient.ethnicGroup',
});

/** Every value of a patient's identity with its field, kind and VR, in a fixed order. */
export function listPatientValues(p: PatientIdentity): IdentityValue[] {
  return [
    ...nameValues('patient.name', p.name),
    single('patient.id', p.patientId, 'R', 'LO'),
    ...dateValues('patient.birthDate', p.birthDate),
    single('patient.ssn', p.ssn, 'G', 'LO'),
    single('patient.mrn', p.mrn, 'H', 'LO'),
    single('patient.healthPlanNumber', p.healthPlanNumber, 'I', 'LO'),
    single('patient.accountNumber', p.accountNumber, 'J', 'LO'),
    single('patient.address', p.address.value, 'B', 'LO'),
    single('patient.phone', p.phone, 'D', 'SH'),
    single('patient.fax', p.fax, 'E', 'SH'),
    single('patient.email', p.email, 'F', 'LO'),
    single('patient.occupation', p.occupation.value, null, 'SH'),
    single('patient.ethnicGroup', p.ethnicGroup, null, 'SH'),
  ];
}

/** Every value of a study's identity with its field, kind and VR, in a fixed order. */
export function listStudyValues(s: StudyIdentity): IdentityValue[] {
  return [
    ...(s.date ? dateValues('study.date', s.date) : []),
    ...nameValues('study.referringPhysician.name', s.referringPhysician.name),
    single('study.referringPhysician.address', s.referringPhysician.address.value, 'B', 'ST'),
    single('study.referringPhysician.phone', s.referringPhysician.phone, 'D', 'SH'),
    single('study.referringPhysician.license', s.referringPhysician.license, 'K', 'LO'),
    ...nameValues('study.performingPhysician.name', s.performingPhysician),
    ...nameValues('study.readingPhysician.name', s.readingPhysician),
    ...s.operators.flatMap((o, i) => nameValues(`study.operators.${i}.name`, o)),
    single('study.institution.name', s.institution.name, 'B', 'LO'),
    single('study.institution.address', s.institution.address.value, 'B', 'ST'),
    single('study.institution.department', s.institution.department, 'B', 'LO'),
    single('study.institution.url', s.institution.url, 'N', 'UR'),
    single('study.stationName', s.stationName, 'M', 'SH'),
    single('study.stationIp', s.stationIp, 'O', 'LO'),
    single('study.stationAeTitle', s.stationAeTitle, 'R', 'AE'),
    single('study.retrieveAeTitle', s.retrieveAeTitle, 'R', 'AE'),
    ...s.devices.map((d) => single(`study.devices.${d.modality}.serialNumber`, d.serialNumber, 'M', 'LO')),
    single('study.plateId', s.plateId, 'M', 'LO'),
    single('study.detectorId', s.detectorId, 'M', 'SH'),
    single('study.gantryId', s.gantryId, 'M', 'LO'),
    single('study.accessionNumber', s.accessionNumber, 'R', 'SH'),
    single('study.studyId', s.studyId, 'R', 'SH'),
    single('study.visitId', s.visitId, 'R', 'LO'),
    single('study.admissionId', s.admissionId, 'R', 'LO'),
  ];
}
