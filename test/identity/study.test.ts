import { describe, expect, it } from 'vitest';
import { shiftDate } from '../../src/identity/date-shift.js';
import { listPatientValues, listStudyValues } from '../../src/identity/fields.js';
import { planPatientIdentity, type PatientIdentity } from '../../src/identity/patient.js';
import { planStudyIdentity, type StudyFacts, type StudyIdentity } from '../../src/identity/study.js';
import { expectDistinct, expectFitsVrs } from './helpers.js';

const MODALITIES = [['CT'], ['PT', 'CT'], ['MR'], ['MG'], ['US'], ['DX'], ['CR'], ['SR'], ['NM'], []];
const MANUFACTURERS = [
  'SIEMENS',
  'GE MEDICAL SYSTEMS',
  'Philips Medical Systems',
  'TOSHIBA',
  'FUJIFILM',
  undefined,
];

/** 150 patients with two studies each, across modalities and manufacturers. */
const PAIRS: Array<{ patient: PatientIdentity; facts: StudyFacts; study: StudyIdentity }> = [];
for (let i = 0; i < 150; i++) {
  const key = `PAT-${i}`;
  const dates = ['20030105', '20040622'];
  const patient = planPatientIdentity(1, {
    key,
    sex: i % 2 ? 'M' : 'F',
    ages: [{ age: '058Y', studyDate: dates[0]! }],
    studyDates: dates,
  });
  for (const [j, date] of dates.entries()) {
    const facts: StudyFacts = {
      key: `1.2.840.99.${i}.${j}`,
      studyDate: i % 7 === 3 && j === 1 ? undefined : date,
      modalities: MODALITIES[(i + j) % MODALITIES.length]!,
      manufacturer: MANUFACTURERS[i % MANUFACTURERS.length],
    };
    PAIRS.push({ patient, facts, study: planStudyIdentity(1, patient, facts) });
  }
}

describe('planStudyIdentity', () => {
  const patient = planPatientIdentity(1, {
    key: 'TCGA-BR-0001',
    sex: 'F',
    ages: [{ age: '063Y', studyDate: '20000312' }],
    studyDates: ['20000312', '20010415'],
  });
  const facts: StudyFacts = {
    key: '1.3.6.1.4.1.14519.5.2.1.7777.1',
    studyDate: '20000312',
    modalities: ['PT', 'CT'],
    manufacturer: 'GE MEDICAL SYSTEMS',
  };

  it('is deterministic for a seed, patient and key', () => {
    expect(planStudyIdentity(1, patient, facts)).toEqual(planStudyIdentity(1, patient, facts));
    expect(planStudyIdentity(1, patient, { ...facts, modalities: ['CT', 'PT'] })).toEqual(
      planStudyIdentity(1, patient, facts),
    );
  });

  it('matches the golden study of seed 1', () => {
    expect(planStudyIdentity(1, patient, facts)).toMatchInlineSnapshot(`
      {
        "accessionNumber": "20140412E508922",
        "admissionId": "ADM5558567",
        "date": {
          "burnedIn": "04.12.2014",
          "prose": "04/12/2014",
          "value": "20140412",
        },
        "detectorId": "ZTGQWKZQ5L33K",
        "devices": [
          {
            "modality": "CT",
            "serialNumber": "A4KXANDCBRM3I",
          },
          {
            "modality": "PT",
            "serialNumber": "LV5TRVNWZPSHS",
          },
        ],
        "gantryId": "L06YIME45ELMV",
        "institution": {
          "address": {
            "city": "New Nichole",
            "state": "MS",
            "street": "476 Airport Road",
            "value": "476 Airport Road New Nichole, MS 39197",
            "zip": "39197",
          },
          "department": "Diagnostic Imaging Building L",
          "name": "Cronin Imaging Center",
          "url": "https://www.cronin-imaging-center.org/portal",
        },
        "key": "1.3.6.1.4.1.14519.5.2.1.7777.1",
        "operators": [
          {
            "burnedIn": "DICKENS VICKIE",
            "family": "Dickens",
            "given": "Vickie",
            "initials": "VD",
            "prose": "Vickie Dickens",
            "sex": "female",
            "value": "DICKENS^VICKIE",
          },
          {
            "burnedIn": "ROBEL NED",
            "family": "Robel",
            "given": "Ned",
            "initials": "NR",
            "prose": "Ned Robel",
            "sex": "male",
            "value": "ROBEL^NED",
          },
        ],
        "patientAge": {
          "fromSource": true,
          "over89": false,
          "studyDate": "20140412",
          "value": "063Y",
        },
        "patientKey": "TCGA-BR-0001",
        "performingPhysician": {
          "burnedIn": "HARRIS AURELIO",
          "family": "Harris",
          "given": "Aurelio",
          "initials": "AH",
          "prose": "Aurelio Harris",
          "sex": "male",
          "title": "Dr. Harris",
          "value": "HARRIS^AURELIO",
        },
        "plateId": "6NY7XTE70ER8T",
        "readingPhysician": {
          "burnedIn": "HAAG LITZY",
          "family": "Haag",
          "given": "Litzy",
          "initials": "LH",
          "prose": "Litzy Haag",
          "sex": "female",
          "title": "Dr. Haag",
          "value": "HAAG^LITZY",
        },
        "referringPhysician": {
          "address": {
            "city": "Lake Walter",
            "state": "MS",
            "street": "70128 Fadel Corner Suite 836",
            "value": "70128 Fadel Corner Suite 836 Lake Walter, MS 39606",
            "zip": "39606",
          },
          "license": "MS-9271914",
          "name": {
            "burnedIn": "LOCKMAN GENEVIEVE",
            "family": "Lockman",
            "given": "Genevieve",
            "initials": "GL",
            "prose": "Genevieve Lockman",
            "sex": "female",
            "title": "Dr. Lockman",
            "value": "LOCKMAN^GENEVIEVE",
          },
          "phone": "(893)847-7865x70",
        },
        "retrieveAeTitle": "PMUPQE365122",
        "stationAeTitle": "CT_RWE78",
        "stationIp": "10.118.146.172",
        "stationName": "GECTPV86",
        "studyId": "467692",
        "visitId": "VN67913410",
      }
    `);
  });

  it('gives different studies different identities', () => {
    const a = planStudyIdentity(1, patient, facts);
    const b = planStudyIdentity(1, patient, { ...facts, key: `${facts.key}.2` });
    expect(b.referringPhysician.name.value).not.toBe(a.referringPhysician.name.value);
    expect(b.accessionNumber).not.toBe(a.accessionNumber);
    expect(b.devices[0]!.serialNumber).not.toBe(a.devices[0]!.serialNumber);
  });

  it('shifts the study date with the patient’s shift and carries the age at it', () => {
    for (const { patient: p, facts: f, study: s } of PAIRS) {
      if (f.studyDate === undefined) {
        expect(s.date).toBeUndefined();
        expect(s.patientAge).toBeUndefined();
        continue;
      }
      expect(s.date!.value).toBe(shiftDate(p, f.studyDate));
      expect(s.patientAge!.studyDate).toBe(s.date!.value);
      expect(p.ages).toContainEqual(s.patientAge);
    }
  });

  it('fits every value to its VR', () => {
    for (const { study } of PAIRS) expectFitsVrs(listStudyValues(study));
  });

  it('keeps PHI values distinct from the patient’s, from each other and from common words', () => {
    for (const { patient: p, study } of PAIRS)
      expectDistinct([...listPatientValues(p), ...listStudyValues(study)]);
  });

  it('gives every clinician a family name of their own', () => {
    for (const { patient: p, study: s } of PAIRS) {
      const people = [
        p.name,
        s.referringPhysician.name,
        s.performingPhysician,
        s.readingPhysician,
        ...s.operators,
      ];
      const families = people.map((n) => n.family.toLowerCase());
      expect(new Set(families).size).toBe(families.length);
      for (const doctor of [s.referringPhysician.name, s.performingPhysician, s.readingPhysician]) {
        expect(doctor.title).toBe(`Dr. ${doctor.family}`);
      }
      for (const o of s.operators) expect(o.title).toBeUndefined();
      expect(s.institution.name.toLowerCase()).not.toContain(p.name.family.toLowerCase());
    }
  });

  it('uses MIDI-B’s identifier forms', () => {
    const forms = { alnum: 0, dated: 0 };
    for (const { study: s } of PAIRS) {
      if (/^\d{3}[A-Z]\d{4}$/.test(s.accessionNumber)) forms.alnum++;
      else {
        expect(s.accessionNumber).toBe(`${s.date!.value}E${s.accessionNumber.slice(9)}`);
        expect(s.accessionNumber).toMatch(/^\d{8}E\d{6}$/);
        forms.dated++;
      }
      expect(s.studyId).toMatch(/^[1-9]\d{5}$/);
      expect(s.visitId).toMatch(/^VN\d{8}$/);
      expect(s.admissionId).toMatch(/^ADM\d{7}$/);
      for (const id of [s.plateId, s.detectorId, s.gantryId, ...s.devices.map((d) => d.serialNumber)]) {
        expect(id).toMatch(/^[A-Z0-9]{13}$/);
      }
      expect(s.retrieveAeTitle).toMatch(/^[A-Z]{6}\d{4}[A-Z0-9]{2}$/);
      expect(s.stationAeTitle).toMatch(/^[A-Z0-9]{1,4}_[A-Z]{3}\d{2}$/);
      expect(s.stationName.length).toBeLessThanOrEqual(16);
      expect(s.stationName).toBe(s.stationName.toUpperCase());
      expect(s.institution.name.length).toBeLessThanOrEqual(64);
      expect(s.institution.address.state).toBe(PAIRS.find((x) => x.study === s)!.patient.address.state);
    }
    expect(forms.alnum).toBeGreaterThan(30);
    expect(forms.dated).toBeGreaterThan(30);
    expect(PAIRS.some(({ study }) => study.stationName.startsWith('HOST-'))).toBe(true);
    expect(PAIRS.some(({ study }) => /,.* and .* Hospital$/.test(study.institution.name))).toBe(true);
  });

  it('gives one device per modality, in sorted order', () => {
    const s = planStudyIdentity(1, patient, { ...facts, modalities: ['PT', 'CT', 'pt', ''] });
    expect(s.devices.map((d) => d.modality)).toEqual(['CT', 'PT']);
    expect(planStudyIdentity(1, patient, { ...facts, modalities: [] }).devices).toEqual([]);
  });

  it('depends only on its own facts and the patient', () => {
    const alone = planStudyIdentity(1, patient, facts);
    planStudyIdentity(1, patient, { ...facts, key: 'other' });
    expect(planStudyIdentity(1, patient, facts)).toEqual(alone);
  });

  it('avoids accession numbers used elsewhere', () => {
    const a = planStudyIdentity(1, patient, facts);
    const b = planStudyIdentity(1, patient, facts, { avoid: new Set([a.accessionNumber]) });
    expect(b.accessionNumber).not.toBe(a.accessionNumber);
    expect({ ...b, accessionNumber: a.accessionNumber }).toEqual(a);
  });
});
