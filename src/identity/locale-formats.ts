/**
 * Addresses, phone numbers, national identifiers, institutions and written dates of the non-English
 * locales, each fitted on purpose to the VR where it goes (PS3.5 6.2: LO 64 characters, SH 16). Faker's
 * locale data supplies streets, cities and phone patterns; the forms around them follow each country's
 * postal and written conventions. Pure: no Intl (ARCHITECTURE.md section 4), month names are tables here.
 */
import { fromEpochDay, daToEpochDay } from './calendar.js';
import { readsBackInLocale } from './character-sets.js';
import { IdentityPlanError } from './errors.js';
import type { Faker } from './faker.js';
import type { Address } from './formats.js';
import type { IdentityLocale } from './locale.js';
import { toAsciiSlug } from './romanize.js';

const LO_MAX = 64;
const SH_MAX = 16;
const charCount = (s: string): number => [...s].length;

/** One address line in the locale's postal order, at most 64 characters (LO). */
export function makeLocaleAddress(
  locale: IdentityLocale,
  faker: Faker,
  options: { state?: string; suite?: boolean } = {},
): Address {
  for (let attempt = 0; attempt < 1000; attempt++) {
    // Japanese block addresses in the short form `4-7-1` (for 4丁目7番1号), as commonly written: 目 is
    // JIS X 0208 0x4C5C, whose 0x5C byte pydicom takes for a value delimiter.
    const street =
      locale === 'ja'
        ? faker.location.streetAddress().replace(/^(\d+)丁目(\d+)番(\d+)号$/, '$1-$2-$3')
        : faker.location.streetAddress();
    const city = faker.location.city();
    // Faker's Greek locale has no regions (it falls back to US states): Greek addresses name none.
    const state = locale === 'el' ? '' : (options.state ?? faker.location.state());
    const zip = faker.location.zipCode();
    const unit = options.suite ? faker.number.int({ min: 1, max: 9 }) : undefined;
    let value: string;
    switch (locale) {
      case 'de':
        value = `${street}${unit ? `, ${unit}. OG` : ''}, ${zip} ${city}`;
        break;
      case 'fr':
        value = `${street}${unit ? `, ${unit}e étage` : ''}, ${zip} ${city}`;
        break;
      case 'es':
        value = `${street}${unit ? `, ${unit}º` : ''}, ${zip} ${city}`;
        break;
      case 'el':
        value = `${street}${unit ? `, ${unit}ος όροφος` : ''}, ${zip} ${city}`;
        break;
      case 'ru':
        // Region names run long (`Ханты-Мансийский автономный округ — Югра`): index, town and street.
        value = `${zip}, г. ${city}, ${street}${unit ? `, оф. ${unit}0${unit}` : ''}`;
        break;
      case 'ja':
        value = `〒${zip} ${state}${city}${street}${unit ? ` ${unit}階` : ''}`;
        break;
      case 'ko':
        value = `${state} ${city} ${street}${unit ? ` ${unit}층` : ''} (${zip})`;
        break;
      case 'zh_CN':
        value = `${state}${city}${street}${unit ? `${unit}楼` : ''} ${zip}`;
        break;
      default:
        throw new IdentityPlanError(`no address form for ${locale}`);
    }
    // PS3.5 6.2: LO holds 64 characters and no backslash; the scorer must read it back as written.
    if (charCount(value) <= LO_MAX && !value.includes('\\') && readsBackInLocale(locale, 'LO', value))
      return { value, street, city, state, zip };
  }
  throw new IdentityPlanError(`no ${locale} address within 64 characters in 1000 draws`);
}

/** A national phone number in the locale's written form, fitting SH (16 characters). */
export function makeLocalePhone(faker: Faker): string {
  for (let attempt = 0; attempt < 1000; attempt++) {
    for (const style of ['national', 'human'] as const) {
      const phone = faker.phone.number({ style });
      if (phone.length <= SH_MAX && /^[0-9+() -]+$/.test(phone)) return phone;
    }
  }
  throw new IdentityPlanError('no phone number within 16 characters in 1000 draws');
}

/** `count` digits, the first not 0. */
const digits = (faker: Faker, count: number): string =>
  faker.string.numeric({ length: count, allowLeadingZeros: false });

/**
 * The locale's national identifier in the place of the US SSN (HIPAA G), with its check digit where it has
 * one: de Krankenversichertennummer shape (letter + 9 digits), fr NIR (sex, year and month of birth, key
 * 97 - n mod 97), es DNI (8 digits + letter n mod 23), el AMKA (birth DDMMYY + 4 digits + Luhn), ru SNILS
 * (checksum), ja Individual Number (12 digits, check digit), ko resident registration number (birth
 * YYMMDD, sex digit, check digit), zh resident identity number (region, birth date, sequence odd for men,
 * ISO 7064 MOD 11-2). Birth-date-bearing forms (el, ko, zh) overlap the birth date by design.
 */
export function makeNationalId(
  locale: IdentityLocale,
  faker: Faker,
  birthDa: string,
  sex: 'female' | 'male' | 'unspecified',
): string {
  const [yyyy, mm, dd] = [birthDa.slice(0, 4), birthDa.slice(4, 6), birthDa.slice(6, 8)];
  const male = sex === 'male' || (sex === 'unspecified' && faker.datatype.boolean());
  switch (locale) {
    case 'de':
      return `${faker.string.alpha({ length: 1, casing: 'upper' })}${digits(faker, 9)}`;
    case 'fr': {
      const body = `${male ? 1 : 2}${yyyy.slice(2)}${mm}${faker.number.int({ min: 1, max: 95 }).toString().padStart(2, '0')}${faker.string.numeric(3)}${faker.string.numeric(3)}`;
      const key = String(97n - (BigInt(body) % 97n)).padStart(2, '0');
      return `${body[0]} ${body.slice(1, 3)} ${body.slice(3, 5)} ${body.slice(5, 7)} ${body.slice(7, 10)} ${body.slice(10, 13)} ${key}`;
    }
    case 'es': {
      const n = digits(faker, 8);
      return `${n}${'TRWAGMYFPDXBNJZSQVHLCKE'[Number(n) % 23]}`;
    }
    case 'el': {
      const body = `${dd}${mm}${yyyy.slice(2)}${faker.string.numeric(4)}`;
      return `${body}${luhnDigit(body)}`;
    }
    case 'ru': {
      const n = digits(faker, 9);
      let sum = 0;
      for (let i = 0; i < 9; i++) sum += Number(n[i]) * (9 - i);
      const check = sum < 100 ? sum : sum % 101 === 100 ? 0 : sum % 101;
      return `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6, 9)} ${String(check).padStart(2, '0')}`;
    }
    case 'ja': {
      const n = digits(faker, 11);
      let q = 0;
      for (let k = 1; k <= 11; k++) q += Number(n[11 - k]) * (k <= 6 ? k + 1 : k - 5);
      const check = q % 11 <= 1 ? 0 : 11 - (q % 11);
      const all = `${n}${check}`;
      return `${all.slice(0, 4)} ${all.slice(4, 8)} ${all.slice(8)}`;
    }
    case 'ko': {
      const century = Number(yyyy) >= 2000 ? 2 : 0;
      const body = `${yyyy.slice(2)}${mm}${dd}${(male ? 1 : 2) + century}${faker.string.numeric(5)}`;
      const weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
      const sum = weights.reduce((s, w, i) => s + w * Number(body[i]), 0);
      return `${body.slice(0, 6)}-${body.slice(6)}${(11 - (sum % 11)) % 10}`;
    }
    case 'zh_CN': {
      const seq = faker.number.int({ min: 0, max: 499 }) * 2 + (male ? 1 : 0);
      const body = `${faker.number.int({ min: 110000, max: 659999 })}${yyyy}${mm}${dd}${String(seq).padStart(3, '0')}`;
      const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
      const sum = weights.reduce((s, w, i) => s + w * Number(body[i]), 0);
      return `${body}${'10X98765432'[sum % 11]}`;
    }
    default:
      throw new IdentityPlanError(`no national identifier for ${locale}`);
  }
}

/** Locales whose national identifier contains the birth date. */
export const NATIONAL_ID_HOLDS_BIRTH_DATE: ReadonlySet<IdentityLocale> = new Set(['el', 'ko', 'zh_CN']);

function luhnDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Institution name patterns per locale; `c` a city, `f` a family name, `n` a small number. */
const INSTITUTIONS: Readonly<Record<string, ReadonlyArray<(c: string, f: string, n: number) => string>>> = {
  de: [
    (c) => `Klinikum ${c}`,
    (c) => `Städtisches Krankenhaus ${c}`,
    (c) => `Universitätsklinikum ${c}`,
    (_c, f) => `Radiologische Praxis Dr. ${f}`,
    (c) => `St. Marien-Hospital ${c}`,
  ],
  fr: [
    (c) => `Centre Hospitalier de ${c}`,
    (c) => `CHU de ${c}`,
    (_c, f) => `Clinique ${f}`,
    (c) => `Hôpital Saint-Joseph de ${c}`,
    (_c, f) => `Centre d'Imagerie ${f}`,
  ],
  es: [
    (c) => `Hospital Universitario de ${c}`,
    (c) => `Hospital General de ${c}`,
    (_c, f) => `Clínica ${f}`,
    (c) => `Hospital Comarcal de ${c}`,
  ],
  el: [(c) => `Γενικό Νοσοκομείο ${c}`, (c) => `Πανεπιστημιακό Νοσοκομείο ${c}`, (_c, f) => `Κλινική ${f}`],
  ru: [
    (c, _f, n) => `Городская больница № ${n} г. ${c}`,
    (c) => `Областная клиническая больница г. ${c}`,
    (c, _f, n) => `Поликлиника № ${n} г. ${c}`,
  ],
  ja: [(c) => `${c}総合病院`, (c) => `${c}市民病院`, (c) => `${c}中央病院`, (_c, f) => `${f}クリニック`],
  ko: [
    (c) => `${c} 종합병원`,
    (c) => `${c} 의료원`,
    (c) => `${c} 대학교병원`,
    (_c, f) => `${f} 영상의학과의원`,
  ],
  zh_CN: [(c) => `${c}人民医院`, (c) => `${c}第一人民医院`, (c) => `${c}中心医院`, (c) => `${c}中医院`],
};

/** An institution name of the locale, at most 64 characters (LO), that reads back as written. */
export function makeLocaleInstitution(locale: IdentityLocale, faker: Faker): string {
  const patterns = INSTITUTIONS[locale];
  if (!patterns) throw new IdentityPlanError(`no institution names for ${locale}`);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const pattern = faker.helpers.arrayElement(patterns);
    const family =
      locale === 'ja' || locale === 'ko' || locale === 'zh_CN'
        ? faker.person.lastName()
        : faker.helpers.arrayElement(
            faker.definitions.person.last_name.generic ?? faker.definitions.person.last_name.male ?? [],
          );
    const name = pattern(faker.location.city(), family, faker.number.int({ min: 1, max: 67 }));
    if (charCount(name) <= LO_MAX && readsBackInLocale(locale, 'LO', name)) return name;
  }
  throw new IdentityPlanError(`no ${locale} institution name within LO in 1000 draws`);
}

/** Department names per locale (a base; a floor or wing is added by the study planner). */
export const LOCALE_DEPARTMENTS: Readonly<Record<string, readonly string[]>> = {
  de: ['Radiologie', 'Nuklearmedizin', 'Diagnostische Radiologie', 'Neuroradiologie'],
  fr: ['Radiologie', 'Médecine nucléaire', 'Imagerie médicale'],
  es: ['Radiología', 'Medicina Nuclear', 'Diagnóstico por Imagen'],
  el: ['Ακτινολογικό Τμήμα', 'Τμήμα Πυρηνικής Ιατρικής'],
  ru: ['Отделение лучевой диагностики', 'Рентгенологическое отделение'],
  ja: ['放射線科', '放射線部', '核医学科'],
  ko: ['영상의학과', '핵의학과'],
  zh_CN: ['放射科', '影像科', '核医学科'],
};

/** Where in the building, per locale: `3. OG`, `2e étage`, `3階`. */
export function makeLocaleWing(locale: IdentityLocale, faker: Faker): string {
  const n = faker.number.int({ min: 1, max: 9 });
  switch (locale) {
    case 'de':
      return `${n}. OG`;
    case 'fr':
      return `${n}e étage`;
    case 'es':
      return `planta ${n}`;
    case 'el':
      return `${n}ος όροφος`;
    case 'ru':
      return `корпус ${n}`;
    case 'ja':
      return `${n}階`;
    case 'ko':
      return `${n}층`;
    case 'zh_CN':
      return `${n}楼`;
    default:
      return `Level ${n}`;
  }
}

/**
 * A clinician's licence or registration number in the locale's length (HIPAA K), digits only: de LANR 9,
 * fr RPPS 11, es colegiado 9, el 6, ru 10, ja 医籍登録番号 6, ko 면허번호 6, zh 执业证书编码 15. Digits
 * only, so that no fixed letters can coincide with someone's initials.
 */
export function makeLicenseNumber(locale: IdentityLocale, faker: Faker): string {
  const length = { de: 9, fr: 11, es: 9, el: 6, ru: 10, ja: 6, ko: 6, zh_CN: 15 }[locale as string] ?? 7;
  return digits(faker, length);
}

/** Top-level domain of a locale's institution web addresses. */
export const LOCALE_TLD: Readonly<Record<string, string>> = {
  de: 'de',
  fr: 'fr',
  es: 'es',
  el: 'gr',
  ru: 'ru',
  ja: 'jp',
  ko: 'kr',
  zh_CN: 'cn',
};

/** A web-address slug of an institution name: transliterated, or `hospital-<digits>` for CJK names. */
export function institutionSlug(name: string, faker: Faker): string {
  const slug = toAsciiSlug(name).slice(0, 32);
  return slug.length >= 6
    ? slug
    : `hospital-${faker.string.numeric({ length: 5, allowLeadingZeros: false })}`;
}

// prettier-ignore
const MONTHS: Readonly<Record<string, readonly string[]>> = {
  de: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  // Genitive forms, as a date is written: 4 Μαρτίου 2019, 4 марта 2019 г.
  el: ['Ιανουαρίου', 'Φεβρουαρίου', 'Μαρτίου', 'Απριλίου', 'Μαΐου', 'Ιουνίου', 'Ιουλίου', 'Αυγούστου', 'Σεπτεμβρίου', 'Οκτωβρίου', 'Νοεμβρίου', 'Δεκεμβρίου'],
  ru: ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'],
};

/**
 * A DA value in a language's long written form: de `4. März 2019`, fr `4 mars 2019` (`1er` on the first),
 * es `4 de marzo de 2019`, el `4 Μαρτίου 2019`, ru `4 марта 2019 г.`, ja and zh `2019年3月4日`, ko
 * `2019년 3월 4일`; undefined for a language without one here (English is formatted by the caller).
 */
export function formatLongDate(da: string, language: string): string | undefined {
  const { year, month, day } = fromEpochDay(daToEpochDay(da));
  const y = String(year);
  const months = MONTHS[language];
  switch (language) {
    case 'de':
      return `${day}. ${months![month - 1]} ${y}`;
    case 'fr':
      return `${day === 1 ? '1er' : day} ${months![month - 1]} ${y}`;
    case 'es':
      return `${day} de ${months![month - 1]} de ${y}`;
    case 'el':
      return `${day} ${months![month - 1]} ${y}`;
    case 'ru':
      return `${day} ${months![month - 1]} ${y} г.`;
    case 'ja':
    case 'zh':
      return `${y}年${month}月${day}日`;
    case 'ko':
      return `${y}년 ${month}월 ${day}일`;
    default:
      return undefined;
  }
}

/** A DA value in a language's short numeric form: `04.03.2019` (de, ru, el), `04/03/2019` (fr, es), `2019/03/04` (ja, zh), `2019.03.04` (ko). */
export function formatShortDate(da: string, language: string): string | undefined {
  const [y, m, d] = [da.slice(0, 4), da.slice(4, 6), da.slice(6, 8)];
  switch (language) {
    case 'de':
    case 'ru':
      return `${d}.${m}.${y}`;
    case 'el':
    case 'fr':
    case 'es':
      return `${d}/${m}/${y}`;
    case 'ja':
    case 'zh':
      return `${y}/${m}/${d}`;
    case 'ko':
      return `${y}.${m}.${d}`;
    default:
      return undefined;
  }
}
