/**
 * Person names and their renderings, generated once and reused verbatim everywhere (ARCHITECTURE.md
 * section 7): `GAINES^STACY` in PN, `GAINES STACY` burned in, `Stacy Gaines` in prose, `SG` as initials,
 * `Dr. Gaines` for clinicians (the forms MIDI-B used, shared/reference/midi-b-dataset.md).
 */
import { isCommonWord } from './common-words.js';
import { drawDistinct, type DistinctValues } from './distinct.js';
import { IdentityPlanError } from './errors.js';
import type { Faker } from './faker.js';

/** Which of Faker's first-name lists a name came from. */
export type NameSex = 'female' | 'male' | 'unspecified';

/** One person's name in every rendering the inserters use. */
export interface PersonName {
  /** PN (PS3.5 6.2.1): upper-case `FAMILY^GIVEN`, or `FAMILY^GIVEN^MIDDLE`. */
  readonly value: string;
  /** Title case `Given Family`, for free text (`for Stacy Gaines`). */
  readonly prose: string;
  /** Upper case `FAMILY GIVEN`, the first burned-in line. */
  readonly burnedIn: string;
  /** Upper-case initials `GF` (`at JG`, `by PH`). */
  readonly initials: string;
  /** `Dr. Family`, for clinicians only. */
  readonly title?: string;
  /** The family name as Faker spelled it. */
  readonly family: string;
  /** The given name as Faker spelled it. */
  readonly given: string;
  /** A middle name, when the PN value has a third component. */
  readonly middle?: string;
  /** The first-name list used: the patient's sex, or a random one for clinicians. */
  readonly sex: NameSex;
  /**
   * Lower-case ASCII forms of family and given name (for e-mail and web addresses), for names of the
   * non-English locales only: transliterated, or the romanized alphabetic component group.
   */
  readonly latin?: { readonly family: string; readonly given: string };
}

/** Options for one name draw. */
export interface NameOptions {
  /** The list to take the given (and middle) name from. */
  readonly sex: NameSex;
  /** Probability of a middle-name component in the PN value. */
  readonly middleChance: number;
  /** Adds the `Dr. Family` rendering. */
  readonly clinician: boolean;
}

/** Every rendering of a name that is inserted as PHI somewhere. */
export function nameRenderings(name: PersonName): string[] {
  return [name.value, name.prose, name.burnedIn, name.initials, ...(name.title ? [name.title] : [])];
}

/**
 * The first- or middle-name list of a sex. Faker's own `firstName('female')` also mixes in its unisex
 * (generic) list; taking the sex-specific list directly keeps a female patient's name a female name.
 * Unspecified sex (`O` or absent) takes the unisex list.
 */
function namesOf(faker: Faker, kind: 'first_name' | 'middle_name', sex: NameSex): readonly string[] {
  const entry = faker.definitions.person[kind];
  const list = sex === 'unspecified' ? entry.generic : entry[sex];
  if (!list || list.length === 0) throw new IdentityPlanError(`Faker has no ${sex} ${kind} list`);
  return list;
}

/** A name part fit to stand in text: 3+ characters (no `Al`, `Wm`), not a common word (`Will`, `Hand`). */
const fitPart = (part: string): boolean => part.length >= 3 && !isCommonWord(part);

/** Draws a name distinct from the people and values already in `registry`, and registers it. */
export function makePersonName(
  faker: Faker,
  registry: DistinctValues,
  field: string,
  options: NameOptions,
): PersonName {
  const name = drawDistinct(
    registry,
    field,
    (): PersonName => {
      const given = faker.helpers.arrayElement(namesOf(faker, 'first_name', options.sex));
      const family = faker.person.lastName();
      const middle = faker.datatype.boolean({ probability: options.middleChance })
        ? faker.helpers.arrayElement(namesOf(faker, 'middle_name', options.sex))
        : undefined;
      const upper = [family, given, ...(middle ? [middle] : [])].map((p) => p.toUpperCase());
      return {
        value: upper.join('^'),
        prose: `${given} ${family}`,
        burnedIn: `${upper[0]} ${upper[1]}`,
        initials: `${given.charAt(0)}${family.charAt(0)}`.toUpperCase(),
        ...(options.clinician ? { title: `Dr. ${family}` } : {}),
        family,
        given,
        ...(middle ? { middle } : {}),
        sex: options.sex,
      };
    },
    nameRenderings,
    (n) => {
      if (![n.given, n.family, ...(n.middle ? [n.middle] : [])].every(fitPart)) return 'name part unfit';
      // Initials are letters: `O'Kon` gives O, but a given name starting with a non-letter would not.
      if (!/^[A-Z]{2}$/.test(n.initials)) return 'initials not two letters';
      if (registry.familyTaken(n.family)) return 'family name already used here';
      return undefined;
    },
  );
  registry.addFamily(name.family);
  return name;
}
