/**
 * The fixed "now" of library code (ARCHITECTURE.md section 4): planners date things relative to this,
 * never to the clock, so the same seed gives the same dates on any day.
 */

/** A calendar date (proleptic Gregorian), with no time zone. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The reference date every planner treats as today. Changing it changes every dataset's dates. */
export const REFERENCE_DATE: CalendarDate = { year: 2024, month: 1, day: 1 };
