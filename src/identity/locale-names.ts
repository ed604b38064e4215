/**
 * Person names of the non-English locales, written as DICOM writes them (PS3.5 6.2.1): `family^given` in
 * the locale's own case and script (an upper-cased German `ß` or Greek accent would change the name), a
 * Russian patronymic as the middle component, two Spanish surnames in the family component, and for
 * Japanese, Korean and Chinese the alphabetic, ideographic and phonetic component groups of PS3.5 Annexes
 * H, I and J: `Yamada^Tarou=山田^太郎=やまだ^たろう`, `Hong^Gildong=洪^吉洞=홍^길동`, `Wang^Xiuying=王^秀英`.
 */
import { readsBackInLocale } from './character-sets.js';
import { isCommonWord } from './common-words.js';
import { drawDistinct, type DistinctValues } from './distinct.js';
import { IdentityPlanError } from './errors.js';
import type { Faker } from './faker.js';
import type { IdentityLocale } from './locale.js';
import { loadNameLists, type NameEntry } from './name-lists.js';
import type { NameOptions, NameSex, PersonName } from './names.js';
import { hangulToRoman, hiraganaToRomaji, toAsciiSlug } from './romanize.js';

/** Locales whose names come from the curated lists in templates/identity. */
const LISTED = new Set<IdentityLocale>(['ja', 'ko', 'zh_CN']);

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
/** Characters, not UTF-16 code units (PS3.5 6.2 limits are in characters). */
const charCount = (s: string): number => [...s].length;

/** A concrete sex for list choice: unspecified picks one, since these locales' lists are by sex. */
function concreteSex(faker: Faker, sex: NameSex): 'female' | 'male' {
  if (sex !== 'unspecified') return sex;
  return faker.datatype.boolean() ? 'female' : 'male';
}

/** The clinician's title in a locale: `Dr. Müller`, `Dr Martin`, `Dra. García`, `山田医師`. */
function titleOf(locale: IdentityLocale, sex: 'female' | 'male', family: string, given: string): string {
  switch (locale) {
    case 'fr':
      return `Dr ${family}`;
    case 'es':
      return `${sex === 'female' ? 'Dra.' : 'Dr.'} ${family}`;
    case 'el':
      return `Δρ. ${family}`;
    case 'ru':
      return `д-р ${family}`;
    case 'ja':
      return `${family}${given}医師`;
    case 'ko':
      return `${family}${given} 교수`;
    case 'zh_CN':
      return `${family}${given}医生`;
    default:
      return `Dr. ${family}`;
  }
}

/**
 * Faker 10.6.0's Greek female first names are written without their accent (`Μαρια`), which Greek never
 * omits in lower case: the names as written (the masculine list has its accents).
 */
const GREEK_ACCENTED: Readonly<Record<string, string>> = {
  Αθανασια: 'Αθανασία',
  Αικατερινη: 'Αικατερίνη',
  Αλεξανδρα: 'Αλεξάνδρα',
  Αναστασια: 'Αναστασία',
  Αννα: 'Άννα',
  Γεωργια: 'Γεωργία',
  Δεσποινα: 'Δέσποινα',
  Δημητρα: 'Δήμητρα',
  Ελενη: 'Ελένη',
  Ευαγγελια: 'Ευαγγελία',
  Ιωαννα: 'Ιωάννα',
  Κωνσταντινα: 'Κωνσταντίνα',
  Μαρια: 'Μαρία',
  Παναγιωτα: 'Παναγιώτα',
  Παρασκευη: 'Παρασκευή',
  Σοφια: 'Σοφία',
  Σταυρουλα: 'Σταυρούλα',
  Χριστινα: 'Χριστίνα',
  Χρυσουλα: 'Χρυσούλα',
};

/** One draw from Faker's lists (de, fr, es, el, ru). */
function drawFakerName(locale: IdentityLocale, faker: Faker, sex: 'female' | 'male') {
  const person = faker.definitions.person;
  const drawn = faker.helpers.arrayElement(person.first_name[sex] ?? []);
  const given = locale === 'el' ? (GREEK_ACCENTED[drawn] ?? drawn) : drawn;
  let family: string;
  let middle: string | undefined;
  const lastNames = person.last_name;
  if (locale === 'ru') {
    family = faker.helpers.arrayElement(lastNames[sex] ?? []);
    // Фамилия^Имя^Отчество: the patronymic is part of every Russian medical record's name.
    middle = faker.helpers.arrayElement(person.middle_name?.[sex] ?? []);
  } else if (locale === 'el') {
    // Greek surnames agree with sex: masculine forms end in ς, feminine ones (genitive) do not.
    const forms = (lastNames.generic ?? []).filter((n) => n.endsWith('ς') === (sex === 'male'));
    family = faker.helpers.arrayElement(forms);
  } else if (locale === 'es') {
    // Two surnames, the father's then the mother's.
    const first = faker.helpers.arrayElement(lastNames.generic ?? []);
    const second = faker.helpers.arrayElement(lastNames.generic ?? []);
    family = `${first} ${second}`;
  } else {
    family = faker.helpers.arrayElement(lastNames.generic ?? []);
  }
  return { given, family, middle };
}

/** Draws a name of `locale` (not en_US) distinct from the people and values in `registry`, and registers it. */
export function makeLocalePersonName(
  locale: IdentityLocale,
  faker: Faker,
  registry: DistinctValues,
  field: string,
  options: NameOptions,
): PersonName {
  if (locale === 'en_US') throw new IdentityPlanError('en_US names come from makePersonName');
  const name = drawDistinct(
    registry,
    field,
    (): PersonName => {
      const sex = concreteSex(faker, options.sex);
      if (LISTED.has(locale)) return drawListedName(locale as 'ja' | 'ko' | 'zh_CN', faker, sex, options);
      const { given, family, middle } = drawFakerName(locale, faker, sex);
      const parts = [family, given, ...(middle ? [middle] : [])];
      const prose = locale === 'ru' ? parts.join(' ') : `${given} ${family}`;
      return {
        value: parts.join('^'),
        prose,
        burnedIn: `${family} ${given}`,
        initials: `${[...given][0]}${[...family][0]}`.toUpperCase(),
        ...(options.clinician ? { title: titleOf(locale, sex, family, given) } : {}),
        family,
        given,
        ...(middle ? { middle } : {}),
        sex,
        latin: { family: toAsciiSlug(family), given: toAsciiSlug(given) },
      };
    },
    (n) => [n.value, n.prose, n.burnedIn, n.initials, ...(n.title ? [n.title] : [])],
    (n) => {
      const parts = [n.given, n.family, ...(n.middle ? [n.middle] : [])];
      // Letters of any script, with the apostrophes, hyphens and spaces names hold.
      if (!parts.every((p) => /^[\p{L}][\p{L}' -]*$/u.test(p) && !isCommonWord(p))) return 'name part unfit';
      if (!LISTED.has(locale) && !parts.every((p) => charCount(p) >= 3)) return 'name part too short';
      if (!/^\p{Lu}{2}$/u.test(n.initials)) return 'initials not two letters';
      if (!n.latin || n.latin.family.length < 2 || n.latin.given.length < 2) return 'no Latin form';
      // PS3.5 Table 6.2-1: 64 characters per component group.
      if (n.value.split('=').some((g) => charCount(g) > 64)) return 'component group over 64 characters';
      // The scorer reads files with pydicom: the name and its prose forms must read back as written.
      if (!readsBackInLocale(locale, 'PN', n.value)) return 'not read back as written';
      if (![n.prose, ...(n.title ? [n.title] : [])].every((v) => readsBackInLocale(locale, 'LO', v)))
        return 'not read back as written';
      if (registry.familyTaken(n.family)) return 'family name already used here';
      return undefined;
    },
  );
  registry.addFamily(name.family);
  return name;
}

/** A Japanese, Korean or Chinese name from the curated lists, with its component groups. */
function drawListedName(
  locale: 'ja' | 'ko' | 'zh_CN',
  faker: Faker,
  sex: 'female' | 'male',
  options: NameOptions,
): PersonName {
  const lists = loadNameLists(locale);
  const f: NameEntry = faker.helpers.arrayElement(lists.family);
  const g: NameEntry = faker.helpers.arrayElement(lists.given[sex]);
  let alphabetic: [string, string];
  let groups: string[];
  let family: string;
  let given: string;
  if (locale === 'ja') {
    // [kanji, hiragana]: Hepburn from the reading, kanji ideographic, hiragana phonetic (PS3.5 H.3.1).
    const [fk, fr] = f as [string, string];
    const [gk, gr] = g as [string, string];
    alphabetic = [capitalize(hiraganaToRomaji(fr)), capitalize(hiraganaToRomaji(gr))];
    groups = [`${fk}^${gk}`, `${fr}^${gr}`];
    [family, given] = [fk, gk];
  } else if (locale === 'ko') {
    // [hangul, hanja, roman] family and [hangul, hanja] given: the customary romanization of the family name
    // (Kim, Lee, Park) and the Revised Romanization of the given name. The ideographic group is hanja
    // (PS3.5 I.2) or, as many Korean systems write it, hangul; the phonetic group is hangul.
    const [fh, fj, fRoman] = f as [string, string, string];
    const [gh, gj] = g as [string, string];
    alphabetic = [fRoman, capitalize(hangulToRoman(gh))];
    const ideographic = faker.datatype.boolean() ? `${fj}^${gj}` : `${fh}^${gh}`;
    groups = [ideographic, `${fh}^${gh}`];
    [family, given] = [fh, gh];
  } else {
    // [hanzi, pinyin]: pinyin alphabetic, hanzi ideographic, no phonetic group.
    const [fh, fp] = f as [string, string];
    const [gh, gp] = g as [string, string];
    alphabetic = [fp, gp];
    groups = [`${fh}^${gh}`];
    [family, given] = [fh, gh];
  }
  const value = [`${alphabetic[0]}^${alphabetic[1]}`, ...groups].join('=');
  return {
    value,
    // Written without a space, as in running Japanese, Korean and Chinese text.
    prose: `${family}${given}`,
    burnedIn: `${family} ${given}`,
    initials: `${alphabetic[1].charAt(0)}${alphabetic[0].charAt(0)}`.toUpperCase(),
    ...(options.clinician ? { title: titleOf(locale, sex, family, given) } : {}),
    family,
    given,
    sex,
    latin: {
      family: alphabetic[0].toLowerCase().replace(/[^a-z]/g, ''),
      given: alphabetic[1].toLowerCase().replace(/[^a-z]/g, ''),
    },
  };
}
