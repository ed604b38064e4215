/**
 * One seeded value of each shape the identity uses (addresses, phone numbers, identifiers, codes), each
 * fitted on purpose to the VR where it goes (PS3.5 6.2: SH 16 characters, LO 64, AE 16).
 */
import { daToEpochDay, fromEpochDay } from './calendar.js';
import { IdentityPlanError } from './errors.js';
import type { Faker } from './faker.js';

/** A postal address, in one line for Patient's / Institution Address and in parts for templates. */
export interface Address {
  /** `2093 E Kesler Ln Chandler, AZ 85225`, at most 64 characters (LO). */
  readonly value: string;
  /** Building number and street (with a suite for practices). */
  readonly street: string;
  /** City name. */
  readonly city: string;
  /** Two-letter state abbreviation. */
  readonly state: string;
  /** Five-digit ZIP code. */
  readonly zip: string;
}

/** LO's limit (PS3.5 6.2); the one-line address must fit Patient's Address (0010,1040). */
const LO_MAX = 64;
/** SH's limit (PS3.5 6.2): Patient's Telephone Numbers, Occupation, Accession Number, Station Name. */
export const SH_MAX = 16;

/**
 * ZIP ranges that Faker 10.6.0's en_US `postcode_by_state` gets wrong: New York's is the single code 06390,
 * which would give every New York address the same ZIP. New York's real range is 10001-14925.
 */
const ZIP_RANGE_FIXES: Readonly<Record<string, readonly [number, number]>> = { NY: [10001, 14925] };

/** Makes an address in `state` (or a random state), one line of at most 64 characters. */
export function makeAddress(faker: Faker, options: { state?: string; suite?: boolean } = {}): Address {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const suite = options.suite ? ` Suite ${faker.number.int({ min: 100, max: 999 })}` : '';
    const street = `${faker.location.streetAddress()}${suite}`;
    const city = faker.location.city();
    const state = options.state ?? faker.location.state({ abbreviated: true });
    // A ZIP code within the state's range, as en_US Faker knows them (but see ZIP_RANGE_FIXES).
    const fix = ZIP_RANGE_FIXES[state];
    const zip = fix
      ? String(faker.number.int({ min: fix[0], max: fix[1] })).padStart(5, '0')
      : faker.location.zipCode({ state });
    const value = `${street} ${city}, ${state} ${zip}`;
    // Faker's longest streets and cities can exceed LO together; draw again rather than cut a name.
    if (value.length <= LO_MAX && /^\d{5}$/.test(zip)) return { value, street, city, state, zip };
  }
  throw new IdentityPlanError('no address within 64 characters in 1000 draws');
}

/**
 * A US phone number fitting SH (16): `(959)405-3715`, sometimes with a two-digit extension
 * `(959)405-3715x33`, the form MIDI-B inserted (Faker's own forms with a space or a longer extension
 * would not fit).
 */
export function makePhone(faker: Faker, extensionChance: number): string {
  const national = faker.phone.number({ style: 'national' }).replace(' ', '');
  const extension = faker.datatype.boolean({ probability: extensionChance })
    ? `x${faker.string.numeric({ length: 2, allowLeadingZeros: false })}`
    : '';
  return `${national}${extension}`;
}

/** A run of digits whose first digit is not 0 (so that it reads as a number and keeps its length). */
export function makeNumber(faker: Faker, length: number): string {
  return faker.string.numeric({ length, allowLeadingZeros: false });
}

/**
 * A valid-looking SSN `096-74-4054`: area 001-899 except 666, group 01-99, serial 0001-9999, the ranges the
 * SSA never assigns left out so that validators accept it.
 */
export function makeSsn(faker: Faker): string {
  let area = faker.number.int({ min: 1, max: 898 });
  if (area >= 666) area += 1; // skip 666 and keep 001-899 uniform
  const group = faker.number.int({ min: 1, max: 99 });
  const serial = faker.number.int({ min: 1, max: 9999 });
  return `${String(area).padStart(3, '0')}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`;
}

/** `count` upper-case letters. */
export function makeLetters(faker: Faker, count: number): string {
  return faker.string.alpha({ length: count, casing: 'upper' });
}

/** `count` upper-case letters and digits (device serials `K1JUBZGEV5RAZ`). */
export function makeAlphanumeric(faker: Faker, count: number): string {
  return faker.string.alphanumeric({ length: count, casing: 'upper' });
}

/** A date in every rendering the inserters use. */
export interface DateValue {
  /** DA `YYYYMMDD` (PS3.5 6.2). */
  readonly value: string;
  /** `MM.DD.YYYY`, the burned-in form MIDI-B used. */
  readonly burnedIn: string;
  /** `MM/DD/YYYY`, the one form used in free text (MIDI-B mixed several, limitation 6). */
  readonly prose: string;
}

/** The renderings of a DA value. */
export function toDateValue(da: string): DateValue {
  const d = fromEpochDay(daToEpochDay(da));
  const mm = String(d.month).padStart(2, '0');
  const dd = String(d.day).padStart(2, '0');
  const yyyy = String(d.year).padStart(4, '0');
  return { value: da, burnedIn: `${mm}.${dd}.${yyyy}`, prose: `${mm}/${dd}/${yyyy}` };
}

/** Truncates on purpose to a VR's limit, trimming the trailing space a cut can leave (PS3.5 pads with it). */
export function truncateTo(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max).trimEnd();
}
