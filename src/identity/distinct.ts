/**
 * Keeps the PHI values of one patient and one of its studies distinct, so that every inserted value can be
 * traced to exactly one identity field and no text_removed check can be satisfied, or failed, by another
 * field's value or by clean text that happens to contain it.
 */
import { isInCommonWord } from './common-words.js';
import { IdentityPlanError } from './errors.js';

/** Values at most this long (initials) are compared case-sensitively; longer ones in any case. */
const SHORT = 3;
/** Digit runs at least this long must not recur in another field (`959` of a phone inside an ID). */
const MIN_DIGIT_RUN = 3;

const digitRuns = (value: string): string[] =>
  (value.match(/\d+/g) ?? []).filter((run) => run.length >= MIN_DIGIT_RUN);

/** A value with what the comparisons need, computed once. */
interface Prepared {
  readonly value: string;
  readonly lower: string;
  readonly runs: readonly string[];
}

const prepare = (value: string): Prepared => ({ value, lower: value.toLowerCase(), runs: digitRuns(value) });

/** Why two prepared values clash, or undefined. */
function clashPrepared(a: Prepared, b: Prepared): string | undefined {
  const [shorter, longer] = a.value.length <= b.value.length ? [a, b] : [b, a];
  // Short values (initials) compare case-sensitively: `SG` must not sit in `HOSG-...`, but may in `Stacy
  // Gaines@...`'s lower case letters, or nearly every two-letter pair would be taken by some long value.
  const contained =
    shorter.value.length <= SHORT
      ? longer.value.includes(shorter.value)
      : longer.lower.includes(shorter.lower);
  if (contained) return 'one contains the other';
  for (const run of a.runs) if (b.value.includes(run)) return `digits ${run} recur`;
  for (const run of b.runs) if (a.value.includes(run)) return `digits ${run} recur`;
  return undefined;
}

/** Why two values of different fields clash (one inside the other, or a 3+ digit run recurring), or undefined. */
export function clash(a: string, b: string): string | undefined {
  return clashPrepared(prepare(a), prepare(b));
}

/** Why a value cannot stand alone as PHI, or undefined when it can. */
export function unfitAsPhi(value: string): string | undefined {
  if (value.trim().length < 2) return 'shorter than 2 characters';
  if (isInCommonWord(value)) return 'is or is inside a common word';
  return undefined;
}

/** One registered value. */
interface Entry {
  readonly field: string;
  readonly prepared: Prepared;
}

/**
 * The values already planned for one patient (and one study). Fields that are allowed to overlap by design
 * (the date-form accession number embeds the study date) are declared with `allowOverlap`.
 */
export class DistinctValues {
  private readonly entries: Entry[] = [];
  private readonly overlaps = new Set<string>();
  private readonly families: string[] = [];

  /** Starts from the values of an earlier scope (the patient's, when planning a study). */
  constructor(previous?: DistinctValues) {
    if (previous) {
      this.entries.push(...previous.entries);
      for (const pair of previous.overlaps) this.overlaps.add(pair);
      this.families.push(...previous.families);
    }
  }

  /** Declares that values of these two fields may contain each other. */
  allowOverlap(a: string, b: string): void {
    this.overlaps.add(`${a}\u0000${b}`);
    this.overlaps.add(`${b}\u0000${a}`);
  }

  /** Why candidate renderings of `field` clash with a registered value or are unfit, or undefined. */
  problem(field: string, values: readonly string[]): string | undefined {
    for (const value of values) {
      const unfit = unfitAsPhi(value);
      if (unfit) return `${field} ${JSON.stringify(value)} ${unfit}`;
      const candidate = prepare(value);
      for (const entry of this.entries) {
        if (entry.field === field) continue;
        const why = clashPrepared(candidate, entry.prepared);
        if (why && !this.overlaps.has(`${field}\u0000${entry.field}`)) {
          return `${field} ${JSON.stringify(value)} vs ${entry.field} ${JSON.stringify(entry.prepared.value)}: ${why}`;
        }
      }
    }
    return undefined;
  }

  /**
   * Whether a family name equals or overlaps one already used by another person here (`Hick`/`Hicks`), so
   * that `Dr. Hicks` can never be mistaken for the patient or another clinician.
   */
  familyTaken(family: string): boolean {
    const f = family.toLowerCase();
    return this.families.some((g) => g.includes(f) || f.includes(g));
  }

  /** Whether text mentions a family name used here (an institution named after the patient). */
  mentionsFamily(text: string): boolean {
    const t = text.toLowerCase();
    return this.families.some((g) => t.includes(g));
  }

  /** Records a person's family name. */
  addFamily(family: string): void {
    this.families.push(family.toLowerCase());
  }

  /** Registers renderings of a field without checking them (values forced by the source, such as dates). */
  add(field: string, values: readonly string[]): void {
    for (const value of values) this.entries.push({ field, prepared: prepare(value) });
  }
}

/**
 * Draws values for `field` until their renderings are distinct from everything registered (and pass
 * `extra`), then registers them. Each field draws from its own seeded generator, so a redraw here never
 * moves another field's values.
 */
export function drawDistinct<T>(
  registry: DistinctValues,
  field: string,
  draw: () => T,
  renderings: (value: T) => readonly string[],
  extra?: (value: T) => string | undefined,
): T {
  let last = '';
  // Collisions are rare for every field (a few per cent at most); 1000 draws failing means a bug.
  for (let attempt = 0; attempt < 1000; attempt++) {
    const value = draw();
    const values = renderings(value);
    const why = extra?.(value) ?? registry.problem(field, values);
    if (why === undefined) {
      registry.add(field, values);
      return value;
    }
    last = why;
  }
  throw new IdentityPlanError(`cannot make ${field} distinct: ${last}`);
}

/**
 * Pairs of fields whose values may share text by design: the date-form accession number embeds the study
 * date (MIDI-B's `20180805E673674`), a birth date shares digits with study dates (a newborn's year), and
 * addresses in one state may share a ZIP code or house number while staying distinct as wholes.
 */
export const IDENTITY_OVERLAPS: ReadonlyArray<readonly [string, string]> = [
  ['study.accessionNumber', 'study.date'],
  ['patient.birthDate', 'study.date'],
  ['patient.address', 'study.referringPhysician.address'],
  ['patient.address', 'study.institution.address'],
  ['study.referringPhysician.address', 'study.institution.address'],
];

/** An empty registry with the identity's allowed overlaps declared. */
export function makeIdentityRegistry(): DistinctValues {
  const registry = new DistinctValues();
  for (const [a, b] of IDENTITY_OVERLAPS) registry.allowOverlap(a, b);
  return registry;
}
