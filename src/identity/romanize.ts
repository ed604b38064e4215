/**
 * Mechanical romanizations for the alphabetic component group of Japanese and Korean Person Names
 * (PS3.5 6.2.1.2, Annexes H and I): Hepburn from hiragana readings, written without macrons as DICOM's own
 * example does (`Yamada^Tarou=山田^太郎=やまだ^たろう`, PS3.5 H.3.1), and the Revised Romanization of Korean
 * syllable by syllable (the rules for personal names do not reflect sound changes between syllables).
 * Chinese pinyin cannot be derived from characters alone; it comes from the name lists.
 */
import { IdentityPlanError } from './errors.js';

/** Hepburn for each hiragana (long vowels spelled out: `ou`, `uu`). */
// prettier-ignore
const KANA: Readonly<Record<string, string>> = {
  あ: 'a', い: 'i', う: 'u', え: 'e', お: 'o', か: 'ka', き: 'ki', く: 'ku', け: 'ke', こ: 'ko',
  さ: 'sa', し: 'shi', す: 'su', せ: 'se', そ: 'so', た: 'ta', ち: 'chi', つ: 'tsu', て: 'te', と: 'to',
  な: 'na', に: 'ni', ぬ: 'nu', ね: 'ne', の: 'no', は: 'ha', ひ: 'hi', ふ: 'fu', へ: 'he', ほ: 'ho',
  ま: 'ma', み: 'mi', む: 'mu', め: 'me', も: 'mo', や: 'ya', ゆ: 'yu', よ: 'yo',
  ら: 'ra', り: 'ri', る: 'ru', れ: 're', ろ: 'ro', わ: 'wa', を: 'o', ん: 'n',
  が: 'ga', ぎ: 'gi', ぐ: 'gu', げ: 'ge', ご: 'go', ざ: 'za', じ: 'ji', ず: 'zu', ぜ: 'ze', ぞ: 'zo',
  だ: 'da', ぢ: 'ji', づ: 'zu', で: 'de', ど: 'do', ば: 'ba', び: 'bi', ぶ: 'bu', べ: 'be', ぼ: 'bo',
  ぱ: 'pa', ぴ: 'pi', ぷ: 'pu', ぺ: 'pe', ぽ: 'po',
};
/** Small ya/yu/yo after an i-row kana: `き`+`ょ` = `kyo`, `し`+`ょ` = `sho`. */
const SMALL_Y: Readonly<Record<string, string>> = { ゃ: 'a', ゅ: 'u', ょ: 'o' };

/** Hepburn romanization of a hiragana reading: `しんいち` -> `shin'ichi`, `きょうこ` -> `kyouko`. */
export function hiraganaToRomaji(reading: string): string {
  const chars = [...reading];
  let out = '';
  let geminate = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === 'っ') {
      geminate = true;
      continue;
    }
    let syllable = KANA[ch];
    if (syllable === undefined) throw new IdentityPlanError(`no romanization for ${JSON.stringify(ch)}`);
    const small = SMALL_Y[chars[i + 1] ?? ''];
    if (small !== undefined) {
      // `し`, `ち`, `じ` lose their i (`sha`, `cha`, `ja`); the others take a y (`kya`, `nyu`).
      syllable = /^(sh|ch|j)i$/.test(syllable)
        ? syllable.slice(0, -1) + small
        : syllable.slice(0, -1) + 'y' + small;
      i++;
    }
    if (geminate) {
      syllable = (syllable.startsWith('ch') ? 't' : syllable.charAt(0)) + syllable;
      geminate = false;
    }
    // A syllabic n before a vowel or y is marked, so that `しんいち` is not read `shi-ni-chi`.
    if (out.endsWith('n') && chars[i - 1] === 'ん' && /^[aiueoy]/.test(syllable)) out += "'";
    out += syllable;
  }
  return out;
}

const INITIALS = [
  'g',
  'kk',
  'n',
  'd',
  'tt',
  'r',
  'm',
  'b',
  'pp',
  's',
  'ss',
  '',
  'j',
  'jj',
  'ch',
  'k',
  't',
  'p',
  'h',
];
// prettier-ignore
const MEDIALS = ['a', 'ae', 'ya', 'yae', 'eo', 'e', 'yeo', 'ye', 'o', 'wa', 'wae', 'oe', 'yo', 'u', 'wo', 'we', 'wi', 'yu', 'eu', 'ui', 'i'];
// prettier-ignore
const FINALS = ['', 'k', 'k', 'k', 'n', 'n', 'n', 't', 'l', 'k', 'm', 'l', 'l', 'l', 'p', 'l', 'm', 'p', 'p', 't', 't', 'ng', 't', 't', 'k', 't', 'p', 't'];

/** Revised Romanization of a hangul given name, syllable by syllable: `민준` -> `minjun`, `지훈` -> `jihun`. */
export function hangulToRoman(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)! - 0xac00;
    if (code < 0 || code > 11171)
      throw new IdentityPlanError(`${JSON.stringify(ch)} is not a hangul syllable`);
    out += INITIALS[Math.floor(code / 588)]! + MEDIALS[Math.floor((code % 588) / 28)]! + FINALS[code % 28]!;
  }
  return out;
}

/** Greek to Latin (ELOT 743 letter by letter, with its `ου` = `ou`), for e-mail and web addresses. */
// prettier-ignore
const GREEK: Readonly<Record<string, string>> = {
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n',
  ξ: 'x', ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
};
/** Russian to Latin (the passport transliteration of 2013, ICAO Doc 9303), for e-mail and web addresses. */
// prettier-ignore
const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l',
  м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch',
  ш: 'sh', щ: 'shch', ъ: 'ie', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia',
};

/**
 * Lower-case ASCII letters and digits of a Latin, Greek or Cyrillic text (accents dropped by canonical
 * decomposition, which is Unicode data, not a locale rule); other characters are dropped.
 */
export function toAsciiSlug(text: string): string {
  let out = '';
  const bare = text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/ου/g, 'ou');
  for (const ch of bare) {
    if (/[a-z0-9]/.test(ch)) out += ch;
    else if (GREEK[ch] !== undefined) out += GREEK[ch];
    else if (CYRILLIC[ch] !== undefined) out += CYRILLIC[ch];
    else if (ch === 'ß') out += 'ss';
  }
  return out;
}
