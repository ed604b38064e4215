/**
 * One seeded synthetic identity per source patient (issue 3). Every field draws from its own generator,
 * derived from the root seed, the source PatientID and the field's name, so the identity does not depend
 * on other patients, on planning order, or on fields added later.
 */
import {
  ageIn,
  birthDayCandidates,
  conventionalAge,
  daToEpochDay,
  epochDayToDa,
  parseAs,
  toAs,
  type Age,
} from './calendar.js';
import { ANCHOR_WITHOUT_DATES, planDateShift, shiftDate, type DateShift } from './date-shift.js';
import { drawDistinct, makeIdentityRegistry } from './distinct.js';
import { makeScopedLocaleFaker } from './faker.js';
import {
  makeAddress,
  makeLetters,
  makeNumber,
  makePhone,
  makeSsn,
  SH_MAX,
  toDateValue,
  truncateTo,
  type Address,
  type DateValue,
} from './formats.js';
import { readsBackInLocale } from './character-sets.js';
import { DEFAULT_LOCALE, type IdentityLocale } from './locale.js';
import {
  makeLocaleAddress,
  makeLocalePhone,
  makeNationalId,
  NATIONAL_ID_HOLDS_BIRTH_DATE,
} from './locale-formats.js';
import { makeLocalePersonName } from './locale-names.js';
import { loadOccupations } from './name-lists.js';
import { makePersonName, type NameSex, type PersonName } from './names.js';

/** A Patient's Age found in the source, with the source StudyDate it was recorded at. */
export interface AgeFact {
  /** Patient's Age (0010,1010) as found: AS `063Y` (1-3 digits accepted). */
  readonly age: string;
  /** Source StudyDate (DA) of the study that carries it. */
  readonly studyDate: string;
}

/** What the source data says about one patient; all the patient planner may depend on. */
export interface PatientFacts {
  /** Stable source key: the source PatientID. */
  readonly key: string;
  /** Patient's Sex (0010,0040) as found: `M`, `F`, `O`, or absent. */
  readonly sex?: string | undefined;
  /** Every Patient's Age the source gives, each with its study date (kept as they are, TCIA K). */
  readonly ages?: readonly AgeFact[] | undefined;
  /** Source StudyDate (DA) of each of the patient's studies. */
  readonly studyDates: readonly string[];
}

/** The age at one (shifted) study date, consistent with the planned birth date. */
export interface PlannedAge {
  /** Shifted study date (DA). */
  readonly studyDate: string;
  /** AS value: the source's own when it gave one, else the conventional unit (days, months, years). */
  readonly value: string;
  /** True when the source gave this age (and it is kept), false when computed for a study without one. */
  readonly fromSource: boolean;
  /** Ages over 89 are themselves PHI (HIPAA Safe Harbor C): kept, but flagged for the answer key. */
  readonly over89: boolean;
}

/** The occupation, cut on purpose to fit Occupation (0010,2180), SH. */
export interface Occupation {
  /** At most 16 characters: what is inserted and recorded. */
  readonly value: string;
  /** Faker's job title before the cut. */
  readonly full: string;
  /** Whether the value was cut. */
  readonly truncated: boolean;
}

/** One synthetic patient: every value generated once, reused verbatim wherever it is inserted. */
export interface PatientIdentity {
  /** The source PatientID this identity stands for. */
  readonly key: string;
  /** The locale every value of this patient and of its studies is drawn from. */
  readonly locale: IdentityLocale;
  /** Patient's Sex as the source gives it (kept), which chose the first-name list. */
  readonly sex: string | undefined;
  /** Patient's Name (HIPAA A). */
  readonly name: PersonName;
  /** Patient ID: a random 9-10 digit number (HIPAA R), also the Clinical Trial Subject ID. */
  readonly patientId: string;
  /** Birth date (HIPAA C), consistent with every kept Patient's Age at the shifted study dates. */
  readonly birthDate: DateValue;
  /** The patient's shifted study dates, ascending, without repeats. */
  readonly studyDates: readonly string[];
  /** The age at each shifted study date. */
  readonly ages: readonly PlannedAge[];
  /** Whether any age is over 89 (HIPAA C). */
  readonly agesOver89: boolean;
  /** The one date shift of this patient. */
  readonly dateShift: DateShift;
  /**
   * Social security number `096-74-4054` (HIPAA G), for Other Patient IDs and free text; in the other
   * locales their national identifier (makeNationalId).
   */
  readonly ssn: string;
  /** Medical record number `0` + 7 digits (HIPAA H). */
  readonly mrn: string;
  /** Health plan beneficiary number: 3 letters + 9 digits (HIPAA I). */
  readonly healthPlanNumber: string;
  /** Account number: 12 digits (HIPAA J). */
  readonly accountNumber: string;
  /** Home address (HIPAA B). */
  readonly address: Address;
  /** Telephone, fitting SH (HIPAA D). */
  readonly phone: string;
  /** Fax, fitting SH (HIPAA E). */
  readonly fax: string;
  /** E-mail address (HIPAA F). */
  readonly email: string;
  /** Occupation (not a Safe Harbor kind; TCIA removes it after review). */
  readonly occupation: Occupation;
  /** Ethnic group, SH (kept by TCIA, not PHI). */
  readonly ethnicGroup: string;
  /** Source facts that could not be used as they are (a malformed or contradictory age). */
  readonly notes: readonly string[];
}

/** Optional constraints from the rest of a plan. */
export interface PatientPlanOptions {
  /** Identifier values already used by other patients; the unique fields avoid them. */
  readonly avoid?: ReadonlySet<string>;
  /** The locale to draw from (default en_US). */
  readonly locale?: IdentityLocale;
}

/** Ethnic Group (0010,2160) values, with rough US census weights. */
const ETHNIC_GROUPS: ReadonlyArray<{ value: string; weight: number }> = [
  { value: 'White', weight: 58 },
  { value: 'Hispanic', weight: 19 },
  { value: 'Black', weight: 13 },
  { value: 'Asian', weight: 6 },
  { value: 'Multiracial', weight: 3 },
  { value: 'Native American', weight: 1 },
];

/** The adult ages (years, at the first study) given to a patient whose source has no age. */
const DEFAULT_AGE_YEARS = { min: 25, max: 85 } as const;

const nameSexOf = (sex: string | undefined): NameSex => {
  const s = sex?.trim().toUpperCase();
  return s === 'F' ? 'female' : s === 'M' ? 'male' : 'unspecified';
};

/** Parses a source age leniently (`63Y` as well as `063Y`): sources are not always conformant. */
const parseSourceAge = (text: string): Age | undefined => {
  const strict = parseAs(text);
  if (strict) return strict;
  const m = /^\s*(\d{1,3})\s*([DWMY])\s*$/.exec(text.toUpperCase());
  return m ? { count: Number(m[1]), unit: m[2] as Age['unit'] } : undefined;
};

/** Plans the identity of one source patient; pure, and the same for the same root seed and facts. */
export function planPatientIdentity(
  rootSeed: string | number,
  source: PatientFacts,
  options: PatientPlanOptions = {},
): PatientIdentity {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const english = locale === 'en_US';
  // en_US's Faker is the one makeScopedFaker seeds: en_US draws are those before locales existed.
  const fakerFor = makeScopedLocaleFaker(locale, rootSeed, 'patient', source.key);
  const avoid = options.avoid ?? new Set<string>();
  const unique = (v: string): string | undefined => (avoid.has(v) ? 'used by another patient' : undefined);
  const registry = makeIdentityRegistry();
  if (NATIONAL_ID_HOLDS_BIRTH_DATE.has(locale)) {
    // Greek AMKA, Korean and Chinese identity numbers embed the birth date (which may be a study date).
    registry.allowOverlap('patient.ssn', 'patient.birthDate');
    registry.allowOverlap('patient.ssn', 'study.date');
  }
  const notes: string[] = [];

  // Dates first: they are forced by the source, and every drawn value must keep clear of them.
  const dateShift = planDateShift(fakerFor('patient.dateShift'), source.studyDates);
  const shifted = (da: string): number => daToEpochDay(shiftDate({ dateShift }, da));
  const studyDays = [...new Set(source.studyDates.map(shifted))].sort((a, b) => a - b);
  for (const day of studyDays) {
    const date = toDateValue(epochDayToDa(day));
    registry.add('study.date', [date.value, date.burnedIn, date.prose]);
  }

  // Birth date: a day on which every kept age holds at its shifted study date.
  const ageFacts: Array<{ age: Age; at: number; text: string }> = [];
  for (const fact of source.ages ?? []) {
    const age = parseSourceAge(fact.age);
    if (!age) {
      notes.push(`Patient's Age ${JSON.stringify(fact.age)} is not an AS value; ignored`);
      continue;
    }
    ageFacts.push({ age, at: shifted(fact.studyDate), text: fact.age });
  }
  ageFacts.sort((a, b) => a.at - b.at);
  let candidates: number[];
  const firstFact = ageFacts[0];
  if (firstFact) {
    candidates = birthDayCandidates(firstFact.age, firstFact.at);
    const others = ageFacts.slice(1);
    const consistent = candidates.filter((b) =>
      others.every((f) => ageIn(f.age.unit, b, f.at) === f.age.count),
    );
    if (consistent.length > 0) candidates = consistent;
    else
      notes.push(
        `Patient's Ages ${ageFacts.map((f) => f.text).join(', ')} admit no common birth date; the first study's is kept`,
      );
  } else {
    const at = studyDays[0] ?? daToEpochDay(shiftDate({ dateShift }, ANCHOR_WITHOUT_DATES));
    const years = fakerFor('patient.age').number.int(DEFAULT_AGE_YEARS);
    candidates = birthDayCandidates({ count: years, unit: 'Y' }, at);
  }
  const birthFaker = fakerFor('patient.birthDate');
  const birthDay = drawDistinct(
    registry,
    'patient.birthDate',
    () => birthFaker.helpers.arrayElement(candidates),
    (day) => {
      const d = toDateValue(epochDayToDa(day));
      return [d.value, d.burnedIn, d.prose];
    },
  );
  const ages: PlannedAge[] = studyDays.map((day) => {
    const kept = ageFacts.find((f) => f.at === day);
    return {
      studyDate: epochDayToDa(day),
      value: toAs(kept ? kept.age : conventionalAge(birthDay, day)),
      fromSource: kept !== undefined,
      over89: ageIn('Y', birthDay, day) > 89,
    };
  });

  const nameOptions = { sex: nameSexOf(source.sex), middleChance: 0.2, clinician: false };
  const name = english
    ? makePersonName(fakerFor('patient.name'), registry, 'patient.name', nameOptions)
    : makeLocalePersonName(locale, fakerFor('patient.name'), registry, 'patient.name', nameOptions);

  const idFaker = fakerFor('patient.id');
  const patientId = drawDistinct(
    registry,
    'patient.id',
    // MIDI-B's Patient IDs were random 9-10 digit numbers.
    () => makeNumber(idFaker, idFaker.datatype.boolean() ? 10 : 9),
    (v) => [v],
    unique,
  );
  const one = (field: string, make: (f: ReturnType<typeof fakerFor>) => string, extra = unique): string => {
    const faker = fakerFor(field);
    return drawDistinct(
      registry,
      field,
      () => make(faker),
      (v) => [v],
      extra,
    );
  };
  // Distinct shapes per identifier, so that a value's field can be told from its form alone.
  const birthDa = epochDayToDa(birthDay);
  const ssn = one('patient.ssn', (f) =>
    english ? makeSsn(f) : makeNationalId(locale, f, birthDa, nameSexOf(source.sex)),
  );
  const mrn = one('patient.mrn', (f) => `0${f.string.numeric(7)}`);
  const healthPlanNumber = one('patient.healthPlanNumber', (f) => `${makeLetters(f, 3)}${makeNumber(f, 9)}`);
  const accountNumber = one('patient.accountNumber', (f) => makeNumber(f, 12));

  const addressFaker = fakerFor('patient.address');
  const address = drawDistinct(
    registry,
    'patient.address',
    () => (english ? makeAddress(addressFaker) : makeLocaleAddress(locale, addressFaker)),
    (a) => [a.value],
  );
  const none = (): undefined => undefined;
  const phone = one('patient.phone', (f) => (english ? makePhone(f, 0.3) : makeLocalePhone(f)), none);
  const fax = one('patient.fax', (f) => (english ? makePhone(f, 0) : makeLocalePhone(f)), none);
  const email = one(
    'patient.email',
    (f) =>
      f.internet.email(
        name.latin
          ? { firstName: name.latin.given, lastName: name.latin.family }
          : { firstName: name.given, lastName: name.family },
      ),
    none,
  );

  const occupationFaker = fakerFor('patient.occupation');
  const occupation = drawDistinct(
    registry,
    'patient.occupation',
    (): Occupation => {
      // Faker's German, Korean and Chinese job titles are English: those take theirs from templates.
      const own = english ? undefined : loadOccupations(locale);
      const full = own ? occupationFaker.helpers.arrayElement(own) : occupationFaker.person.jobTitle();
      const value = truncateTo(full, SH_MAX);
      return { value, full, truncated: value !== full };
    },
    (o) => [o.value],
    // Other locales' occupations must read back as written (identity/character-sets.ts).
    english
      ? undefined
      : (o) => (readsBackInLocale(locale, 'SH', o.value) ? undefined : 'not read back as written'),
  );
  // Ethnic group is kept, not PHI, and its values are common words: it stays out of the distinct set.
  const ethnicGroup = fakerFor('patient.ethnicGroup').helpers.weightedArrayElement(ETHNIC_GROUPS);

  return {
    key: source.key,
    locale,
    sex: source.sex,
    name,
    patientId,
    birthDate: toDateValue(epochDayToDa(birthDay)),
    studyDates: studyDays.map(epochDayToDa),
    ages,
    agesOver89: ages.some((a) => a.over89),
    dateShift,
    ssn,
    mrn,
    healthPlanNumber,
    accountNumber,
    address,
    phone,
    fax,
    email,
    occupation,
    ethnicGroup,
    notes,
  };
}
