/**
 * The locales identities are drawn from (issue 7) and the per-run mix of them. A patient's locale is a
 * seeded choice keyed by the root seed and the patient's source PatientID (ARCHITECTURE.md section 4), so it
 * does not move when other patients come or go; the patient's studies follow it (their clinicians, their
 * institution and their free text are in the patient's language: a patient is treated where they live).
 */
import { rngFor } from '../rng/index.js';
import { IdentityPlanError } from './errors.js';

/** Every locale identities can be drawn from, by Faker's locale name. */
export const IDENTITY_LOCALES = ['en_US', 'de', 'fr', 'es', 'el', 'ru', 'ja', 'ko', 'zh_CN'] as const;
/** One identity locale. */
export type IdentityLocale = (typeof IDENTITY_LOCALES)[number];
/** A run's locale mix: `[locale, share]` pairs, shares relative (they need not sum to 1). */
export type LocaleMix = ReadonlyArray<readonly [IdentityLocale, number]>;

/** The locale of runs that name none: the only one before issue 7, whose output is pinned. */
export const DEFAULT_LOCALE: IdentityLocale = 'en_US';

/** The language of a locale's free text and dates (`templates/free-text/<language>.json`). */
export function languageOf(locale: IdentityLocale): string {
  return locale === 'en_US' ? 'en' : locale === 'zh_CN' ? 'zh' : locale;
}

/** Whether a string names an identity locale. */
export function isIdentityLocale(text: string): text is IdentityLocale {
  return (IDENTITY_LOCALES as readonly string[]).includes(text);
}

/** Checks a mix: known locales, each once, finite non-negative shares, at least one positive. */
export function checkLocaleMix(mix: ReadonlyArray<readonly [string, number]>): LocaleMix {
  const seen = new Set<string>();
  for (const [locale, share] of mix) {
    if (!isIdentityLocale(locale))
      throw new IdentityPlanError(
        `unknown locale ${JSON.stringify(locale)}; known: ${IDENTITY_LOCALES.join(', ')}`,
      );
    if (seen.has(locale)) throw new IdentityPlanError(`locale ${locale} is listed twice`);
    seen.add(locale);
    if (typeof share !== 'number' || !Number.isFinite(share) || share < 0)
      throw new IdentityPlanError(`locale ${locale}: share must be a finite number >= 0`);
  }
  if (!mix.some(([, share]) => share > 0)) throw new IdentityPlanError('a locale mix needs a positive share');
  return mix as LocaleMix;
}

/**
 * Parses a command-line locale mix: `de` (every patient German) or `en_US=3,ja=1` (shares); checked as
 * checkLocaleMix checks it.
 */
export function parseLocaleMix(text: string): LocaleMix {
  const entries = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part): [string, number] => {
      const [locale, share, extra] = part.split('=');
      if (extra !== undefined || locale === undefined || locale === '')
        throw new IdentityPlanError(`bad locale mix entry ${JSON.stringify(part)}: LOCALE or LOCALE=SHARE`);
      const n = share === undefined ? 1 : Number(share);
      if (share !== undefined && (share.trim() === '' || !Number.isFinite(n)))
        throw new IdentityPlanError(`bad share in ${JSON.stringify(part)}`);
      return [locale.trim(), n];
    });
  if (entries.length === 0) throw new IdentityPlanError('an empty locale mix');
  return checkLocaleMix(entries);
}

/**
 * The locale of one patient: drawn from `mix` with a generator keyed by the root seed and the source
 * PatientID. Without a mix, or with a single locale, nothing is drawn.
 */
export function pickPatientLocale(
  rootSeed: string | number,
  patientKey: string,
  mix: LocaleMix | undefined,
): IdentityLocale {
  const positive = (mix ?? []).filter(([, share]) => share > 0);
  if (positive.length === 0) return DEFAULT_LOCALE;
  if (positive.length === 1) return positive[0]![0];
  // Sorted by locale name, so that listing the same mix in another order picks the same locales.
  const sorted = [...positive].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return rngFor(rootSeed, 'patient', patientKey, 'patient.locale').weighted(sorted);
}
