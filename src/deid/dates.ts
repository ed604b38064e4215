/**
 * Date shifting for the oracle de-identifier: one whole-day offset per patient, applied to DA values
 * (YYYYMMDD, the ACR-NEMA form YYYY.MM.DD, and ranges A-B), DT values (YYYY[MM[DD[HH...]]][&ZZXX], the
 * date part shifted, time and offset kept) and dates written inside other values. The format and the
 * precision of every value are kept.
 */
import { deriveSeed } from '../rng/index.js';

/** Smallest and largest offset magnitude in days. At least 366 days, so that every shifted date changes
 * its year and a year-only (YYYY) or month-precision (YYYYMM) DT value changes as well. */
export const MIN_OFFSET_DAYS = 366;
export const MAX_OFFSET_DAYS = 3652;

const DAY_MS = 86_400_000;

/** Adds days to a calendar date (proleptic Gregorian, UTC: no clock, no time zone). */
function addDays(year: number, month: number, day: number, days: number): [number, number, number] {
  const d = new Date(0);
  // setUTCFullYear takes the year as given (Date.UTC would map years 0-99 to 1900-1999).
  d.setUTCFullYear(year, month - 1, day);
  d.setTime(d.getTime() + days * DAY_MS);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Whether Y-M-D names a real calendar date. */
function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 ? (leap ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!);
}

/** Shifts one date `YYYYMMDD` or `YYYY.MM.DD` by whole days, keeping its form; undefined if it is not one. */
export function shiftDa(value: string, days: number): string | undefined {
  const m = /^(\d{4})(\.?)(\d{2})\2(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[3]), Number(m[4])];
  if (!isCalendarDate(y, mo, d)) return undefined;
  const [ny, nm, nd] = addDays(y, mo, d, days);
  if (ny < 0 || ny > 9999) return undefined;
  const sep = m[2]!;
  return `${pad(ny, 4)}${sep}${pad(nm, 2)}${sep}${pad(nd, 2)}`;
}

/** Shifts a DA value: one date, or a range `A-B`, `A-`, `-B` (PS3.4 C.2.2.2.5), each end shifted. */
export function shiftDaValue(value: string, days: number): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return value;
  const dash = trimmed.indexOf('-');
  if (dash < 0) return shiftDa(trimmed, days);
  const [a, b] = [trimmed.slice(0, dash), trimmed.slice(dash + 1)];
  const sa = a === '' ? '' : shiftDa(a, days);
  const sb = b === '' ? '' : shiftDa(b, days);
  return sa === undefined || sb === undefined || (a === '' && b === '') ? undefined : `${sa}-${sb}`;
}

const DT = /^(\d{4})(\d{2})?(\d{2})?(\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,6})?)?)?)?([+-]\d{4})?$/;

/**
 * Shifts a DT value `YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]` by whole days: the date part moves (a missing
 * month or day counts as 01 and stays missing), the time and the UTC offset are kept.
 */
export function shiftDt(value: string, days: number): string | undefined {
  const m = DT.exec(value.trim());
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = m[2] === undefined ? 1 : Number(m[2]);
  const d = m[3] === undefined ? 1 : Number(m[3]);
  if (!isCalendarDate(y, mo, d) || (m[3] !== undefined && m[2] === undefined)) return undefined;
  const [ny, nm, nd] = addDays(y, mo, d, days);
  if (ny < 0 || ny > 9999) return undefined;
  return (
    pad(ny, 4) +
    (m[2] === undefined ? '' : pad(nm, 2)) +
    (m[3] === undefined ? '' : pad(nd, 2)) +
    (m[4] ?? '') +
    (m[5] ?? '')
  );
}

/** Shifts a DT value or a DT range `A-B` (each end). A single value with a negative UTC offset has a '-'. */
export function shiftDtValue(value: string, days: number): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return value;
  const single = shiftDt(trimmed, days);
  if (single !== undefined) return single;
  const dash = trimmed.indexOf('-');
  if (dash < 0) return undefined;
  const [a, b] = [trimmed.slice(0, dash), trimmed.slice(dash + 1)];
  const sa = a === '' ? '' : shiftDt(a, days);
  const sb = b === '' ? '' : shiftDt(b, days);
  return sa === undefined || sb === undefined || (a === '' && b === '') ? undefined : `${sa}-${sb}`;
}

/** Shifts a date written in any form the key names (DA first, then DT), or undefined. */
export function shiftDateLike(value: string, days: number): string | undefined {
  return shiftDaValue(value, days) ?? shiftDtValue(value, days);
}

/**
 * One offset in days per patient, derived from the seed and the patient ID, in
 * [-MAX_OFFSET_DAYS, -MIN_OFFSET_DAYS] (dates move into the past). Different patients always get
 * different offsets: patients are taken in code-unit order of their IDs and a taken offset moves one
 * day further back (wrapping within the range), so the result is deterministic. Throws when there are
 * more patients than offsets.
 */
export function planDateOffsets(seed: string, patientIds: Iterable<string>): Map<string, number> {
  const ids = [...new Set(patientIds)].sort(compareCodeUnits);
  const span = MAX_OFFSET_DAYS - MIN_OFFSET_DAYS + 1;
  if (ids.length > span) throw new RangeError(`more than ${span} patients: date offsets cannot all differ`);
  const taken = new Set<number>();
  const out = new Map<string, number>();
  for (const id of ids) {
    let k = Number.parseInt(deriveSeed(seed, 'deid-date-offset', id).slice(0, 12), 16) % span;
    while (taken.has(k)) k = (k + 1) % span;
    taken.add(k);
    out.set(id, -(MIN_OFFSET_DAYS + k));
  }
  return out;
}

/** Plain code-unit order (no locale), for deterministic sorting. */
export const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
