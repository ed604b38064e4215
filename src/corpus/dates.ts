/** The DA / TM renderings of PS3.5 6.2 of day counts and seconds (calendar arithmetic: config/calendar.ts). */
import { fromEpochDay } from '../config/calendar.js';

export { fromEpochDay, toEpochDay } from '../config/calendar.js';

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
