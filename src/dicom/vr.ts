/** Value Representations (PS3.5 6.2): encoding facts and value rules, as one table. */

export const VRS = [
  'AE',
  'AS',
  'AT',
  'CS',
  'DA',
  'DS',
  'DT',
  'FD',
  'FL',
  'IS',
  'LO',
  'LT',
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'PN',
  'SH',
  'SL',
  'SQ',
  'SS',
  'ST',
  'SV',
  'TM',
  'UC',
  'UI',
  'UL',
  'UN',
  'UR',
  'US',
  'UT',
  'UV',
] as const;

/** One of the 34 VRs of PS3.5 Table 6.2-1. */
export type Vr = (typeof VRS)[number];

const VR_SET: ReadonlySet<string> = new Set(VRS);

/** True for the two-letter codes of PS3.5 Table 6.2-1. */
export function isVr(code: string): code is Vr {
  return VR_SET.has(code);
}

/** VRs whose explicit-VR header has 2 reserved bytes and a 32-bit length (PS3.5 7.1.2). */
const LONG_HEADER: ReadonlySet<Vr> = new Set([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'SV',
  'UC',
  'UN',
  'UR',
  'UT',
  'UV',
]);

/** Whether an explicit-VR element of this VR has a 12-byte header. */
export function hasLongHeader(vr: Vr): boolean {
  return LONG_HEADER.has(vr);
}

/** Character-string VRs: values padded with a space to even length. UI pads with NUL. */
const STRING_VRS: ReadonlySet<Vr> = new Set([
  'AE',
  'AS',
  'CS',
  'DA',
  'DS',
  'DT',
  'IS',
  'LO',
  'LT',
  'PN',
  'SH',
  'ST',
  'TM',
  'UC',
  'UI',
  'UR',
  'UT',
]);

/** Whether the VR holds characters (as opposed to binary numbers or bytes). */
export function isStringVr(vr: Vr): boolean {
  return STRING_VRS.has(vr);
}

/** VRs whose text is decoded with Specific Character Set; the others are in the default repertoire. */
const CHARSET_VRS: ReadonlySet<Vr> = new Set(['LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UT']);

/** Whether Specific Character Set (0008,0005) applies to this VR (PS3.5 6.1.2.3). */
export function usesSpecificCharacterSet(vr: Vr): boolean {
  return CHARSET_VRS.has(vr);
}

/** VRs whose value is a single string in which backslash is an ordinary character (PS3.5 6.4). */
const SINGLE_VALUED_TEXT: ReadonlySet<Vr> = new Set(['LT', 'ST', 'UT', 'UR']);

/** Whether backslash separates values of this VR. */
export function isMultiValueString(vr: Vr): boolean {
  return isStringVr(vr) && !SINGLE_VALUED_TEXT.has(vr);
}

/** Fixed-width binary numbers: byte size of one value. */
const NUMBER_SIZE: Partial<Record<Vr, number>> = {
  AT: 4,
  FD: 8,
  FL: 4,
  SL: 4,
  SS: 2,
  SV: 8,
  UL: 4,
  US: 2,
  UV: 8,
};

/** Byte size of one value of a binary-number VR, or undefined. */
export function numberSize(vr: Vr): number | undefined {
  return NUMBER_SIZE[vr];
}

/** Byte size of the unit that must be swapped to change byte order (AT swaps 2-byte halves). */
export function byteSwapUnit(vr: Vr): number {
  switch (vr) {
    case 'AT':
    case 'OW':
    case 'SS':
    case 'US':
      return 2;
    case 'FL':
    case 'OF':
    case 'OL':
    case 'SL':
    case 'UL':
      return 4;
    case 'FD':
    case 'OD':
    case 'OV':
    case 'SV':
    case 'UV':
      return 8;
    default:
      return 1;
  }
}

/** Maximum length of one value in characters (PS3.5 Table 6.2-1); undefined where only 2^32-2 bounds it. */
export const MAX_CHARS: Partial<Record<Vr, number>> = {
  AE: 16,
  AS: 4,
  CS: 16,
  DA: 8,
  DS: 16,
  DT: 26,
  IS: 12,
  LO: 64,
  LT: 10240,
  PN: 64,
  SH: 16,
  ST: 1024,
  TM: 14,
  UI: 64,
};
