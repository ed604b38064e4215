import { en } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { ageIn, daToEpochDay, parseAs } from '../../src/identity/calendar.js';
import { shiftDate } from '../../src/identity/date-shift.js';
import { listPatientValues } from '../../src/identity/fields.js';
import { planPatientIdentity, type PatientFacts } from '../../src/identity/patient.js';
import { expectDistinct, expectFitsVrs } from './helpers.js';

const facts = (key: string, extra: Partial<PatientFacts> = {}): PatientFacts => ({
  key,
  sex: 'F',
  ages: [{ age: '063Y', studyDate: '20000312' }],
  studyDates: ['20000312', '20010415'],
  ...extra,
});

const many = (n: number, seed: number | string = 1) =>
  Array.from({ length: n }, (_, i) =>
    planPatientIdentity(
      seed,
      facts(`TCIA-${String(i).padStart(4, '0')}`, {
        sex: ['F', 'M', 'O', undefined][i % 4],
        ages:
          i % 5 === 0 ? [] : [{ age: `0${String(20 + (i % 70)).padStart(2, '0')}Y`, studyDate: '20000312' }],
      }),
    ),
  );

/** Planned once for all the tests below (planning costs about a millisecond per patient). */
const PATIENTS = many(1000);
const P300 = PATIENTS.slice(0, 300);

describe('planPatientIdentity', () => {
  it('is deterministic for a seed and key', () => {
    expect(planPatientIdentity(1, facts('A'))).toEqual(planPatientIdentity(1, facts('A')));
    expect(planPatientIdentity('1', facts('A'))).toEqual(planPatientIdentity(1, facts('A')));
  });

  it('matches the golden identity of seed 1', () => {
    expect(planPatientIdentity(1, facts('TCGA-BR-0001'))).toMatchInlineSnapshot(`
      {
        "accountNumber": "868574796165",
        "address": {
          "city": "Wardbury",
          "state": "MS",
          "street": "15405 Gilberto Landing",
          "value": "15405 Gilberto Landing Wardbury, MS 39057",
          "zip": "39057",
        },
        "ages": [
          {
            "fromSource": true,
            "over89": false,
            "studyDate": "20140412",
            "value": "063Y",
          },
          {
            "fromSource": false,
            "over89": false,
            "studyDate": "20150516",
            "value": "064Y",
          },
        ],
        "agesOver89": false,
        "birthDate": {
          "burnedIn": "07.28.1950",
          "prose": "07/28/1950",
          "value": "19500728",
        },
        "dateShift": {
          "fitsWindow": true,
          "offsetDays": 5144,
          "sourceFirst": "20000312",
          "sourceLast": "20010415",
        },
        "email": "Colleen_Steuber66@hotmail.com",
        "ethnicGroup": "Hispanic",
        "fax": "(452)814-2504",
        "healthPlanNumber": "VZO832405931",
        "key": "TCGA-BR-0001",
        "locale": "en_US",
        "mrn": "07070723",
        "name": {
          "burnedIn": "STEUBER COLLEEN",
          "family": "Steuber",
          "given": "Colleen",
          "initials": "CS",
          "middle": "Valerie",
          "prose": "Colleen Steuber",
          "sex": "female",
          "value": "STEUBER^COLLEEN^VALERIE",
        },
        "notes": [],
        "occupation": {
          "full": "Lead Brand Manager",
          "truncated": true,
          "value": "Lead Brand Manag",
        },
        "patientId": "271894261",
        "phone": "(989)470-4704",
        "sex": "F",
        "ssn": "384-74-3367",
        "studyDates": [
          "20140412",
          "20150516",
        ],
      }
    `);
  });

  it('gives different keys and seeds different identities', () => {
    const a = planPatientIdentity(1, facts('A'));
    for (const b of [planPatientIdentity(1, facts('B')), planPatientIdentity(2, facts('A'))]) {
      expect(b.name.value).not.toBe(a.name.value);
      expect(b.patientId).not.toBe(a.patientId);
      expect(b.ssn).not.toBe(a.ssn);
      expect(b.dateShift.offsetDays).not.toBe(a.dateShift.offsetDays);
    }
  });

  it('gives 1000 patients 1000 distinct Patient IDs, SSNs and other identifiers', () => {
    const ps = PATIENTS;
    for (const field of ['patientId', 'ssn', 'mrn', 'healthPlanNumber', 'accountNumber', 'phone'] as const) {
      expect(new Set(ps.map((p) => p[field])).size).toBe(1000);
    }
    expect(new Set(ps.map((p) => p.name.value)).size).toBeGreaterThan(990);
  });

  it('takes first names from the list of the patient’s sex', () => {
    const lists = en.person!.first_name!;
    const middles = en.person!.middle_name!;
    for (const p of P300.slice(0, 200)) {
      const expected = p.sex === 'F' ? 'female' : p.sex === 'M' ? 'male' : 'unspecified';
      expect(p.name.sex).toBe(expected);
      const list = expected === 'unspecified' ? lists.generic : lists[expected];
      expect(list).toContain(p.name.given);
      if (p.name.middle && expected !== 'unspecified') expect(middles[expected]).toContain(p.name.middle);
    }
  });

  it('renders names in every form MIDI-B used', () => {
    for (const p of P300.slice(0, 100)) {
      const n = p.name;
      const upper = [n.family, n.given].map((s) => s.toUpperCase());
      expect(n.value).toBe([...upper, ...(n.middle ? [n.middle.toUpperCase()] : [])].join('^'));
      expect(n.prose).toBe(`${n.given} ${n.family}`);
      expect(n.burnedIn).toBe(upper.join(' '));
      expect(n.initials).toMatch(/^[A-Z]{2}$/);
      expect(n.title).toBeUndefined();
    }
    expect(P300.slice(0, 100).some((p) => p.name.middle)).toBe(true);
  });

  it('gives identifiers distinct, valid-looking shapes', () => {
    const shapes = {
      patientId: /^[1-9]\d{8,9}$/,
      ssn: /^(?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$/,
      mrn: /^0\d{7}$/,
      healthPlanNumber: /^[A-Z]{3}\d{9}$/,
      accountNumber: /^[1-9]\d{11}$/,
      phone: /^\(\d{3}\)\d{3}-\d{4}(x\d{2})?$/,
      fax: /^\(\d{3}\)\d{3}-\d{4}$/,
    } as const;
    const ps = P300.slice(0, 300);
    for (const p of ps) {
      for (const [field, shape] of Object.entries(shapes)) {
        for (const [other, value] of Object.entries(p)) {
          if (typeof value !== 'string' || !(other in shapes) || other === 'fax' || other === 'phone')
            continue;
          // Each identifier matches its own shape, and no other identifier's.
          expect(shape.test(value), `${other} ${value} vs shape of ${field}`).toBe(other === field);
        }
      }
      expect(p.phone).toMatch(shapes.phone);
      expect(p.fax).toMatch(shapes.fax);
    }
    expect(ps.some((p) => p.phone.includes('x'))).toBe(true);
    expect(ps.some((p) => p.patientId.length === 9) && ps.some((p) => p.patientId.length === 10)).toBe(true);
  });

  it('fits every value to its VR and keeps PHI values distinct', () => {
    for (const p of P300.slice(0, 300)) {
      const values = listPatientValues(p);
      expectFitsVrs(values);
      expectDistinct(values);
      expect(p.address.value.length).toBeLessThanOrEqual(64);
      expect(p.phone.length).toBeLessThanOrEqual(16);
    }
  });

  it('keeps the digits of phone numbers out of every identifier', () => {
    for (const p of P300.slice(0, 300)) {
      const ids = [p.patientId, p.ssn, p.mrn, p.healthPlanNumber, p.accountNumber, p.birthDate.value];
      for (const phone of [p.phone, p.fax]) {
        for (const run of phone.match(/\d{3,}/g) ?? []) for (const id of ids) expect(id).not.toContain(run);
      }
    }
  });

  it('truncates the occupation to SH on purpose and records it', () => {
    const ps = P300.slice(0, 200);
    for (const p of ps) {
      const o = p.occupation;
      expect(o.value.length).toBeLessThanOrEqual(16);
      expect(o.full.startsWith(o.value)).toBe(true);
      expect(o.truncated).toBe(o.value !== o.full);
      expect(o.value).toBe(o.value.trimEnd());
    }
    expect(ps.some((p) => p.occupation.truncated)).toBe(true);
  });

  it('keeps each source age true at its shifted study date', () => {
    const cases: PatientFacts[] = [
      facts('ages-1', {
        ages: [
          { age: '063Y', studyDate: '20000312' },
          { age: '064Y', studyDate: '20010415' },
        ],
      }),
      facts('ages-2', {
        ages: [{ age: '011M', studyDate: '20050101' }],
        studyDates: ['20050101', '20050301'],
      }),
      facts('ages-3', { ages: [{ age: '003W', studyDate: '20050101' }], studyDates: ['20050101'] }),
      facts('ages-4', { ages: [{ age: '012D', studyDate: '20050101' }], studyDates: ['20050101'] }),
      facts('ages-5', { ages: [{ age: '45Y', studyDate: '19990101' }], studyDates: ['19990101'] }),
    ];
    for (let seed = 1; seed <= 30; seed++) {
      for (const f of cases) {
        const p = planPatientIdentity(seed, f);
        const birth = daToEpochDay(p.birthDate.value);
        expect(p.notes).toEqual([]);
        for (const fact of f.ages ?? []) {
          const age = parseAs(fact.age.padStart(4, '0'))!;
          const at = daToEpochDay(shiftDate(p, fact.studyDate));
          expect(ageIn(age.unit, birth, at), `${f.key} ${fact.age}`).toBe(age.count);
        }
        for (const planned of p.ages) {
          const age = parseAs(planned.value)!;
          expect(ageIn(age.unit, birth, daToEpochDay(planned.studyDate))).toBe(age.count);
        }
      }
    }
  });

  it('spreads birth days over the whole year the age allows', () => {
    const days = new Set(
      Array.from({ length: 200 }, (_, i) =>
        planPatientIdentity(1, facts(`spread-${i}`)).birthDate.value.slice(4),
      ),
    );
    expect(days.size).toBeGreaterThan(100);
  });

  it('plans an adult age when the source has none, and ages at every study', () => {
    for (let i = 0; i < 100; i++) {
      const p = planPatientIdentity(1, facts(`noage-${i}`, { ages: undefined }));
      const first = p.ages[0]!;
      expect(first.fromSource).toBe(false);
      const years = ageIn('Y', daToEpochDay(p.birthDate.value), daToEpochDay(first.studyDate));
      expect(years).toBeGreaterThanOrEqual(25);
      expect(years).toBeLessThanOrEqual(85);
      expect(first.value).toBe(`0${years}Y`);
      expect(p.ages.map((a) => a.studyDate)).toEqual(p.studyDates);
    }
  });

  it('flags ages over 89 and keeps them', () => {
    const p = planPatientIdentity(1, facts('old', { ages: [{ age: '091Y', studyDate: '20000312' }] }));
    expect(p.agesOver89).toBe(true);
    expect(p.ages[0]).toMatchObject({ value: '091Y', fromSource: true, over89: true });
    expect(planPatientIdentity(1, facts('young')).agesOver89).toBe(false);
    const edge = planPatientIdentity(1, facts('edge', { ages: [{ age: '089Y', studyDate: '20000312' }] }));
    expect(edge.ages[0]!.over89).toBe(false);
  });

  it('notes ages it cannot use instead of failing', () => {
    const bad = planPatientIdentity(1, facts('bad', { ages: [{ age: 'sixty', studyDate: '20000312' }] }));
    expect(bad.notes).toHaveLength(1);
    const clash = planPatientIdentity(
      1,
      facts('contradictory', {
        ages: [
          { age: '063Y', studyDate: '20000312' },
          { age: '070Y', studyDate: '20010415' },
        ],
      }),
    );
    expect(clash.notes[0]).toMatch(/no common birth date/);
    expect(clash.ages[0]!.value).toBe('063Y');
  });

  it('shifts the study dates into 2010-2019, keeping their interval', () => {
    const p = planPatientIdentity(1, facts('shift'));
    expect(p.studyDates).toEqual(['20000312', '20010415'].map((d) => shiftDate(p, d)));
    const [a, b] = p.studyDates.map(daToEpochDay);
    expect(b! - a!).toBe(daToEpochDay('20010415') - daToEpochDay('20000312'));
    for (const d of p.studyDates) expect(d >= '20100101' && d <= '20191231').toBe(true);
  });
});
