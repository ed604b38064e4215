/**
 * The curated name lists of the locales whose Person Names need readings Faker does not have
 * (templates/identity/: Japanese kanji with hiragana readings, Korean hangul with hanja and romanized
 * family names, Chinese hanzi with pinyin). Loaded once, on first use, and checked.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IdentityPlanError } from './errors.js';

/** One name with its written forms: `[kanji, kana]`, `[hangul, hanja(, roman)]` or `[hanzi, pinyin]`. */
export type NameEntry = readonly string[];

/** A locale's name lists. */
export interface NameLists {
  readonly locale: string;
  readonly family: readonly NameEntry[];
  readonly given: { readonly male: readonly NameEntry[]; readonly female: readonly NameEntry[] };
}

/** templates/identity at the package root (from src/identity and dist/identity alike). */
export function identityTemplatesDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'identity');
}

const loaded = new Map<string, NameLists>();
let occupations: Readonly<Record<string, readonly string[]>> | undefined;

/**
 * Occupations in the locale's language for the locales whose Faker job titles are English (de, ko,
 * zh_CN), from templates/identity/occupations.json; undefined for the others.
 */
export function loadOccupations(locale: string): readonly string[] | undefined {
  if (!occupations) {
    const file = join(identityTemplatesDir(), 'occupations.json');
    try {
      occupations = (JSON.parse(readFileSync(file, 'utf8')) as { occupations: Record<string, string[]> })
        .occupations;
    } catch (error) {
      throw new IdentityPlanError(`cannot load ${file}: ${(error as Error).message}`);
    }
  }
  return occupations[locale];
}

/** Loads (once) the name lists of `ja`, `ko` or `zh_CN`; every entry must have `width` non-empty forms. */
export function loadNameLists(locale: 'ja' | 'ko' | 'zh_CN'): NameLists {
  const known = loaded.get(locale);
  if (known) return known;
  const file = join(identityTemplatesDir(), `${locale}.json`);
  let lists: NameLists;
  try {
    lists = JSON.parse(readFileSync(file, 'utf8')) as NameLists;
  } catch (error) {
    throw new IdentityPlanError(`cannot load ${file}: ${(error as Error).message}`);
  }
  const width = { ja: [2, 2], ko: [3, 2], zh_CN: [2, 2] }[locale];
  const check = (entries: readonly NameEntry[] | undefined, n: number, what: string): void => {
    if (!Array.isArray(entries) || entries.length < 10)
      throw new IdentityPlanError(`${file}: ${what} needs at least 10 entries`);
    for (const e of entries)
      if (!Array.isArray(e) || e.length !== n || !e.every((s) => typeof s === 'string' && s !== ''))
        throw new IdentityPlanError(`${file}: ${what} entry ${JSON.stringify(e)} needs ${n} non-empty forms`);
  };
  check(lists.family, width[0]!, 'family');
  check(lists.given?.male, width[1]!, 'given.male');
  check(lists.given?.female, width[1]!, 'given.female');
  loaded.set(locale, lists);
  return lists;
}
