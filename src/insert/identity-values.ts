/**
 * Resolves the names templates use (`patient.name:prose`, `study.date:MM/DD/YYYY`) to identity values,
 * with the identity field and HIPAA kind each came from. One place turns an identity into text, so a name
 * is rendered the same way wherever it lands.
 */
import {
  DEFAULT_LOCALE,
  formatLongDate,
  formatShortDate,
  languageOf,
  listPatientValues,
  listStudyValues,
  type IdentityValue,
  type PatientIdentity,
  type StudyIdentity,
} from '../identity/index.js';
import type { HipaaKind } from '../phi/index.js';

/** A value ready to insert, with what the answer key records of its origin. */
/** Shared by every caller that resolves the same name and format: read-only. */
export interface ResolvedValue {
  readonly text: string;
  readonly field: string;
  readonly kind: HipaaKind | null;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * A DA value in one of the written forms templates ask for; undefined for an unknown form. `long` and
 * `short` are the language's own written forms (de `4. März 2019` and `04.03.2019`, ja `2019年3月4日`),
 * English `long` is `March 4, 2019`.
 */
export function formatDate(da: string, format: string, language = 'en'): string | undefined {
  const [y, m, d] = [da.slice(0, 4), da.slice(4, 6), da.slice(6, 8)];
  if (language !== 'en' && format === 'long') return formatLongDate(da, language);
  if (format === 'short') return language === 'en' ? `${m}/${d}/${y}` : formatShortDate(da, language);
  switch (format) {
    case 'YYYYMMDD':
      return da;
    case 'MM/DD/YYYY':
      return `${m}/${d}/${y}`;
    case 'DD.MM.YYYY':
      return `${d}.${m}.${y}`;
    case 'MM.DD.YYYY':
      return `${m}.${d}.${y}`;
    case 'long':
      return `${MONTHS[Number(m) - 1]} ${Number(d)}, ${y}`;
    default:
      return undefined;
  }
}

const titleCase = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

/** Initials of an organisation name, skipping connectives: `Compton, Holmes and Jones Hospital` -> `CHJH`. */
export function organisationInitials(name: string): string {
  return name
    .split(/[\s,]+/)
    .filter((w) => w && !/^(and|of|the|&)$/i.test(w))
    .map((w) => w.charAt(0).toUpperCase())
    .join('');
}

/** Looks up identity values by template name for one instance (its patient, its study, its modality). */
export class IdentityValues {
  private readonly byKey = new Map<string, IdentityValue>();
  /** Values resolved so far, by name (and `\u0000format`): every instance of a study asks for the same ones. */
  private readonly resolved = new Map<string, ResolvedValue | undefined>();

  constructor(
    readonly patient: PatientIdentity,
    readonly study: StudyIdentity,
    private readonly modality: string,
  ) {
    for (const v of [...listPatientValues(patient), ...listStudyValues(study)]) {
      const key = `${v.field}:${v.rendering}`;
      if (!this.byKey.has(key)) this.byKey.set(key, v);
    }
  }

  /**
   * `field` or `field:format`. Formats: an identity rendering (`prose`, `initials`, `burnedIn`, `title`),
   * a date form for date fields (`long` and `short` in the patient's language), `last` (family name in
   * title case) and `family` (as the locale writes it) for names, `initials` for the institution. `study.device.serialNumber` is the serial of this instance's modality.
   */
  resolve(name: string, format?: string): ResolvedValue | undefined {
    const key = format === undefined ? name : `${name}\u0000${format}`;
    if (this.resolved.has(key)) return this.resolved.get(key);
    const value = this.resolveUncached(name, format);
    this.resolved.set(key, value);
    return value;
  }

  private resolveUncached(name: string, format?: string): ResolvedValue | undefined {
    const field =
      name === 'study.device.serialNumber'
        ? (this.study.devices.find((d) => d.modality === this.modality) ?? this.study.devices[0])
          ? `study.devices.${(this.study.devices.find((d) => d.modality === this.modality) ?? this.study.devices[0])!.modality}.serialNumber`
          : name
        : name;
    const base = this.byKey.get(`${field}:value`);
    if (!base) return undefined;
    const out = (text: string | undefined): ResolvedValue | undefined =>
      text ? { text, field, kind: base.kind } : undefined;
    if (format === undefined || format === 'value') return out(base.value);
    const language = languageOf(this.patient.locale ?? DEFAULT_LOCALE);
    if (base.vr === 'DA') return out(formatDate(base.value, format, language));
    if (format === 'family' && base.vr === 'PN') {
      // The family name as the locale writes it: the ideographic group's for Japanese, Korean, Chinese.
      const groups = base.value.split('=');
      return out((groups[1] ?? groups[0])!.split('^')[0]);
    }
    if (format === 'last' && base.vr === 'PN') {
      const family = base.value.split('^')[0];
      return out(
        family
          ? family
              .split(/[\s-]+/)
              .map(titleCase)
              .join(' ')
          : undefined,
      );
    }
    if (format === 'initials' && field === 'study.institution.name')
      return out(organisationInitials(base.value));
    return out(this.byKey.get(`${field}:${format}`)?.value);
  }
}
