/**
 * The Specific Character Set a device of each locale's country writes (PS3.3 C.12.1.1.2; PS3.5 Annexes H
 * to K), and whether a value written in it reads back unchanged in pydicom, the reader of the MIDI-B
 * scorer. pydicom 2.x splits a value's bytes at `\` (0x5C) before decoding (multi-valued VRs) and a Person
 * Name's at `=` (0x3D): a JIS X 0208 character coded in G0 (ISO 2022 IR 87) whose bytes hold 0x5C (`本`
 * 0x4B5C, `目` 0x4C5C) or, in PN, 0x3D (`順` 0x3D67) is cut in two there, and so would be a GBK character
 * with a 0x5C trail byte. The answer key must hold what the scorer reads, so such values are not planned.
 */
import { codecFor } from '../dicom/charset.js';
import type { IdentityLocale } from './locale.js';

/** The set a device in each locale's country writes, value 1 first (`''`: the default repertoire). */
export const LOCALE_CHARACTER_SETS: Readonly<Record<IdentityLocale, readonly string[]>> = {
  en_US: ['ISO_IR 100'],
  de: ['ISO_IR 100'],
  fr: ['ISO_IR 100'],
  es: ['ISO_IR 100'],
  el: ['ISO_IR 126'],
  ru: ['ISO_IR 144'],
  ja: ['ISO 2022 IR 6', 'ISO 2022 IR 87'],
  // Value 1 empty: the default repertoire, as in PS3.5 I.2 (`\ISO 2022 IR 149`).
  ko: ['', 'ISO 2022 IR 149'],
  zh_CN: ['GB18030'],
};

/** The string VRs pydicom reads as one value (it splits every other at 0x5C before decoding). */
const SINGLE_VALUED = new Set(['ST', 'LT', 'UT', 'UR']);

/**
 * Whether `text`, encoded in `terms` for a value of `vr`, decodes back to itself the way pydicom 2.x reads
 * it: the bytes split at 0x5C (multi-valued VRs) and, for PN, at 0x3D, each piece decoded on its own
 * (from value 1's code elements) and joined again. False also when `text` cannot be encoded.
 */
export function readsBackInPydicom(terms: readonly string[], vr: string, text: string): boolean {
  const codec = codecFor(terms);
  if (!codec.canEncode(text)) return false;
  const bytes = codec.encode(text, vr);
  const split = (b: Uint8Array, byte: number): Uint8Array[] => {
    const out: Uint8Array[] = [];
    let start = 0;
    for (let i = 0; i < b.length; i++)
      if (b[i] === byte) {
        out.push(b.subarray(start, i));
        start = i + 1;
      }
    out.push(b.subarray(start));
    return out;
  };
  const values = SINGLE_VALUED.has(vr) ? [bytes] : split(bytes, 0x5c);
  const decoded = values.map((v) =>
    vr === 'PN'
      ? split(v, 0x3d)
          .map((g) => codec.decode(g))
          .join('=')
      : codec.decode(v),
  );
  return decoded.join('\\') === text;
}

/** `readsBackInPydicom` in the set a device of `locale` writes. */
export function readsBackInLocale(locale: IdentityLocale, vr: string, text: string): boolean {
  return readsBackInPydicom(LOCALE_CHARACTER_SETS[locale], vr, text);
}
