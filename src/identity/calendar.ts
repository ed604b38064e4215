/**
 * Calendar arithmetic on day counts, without the clock, `Date` or `Intl` (ARCHITECTURE.md section 4), and
 * the DA / AS forms of PS3.5 6.2. The day-count conversions themselves are config/calendar.ts.
 */
import { fromEpochDay, toEpochDay } from '../config/calendar.js';
import { IdentityPlanError } from './errors.js';

export { fromEpochDay, toEpochDay };

/** A calendar date (proleptic Gregorian), no time zone. */
export interface Ymd {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days in a month of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Parses a DA value `YYYYMMDD`, or returns undefined when it is not a real calendar date. */
export function parseDa(text: string): Ymd | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > daysInMonth(d.year, d.month)) return undefined;
  return d;
}

/** Day count of a DA value; throws IdentityPlanError when it is not a date. */
export function daToEpochDay(text: string): number {
  const d = parseDa(text);
  if (!d) throw new IdentityPlanError(`not a valid DA date YYYYMMDD: ${JSON.stringify(text)}`);
  return toEpochDay(d);
}

/** `YYYYMMDD` (DA, PS3.5 6.2) of a calendar date. */
export function ymdToDa(d: Ymd): string {
  return `${pad(d.year, 4)}${pad(d.month, 2)}${pad(d.day, 2)}`;
}

/** `YYYYMMDD` of a day count. */
export function epochDayToDa(days: number): string {
  return ymdToDa(fromEpochDay(days));
}

/**
 * The date `months` calendar months after `d` (negative: before), with the day clamped to the target
 * month's length (31 Jan + 1 month = 28/29 Feb; 29 Feb + 12 months = 28 Feb).
 */
export function addMonths(d: Ymd, months: number): Ymd {
  const index = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

/** Age units of the AS VR (PS3.5 6.2): days, weeks, months, years. */
export type AgeUnit = 'D' | 'W' | 'M' | 'Y';

/** A parsed Patient's Age (AS): a count and its unit. */
export interface Age {
  readonly count: number;
  readonly unit: AgeUnit;
}

/** Parses an AS value `nnnD|W|M|Y`, or returns undefined when it does not have that form. */
export function parseAs(text: string): Age | undefined {
  const m = /^(\d{3})([DWMY])$/.exec(text.trim());
  if (!m) return undefined;
  return { count: Number(m[1]), unit: m[2] as AgeUnit };
}

/** The AS rendering `063Y` of an age. */
export function toAs(age: Age): string {
  if (!Number.isInteger(age.count) || age.count < 0 || age.count > 999) {
    throw new IdentityPlanError(`age ${age.count}${age.unit} does not fit AS (000-999)`);
  }
  return `${pad(age.count, 3)}${age.unit}`;
}

/**
 * Completed age in `unit` of someone born on day `birth`, on day `at`: whole days, whole weeks, or whole
 * calendar months / years (a month or year is complete on the same day of the month, clamped as in
 * addMonths, so someone born on 29 Feb turns one on 28 Feb).
 */
export function ageIn(unit: AgeUnit, birth: number, at: number): number {
  if (at < birth) return -1;
  if (unit === 'D') return at - birth;
  if (unit === 'W') return Math.floor((at - birth) / 7);
  const b = fromEpochDay(birth);
  const a = fromEpochDay(at);
  let months = (a.year - b.year) * 12 + (a.month - b.month);
  // The estimate can be one too many when the anniversary day has not yet come in the last month.
  if (toEpochDay(addMonths(b, months)) > at) months -= 1;
  return unit === 'M' ? months : Math.floor(months / 12);
}

/**
 * The age acquisition software usually writes on day `at` for someone born on `birth` (no rule in PS3.5;
 * common practice): days under one month, months under two years, years from then on.
 */
export function conventionalAge(birth: number, at: number): Age {
  const months = ageIn('M', birth, at);
  if (months < 1) return { count: ageIn('D', birth, at), unit: 'D' };
  if (months < 24) return { count: months, unit: 'M' };
  return { count: ageIn('Y', birth, at), unit: 'Y' };
}

/** Every birth day (ascending day counts) whose completed age on day `at` is exactly `age`. */
export function birthDayCandidates(age: Age, at: number): number[] {
  // A generous bracket (a year is 365-366 days, a month 28-31), filtered with ageIn itself so that the
  // candidates agree with the age computation by construction, leap days and month ends included.
  const longest = { D: 1, W: 7, M: 31, Y: 366 }[age.unit];
  const shortest = { D: 1, W: 7, M: 28, Y: 365 }[age.unit];
  const days: number[] = [];
  for (let b = at - (age.count + 1) * longest - 2; b <= at - age.count * shortest + 2; b++) {
    if (ageIn(age.unit, b, at) === age.count) days.push(b);
  }
  return days;
}
