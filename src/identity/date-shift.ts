/**
 * One date shift per patient: whole days that map the source's (already TCIA-shifted) dates to realistic
 * dates in 2010-2019 while keeping the intervals between that patient's studies, so a de-identifier's own
 * shift can be checked for consistency (MIDI-B limitation 3).
 */
import { daToEpochDay, epochDayToDa, fromEpochDay, toEpochDay } from './calendar.js';
import { IdentityPlanError } from './errors.js';
import type { Faker } from './faker.js';

/** The window the shifted study dates fall in (MIDI-B used realistic dates in 2010-2019). */
export const SHIFT_WINDOW: { readonly first: string; readonly last: string } = {
  first: '20100101',
  last: '20191231',
};

/** Used as the patient's anchor when the source gives no study date at all, so a shift still exists. */
export const ANCHOR_WITHOUT_DATES = '20000101';

/** How one patient's dates move. */
export interface DateShift {
  /** Days added to every source date (never 0, so every shifted date differs from its source). */
  readonly offsetDays: number;
  /** Earliest source study date, or undefined when the source had none. */
  readonly sourceFirst: string | undefined;
  /** Latest source study date, or undefined when the source had none. */
  readonly sourceLast: string | undefined;
  /** False when the source studies span more than the window, so the last ones land after 2019. */
  readonly fitsWindow: boolean;
}

/** Plans a patient's shift from the source study dates (DA); throws IdentityPlanError on a malformed date. */
export function planDateShift(faker: Faker, sourceDates: readonly string[]): DateShift {
  const days = sourceDates.map(daToEpochDay);
  const first = days.length > 0 ? Math.min(...days) : daToEpochDay(ANCHOR_WITHOUT_DATES);
  const last = days.length > 0 ? Math.max(...days) : first;
  const windowFirst = daToEpochDay(SHIFT_WINDOW.first);
  const windowLast = daToEpochDay(SHIFT_WINDOW.last);
  const span = last - first;
  const fitsWindow = span <= windowLast - windowFirst;
  const lo = windowFirst;
  const hi = fitsWindow ? windowLast - span : windowFirst;
  let target = faker.number.int({ min: lo, max: hi });
  // A zero offset would leave the dates as they were and fail every date_shifted check: redraw, or when the
  // window admits only the source's own placement, move one day (intervals are kept all the same).
  while (target === first) target = hi > lo ? faker.number.int({ min: lo, max: hi }) : first + 1;
  const offsetDays = target - first;
  return {
    offsetDays,
    sourceFirst: days.length > 0 ? epochDayToDa(first) : undefined,
    sourceLast: days.length > 0 ? epochDayToDa(last) : undefined,
    fitsWindow,
  };
}

/** Anything that carries a date shift (a PatientIdentity does). */
export interface HasDateShift {
  readonly dateShift: DateShift;
}

/** Shifts a DA value `YYYYMMDD` by the patient's offset; throws IdentityPlanError when it is not a date. */
export function shiftDate(identity: HasDateShift, da: string): string {
  return epochDayToDa(daToEpochDay(da) + identity.dateShift.offsetDays);
}

const DT = /^(\d{4})(\d{2})?(\d{2})?((?:\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,6})?)?)?)?(?:[+-]\d{4})?)$/;

/**
 * Shifts a DT value `YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]` (PS3.5 6.2): the date part moves by the offset,
 * time and UTC offset stay as they are (TCIA keeps times). A value with only a year or a year and month
 * keeps its precision: it is shifted as if it meant the middle of that year (1 July) or month (the 15th).
 */
export function shiftDateTime(identity: HasDateShift, dt: string): string {
  const m = DT.exec(dt);
  if (!m) throw new IdentityPlanError(`not a DT value: ${JSON.stringify(dt)}`);
  const year = Number(m[1]);
  const rest = m[4] ?? '';
  if (m[2] === undefined) {
    if (rest !== '' && !/^[+-]\d{4}$/.test(rest)) throw new IdentityPlanError(`not a DT value: ${dt}`);
    const shifted = fromEpochDay(toEpochDay({ year, month: 7, day: 1 }) + identity.dateShift.offsetDays);
    return `${String(shifted.year).padStart(4, '0')}${rest}`;
  }
  if (m[3] === undefined) {
    if (rest !== '' && !/^[+-]\d{4}$/.test(rest)) throw new IdentityPlanError(`not a DT value: ${dt}`);
    const month = Number(m[2]);
    if (month < 1 || month > 12) throw new IdentityPlanError(`not a DT value: ${dt}`);
    const shifted = fromEpochDay(toEpochDay({ year, month, day: 15 }) + identity.dateShift.offsetDays);
    return `${String(shifted.year).padStart(4, '0')}${String(shifted.month).padStart(2, '0')}${rest}`;
  }
  return `${shiftDate(identity, `${m[1]}${m[2]}${m[3]}`)}${rest}`;
}
