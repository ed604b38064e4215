/**
 * One seeded set of study-level identities per source study (issue 3): clinicians, institution, devices,
 * AE titles and study identifiers. Seeds come from the root seed, the source StudyInstanceUID and the
 * field's name; the only other input is the patient's identity, whose values these must not repeat.
 */
import { shiftDate } from './date-shift.js';
import { drawDistinct, makeIdentityRegistry } from './distinct.js';
import { makeScopedLocaleFaker, type Faker } from './faker.js';
import {
  makeAddress,
  makeAlphanumeric,
  makeLetters,
  makeNumber,
  makePhone,
  toDateValue,
  type Address,
  type DateValue,
} from './formats.js';
import { listPatientValues } from './fields.js';
import {
  institutionSlug,
  LOCALE_DEPARTMENTS,
  LOCALE_TLD,
  makeLocaleAddress,
  makeLicenseNumber,
  makeLocaleInstitution,
  makeLocalePhone,
  makeLocaleWing,
} from './locale-formats.js';
import { makeLocalePersonName } from './locale-names.js';
import { makePersonName, type NameSex, type PersonName } from './names.js';
import type { PatientIdentity, PlannedAge } from './patient.js';

/** What the source data says about one study; all the study planner may depend on. */
export interface StudyFacts {
  /** Stable source key: the source StudyInstanceUID. */
  readonly key: string;
  /** Source StudyDate (DA), when present. */
  readonly studyDate?: string | undefined;
  /** Modalities in the study (CT, PT, MR...), any order. */
  readonly modalities: readonly string[];
  /** Manufacturer (0008,0070) of the study's equipment, when known. */
  readonly manufacturer?: string | undefined;
}

/** A referring physician: name plus the address and phone DICOM has elements for. */
export interface ReferringPhysician {
  /** Referring Physician's Name (HIPAA A). */
  readonly name: PersonName;
  /** Referring Physician's Address (0008,0092), a practice address (HIPAA B). */
  readonly address: Address;
  /** Referring Physician's Telephone Numbers (0008,0094), SH (HIPAA D). */
  readonly phone: string;
  /** State medical licence number (HIPAA K), for free text: `MD-4821937`. */
  readonly license: string;
}

/** The institution the study was done at. */
export interface Institution {
  /** Institution Name (0008,0080), LO: `Scott Community Hospital`. */
  readonly name: string;
  /** Institution Address (0008,0081), one line. */
  readonly address: Address;
  /** Institutional Department Name (0008,1040), LO: `Nuclear Medicine 2 West`. */
  readonly department: string;
  /** The institution's patient portal (HIPAA N), for free text. */
  readonly url: string;
}

/** One device of the study, per modality. */
export interface Device {
  /** The modality it acquired. */
  readonly modality: string;
  /** Device Serial Number (0018,1000): 13 upper-case alphanumerics (HIPAA M). */
  readonly serialNumber: string;
}

/** One study's synthetic identities, reused verbatim wherever they are inserted. */
export interface StudyIdentity {
  /** The source StudyInstanceUID this stands for. */
  readonly key: string;
  /** The source PatientID of the study's patient. */
  readonly patientKey: string;
  /** Shifted study date (HIPAA C), when the source study has one. */
  readonly date: DateValue | undefined;
  /** The patient's age at this study, when the study has a date. */
  readonly patientAge: PlannedAge | undefined;
  /** Referring physician (also the `Dr. Hicks` of free text). */
  readonly referringPhysician: ReferringPhysician;
  /** Performing Physician's Name (0008,1050). */
  readonly performingPhysician: PersonName;
  /** Name of Physician(s) Reading Study (0008,1060). */
  readonly readingPhysician: PersonName;
  /** Operators' Name (0008,1070): one or two technologists. */
  readonly operators: readonly PersonName[];
  /** Institution, address and department. */
  readonly institution: Institution;
  /** Station Name (0008,1010), SH: `HOST-7006`. */
  readonly stationName: string;
  /** The modality's IP address (HIPAA O), for free text: `10.23.4.117`. */
  readonly stationIp: string;
  /** The modality's own AE title (Station AE Title (0040,0241), Source AE in private blocks). */
  readonly stationAeTitle: string;
  /** Retrieve AE Title (0008,0054): `WHOTMM3367X8`. */
  readonly retrieveAeTitle: string;
  /** One device per modality, in sorted modality order. */
  readonly devices: readonly Device[];
  /** Plate ID (0018,1004), 13 upper-case alphanumerics (HIPAA M). */
  readonly plateId: string;
  /** Detector ID (0018,700A), 13 upper-case alphanumerics (HIPAA M). */
  readonly detectorId: string;
  /** Gantry ID (0018,1008), 13 upper-case alphanumerics (HIPAA M). */
  readonly gantryId: string;
  /** Accession Number (0008,0050), SH: `528B4836` or study date + `E` + 6 digits. */
  readonly accessionNumber: string;
  /** Study ID (0020,0010), SH: 6 digits. */
  readonly studyId: string;
  /** Visit number, LO (Service Episode ID (0038,0060), free text): `VN` + 8 digits. */
  readonly visitId: string;
  /** Admission ID (0038,0010), LO: `ADM` + 7 digits. */
  readonly admissionId: string;
}

/** Optional constraints from the rest of a plan. */
export interface StudyPlanOptions {
  /** Accession numbers already used by other studies. */
  readonly avoid?: ReadonlySet<string>;
}

/** Departments by modality: a base name, made specific by a location so it is not a bare common word. */
const DEPARTMENTS: Readonly<Record<string, readonly string[]>> = {
  PT: ['Nuclear Medicine', 'PET Imaging', 'Molecular Imaging'],
  NM: ['Nuclear Medicine', 'Molecular Imaging'],
  MG: ['Breast Imaging', 'Womens Imaging', 'Mammography'],
  US: ['Ultrasound', 'Diagnostic Radiology', 'Radiology'],
};
const DEFAULT_DEPARTMENTS = ['Radiology', 'Diagnostic Radiology', 'Medical Imaging', 'Diagnostic Imaging'];

/** Institution name patterns: the first is MIDI-B's (`Compton, Holmes and Jones Hospital`). */
const INSTITUTION_PATTERNS: ReadonlyArray<(f: Faker) => string> = [
  (f) => `${f.person.lastName()}, ${f.person.lastName()} and ${f.person.lastName()} Hospital`,
  (f) => `${f.person.lastName()} Community Hospital`,
  (f) => `${f.person.lastName()} Memorial Hospital`,
  (f) => `${f.person.lastName()} and ${f.person.lastName()} Medical Center`,
  (f) => `${f.location.city()} General Hospital`,
  (f) => `${f.location.city()} Medical Center`,
  (f) => `${f.location.city()} Regional Medical Center`,
  (f) => `Saint ${f.person.firstName()} Hospital`,
  (f) => `${f.person.lastName()} Imaging Center`,
];

/** Station names: MIDI-B's `HOST-7006`, or a vendor-like console name. */
function makeStationName(f: Faker, modality: string, manufacturer: string): string {
  const vendor = manufacturer.toUpperCase();
  if (f.datatype.boolean()) return `HOST-${makeNumber(f, 4)}`;
  if (vendor.includes('SIEMENS')) return `${modality}C${makeNumber(f, 5)}`;
  if (vendor.includes('GE')) return `GE${modality}${makeLetters(f, 2)}${makeNumber(f, 2)}`;
  if (vendor.includes('PHILIPS')) return `PHILIPS-${makeAlphanumeric(f, 6)}`;
  return `${modality}${makeLetters(f, 3)}${makeNumber(f, 3)}`;
}

/** Plans one study's identities for a planned patient; pure, the same for the same root seed and facts. */
export function planStudyIdentity(
  rootSeed: string | number,
  patient: PatientIdentity,
  source: StudyFacts,
  options: StudyPlanOptions = {},
): StudyIdentity {
  // The study's people and places are of its patient's locale (a patient is treated where they live).
  const locale = patient.locale;
  const english = locale === 'en_US';
  const fakerFor = makeScopedLocaleFaker(locale, rootSeed, 'study', source.key);
  const avoid = options.avoid ?? new Set<string>();
  const registry = makeIdentityRegistry();
  for (const v of listPatientValues(patient)) if (v.distinct) registry.add(v.field, [v.value]);
  registry.addFamily(patient.name.family);

  const date = source.studyDate !== undefined ? toDateValue(shiftDate(patient, source.studyDate)) : undefined;
  if (date) registry.add('study.date', [date.value, date.burnedIn, date.prose]);
  const patientAge = date ? patient.ages.find((a) => a.studyDate === date.value) : undefined;

  const modalities = [
    ...new Set(source.modalities.map((m) => m.trim().toUpperCase()).filter(Boolean)),
  ].sort();
  // Modality is CS; only a plain code may prefix station names and AE titles.
  const primary = modalities.find((m) => /^[A-Z0-9]{1,4}$/.test(m)) ?? 'OT';

  const person = (field: string, clinician: boolean): PersonName => {
    const faker = fakerFor(field);
    const sex: NameSex = faker.datatype.boolean() ? 'female' : 'male';
    const options = { sex, middleChance: 0, clinician };
    return english
      ? makePersonName(faker, registry, `${field}.name`, options)
      : makeLocalePersonName(locale, faker, registry, `${field}.name`, options);
  };
  const referringName = person('study.referringPhysician', true);
  const performingPhysician = person('study.performingPhysician', true);
  const readingPhysician = person('study.readingPhysician', true);
  const operatorCount = fakerFor('study.operators').number.int({ min: 1, max: 2 });
  const operators = Array.from({ length: operatorCount }, (_, i) => person(`study.operators.${i}`, false));

  const referringFaker = fakerFor('study.referringPhysician.address');
  const referringAddress = drawDistinct(
    registry,
    'study.referringPhysician.address',
    () =>
      english
        ? makeAddress(referringFaker, { state: patient.address.state, suite: true })
        : makeLocaleAddress(locale, referringFaker, { state: patient.address.state, suite: true }),
    (a) => [a.value],
  );
  const referringPhoneFaker = fakerFor('study.referringPhysician.phone');
  const referringPhone = drawDistinct(
    registry,
    'study.referringPhysician.phone',
    () => (english ? makePhone(referringPhoneFaker, 0.3) : makeLocalePhone(referringPhoneFaker)),
    (v) => [v],
  );

  const institutionFaker = fakerFor('study.institution.name');
  const institutionName = drawDistinct(
    registry,
    'study.institution.name',
    () =>
      english
        ? institutionFaker.helpers.arrayElement(INSTITUTION_PATTERNS)(institutionFaker)
        : makeLocaleInstitution(locale, institutionFaker),
    (v) => [v],
    // Named after nobody in this study, and within LO (PS3.5 6.2).
    (v) =>
      [...v].length > 64 ? 'longer than LO' : registry.mentionsFamily(v) ? 'names a person here' : undefined,
  );
  const institutionAddressFaker = fakerFor('study.institution.address');
  const institutionAddress = drawDistinct(
    registry,
    'study.institution.address',
    // Patients are mostly treated in their own state.
    () =>
      english
        ? makeAddress(institutionAddressFaker, { state: patient.address.state })
        : makeLocaleAddress(locale, institutionAddressFaker, { state: patient.address.state }),
    (a) => [a.value],
  );
  const departmentFaker = fakerFor('study.institution.department');
  const department = drawDistinct(
    registry,
    'study.institution.department',
    () => {
      const f = departmentFaker;
      if (!english)
        return `${f.helpers.arrayElement(LOCALE_DEPARTMENTS[locale] ?? [])} ${makeLocaleWing(locale, f)}`;
      const base = f.helpers.arrayElement(DEPARTMENTS[primary] ?? DEFAULT_DEPARTMENTS);
      const where = f.helpers.arrayElement([
        () =>
          `${f.number.int({ min: 1, max: 9 })} ${f.helpers.arrayElement(['West', 'East', 'North', 'South'])}`,
        () => `Level ${f.number.int({ min: 1, max: 9 })}`,
        () => `Building ${makeLetters(f, 1)}`,
        () => `Suite ${f.number.int({ min: 100, max: 999 })}`,
      ])();
      return `${base} ${where}`;
    },
    (v) => [v],
  );

  const one = (
    field: string,
    make: (f: Faker) => string,
    extra?: (v: string) => string | undefined,
  ): string => {
    const faker = fakerFor(field);
    return drawDistinct(
      registry,
      field,
      () => make(faker),
      (v) => [v],
      extra,
    );
  };
  const stationName = one('study.stationName', (f) => makeStationName(f, primary, source.manufacturer ?? ''));
  const stationAeTitle = one(
    'study.stationAeTitle',
    (f) => `${primary}_${makeLetters(f, 3)}${makeNumber(f, 2)}`,
  );
  // MIDI-B's retrieve AE titles: six letters, four digits, two alphanumerics (`WHOTMM3367X8`).
  const retrieveAeTitle = one(
    'study.retrieveAeTitle',
    (f) => `${makeLetters(f, 6)}${makeNumber(f, 4)}${makeAlphanumeric(f, 2)}`,
  );
  const devices = modalities.map((modality) => ({
    modality,
    serialNumber: one(`study.devices.${modality}.serialNumber`, (f) => makeAlphanumeric(f, 13)),
  }));
  const plateId = one('study.plateId', (f) => makeAlphanumeric(f, 13));
  const detectorId = one('study.detectorId', (f) => makeAlphanumeric(f, 13));
  const gantryId = one('study.gantryId', (f) => makeAlphanumeric(f, 13));

  // The date form embeds the study date on purpose (as MIDI-B's did): an allowed overlap (IDENTITY_OVERLAPS).
  const accessionNumber = one(
    'study.accessionNumber',
    (f) =>
      date && f.datatype.boolean()
        ? `${date.value}E${f.string.numeric(6)}`
        : `${makeNumber(f, 3)}${makeLetters(f, 1)}${f.string.numeric(4)}`,
    (v) => (avoid.has(v) ? 'used by another study' : undefined),
  );
  const studyId = one('study.studyId', (f) => makeNumber(f, 6));
  const visitId = one('study.visitId', (f) => `VN${makeNumber(f, 8)}`);
  const admissionId = one('study.admissionId', (f) => `ADM${makeNumber(f, 7)}`);
  // Safe Harbor K, N and O: a licence number, a web address and an IP address, for free text.
  const referringLicense = one('study.referringPhysician.license', (f) =>
    english ? `${patient.address.state}-${makeNumber(f, 7)}` : makeLicenseNumber(locale, f),
  );
  const institutionUrl = one('study.institution.url', (f) =>
    !english
      ? `https://www.${institutionSlug(institutionName, f)}.${LOCALE_TLD[locale]}/portal`
      : `https://www.${institutionName
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '')
          .slice(0, 32)}.org/portal`,
  );
  const stationIp = one(
    'study.stationIp',
    (f) =>
      `10.${f.number.int({ min: 16, max: 254 })}.${f.number.int({ min: 1, max: 254 })}.${f.number.int({ min: 2, max: 254 })}`,
  );

  return {
    key: source.key,
    patientKey: patient.key,
    date,
    patientAge,
    referringPhysician: {
      name: referringName,
      address: referringAddress,
      phone: referringPhone,
      license: referringLicense,
    },
    performingPhysician,
    readingPhysician,
    operators,
    institution: { name: institutionName, address: institutionAddress, department, url: institutionUrl },
    stationName,
    stationIp,
    stationAeTitle,
    retrieveAeTitle,
    devices,
    plateId,
    detectorId,
    gantryId,
    accessionNumber,
    studyId,
    visitId,
    admissionId,
  };
}
