/**
 * Value rules of PS3.5 6.2 (Table 6.2-1): length, character repertoire and form for each string VR.
 * A value that breaks one is a planning error: the caller must shorten or reformat it on purpose.
 */
import { DicomValueError } from '../errors/index.js';
import { formatTag, type Tag } from './tag.js';
import { MAX_CHARS, type Vr } from './vr.js';

/** Control characters allowed in text VRs: TAB, LF, FF, CR, and ESC for code extensions (PS3.5 6.1.3). */
// eslint-disable-next-line no-control-regex -- these patterns exist to find control characters
const TEXT_CONTROLS = /[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]/;
/** Short strings allow only ESC among control characters. */
// eslint-disable-next-line no-control-regex -- as above
const STRING_CONTROLS = /[\x00-\x1a\x1c-\x1f]/;
const DEFAULT_REPERTOIRE = /^[\x20-\x7e]*$/;

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether `YYYYMMDD` names a real calendar date. */
export function isValidDate(text: string): boolean {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const max = mo === 2 && isLeap(y) ? 29 : DAYS[mo - 1]!;
  return d <= max;
}

const TIME = /^([01]\d|2[0-3])(([0-5]\d)(([0-5]\d|60)(\.\d{1,6})?)?)?$/;
const DATETIME =
  /^(\d{4})((\d{2})((\d{2})(([01]\d|2[0-3])(([0-5]\d)(([0-5]\d|60)(\.\d{1,6})?)?)?)?)?)?([+-]\d{4})?$/;

/** Why a single value breaks its VR's rules, or undefined when it is valid. */
export function checkStringValue(vr: Vr, value: string): string | undefined {
  const max = MAX_CHARS[vr];
  if (vr === 'PN') {
    if (value.includes('\\')) return 'contains a backslash';
    if (STRING_CONTROLS.test(value)) return 'contains a control character';
    const groups = value.split('=');
    if (groups.length > 3) return 'has more than 3 component groups';
    for (const g of groups) {
      if (g.length > 64) return 'has a component group longer than 64 characters';
      if (g.split('^').length > 5) return 'has more than 5 components in a group';
    }
    return undefined;
  }
  if (max !== undefined && value.length > max) return `is longer than ${max} characters`;
  switch (vr) {
    case 'AE':
      return !DEFAULT_REPERTOIRE.test(value) || value.includes('\\')
        ? 'is outside the default repertoire'
        : undefined;
    case 'AS':
      return /^\d{3}[DWMY]$/.test(value) ? undefined : 'is not of the form nnnD, nnnW, nnnM or nnnY';
    case 'CS':
      return /^[A-Z0-9 _]*$/.test(value)
        ? undefined
        : 'has characters other than A-Z, 0-9, space and underscore';
    case 'DA':
      return isValidDate(value) ? undefined : 'is not a valid date YYYYMMDD';
    case 'DS':
      return /^ *[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)? *$/.test(value)
        ? undefined
        : 'is not a decimal string';
    case 'IS': {
      if (!/^ *[+-]?\d+ *$/.test(value)) return 'is not an integer string';
      const n = Number(value);
      return n >= -(2 ** 31) && n <= 2 ** 31 - 1 ? undefined : 'is outside the IS range';
    }
    case 'TM':
      return TIME.test(value) ? undefined : 'is not a time HH[MM[SS[.FFFFFF]]]';
    case 'DT': {
      const m = DATETIME.exec(value);
      if (!m) return 'is not a date-time YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]';
      if (m[5] !== undefined && !isValidDate(`${m[1]}${m[3]}${m[5]}`)) return 'is not a valid date';
      if (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 12)) return 'has an invalid month';
      return undefined;
    }
    case 'UI':
      if (!/^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/.test(value))
        return 'is not a UID (digits and dots, no leading zeros)';
      return undefined;
    case 'UR':
      return /^[\x21-\x7e]*$/.test(value) ? undefined : 'is not a URI';
    case 'LO':
    case 'SH':
    case 'UC':
      if (value.includes('\\')) return 'contains a backslash';
      return STRING_CONTROLS.test(value) ? 'contains a control character' : undefined;
    case 'LT':
    case 'ST':
    case 'UT':
      return TEXT_CONTROLS.test(value) ? 'contains a control character' : undefined;
    default:
      return undefined;
  }
}

/** Throws DicomValueError when a value breaks its VR's rules. */
export function validateStringValue(vr: Vr, value: string, tag: Tag): void {
  const problem = checkStringValue(vr, value);
  if (problem) throw new DicomValueError(problem, formatTag(tag), vr, value);
}
