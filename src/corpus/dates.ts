/**
 * Calendar arithmetic without the clock or `Date` (Howard Hinnant's days-from-civil algorithms), and the
 * DA / TM renderings of PS3.5 6.2.
 */
import type { CalendarDate } from '../config/reference-date.js';

/** Days since 1970-01-01 of a calendar date. */
export function toEpochDay(d: CalendarDate): number {
  const y = d.month <= 2 ? d.year - 1 : d.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (d.month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar date of a day count since 1970-01-01. */
export function fromEpochDay(days: number): CalendarDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `YYYYMMDD` (DA, PS3.5 6.2) of a day count. */
export function toDa(days: number): string {
  const d = fromEpochDay(days);
  return `${pad(d.year, 4)}${pad(d.month, 2)}${pad(d.day, 2)}`;
}

/** `HHMMSS` or `HHMMSS.FFFFFF` (TM, PS3.5 6.2) of seconds since midnight (wrapped into one day). */
export function toTm(seconds: number, fraction = false): string {
  const s = ((seconds % 86400) + 86400) % 86400;
  const whole = Math.floor(s);
  const base = `${pad(Math.floor(whole / 3600), 2)}${pad(Math.floor((whole % 3600) / 60), 2)}${pad(whole % 60, 2)}`;
  if (!fraction) return base;
  return `${base}.${pad(Math.floor((s - whole) * 1e6), 6)}`;
}
