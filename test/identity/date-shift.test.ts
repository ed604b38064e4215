import { describe, expect, it } from 'vitest';
import { daToEpochDay } from '../../src/identity/calendar.js';
import { planDateShift, shiftDate, shiftDateTime, SHIFT_WINDOW } from '../../src/identity/date-shift.js';
import { IdentityPlanError } from '../../src/identity/errors.js';
import { makeFaker } from '../../src/identity/faker.js';

const day = (da: string): number => daToEpochDay(da);

describe('date shift', () => {
  it('maps a patient’s studies into 2010-2019 and keeps their intervals', () => {
    const sources = ['19990417', '20000101', '20031231', '19990418'];
    for (let i = 0; i < 50; i++) {
      const dateShift = planDateShift(makeFaker(1, 'shift', i), sources);
      const id = { dateShift };
      expect(dateShift.offsetDays).not.toBe(0);
      expect(dateShift.fitsWindow).toBe(true);
      expect(dateShift.sourceFirst).toBe('19990417');
      expect(dateShift.sourceLast).toBe('20031231');
      for (const a of sources) {
        const shifted = shiftDate(id, a);
        expect(shifted >= SHIFT_WINDOW.first && shifted <= SHIFT_WINDOW.last).toBe(true);
        for (const b of sources) expect(day(shiftDate(id, b)) - day(shifted)).toBe(day(b) - day(a));
      }
    }
  });

  it('never leaves a date where it was', () => {
    // A one-day window placement: only the source's own placement fits, so the shift moves one day.
    const full = planDateShift(makeFaker(1, 'x'), [SHIFT_WINDOW.first, SHIFT_WINDOW.last]);
    expect(full.offsetDays).toBe(1);
    const lone = planDateShift(makeFaker(1, 'y'), ['20150101']);
    expect(lone.offsetDays).not.toBe(0);
  });

  it('starts at the window when the studies span more than it', () => {
    const s = planDateShift(makeFaker(1, 'z'), ['19800101', '20050101']);
    expect(s.fitsWindow).toBe(false);
    expect(shiftDate({ dateShift: s }, '19800101')).toBe(SHIFT_WINDOW.first);
  });

  it('still shifts when the source has no study date', () => {
    const s = planDateShift(makeFaker(1, 'w'), []);
    expect(s.sourceFirst).toBeUndefined();
    const shifted = shiftDate({ dateShift: s }, '20000101');
    expect(shifted >= SHIFT_WINDOW.first && shifted <= SHIFT_WINDOW.last).toBe(true);
  });

  it('rejects malformed dates', () => {
    expect(() => planDateShift(makeFaker(1, 'v'), ['2001'])).toThrow(IdentityPlanError);
    expect(() =>
      shiftDate(
        { dateShift: { offsetDays: 1, sourceFirst: undefined, sourceLast: undefined, fitsWindow: true } },
        '20010230',
      ),
    ).toThrow(IdentityPlanError);
  });

  it('shifts DT values, keeping time, fraction, UTC offset and precision', () => {
    const id = {
      dateShift: { offsetDays: 10, sourceFirst: undefined, sourceLast: undefined, fitsWindow: true },
    };
    expect(shiftDateTime(id, '20101225')).toBe('20110104');
    expect(shiftDateTime(id, '20101225133005.123456+0100')).toBe('20110104133005.123456+0100');
    expect(shiftDateTime(id, '2010122513')).toBe('2011010413');
    expect(shiftDateTime(id, '201012')).toBe('201012');
    expect(shiftDateTime(id, '201012-0500')).toBe('201012-0500');
    expect(shiftDateTime(id, '2010')).toBe('2010');
    const far = { dateShift: { ...id.dateShift, offsetDays: 200 } };
    expect(shiftDateTime(far, '2010')).toBe('2011');
    expect(shiftDateTime(far, '201006')).toBe('201101');
    expect(() => shiftDateTime(id, '2010-12-25')).toThrow(IdentityPlanError);
    expect(() => shiftDateTime(id, '20101340')).toThrow(IdentityPlanError);
  });
});
