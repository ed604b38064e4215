/**
 * Choosing the Specific Character Set (0008,0005) to write when new text goes into an existing data set.
 *
 * Rules (PS3.3 C.12.1.1.2, PS3.5 6.1.2.4 and 6.1.2.5):
 * 1. Keep the input's terms when every new string is encodable in them: nothing else changes.
 * 2. Existing bytes must decode to the same text under the new terms. With code extensions, decoding is
 *    driven by value 1 (the code elements active at the start of every value) and by the escape sequences
 *    in the bytes, so APPENDING terms to a set never changes the meaning of existing bytes; changing value 1
 *    does, except between sets that agree on every byte a conformant value can hold:
 *    - no value / `ISO_IR 6` (ASCII only, PS3.5 6.1.2.2) may become any set whose G0 is ASCII: a single-byte
 *      `ISO_IR n`, `ISO_IR 192`, `GB18030`, or `ISO 2022 IR 6` followed by further terms;
 *    - a single-byte `ISO_IR n` may become its ISO 2022 form `ISO 2022 IR n` (same G0 and G1 at the start of
 *      every value, PS3.3 Table C.12-3) followed by further terms;
 *    - `GBK` may become `GB18030` (GB18030 decodes every GBK sequence alike, PS3.3 Table C.12-5 note).
 *    `ISO_IR 192` and `GB18030` hold all of Unicode; they are stand-alone (PS3.5 6.1.2.5.4 d) and are never
 *    extended.
 * 3. From the default repertoire: one single-byte set when one holds all the text (`ISO_IR 100` for Latin-1
 *    text), else for Japanese and Korean `ISO 2022 IR 6` and the ISO 2022 terms the text needs (Japanese:
 *    IR 87, then IR 159, IR 13; Korean: IR 149, as in PS3.5 Annexes H and I), else (Chinese, or any other
 *    text) `GB18030` (PS3.5 Annex K), else `ISO_IR 192`.
 * 4. Terms added for code extensions are chosen per character in a language-aware order: for Japanese
 *    JIS X 0208/0212 first, for Korean KS X 1001, for Chinese GB 2312, then the single-byte sets; for other
 *    text the single-byte sets first.
 * When no choice works (an `ISO_IR 100` file with Chinese text not in GB 2312, for example), throw.
 * If the existing values are given, every candidate is also checked against them: each must decode the same.
 */
import { CharacterSetError, codecFor, normalizeTerm } from './charset.js';

const SINGLE_BYTE_ORDER = [100, 101, 109, 110, 148, 203, 126, 144, 127, 138, 166];

const hasKana = (s: string): boolean => /[\u3040-\u30ff\uff66-\uff9f]/u.test(s);
const hasHangul = (s: string): boolean => /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/u.test(s);

function multiByteOrder(language: 'ja' | 'ko' | 'zh' | undefined): string[] {
  if (language === 'ja')
    return ['ISO 2022 IR 87', 'ISO 2022 IR 159', 'ISO 2022 IR 13', 'ISO 2022 IR 149', 'ISO 2022 IR 58'];
  if (language === 'ko')
    return ['ISO 2022 IR 149', 'ISO 2022 IR 87', 'ISO 2022 IR 159', 'ISO 2022 IR 58', 'ISO 2022 IR 13'];
  return ['ISO 2022 IR 58', 'ISO 2022 IR 87', 'ISO 2022 IR 159', 'ISO 2022 IR 149', 'ISO 2022 IR 13'];
}

const encodable = (terms: readonly string[], texts: readonly string[]): boolean => {
  const codec = codecFor(terms);
  return texts.every((t) => codec.canEncode(t));
};

/** Appends, character by character, the first ISO 2022 term (in script-aware order) each character needs. */
function addExtensions(
  base: readonly string[],
  texts: readonly string[],
  language: 'ja' | 'ko' | 'zh' | undefined,
): string[] | undefined {
  const all = texts.join('');
  // For CJK text the national two-byte set comes first: it also holds symbols such as ° and ×, which
  // would otherwise pull in a Latin-1 G1 set the text does not need.
  const singleByte = SINGLE_BYTE_ORDER.map((ir) => `ISO 2022 IR ${ir}`);
  const order = language
    ? ['ISO 2022 IR 6', ...multiByteOrder(language), ...singleByte]
    : ['ISO 2022 IR 6', ...singleByte, ...multiByteOrder(language)];
  const terms = [...base];
  for (const ch of new Set(all)) {
    if (codecFor(terms).canEncode(ch)) continue;
    const term = order.find((t) => !terms.includes(t) && codecFor([t]).canEncode(ch));
    if (!term) return undefined;
    terms.push(term);
  }
  return encodable(terms, texts) ? terms : undefined;
}

/** What extendCharacterSet may know besides the new strings. */
export interface ExtendCharacterSetOptions {
  /** Raw bytes of the text values already in the data set (all of them): each must decode as before. */
  readonly existing?: readonly Uint8Array[];
  /**
   * The language of the new text, which decides between sets that can all hold it (Han characters alone
   * are Japanese, Korean or Chinese). Guessed from kana and hangul when absent; other Han text is Chinese.
   */
  readonly language?: 'ja' | 'ko' | 'zh';
}

/**
 * The Specific Character Set terms to write so that every string of `texts` is encodable and every value
 * already in the data set (`existing`, its raw bytes, when given) decodes as before; see the rules above.
 * `terms` is the data set's current value split at `\` (`['']` when absent). Throws CharacterSetError.
 */
export function extendCharacterSet(
  terms: readonly string[],
  texts: readonly string[],
  options: ExtendCharacterSetOptions = {},
): string[] {
  const existing = options.existing ?? [];
  const language =
    options.language ?? (hasKana(texts.join('')) ? 'ja' : hasHangul(texts.join('')) ? 'ko' : undefined);
  const current = terms.length === 0 ? [''] : terms.map(normalizeTerm);
  const currentCodec = codecFor(current);
  const keeps = (candidate: readonly string[] | undefined): boolean => {
    if (!candidate || !encodable(candidate, texts)) return false;
    const codec = codecFor(candidate);
    return existing.every((b) => codec.decode(b) === currentCodec.decode(b));
  };
  if (keeps(current)) return [...current];
  const first = current[0]!;
  const all = texts.join('');
  const candidates: Array<string[] | undefined> = [];
  if (current.length === 1 && (first === '' || first === 'ISO_IR 6')) {
    for (const ir of SINGLE_BYTE_ORDER) candidates.push([`ISO_IR ${ir}`]);
    if (language === 'ja' || language === 'ko')
      candidates.push(addExtensions(['ISO 2022 IR 6'], texts, language));
    else candidates.push(['GB18030'], addExtensions(['ISO 2022 IR 6'], texts, language));
    candidates.push(['ISO_IR 192']);
  } else if (first === 'GBK') {
    candidates.push(['GB18030']);
  } else if (first !== 'ISO_IR 192' && first !== 'GB18030') {
    // Single-byte `ISO_IR n` becomes `ISO 2022 IR n`; an ISO 2022 set keeps its terms and gains more.
    const base = current.map((t, i) =>
      i === 0 && t === '' ? '' : t.replace(/^ISO_IR (\d+)$/, 'ISO 2022 IR $1'),
    );
    candidates.push(addExtensions(base, texts, language));
    // Only when the existing values prove to be ASCII may a default-repertoire file's value 1 change.
    if (existing.length > 0) candidates.push(['ISO_IR 192']);
  }
  const chosen = candidates.find(keeps);
  if (chosen) return [...chosen];
  const missing = [...new Set(all)].filter((ch) => !currentCodec.canEncode(ch)).join('');
  throw new CharacterSetError(
    `cannot be extended to hold ${JSON.stringify(missing.slice(0, 40))} ` +
      'without changing the meaning of the text already written',
    current.join('\\'),
  );
}
