/**
 * The Specific Character Set (0008,0005) an instance is written with once its new text is planned
 * (issue 7). An input's own set is kept whenever it holds every new string, so that nothing else in the file
 * changes. Otherwise, for an input whose text is all ASCII (the built-in corpus, most TCIA data), the set a
 * device of the patient's country writes: Latin-1 `ISO_IR 100` for German, French and Spanish, `ISO_IR 126`
 * for Greek, `ISO_IR 144` for Russian, `ISO 2022 IR 6\ISO 2022 IR 87` for Japanese (PS3.5 Annex H),
 * `\ISO 2022 IR 149` for Korean (Annex I), `GB18030` for Chinese (Annexes J and K), or `ISO_IR 192` for all under
 * the `utf8` policy. An input that already holds non-ASCII text is extended without changing the meaning of
 * its bytes (extendCharacterSet in src/dicom).
 */
import {
  codecFor,
  extendCharacterSet,
  parseSpecificCharacterSet,
  requireTag,
  usesSpecificCharacterSet,
  type DicomDataset,
  type Vr,
} from '../dicom/index.js';
import {
  languageOf,
  LOCALE_CHARACTER_SETS,
  readsBackInPydicom,
  type IdentityLocale,
} from '../identity/index.js';

/** How an instance's character set is chosen when it needs a new one. */
export type CharacterSetPolicy = 'locale' | 'utf8';

/** The set a device in each locale's country writes (defined with the identities, which keep to it). */
export { LOCALE_CHARACTER_SETS, readsBackInPydicom };

/** The terms a new character set for `locale` starts from under `policy`. */
export function preferredCharacterSet(locale: IdentityLocale, policy: CharacterSetPolicy): readonly string[] {
  return policy === 'utf8' ? ['ISO_IR 192'] : LOCALE_CHARACTER_SETS[locale];
}

/** The new (0008,0005) terms for an instance, or undefined when its own set holds every new string. */
export interface CharacterSetPlan {
  /** The terms to write, value 1 first (`['', 'ISO 2022 IR 149']` is written `\ISO 2022 IR 149`). */
  readonly terms: readonly string[];
  /** The input's terms. */
  readonly from: readonly string[];
}

/** The terms of a data set's own Specific Character Set (`['']` when it has none). */
export function characterSetOf(source: DicomDataset): string[] {
  const element = source.get(requireTag('SpecificCharacterSet'));
  const raw = element?.value
    ? Buffer.from(element.value)
        .toString('latin1')
        .replace(/[\0 ]+$/, '')
    : '';
  return parseSpecificCharacterSet(raw === '' ? undefined : raw);
}

/**
 * Whether values written in `terms` may read back otherwise in pydicom: only sets with double-byte codes in
 * GL or GBK trail bytes can hold 0x5C or 0x3D inside a character; single-byte sets and UTF-8 cannot.
 */
export function needsPydicomCheck(terms: readonly string[]): boolean {
  return terms.some((t) => /^(ISO 2022 IR (87|159|13)|GB18030|GBK|ISO_IR 13)$/.test(t.trim()));
}

/** The raw bytes of every value of the data set (items included) that Specific Character Set governs. */
function textValues(ds: DicomDataset, out: Uint8Array[] = []): Uint8Array[] {
  for (const element of ds.elements) {
    if (element.value && element.value.length > 0 && usesSpecificCharacterSet(element.vr as Vr))
      out.push(element.value);
    for (const item of element.items ?? []) textValues(item, out);
  }
  return out;
}

/** ASCII bytes without escape sequences: text that every set with an ASCII G0 decodes alike. */
const isAscii = (bytes: Uint8Array): boolean => bytes.every((b) => b < 0x80 && b !== 0x1b);

/**
 * Chooses the character set for new strings `texts` written into `source`: undefined when the input's own
 * set holds them all; else the locale's device set (or UTF-8 under `utf8`) when every value of the input is
 * ASCII (no escape sequences, no byte over 0x7F), so that any set with an ASCII G0 reads them alike; else the
 * input's set extended by extendCharacterSet. Throws CharacterSetError when no set can hold the text without
 * changing the meaning of the input's own.
 */
export function planCharacterSet(
  source: DicomDataset,
  texts: readonly string[],
  locale: IdentityLocale,
  policy: CharacterSetPolicy = 'locale',
): CharacterSetPlan | undefined {
  const element = source.get(requireTag('SpecificCharacterSet'));
  const raw = element?.value
    ? Buffer.from(element.value)
        .toString('latin1')
        .replace(/[\0 ]+$/, '')
    : undefined;
  const from = parseSpecificCharacterSet(raw === '' ? undefined : raw);
  const current = codecFor(from);
  // The default repertoire is ASCII (PS3.5 6.1.2.2), whatever a lenient codec would write for it.
  const defaultOnly = from.length === 1 && (from[0] === '' || from[0] === 'ISO_IR 6');
  const fits = (t: string): boolean =>
    defaultOnly ? /^[\t\n\f\r\x20-\x7e]*$/.test(t) : current.canEncode(t);
  if (texts.every(fits)) return undefined;
  const existing = textValues(source);
  const language = languageOf(locale);
  const hint = language === 'ja' || language === 'ko' || language === 'zh' ? language : undefined;
  if (existing.every(isAscii)) {
    const preferred = preferredCharacterSet(locale, policy);
    const codec = codecFor(preferred);
    if (texts.every((t) => codec.canEncode(t))) return { terms: [...preferred], from };
    // Text beyond the locale's set (a Greek patient in a Latin-1 template): the smallest set that holds it.
    return { terms: extendCharacterSet([''], texts, hint ? { language: hint } : {}), from };
  }
  return { terms: extendCharacterSet(from, texts, { existing, ...(hint ? { language: hint } : {}) }), from };
}
