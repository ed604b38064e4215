import { describe, expect, it } from 'vitest';
import {
  addMonths,
  ageIn,
  birthDayCandidates,
  conventionalAge,
  daToEpochDay,
  epochDayToDa,
  fromEpochDay,
  parseAs,
  parseDa,
  toAs,
  toEpochDay,
} from '../../src/identity/calendar.js';
import { IdentityPlanError } from '../../src/identity/errors.js';

const day = (da: string): number => daToEpochDay(da);

describe('calendar', () => {
  it('converts dates and day counts both ways', () => {
    expect(toEpochDay({ year: 1970, month: 1, day: 1 })).toBe(0);
    expect(toEpochDay({ year: 2000, month: 3, day: 1 })).toBe(11017);
    for (let d = -80000; d < 30000; d += 37) expect(toEpochDay(fromEpochDay(d))).toBe(d);
    expect(epochDayToDa(day('20160229'))).toBe('20160229');
  });

  it('parses DA and AS strictly', () => {
    expect(parseDa('20190229')).toBeUndefined();
    expect(parseDa('20200229')).toEqual({ year: 2020, month: 2, day: 29 });
    expect(parseDa('2020-02-29')).toBeUndefined();
    expect(() => daToEpochDay('2020')).toThrow(IdentityPlanError);
    expect(parseAs('063Y')).toEqual({ count: 63, unit: 'Y' });
    expect(parseAs('63Y')).toBeUndefined();
    expect(toAs({ count: 5, unit: 'W' })).toBe('005W');
    expect(() => toAs({ count: 1000, unit: 'D' })).toThrow(IdentityPlanError);
  });

  it('adds months with the day clamped to the month', () => {
    expect(addMonths({ year: 2019, month: 1, day: 31 }, 1)).toEqual({ year: 2019, month: 2, day: 28 });
    expect(addMonths({ year: 2020, month: 2, day: 29 }, 12)).toEqual({ year: 2021, month: 2, day: 28 });
    expect(addMonths({ year: 2020, month: 1, day: 15 }, -13)).toEqual({ year: 2018, month: 12, day: 15 });
  });

  it('computes completed ages in each AS unit', () => {
    expect(ageIn('Y', day('19550312'), day('20180311'))).toBe(62);
    expect(ageIn('Y', day('19550312'), day('20180312'))).toBe(63);
    expect(ageIn('Y', day('20000229'), day('20010228'))).toBe(1);
    expect(ageIn('M', day('20190131'), day('20190227'))).toBe(0);
    expect(ageIn('M', day('20190131'), day('20190228'))).toBe(1);
    expect(ageIn('W', day('20190101'), day('20190115'))).toBe(2);
    expect(ageIn('D', day('20190101'), day('20190115'))).toBe(14);
  });

  it('lists exactly the birth days that give an age, in every unit', () => {
    const at = day('20180805');
    for (const text of ['000D', '012D', '003W', '000M', '011M', '023M', '001Y', '063Y', '095Y']) {
      const age = parseAs(text)!;
      const days = birthDayCandidates(age, at);
      expect(days.length).toBeGreaterThan(0);
      for (const b of days) expect(ageIn(age.unit, b, at)).toBe(age.count);
      // Contiguous, and the neighbours on either side give another age.
      expect(days.at(-1)! - days[0]! + 1).toBe(days.length);
      expect(ageIn(age.unit, days[0]! - 1, at)).not.toBe(age.count);
      expect(ageIn(age.unit, days.at(-1)! + 1, at)).not.toBe(age.count);
    }
    expect(birthDayCandidates({ count: 63, unit: 'Y' }, at)).toHaveLength(365);
    expect(birthDayCandidates({ count: 12, unit: 'D' }, at)).toEqual([at - 12]);
  });

  it('chooses the conventional unit for an age', () => {
    expect(toAs(conventionalAge(day('20180801'), day('20180805')))).toBe('004D');
    expect(toAs(conventionalAge(day('20170805'), day('20180805')))).toBe('012M');
    expect(toAs(conventionalAge(day('19550312'), day('20180805')))).toBe('063Y');
  });
});
