/**
 * Text as devices burn it. Pure, and independent of the machine's locale (String.prototype.toUpperCase
 * applies Unicode's default case mapping, never a locale's).
 */

// Greek letters (Greek and Coptic, Greek Extended): the only script whose capitals change spelling.
const GREEK = /[\u0370-\u03ff\u1f00-\u1fff]/;

/**
 * Capitals as a device burns them: upper case, with Greek set as Greek typography sets all-capital text,
 * without the tonos (acute) accent, the dialytika kept (`Γιώργος` -> `ΓΙΩΡΓΟΣ`, `Αθηνάϊς` -> `ΑΘΗΝΑΪΣ`).
 * Text without Greek is exactly its toUpperCase().
 */
export function toBurnedCapitals(text: string): string {
  const upper = text.toUpperCase();
  if (!GREEK.test(upper)) return upper;
  return upper
    .normalize('NFD')
    .replace(/([\u0370-\u03ff\u1f00-\u1fff][\u0308]?)\u0301/g, '$1')
    .normalize('NFC');
}
